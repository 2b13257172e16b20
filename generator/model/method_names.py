"""Where an operation goes and what its method is called: the overrides a spec or the configuration
writes, and the names derived from operationIds without the resource's name repeated.

Overrides, first found wins, each of the group and the method on its own:
  1. the configuration's `names` table: operationId -> "group.sub.method" (or just "method");
  2. `x-oasgen-name`, the same form;
  3. Speakeasy's `x-speakeasy-group` ("group.sub") and `x-speakeasy-name-override` (the method);
  4. Fern's `x-fern-sdk-group-name` (a string or a list of nested groups) and
     `x-fern-sdk-method-name`.
A name written there is kept as written (in snake_case); only derived names lose a prefix."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator.model import naming

_DOTTED = re.compile(r"\s*\.\s*")


@dataclass(frozen=True)
class Placement:
    """The group path (() : the operation's tag) and method name ("" : from the operationId) that
    overrides give an operation, and which override gave them."""

    group: tuple[str, ...] = ()
    method: str = ""
    source: str = ""


def group_segment(name: str) -> str:
    """A group's attribute: snake_case, never a keyword nor a resource's own attribute."""
    return naming.method_name(name)


def placement(
    operation_id: str, operation: dict[str, Any], configured: dict[str, str]
) -> Placement:
    group: tuple[str, ...] = ()
    method = ""
    sources: list[str] = []
    for source, found_group, found_method in _overrides(operation_id, operation, configured):
        if found_group and not group:
            group = tuple(group_segment(g) for g in found_group)
            sources.append(source)
        if found_method and not method:
            method = naming.method_name(found_method)
            sources.append(source)
    return Placement(group, method, ", ".join(dict.fromkeys(sources)))


def _overrides(
    operation_id: str, operation: dict[str, Any], configured: dict[str, str]
) -> list[tuple[str, list[str], str]]:
    """(source, group path, method name) of each override an operation has, first wins."""
    found = []
    for source, value in (
        ("configuration", configured.get(operation_id)),
        ("x-oasgen-name", operation.get("x-oasgen-name")),
    ):
        if isinstance(value, str) and value.strip():
            *group, method = _DOTTED.split(value.strip())
            found.append((source, [g for g in group if g], method))
    speakeasy_group = operation.get("x-speakeasy-group")
    found.append(
        (
            "x-speakeasy",
            _DOTTED.split(speakeasy_group.strip()) if _text(speakeasy_group) else [],
            _text(operation.get("x-speakeasy-name-override")),
        )
    )
    fern_group = operation.get("x-fern-sdk-group-name")
    if isinstance(fern_group, list):
        fern_path = [str(g).strip() for g in fern_group if _text(g)]
    else:
        fern_path = [fern_group.strip()] if _text(fern_group) else []
    found.append(("x-fern", fern_path, _text(operation.get("x-fern-sdk-method-name"))))
    return [(source, [g for g in group if g], method) for source, group, method in found]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def without_prefix(
    resource: str, names: list[str], explicit: list[bool], taken: frozenset[str] = frozenset()
) -> list[str]:
    """The method names of one resource, each derived one without the resource's name and an
    underscore in front (`chat_post_message` in `chat` -> `post_message`), unless that leaves two
    methods with the same name, an empty name, one that is no identifier of its own, or one of
    `taken` (the resource's nested groups)."""
    prefix = resource + "_"
    shortened = [
        name[len(prefix) :]
        if not fixed
        and name.startswith(prefix)
        and _stands_alone(name[len(prefix) :])
        and name[len(prefix) :] not in taken
        else name
        for name, fixed in zip(names, explicit, strict=True)
    ]
    while True:  # a name kept as it was may collide with another's shortened name: keep both
        counts = Counter(shortened)
        clashes = [i for i, name in enumerate(shortened) if counts[name] > 1 and name != names[i]]
        if not clashes:
            return shortened
        for i in clashes:
            shortened[i] = names[i]


def _stands_alone(name: str) -> bool:
    return bool(name) and naming.method_name(name) == name


__all__ = ["Placement", "group_segment", "placement", "without_prefix"]
