"""The one way a spec string reaches generated code: as a Python literal or inside a safe docstring."""

from __future__ import annotations

import math
import re
from typing import Any

from generator.style import LINE_WIDTH

# Text that needs none of the work below: no line breaks or controls, backslashes, quotes (which
# black pads at the ends and which could close the docstring), surrogates or odd separators.
_PLAIN = re.compile(r'[^\x00-\x1f\x7f\\"\u2028\u2029\ufeff\ud800-\udfff]*\Z')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def py_literal(value: Any) -> str:
    """A Python expression that evaluates to `value` (str, number, bool, None, list, dict)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"float({str(value)!r})"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        inner = ", ".join(py_literal(v) for v in value)
        return (
            f"[{inner}]"
            if isinstance(value, list)
            else f"({inner}{',' if len(value) == 1 else ''})"
        )
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items())
            + "}"
        )
    return _string(str(value))


def _string(text: str) -> str:
    """repr() always yields a valid literal; the quotes are then chosen as black chooses them:
    double unless that needs more backslashes, so formatting never has to change them."""
    literal = repr(text)
    if literal.startswith('"'):
        return literal
    if '"' not in text:  # then there is no `'` in it either: only the quotes change
        return f'"{literal[1:-1]}"'
    body = literal[1:-1]
    double = _REPR_TOKEN.sub(lambda m: {"\\'": "'", '"': '\\"'}.get(m.group(0), m.group(0)), body)
    if double.count("\\") > body.count("\\"):
        return literal
    return f'"{double}"'


_REPR_TOKEN = re.compile(r"\\.|.", re.DOTALL)


def toml_string(value: str) -> str:
    """A TOML basic string (Python's repr is not TOML: `\\x00` and `'...\\'...'` are not valid there)."""
    text = _SURROGATE.sub("\ufffd", str(value))
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def docstring_text(text: str, indent: str = "") -> str:
    """Text that is safe between triple double quotes: no closing quotes, no escapes, no controls.
    Its lines are laid out as black lays out a docstring (first line stripped, the others dedented
    together, no trailing spaces), so formatting leaves them alone."""
    if not text:
        return ""
    text = str(text)
    if len(text) <= LINE_WIDTH - len(indent) - 6 and _PLAIN.match(text):
        return text.strip()  # the common short one-liner: nothing to escape, wrap or dedent
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    # lone surrogates (possible from JSON escapes) cannot be written as UTF-8
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", text))
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = _dedented([line.rstrip() for line in text.strip().split("\n")])
    width = LINE_WIDTH - len(indent)
    # The opening quotes share the first line, and the closing ones too when it is the only line.
    first = _wrapped(lines[:1], width - (6 if len(lines) == 1 else 3))
    if len(first) > 1:
        first[1:] = _wrapped([" ".join(first[1:])], width)
    lines = first + _wrapped(lines[1:], width, fenced=lines[0].startswith("```"))
    body = ("\n" + indent).join(lines).replace("\n" + indent + "\n", "\n\n")
    body = "\n".join(line.rstrip() for line in body.split("\n"))
    if body.startswith('"'):
        body = " " + body
    return body


def inline_text(text: str) -> str:
    """Spec text on one line inside a docstring written by a template (a title, a version)."""
    return docstring_text(" ".join(str(text).split())).strip()


def _dedented(lines: list[str]) -> list[str]:
    """The lines after the first lose the indentation they share (the first line is stripped)."""
    margins = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    cut = min(margins, default=0)
    return [lines[0].strip()] + [line[cut:] for line in lines[1:]]


_ARG_LINE = re.compile(r"^(\s+)[A-Za-z_][A-Za-z0-9_]*: ")


def _wrapped(lines: list[str], width: int, fenced: bool = False) -> list[str]:
    """Long lines wrapped at spaces (black leaves docstrings alone); Google-style `name: text`
    entries get a hanging indent, and fenced code blocks are left as they are."""
    out: list[str] = []
    for line in lines:
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced or len(line) <= width:
            out.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip())]
        arg = _ARG_LINE.match(line)
        out.extend(
            _fill(line.strip(), max(width, 40), lead, lead + ("    " if arg else "")) or [line]
        )
    return out


_CHUNK = re.compile(r"(\s+)")


def _fill(text: str, width: int, first: str, later: str) -> list[str]:
    """`textwrap.wrap(text, width, initial_indent=first, subsequent_indent=later,
    break_long_words=False, break_on_hyphens=False)`, five times faster: greedy, spaces kept
    inside a line and dropped where it breaks, a word too long for any line on a line of its own."""
    chunks = [c for c in _CHUNK.split(text) if c][::-1]
    lines: list[str] = []
    while chunks:
        indent = later if lines else first
        room = width - len(indent)
        if lines and chunks[-1].isspace():
            chunks.pop()
        line: list[str] = []
        used = 0
        while chunks and used + len(chunks[-1]) <= room:
            used += len(chunks[-1])
            line.append(chunks.pop())
        if chunks and not line and len(chunks[-1]) > room:
            line.append(chunks.pop())
        if line and line[-1].isspace():
            line.pop()
        if line:
            lines.append(indent + "".join(line))
    return lines


def docstring(text: str, indent: str = "") -> str:
    """A complete docstring statement, or nothing when there is no text."""
    body = docstring_text(text, indent)
    if not body:
        return ""
    if "\n" in body:
        return f'"""{body}\n{indent}"""'
    if body.endswith('"'):
        body += " "  # the closing quotes follow on the same line
    return f'"""{body}"""'
