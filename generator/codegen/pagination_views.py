"""The code of a paginated method (issue 12): its return annotations, the module-level `Paging`
declaration beside its Endpoint, and the `return self._client.paginate(...)` of its bodies. The
method views use these few parts only, so the wiring stays in one place."""

from __future__ import annotations

from dataclasses import dataclass

from generator.codegen import layout, shapes
from generator.codegen.annotations import annotation as model_annotation
from generator.codegen.annotations import annotation_names
from generator.codegen.literals import py_literal
from generator.model import naming
from generator.model.api import Api, FieldPath, Pagination
from generator.model.pagination import describe
from generator.model.types import Named

# Resource modules import these; every runtime name is reserved, so no spec name takes them.
NAMES = frozenset({"Paging", "SyncPage", "AsyncPaginator"})
PAGINATED_NOTE = (
    "Paginated: iterating the result yields the items of every page, each page fetched when the "
    "loop reaches it."
)


@dataclass(frozen=True)
class PagingView:
    """A paginated method: its answers (`SyncPage[Fax, FaxList]`; in the async class a plain `def`
    answering `AsyncPaginator[Fax, FaxList]`, awaitable and async-iterable) and the module-level
    `name: Paging[item] = Paging(arguments)` beside its Endpoint."""

    name: str  # `_PAGES_LIST_FAXES`
    item: str  # the items' annotation
    arguments: list[str]
    one_line: bool
    code: str  # the declaration laid out by `layout`, where neither shape is black's ("" if not)
    sync_returns: str
    async_returns: str
    names: frozenset[str]


def paging_view(pagination: Pagination, endpoint: str, result: str) -> PagingView:
    """`endpoint`: the name of the operation's Endpoint; `result`: its answer's annotation."""
    item = model_annotation(pagination.item_type, typing_generics=True)
    name = "_PAGES" + endpoint
    arguments = paging_arguments(pagination)
    head = f"{name}: Paging[{item}] = Paging("
    one_line = shapes.one_line(head, arguments, ")")
    code = ""
    if not one_line and not shapes.exploded_fits(head, arguments):
        code = layout.call_assignment("", f"{name}: Paging[{item}]", "Paging", arguments)
    return PagingView(
        name=name,
        item=item,
        arguments=arguments,
        one_line=one_line,
        code=code,
        sync_returns=f"SyncPage[{item}, {result}]",
        async_returns=f"AsyncPaginator[{item}, {result}]",
        names=NAMES | annotation_names(pagination.item_type, typing_generics=True),
    )


def paging_arguments(p: Pagination) -> list[str]:
    """The arguments of the runtime's `Paging(...)`: the strategy, and what differs from its
    defaults."""
    arguments = [py_literal(p.strategy)]

    def path(key: str, value: FieldPath) -> None:
        if value.steps:
            arguments.append(f"{key}={py_literal(value.steps)}")

    path("items", p.items)
    for key, text in (
        ("param", p.param),
        ("limit_param", p.limit_param),
        ("before_param", p.before_param),
    ):
        if text:
            arguments.append(f"{key}={py_literal(text)}")
    for key, number in (("default_limit", p.default_limit), ("max_limit", p.max_limit)):
        if number is not None:
            arguments.append(f"{key}={number}")
    if p.first:
        arguments.append(f"first={p.first}")
    path("cursor", p.cursor)
    path("has_more", p.has_more)
    path("total", p.total)
    path("total_pages", p.total_pages)
    if p.id_field and p.id_field != "id":
        arguments.append(f"id_field={py_literal(p.id_field)}")
    return arguments


@dataclass(frozen=True)
class PaginationReadme:
    """What the generated README shows of pagination: a loop over the first paginated operation,
    and a line per paginated operation saying how it pages."""

    call: str  # `client.faxes.list_faxes()`, as the README's examples write it
    item: str  # the loop variable: `fax`
    response: str  # the answer's annotation: `FaxList`
    operations: list[tuple[str, str]]  # (`client.faxes.list_faxes`, how it pages)


def pagination_readme(api: Api, calls: dict[tuple[str, str], str]) -> PaginationReadme | None:
    """`calls`: the README's example call of each (resource, method)."""
    found = [
        (resource.dotted, op)
        for resource in api.resources
        for op in resource.operations
        if op.pagination is not None
    ]
    if not found:
        return None
    resource, op = found[0]
    assert op.pagination is not None
    item = op.pagination.item_type
    name = naming.param_name(item.name) if isinstance(item, Named) else "item"
    return PaginationReadme(
        call=calls[(resource, op.py_name)],
        item=name if name not in ("client", "page") else "item",
        response=model_annotation(op.result_type),
        operations=[
            (
                f"client.{r}.{o.py_name}",
                " ".join(describe(o.pagination).replace("|", "\\|").split()),
            )
            for r, o in found
            if o.pagination is not None
        ],
    )
