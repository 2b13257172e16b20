"""What the command line prints, and where: results and progress on stderr, machine-readable output
(`--format json` diagnostics, file lists, diffs) on stdout; colour and progress only on a terminal."""

from __future__ import annotations

import os
import sys
import time

from generator.diagnostics import Diagnostic, render_diagnostics

RED, YELLOW, RESET = "\033[31m", "\033[33m", "\033[0m"
FIRST_FEW = 10  # warnings shown in text by generate and check (validate and --format json show all)


class Printer:
    def __init__(self, quiet: int, verbose: int, fmt: str = "text") -> None:
        self.level = verbose - quiet
        self.format = fmt
        self.interactive = sys.stderr.isatty()
        self.color = self.interactive and "NO_COLOR" not in os.environ
        self.started = time.monotonic()
        self.collected: list[
            Diagnostic
        ] = []  # --format json: printed once, as one list, at the end
        # --format json: the files `check` found out of date; API changes and verdicts
        self.files: list[dict[str, object]] = []

    def info(self, text: str) -> None:
        if self.level >= 0:
            print(text, file=sys.stderr)

    def error(self, text: str) -> None:
        """Shown even with -q: a failure always says why."""
        if self.color:
            text = text.replace(": error:", f": {RED}error{RESET}:", 1)
        print(text, file=sys.stderr)

    def stage(self, name: str, detail: str) -> None:
        """Progress of a long run: on a terminal (or with -v), never when piped (make, CI logs)."""
        if self.interactive and self.level >= 0 or self.level > 0:
            elapsed = time.monotonic() - self.started
            print(
                f"  [{elapsed:5.1f}s] {name}{': ' + detail if detail else ''}",
                file=sys.stderr,
                flush=True,
            )

    def file_entry(self, file: str, kind: str, label: str, message: str) -> None:
        """A file that `check` found differing: a JSON entry (file, kind, message), or a line
        `  label: file` of the list on stdout."""
        if self.format == "json":
            self.files.append({"file": file, "kind": kind, "message": message})
        else:
            print(f"  {label}: {file}")

    def diagnostics(self, items: list[Diagnostic], limit: int | None = None) -> None:
        """Every error; warnings up to `limit` in text, then how many more there are."""
        if self.format == "json":
            self.collected += items
            return
        if not items or (self.level < 0 and all(d.severity == "warning" for d in items)):
            return
        items = sorted(items)
        warnings = [d for d in items if d.severity == "warning"]
        hidden = len(warnings) - limit if limit is not None and self.level <= 0 else 0
        if hidden > 0:
            items = [d for d in items if d.severity == "error"] + warnings[:limit]
        text = render_diagnostics(items)
        if hidden > 0:
            text += (
                f"\n  ... and {hidden} more warning(s): `oasgen validate` or --format json lists "
                "them all (-v shows them here)"
            )
        if self.color:
            text = text.replace(": error:", f": {RED}error{RESET}:").replace(
                ": warning:", f": {YELLOW}warning{RESET}:"
            )
        print(text, file=sys.stderr)

    def finish(self) -> None:
        if self.format == "json":
            import json

            entries = [d.as_json() for d in sorted(self.collected)] + self.files
            print(json.dumps(entries, indent=2))
