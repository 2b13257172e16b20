"""Views of the resource modules: per resource, its methods, the module-level constants and
Endpoints, the sync and async classes with their raw and streaming wrappers, and the module's
imports, computed from the names the views say they use."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.codegen import imports, layout, shapes
from generator.codegen.defaults import DefaultRenderer
from generator.codegen.literals import docstring, py_literal
from generator.codegen.method_views import MethodView, method_view
from generator.codegen.model_modules import ModelModules, runtime_names
from generator.codegen.request_types import RequestTypes
from generator.codegen.request_views import Constant, ConstantView, constant_view
from generator.model import naming
from generator.model.api import Api, Resource
from generator.model.types import EnumDef

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


@dataclass
class WrapperView:
    """`self.method = function(resource.method)` in a wrapper class's `__init__`."""

    method: str
    function: str
    one_line: bool
    code: str = ""  # laid out by `layout` when even `self.method = function(` is too long


@dataclass
class WrapperClassView:
    """`{Async}{Resource}WithRawResponse` or `...WithStreamingResponse`: the resource's methods,
    each wrapped."""

    name: str
    init_one_line: bool  # `def __init__(self, resource: ...) -> None:` fits
    methods: list[WrapperView]
    kind: str = ""  # WithRawResponse | WithStreamingResponse


@dataclass
class VariantView:
    """What differs between the sync and the async classes of a resource."""

    prefix: str  # "" or "Async"
    is_async: bool
    class_name: str  # the resource class: `{prefix}{Resource}`
    raw_class: str
    streaming_class: str
    raw_property_one_line: bool  # `def with_raw_response(self) -> ...:` fits
    streaming_property_one_line: bool
    raw_return_one_line: bool  # `return ...WithRawResponse(self)` fits
    streaming_return_one_line: bool
    wrappers: list[WrapperClassView]
    client_property_one_line: bool  # the client's `def resource(self) -> ...:` fits
    client_import_one_line: bool  # the import inside it fits


@dataclass
class GroupView:
    """A nested group: a property of its parent's classes, and of their wrapper classes."""

    attr: str
    class_name: str  # the sync class; its other forms are Async..., ...WithRawResponse etc.
    one_line: bool  # the longest form's `def attr(self) -> ...:` and `return ...(...)` fit


@dataclass
class ResourceView:
    module: str
    class_name: str
    doc: str
    methods: list[MethodView]
    variants: list[VariantView]
    imports: str  # the module's import block, laid out as isort sorts it
    # The `params` TypedDicts and the models its signatures name only in annotations, imported
    # under TYPE_CHECKING ("" for none): a call never builds them (issue 16's cold start).
    type_imports: str
    exports: shapes.Bracketed  # the names of `__all__`, as literals
    constants: list[ConstantView]  # the values shared by the operations
    names: frozenset[str]  # the module-level names the module uses
    top_level: bool = True  # a property of the client (else of its parent group)
    attr: str = ""  # the attribute it is reached by
    dotted: str = ""  # its path from the client: `fine_tuning.jobs`
    groups: list[GroupView] = field(default_factory=list)  # nested groups
    # Its functions' `__builtins__` find the models imported for type checkers only in the models
    # package, when an annotation is evaluated (`typing.get_type_hints`).
    models_on_first_use: bool = False


def resource_views(
    api: Api, modules: ModelModules, request_types: RequestTypes | None = None
) -> list[ResourceView]:
    defaults = DefaultRenderer({d.name: d for d in api.definitions if isinstance(d, EnumDef)})
    request_types = request_types or RequestTypes.of(api)
    return [
        resource_view(resource, defaults, modules, _children(api, resource), request_types)
        for resource in api.resources
    ]


def _children(api: Api, parent: Resource) -> list[Resource]:
    path = parent.path or (parent.attr_name,)
    return [r for r in api.resources if len(r.path) == len(path) + 1 and r.path[:-1] == path]


def resource_view(
    resource: Resource,
    defaults: DefaultRenderer,
    modules: ModelModules,
    children: list[Resource] | None = None,
    request_types: RequestTypes | None = None,
) -> ResourceView:
    constants: dict[str, Constant] = {}
    if request_types is None:  # the resource's own operations, as if it were the whole API
        request_types = RequestTypes(defaults.enums, [])
    methods = [method_view(op, defaults, constants, request_types) for op in resource.operations]
    names = _module_names(resource, methods, constants)
    params = sorted(set().union(*(m.params for m in methods)))
    # Each model from its own module, so the resource loads only the models its operations meet;
    # those named only in annotations (bodies, parameters) for type checkers only, like the
    # `params` TypedDicts.
    own = {
        name: ".models." + modules.module_of[name] for name in names if name in modules.module_of
    }
    typing_only = set(own) - runtime_names(modules, resource)
    names -= typing_only
    models_on_first_use = bool(typing_only or params)
    if models_on_first_use:
        names |= {"TYPE_CHECKING", "_with_models"}
    typing_own = {name: own[name] for name in typing_only} | {p: ".params" for p in params}
    for child in children or []:
        for form in naming.RESOURCE_CLASS_FORMS:
            names.add(form.format(child.class_name))
            own[form.format(child.class_name)] = ".resources." + child.module_name
    return ResourceView(
        module=resource.module_name,
        top_level=len(resource.path) <= 1,
        dotted=resource.dotted,
        attr=resource.attr_name,
        groups=[_group(child) for child in children or []],
        class_name=resource.class_name,
        doc=docstring(
            resource.description or f"Operations of {resource.tag or 'the API'}.", "    "
        ),
        methods=methods,
        variants=[_variant(resource, methods, is_async) for is_async in (False, True)],
        imports=imports.block(imports.imports_of(names, depth=1, own=own)),
        type_imports=imports.block(
            imports.imports_of(sorted(typing_only | set(params)), depth=1, own=typing_own),
            "    ",
        ),
        models_on_first_use=models_on_first_use,
        exports=shapes.bracketed(
            "__all__ = ",
            "[",
            [py_literal(n) for n in (resource.class_name, "Async" + resource.class_name)],
            "]",
        ),
        constants=[constant_view(name, value) for name, value in sorted(constants.items())],
        names=frozenset(names),
    )


def _module_names(
    resource: Resource, methods: list[MethodView], constants: dict[str, Constant]
) -> set[str]:
    names = set(_RESOURCE_NAMES).union(*(m.names for m in methods))
    if methods:
        names |= _WRAPPERS
    if constants:
        names.add("Any")  # their annotation
    servers = [op.servers[0] for op in resource.operations if op.servers]
    if servers:
        names.add("_Server")  # imported under a private name: a spec may well have a model Server
    if any(s.variables for s in servers):
        names.add("_ServerVariable")
    if any(name.startswith("_ENCODING") for name in constants):
        names.add("_PartEncoding")
    return names


def _property_fits(name: str, returns: str) -> bool:
    return shapes.one_line(f"    def {name}(", ["self"], f") -> {returns}:")


def _variant(resource: Resource, methods: list[MethodView], is_async: bool) -> VariantView:
    prefix = "Async" if is_async else ""
    resource_class = prefix + resource.class_name
    wrappers = []
    for kind, wrapper in (
        ("WithRawResponse", "to_raw_response_wrapper"),
        ("WithStreamingResponse", "to_streamed_response_wrapper"),
    ):
        function = ("async_" if is_async else "") + wrapper
        wrappers.append(
            WrapperClassView(
                resource_class + kind,
                shapes.one_line(
                    "    def __init__(", ["self", f"resource: {resource_class}"], ") -> None:"
                ),
                [_wrapper(m.name, function) for m in methods],
                kind,
            )
        )
    raw, streaming = wrappers[0].name, wrappers[1].name
    return VariantView(
        prefix=prefix,
        is_async=is_async,
        class_name=resource_class,
        raw_class=raw,
        streaming_class=streaming,
        raw_property_one_line=_property_fits("with_raw_response", raw),
        streaming_property_one_line=_property_fits("with_streaming_response", streaming),
        raw_return_one_line=shapes.one_line(f"        return {raw}(", ["self"], ")"),
        streaming_return_one_line=shapes.one_line(f"        return {streaming}(", ["self"], ")"),
        wrappers=wrappers,
        client_property_one_line=_property_fits(resource.attr_name, resource_class),
        client_import_one_line=shapes.one_line(
            f"        from .resources.{resource.module_name} import ", [resource_class]
        ),
    )


def _wrapper(method: str, function: str) -> WrapperView:
    """One line when it fits; else exploded, unless even `self.method = function(` is too long."""
    head = f"        self.{method} = {function}("
    view = WrapperView(method, function, shapes.one_line(head, [f"resource.{method}"], ")"))
    if not view.one_line and not shapes.exploded_fits(head, [f"resource.{method}"], "        "):
        view.code = layout.call_assignment(
            "        ", f"self.{method}", function, [f"resource.{method}"]
        )
    return view


def _group(child: Resource) -> GroupView:
    longest = f"Async{child.class_name}WithStreamingResponse"
    fits = _property_fits(child.attr_name, longest) and shapes.one_line(
        f"        return {longest}(", [f"self._resource.{child.attr_name}"], ")"
    )
    return GroupView(child.attr_name, child.class_name, fits)
