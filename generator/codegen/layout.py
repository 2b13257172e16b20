"""Black's layout for the few statement shapes whose line breaks depend on the length of spec names.

The templates already lay every other statement out as black would (exploded with magic trailing
commas where needed), so a package rendered from oasgen's own templates comes out formatted; the
formatter stage then runs black only on the top-level statements that could still change (see
`statements.needs_formatting`). Where a shape below cannot be laid out with every line fitting, it
is returned on one line: that long line sends its statement to black, which decides.

The rules mirror black's right-hand split: a statement that fits stays on one line; otherwise it is
split at its last bracket, with the contents on one indented line when they fit (call arguments)
or one item per line with a trailing comma (collections, imports, and arguments that do not fit).
Property tests compare every shape with black itself.
"""

from __future__ import annotations

import functools
import re

from generator.style import LINE_WIDTH

INDENT = "    "
# A line black cannot split and leaves as it is, however long: a string or a (dotted) name,
# perhaps as a keyword argument or a dict item, with its trailing comma; an imported name with its
# alias (`Name as Name,`); or the head of a split black made itself and cannot shorten
# (`def name(`, `class Name(`, `self.name = function(`, `from .module import (`).
UNSPLITTABLE = re.compile(
    r'[ ]*(?:[A-Za-z_][A-Za-z0-9_]*=|"[^"\\\n]*": )?(?:"[^"\\\n]*"|[A-Za-z_][A-Za-z0-9_.]*),?'
    r"|[ ]*[A-Za-z_][A-Za-z0-9_]* as [A-Za-z_][A-Za-z0-9_]*,"
    r"|[ ]*(?:async )?def [A-Za-z_][A-Za-z0-9_]*\("
    r"|[ ]*class [A-Za-z_][A-Za-z0-9_]*\("
    r"|[ ]*self\.[A-Za-z_][A-Za-z0-9_]* = [A-Za-z_][A-Za-z0-9_]*\("
    r"|[ ]*from \.*[A-Za-z_][A-Za-z0-9_.]* import \("
)


def fits(line: str) -> bool:
    """Whether black would leave `line` as it is. Non-ASCII text never counts as fitting: black
    measures East Asian wide characters as two columns, and such statements are left to it."""
    return len(line) <= LINE_WIDTH and line.isascii()


def _acceptable(line: str) -> bool:
    """A line black leaves alone: it fits, or it cannot be split at all."""
    return fits(line) or (line.isascii() and UNSPLITTABLE.fullmatch(line) is not None)


def bracketed(indent: str, head: str, items: list[str], tail: str, *, collection: bool) -> str:
    """`head` (ending in an opening bracket), the comma-separated `items`, then `tail` (starting with
    the closing bracket), at `indent`. Call arguments (`collection=False`) stay together on one
    indented line when they fit; collections and imports always go one item per line."""
    one_line = f"{indent}{head}{', '.join(items)}{tail}"
    if fits(one_line) or not items:
        return one_line
    inner = indent + INDENT
    if not collection:
        lines = [indent + head, inner + ", ".join(items), indent + tail]
        if all(fits(line) for line in lines):
            return "\n".join(lines)
    body = []
    for item in items:
        line = f"{inner}{item},"
        # An item too long for its line is split in turn (a dict or a call among the arguments).
        split = None if _acceptable(line) else type_lines(inner, "", item, ",")
        body += split or [line]
    lines = [indent + head, *body, indent + tail]
    if fits(lines[0]) and fits(lines[-1]) and all(_acceptable(line) for line in lines[1:-1]):
        return "\n".join(lines)
    return one_line


def class_bases(name: str, bases: list[str]) -> str:
    """What goes between the parentheses of `class name(...):`, split as black splits a class
    head too long for its line: the bases on a line of their own, else one a line. black splits
    so even when `class name(` alone is too long (it cannot be shortened)."""
    joined = ", ".join(bases)
    if fits(f"class {name}({joined}):"):
        return joined
    if fits(INDENT + joined):
        return f"\n{INDENT}{joined}\n"
    return "\n" + "".join(f"{INDENT}{base},\n" for base in bases)


def call(indent: str, head: str, arguments: list[str], tail: str = "") -> str:
    """`head(arguments)tail`, e.g. `name: int = Field(default=1, alias="n")`."""
    return bracketed(indent, head + "(", arguments, ")" + tail, collection=False)


def collection(indent: str, head: str, opener: str, items: list[str], tail: str = "") -> str:
    """A list, tuple or dict literal after `head`, e.g. `query={"a": a, "b": b},`."""
    closer = {"[": "]", "(": ")", "{": "}"}[opener]
    return bracketed(indent, head + opener, items, closer + tail, collection=True)


# What the scanners below stop at: string literals (skipped whole), brackets, and separators.
_TOKEN = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[][(){}]| \| |, """)


@functools.lru_cache(maxsize=4096)  # type_lines asks again at each level of its recursion
def _top_level_split(text: str, separator: str) -> tuple[str, ...]:
    """`text` cut at each `separator` (` | ` or `, `) outside brackets and string literals."""
    parts, depth, start = [], 0, 0
    for found in _TOKEN.finditer(text):
        token = found.group()
        if token in "([{":
            depth += 1
        elif token in ")]}":
            depth -= 1
        elif token == separator and depth == 0:
            parts.append(text[start : found.start()])
            start = found.end()
    return (*parts, text[start:])


def union_members(annotation: str) -> list[str]:
    """The members of a top-level `A | B | C` annotation (one member when it is not a union)."""
    return list(_top_level_split(annotation, " | "))


def type_lines(indent: str, lead: str, expression: str, tail: str) -> list[str] | None:
    """`lead + expression + tail` at `indent`, split as black splits an expression inside
    brackets: before each `|` of a union, then inside the brackets that close it (a subscript, a
    call, a literal dict, list or tuple); None if a line would still be too long (black's own,
    rarer layouts are left to black)."""
    one_line = f"{indent}{lead}{expression}{tail}"
    if fits(one_line):
        return [one_line]
    members = union_members(expression)
    if len(members) > 1:
        lines: list[str] = []
        for n, member in enumerate(members):
            part = type_lines(
                indent, lead if n == 0 else "| ", member, tail if n == len(members) - 1 else ""
            )
            if part is None:
                return None
            lines += part
        return lines
    opening = _closing_bracket_partner(expression)
    if opening is None:
        return None
    head, body = expression[: opening + 1], expression[opening + 1 : -1]
    literal = (
        opening == 0 or expression[opening - 1] == "="
    )  # a dict, list or tuple: one item a line
    inner = indent + INDENT
    items = _top_level_split(body, ", ")
    if literal and (len(items) < 2 or items[-1] == ""):
        return None  # an empty or one-item literal (`("a",)`): left to black
    if fits(inner + body) and not literal:
        middle = [inner + body]
    elif len(items) > 1:
        middle = []
        for item in items:
            part = type_lines(inner, "", item, ",")
            if part is None and literal and _acceptable(f"{inner}{item},"):
                part = [
                    f"{inner}{item},"
                ]  # a dict item black cannot shorten (`"key": name,`) stays long
            if part is None:
                return None
            middle += part
    else:
        found = type_lines(inner, "", body, "")
        if found is None:
            return None
        middle = found
    lines = [f"{indent}{lead}{head}", *middle, f"{indent}{expression[-1]}{tail}"]
    check = _acceptable if literal else fits
    return (
        lines
        if fits(lines[0]) and fits(lines[-1]) and all(check(line) for line in middle)
        else None
    )


_SIMPLE_HEAD = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_.]*=?)?")  # `name[`, `f(`, `key={` or a bare `{`


@functools.lru_cache(maxsize=4096)
def _closing_bracket_partner(expression: str) -> int | None:
    """Where the bracket that closes `expression` opens, when it is the first bracket of a simple
    `name[...]`, `name(...)` or a literal; None for anything else."""
    if not expression or expression[-1] not in ")]}":
        return None
    opening = None
    depth = 0
    for found in _TOKEN.finditer(expression):
        token = found.group()
        if token in "([{":
            if opening is None:
                opening = found.start()
                if not _SIMPLE_HEAD.fullmatch(expression[:opening]):
                    return None
            depth += 1
        elif token in ")]}":
            depth -= 1
            if depth == 0:
                return opening if found.end() == len(expression) else None
        elif opening is None and token[0] in "\"'":
            return None  # a string before any bracket: not a simple name
    return None


def _parenthesized(indent: str, head: str, annotation: str, tail: str) -> list[str] | None:
    """`head (annotation) tail` over several lines, as black writes a long type hint."""
    if len(union_members(annotation)) < 2:
        return None
    body = type_lines(indent + INDENT, "", annotation, "")
    if body is None:
        return None
    lines = [f"{indent}{head}(", *body, f"{indent}){tail}"]
    return lines if all(fits(line) for line in lines) else None


def annotated(indent: str, name: str, annotation: str, tail: str = "") -> str:
    """A parameter `name: annotation` then `tail` (` = default,`): a long union goes in
    parentheses, as black writes long type hints."""
    one_line = f"{indent}{name}: {annotation}{tail}"
    if fits(one_line):
        return one_line
    lines = _parenthesized(indent, f"{name}: ", annotation, tail)
    if lines is None and len(union_members(annotation)) == 1 and tail in ("", ","):
        lines = type_lines(indent, f"{name}: ", annotation, tail)
    return "\n".join(lines) if lines else one_line


def annotated_assignment(indent: str, name: str, annotation: str, value: str = "") -> str:
    """`name: annotation = value` in a class body: black first puts a long value alone in
    parentheses, and only when that does not fit parenthesizes the annotation."""
    tail = f" = {value}" if value else ""
    one_line = f"{indent}{name}: {annotation}{tail}"
    if fits(one_line):
        return one_line
    opening = value.find("(")
    if value.endswith(")") and opening > 0 and value[:opening].isidentifier():
        arguments = list(_top_level_split(value[opening + 1 : -1], ", "))
        return call_assignment(indent, f"{name}: {annotation}", value[:opening], arguments)
    if any(bracket in value for bracket in "([{"):
        return one_line  # black's layouts of literal lists and dicts are left to black
    if value:
        lines = [f"{indent}{name}: {annotation} = (", f"{indent}{INDENT}{value}", f"{indent})"]
        if all(fits(line) for line in lines):
            return "\n".join(lines)
    return annotated(indent, name, annotation, tail)


def returns(indent: str, annotation: str, tail: str = ":") -> str:
    """The `) -> annotation:` line that closes an exploded signature (`tail`: `: ...` for an
    `@overload`, whose body black keeps on that line)."""
    one_line = f"{indent}) -> {annotation}{tail}"
    if fits(one_line):
        return one_line
    lines = _parenthesized(indent, ") -> ", annotation, tail)
    if lines is None and len(union_members(annotation)) == 1:
        lines = type_lines(indent, ") -> ", annotation, tail)
    return "\n".join(lines) if lines else one_line


def assignment(indent: str, target: str, value: str) -> str:
    """`target = value`: a value that does not fit goes alone in parentheses (a union one member
    per line if need be), as black splits the right-hand side of an assignment."""
    one_line = f"{indent}{target} = {value}"
    if fits(one_line):
        return one_line
    inner = indent + INDENT
    partner = _closing_bracket_partner(value)
    if len(union_members(value)) > 1:
        body = type_lines(inner, "", value, "")
    elif partner is not None and partner > 0:  # a subscript or a call splits inside its brackets
        split = type_lines(indent, f"{target} = ", value, "")
        return "\n".join(split) if split else one_line
    elif partner == 0 or any(bracket in value for bracket in "([{"):
        return one_line  # literal lists and dicts, and anything else bracketed: left to black
    else:
        body = [inner + value]
    if body is None:
        return one_line
    lines = [f"{indent}{target} = (", *body, f"{indent})"]
    return "\n".join(lines) if all(fits(line) for line in lines) else one_line


def call_assignment(indent: str, target: str, function: str, arguments: list[str]) -> str:
    """`target = function(arguments)`, in the first of black's layouts that fits: split inside the
    call; the call alone in parentheses; for an annotated target, the annotation parenthesized (a
    union) or opened at its own brackets (`name: Generic[T]`), then the call split after it."""
    laid_out = call(indent, f"{target} = {function}", arguments)
    if all(fits(line) for line in laid_out.split("\n")):
        return laid_out
    inner = call(indent + INDENT, function, arguments)
    lines = [f"{indent}{target} = (", *inner.split("\n"), f"{indent})"]
    if all(fits(line) for line in lines):
        return "\n".join(lines)
    if len(arguments) == 1 and target.startswith("self."):
        # Nothing fits: black splits inside the call all the same (`self.name = function(`).
        return "\n".join(
            [f"{indent}{target} = {function}(", f"{indent}{INDENT}{arguments[0]}", f"{indent})"]
        )
    head = f"{indent}{target} = {function}("
    if (
        fits(lines[0])
        and "[" in target
        and not fits(head)
        and all(_acceptable(line) for line in lines)
    ):
        # black keeps the parentheses when the target has brackets and `target = function(` is too
        # long, even around a line it cannot shorten (`accept="a long string",`).
        return "\n".join(lines)
    if fits(lines[0]):
        return laid_out  # black weighs the parenthesized form against the others: left to it
    name, colon, annotation = target.partition(": ")
    head = _parenthesized(indent, f"{name}: ", annotation, "") if colon else None
    if head is None and colon and len(union_members(annotation)) == 1:
        # `name: Generic[T] = function(...)`: black opens the annotation's brackets first.
        split = type_lines(indent, f"{name}: ", annotation, f" = {function}(")
        if split and len(split) > 1:
            closing = split[-1].lstrip()[
                0
            ]  # the annotation's closing bracket starts the call's line
            lines = split[:-1] + call(indent, f"{closing} = {function}", arguments).split("\n")
            return "\n".join(lines) if all(_acceptable(line) for line in lines) else laid_out
    if head is None:
        return laid_out
    # The closing parenthesis starts a line of its own, laid out like any call.
    lines = head[:-1] + call(indent, f"{head[-1].strip()} = {function}", arguments).split("\n")
    return "\n".join(lines) if all(fits(line) for line in lines) else laid_out
