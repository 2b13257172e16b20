"""Paginations the spec declares itself, in the vendor extensions users already write, mapped onto
oasgen's strategies: `x-pagination` (oasgen's own keys, those of `[tool.oasgen]`),
`x-speakeasy-pagination`, `x-fern-pagination` and Azure's `x-ms-pageable`.

What cannot be mapped is a warning and leaves the operation unpaginated: a cursor or offset sent
in the request body (Speakeasy `in: requestBody`, Fern `$request.body...`), a cursor computed from
another field than the last item's (Speakeasy `$.results[-1].created_at` maps onto last_id with
that field, any other expression does not), Fern's custom pagination."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from generator.pagination_config import PagingRequest, setting_from_table
from generator.spec.refs import Location

OFF = object()  # the spec says: not paginated
Warn = Callable[[Location, str], None]


class _Unmapped(Exception):
    pass


def from_extensions(
    op: dict[str, Any], root: dict[str, Any], at: Location, warn: Warn
) -> PagingRequest | object | None:
    """The pagination an operation's extensions declare; OFF; or None (none declared)."""
    readers: list[tuple[str, Callable[[Any, dict[str, Any]], PagingRequest | object]]] = [
        ("x-pagination", _oasgen),
        ("x-speakeasy-pagination", _speakeasy),
        ("x-fern-pagination", _fern),
        ("x-ms-pageable", _azure),
    ]
    for key, reader in readers:
        if key not in op:
            continue
        try:
            return reader(op[key], root)
        except _Unmapped as exc:
            warn(at.child(key), f"{key}: {exc}; the operation is not paginated")
            return OFF
    return None


def _oasgen(value: Any, root: dict[str, Any]) -> PagingRequest | object:
    if value is False:
        return OFF
    if not isinstance(value, dict):
        raise _Unmapped("expected false or a table (strategy, param, items, ...)")
    problems: list[str] = []
    request = setting_from_table(value, "x-pagination", problems.append, "x-pagination")
    if problems or request is None:
        raise _Unmapped("; ".join(problems))
    return request


def _jsonpath(text: Any, prefixes: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """`$.data.items` / `$response.data.items` -> (("data", "items"), ""); a last-item
    expression `$.data[-1].id` -> (("data",), "id")."""
    if not isinstance(text, str):
        raise _Unmapped(f"{text!r} is not a path")
    for prefix in prefixes:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    else:
        raise _Unmapped(f"{text!r}: only {' or '.join(prefixes)} paths can be read")
    last = re.fullmatch(r"(.*)\[-1\]\.([A-Za-z0-9_]+)", text)
    if last:
        return tuple(p for p in last.group(1).split(".") if p), last.group(2)
    if "[" in text or "*" in text:
        raise _Unmapped(f"{text!r} is more than a dotted path")
    return tuple(p for p in text.split(".") if p), ""


def _speakeasy(value: Any, root: dict[str, Any]) -> PagingRequest:
    if not isinstance(value, dict):
        raise _Unmapped("expected a table")
    kind = value.get("type")
    inputs: list[Any] = value["inputs"] if isinstance(value.get("inputs"), list) else []
    outputs: dict[str, Any] = value["outputs"] if isinstance(value.get("outputs"), dict) else {}
    by_type: dict[str, str] = {}
    for entry in inputs:
        if not isinstance(entry, dict):
            continue
        if entry.get("in") != "parameters":
            raise _Unmapped(f"the input {entry.get('name')!r} is in the request body")
        by_type[str(entry.get("type"))] = str(entry.get("name"))
    results = outputs.get("results")
    items = _jsonpath(results, ("$.", "$"))[0] if results is not None else None
    if kind == "offsetLimit":
        strategy = "page" if "page" in by_type else "offset"
        if strategy == "offset" and "offset" not in by_type:
            raise _Unmapped("offsetLimit needs an offset or a page input")
        pages = outputs.get("numPages")
        return PagingRequest(
            strategy,
            "x-speakeasy-pagination",
            param=by_type[strategy],
            limit_param=by_type.get("limit", ""),
            items=items,
            total_pages=_jsonpath(pages, ("$.", "$"))[0] if pages is not None else (),
        )
    if kind == "cursor":
        path, last_field = _jsonpath(outputs.get("nextCursor"), ("$.", "$"))
        if "cursor" not in by_type:
            raise _Unmapped("a cursor pagination needs a cursor input")
        if last_field:  # the last item's field: our last_id
            if items is not None and path != items:
                raise _Unmapped("nextCursor reads another list than the results")
            return PagingRequest(
                "last_id",
                "x-speakeasy-pagination",
                param=by_type["cursor"],
                items=path,
                id_field=last_field,
                limit_param=by_type.get("limit", ""),
            )
        return PagingRequest(
            "cursor", "x-speakeasy-pagination", param=by_type["cursor"], items=items, cursor=path
        )
    if kind == "url":
        url = _jsonpath(outputs.get("nextUrl"), ("$.", "$"))[0]
        return PagingRequest("next_url", "x-speakeasy-pagination", items=items, cursor=url)
    raise _Unmapped(f"type {kind!r} is not offsetLimit, cursor or url")


def _fern(value: Any, root: dict[str, Any]) -> PagingRequest:
    if value is True:  # the document's own x-fern-pagination applies
        value = root.get("x-fern-pagination")
    if not isinstance(value, dict):
        raise _Unmapped("expected a table, or true with one at the document's root")
    if value.get("type") == "custom":
        raise _Unmapped("custom pagination has no strategy to map onto")

    def request(key: str) -> str:
        text = value.get(key)
        if not isinstance(text, str) or not text.startswith("$request."):
            raise _Unmapped(f"{key}: {text!r} is not a $request. parameter")
        name = text[len("$request.") :]
        if "." in name:
            raise _Unmapped(f"{key}: {text!r} is in the request body")
        return name

    def response(key: str) -> tuple[str, ...]:
        return _jsonpath(value[key], ("$response.",))[0] if key in value else ()

    items = response("results") if "results" in value else None
    has_more = response("has-next-page")
    if "offset" in value:
        step = request("step") if "step" in value else ""
        strategy = "offset" if step else "page"  # without a step, the offset counts pages
        return PagingRequest(
            strategy,
            "x-fern-pagination",
            param=request("offset"),
            limit_param=step,
            items=items,
            has_more=has_more,
        )
    if "cursor" in value:
        return PagingRequest(
            "cursor",
            "x-fern-pagination",
            param=request("cursor"),
            items=items,
            cursor=response("next_cursor"),
            has_more=has_more,
        )
    for key in ("next_uri", "next_path"):
        if key in value:
            return PagingRequest("next_url", "x-fern-pagination", items=items, cursor=response(key))
    raise _Unmapped("no offset, cursor, next_uri or next_path")


def _azure(value: Any, root: dict[str, Any]) -> PagingRequest | object:
    if not isinstance(value, dict):
        raise _Unmapped("expected a table")
    link = value.get("nextLinkName")
    if link is None:
        return OFF  # absent or null (AutoRest's `x-ms-pageable: {}`): every item on one page
    item = value.get("itemName", "value")
    return PagingRequest("next_url", "x-ms-pageable", items=(str(item),), cursor=(str(link),))
