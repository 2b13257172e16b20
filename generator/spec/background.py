"""Spec validation in a forked process while the main process builds, renders and formats.

openapi-spec-validator takes seconds on large specs (4-14 s on Stripe or Kubernetes here); it is
independent of the later stages, so overlapping it with them is most of what it costs on two
cores. Forking costs a few milliseconds (the child shares the parent's memory until it writes),
so every spec is validated this way; the result comes back pickled through a pipe.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import Generic, TypeVar

from generator.diagnostics import Diagnostic
from generator.spec.loader import SpecSource

T = TypeVar("T")


class Background(Generic[T]):
    """The result of `work()`, computed in a forked child (or at once where there is no fork)."""

    def __init__(self, work: Callable[[], T], what: str) -> None:
        self.what = what
        self.pid = 0
        if not hasattr(os, "fork"):
            self._value = work()
            return
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without running the parent's cleanup
            os.close(read_end)
            _send_and_exit(work, write_end)
        os.close(write_end)
        self.pid, self._pipe = pid, os.fdopen(read_end, "rb")

    def result(self) -> T:
        if not self.pid:
            return self._value
        with self._pipe:
            data = self._pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if not data:
            raise RuntimeError(f"the {self.what} process died (wait status {status})")
        outcome, payload = pickle.loads(data)  # our own child's answer
        if outcome != "ok":
            raise RuntimeError(f"{self.what} failed: {payload}")
        self._value = payload
        return payload  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child when its result is no longer wanted (the run failed meanwhile)."""
        if not self.pid:
            return
        self._pipe.close()
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        self.pid = 0


def _send_and_exit(work: Callable[[], object], write_end: int) -> None:
    status = 0
    try:
        payload = pickle.dumps(("ok", work()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 - reported by the parent as a bug
        payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
        status = 1
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(status)


def start_validation(source: SpecSource, full: bool = True) -> Background[list[Diagnostic]]:
    """Start validating; `.result()` waits for and returns the problems."""
    from generator.spec.validator import validate

    return Background(lambda: validate(source, full), "validation")
