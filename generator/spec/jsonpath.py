"""JSONPath (RFC 9535), the subset the Overlay Specification's targets use.

Supported: the root `$`; child names (`.name`, `['name']`, `["name"]`); wildcards (`.*`, `[*]`);
array indexes, negative ones too (`[0]`, `[-1]`); slices (`[1:3]`, `[::2]`); unions
(`['a','b']`); recursive descent (`..name`, `..*`, `..[0]`); filters (`[?@.in == 'query']`, also
written `[?(@.in == 'query')]`) with `==`, `!=`, `<`, `<=`, `>`, `>=` between singular queries
(`@.a.b`, `@['a'][0]`, `$.info.version`) and literals (strings, numbers, true, false, null),
existence tests (`[?@.deprecated]`), `!`, `&&`, `||` and parentheses. Function extensions
(`length()`, `match()` ...) are refused with a message, not misread.

Each match keeps its parent and key, so an overlay can remove it or know where it stands. Names
written `.name` may also hold `-` and `$` (`$.paths.*.get[?@.x-oai-traits]`, as the Overlay
Specification's own examples write them), which RFC 9535 would have quoted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import join_pointer
from generator.spec.jsonpath_syntax import (
    And,
    Exists,
    Expr,
    Index,
    JSONPathError,
    Literal,
    Name,
    Not,
    Or,
    Query,
    Segment,
    Selector,
    Slice,
    Wildcard,
    parse,
)

__all__ = ["JSONPathError", "Match", "find", "parse"]
_NOTHING = object()  # what a singular query gives when it selects no node


@dataclass(frozen=True)
class Match:
    """A node a query selected: its value, where it hangs (parent and key; None for the root) and
    its path from the root."""

    value: Any
    parent: dict[str, Any] | list[Any] | None
    key: str | int | None
    path: tuple[str | int, ...]

    @property
    def pointer(self) -> str:
        return join_pointer(list(self.path))


# ---- evaluation ------------------------------------------------------------------------------


def find(query: str | Query, data: Any) -> list[Match]:
    """Every node `query` selects in `data`, in document order."""
    parsed = parse(query) if isinstance(query, str) else query
    nodes = [Match(data, None, None, ())]
    return _apply(parsed.segments, nodes, data)


def _apply(segments: tuple[Segment, ...], nodes: list[Match], root: Any) -> list[Match]:
    for segment in segments:
        found: list[Match] = []
        for node in nodes:
            targets = _descendants(node) if segment.descendant else (node,)
            for target in targets:
                for selector in segment.selectors:
                    found.extend(_select(selector, target, root))
        nodes = found
    return nodes


def _children(node: Match) -> Iterator[Match]:
    value = node.value
    if isinstance(value, dict):
        for key, child in value.items():
            yield Match(child, value, key, (*node.path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield Match(child, value, index, (*node.path, index))


def _descendants(node: Match) -> Iterator[Match]:
    """The node, then each descendant before its own descendants (children in order)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(_children(current))))


def _select(selector: Selector, node: Match, root: Any) -> Iterator[Match]:
    value = node.value
    if isinstance(selector, Name):
        if isinstance(value, dict) and selector.name in value:
            yield Match(value[selector.name], value, selector.name, (*node.path, selector.name))
    elif isinstance(selector, Wildcard):
        yield from _children(node)
    elif isinstance(selector, Index):
        if isinstance(value, list) and -len(value) <= selector.index < len(value):
            index = selector.index % len(value)
            yield Match(value[index], value, index, (*node.path, index))
    elif isinstance(selector, Slice):
        if isinstance(value, list) and selector.step != 0:
            for index in range(len(value))[selector.start : selector.stop : selector.step]:
                yield Match(value[index], value, index, (*node.path, index))
    else:
        for child in _children(node):
            if _test(selector.test, child.value, root):
                yield child


def _test(expr: Expr, current: Any, root: Any) -> bool:
    if isinstance(expr, Exists):
        return bool(_nodes(expr.query, current, root))
    if isinstance(expr, Not):
        return not _test(expr.operand, current, root)
    if isinstance(expr, And):
        return all(_test(e, current, root) for e in expr.operands)
    if isinstance(expr, Or):
        return any(_test(e, current, root) for e in expr.operands)
    left, right = _operand(expr.left, current, root), _operand(expr.right, current, root)
    return _COMPARISONS[expr.op](left, right)


def _nodes(query: Query, current: Any, root: Any) -> list[Match]:
    start = current if query.relative else root
    return _apply(query.segments, [Match(start, None, None, ())], root)


def _operand(operand: Query | Literal, current: Any, root: Any) -> Any:
    if isinstance(operand, Literal):
        return operand.value
    found = _nodes(operand, current, root)
    return found[0].value if found else _NOTHING


def _kind(value: Any) -> str:
    if value is _NOTHING:
        return "nothing"
    if isinstance(value, bool):
        return "bool"  # before numbers: true is not 1 in JSON
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _equal(left: Any, right: Any) -> bool:
    if _kind(left) != _kind(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(_equal(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(_equal(a, b) for a, b in zip(left, right))
    return bool(left == right)


def _less(left: Any, right: Any) -> bool:
    kind = _kind(left)
    return kind == _kind(right) and kind in ("number", "str") and bool(left < right)


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "==": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "<": _less,
    ">": lambda a, b: _less(b, a),
    "<=": lambda a, b: _less(a, b) or _equal(a, b),
    ">=": lambda a, b: _less(b, a) or _equal(a, b),
}
