"""Descriptions wherever a spec writes them, and their relative links made absolute.

A property's description is often not on the property: a nullable value is written
`anyOf: [{description: ..., type: number}, {type: null}]`, a `$ref` with a description is wrapped in
`allOf: [{$ref: ...}]` (3.0 ignores a `$ref`'s siblings), or the text sits on the referenced schema.
`description_of` looks in each of those places, so model fields, parameters and body arguments all
get the text. `absolute_links` then rewrites root-relative links (`[models](/docs/models)`,
`href="/docs/..."`) against the API's documentation host, when the spec or the configuration
names one (see `docs_host`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any
from urllib.parse import urlsplit

from generator.model.specvalues import text as spec_text
from generator.spec.refs import Location, RefError, RefResolver

# `deref(node, at)`: the object a `$ref` points to (or the node itself) with its location; None
# when it cannot be followed (SpecReader.deref_dict).
Deref = Callable[[Any, Location], "tuple[dict[str, Any], Location] | None"]


def quiet_deref(resolver: RefResolver) -> Deref:
    """A `Deref` for a description: a `$ref` that cannot be followed has none (the type's builder
    reports it)."""

    def deref(node: Any, at: Location) -> tuple[dict[str, Any], Location] | None:
        try:
            found, where = resolver.deref(node, at)
        except RefError:
            return None
        return (found, where) if isinstance(found, dict) else None

    return deref


_MAX_DEPTH = 8  # wrappers nest a few levels at most; a `$ref` cycle stops here


def description_of(schema: Any, at: Location, deref: Deref, depth: int = 0) -> str:
    """The schema's own description; else the one of what it refers to, of the one branch of an
    `anyOf`/`oneOf` that is not null, or of an `allOf` wrapper's parts."""
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return ""
    own = spec_text(schema.get("description"))
    if own:
        return own
    if "$ref" in schema:
        found = deref(schema, at)
        return description_of(found[0], found[1], deref, depth + 1) if found else ""
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            real = [(i, b) for i, b in enumerate(branches) if not _is_null(b)]
            if len(real) == 1:
                index, branch = real[0]
                return description_of(branch, at.child(key, index), deref, depth + 1)
    parts = schema.get("allOf")
    if isinstance(parts, list):
        return _wrapper_description(parts, at.child("allOf"), deref, depth)
    return ""


def _wrapper_description(parts: list[Any], at: Location, deref: Deref, depth: int) -> str:
    """An annotation part's description (`allOf: [{$ref: X}, {description: ...}]`) first; the
    referenced schema's only when it is the one part (a composition's base class describes
    itself, not the property)."""
    for index, part in enumerate(parts):
        if isinstance(part, dict) and "$ref" not in part and spec_text(part.get("description")):
            return spec_text(part["description"])
    if len(parts) == 1:
        return description_of(parts[0], at.child(0), deref, depth + 1)
    return ""


def _is_null(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    return schema.get("type") == "null" or schema.get("enum") == [None]


# ---- links ---------------------------------------------------------------------------------------

# `[text](/path)` and `href="/path"` (either quote); `//host` is already absolute.
_MARKDOWN_LINK = re.compile(r"(\]\()(/(?!/)[^)\s]*)")
_HREF = re.compile(r"""(href=["'])(/(?!/)[^"'\s]*)""")


def docs_host(spec: dict[str, Any], configured: str = "") -> str:
    """The documentation site relative links point into, as `scheme://host`: the configuration's
    `docs-url`, else the root `externalDocs.url`, else `info.externalDocs.url` (where some specs
    put it). Other URLs of the spec (terms of service, contact, `x-logo`) are not documentation
    and are not trusted for this."""
    info = spec.get("info")
    candidates = [configured, _url(spec.get("externalDocs"))]
    if isinstance(info, dict):
        candidates.append(_url(info.get("externalDocs")))
    for url in candidates:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return ""


def _url(docs: Any) -> str:
    return (
        docs["url"].strip() if isinstance(docs, dict) and isinstance(docs.get("url"), str) else ""
    )


def absolute(text: str, host: str) -> str:
    """`text` with its root-relative markdown and HTML links made absolute against `host`."""
    if not host or "/" not in text:
        return text
    text = _MARKDOWN_LINK.sub(lambda m: m.group(1) + host + m.group(2), text)
    return _HREF.sub(lambda m: m.group(1) + host + m.group(2), text)


# The model's prose: what reaches docstrings, the README and diff's documentation lines.
_PROSE = frozenset({"description", "summary"})


def absolute_links(node: object, host: str) -> None:
    """Rewrites, in place, the links of every description and summary in the model under `node`."""
    if host:
        _rewrite(node, host, set())


def _rewrite(node: object, host: str, seen: set[int]) -> None:
    if isinstance(node, list):
        for item in node:
            _rewrite(item, host, seen)
        return
    if not is_dataclass(node) or isinstance(node, type) or id(node) in seen:
        return
    seen.add(id(node))
    for spec_field in fields(node):
        value = getattr(node, spec_field.name)
        if spec_field.name in _PROSE and isinstance(value, str):
            setattr(node, spec_field.name, absolute(value, host))
        elif isinstance(value, list) or (is_dataclass(value) and not isinstance(value, type)):
            _rewrite(value, host, seen)


__all__ = ["absolute", "absolute_links", "description_of", "docs_host"]
