"""The model's types as pagination reads them: the fields of answers, by JSON name, with their
types (aliases and null seen through)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from generator.model.api import FieldPath
from generator.model.types import (
    ANY,
    AliasDef,
    ArrayOf,
    Definition,
    LiteralOf,
    MapOf,
    ModelDef,
    Named,
    Nullable,
    Primitive,
    TypeExpr,
    UnionOf,
)

Lookup = Callable[[str], Definition | None]


class Shapes:
    """Reads the model's types: the fields of answers, by JSON name, with their types."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup

    def plain(self, expr: TypeExpr) -> TypeExpr:
        """`expr` without null and aliases."""
        for _ in range(50):  # aliases of aliases, but never a cycle
            if isinstance(expr, Nullable):
                expr = expr.inner
            elif isinstance(expr, Named) and isinstance(self.lookup(expr.name), AliasDef):
                found = self.lookup(expr.name)
                assert isinstance(found, AliasDef)
                expr = found.type
            else:
                break
        return expr

    def model(self, expr: TypeExpr) -> ModelDef | None:
        expr = self.plain(expr)
        found = self.lookup(expr.name) if isinstance(expr, Named) else None
        return found if isinstance(found, ModelDef) else None

    def fields(self, expr: TypeExpr) -> list[tuple[str, str, TypeExpr]]:
        """(JSON name, attribute, type) of each declared field of a model."""
        model = self.model(expr)
        return [(f.json_name, f.py_name, f.type) for f in model.fields] if model else []

    def field(self, expr: TypeExpr, name: str) -> tuple[str, TypeExpr] | None:
        """The attribute and type of field `name`; an untyped mapping has any key."""
        for json_name, attribute, field_type in self.fields(expr):
            if json_name == name:
                return attribute, field_type
        plain = self.plain(expr)
        if plain == ANY:
            return name, ANY
        if isinstance(plain, MapOf):
            return name, plain.value
        if isinstance(plain, UnionOf):  # every variant must have it (Stripe's polymorphic lists)
            found = [self.field(v, name) for v in plain.variants]
            attributes = {f[0] if f is not None else None for f in found}
            if len(attributes) == 1 and None not in attributes:
                return attributes.pop() or name, ANY
        return None

    def path(self, expr: TypeExpr, names: Iterable[str]) -> tuple[FieldPath, TypeExpr] | None:
        json: list[str] = []
        steps: list[str] = []
        for name in names:
            found = self.field(expr, name)
            if found is None:
                return None
            json.append(name)
            steps.append(found[0])
            expr = found[1]
        return FieldPath(tuple(json), tuple(steps)), expr

    def array_item(self, expr: TypeExpr) -> TypeExpr | None:
        plain = self.plain(expr)
        return plain.item if isinstance(plain, ArrayOf) else None

    def scalar(self, expr: TypeExpr) -> str:
        """ "int", "str", "bool", "float", "any" or "" (not a scalar)."""
        plain = self.plain(expr)
        if plain == ANY:
            return "any"
        if isinstance(plain, Primitive) and plain.name in ("int", "str", "bool", "float"):
            return plain.name
        if isinstance(plain, LiteralOf) and plain.values:
            kinds = {type(v).__name__ for v in plain.values}
            return kinds.pop() if len(kinds) == 1 else ""
        if isinstance(plain, Named):
            found = self.lookup(plain.name)
            value_type = getattr(found, "value_type", "")
            return value_type if value_type in ("str", "int") else ""
        return ""
