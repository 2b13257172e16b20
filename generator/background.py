"""Run spec validation in a forked process while the main process builds, renders and formats.

openapi-spec-validator takes seconds on large specs (4-14 s on Stripe or Kubernetes here), and a
few tenths of a second on any spec it finds invalid (its detailed backend is slow to import and
run); it is independent of the later stages, so overlapping it with them is most of what it costs
on two cores. Forking costs a few milliseconds, so every spec is validated this way.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable

from generator.diagnostics import Diagnostic
from generator.loader import SpecSource



def _child(source: SpecSource, full: bool, conn: object) -> None:
    from generator.validator import validate

    try:
        conn.send(("ok", validate(source, full)))  # type: ignore[attr-defined]
    except BaseException as exc:  # noqa: BLE001 - reported by the parent as a bug
        conn.send(("error", f"{type(exc).__name__}: {exc}"))  # type: ignore[attr-defined]
    finally:
        conn.close()  # type: ignore[attr-defined]


def start_validation(source: SpecSource, full: bool = True) -> Callable[[], list[Diagnostic]]:
    """Start validating; the returned function waits for and returns the problems."""
    from generator.validator import validate

    if not hasattr(os, "fork"):
        problems = validate(source, full)
        return lambda: problems
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(source, full, send), daemon=True)
    process.start()
    send.close()

    def wait() -> list[Diagnostic]:
        try:
            status, payload = receive.recv()
        except EOFError:
            raise RuntimeError(f"the validation process died (exit code {process.exitcode})") from None
        finally:
            process.join()
        if status != "ok":
            raise RuntimeError(f"validation failed: {payload}")
        return payload  # type: ignore[no-any-return]

    return wait
