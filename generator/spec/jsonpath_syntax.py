"""JSONPath (RFC 9535) syntax: the parsed form of a query, and the parser (see `jsonpath`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any


class JSONPathError(ValueError):
    """A query that cannot be parsed; `offset` is where in the text (0-based)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


# ---- the parsed query ------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Wildcard:
    pass


@dataclass(frozen=True)
class Index:
    index: int


@dataclass(frozen=True)
class Slice:
    start: int | None
    stop: int | None
    step: int | None


@dataclass(frozen=True)
class Filter:
    test: Expr


Selector = Name | Wildcard | Index | Slice | Filter


@dataclass(frozen=True)
class Segment:
    selectors: tuple[Selector, ...]
    descendant: bool = False


@dataclass(frozen=True)
class Query:
    relative: bool  # `@` (the filter's current node) or `$` (the root)
    segments: tuple[Segment, ...]

    @property
    def singular(self) -> bool:
        return all(
            not s.descendant and len(s.selectors) == 1 and isinstance(s.selectors[0], (Name, Index))
            for s in self.segments
        )


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Compare:
    op: str
    left: Query | Literal
    right: Query | Literal


@dataclass(frozen=True)
class Exists:
    query: Query


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class And:
    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Expr, ...]


Expr = Compare | Exists | Not | And | Or
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


# ---- parsing ---------------------------------------------------------------------------------


def _name_start(char: str) -> bool:
    return char.isalpha() or char in "_$" or ord(char) > 0x7F


def _name_char(char: str) -> bool:
    return _name_start(char) or char.isdigit() or char == "-"


class Parser:
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

    def query(self) -> Query:
        if self.peek() != "$":
            raise self.fail("a JSONPath query starts with '$'")
        self.at += 1
        segments = self.segments()
        if self.at != len(self.text):
            raise self.fail(f"unexpected {self.text[self.at]!r}")
        return Query(False, segments)

    def segments(self) -> tuple[Segment, ...]:
        found = []
        while True:
            start = self.at
            self.skip_blank()
            if self.peek(2) == "..":
                self.at += 2
                found.append(self.after_descent())
            elif self.peek() == ".":
                self.at += 1
                found.append(Segment((self.dotted(),)))
            elif self.peek() == "[":
                found.append(Segment(self.bracket()))
            else:
                self.at = start  # blanks belong to whatever follows the query
                return tuple(found)

    def after_descent(self) -> Segment:
        if self.peek() == "[":
            return Segment(self.bracket(), descendant=True)
        return Segment((self.dotted(),), descendant=True)

    def dotted(self) -> Selector:
        if self.peek() == "*":
            self.at += 1
            return Wildcard()
        start = self.at
        if self.at >= len(self.text) or not _name_start(self.text[self.at]):
            raise self.fail("expected a member name or '*' after '.'")
        while self.at < len(self.text) and _name_char(self.text[self.at]):
            self.at += 1
        if self.peek() == "(":
            raise self.fail(f"function {self.text[start : self.at]}() is not supported", start)
        return Name(self.text[start : self.at])

    def bracket(self) -> tuple[Selector, ...]:
        self.expect("[")
        selectors = [self.selector()]
        self.skip_blank()
        while self.peek() == ",":
            self.at += 1
            selectors.append(self.selector())
            self.skip_blank()
        self.expect("]")
        return tuple(selectors)

    def selector(self) -> Selector:
        self.skip_blank()
        char = self.peek()
        if char in ("'", '"'):
            return Name(self.string())
        if char == "*":
            self.at += 1
            return Wildcard()
        if char == "?":
            self.at += 1
            return Filter(self.logical_or())
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

    def index_or_slice(self) -> Selector:
        start = self.integer()
        self.skip_blank()
        if self.peek() != ":":
            if start is None:
                raise self.fail("expected an index")
            return Index(start)
        self.at += 1
        stop = self.integer()
        self.skip_blank()
        step = None
        if self.peek() == ":":
            self.at += 1
            step = self.integer()
        return Slice(start, stop, step)

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

    def logical_or(self) -> Expr:
        operands = [self.logical_and()]
        self.skip_blank()
        while self.peek(2) == "||":
            self.at += 2
            operands.append(self.logical_and())
            self.skip_blank()
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def logical_and(self) -> Expr:
        operands = [self.basic()]
        self.skip_blank()
        while self.peek(2) == "&&":
            self.at += 2
            operands.append(self.basic())
            self.skip_blank()
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def basic(self) -> Expr:
        self.skip_blank()
        if self.peek() == "!" and self.peek(2) != "!=":
            self.at += 1
            return Not(self.basic())
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
            if isinstance(left, Literal):
                raise self.fail("a literal alone is not a test; compare it with something", start)
            return Exists(left)
        self.at += len(op)
        op_at = self.at
        right = self.operand()
        for side, at in ((left, start), (right, op_at)):
            if isinstance(side, Query) and not side.singular:
                raise self.fail("only a singular query (names and indexes) can be compared", at)
        return Compare(op, left, right)

    def operand(self) -> Query | Literal:
        self.skip_blank()
        char = self.peek()
        if char in ("@", "$"):
            self.at += 1
            return Query(char == "@", self.segments())
        if char in ("'", '"'):
            return Literal(self.string())
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.at) and not _name_char(
                self.text[self.at + len(word) : self.at + len(word) + 1] or " "
            ):
                self.at += len(word)
                return Literal(value)
        number = self._number()
        if number is not None:
            return Literal(number)
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


def parse(text: str) -> Query:
    """The parsed query; raises JSONPathError with the offset of the first problem."""
    return Parser(text).query()
