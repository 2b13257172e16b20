"""Loose values read out of a spec the same way by every part of the model builder."""

from __future__ import annotations

from typing import Any

# The operations a path item may hold, in the order the generated methods follow.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def text(value: Any) -> str:
    """A description, summary or title: stripped, or empty when the spec gave no string."""
    return value.strip() if isinstance(value, str) else ""
