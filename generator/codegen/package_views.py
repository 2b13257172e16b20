"""Render-ready views of the package around the resources: the client module's arguments and the
README's examples (an example call per operation, the upload example). Like the other views, every
spec string passes through `py_literal`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.codegen import imports, shapes
from generator.codegen.annotations import strip_null
from generator.codegen.literals import py_literal
from generator.codegen.request_views import server_arguments
from generator.codegen.resource_views import ResourceView
from generator.codegen.shapes import Bracketed
from generator.model.api import Api, Server
from generator.model.types import NO_DEFAULT, ArrayOf, EnumDef, ModelDef, Named, Primitive, TypeExpr


@dataclass
class ClientView:
    """The client module: the arguments of its `ClientSpec(...)` and of `super().__init__(...)`,
    each a dict (or a call, a tuple) written on one line or one item a line."""

    schemes: Bracketed
    header_arguments: Bracketed
    argument_env: Bracketed
    credentials: Bracketed  # in `super().__init__(`
    header_values: Bracketed  # in `super().__init__(`
    server: Bracketed | None  # `Server(...)`; None: `server=None`
    server_variables: Bracketed | None  # the names of the server variables, if any
    imports: str  # the module's import block
    type_imports: str  # the resource classes, imported under TYPE_CHECKING ("" without resources)
    names: frozenset[str]  # the module-level names the module uses
    oauth_flows: Bracketed | None = None  # the API's OAuth2 token endpoints, if any


def _root_server(api: Api) -> Server | None:
    """The first root server, when its URL is absolute (a relative one needs the user's base_url)."""
    if api.servers and "://" in api.servers[0].default_url:
        return api.servers[0]
    return None


_SPEC_INDENT = "    "  # the arguments of `ClientSpec(`
_INIT_INDENT = " " * 12  # the arguments of `super().__init__(`
# What every client module uses.
_CLIENT_NAMES = frozenset(
    {
        "annotations",
        "Mapping",
        "httpx",
        "DEFAULT_MAX_RETRIES",
        "TYPE_CHECKING",
        "AsyncAPIClient",
        "ClientSpec",
        "SyncAPIClient",
        "NOT_GIVEN",
        "NotGiven",
        "TimeoutTypes",
    }
)


def _dict(indent: str, keyword: str, items: list[str]) -> Bracketed:
    return shapes.bracketed(f"{indent}{keyword}=", "{", items, "}", ",")


def client_view(api: Api) -> ClientView:
    arguments = api.client_arguments
    root = _root_server(api)
    variable_names = sorted(
        {
            v.name
            for s in [*api.servers, *(s for op in api.operations for s in op.servers or [])]
            for v in s.variables
        }
    )
    names = set(_CLIENT_NAMES)
    if api.security_schemes:
        names.add("Scheme")
    if api.resources:
        names.add("cached_property")
    own = {
        prefix + r.class_name: f".resources.{r.module_name}"
        for r in api.resources
        if len(r.path) <= 1
        for prefix in ("", "Async")
    }
    if root:
        names.add("Server")
    if root and root.variables:
        names.add("ServerVariable")
    flows = _oauth_flows(api)
    if flows:
        names |= {"OAuth2", "OAuthFlow"}
    schemes = [
        f"{py_literal(s.key)}: Scheme({py_literal(s.kind)}, {py_literal(s.credential)}, "
        f"{py_literal(s.location)}, {py_literal(s.param_name)})"
        for s in api.security_schemes
    ]
    return ClientView(
        oauth_flows=flows,
        server=shapes.bracketed(
            f"{_SPEC_INDENT}server=", "Server(", server_arguments(root), ")", ","
        )
        if root
        else None,
        server_variables=shapes.bracketed(
            f"{_SPEC_INDENT}server_variables=",
            "(",
            [py_literal(n) for n in variable_names],
            ")",
            ",",
            text=py_literal(tuple(variable_names)),
        )
        if variable_names
        else None,
        schemes=_dict(_SPEC_INDENT, "schemes", schemes),
        header_arguments=_dict(
            _SPEC_INDENT,
            "header_arguments",
            [f"{py_literal(a.py_name)}: {py_literal(a.header)}" for a in arguments if a.header],
        ),
        argument_env=_dict(
            _SPEC_INDENT,
            "argument_env",
            [f"{py_literal(a.py_name)}: {py_literal(a.env_var)}" for a in arguments],
        ),
        credentials=_dict(
            _INIT_INDENT,
            "credentials",
            [f"{py_literal(a.py_name)}: {a.py_name}" for a in arguments if not a.header],
        ),
        header_values=_dict(
            _INIT_INDENT,
            "header_values",
            [f"{py_literal(a.py_name)}: {a.py_name}" for a in arguments if a.header],
        ),
        imports=imports.block(imports.imports_of(names, depth=0)),
        # `Hooks` only annotates the clients' argument: `_hooks` is imported when hooks are given.
        type_imports=imports.block(
            imports.imports_of([*own, "Hooks"], depth=0, own=own), indent="    "
        ),
        names=frozenset(names),
    )


def _oauth_flows(api: Api) -> Bracketed | None:
    """The `oauth_flows=` argument of the client's spec: the API's OAuth2 token endpoints."""
    flows = [
        f"OAuthFlow({py_literal(f.kind)}, {py_literal(f.token_url)}, "
        f"{py_literal(f.refresh_url)}, {py_literal(tuple(f.scopes))})"
        for f in api.oauth_flows
    ]
    if not flows:
        return None
    one_item = f"({flows[0]},)" if len(flows) == 1 else ""
    return shapes.bracketed(f"{_SPEC_INDENT}oauth_flows=", "(", flows, ")", ",", text=one_item)


# What the package root exports besides the clients and the exceptions, by module.
ROOT_EXPORTS = {
    "APIResponse": "._response",
    "AsyncAPIResponse": "._response",
    "NOT_GIVEN": "._types",
    "NotGiven": "._types",
    "FileTypes": "._types",
    "RequestOptions": "._types",
    "Hooks": "._hooks",
    "RequestEvent": "._hooks",
    "ResponseEvent": "._hooks",
    "RetryEvent": "._hooks",
    "ErrorEvent": "._hooks",
    # the pages of paginated operations, for annotations (`page: SyncPage[Fax, FaxList]`)
    "SyncPage": "._pagination",
    "AsyncPage": "._pagination",
    "AsyncPaginator": "._pagination",
    # the answers of operations streaming server-sent events, and their error
    "Stream": "._streaming",
    "AsyncStream": "._streaming",
    "ServerSentEvent": "._streaming",
    "APIStreamError": "._streaming",
}


@dataclass
class PackageView:
    """The package `__init__`: its names are imported on first use (`lazy`: name -> module), and
    imported under TYPE_CHECKING in the form type checkers take as an explicit re-export."""

    lazy: list[tuple[str, str]]
    type_imports: str
    exports: Bracketed  # the names of `__all__`, as literals


def package_view(
    api: Api,
    exceptions: list[str],
    extra: dict[str, str] | None = None,
    oauth: Sequence[str] = (),
) -> PackageView:
    """`extra`: more names the root exports, by module; `oauth`: the names of the OAuth2 runtime,
    exported when the API has OAuth2 flows."""
    lazy = {api.client_name: "._client", "Async" + api.client_name: "._client"}
    lazy.update(dict.fromkeys(exceptions, "._exceptions"))
    lazy.update(dict.fromkeys(oauth, "._oauth"))
    lazy.update(ROOT_EXPORTS)
    lazy.update(extra or {})
    return PackageView(
        lazy=list(lazy.items()),
        type_imports=imports.block(
            imports.imports_of(lazy, depth=0, own=lazy, reexport=True), indent="    "
        ),
        exports=shapes.bracketed(
            "__all__ = ", "[", [py_literal(name) for name in sorted(lazy)], "]"
        ),
    )


@dataclass
class OAuthView:
    """What the README says of the API's OAuth2 flows (None without a token endpoint)."""

    refresh: bool  # a flow that issues refresh tokens (authorization code, password)
    client_credentials: bool
    token_url: str  # Markdown-safe
    scopes: str  # Markdown-safe, space-separated


def oauth_view(api: Api) -> OAuthView | None:
    flows = api.oauth_flows
    if not flows:
        return None
    kinds = {flow.kind for flow in flows}
    return OAuthView(
        refresh=bool(kinds - {"clientCredentials"}),
        client_credentials="clientCredentials" in kinds,
        token_url=_cell(flows[0].token_url),
        scopes=_cell(" ".join(flows[0].scopes)),
    )


@dataclass
class ServersView:
    """What the README says of the spec's servers."""

    variables: list[tuple[str, str, str]]  # (name, default, allowed values), Markdown-safe
    own: int  # operations sent to a server of their own


def _cell(text: str) -> str:
    """Spec text inside a Markdown table cell's code span."""
    return " ".join(text.split()).replace("|", "\\|").replace("`", "'")


def servers_view(api: Api) -> ServersView:
    servers = [*api.servers, *(s for op in api.operations for s in op.servers or [])]
    variables: dict[str, tuple[str, str, str]] = {}
    for server in servers:
        for v in server.variables:
            allowed = ", ".join(f"`{_cell(e)}`" for e in v.enum) or "any"
            variables.setdefault(v.name, (_cell(v.name), _cell(v.default), allowed))
    return ServersView(sorted(variables.values()), sum(1 for op in api.operations if op.servers))


def upload_example(resources: list[ResourceView]) -> tuple[str, str, str] | None:
    """(resource, method, argument) of the first operation that uploads a file, for the README."""
    for resource in resources:
        for method in resource.methods:
            for argument in method.args:
                if "FileTypes" in argument.annotation:
                    return resource.dotted, method.name, argument.name
    return None


@dataclass
class ExampleView:
    resource: str
    method: str
    summary: str
    http: str
    call: str


_PLACEHOLDERS = {"int": "1", "float": "1.0", "bool": "True", "bytes": 'b"..."'}


class _Placeholders:
    """Example argument values for the README: literals by type, models with their required fields."""

    def __init__(self, api: Api) -> None:
        self.models = {d.name: d for d in api.definitions if isinstance(d, ModelDef)}
        self.enums = {d.name: d for d in api.definitions if isinstance(d, EnumDef)}

    def value(self, name: str, expr: TypeExpr, is_file: bool = False, depth: int = 0) -> str:
        if is_file:
            return 'open("document.pdf", "rb")'
        expr = strip_null(expr)
        if isinstance(expr, Primitive):
            return _PLACEHOLDERS.get(expr.name, py_literal(name))
        if isinstance(expr, ArrayOf):
            return f"[{self.value(name, expr.item, depth=depth + 1)}]" if depth < 2 else "[]"
        if isinstance(expr, Named) and expr.name in self.enums and self.enums[expr.name].members:
            return f"{expr.name}.{self.enums[expr.name].members[0].py_name}"
        if isinstance(expr, Named) and expr.name in self.models and depth < 2:
            fields = [f for f in self.models[expr.name].fields if f.required][:4]
            inner = ", ".join(
                f"{f.py_name}={self.value(f.json_name, f.type, depth=depth + 1)}" for f in fields
            )
            return f"{expr.name}({inner})"
        if isinstance(expr, Named):
            return f"{expr.name}(...)"
        return "..."


def readme_examples(api: Api) -> list[ExampleView]:
    placeholders = _Placeholders(api)
    examples = []
    for resource in api.resources:
        for op in resource.operations:
            parts = [
                f"{p.py_name}={placeholders.value(p.name, p.type)}"
                for p in op.parameters
                if p.required and p.default is NO_DEFAULT
            ]
            body = op.body
            if body is not None and body.fields:
                parts += [
                    f"{f.py_name}={placeholders.value(f.json_name, f.type, f.is_file)}"
                    for f in body.fields
                    if f.required and f.default is NO_DEFAULT
                ]
            elif body is not None and (body.required or isinstance(strip_null(body.type), Named)):
                parts.append(f"{body.py_name}={placeholders.value('body', body.type)}")
            call = f"client.{resource.dotted}.{op.py_name}({', '.join(parts)})"
            summary = " ".join((op.summary or op.description.split(".")[0]).split())[:120]
            examples.append(
                ExampleView(resource.dotted, op.py_name, summary, f"{op.method} {op.path}", call)
            )
    return examples
