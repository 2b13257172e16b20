"""Annotations of the values users write (issue 17): parameters and flattened body properties.

A string enum also takes its values as string literals (`purpose="batch"`); a model also takes a
plain dict typed by its generated TypedDict, `<Model>Param` in the package's `params` module (and
an alias of a union of models, `<Alias>Param`); lists and maps of those are the read-only
`Sequence` and `Mapping`, so that both a `list[Model]` the user holds and a list literal of dicts
type-check. Responses keep the model annotations (annotations.py): open enums, models."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.codegen.annotations import annotation, annotation_names
from generator.codegen.literals import py_literal
from generator.model import naming
from generator.model.api import Api
from generator.model.types import (
    AliasDef,
    ArrayOf,
    Definition,
    EnumDef,
    MapOf,
    ModelDef,
    Named,
    Nullable,
    TypeExpr,
    UnionOf,
)

PARAM_SUFFIX = "Param"


@dataclass(frozen=True)
class RequestType:
    """An annotation, the names it uses that a module binds at run time (models, enums, typing),
    and the `params` names it uses (bound for type checkers only: see `resource_views`)."""

    text: str
    names: frozenset[str]
    params: frozenset[str] = frozenset()


class RequestTypes:
    """The request annotations of one API, and the TypedDicts and aliases they need."""

    def __init__(
        self,
        definitions: Mapping[str, Definition],
        used: Iterable[TypeExpr],
        typing_generics: bool = True,
    ) -> None:
        self.definitions = definitions
        self.typing_generics = typing_generics  # List/Dict, as resource classes spell them
        self._widens: dict[str, bool] = {}
        # The models and aliases with a `Param` form: those that request types reach, in
        # definition order, named uniquely beside every class of the package.
        reached = self._reached(used)
        namer = naming.UniqueNamer(naming.RESERVED | set(definitions))
        self.param_names: dict[str, str] = {
            name: namer.claim(name + PARAM_SUFFIX) for name in definitions if name in reached
        }

    @classmethod
    def of(cls, api: Api, typing_generics: bool = True) -> RequestTypes:
        definitions = {d.name: d for d in api.definitions}
        used: list[TypeExpr] = []
        for resource in api.resources:
            for op in resource.operations:
                used += [p.type for p in op.parameters]
                if op.body is not None:
                    used += [f.type for f in op.body.fields if not f.is_file]
        return cls(definitions, used, typing_generics)

    # ---- annotations -------------------------------------------------------------------------

    def of_type(self, expr: TypeExpr) -> RequestType:
        """The annotation of a value users write of type `expr`."""
        if not self.widens(expr):
            return RequestType(
                annotation(expr, self.typing_generics),
                frozenset(annotation_names(expr, self.typing_generics)),
            )
        if isinstance(expr, Named):
            return self._named(expr.name)
        if isinstance(expr, ArrayOf):
            item = self.of_type(expr.item)
            return RequestType(f"Sequence[{item.text}]", item.names | {"Sequence"}, item.params)
        if isinstance(expr, MapOf):
            value = self.of_type(expr.value)
            return RequestType(
                f"Mapping[str, {value.text}]", value.names | {"Mapping"}, value.params
            )
        if isinstance(expr, Nullable):
            inner = self.of_type(expr.inner)
            return RequestType(f"{inner.text} | None", inner.names, inner.params)
        assert isinstance(expr, UnionOf)
        variants = [self.of_type(v) for v in expr.variants]
        return RequestType(
            " | ".join(v.text for v in variants),
            frozenset().union(*(v.names for v in variants)),
            frozenset().union(*(v.params for v in variants)),
        )

    def _named(self, name: str) -> RequestType:
        definition = self.definitions[name]
        if isinstance(definition, EnumDef):
            values = ", ".join(py_literal(m.value) for m in definition.members)
            return RequestType(f"Literal[{values}] | {name}", frozenset({"Literal", name}))
        param = self.param_names[name]
        return RequestType(f"{name} | {param}", frozenset({name}), frozenset({param}))

    def widens(self, expr: TypeExpr) -> bool:
        """Whether users may write more than the model type: a string enum or a model (with
        fields to write) somewhere inside."""
        if isinstance(expr, Named):
            return self._named_widens(expr.name)
        if isinstance(expr, ArrayOf):
            return self.widens(expr.item)
        if isinstance(expr, MapOf):
            return self.widens(expr.value)
        if isinstance(expr, Nullable):
            return self.widens(expr.inner)
        if isinstance(expr, UnionOf):
            return any(self.widens(v) for v in expr.variants)
        return False

    def _named_widens(self, name: str) -> bool:
        if name in self._widens:
            return self._widens[name]
        definition = self.definitions.get(name)
        if isinstance(definition, EnumDef):
            result = definition.value_type == "str" and bool(definition.members)
        elif isinstance(definition, ModelDef):
            result = any(not f.read_only for f in definition.fields)
        elif isinstance(definition, AliasDef):
            self._widens[name] = False  # an alias reaching itself widens by its other parts
            result = self.widens(definition.type)
        else:
            result = False
        self._widens[name] = result
        return result

    # ---- the params module -------------------------------------------------------------------

    def _reached(self, used: Iterable[TypeExpr]) -> set[str]:
        """The models and aliases with a `Param` form that the request types reach."""
        reached: set[str] = set()
        pending = [e for e in used if self.widens(e)]
        while pending:
            expr = pending.pop()
            if isinstance(expr, Named):
                definition = self.definitions.get(expr.name)
                if expr.name in reached or isinstance(definition, EnumDef) or definition is None:
                    continue
                reached.add(expr.name)
                if isinstance(definition, ModelDef):
                    pending += [f.type for f in definition.fields if not f.read_only]
                elif isinstance(definition, AliasDef):
                    pending.append(definition.type)
            elif isinstance(expr, ArrayOf):
                pending.append(expr.item)
            elif isinstance(expr, MapOf):
                pending.append(expr.value)
            elif isinstance(expr, Nullable):
                pending.append(expr.inner)
            elif isinstance(expr, UnionOf):
                pending += list(expr.variants)
        return {name for name in reached if self._named_widens(name)}
