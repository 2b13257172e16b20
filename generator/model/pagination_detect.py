"""Detection of the common pagination patterns, from an operation's query parameters and the
fields of its answer. Conservative: a pattern is proposed only when both the request parameter and
the answer's field exist, by the names these patterns use; `pagination.resolve` then checks their
types, and whatever fails leaves the method plain."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.model.api import Operation, Parameter
from generator.model.types import TypeExpr
from generator.pagination_config import PagingRequest

if TYPE_CHECKING:
    from generator.model.pagination_shapes import Shapes

# Where list answers keep their items, most telling first.
_ITEM_FIELDS = (
    "data",
    "items",
    "results",
    "records",
    "entries",
    "values",
    "value",
    "objects",
    "elements",
    "nodes",
    "list",
)
# Objects that wrap the items (Fax.Plus: `data.records`) or the paging fields (`meta.next_cursor`).
_WRAPPERS = ("data", "result", "response", "payload")
_META = (
    "meta",
    "metadata",
    "responsemetadata",
    "pagination",
    "paging",
    "pageinfo",
    "links",
    "cursors",
)
# A cursor parameter and the answer fields that carry the next value for it (normalized names).
_CURSORS = {
    "cursor": ("nextcursor", "cursor", "endcursor"),
    "pagetoken": ("nextpagetoken",),
    "nextpagetoken": ("nextpagetoken",),
    "nexttoken": ("nexttoken",),
    "continuationtoken": ("continuationtoken", "nextcontinuationtoken"),
    "continue": ("continue",),
    "marker": ("nextmarker",),
    "page": ("nextpage",),  # a string `page` (Stripe's search); an integer one counts pages
    "offset": ("offset", "nextoffset"),  # a string `offset` (Airtable); an integer one counts items
}
_AFTER_ID = {"startingafter": "endingbefore", "after": "before"}
_HAS_MORE = ("hasmore", "more", "hasnext", "hasnextpage")
_NEXT_URLS = ("next", "nextpageuri", "nextpageurl", "nexturl", "nextlink", "odatanextlink")
_OFFSETS = ("offset", "skip")
_PAGES = ("page", "pagenumber", "pageno", "pagenum")
_LIMITS = ("limit", "top", "pagesize", "perpage", "maxresults", "count")
_TOTALS = ("total", "totalcount", "totalitems", "totalresults", "totalrecords", "totalsize")
_TOTAL_PAGES = ("totalpages", "pagecount", "numpages")


def norm(name: str) -> str:
    """`next_page_token`, `nextPageToken` and `$skip` compare as `nextpagetoken` and `skip`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def find_items(shapes: Shapes, expr: TypeExpr) -> tuple[str, ...] | None:
    """The JSON path of the item list of a list answer: the answer itself when it is an array,
    else its only array field, or the array field a list answer usually holds its items in;
    one level down in a wrapper object (`data.records`)."""
    if shapes.array_item(expr) is not None:
        return ()
    own = _array_field(shapes, expr)
    if own is not None:
        return (own,)
    for json_name, _, field_type in shapes.fields(expr):
        if norm(json_name) in _WRAPPERS:
            inner = _array_field(shapes, field_type)
            if inner is not None:
                return (json_name, inner)
    return None


# Arrays beside the items that are not them (Square's answers carry `errors`).
_NOT_ITEMS = ("errors", "warnings", "messages")


def _array_field(shapes: Shapes, expr: TypeExpr) -> str | None:
    arrays = [
        name
        for name, _, t in shapes.fields(expr)
        if shapes.array_item(t) is not None and norm(name) not in _NOT_ITEMS
    ]
    if len(arrays) == 1:
        return arrays[0]
    for preferred in _ITEM_FIELDS:
        for name in arrays:
            if norm(name) == preferred:
                return name
    return None


class _Answer:
    """The answer's scalar fields by normalized name: top-level ones, then those of its meta
    objects (`response_metadata.next_cursor`, `links.next`, `_links.next.href`)."""

    def __init__(self, shapes: Shapes, expr: TypeExpr) -> None:
        self.shapes = shapes
        self.found: dict[str, tuple[tuple[str, ...], str]] = {}
        self._collect(expr, (), 0)

    def _collect(self, expr: TypeExpr, prefix: tuple[str, ...], depth: int) -> None:
        nested = []
        for json_name, _, field_type in self.shapes.fields(expr):
            kind = self.shapes.scalar(field_type)
            if kind and kind != "any":
                self.found.setdefault(norm(json_name), ((*prefix, json_name), kind))
            else:
                nested.append((json_name, field_type))
        for json_name, field_type in nested:  # the answer's own fields first
            key, path = norm(json_name), (*prefix, json_name)
            if depth and key == "next":  # `_links.next.href`
                href = self.shapes.field(field_type, "href")
                if href and self.shapes.scalar(href[1]) == "str":
                    self.found.setdefault("next", ((*path, "href"), "str"))
            elif depth < 2 and key in _META:
                self._collect(field_type, path, depth + 1)

    def get(self, names: tuple[str, ...], kind: str) -> tuple[str, ...] | None:
        for name in names:
            found = self.found.get(name)
            if found is not None and found[1] == kind:
                return found[0]
        return None


def detect(op: Operation, shapes: Shapes, link_header: bool) -> PagingRequest | None:
    """The pagination an operation's parameters and answer show, or None."""
    if op.method != "GET" or op.result_kind != "json":
        return None
    items = find_items(shapes, op.result_type)
    if items is None:
        return None
    query = {norm(p.name): p for p in op.parameters if p.location == "query"}
    answer = _Answer(shapes, op.result_type)
    for rule in (_last_id, _cursor, _next_url, _link, _offset, _page):
        found = rule(query, answer, shapes, items, link_header)
        if found is not None:
            return found
    return None


def _param(query: dict[str, Parameter], names: tuple[str, ...], kind: str, shapes: Shapes) -> str:
    for name in names:
        found = query.get(name)
        if found is not None and shapes.scalar(found.type) == kind:
            return found.name
    return ""


def _has_more(answer: _Answer) -> tuple[str, ...]:
    return answer.get(_HAS_MORE, "bool") or ()


def _last_id(
    query: dict[str, Parameter],
    answer: _Answer,
    shapes: Shapes,
    items: tuple[str, ...],
    link_header: bool,
) -> PagingRequest | None:
    """Stripe: `starting_after` (OpenAI: `after`) takes the last item's id while `has_more`."""
    for after, before in _AFTER_ID.items():
        param = _param(query, (after,), "str", shapes)
        has_more = answer.get(("hasmore",), "bool")
        if param and has_more:
            return PagingRequest(
                "last_id",
                "detected",
                param=param,
                items=items,
                has_more=has_more,
                before_param=_param(query, (before,), "str", shapes),
            )
    return None


def _cursor(
    query: dict[str, Parameter],
    answer: _Answer,
    shapes: Shapes,
    items: tuple[str, ...],
    link_header: bool,
) -> PagingRequest | None:
    for name, fields in _CURSORS.items():
        param = _param(query, (name,), "str", shapes)
        cursor = answer.get(fields, "str")
        if param and cursor:
            return PagingRequest(
                "cursor",
                "detected",
                param=param,
                items=items,
                cursor=cursor,
                has_more=_has_more(answer),
            )
    return None


def _next_url(
    query: dict[str, Parameter],
    answer: _Answer,
    shapes: Shapes,
    items: tuple[str, ...],
    link_header: bool,
) -> PagingRequest | None:
    url = answer.get(_NEXT_URLS, "str")
    if url is None:
        return None
    if url[-1] == "next" and any(name in query for name in _CURSORS if name != "offset"):
        return None  # `next` beside a cursor parameter may well be a cursor, not a URL
    return PagingRequest("next_url", "detected", items=items, cursor=url)


def _link(
    query: dict[str, Parameter],
    answer: _Answer,
    shapes: Shapes,
    items: tuple[str, ...],
    link_header: bool,
) -> PagingRequest | None:
    if not link_header:
        return None
    return PagingRequest("link_header", "detected", items=items)


def _offset(
    query: dict[str, Parameter],
    answer: _Answer,
    shapes: Shapes,
    items: tuple[str, ...],
    link_header: bool,
) -> PagingRequest | None:
    offset = _param(query, _OFFSETS, "int", shapes)
    limit = _param(query, _LIMITS, "int", shapes)
    if not offset or not limit:
        return None
    return PagingRequest(
        "offset",
        "detected",
        param=offset,
        limit_param=limit,
        items=items,
        has_more=_has_more(answer),
        total=_total(answer, _TOTALS),
    )


def _total(answer: _Answer, names: tuple[str, ...]) -> tuple[str, ...]:
    """A count field: an integer, or a `number` (GitHub's `total_count`)."""
    return answer.get(names, "int") or answer.get(names, "float") or ()


def _page(
    query: dict[str, Parameter],
    answer: _Answer,
    shapes: Shapes,
    items: tuple[str, ...],
    link_header: bool,
) -> PagingRequest | None:
    page = _param(query, _PAGES, "int", shapes)
    size = _param(query, _LIMITS + ("size",), "int", shapes)
    if not page or not size:
        return None
    if first_position("page", query[norm(page)]) is None:
        return None  # 0 or 1? Guessing wrong would skip the first page's successor
    return PagingRequest(
        "page",
        "detected",
        param=page,
        limit_param=size,
        items=items,
        has_more=_has_more(answer),
        total=_total(answer, _TOTALS),
        total_pages=_total(answer, _TOTAL_PAGES),
    )


def first_position(strategy: str, param: Parameter | None) -> int | None:
    """Where the first page starts when the call gives no position: the parameter's default,
    else for page numbers its minimum (0 or 1); None when the spec does not say."""
    if param is None:
        return None
    default = _whole(param.default)
    if default is not None:
        return default
    if strategy == "page" and _whole(param.minimum) in (0, 1):
        return _whole(param.minimum)
    return None if strategy == "page" else 0


def _whole(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if float(value).is_integer() else None
