"""Located problems found in a spec, and the exception that carries them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


def escape_pointer_token(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(parts: tuple[object, ...] | list[object]) -> str:
    return "".join("/" + escape_pointer_token(p) for p in parts)


def split_pointer(pointer: str) -> list[str]:
    if pointer in ("", "#", "#/"):
        return []
    pointer = pointer.lstrip("#")
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located as precisely as the source allows."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    pointer: str = ""

    def format(self) -> str:
        where = f" [{self.pointer}]" if self.pointer else ""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}{where}"

    def as_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class SpecError(Exception):
    """The spec (or its usage) cannot be turned into a client; exit code 2."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(d.format() for d in sorted(self.diagnostics))


def render_diagnostics(diagnostics: list[Diagnostic], fmt: str = "text") -> str:
    ordered = sorted(diagnostics)
    if fmt == "json":
        return json.dumps([d.as_json() for d in ordered], indent=2)
    return "\n".join(d.format() for d in ordered)
