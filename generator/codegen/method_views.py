"""Views of the methods of a resource class: the signature (arguments in order, their annotations
and defaults), the docstring, the `Endpoint` and the `self._client.call(...)` arguments. Templates
lay the method out from these; every spec string passes through `py_literal` or `docstring`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qsl

from generator.codegen import deprecation, shapes
from generator.codegen.annotations import annotation as model_annotation
from generator.codegen.annotations import annotation_names, strip_null
from generator.codegen.defaults import DefaultRenderer
from generator.codegen.event_views import (
    ALWAYS_NOTE,
    STREAM_DOC,
    EventsView,
    StreamArgument,
    events_view,
)
from generator.codegen.literals import docstring, py_literal
from generator.codegen.pagination_views import PAGINATED_NOTE, PagingView, paging_view
from generator.codegen.request_views import (
    CallArgument,
    Constant,
    EndpointView,
    WireRules,
    dict_argument,
    encoding_argument,
    endpoint_name,
    endpoint_view,
    server_arguments,
    shared_constant,
)
from generator.model.api import Operation
from generator.model.types import NO_DEFAULT, ArrayOf, TypeExpr

PARAMETER_INDENT = " " * 8  # the parameters of a method's exploded signature
BODY_INDENT = " " * 8  # the statements of a method's body
NOT_GIVEN_NAMES = frozenset({"NotGiven", "NOT_GIVEN"})


def annotation(expr: TypeExpr) -> str:
    """Annotations inside resource classes (see `typing_generics`)."""
    return model_annotation(expr, typing_generics=True)


@dataclass
class ArgView:
    """A keyword-only parameter: `name: annotation = default`."""

    name: str
    annotation: str  # on one line
    default: str  # "" for required
    names: frozenset[str] = frozenset()  # the module-level names its annotation and default use
    doc: str = ""  # its line under `Args:` (raw spec text; the docstring filter escapes it)

    @cached_property  # read by the sync and the async method
    def laid_out_annotation(self) -> str:
        """The annotation as the signature writes it: long unions go in parentheses, as black
        writes long type hints."""
        tail = f" = {self.default}," if self.default else ","
        return shapes.parameter_annotation(PARAMETER_INDENT, self.name, self.annotation, tail)


def optional_arg(name: str, text: str, names: frozenset[str] | set[str], doc: str) -> ArgView:
    """An argument that may be left out: it defaults to the NOT_GIVEN sentinel, never sent."""
    return ArgView(name, text + " | NotGiven", "NOT_GIVEN", frozenset(names) | NOT_GIVEN_NAMES, doc)


@dataclass
class MethodView:
    name: str
    doc: str  # the docstring statement, escaped; its `METHOD /path` line is `http_line`
    http_line: str  # `METHOD /path` as the spec writes it
    args: list[ArgView]  # in signature order: required first, `request_options` last
    returns: str
    returns_annotation: str  # as the signature's closing `) -> ...:` line writes it
    endpoint: EndpointView
    call: list[CallArgument]  # after the endpoint and `request_options`
    call_one_line: tuple[bool, bool]  # whether the sync, the async `return` fits on one line
    names: frozenset[str]  # the module-level names its signature and its Endpoint use
    deprecated: shapes.Bracketed | None = None  # the arguments of `@_deprecated(...)`
    paging: PagingView | None = None  # a paginated method: it answers with pages
    returns_annotations: tuple[str, str] = ("", "")  # the sync and the async `) -> ...:`
    client_method: str = "call"  # `self._client.<this>(...)`: `paginate` for pages
    leading: list[str] = field(default_factory=list)  # its positional arguments
    awaits: bool = True  # False: the async method is a plain `def` (it returns an awaitable)
    events: EventsView | None = None  # a method answering with server-sent events
    overloads: list[OverloadView] = field(default_factory=list)  # its `@overload`s, in order


@dataclass
class OverloadView:
    """An `@overload` of the method: its arguments (the method's, `stream` typed its own way) and
    its sync and async `) -> ...:`."""

    args: list[ArgView]
    returns_annotations: tuple[str, str]


def method_view(
    op: Operation, defaults: DefaultRenderer, constants: dict[str, Constant]
) -> MethodView:
    args: list[ArgView] = []
    groups: dict[str, list[str]] = {"path": [], "query": [], "header": [], "cookie": []}
    wire = WireRules()
    for p in op.parameters:
        default_code = None if p.default is NO_DEFAULT else defaults.code(p.type, p.default)
        names = annotation_names(p.type, typing_generics=True)
        doc = p.description + (" (deprecated)" if p.deprecated else "")
        if p.required:
            args.append(
                ArgView(p.py_name, annotation(p.type), default_code or "", frozenset(names), doc)
            )
        else:
            if p.default is not NO_DEFAULT:
                doc = _sentences(doc, f"Server default: {p.default!r}.")
            args.append(optional_arg(p.py_name, annotation(p.type), names, doc))
        groups[p.location].append(f"{py_literal(p.name)}: {p.py_name}")
        wire.add(p)
    path, _, fixed = op.path.partition("?")
    if fixed:  # a query written into the path key (OpenAI's `/responses?beta=true`): always sent
        groups["query"] = [
            f"{py_literal(k)}: {py_literal(v)}" for k, v in parse_qsl(fixed, True)
        ] + groups["query"]
    # What the operation always sends goes into its module-level Endpoint; the call passes the rest.
    call = [
        dict_argument(keyword, groups[location])
        for location, keyword in (
            ("path", "path_params"),
            ("query", "query"),
            ("header", "headers"),
            ("cookie", "cookies"),
        )
        if groups[location]
    ]
    endpoint = [py_literal(op.method), py_literal(path), _cast_expr(op)]
    if op.result_kind != "json":
        endpoint.append(f"result={py_literal(op.result_kind)}")
    endpoint.extend(wire.arguments())
    if op.body is not None:
        _body(op, args, call, endpoint, constants)
    endpoint.extend(_endpoint_tail(op, constants))
    returns = annotation(op.result_type)
    name = endpoint_name(op.py_name)
    events = events_view(op, name, returns) if op.events and not op.pagination else None
    if events and events.stream:
        stream = events.stream
        args.append(ArgView("stream", stream.annotation, stream.default, events.names, STREAM_DOC))
    args.append(ArgView("request_options", "RequestOptions | None", "None"))
    uses = {"Endpoint", "RequestOptions"} | annotation_names(op.result_type, typing_generics=True)
    for error in op.error_types.values():
        uses |= annotation_names(error, typing_generics=True)
    uses.update(*(a.names for a in args))
    if op.deprecated:
        uses.add("_deprecated")
    ordered = _ordered(args)
    paging = paging_view(op.pagination, name, returns) if op.pagination else None
    client_method = "paginate" if paging else "call"
    leading = [name, paging.name, "request_options"] if paging else [name, "request_options"]
    one_line_call = [*leading, *(c.code for c in call)]
    awaits = paging is None
    sync_returns, async_returns = (
        (paging.sync_returns, paging.async_returns) if paging else (returns, returns)
    )
    if paging:
        uses |= paging.names
    overloads: list[OverloadView] = []
    if events:
        client_method = "events"
        leading = [name, events.name, "stream" if events.stream else "True", "request_options"]
        one_line_call = [*leading, *(c.code for c in call)]
        sync_returns, async_returns = events.sync_returns, events.async_returns
        uses |= events.names
        overloads = [_overload(ordered, o.stream, o.returns) for o in events.overloads]
    return MethodView(
        name=op.py_name,
        doc=docstring(_doc_text(op, ordered), BODY_INDENT),
        http_line=f"{op.method} {op.path}",
        args=ordered,
        returns=returns,
        returns_annotation=shapes.return_annotation("    ", sync_returns),
        endpoint=endpoint_view(name, returns, endpoint),
        call=call,
        call_one_line=(
            shapes.one_line(
                f"{BODY_INDENT}return self._client.{client_method}(", one_line_call, ")"
            ),
            shapes.one_line(
                f"{BODY_INDENT}return {'await ' if awaits else ''}self._client.{client_method}(",
                one_line_call,
                ")",
            ),
        ),
        names=frozenset(uses),
        deprecated=deprecation.decorator(op) if op.deprecated else None,
        paging=paging,
        returns_annotations=(
            shapes.return_annotation("    ", sync_returns),
            shapes.return_annotation("    ", async_returns),
        ),
        client_method=client_method,
        leading=leading,
        awaits=awaits,
        events=events,
        overloads=overloads,
    )


def _overload(
    args: list[ArgView], stream: StreamArgument, returns: tuple[str, str]
) -> OverloadView:
    """The method's arguments with `stream` typed as the overload types it; keyword-only, a
    `stream` without a default may stand after arguments with one."""
    typed = [
        ArgView(a.name, stream.annotation, stream.default, a.names) if a.name == "stream" else a
        for a in args
    ]
    return OverloadView(
        typed,
        (
            shapes.return_annotation("    ", returns[0], ": ..."),
            shapes.return_annotation("    ", returns[1], ": ..."),
        ),
    )


def _endpoint_tail(op: Operation, constants: dict[str, Constant]) -> list[str]:
    """The Endpoint's arguments after the body's: accept, errors, security and server."""
    tail = []
    if op.accept and op.accept != "application/json":
        tail.append(f"accept={py_literal(op.accept)}")
    if op.error_types:
        errors = [f"{py_literal(k)}: {annotation(v)}" for k, v in sorted(op.error_types.items())]
        tail.append(f"errors={shared_constant(constants, '_ERRORS', errors)}")
    if op.security is not None:
        security = py_literal(tuple(tuple(req) for req in op.security))
        tail.append(f"security={shared_constant(constants, '_SECURITY', security)}")
    if op.servers:  # the first of the operation's (or path's) servers, as for the root ones
        # Imported as _Server in resource modules: a spec may well have a model named Server.
        server = ("_Server", server_arguments(op.servers[0], "_"))
        tail.append(f"server={shared_constant(constants, '_SERVER', server)}")
    if op.deprecated:
        tail.append(deprecation.endpoint_argument(op))
    return tail


def _sentences(*parts: str) -> str:
    """Parts of one paragraph, each but the last closed with a full stop when it has no ending."""
    kept = [p.rstrip() for p in parts if p.strip()]
    return " ".join(
        p if i == len(kept) - 1 or p[-1] in ".!?:;" else p + "." for i, p in enumerate(kept)
    )


def _doc_text(op: Operation, args: list[ArgView]) -> str:
    """Summary, description, deprecation, the `METHOD /path` line, then `Args:` in signature order."""
    text = "\n\n".join(
        part
        for part in (
            op.summary,
            op.description if op.description != op.summary else "",
            "Deprecated." if op.deprecated else "",
            PAGINATED_NOTE if op.pagination else "",
            ALWAYS_NOTE if op.events and op.events.always and not op.pagination else "",
            f"{op.method} {op.path}",
        )
        if part
    )
    documented = [f"    {a.name}: {' '.join(a.doc.split())}" for a in args if a.doc]
    return text + "\n\nArgs:\n" + "\n".join(documented) if documented else text


def _ordered(args: list[ArgView]) -> list[ArgView]:
    """Required arguments first (stable), so signatures read well; all are keyword-only anyway."""
    return [a for a in args if not a.default] + [a for a in args if a.default]


def _cast_expr(op: Operation) -> str:
    return annotation(op.result_type) if op.result_kind == "json" else "None"


_BODY_KEYWORDS = {
    "json": "json",
    "form": "form",
    "multipart": "multipart",
    "binary": "content",
    "text": "content",
}


def _body(
    op: Operation,
    args: list[ArgView],
    call: list[CallArgument],
    endpoint: list[str],
    constants: dict[str, Constant],
) -> None:
    """The arguments, call arguments and Endpoint arguments of the request body: one argument per
    field of a form or multipart body, else one argument for the whole body."""
    body = op.body
    assert body is not None
    if body.fields:
        items = []
        for f in body.fields:
            text = "FileTypes" if f.is_file else annotation(f.type)
            names = {"FileTypes"} if f.is_file else annotation_names(f.type, typing_generics=True)
            if f.is_file and isinstance(strip_null(f.type), ArrayOf):
                text, names = "List[FileTypes]", {"List", "FileTypes"}
            if f.required:
                args.append(ArgView(f.py_name, text, "", frozenset(names), f.description))
            else:
                args.append(optional_arg(f.py_name, text, names, f.description))
            items.append(f"{py_literal(f.json_name)}: {f.py_name}")
        call.append(dict_argument("multipart" if body.kind == "multipart" else "form", items))
        files = tuple(f.json_name for f in body.fields if f.is_file)
        if body.kind == "multipart" and files:
            endpoint.append(f"files={py_literal(files)}")
        endpoint.extend(encoding_argument(body, constants))
        return
    if body.kind == "binary":
        text, names = "FileContent | os.PathLike[str]", {"FileContent", "os"}
    else:
        text, names = annotation(body.type), annotation_names(body.type, typing_generics=True)
    doc = body.description or "The request body."
    if body.required:
        args.append(ArgView(body.py_name, text, "", frozenset(names), doc))
    else:
        args.append(optional_arg(body.py_name, text, names, doc))
    endpoint.extend(encoding_argument(body, constants))
    keyword = _BODY_KEYWORDS[body.kind]
    call.append(CallArgument(keyword, value=body.py_name))
    if keyword == "content":
        endpoint.append(f"content_type={py_literal(body.media_type)}")
