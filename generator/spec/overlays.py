"""Overlays (OpenAPI Overlay Specification 1.0): edit a spec you do not own without editing it.

Each overlay file lists actions, applied in order after loading and before validation: `update`
merges an object into each node its JSONPath `target` selects (objects recursively, arrays
concatenated, primitives replaced, as Overlay 1.1 spells out what 1.0 leaves implicit), or appends
to a selected array; `remove: true` removes each selected node. An action whose target selects
nothing is a warning located at its target.

Problems keep pointing at the file and line that wrote the node: a node an overlay inserted is
reported in the overlay, everything else in the spec, even after removals shifted array indexes.
`Provenance` keeps that by object identity, so applying costs nothing per node of the spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, SpecError, join_pointer, split_pointer
from generator.paths import display_path
from generator.spec import jsonpath
from generator.spec.loader import Document, SpecSource, load_document

_ACTION_KEYS = ("target", "description", "update", "remove")
NodePath = tuple[str | int, ...]
Home = tuple[Document, NodePath]  # a document and the path of a node in it


@dataclass
class Provenance:
    """Where each node of the overlaid document was written.

    Containers (dicts, lists) are known by identity: `inserted` holds the ones an overlay copied
    in; a value an overlay assigned to a key is in `assigned`; a list whose items were removed
    or appended has `items`, each item's index in the list as written or its overlay home. Every
    other node is where its parent's home says. Objects taken out stay in `removed`, so their
    identities are never reused while this lives."""

    spec: Document
    root: Any
    inserted: dict[int, Home] = field(default_factory=dict)
    assigned: dict[tuple[int, str], Home] = field(default_factory=dict)
    items: dict[int, list[int | Home]] = field(default_factory=dict)
    removed: list[Any] = field(default_factory=list)

    def home(self, pointer: str) -> tuple[Document, str]:
        """The document and pointer (in that document) that wrote the node at `pointer`."""
        node: Any = self.root
        document, path = self.spec, list[str | int]()
        tokens = split_pointer(pointer)
        for depth, token in enumerate(tokens):
            if isinstance(node, dict) and token in node:
                assigned = self.assigned.get((id(node), token))
                if assigned:
                    document, path = assigned[0], list(assigned[1])
                else:
                    path.append(token)
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                origin = self.items.get(id(node), [])[int(token) :][:1]
                if not origin or isinstance(origin[0], int):
                    path.append(origin[0] if origin else int(token))  # type: ignore[arg-type]
                else:
                    document, path = origin[0][0], list(origin[0][1])
                node = node[int(token)]
            else:  # below what exists: the rest of the pointer as written
                path.extend(tokens[depth:])
                break
            inserted = self.inserted.get(id(node)) if isinstance(node, (dict, list)) else None
            if inserted:
                document, path = inserted[0], list(inserted[1])
        return document, join_pointer(path)

    def copy(self, value: Any, home: Home) -> Any:
        """A copy of an overlay's value whose containers remember where the overlay wrote them."""
        document, path = home
        if isinstance(value, dict):
            copied: Any = {k: self.copy(v, (document, (*path, k))) for k, v in value.items()}
        elif isinstance(value, list):
            copied = [self.copy(v, (document, (*path, i))) for i, v in enumerate(value)]
        else:
            return value
        self.inserted[id(copied)] = home
        return copied

    def origins(self, array: list[Any]) -> list[int | Home]:
        return self.items.setdefault(id(array), list(range(len(array))))


class _Overlay:
    """One overlay file being applied; problems are collected, then raised together."""

    def __init__(self, document: Document, provenance: Provenance) -> None:
        self.document = document
        self.provenance = provenance
        self.errors: list[Diagnostic] = []

    def error(self, path: NodePath, message: str) -> None:
        self.errors.append(self.document.diagnostic(join_pointer(list(path)), message))

    def warn(self, path: NodePath, message: str) -> None:
        """A problem that leaves the overlay usable: kept with the document's read problems,
        which lenient runs report as warnings and --strict as errors."""
        self.document.problems.append(self.document.diagnostic(join_pointer(list(path)), message))

    def actions(self) -> list[tuple[NodePath, dict[str, Any]]]:
        """The actions, once the document's shape is known to be an overlay's."""
        data = self.document.data
        if not isinstance(data, dict):
            self.error((), "not an overlay: the top level must be a mapping")
            return []
        version = data.get("overlay")
        if not isinstance(version, str) or not version.startswith(("1.0.", "1.1.")):
            self.error(
                ("overlay",) if "overlay" in data else (),
                f"not an OpenAPI Overlay 1.0 document: expected 'overlay: 1.0.0', got {version!r}"
                if "overlay" in data
                else "not an OpenAPI Overlay document: no 'overlay: 1.0.0' key",
            )
            return []
        info = data.get("info")
        if not isinstance(info, dict) or not all(
            isinstance(info.get(k), str) for k in ("title", "version")
        ):
            self.warn(
                ("info",) if "info" in data else (),
                "an overlay's 'info' needs a 'title' and a 'version'",
            )
        actions = data.get("actions")
        if not isinstance(actions, list) or not actions:
            self.error(
                ("actions",) if "actions" in data else (), "'actions' must list at least one action"
            )
            return []
        found = []
        for index, action in enumerate(actions):
            at: NodePath = ("actions", index)
            if not isinstance(action, dict):
                self.error(at, "an action must be a mapping with a 'target'")
                continue
            if self._action_is_valid(action, at):
                found.append((at, action))
        return found

    def _action_is_valid(self, action: dict[str, Any], at: NodePath) -> bool:
        valid = True
        for key in action:
            if key == "copy":
                self.error((*at, key), "'copy' (Overlay 1.1) is not supported; use 'update'")
                valid = False
            elif key not in _ACTION_KEYS and not str(key).startswith("x-"):
                self.error(
                    (*at, key), f"unknown action key {key!r} (known: {', '.join(_ACTION_KEYS)})"
                )
                valid = False
        if not isinstance(action.get("target"), str):
            self.error(
                at if "target" not in action else (*at, "target"),
                "an action needs a 'target', a JSONPath string",
            )
            return False
        if "remove" in action and not isinstance(action["remove"], bool):
            self.error((*at, "remove"), "'remove' must be true or false")
            valid = False
        if "update" not in action and action.get("remove") is not True:
            self.warn(at, "the action has neither 'update' nor 'remove: true'; it does nothing")
        return valid

    def apply(self, root: Any) -> None:
        for at, action in self.actions():
            target = action["target"]
            try:
                query = jsonpath.parse(target)
            except jsonpath.JSONPathError as exc:
                self.error(
                    (*at, "target"),
                    f"invalid JSONPath {target!r}: {exc.message} (at character {exc.offset + 1})",
                )
                continue
            matches = jsonpath.find(query, root)
            if not matches:
                self.warn(
                    (*at, "target"),
                    f"target {target!r} matches nothing in the spec; the action does nothing",
                )
            elif action.get("remove") is True:
                self._remove(matches, (*at, "target"))
            elif "update" in action:
                for match in matches:
                    self._update(match, action["update"], (*at, "update"))

    def _remove(self, matches: list[jsonpath.Match], at: NodePath) -> None:
        if any(m.parent is None for m in matches):
            self.error(at, "the target selects the whole document, which cannot be removed")
            return
        # Highest index first, so removing one item does not shift the next one's index.
        unique = {(id(m.parent), m.key): m for m in matches}
        for match in sorted(unique.values(), key=lambda m: -m.key if isinstance(m.key, int) else 0):
            parent, key = match.parent, match.key
            self.provenance.removed.append(match.value)
            if isinstance(parent, list) and isinstance(key, int):
                del self.provenance.origins(parent)[key]  # before the list changes length
                del parent[key]
            elif isinstance(parent, dict) and isinstance(key, str):
                del parent[key]
                self.provenance.assigned.pop((id(parent), key), None)

    def _update(self, match: jsonpath.Match, update: Any, at: NodePath) -> None:
        home = (self.document, at)
        target = match.value
        if isinstance(target, dict):
            if not isinstance(update, dict):
                self.error(
                    at,
                    f"the target {match.pointer or '/'} is an object: 'update' must be an object to merge into it",
                )
                return
            self._merge(target, update, at)
        elif isinstance(target, list):
            self._append(
                target,
                update if isinstance(update, list) else [update],
                at,
                isinstance(update, list),
            )
        elif isinstance(update, (dict, list)):
            self.error(
                at,
                f"the target {match.pointer} is a {_kind(target)}: 'update' must be a value to replace it",
            )
        elif isinstance(match.parent, dict) and isinstance(match.key, str):
            match.parent[match.key] = update
            self.provenance.assigned[(id(match.parent), match.key)] = home
        elif isinstance(match.parent, list) and isinstance(match.key, int):
            match.parent[match.key] = update
            self.provenance.origins(match.parent)[match.key] = home

    def _append(self, target: list[Any], items: list[Any], at: NodePath, spread: bool) -> None:
        origins = self.provenance.origins(target)
        for index, item in enumerate(items):
            home = (self.document, (*at, index) if spread else at)
            target.append(self.provenance.copy(item, home))
            origins.append(home)

    def _merge(self, target: dict[str, Any], update: dict[str, Any], at: NodePath) -> None:
        for key, value in update.items():
            here = (*at, key)
            existing = target.get(key)
            if key not in target or (existing is None and value is not None):
                target[key] = self.provenance.copy(value, (self.document, here))
                self.provenance.assigned[(id(target), key)] = (self.document, here)
            elif value is None and isinstance(existing, (dict, list)):
                continue  # `components:` with nothing under it: nothing to change
            elif isinstance(existing, dict) and isinstance(value, dict):
                self._merge(existing, value, here)
            elif isinstance(existing, list) and isinstance(value, list):
                self._append(existing, value, here, spread=True)
            elif not isinstance(existing, (dict, list)) and not isinstance(value, (dict, list)):
                target[key] = value
                self.provenance.assigned[(id(target), key)] = (self.document, here)
            else:
                self.error(
                    here,
                    f"cannot merge a {_kind(value)} into the {_kind(existing)} at '{key}'; "
                    "remove it in an earlier action first",
                )


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "null" if value is None else "primitive value"


def apply_overlays(source: SpecSource, paths: Sequence[Path]) -> None:
    """Apply each overlay file to the spec's root document, in order.

    A file that is not a valid overlay (or an action that cannot apply) raises SpecError located
    in the overlay; warnings (a target that matches nothing) join the overlay's `problems`, which
    validation reports with the spec's."""
    if not paths:
        return
    provenance = Provenance(source.root, source.root.data)
    for path in paths:
        document = load_document(
            path, display=display_path(path) if path.is_absolute() else str(path)
        )
        overlay = _Overlay(document, provenance)
        overlay.apply(source.root.data)
        if overlay.errors:
            raise SpecError(sorted(overlay.errors))
        source.overlays.append(document)
    if not isinstance(source.root.data, dict):
        raise SpecError(
            [source.overlays[-1].diagnostic("", "the overlays left no OpenAPI document")]
        )
    source.root.relocate = provenance.home
