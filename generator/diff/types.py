"""How two annotations of the surface relate: the same, narrowed, widened, or neither.

Annotations are Python expressions (`str | None`, `list[Pet]`, `Literal['a', 'b']`), read with
`ast`. A type is *narrower* when every value of it is also a value of the other: `int` is
narrower than `float`, `Literal['a']` than `str` or `Literal['a', 'b']`, a string enum than `str`,
`X` than `X | None`, anything than `Any`. Containers compare by their items (as values, which is how
a user passing `[...]` or reading a result meets them; a variable typed `list[str]` passed where
`list[str | int]` is now expected would still need a cast under mypy's invariance).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Literal

Relation = Literal["same", "narrowed", "widened", "changed"]

_CONTAINERS = {"list": "list", "List": "list", "dict": "dict", "Dict": "dict"}


def relation(old: str, new: str, enums: Mapping[str, str] | None = None) -> Relation:
    """How `new` relates to `old`. `enums` maps enum class names to their value type ("str",
    "int" ...): the generated enums subclass it."""
    if old == new:
        return "same"
    try:
        a = ast.parse(old, mode="eval").body
        b = ast.parse(new, mode="eval").body
    except SyntaxError:
        return "changed"
    known = enums or {}
    narrower, wider = _within(b, a, known), _within(a, b, known)
    if narrower and wider:
        return "same"  # the same values, written otherwise (a union in another order)
    return "narrowed" if narrower else "widened" if wider else "changed"


def _members(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _members(node.left) + _members(node.right)
    return [node]


def _within(small: ast.expr, large: ast.expr, enums: Mapping[str, str]) -> bool:
    """Every value of `small` is a value of `large`."""
    targets = _members(large)
    return all(any(_member_within(m, t, enums) for t in targets) for m in _members(small))


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    return None


def _subscript(node: ast.expr) -> tuple[str, list[ast.expr]] | None:
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        inner = node.slice
        items = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        return node.value.id, items
    return None


def _member_within(m: ast.expr, t: ast.expr, enums: Mapping[str, str]) -> bool:
    if ast.dump(m) == ast.dump(t) or _name(t) == "Any":
        return True
    m_name, t_name = _name(m), _name(t)
    if m_name is not None and t_name is not None:
        return (m_name, t_name) == ("int", "float") or enums.get(m_name) == t_name
    m_sub, t_sub = _subscript(m), _subscript(t)
    if m_sub and m_sub[0] == "Literal":
        return all(_value_within(v, t, t_sub, enums) for v in m_sub[1])
    if m_sub and m_sub[0] == "Annotated":  # a constrained float: within its base type
        return _member_within(m_sub[1][0], t, enums)
    if m_sub and t_sub and _CONTAINERS.get(m_sub[0], m_sub[0]) == _CONTAINERS.get(t_sub[0]):
        return len(m_sub[1]) == len(t_sub[1]) and all(
            _within(a, b, enums) for a, b in zip(m_sub[1], t_sub[1], strict=True)
        )
    return False


def _value_within(
    value: ast.expr,
    target: ast.expr,
    target_sub: tuple[str, list[ast.expr]] | None,
    enums: Mapping[str, str],
) -> bool:
    if not isinstance(value, ast.Constant):
        return False
    if target_sub and target_sub[0] == "Literal":
        return any(
            isinstance(v, ast.Constant)
            and v.value == value.value
            and type(v.value) is type(value.value)
            for v in target_sub[1]
        )
    kind = {str: "str", int: "int", float: "float", bool: "bool"}.get(type(value.value))
    name = _name(target)
    if value.value is None:
        return name == "None"
    return name == kind or (name == "float" and kind == "int")
