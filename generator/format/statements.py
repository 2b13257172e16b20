"""How a rendered module is cut into the top-level statements black formats one by one, and which
of them black could change: for the modules oasgen's templates lay out, only those are given to
black (formatter.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.codegen.layout import UNSPLITTABLE
from generator.style import LINE_WIDTH

CHUNK_LINES = 1500
_DEFINITION = re.compile(r"\n(?=class |def |async def |@)")
_TOP_LEVEL = re.compile(r"\n\n\n(?=class |def |async def |@|[A-Za-z_][A-Za-z0-9_]* = )")


def split_module(text: str, max_lines: int = CHUNK_LINES) -> list[str]:
    """Cut before top-level statements that follow two blank lines, into chunks of ~max_lines.
    Not before an assignment that follows imports or the module docstring: black leaves one blank
    line there, not the two that joining chunks puts back."""
    starts = [0] + [m.end() for m in _TOP_LEVEL.finditer(text) if _may_cut(text, m)]
    chunks: list[str] = []
    chunk_start, chunk_lines = 0, 0
    for start, end in zip(starts, starts[1:] + [len(text)]):
        lines = text.count("\n", start, end)
        if chunk_lines + lines > max_lines and start > chunk_start:
            chunks.append(text[chunk_start:start])
            chunk_start, chunk_lines = start, 0
        chunk_lines += lines
    chunks.append(text[chunk_start:])
    return chunks


def _line_before(text: str, newline: int) -> str:
    """The line that the newline at index `newline` ends."""
    return text[text.rfind("\n", 0, newline) + 1 : newline]


def _may_cut(text: str, found: re.Match[str]) -> bool:
    if text.startswith(("class ", "def ", "async def ", "@"), found.end()):
        return True
    previous_line = _line_before(text, found.start())
    return not previous_line.startswith(
        ("import ", "from ", ")", '"""')
    ) and not previous_line.endswith('"""')


def needs_formatting(statement: str) -> bool:
    """Whether black could change a top-level statement laid out by oasgen's templates."""
    return bool(formatting_reason(statement))


def formatting_reason(statement: str) -> str:
    """The line that black could change in `statement`, or "" when black would leave it as it is."""
    for found in _DEFINITION.finditer(statement):
        if not _line_before(statement, found.start()).startswith("@"):
            # not two blank lines before it, or `split_module` would have cut there
            return statement[found.start() + 1 :].split("\n", 1)[0]
    lines = statement.split("\n")
    if statement.isascii() and max(map(len, lines)) <= LINE_WIDTH:
        return ""  # the common case, without looking at each line
    inside, closing, left_alone = _string_lines(statement)
    for number, line in enumerate(lines):
        if number in inside:
            # Text inside a docstring is left as it is, whatever its length or characters...
            if number in closing and len(line) > LINE_WIDTH and line.strip() != '"""':
                return line  # ...but black moves closing quotes past the width to their own line
            continue
        if number in left_alone:
            continue
        if not line.isascii():
            return line  # black measures East Asian wide characters as two columns
        if len(line) > LINE_WIDTH and not UNSPLITTABLE.fullmatch(line):
            return line
    return ""


# Code, one-line strings and comments, read from a point in code (a statement's start) up to the
# next triple quotes that open a string: a quote inside a comment or inside a string of the other
# quote opens nothing. It always matches (perhaps nothing), so it never backtracks.
_CODE = re.compile(
    r"(?:[^\"'#]+"
    r'|"(?!"")[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|'(?!'')[^'\\\n]*(?:\\.[^'\\\n]*)*'"
    r"|#[^\n]*)*"
)


def _triple_quoted(text: str) -> Iterator[tuple[int, int]]:
    """Start and end of each triple-quoted string in `text` (which starts in code)."""
    position = 0
    while True:
        position = _CODE.match(text, position).end()  # type: ignore[union-attr]
        if position >= len(text):
            return
        quotes = text[position : position + 3]
        if quotes not in ('"""', "'''"):
            position += 1  # a quote that opens no string (black would refuse the code anyway)
            continue
        end = _closing(text, position + 3, quotes)
        yield position, end
        position = end


def _closing(text: str, start: int, quotes: str) -> int:
    """Where the string whose body starts at `start` ends: after the first `quotes` not escaped
    (`\"\"\"""` in a docstring is three escaped quotes and two plain ones, not its end)."""
    found = text.find(quotes, start)
    while found >= 0:
        backslashes = 0
        while found - backslashes > start and text[found - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return found + 3
        found = text.find(quotes, found + 1)
    return len(text)


def _string_lines(statement: str) -> tuple[set[int], set[int], set[int]]:
    """Line numbers in `statement` of triple-quoted strings: the lines inside one that spans lines
    (after its first, up to and including its last), the last lines among those, and the lines
    that open one at their start or hold one alone (a docstring's first line, a one-line
    docstring), which black leaves as they are."""
    inside: set[int] = set()
    closing: set[int] = set()
    left_alone: set[int] = set()
    if '"""' not in statement and "'''" not in statement:
        return inside, closing, left_alone
    line, counted = 0, 0
    for start, end in _triple_quoted(statement):
        line += statement.count("\n", counted, start)
        counted = start
        line_start = statement.rfind("\n", 0, start) + 1
        at_line_start = not statement[line_start:start].strip()
        last = line + statement.count("\n", start, end)
        if last > line:
            inside.update(range(line + 1, last + 1))
            closing.add(last)
            if at_line_start:
                left_alone.add(line)
        elif at_line_start and not _rest_of_line(statement, end).strip():
            left_alone.add(line)
    return inside, closing, left_alone


def _rest_of_line(text: str, start: int) -> str:
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


# A top-level assignment right after another top-level line: black formats it on its own.
_NEXT_ASSIGNMENT = re.compile(r"(?<=\n)(?=[A-Za-z_][A-Za-z0-9_]* = )")


def top_level_statements(text: str) -> list[str]:
    """A module laid out by oasgen's templates cut into the statements black formats one by one
    (a statement keeps the blank lines after it; imports and the module docstring go with the
    first statement that follows them)."""
    statements = []
    for chunk in split_module(text, max_lines=1):
        start = 0
        for found in _NEXT_ASSIGNMENT.finditer(chunk):
            if _line_before(chunk, found.start() - 1)[
                :1
            ].strip():  # it starts at column 0: a statement ended
                statements.append(chunk[start : found.start()])
                start = found.start()
        statements.append(chunk[start:])
    return statements
