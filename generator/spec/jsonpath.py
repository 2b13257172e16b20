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

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import join_pointer


class JSONPathError(ValueError):
    """A query that cannot be parsed; `offset` is where in the text (0-based)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


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


# ---- the parsed query ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    name: str


@dataclass(frozen=True)
class _Wildcard:
    pass


@dataclass(frozen=True)
class _Index:
    index: int


@dataclass(frozen=True)
class _Slice:
    start: int | None
    stop: int | None
    step: int | None


@dataclass(frozen=True)
class _Filter:
    test: _Expr


_Selector = _Name | _Wildcard | _Index | _Slice | _Filter


@dataclass(frozen=True)
class _Segment:
    selectors: tuple[_Selector, ...]
    descendant: bool = False


@dataclass(frozen=True)
class _Query:
    relative: bool  # `@` (the filter's current node) or `$` (the root)
    segments: tuple[_Segment, ...]

    @property
    def singular(self) -> bool:
        return all(
            not s.descendant
            and len(s.selectors) == 1
            and isinstance(s.selectors[0], (_Name, _Index))
            for s in self.segments
        )


@dataclass(frozen=True)
class _Literal:
    value: Any


@dataclass(frozen=True)
class _Compare:
    op: str
    left: _Query | _Literal
    right: _Query | _Literal


@dataclass(frozen=True)
class _Exists:
    query: _Query


@dataclass(frozen=True)
class _Not:
    operand: _Expr


@dataclass(frozen=True)
class _And:
    operands: tuple[_Expr, ...]


@dataclass(frozen=True)
class _Or:
    operands: tuple[_Expr, ...]


_Expr = _Compare | _Exists | _Not | _And | _Or
_NOTHING = object()  # what a singular query gives when it selects no node
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


# ---- parsing ---------------------------------------------------------------------------------


def _name_start(char: str) -> bool:
    return char.isalpha() or char in "_$" or ord(char) > 0x7F


def _name_char(char: str) -> bool:
    return _name_start(char) or char.isdigit() or char == "-"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def fail(self, message: str, at: int | None = None) -> JSONPathError:
        return JSONPathError(message, self.at if at is None else at)

    def peek(self, count: int = 1) -> str:
        return self.text[self.at : self.at + count]

    def skip_blank(self) -> None:
        while self.at < len(self.text) and self.text[self.at] in " \t\n\r":
            self.at += 1

    def expect(self, token: str) -> None:
        self.skip_blank()
        if not self.text.startswith(token, self.at):
            found = self.text[self.at : self.at + 1] or "the end"
            raise self.fail(f"expected {token!r}, found {found!r}")
        self.at += len(token)

    def query(self) -> _Query:
        if self.peek() != "$":
            raise self.fail("a JSONPath query starts with '$'")
        self.at += 1
        segments = self.segments()
        if self.at != len(self.text):
            raise self.fail(f"unexpected {self.text[self.at]!r}")
        return _Query(False, segments)

    def segments(self) -> tuple[_Segment, ...]:
        found = []
        while True:
            start = self.at
            self.skip_blank()
            if self.peek(2) == "..":
                self.at += 2
                found.append(self.after_descent())
            elif self.peek() == ".":
                self.at += 1
                found.append(_Segment((self.dotted(),)))
            elif self.peek() == "[":
                found.append(_Segment(self.bracket()))
            else:
                self.at = start  # blanks belong to whatever follows the query
                return tuple(found)

    def after_descent(self) -> _Segment:
        if self.peek() == "[":
            return _Segment(self.bracket(), descendant=True)
        return _Segment((self.dotted(),), descendant=True)

    def dotted(self) -> _Selector:
        if self.peek() == "*":
            self.at += 1
            return _Wildcard()
        start = self.at
        if self.at >= len(self.text) or not _name_start(self.text[self.at]):
            raise self.fail("expected a member name or '*' after '.'")
        while self.at < len(self.text) and _name_char(self.text[self.at]):
            self.at += 1
        if self.peek() == "(":
            raise self.fail(f"function {self.text[start : self.at]}() is not supported", start)
        return _Name(self.text[start : self.at])

    def bracket(self) -> tuple[_Selector, ...]:
        self.expect("[")
        selectors = [self.selector()]
        self.skip_blank()
        while self.peek() == ",":
            self.at += 1
            selectors.append(self.selector())
            self.skip_blank()
        self.expect("]")
        return tuple(selectors)

    def selector(self) -> _Selector:
        self.skip_blank()
        char = self.peek()
        if char in ("'", '"'):
            return _Name(self.string())
        if char == "*":
            self.at += 1
            return _Wildcard()
        if char == "?":
            self.at += 1
            return _Filter(self.logical_or())
        if char == ":" or char == "-" or char.isdigit():
            return self.index_or_slice()
        raise self.fail(f"unexpected {char or 'end'!r} in a bracket selector")

    def integer(self) -> int | None:
        self.skip_blank()
        start = self.at
        if self.peek() == "-":
            self.at += 1
        while self.peek().isdigit():
            self.at += 1
        digits = self.text[start : self.at]
        if digits in ("", "-"):
            self.at = start
            return None
        if (digits.lstrip("-").startswith("0") and len(digits.lstrip("-")) > 1) or digits == "-0":
            raise self.fail(f"invalid integer {digits!r}", start)
        return int(digits)

    def index_or_slice(self) -> _Selector:
        start = self.integer()
        self.skip_blank()
        if self.peek() != ":":
            if start is None:
                raise self.fail("expected an index")
            return _Index(start)
        self.at += 1
        stop = self.integer()
        self.skip_blank()
        step = None
        if self.peek() == ":":
            self.at += 1
            step = self.integer()
        return _Slice(start, stop, step)

    def string(self) -> str:
        quote = self.text[self.at]
        start = self.at
        self.at += 1
        chars = []
        while True:
            if self.at >= len(self.text):
                raise self.fail("unterminated string", start)
            char = self.text[self.at]
            if char == quote:
                self.at += 1
                return "".join(chars)
            if char == "\\":
                escape = self.text[self.at : self.at + 2]
                if escape in ("\\'", '\\"'):
                    chars.append(escape[1])
                    self.at += 2
                    continue
                try:  # the JSON escapes: \n, \t, \u00e9, \\ ...
                    chars.append(json.loads('"' + self._json_escape() + '"'))
                except ValueError:
                    raise self.fail("invalid escape in a string") from None
                continue
            chars.append(char)
            self.at += 1

    def _json_escape(self) -> str:
        length = 6 if self.text[self.at + 1 : self.at + 2] == "u" else 2
        escape = self.text[self.at : self.at + length]
        self.at += length
        return escape

    # -- filter expressions --

    def logical_or(self) -> _Expr:
        operands = [self.logical_and()]
        self.skip_blank()
        while self.peek(2) == "||":
            self.at += 2
            operands.append(self.logical_and())
            self.skip_blank()
        return operands[0] if len(operands) == 1 else _Or(tuple(operands))

    def logical_and(self) -> _Expr:
        operands = [self.basic()]
        self.skip_blank()
        while self.peek(2) == "&&":
            self.at += 2
            operands.append(self.basic())
            self.skip_blank()
        return operands[0] if len(operands) == 1 else _And(tuple(operands))

    def basic(self) -> _Expr:
        self.skip_blank()
        if self.peek() == "!" and self.peek(2) != "!=":
            self.at += 1
            return _Not(self.basic())
        if self.peek() == "(":
            self.at += 1
            inner = self.logical_or()
            self.expect(")")
            return inner
        start = self.at
        left = self.operand()
        self.skip_blank()
        op = next((o for o in ("==", "!=", "<=", ">=", "<", ">") if self.peek(len(o)) == o), "")
        if not op:
            if isinstance(left, _Literal):
                raise self.fail("a literal alone is not a test; compare it with something", start)
            return _Exists(left)
        self.at += len(op)
        op_at = self.at
        right = self.operand()
        for side, at in ((left, start), (right, op_at)):
            if isinstance(side, _Query) and not side.singular:
                raise self.fail("only a singular query (names and indexes) can be compared", at)
        return _Compare(op, left, right)

    def operand(self) -> _Query | _Literal:
        self.skip_blank()
        char = self.peek()
        if char in ("@", "$"):
            self.at += 1
            return _Query(char == "@", self.segments())
        if char in ("'", '"'):
            return _Literal(self.string())
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.at) and not _name_char(
                self.text[self.at + len(word) : self.at + len(word) + 1] or " "
            ):
                self.at += len(word)
                return _Literal(value)
        number = self._number()
        if number is not None:
            return _Literal(number)
        if char and _name_start(char):
            start = self.at
            while self.at < len(self.text) and _name_char(self.text[self.at]):
                self.at += 1
            name = self.text[start : self.at]
            if self.peek() == "(":
                raise self.fail(f"function {name}() is not supported", start)
            raise self.fail(f"unexpected {name!r}; expected @, $ or a literal", start)
        raise self.fail(f"unexpected {char or 'end'!r}; expected @, $ or a literal")

    def _number(self) -> int | float | None:
        match = _NUMBER.match(self.text, self.at)
        if not match:
            return None
        self.at = match.end()
        text = match.group()
        return float(text) if match.group(2) or match.group(3) else int(text)


def parse(text: str) -> _Query:
    """The parsed query; raises JSONPathError with the offset of the first problem."""
    return _Parser(text).query()


# ---- evaluation ------------------------------------------------------------------------------


def find(query: str | _Query, data: Any) -> list[Match]:
    """Every node `query` selects in `data`, in document order."""
    parsed = parse(query) if isinstance(query, str) else query
    nodes = [Match(data, None, None, ())]
    return _apply(parsed.segments, nodes, data)


def _apply(segments: tuple[_Segment, ...], nodes: list[Match], root: Any) -> list[Match]:
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


def _select(selector: _Selector, node: Match, root: Any) -> Iterator[Match]:
    value = node.value
    if isinstance(selector, _Name):
        if isinstance(value, dict) and selector.name in value:
            yield Match(value[selector.name], value, selector.name, (*node.path, selector.name))
    elif isinstance(selector, _Wildcard):
        yield from _children(node)
    elif isinstance(selector, _Index):
        if isinstance(value, list) and -len(value) <= selector.index < len(value):
            index = selector.index % len(value)
            yield Match(value[index], value, index, (*node.path, index))
    elif isinstance(selector, _Slice):
        if isinstance(value, list) and selector.step != 0:
            for index in range(len(value))[selector.start : selector.stop : selector.step]:
                yield Match(value[index], value, index, (*node.path, index))
    else:
        for child in _children(node):
            if _test(selector.test, child.value, root):
                yield child


def _test(expr: _Expr, current: Any, root: Any) -> bool:
    if isinstance(expr, _Exists):
        return bool(_nodes(expr.query, current, root))
    if isinstance(expr, _Not):
        return not _test(expr.operand, current, root)
    if isinstance(expr, _And):
        return all(_test(e, current, root) for e in expr.operands)
    if isinstance(expr, _Or):
        return any(_test(e, current, root) for e in expr.operands)
    left, right = _operand(expr.left, current, root), _operand(expr.right, current, root)
    return _COMPARISONS[expr.op](left, right)


def _nodes(query: _Query, current: Any, root: Any) -> list[Match]:
    start = current if query.relative else root
    return _apply(query.segments, [Match(start, None, None, ())], root)


def _operand(operand: _Query | _Literal, current: Any, root: Any) -> Any:
    if isinstance(operand, _Literal):
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
