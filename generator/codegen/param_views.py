"""The view of the package's `params` module (issue 17): a TypedDict `<Model>Param` per request
model that users may write as a plain dict, and `<Alias>Param` per alias of such models.

Keys are the API's own (wire) names: the dict is sent as written, so `{"from": ...}` where the
model's attribute is `from_`. Required properties are `Required[...]` keys of a `total=False`
TypedDict (required ones with a default too: the server requires them, and a dict sends only what
it holds). Keys that cannot be class attributes (`from`, `content-type`, `__x`) use the functional
form. Resource modules import these names only for type checkers, so no call pays for building
them (issue 16's cold start)."""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field

from generator.codegen import imports, layout
from generator.codegen.annotations import dependency_order
from generator.codegen.literals import docstring, py_literal
from generator.codegen.request_types import RequestTypes
from generator.model.types import AliasDef, ModelDef

_INDENT = "    "


@dataclass
class KeyView:
    code: str  # `key: annotation` in a class body
    doc: str  # its docstring statement, or ""


@dataclass
class TypedDictView:
    name: str
    doc: str
    keys: list[KeyView] = field(default_factory=list)

    @property
    def bases(self) -> str:
        """The class statement's bases, laid out (`class Name(bases):`)."""
        return layout.class_bases(self.name, ["TypedDict", "total=False"])


@dataclass
class ParamsView:
    imports: str
    exports: str  # the `__all__ = [...]` statement
    classes: list[TypedDictView]  # class statements
    statements: list[str]  # functional TypedDicts and aliases, in the order they can be evaluated


def params_view(request_types: RequestTypes) -> ParamsView | None:
    """None when no request value has a `Param` form (no `params` module is written)."""
    if not request_types.param_names:
        return None
    names: set[str] = {"annotations", "TypedDict"}
    classes: list[TypedDictView] = []
    # Evaluated at import: name -> (the alias's value, or the functional form's keys and their
    # annotations; the `Param` names it uses).
    evaluated: dict[str, tuple[str | list[tuple[str, str]], set[str]]] = {}
    for model_name, param in request_types.param_names.items():
        definition = request_types.definitions[model_name]
        if isinstance(definition, AliasDef):
            value = request_types.of_type(definition.type)
            names |= value.names
            evaluated[param] = (value.text, set(value.params))
            continue
        assert isinstance(definition, ModelDef)
        keys = []
        functional: list[tuple[str, str]] = []
        uses: set[str] = set()
        for f in definition.fields:
            if f.read_only:
                continue
            value = request_types.of_type(f.type)
            names |= value.names
            uses |= value.params
            text = f"Required[{value.text}]" if f.required else value.text
            if f.required:
                names.add("Required")
            functional.append((py_literal(f.json_name), text))
            keys.append(
                KeyView(
                    layout.annotated_assignment(_INDENT, f.json_name, text),
                    docstring(f.description, _INDENT) if f.description else "",
                )
            )
        if all(_attribute_key(f.json_name) for f in definition.fields if not f.read_only):
            doc = definition.description or f"The request form of `{model_name}`, as a dict."
            classes.append(TypedDictView(param, docstring(doc, _INDENT), keys))
        else:
            evaluated[param] = (functional, uses)
    order = dependency_order({name: uses for name, (_, uses) in evaluated.items()})
    statements = []
    bound = {c.name for c in classes}
    for name in order:
        form, uses = evaluated[name]
        # In a cycle (a recursive schema), a name is used before it is bound: then the statement
        # quotes its annotations, which type checkers read as forward references.
        forward = not uses <= bound
        if isinstance(form, str):
            if forward:
                names.add("TypeAlias")
            target = f"{name}: TypeAlias" if forward else name
            statements.append(layout.assignment("", target, py_literal(form) if forward else form))
        else:
            items = ", ".join(f"{k}: {py_literal(v) if forward else v}" for k, v in form)
            statements.append(
                layout.call_assignment(
                    "", name, "TypedDict", [py_literal(name), f"{{{items}}}", "total=False"]
                )
            )
        bound.add(name)
    models = sorted(name for name in names if name in request_types.definitions)
    return ParamsView(
        imports=imports.block(
            imports.imports_of(sorted(names - set(models)), depth=0)
            + imports.imports_of(models, depth=0, own={m: ".models" for m in models})
        ),
        exports=layout.collection(
            "", "__all__ = ", "[", [py_literal(p) for p in request_types.param_names.values()]
        ),
        classes=classes,
        statements=statements,
    )


def _attribute_key(key: str) -> bool:
    """Whether a key can be written as a class attribute of a TypedDict (private names would be
    mangled)."""
    return key.isidentifier() and not keyword.iskeyword(key) and not key.startswith("__")
