"""The spec stage in one call: load the spec, apply its overlays, check that it is an OpenAPI
document, validate it as written, and hand on an OpenAPI 3 document (Swagger 2.0 converted on load)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from generator.diagnostics import SpecError
from generator.spec.loader import SpecSource, load_spec
from generator.spec.overlays import apply_overlays
from generator.spec.swagger2 import convert_if_swagger2
from generator.spec.validator import check_document_kind

T = TypeVar("T")


def load_overlaid(
    path: str | os.PathLike[str], allow_outside_refs: bool = False, overlays: Sequence[Path] = ()
) -> SpecSource:
    """The spec as written, then edited by `overlays` in order (before any validation)."""
    source = load_spec(path, allow_outside_refs=allow_outside_refs)
    apply_overlays(source, overlays)
    return source


def read_spec(
    path: str | os.PathLike[str],
    validation: Callable[[SpecSource], T],
    allow_outside_refs: bool = False,
    overlays: Sequence[Path] = (),
) -> tuple[SpecSource, T]:
    """The spec at `path` as OpenAPI 3, and what `validation` made of it. `validation` sees the
    document as written (Swagger 2.0 is validated as Swagger 2.0, and its problems are located in
    its own terms) before the conversion; it may fail the run by raising SpecError, or start in
    the background (validation.py, background.py)."""
    source = load_overlaid(path, allow_outside_refs, overlays)
    kind = check_document_kind(source)
    if kind:
        raise SpecError(kind)
    validated = validation(source)
    convert_if_swagger2(source)
    return source, validated
