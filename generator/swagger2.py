"""Swagger 2.0 documents converted to OpenAPI 3.0 on load, so one model builder serves both."""

from __future__ import annotations

from typing import Any

from generator.loader import SpecSource


def convert_if_swagger2(source: SpecSource) -> None:
    spec = source.root.data
    if not str(spec.get("swagger", "")).startswith("2"):
        return
    source.root.data = convert(spec)


def convert(spec: dict[str, Any]) -> dict[str, Any]:
    raise NotImplementedError("Swagger 2.0 conversion")
