"""Pagination of list operations (issue 12): what the configuration or a vendor extension says,
else what detection finds, checked against the operation's parameters and answer and settled as
`Operation.pagination`. Runs once every model exists (it reads the answer's fields)."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.config import ConfigError
from generator.model.api import FieldPath, Operation, Pagination, Parameter
from generator.model.pagination_detect import detect, find_items, first_position
from generator.model.pagination_shapes import Lookup, Shapes
from generator.model.pagination_sources import OFF, from_extensions
from generator.model.types import TypeExpr
from generator.pagination_config import PagingRequest
from generator.spec.refs import Location

Deref = Callable[[Any, Location], "tuple[Any, Location] | None"]
Warn = Callable[[Location, str], None]


class PagingError(Exception):
    """A declared pagination does not fit the operation (the message says why)."""


def settle_pagination(
    raw_operations: list[tuple[Operation, dict[str, Any], Location]],
    root: dict[str, Any],
    lookup: Lookup,
    deref: Deref,
    settings: dict[str, PagingRequest | None] | None,
    warn: Warn,
) -> None:
    """Set `pagination` on every operation whose results come in pages. `settings`: the
    configuration's, by operationId (None turns an operation's off; `settings` None: all off)."""
    shapes = Shapes(lookup)
    errors: list[str] = []
    known = {op.operation_id for op, _, _ in raw_operations}
    for name in sorted(set(settings or {}) - known):
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        errors.append(f"oasgen: error: pagination: the spec has no operation {name!r}{hint}")
    for op, raw, at in raw_operations:
        if settings is None:
            continue
        if op.operation_id in settings:
            setting = settings[op.operation_id]
            if setting is None:
                continue
            try:
                op.pagination = resolve(setting, op, shapes)
            except PagingError as exc:
                errors.append(f"oasgen: error: pagination of {op.operation_id!r}: {exc}")
            continue
        request = from_extensions(raw, root, at, warn)
        if request is OFF:
            continue
        if isinstance(request, PagingRequest):
            try:
                op.pagination = resolve(request, op, shapes)
            except PagingError as exc:
                warn(at.child(request.source), f"{request.source}: {exc}; not paginated")
            continue
        detected = detect(op, shapes, declares_link_header(raw, at, deref))
        if detected is not None:
            try:
                op.pagination = resolve(detected, op, shapes)
            except PagingError:
                pass  # what detection proposes must hold in full, or the method stays plain
    if errors:
        raise ConfigError(errors)


def declares_link_header(raw: dict[str, Any], at: Location, deref: Deref) -> bool:
    responses = raw.get("responses")
    for status, response in responses.items() if isinstance(responses, dict) else ():
        if not str(status).startswith("2"):
            continue
        found = deref(response, at.child("responses", str(status)))
        headers = found[0].get("headers") if found and isinstance(found[0], dict) else None
        if isinstance(headers, dict) and any(str(h).lower() == "link" for h in headers):
            return True
    return False


@dataclass(frozen=True)
class _Answer:
    shapes: Shapes
    expr: TypeExpr

    def field(self, path: tuple[str, ...], kinds: tuple[str, ...], what: str) -> FieldPath:
        if not path:
            return FieldPath()
        found = self.shapes.path(self.expr, path)
        if found is None:
            raise PagingError(f"the answer has no field {'.'.join(path)!r} ({what})")
        kind = self.shapes.scalar(found[1])
        if kind != "any" and kind not in kinds:
            raise PagingError(
                f"{what} {'.'.join(path)!r} is not {' or '.join(_KIND_WORDS[k] for k in kinds)}"
            )
        return found[0]


_KIND_WORDS = {"int": "an integer", "float": "a number", "str": "a string", "bool": "a boolean"}
_POSITION_KINDS = {
    "offset": ("int",),
    "page": ("int",),
    "cursor": ("str", "int"),
    "last_id": ("str", "int"),
}


def resolve(request: PagingRequest, op: Operation, shapes: Shapes) -> Pagination:
    """The operation's Pagination as `request` declares it; PagingError when a parameter or a
    field it names is missing or of the wrong type."""
    if op.result_kind != "json":
        raise PagingError("the operation does not answer with JSON")
    answer = _Answer(shapes, op.result_type)
    items, item_type = _items(request, answer)
    query = {p.name: p for p in op.parameters if p.location == "query"}
    param = _parameter(query, request.param, _POSITION_KINDS.get(request.strategy), shapes)
    limit = _parameter(query, request.limit_param, ("int",), shapes)
    before = _parameter(query, request.before_param, ("str", "int"), shapes)
    cursor_kinds = ("str",) if request.strategy == "next_url" else ("str", "int")
    id_field = ""
    if request.strategy == "last_id":
        found = shapes.field(item_type, request.id_field)
        if found is None or shapes.scalar(found[1]) not in ("str", "int", "any"):
            raise PagingError(f"the items have no {request.id_field!r} to continue after")
        id_field = found[0]
    if request.strategy in ("cursor", "next_url") and not request.cursor:
        raise PagingError(f"a {request.strategy} pagination needs the answer's cursor field")
    return Pagination(
        strategy=request.strategy,  # type: ignore[arg-type]
        item_type=item_type,
        items=items,
        param=param.name if param else "",
        limit_param=limit.name if limit else "",
        default_limit=_int(limit.default) if limit else None,
        max_limit=_int(limit.maximum) if limit else None,
        first=_first(request.strategy, param),
        cursor=answer.field(request.cursor, cursor_kinds, "the cursor"),
        has_more=answer.field(request.has_more, ("bool",), "has-more"),
        total=answer.field(request.total, ("int", "float"), "the total"),
        total_pages=answer.field(request.total_pages, ("int", "float"), "the page count"),
        id_field=id_field,
        before_param=before.name if before else "",
        source=request.source,
    )


def _items(request: PagingRequest, answer: _Answer) -> tuple[FieldPath, TypeExpr]:
    path = request.items
    if path is None:
        path = find_items(answer.shapes, answer.expr)
        if path is None:
            raise PagingError("no array of items found in the answer; give `items`")
    found = answer.shapes.path(answer.expr, path)
    if found is None:
        raise PagingError(f"the answer has no field {'.'.join(path)!r} (the items)")
    item_type = answer.shapes.array_item(found[1])
    if item_type is None:
        where = repr(".".join(path)) if path else "the answer"
        raise PagingError(f"{where} is not an array of items")
    return found[0], item_type


def _parameter(
    query: dict[str, Parameter], name: str, kinds: tuple[str, ...] | None, shapes: Shapes
) -> Parameter | None:
    if not name:
        return None
    found = query.get(name)
    if found is None:
        raise PagingError(f"the operation has no query parameter {name!r}")
    kind = shapes.scalar(found.type)
    if kinds and kind != "any" and kind not in kinds:
        raise PagingError(
            f"the parameter {name!r} is not {' or '.join(_KIND_WORDS[k] for k in kinds)}"
        )
    return found


def _int(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if float(value).is_integer() else None


def _first(strategy: str, param: Parameter | None) -> int:
    found = first_position(strategy, param)
    if found is not None:
        return found
    return 1 if strategy == "page" else 0


def describe(pagination: Pagination) -> str:
    """One line for listings: `offset: offset + limit, items at data.records`."""
    p = pagination
    items = ".".join(p.items.json) or "(the answer)"
    cursor = ".".join(p.cursor.json)
    how = {
        "offset": f"{p.param}" + (f" + {p.limit_param}" if p.limit_param else ""),
        "page": f"{p.param}" + (f" + {p.limit_param}" if p.limit_param else ""),
        "cursor": f"{cursor} -> {p.param}",
        "last_id": f"last item's {p.id_field} -> {p.param}",
        "next_url": f"{cursor}",
        "link_header": 'Link rel="next"',
    }[p.strategy]
    stops = [".".join(f.json) for f in (p.has_more, p.total, p.total_pages) if f.json]
    text = f"{p.strategy}: {how}, items at {items}"
    if stops:
        text += f", stops on {', '.join(stops)}"
    return text + ("" if p.source == "detected" else f" ({p.source})")
