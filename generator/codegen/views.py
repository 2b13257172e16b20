"""Render-ready views of the models: the enums, model classes and type aliases of each module of
the models package, and its imports. Every decision about generated code is made here, in Python,
so templates only lay text out. Every spec string passes through `py_literal` or `docstring`.
(The resource modules' views are in resource_views, method_views and request_views.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.codegen import imports, layout
from generator.codegen.annotations import annotation as model_annotation
from generator.codegen.annotations import (
    annotation_names,
    dependency_order,
    discriminated_annotation,
    named_in,
)
from generator.codegen.defaults import DefaultRenderer
from generator.codegen.literals import docstring, py_literal
from generator.codegen.model_modules import model_type_imports
from generator.model.api import Api
from generator.model.types import ANY, NO_DEFAULT, AliasDef, EnumDef, ModelDef, Nullable, UnionOf

_FIELD_INDENT = "    "


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

    @property
    def bases(self) -> str:
        """The class statement's bases, laid out (`class Name(bases):`)."""
        return layout.class_bases(self.name, [self.base])


@dataclass
class AliasView:
    name: str
    code: str  # `Name = annotation`, laid out
    discriminated: bool = False
    names: frozenset[str] = frozenset()  # the module-level names the code uses


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
    type_siblings: Mapping[str, list[str]] | None = None,
) -> str:
    """The import block of one module of the models package: what its classes, fields and aliases
    use, from the runtime and libraries, and the models of other modules (`siblings`: module ->
    names) that it refers to; `type_siblings` are imported for type checkers only."""
    names = {"annotations"} | {c.base for c in enums + models}
    if any(c.base == "WireModel" for c in models):
        names.add("ClassVar")  # its __required_defaults__ and __read_only__
    names.update(*(f.names for c in models for f in c.fields), *(a.names for a in aliases))
    if any(a.discriminated for a in aliases):
        names |= {"Any", "Callable"}  # the `_discriminator` function
    own = {name: "." + module for module, names in siblings.items() for name in names}
    typing_only = model_type_imports(type_siblings or {})
    if typing_only:
        names.add("TYPE_CHECKING")
    return (
        imports.block(
            imports.imports_of(names - definitions, depth=1)
            + imports.imports_of(sorted(own), depth=0, own=own)
        )
        + typing_only
    )
