"""Python annotations for model types (the text of a `TypeExpr` in generated code)."""

from __future__ import annotations

from generator.codegen.literals import py_literal
from generator.model.types import (
    ArrayOf,
    LiteralOf,
    MapOf,
    Named,
    Nullable,
    Primitive,
    TypeExpr,
    UnionOf,
)

PRIMITIVES = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "bytes": "bytes",
    "date": "_dt.date",
    "datetime": "DateTime",
    "any": "Any",
    "none": "None",
}


def annotation(expr: TypeExpr, typing_generics: bool = False) -> str:
    """`typing_generics` spells list/dict as List/Dict, for class bodies where a method may be
    named `list` (resources: `client.pets.list()`)."""
    if isinstance(expr, Primitive):
        return PRIMITIVES[expr.name]
    if isinstance(expr, Named):
        return expr.name
    if isinstance(expr, ArrayOf):
        return f"{'List' if typing_generics else 'list'}[{annotation(expr.item, typing_generics)}]"
    if isinstance(expr, MapOf):
        return f"{'Dict' if typing_generics else 'dict'}[str, {annotation(expr.value, typing_generics)}]"
    if isinstance(expr, LiteralOf):
        held, checked = _literal_split(expr)
        parts = ["Literal[" + ", ".join(py_literal(v) for v in held) + "]"] if held else []
        # PEP 586 allows no floats in Literal: typed float, the value checked by pydantic.
        parts += [
            f"Annotated[float, Field(ge={py_literal(v)}, le={py_literal(v)})]" for v in checked
        ]
        return " | ".join(parts)
    if isinstance(expr, Nullable):
        inner = annotation(expr.inner, typing_generics)
        return inner if inner in ("Any", "None") else f"{inner} | None"
    if isinstance(expr, UnionOf):
        return " | ".join(annotation(v, typing_generics) for v in expr.variants)
    raise TypeError(f"unknown type expression {expr!r}")


def named_in(expr: TypeExpr) -> set[str]:
    """Class names a type refers to (what a module must import to use it)."""
    if isinstance(expr, Named):
        return {expr.name}
    if isinstance(expr, ArrayOf):
        return named_in(expr.item)
    if isinstance(expr, MapOf):
        return named_in(expr.value)
    if isinstance(expr, Nullable):
        return named_in(expr.inner)
    if isinstance(expr, UnionOf):
        return set().union(*(named_in(v) for v in expr.variants))
    return set()


def annotation_names(expr: TypeExpr, typing_generics: bool = False) -> set[str]:
    """The names `annotation(expr, typing_generics)` refers to: what a module must bind to use it
    (the builtins aside)."""
    if isinstance(expr, Primitive):
        text = PRIMITIVES[expr.name]
        return set() if text in _BUILTIN_TYPES else {text.split(".")[0]}
    if isinstance(expr, Named):
        return {expr.name}
    if isinstance(expr, LiteralOf):
        held, checked = _literal_split(expr)
        return ({"Literal"} if held else set()) | ({"Annotated", "Field"} if checked else set())
    if isinstance(expr, (ArrayOf, MapOf)):
        generic = {"List" if isinstance(expr, ArrayOf) else "Dict"} if typing_generics else set()
        return generic | annotation_names(
            expr.item if isinstance(expr, ArrayOf) else expr.value, typing_generics
        )
    if isinstance(expr, Nullable):
        return annotation_names(expr.inner, typing_generics)
    if isinstance(expr, UnionOf):
        return set().union(*(annotation_names(v, typing_generics) for v in expr.variants))
    raise TypeError(f"unknown type expression {expr!r}")


_BUILTIN_TYPES = frozenset({"str", "int", "float", "bool", "bytes", "None"})


def _literal_split(expr: LiteralOf) -> tuple[list[object], list[float]]:
    """The values `Literal` can hold, and the floats it cannot."""
    held = [v for v in expr.values if not isinstance(v, float)]
    return held, [v for v in expr.values if isinstance(v, float)]


def strip_null(expr: TypeExpr) -> TypeExpr:
    return expr.inner if isinstance(expr, Nullable) else expr


def discriminated_annotation(expr: UnionOf) -> str:
    """A discriminated union of models: pydantic reads the tag first (see `_discriminator` in the
    generated models module); unknown tags fall back to trying each variant."""
    classes = [v.name for v in expr.variants if isinstance(v, Named)]
    choices = [f"Annotated[{name}, _Tag({py_literal(name)})]" for name in classes]
    choices.append(f"Annotated[{' | '.join(classes)}, _Tag({py_literal('*')})]")
    tags = (
        "{"
        + ", ".join(f"{py_literal(value)}: {py_literal(name)}" for value, name in expr.tags)
        + "}"
    )
    picker = (
        f"_discriminator({py_literal(expr.discriminator)}, {tags}, {py_literal(tuple(classes))})"
    )
    return f"Annotated[Union[{', '.join(choices)}], _Discriminator({picker})]"


def dependency_order(needs: dict[str, set[str]]) -> list[str]:
    """Names in their given order, except that each comes after the names it needs (aliases are
    evaluated at import time). Cycles are broken where they are met."""
    ordered: list[str] = []
    done: set[str] = set()
    for name, first_needs in needs.items():
        if name in done:
            continue
        done.add(name)
        stack = [(name, iter(sorted(first_needs & needs.keys())))]
        while stack:
            current, pending = stack[-1]
            following = next((n for n in pending if n not in done), None)
            if following is None:
                stack.pop()
                ordered.append(current)
            else:
                done.add(following)
                stack.append((following, iter(sorted(needs[following] & needs.keys()))))
    return ordered
