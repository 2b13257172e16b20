"""What to generate: one `ClientConfig` per client, from the command line or `[tool.oasgen]`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Formatter = Literal["black", "ruff", "none"]


@dataclass(frozen=True)
class ExtraHeader:
    """A header every request carries, set by a client constructor argument (e.g. a client id)."""

    argument: str
    header: str
    description: str = ""


@dataclass
class ClientConfig:
    spec: Path
    output: Path
    package_name: str | None = None
    client_name: str | None = None
    extra_headers: list[ExtraHeader] = field(default_factory=list)
    formatter: Formatter = "black"
    templates: Path | None = None
    strict: bool = False
    allow_outside_refs: bool = False

    def fingerprint(self) -> str:
        """Everything about the configuration that can change the output, as stable text."""
        headers = ";".join(f"{h.argument}={h.header}:{h.description}" for h in self.extra_headers)
        templates = str(self.templates) if self.templates else ""
        return (
            f"package={self.package_name}|client={self.client_name}|headers={headers}|"
            f"formatter={self.formatter}|templates={templates}|strict={self.strict}|"
            f"outside={self.allow_outside_refs}"
        )
