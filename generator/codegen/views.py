"""Render-ready views of the model: every decision about generated code is made here, in Python,
so templates only lay text out. Every spec string passes through `py_literal` or `docstring`."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl

from generator.codegen import imports, layout
from generator.codegen.annotations import annotation as model_annotation
from generator.codegen.annotations import (
    annotation_names,
    dependency_order,
    discriminated_annotation,
    named_in,
    strip_null,
)
from generator.codegen.literals import docstring, py_literal
from generator.codegen.model_modules import ModelModules
from generator.codegen.pagination_views import PAGINATED_NOTE, PagedParts, paged_parts
from generator.model.api import (
    ANY,
    DEFAULT_STYLES,
    NO_DEFAULT,
    AliasDef,
    Api,
    ArrayOf,
    EnumDef,
    MapOf,
    ModelDef,
    Named,
    Nullable,
    Operation,
    Parameter,
    Primitive,
    RequestBody,
    Resource,
    Server,
    TypeExpr,
    UnionOf,
)

_FIELD_INDENT = "    "
_PARAMETER_INDENT = "        "
_BODY_INDENT = "        "


def annotation(expr: TypeExpr) -> str:
    """Annotations inside resource classes (see `typing_generics`)."""
    return model_annotation(expr, typing_generics=True)


@dataclass
class FieldView:
    name: str
    code: str  # `name: annotation = default`, laid out
    doc: str
    names: frozenset[str] = frozenset()  # the module-level names the code uses


@dataclass
class ClassView:
    name: str
    base: str
    doc: str
    fields: list[FieldView] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # enums: `NAME = literal`, laid out


@dataclass
class AliasView:
    name: str
    code: str  # `Name = annotation`, laid out
    discriminated: bool = False
    names: frozenset[str] = frozenset()  # the module-level names the code uses


@dataclass
class ArgView:
    name: str
    annotation: str
    default: str  # "" for required
    names: frozenset[str] = frozenset()  # the module-level names its annotation and default use

    def code(self) -> str:
        """The parameter's line(s) in an exploded signature."""
        tail = f" = {self.default}," if self.default else ","
        return layout.annotated(_PARAMETER_INDENT, self.name, self.annotation, tail)


@dataclass
class MethodView:
    name: str
    doc: str
    args: list[ArgView]
    parameters: list[str]  # laid out, one entry per parameter
    returns: str
    returns_line: str  # `    ) -> returns:`, laid out
    endpoint: str  # the module-level `_NAME: Endpoint[...] = Endpoint(...)`, laid out
    bodies: tuple[str, str]  # the sync and the async `return self._client.call(...)`, laid out
    names: frozenset[str]  # the module-level names its signature and its Endpoint use
    async_returns_line: str = ""  # the async class's, when it differs (a paginated method)
    awaits: bool = True  # False: the async method is a plain `def` (it returns an awaitable)

    @property
    def returns_lines(self) -> tuple[str, str]:
        """The sync and the async `) -> ...:` lines."""
        return self.returns_line, self.async_returns_line or self.returns_line


@dataclass
class VariantView:
    """What differs between the sync and the async classes of a resource."""

    prefix: str  # "" or "Async"
    is_async: bool
    raw_property: str  # the laid-out `def with_raw_response(self) -> ...:` line
    raw_return: str
    streaming_return: str
    streaming_property: str
    wrappers: list[tuple[str, str, list[str]]]  # (class name, `def __init__` line, assignments)
    client_property: str  # the client's `def resource(self) -> ...:` line
    client_import: str  # the import inside it


@dataclass
class ResourceView:
    module: str
    class_name: str
    doc: str
    methods: list[MethodView]
    variants: list[VariantView]
    imports: str  # the module's import block, laid out
    exports: str  # the laid-out `__all__ = [...]`
    constants: list[str]  # laid-out module-level statements


class DefaultRenderer:
    """Spec defaults as code, only when they fit the declared type (else the default is dropped)."""

    def __init__(self, enums: dict[str, EnumDef]) -> None:
        self.enums = enums

    def code(self, expr: TypeExpr, value: object) -> str | None:
        if value is None:
            return "None" if isinstance(expr, Nullable) else None
        expr = strip_null(expr)
        if isinstance(expr, Named):
            enum = self.enums.get(expr.name)
            if enum is None:
                return None
            for member in enum.members:
                if member.value == value and type(member.value) is type(value):
                    return f"{enum.name}.{member.py_name}"
            return None
        if isinstance(expr, Primitive):
            ok = {
                "str": isinstance(value, str),
                "int": isinstance(value, int) and not isinstance(value, bool),
                "float": isinstance(value, (int, float)) and not isinstance(value, bool),
                "bool": isinstance(value, bool),
                "any": isinstance(value, (str, int, float, bool)),
            }.get(expr.name, False)
            if ok and expr.name == "float" and isinstance(value, int):
                value = float(value)
            return py_literal(value) if ok else None
        if isinstance(expr, ArrayOf) and isinstance(value, list) and not value:
            return "[]"
        if (
            isinstance(expr, ArrayOf)
            and isinstance(value, list)
            and isinstance(expr.item, Primitive)
        ):
            return py_literal(value) if all(self.code(expr.item, v) for v in value) else None
        if isinstance(expr, MapOf) and isinstance(value, dict) and not value:
            return "{}"
        return None


def _sentences(*parts: str) -> str:
    """Parts of one paragraph, each but the last closed with a full stop when it has no ending."""
    kept = [p.rstrip() for p in parts if p.strip()]
    return " ".join(
        p if i == len(kept) - 1 or p[-1] in ".!?:;" else p + "." for i, p in enumerate(kept)
    )


def _doc_parts(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def class_views(api: Api) -> tuple[list[ClassView], list[ClassView], list[AliasView]]:
    enums = {d.name: d for d in api.definitions if isinstance(d, EnumDef)}
    defaults = DefaultRenderer(enums)
    enum_views, model_views, alias_views = [], [], []
    for definition in api.definitions:
        if isinstance(definition, EnumDef):
            base = "OpenIntEnum" if definition.value_type == "int" else "OpenStrEnum"
            members = [
                layout.assignment(_FIELD_INDENT, m.py_name, py_literal(m.value))
                for m in definition.members
            ]
            enum_views.append(
                ClassView(
                    definition.name,
                    base,
                    docstring(definition.description, "    "),
                    members=members,
                )
            )
        elif isinstance(definition, ModelDef):
            model_views.append(_model_view(definition, defaults))
        elif isinstance(definition, AliasDef):
            expr = definition.type
            if isinstance(expr, UnionOf) and expr.tags:
                code = layout.assignment("", definition.name, discriminated_annotation(expr))
                alias_views.append(
                    AliasView(
                        definition.name,
                        code,
                        True,
                        frozenset(
                            annotation_names(expr)
                            | {"Annotated", "Union", "_Tag", "_Discriminator"}
                        ),
                    )
                )
            else:
                code = layout.assignment("", definition.name, model_annotation(expr))
                alias_views.append(
                    AliasView(definition.name, code, names=frozenset(annotation_names(expr)))
                )
    order = dependency_order(
        {d.name: named_in(d.type) for d in api.definitions if isinstance(d, AliasDef)}
    )
    rank = {name: n for n, name in enumerate(order)}
    return enum_views, model_views, sorted(alias_views, key=lambda a: rank[a.name])


def _model_view(model: ModelDef, defaults: DefaultRenderer) -> ClassView:
    doc = _doc_parts(model.description or model.name, "Deprecated." if model.deprecated else "")
    view = ClassView(model.name, "BaseModel", docstring(doc, "    "))
    always_sent, read_only = [], []
    for f in model.fields:
        expr = f.type
        default = None if f.default is NO_DEFAULT else defaults.code(expr, f.default)
        if f.required and default is not None:
            always_sent.append(f.py_name)
        if f.read_only:
            read_only.append(f.py_name)
        if not f.required and default is None:
            default = "None"
            if not isinstance(expr, Nullable):
                expr = Nullable(expr)
        text = model_annotation(expr)
        names = annotation_names(expr)
        if f.json_name != f.py_name:
            names.add("Field")
            args = ([f"default={default}"] if default is not None else []) + [
                f"validation_alias={py_literal(f.json_name)}",
                f"serialization_alias={py_literal(f.json_name)}",
            ]
            code = layout.call_assignment(_FIELD_INDENT, f"{f.py_name}: {text}", "Field", args)
        else:
            code = layout.annotated_assignment(_FIELD_INDENT, f.py_name, text, default or "")
        notes = [f.description]
        if f.deprecated:
            notes.append("Deprecated.")
        if f.read_only:
            notes.append("Read-only: sent by the server, ignored in requests.")
        view.fields.append(
            FieldView(
                f.py_name, code, docstring(_doc_parts(*notes), _FIELD_INDENT), frozenset(names)
            )
        )
    for name, names in (("__required_defaults__", always_sent), ("__read_only__", read_only)):
        if names:  # see WireModel in the runtime's _models
            view.members.append(_class_tuple(name, names))
    if view.members:
        view.base = "WireModel"
    if model.extra is not None and model.extra != ANY:
        # Typed additionalProperties: pydantic validates the unnamed properties with this type.
        code = layout.annotated_assignment(
            _FIELD_INDENT,
            "__pydantic_extra__",
            f"dict[str, {model_annotation(model.extra)}]",
            "Field(init=False)",
        )
        view.fields.append(
            FieldView(
                "__pydantic_extra__",
                code,
                docstring("Properties beyond the named ones.", _FIELD_INDENT),
                frozenset(annotation_names(model.extra) | {"Field"}),
            )
        )
    return view


def _class_tuple(name: str, items: list[str]) -> str:
    """`name: ClassVar[tuple[str, ...]] = (...)`, exploded as black explodes a long tuple."""
    head = f"{name}: ClassVar[tuple[str, ...]] = "
    one_line = f"{_FIELD_INDENT}{head}{py_literal(tuple(items))}"
    if layout.fits(one_line):
        return one_line
    return layout.collection(_FIELD_INDENT, head, "(", [py_literal(item) for item in items])


def models_imports(
    enums: list[ClassView],
    models: list[ClassView],
    aliases: list[AliasView],
    siblings: Mapping[str, list[str]],
    definitions: set[str],
) -> str:
    """The import block of one module of the models package: what its classes, fields and aliases
    use, from the runtime and libraries, and the models of other modules (`siblings`: module ->
    names) that it refers to."""
    names = {"annotations"} | {c.base for c in enums + models}
    if any(c.base == "WireModel" for c in models):
        names.add("ClassVar")  # its __required_defaults__ and __read_only__
    names.update(*(f.names for c in models for f in c.fields), *(a.names for a in aliases))
    if any(a.discriminated for a in aliases):
        names |= {"Any", "Callable"}  # the `_discriminator` function
    own = {name: "." + module for module, names in siblings.items() for name in names}
    return imports.block(
        imports.imports_of(names - definitions, depth=1)
        + imports.imports_of(sorted(own), depth=0, own=own)
    )


# ---- resources ----------------------------------------------------------------------------------


def _arg_doc(name: str, text: str) -> str:
    return f"{name}: {text}" if text else ""


Constant = (
    str | list[str] | tuple[str, list[str]]
)  # code; the items of a dict; a call (function, arguments)


def method_view(
    op: Operation, defaults: DefaultRenderer, constants: dict[str, Constant]
) -> MethodView:
    args: list[ArgView] = []
    arg_docs: list[str] = []
    groups: dict[str, list[tuple[str, str]]] = {"path": [], "query": [], "header": [], "cookie": []}
    wire = _WireRules()
    for p in op.parameters:
        default_code = None if p.default is NO_DEFAULT else defaults.code(p.type, p.default)
        expr = p.type
        names = frozenset(annotation_names(expr, typing_generics=True))
        if p.required:
            args.append(ArgView(p.py_name, annotation(expr), default_code or "", names))
        else:
            args.append(
                ArgView(
                    p.py_name,
                    annotation(expr) + " | NotGiven",
                    "NOT_GIVEN",
                    names | {"NotGiven", "NOT_GIVEN"},
                )
            )
        groups[p.location].append((py_literal(p.name), p.py_name))
        wire.add(p)
        doc = p.description + (" (deprecated)" if p.deprecated else "")
        if p.default is not NO_DEFAULT and not p.required:
            doc = _sentences(doc, f"Server default: {p.default!r}.")
        arg_docs.append(_arg_doc(p.py_name, doc))
    path, _, fixed = op.path.partition("?")
    if fixed:  # a query written into the path key (OpenAI's `/responses?beta=true`): always sent
        groups["query"] = [
            (py_literal(k), py_literal(v)) for k, v in parse_qsl(fixed, True)
        ] + groups["query"]
    # What the operation always sends goes into its module-level Endpoint; the call passes the rest.
    call: list[tuple[str, str | list[str]]] = []  # (keyword, code or the items of a dict)
    for location, key in (
        ("path", "path_params"),
        ("query", "query"),
        ("header", "headers"),
        ("cookie", "cookies"),
    ):
        if groups[location]:
            call.append((key, [f"{k}: {v}" for k, v in groups[location]]))
    endpoint = [py_literal(op.method), py_literal(path), _cast_expr(op)]
    if op.result_kind != "json":
        endpoint.append(f"result={py_literal(op.result_kind)}")
    endpoint.extend(wire.arguments())
    if op.body is not None:
        _body_args(op, args, arg_docs, call, endpoint, constants)
    returns = annotation(op.result_type)
    uses = {"Endpoint", "RequestOptions"} | annotation_names(op.result_type, typing_generics=True)
    if op.accept and op.accept != "application/json":
        endpoint.append(f"accept={py_literal(op.accept)}")
    if op.error_types:
        errors = [f"{py_literal(k)}: {annotation(v)}" for k, v in sorted(op.error_types.items())]
        uses.update(*(annotation_names(v, typing_generics=True) for v in op.error_types.values()))
        endpoint.append(f"errors={_constant(constants, '_ERRORS', errors)}")
    if op.security is not None:
        security = py_literal(tuple(tuple(req) for req in op.security))
        endpoint.append(f"security={_constant(constants, '_SECURITY', security)}")
    if op.servers:  # the first of the operation's (or path's) servers, as for the root ones
        # Imported as _Server in resource modules: a spec may well have a model named Server.
        server = ("_Server", server_arguments(op.servers[0], "_"))
        endpoint.append(f"server={_constant(constants, '_SERVER', server)}")
    args.append(ArgView("request_options", "RequestOptions | None", "None"))
    uses.update(*(a.names for a in args))
    doc_text = _doc_parts(
        op.summary,
        op.description if op.description != op.summary else "",
        "Deprecated." if op.deprecated else "",
        PAGINATED_NOTE if op.pagination else "",
        f"{op.method} {op.path}",
    )
    ordered = _ordered(args)
    position = {a.name: i for i, a in enumerate(ordered)}  # document arguments in signature order
    arg_lines = sorted(
        (a for a in arg_docs if a), key=lambda a: position.get(a.split(":", 1)[0], len(position))
    )
    if arg_lines:
        doc_text += "\n\nArgs:\n" + "\n".join("    " + " ".join(a.split()) for a in arg_lines)
    name = _endpoint_name(op.py_name)
    view = MethodView(
        name=op.py_name,
        doc=docstring(doc_text, "        "),
        args=ordered,
        parameters=[a.code() for a in ordered],
        returns=returns,
        returns_line=layout.returns("    ", returns),
        endpoint=layout.call_assignment("", f"{name}: Endpoint[{returns}]", "Endpoint", endpoint),
        bodies=(
            _call_statement("return self._client.call", name, call),
            _call_statement("return await self._client.call", name, call),
        ),
        names=frozenset(uses),
    )
    if op.pagination is not None:
        return _paginated(view, paged_parts(op.pagination, name, returns, call))
    return view


def _paginated(view: MethodView, paged: PagedParts) -> MethodView:
    """A paginated method answers with pages: `SyncPage`, and in the async class a plain `def`
    answering with an `AsyncPaginator` (awaitable, and async-iterable without an await)."""
    return replace(
        view,
        returns=paged.sync_returns,
        returns_line=layout.returns("    ", paged.sync_returns),
        async_returns_line=layout.returns("    ", paged.async_returns),
        awaits=False,
        endpoint=view.endpoint + "\n" + paged.declaration,
        bodies=(paged.body, paged.body),
        names=view.names | paged.names,
    )


class _WireRules:
    """What the runtime needs to serialise an operation's parameters beyond the defaults: the
    Endpoint's `styles`, `allow_reserved` and `param_media` arguments."""

    def __init__(self) -> None:
        self.styles: list[str] = []
        self.reserved: list[str] = []
        self.media: list[str] = []

    def add(self, p: Parameter) -> None:
        key = f"({py_literal(p.location)}, {py_literal(p.name)})"
        if p.media_type:
            self.media.append(f"{key}: {py_literal(p.media_type)}")
        elif (p.style, p.explode) != DEFAULT_STYLES[p.location]:
            self.styles.append(f"{key}: ({py_literal(p.style)}, {p.explode})")
        if p.allow_reserved and not p.media_type:
            self.reserved.append(py_literal(p.name))

    def arguments(self) -> list[str]:
        out = []
        if self.styles:
            out.append("styles={" + ", ".join(self.styles) + "}")
        if self.reserved:
            out.append(
                "allow_reserved=("
                + ", ".join(self.reserved)
                + ("," if len(self.reserved) == 1 else "")
                + ")"
            )
        if self.media:
            out.append("param_media={" + ", ".join(self.media) + "}")
        return out


def _endpoint_name(method: str) -> str:
    """The module-level constant of an operation: its method's name in capitals, cut short (with a
    hash, so it stays unique) when so long that no layout of its declaration would fit 100 columns."""
    name = "_" + method.upper()
    if re.fullmatch(
        r"_(ERRORS|SECURITY|SERVER|ENCODING)_[0-9]+|_PAGES_.*", name
    ):  # the names of the shared constants, and of Paging declarations
        return name + "_ENDPOINT"
    if len(name) <= 48:
        return name
    return f"{name[:39]}_{hashlib.sha256(name.encode()).hexdigest()[:8].upper()}"


def _call_statement(head: str, endpoint: str, call: list[tuple[str, str | list[str]]]) -> str:
    """`return self._client.call(endpoint, request_options, path_params={...}, ...)`, laid out."""
    arguments = [endpoint, "request_options"] + [
        f"{key}={{{', '.join(value)}}}" if isinstance(value, list) else f"{key}={value}"
        for key, value in call
    ]
    return layout.call(_BODY_INDENT, head, arguments)


def _ordered(args: list[ArgView]) -> list[ArgView]:
    """Required arguments first (stable), so signatures read well; all are keyword-only anyway."""
    return [a for a in args if not a.default] + [a for a in args if a.default]


def _body_args(
    op: Operation,
    args: list[ArgView],
    docs: list[str],
    call: list[tuple[str, str | list[str]]],
    endpoint: list[str],
    constants: dict[str, Constant],
) -> None:
    body = op.body
    assert body is not None
    if body.fields:
        items = []
        for f in body.fields:
            text = "FileTypes" if f.is_file else annotation(f.type)
            names = {"FileTypes"} if f.is_file else annotation_names(f.type, typing_generics=True)
            if f.is_file and isinstance(strip_null(f.type), ArrayOf):
                text = "List[FileTypes]"
                names = {"List", "FileTypes"}
            if f.required:
                args.append(ArgView(f.py_name, text, "", frozenset(names)))
            else:
                args.append(
                    ArgView(
                        f.py_name,
                        text + " | NotGiven",
                        "NOT_GIVEN",
                        frozenset(names | {"NotGiven", "NOT_GIVEN"}),
                    )
                )
            items.append(f"{py_literal(f.json_name)}: {f.py_name}")
            docs.append(_arg_doc(f.py_name, f.description))
        if body.kind == "multipart":
            call.append(("multipart", items))
            files = tuple(f.json_name for f in body.fields if f.is_file)
            if files:
                endpoint.append(f"files={py_literal(files)}")
        else:
            call.append(("form", items))
        _encoding_arg(body, endpoint, constants)
        return
    if body.kind == "binary":
        text, names = "FileContent | os.PathLike[str]", {"FileContent", "os"}
    else:
        text, names = annotation(body.type), annotation_names(body.type, typing_generics=True)
    name = body.py_name
    if body.required:
        args.append(ArgView(name, text, "", frozenset(names)))
    else:
        args.append(
            ArgView(
                name,
                text + " | NotGiven",
                "NOT_GIVEN",
                frozenset(names | {"NotGiven", "NOT_GIVEN"}),
            )
        )
    docs.append(_arg_doc(name, body.description or "The request body."))
    _encoding_arg(body, endpoint, constants)
    key = {
        "json": "json",
        "form": "form",
        "multipart": "multipart",
        "binary": "content",
        "text": "content",
    }[body.kind]
    call.append((key, name))
    if key == "content":
        endpoint.append(f"content_type={py_literal(body.media_type)}")


def _encoding_arg(body: RequestBody, endpoint: list[str], constants: dict[str, Constant]) -> None:
    """`encoding=` of the Endpoint: the body's Encoding Objects, as runtime PartEncodings."""
    items = []
    for part in body.encoding:
        arguments = [f"content_type={py_literal(part.content_type)}"] if part.content_type else []
        if part.style:
            arguments.append(f"style={py_literal(part.style)}")
        if part.explode is not None:
            arguments.append(f"explode={part.explode}")
        if part.headers:
            arguments.append(
                "headers={"
                + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in part.headers)
                + "}"
            )
        if arguments:
            items.append(f"{py_literal(part.json_name)}: _PartEncoding({', '.join(arguments)})")
    if items:
        endpoint.append(f"encoding={_constant(constants, '_ENCODING', items)}")


def _cast_expr(op: Operation) -> str:
    if op.result_kind != "json":
        return "None"
    return annotation(op.result_type)


def _constant(constants: dict[str, Constant], prefix: str, value: Constant) -> str:
    """A module-level constant shared by the operations that need the same value (code, or the
    items of a dict)."""
    for name, existing in constants.items():
        if existing == value:
            return name
    name = f"{prefix}_{sum(1 for n in constants if n.startswith(prefix))}"
    constants[name] = value
    return name


def server_arguments(server: Server, prefix: str = "") -> list[str]:
    """The arguments of the runtime's `Server(...)` for a server of the spec (`prefix`: of the name
    the module imports `ServerVariable` as)."""
    arguments = [py_literal(server.url)]
    if server.variables:
        variables = [
            f"{prefix}ServerVariable({py_literal(v.name)}, {py_literal(v.default)}"
            + (f", {py_literal(tuple(v.enum))})" if v.enum else ")")
            for v in server.variables
        ]
        arguments.append("(" + ", ".join(variables) + ("," if len(variables) == 1 else "") + ")")
    return arguments


def _constant_statement(name: str, value: Constant) -> str:
    if isinstance(value, tuple):
        return layout.call_assignment("", f"{name}: Any", value[0], value[1])
    if isinstance(value, list):
        return layout.collection("", f"{name}: Any = ", "{", value)
    return f"{name}: Any = {value}"


def resource_views(api: Api, modules: ModelModules) -> list[ResourceView]:
    defaults = DefaultRenderer({d.name: d for d in api.definitions if isinstance(d, EnumDef)})
    return [resource_view(resource, defaults, modules) for resource in api.resources]


# What every resource module uses: the base classes, the client's type and the wrapper properties.
_RESOURCE_NAMES = frozenset(
    {
        "annotations",
        "cached_property",
        "AsyncAPIClient",
        "SyncAPIClient",
        "AsyncAPIResource",
        "SyncAPIResource",
    }
)
_WRAPPERS = frozenset(
    {
        "to_raw_response_wrapper",
        "to_streamed_response_wrapper",
        "async_to_raw_response_wrapper",
        "async_to_streamed_response_wrapper",
    }
)


def resource_view(
    resource: Resource, defaults: DefaultRenderer, modules: ModelModules
) -> ResourceView:
    constants: dict[str, Constant] = {}
    methods = [method_view(op, defaults, constants) for op in resource.operations]
    names = set(_RESOURCE_NAMES).union(*(m.names for m in methods))
    if methods:
        names |= _WRAPPERS
    if constants:
        names.add("Any")  # their annotation
    servers = [op.servers[0] for op in resource.operations if op.servers]
    if servers:
        names.add(
            "_Server"
        )  # imported under a private name: a spec may well have a model named Server
    if any(s.variables for s in servers):
        names.add("_ServerVariable")
    if any(name.startswith("_ENCODING") for name in constants):
        names.add("_PartEncoding")
    return ResourceView(
        module=resource.attr_name,
        class_name=resource.class_name,
        doc=docstring(
            resource.description or f"Operations of {resource.tag or 'the API'}.", "    "
        ),
        methods=methods,
        variants=[_variant(resource, methods, is_async) for is_async in (False, True)],
        # Each model from its own module, so the resource loads only the models its operations meet.
        imports=imports.block(
            imports.imports_of(
                names,
                depth=1,
                own={
                    name: ".models." + modules.module_of[name]
                    for name in names
                    if name in modules.module_of
                },
            )
        ),
        exports=layout.collection(
            "",
            "__all__ = ",
            "[",
            [py_literal(n) for n in (resource.class_name, "Async" + resource.class_name)],
        ),
        constants=[_constant_statement(name, value) for name, value in sorted(constants.items())]
        + [m.endpoint for m in methods],
    )


def _variant(resource: Resource, methods: list[MethodView], is_async: bool) -> VariantView:
    prefix = "Async" if is_async else ""
    resource_class = prefix + resource.class_name
    wrappers = []
    for kind, wrapper in (
        ("WithRawResponse", "to_raw_response_wrapper"),
        ("WithStreamingResponse", "to_streamed_response_wrapper"),
    ):
        function = ("async_" if is_async else "") + wrapper
        init = layout.signature(
            "    ", "def __init__", ["self", f"resource: {resource_class}"], " -> None:"
        )
        lines = [
            layout.call_assignment("        ", f"self.{m.name}", function, [f"resource.{m.name}"])
            for m in methods
        ]
        wrappers.append(
            (resource_class + kind, init, lines or ["        self._resource = resource"])
        )
    return VariantView(
        prefix=prefix,
        is_async=is_async,
        raw_return=layout.call("        ", f"return {resource_class}WithRawResponse", ["self"]),
        streaming_return=layout.call(
            "        ", f"return {resource_class}WithStreamingResponse", ["self"]
        ),
        raw_property=layout.signature(
            "    ", "def with_raw_response", ["self"], f" -> {resource_class}WithRawResponse:"
        ),
        streaming_property=layout.signature(
            "    ",
            "def with_streaming_response",
            ["self"],
            f" -> {resource_class}WithStreamingResponse:",
        ),
        wrappers=wrappers,
        client_property=layout.signature(
            "    ", f"def {resource.attr_name}", ["self"], f" -> {resource_class}:"
        ),
        client_import=layout.import_from(
            "        ", f".resources.{resource.attr_name}", [resource_class]
        ),
    )
