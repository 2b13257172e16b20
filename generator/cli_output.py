"""What the command line prints, and where: results and progress on stderr, machine-readable output
(`--format json` diagnostics, file lists, diffs) on stdout; colour and progress only on a terminal."""

from __future__ import annotations

import os
import sys
import time

from generator.diagnostics import Diagnostic, render_diagnostics

RED, YELLOW, RESET = "\033[31m", "\033[33m", "\033[0m"


class Printer:
    def __init__(self, quiet: int, verbose: int, fmt: str = "text") -> None:
        self.level = verbose - quiet
        self.format = fmt
        self.interactive = sys.stderr.isatty()
        self.color = self.interactive and "NO_COLOR" not in os.environ
        self.started = time.monotonic()
        self.collected: list[Diagnostic] = []  # --format json: printed once, as one list, at the end

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
            print(f"  [{elapsed:5.1f}s] {name}{': ' + detail if detail else ''}", file=sys.stderr, flush=True)

    def listing(self, text: str) -> None:
        """A line of a result list (files that differ): stdout, unless stdout carries JSON."""
        print(text, file=sys.stderr if self.format == "json" else sys.stdout)

    def diagnostics(self, items: list[Diagnostic]) -> None:
        if self.format == "json":
            self.collected += items
            return
        if not items or (self.level < 0 and all(d.severity == "warning" for d in items)):
            return
        text = render_diagnostics(items)
        if self.color:
            text = text.replace(": error:", f": {RED}error{RESET}:").replace(": warning:", f": {YELLOW}warning{RESET}:")
        print(text, file=sys.stderr)

    def finish(self) -> None:
        if self.format == "json":
            print(render_diagnostics(self.collected, "json"))
