"""The limits a spec file must keep before it is parsed into data: its size, how deep it nests
(flow or block, checked on the text before a recursive parser meets it) and how far YAML aliases
expand it (the "billion laughs" shape). Each refusal is a located error."""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Any

from generator.diagnostics import Diagnostic, SpecError, join_pointer

MAX_BYTES = 64 * 1024 * 1024
MAX_NODES = 20_000_000  # after alias expansion; the largest public spec has ~2M
MAX_DEPTH = 400


def read_error(display: str, message: str, line: int = 1, column: int = 1) -> SpecError:
    """A spec file that cannot be read, as the error that stops the run."""
    return SpecError([Diagnostic(display, line, column, "error", message, "")])


_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# A line indented MAX_DEPTH columns deep (spaces and block indicators "- ", "? ", ": ") is the only
# way to nest block collections that deep: each level needs at least one more column. The loose
# character class finds candidates fast (the leading newline is a literal the regex engine skips
# to); the exact shape then rules out, say, a long line of dashes in a description.
_LONG_INDENT = re.compile(rf"\n[ \-?:]{{{MAX_DEPTH}}}")
_DEEP_BLOCK = re.compile(rf"(?:[ ]|[-?:][ ]){{{MAX_DEPTH}}}")


def check_nesting(text: str, display: str) -> None:
    """Refuse absurdly deep nesting, flow or block, before a recursive parser meets it.

    Whole-text C-level passes (regex, accumulate) keep this cheap on multi-megabyte specs; the
    exact position is worked out only when a document fails."""
    for candidate in _LONG_INDENT.finditer("\n" + text):
        block = _DEEP_BLOCK.match(text, candidate.start())
        if block:
            _fail_at(text, block.end() - 1, display)
    brackets = _NOT_BRACKET.sub("", text)
    if len(brackets) <= MAX_DEPTH:
        return
    heights = list(accumulate(map(_BRACKET_STEP.__getitem__, brackets)))
    floors = accumulate(heights, min, initial=0)
    # Depth never goes below zero: a surplus of closers (in a quoted string, say) is forgotten.
    if max(h - min(f, 0) for h, f in zip(heights, floors)) > MAX_DEPTH:
        _fail_at(text, _deep_flow_offset(text), display)


def _deep_flow_offset(text: str) -> int:
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth = depth + 1 if match.group() in "[{" else max(0, depth - 1)
        if depth > MAX_DEPTH:
            return match.start()
    return 0


def _fail_at(text: str, index: int, display: str) -> None:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    raise read_error(display, f"document nested deeper than {MAX_DEPTH} levels", line, column)


def check_size(data: Any) -> tuple[str, str] | None:
    """Refuse documents whose aliases expand past any real spec (the 'billion laughs' shape) or nest
    deeper than MAX_DEPTH once expanded (aliases can stack shallow text into deep data).

    Returns (pointer, message) for the first node found at fault, or None when the document is sane.
    Each shared node is measured once (size and height), where it first appears: for YAML that is
    its anchor, so the recursion stays as shallow as the text, which was checked already."""
    measured: dict[int, tuple[int, int]] = {}  # id -> (nodes, height)
    fault: list[tuple[str, str]] = []

    def measure(value: Any, path: tuple[str, ...]) -> tuple[int, int]:
        if not isinstance(value, (dict, list)):
            return 1, 0
        known = measured.get(id(value))
        if known is None:
            if len(path) > MAX_DEPTH:
                return MAX_NODES + 1, MAX_DEPTH + 1
            total, height = 1, 0
            children = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in children:
                nodes, child_height = measure(child, (*path, str(key)))
                total, height = total + nodes, max(height, child_height + 1)
                if fault:
                    break
            known = measured[id(value)] = (total, height)
        if not fault and len(path) + known[1] > MAX_DEPTH:
            message = f"document nested deeper than {MAX_DEPTH} levels (aliases expanded)"
            fault.append((join_pointer(list(path)), message))
        elif not fault and known[0] > MAX_NODES:
            message = (
                f"expands to more than {MAX_NODES} nodes through YAML aliases (an alias bomb?)"
            )
            fault.append((join_pointer(list(path)), message))
        return known

    measure(data, ())
    return fault[0] if fault else None


_AMPERSAND = re.compile(r"&[^\s\[\]{},]")


def may_have_anchors(text: str) -> bool:
    """Whether the text may hold a YAML anchor (`&name` where a node starts). Over-matching is safe."""
    for match in _AMPERSAND.finditer(text):
        start = match.start()
        if start == 0 or text[start - 1] in " \t\n\r:-[{,":
            return True
    return False
