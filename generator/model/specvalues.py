"""Loose values read out of a spec the same way by every part of the model builder."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.spec.refs import Location

# Where the builders report a problem of the spec: a warning at a location (the model builder
# collects them as diagnostics).
Warn = Callable[[Location, str], None]


def text(value: Any) -> str:
    """A description, summary or title: stripped, or empty when the spec gave no string."""
    return value.strip() if isinstance(value, str) else ""
