"""`$ref` resolution across the root document and the files it references."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.diagnostics import SpecError, split_pointer
from generator.spec.loader import Document, SpecSource


class RefError(Exception):
    """A `$ref` that points nowhere (or somewhere it may not)."""


@dataclass(frozen=True)
class Location:
    """A node in some document: the document and the JSON pointer to it."""

    document: Document
    pointer: str

    @property
    def key(self) -> tuple[Path, str]:
        return (self.document.path, self.pointer)

    def child(self, *tokens: object) -> Location:
        from generator.diagnostics import join_pointer

        return Location(self.document, self.pointer + join_pointer(list(tokens)))


def get_at(data: Any, pointer: str) -> Any:
    node = data
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise RefError(f"pointer {pointer!r} does not exist")
    return node


class RefResolver:
    def __init__(self, source: SpecSource) -> None:
        self.source = source

    def target(self, ref: str, at: Location) -> Location:
        """Where `ref`, written at `at`, points."""
        if not isinstance(ref, str):
            raise RefError("$ref must be a string")
        file_part, _, fragment = ref.partition("#")
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            raise RefError(f"unsupported $ref fragment {fragment!r} (expected a JSON pointer)")
        if not file_part:
            document = at.document
        else:
            if "://" in file_part:
                raise RefError(f"remote $ref {ref!r} is not fetched; download it next to the spec")
            path = (at.document.path.parent / unquote(file_part)).resolve()
            if not self.source.allow_outside_refs and not self.source.within_root(path):
                raise RefError(
                    f"$ref {ref!r} leaves the spec's directory (pass --allow-outside-refs)"
                )
            try:
                document = self.source.document(path)
            except SpecError as exc:
                first = exc.diagnostics[0].message if exc.diagnostics else "cannot load"
                raise RefError(f"$ref {ref!r}: {first}") from None
        get_at(document.data, fragment)
        return Location(document, fragment)

    def value(self, location: Location) -> Any:
        return get_at(location.document.data, location.pointer)

    def deref(self, node: Any, at: Location, limit: int = 64) -> tuple[Any, Location]:
        """Follow `$ref` chains until a node that is not a reference."""
        seen: set[tuple[Path, str]] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target = self.target(node["$ref"], at)
            if target.key in seen or len(seen) > limit:
                raise RefError(f"$ref cycle through {node['$ref']!r}")
            seen.add(target.key)
            node, at = self.value(target), target
        return node, at


class _EveryScheme(dict):  # type: ignore[type-arg]
    """A handler table that claims every URI scheme, so nothing falls through to urlopen()."""

    def __init__(self, handler: Callable[[str], Any]) -> None:
        super().__init__()
        self._handler = handler

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: object) -> Callable[[str], Any]:
        return self._handler

    def get(self, key: object, default: object = None) -> Callable[[str], Any]:  # type: ignore[override]
        return self._handler


def string_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): string_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [string_keys(v) for v in node]
    return node


def validator_handlers(source: SpecSource) -> dict[str, Callable[[str], Any]]:
    """URI handlers for openapi-spec-validator (jsonschema-path) that read only what our own
    resolver may read: files within the spec's directory (anywhere with --allow-outside-refs),
    through the same loader, and never the network. Left to its defaults the validator opens
    any file and fetches any URL a `$ref` names, even ones `RefResolver` refuses."""

    def handler(uri: str) -> Any:
        parts = urlsplit(uri)
        if parts.scheme != "file":
            raise RefError(f"remote $ref {uri!r} is not fetched")
        from urllib.request import url2pathname  # urllib.request pulls in http and email: only here

        path = Path(url2pathname(parts.path)).resolve()
        if not source.allow_outside_refs and not source.within_root(path):
            raise RefError(f"$ref to {str(path)!r} leaves the spec's directory")
        try:
            return string_keys(source.document(path).data)
        except SpecError:
            raise RefError(f"$ref to {str(path)!r}: cannot load") from None

    return _EveryScheme(handler)
