"""Stage 1: read spec files (YAML or JSON) into plain Python data, keeping a way back to line and column.

Positions are computed lazily: only when a problem must be reported do we re-read the text with
PyYAML's composer, whose node marks carry line and column. JSON is a subset of YAML for this purpose.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, SpecError, join_pointer, split_pointer
from generator.paths import display_path

try:  # the C loader is ~10x faster on multi-megabyte specs
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_BYTES = 64 * 1024 * 1024
MAX_NODES = 20_000_000  # after alias expansion; the largest public spec has ~2M
MAX_DEPTH = 400


class _SpecLoader(SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that keeps timestamps and dates as strings (specs mean text), and notices when a
    mapping may repeat a key (PyYAML keeps the last silently); `duplicate_keys` then finds them."""

    maybe_duplicates = False

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) < len(node.value):  # also true for `<<` merges; the exact check tells
            self.maybe_duplicates = True
        return mapping  # type: ignore[no-any-return]


def _str_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_SpecLoader.add_constructor("tag:yaml.org,2002:timestamp", _str_timestamp)


class _PositionLoader(SafeLoader):  # type: ignore[misc,valid-type]
    """Composes the node tree for its positions only: tags are never resolved (PyYAML resolves
    each scalar's tag in Python, most of the time of composing a large spec)."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return ""


@dataclass
class Document:
    """One parsed file and its text, able to locate a JSON pointer within it."""

    path: Path
    display: str
    text: str
    data: Any
    # Pointer prefixes of a converted document (Swagger 2.0) -> where they stood in the source.
    origins: dict[str, str] = field(default_factory=dict)
    # Problems found while reading that still leave a usable document (duplicate keys ...).
    problems: list[Diagnostic] = field(default_factory=list)
    # After overlays: where a (pre-conversion) pointer's node came from, the spec or an overlay.
    relocate: Callable[[str], tuple[Document, str]] | None = None

    @cached_property
    def _root_node(self) -> yaml.Node | None:
        try:
            return yaml.compose(self.text, Loader=_PositionLoader)
        except (yaml.YAMLError, RecursionError, ValueError):
            return None

    def locate(self, pointer: str) -> tuple[int, int]:
        """1-based (line, column) of the value at `pointer`, or of its nearest existing parent."""
        return self._locate_in_text(self._original_pointer(pointer))

    def _locate_in_text(self, pointer: str) -> tuple[int, int]:
        node = self._root_node
        if node is None:
            return (1, 1)
        best = node.start_mark
        for token in split_pointer(pointer):
            child = _child_node(node, token)
            if child is None:
                break
            key_node, node = child
            best = key_node.start_mark if key_node is not None else node.start_mark
        return (best.line + 1, best.column + 1)

    def _original_pointer(self, pointer: str) -> str:
        probe = pointer
        while probe:
            if probe in self.origins:
                return self.origins[probe] + pointer[len(probe) :]
            probe = probe.rsplit("/", 1)[0]
        return pointer

    def diagnostic(self, pointer: str, message: str, severity: str = "error") -> Diagnostic:
        """`message` located where the node at `pointer` was written: in this file, or in the
        overlay that put it there."""
        original = self._original_pointer(pointer)
        home, at = self.relocate(original) if self.relocate else (self, original)
        line, column = home._locate_in_text(at)
        return Diagnostic(home.display, line, column, severity, message, pointer)  # type: ignore[arg-type]


def _child_node(node: yaml.Node, token: str) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == token:
                return key, value
        return None
    if isinstance(node, yaml.SequenceNode) and token.isdigit():
        index = int(token)
        if index < len(node.value):
            return None, node.value[index]
    return None


@dataclass
class SpecSource:
    """The root document and every file it references, keyed by resolved path."""

    root: Document
    documents: dict[Path, Document] = field(default_factory=dict)
    allow_outside_refs: bool = False
    overlays: list[Document] = field(default_factory=list)  # applied to `root`, in order

    def document(self, path: Path) -> Document:
        """The document at `path`, loading it on first use."""
        path = path.resolve()
        if path not in self.documents:
            self.documents[path] = load_document(path, display=display_path(path))
        return self.documents[path]

    def within_root(self, path: Path) -> bool:
        base = self.root.path.parent.resolve()
        try:
            path.resolve().relative_to(base)
        except ValueError:
            return False
        return True


def _fail(display: str, message: str, line: int = 1, column: int = 1) -> SpecError:
    return SpecError([Diagnostic(display, line, column, "error", message, "")])


def read_text(path: Path, display: str) -> str:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise _fail(display, "not a regular file")
        if size > MAX_BYTES:
            raise _fail(display, f"file is {size} bytes; the limit is {MAX_BYTES}")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _fail(display, "no such file") from None
    except PermissionError:
        raise _fail(display, "permission denied: cannot read the file") from None
    except IsADirectoryError:
        raise _fail(display, "is a directory, not a spec file") from None
    except OSError as exc:
        raise _fail(display, f"cannot read the file: {exc.strerror or exc}") from None
    if b"\x00" in raw[:8192]:
        raise _fail(display, "binary file: expected YAML or JSON text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(display, f"not UTF-8 text (byte {exc.start}): expected YAML or JSON") from None


@dataclass
class ReadProblem:
    """Something wrong in the text that did not stop it from being read."""

    line: int
    column: int
    message: str
    pointer: str = ""


def parse_text(text: str, display: str, problems: list[ReadProblem] | None = None) -> Any:
    """Parse by content: JSON when it looks like JSON, YAML otherwise.

    Problems that leave the document readable are appended to `problems`."""
    problems = problems if problems is not None else []
    if not text.strip():
        raise _fail(display, "empty file: expected an OpenAPI document")
    _check_nesting(text, display)
    if text.lstrip()[:1] in ("{", "["):
        try:
            data = json.loads(text)
            _check_surrogates(data, text, display)
            return data
        except json.JSONDecodeError as exc:
            # Some ".json" specs are really YAML (or JSON with comments); YAML gets a second chance.
            try:
                data = _load_yaml(text, problems)
            except yaml.YAMLError:
                raise _fail(display, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
            problems.append(
                ReadProblem(
                    exc.lineno, exc.colno, f"invalid JSON ({exc.msg}); read as YAML instead"
                )
            )
            return data
        except RecursionError:
            raise _fail(display, f"document nested deeper than {MAX_DEPTH} levels") from None
    try:
        return _load_yaml(text, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "syntax error"
        raise _fail(display, f"invalid YAML: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise _fail(display, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise _fail(display, f"document nested deeper than {MAX_DEPTH} levels") from None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_HIGH, _LOW = (
    re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}"),
    re.compile(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}"),
)


def _check_surrogates(data: Any, text: str, display: str) -> None:
    """JSON's grammar admits lone surrogate escapes (\\ud800), but they are not text: nothing can
    write them out as UTF-8 (issue 7: a hostile spec crashed the writer). YAML refuses them itself."""
    if not _SURROGATE_ESCAPE.search(text):
        return
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return
    offset = 0
    for match in _SURROGATE_ESCAPE.finditer(text):
        if _HIGH.fullmatch(match.group()) and _LOW.fullmatch(text[match.end() : match.end() + 6]):
            continue
        if _LOW.fullmatch(match.group()) and _HIGH.fullmatch(
            text[match.start() - 6 : match.start()]
        ):
            continue
        offset = match.start()
        break
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    raise _fail(
        display, "invalid JSON: a \\u escape of a lone surrogate is not Unicode text", line, column
    )


def _load_yaml(text: str, problems: list[ReadProblem]) -> Any:
    loader = _SpecLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    if loader.maybe_duplicates:
        problems.extend(duplicate_keys(text))
    return data


def duplicate_keys(text: str) -> list[ReadProblem]:
    """Every repeated key of every mapping, located at the repetition (the later value wins)."""
    root = yaml.compose(text, Loader=SafeLoader)
    found: list[ReadProblem] = []
    stack: list[tuple[yaml.Node | None, tuple[str, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
                if name and name != "<<" and name in seen:
                    mark = key.start_mark
                    found.append(
                        ReadProblem(
                            mark.line + 1,
                            mark.column + 1,
                            f"duplicate key {name!r}: the earlier value is ignored",
                            join_pointer([*path, name]),
                        )
                    )
                seen.add(name)
                stack.append((value, (*path, name)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, str(i))) for i, item in enumerate(node.value))
    return sorted(found, key=lambda p: (p.line, p.column))


_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# A line indented MAX_DEPTH columns deep (spaces and block indicators "- ", "? ", ": ") is the only
# way to nest block collections that deep: each level needs at least one more column. The loose
# character class finds candidates fast (the leading newline is a literal the regex engine skips
# to); the exact shape then rules out, say, a long line of dashes in a description.
_LONG_INDENT = re.compile(rf"\n[ \-?:]{{{MAX_DEPTH}}}")
_DEEP_BLOCK = re.compile(rf"(?:[ ]|[-?:][ ]){{{MAX_DEPTH}}}")


def _check_nesting(text: str, display: str) -> None:
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
    raise _fail(display, f"document nested deeper than {MAX_DEPTH} levels", line, column)


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


def _may_have_anchors(text: str) -> bool:
    """Whether the text may hold a YAML anchor (`&name` where a node starts). Over-matching is safe."""
    for match in _AMPERSAND.finditer(text):
        start = match.start()
        if start == 0 or text[start - 1] in " \t\n\r:-[{,":
            return True
    return False


def load_document(path: Path, display: str | None = None) -> Document:
    display = display or display_path(path)
    text = read_text(path, display)
    found: list[ReadProblem] = []
    data = parse_text(text, display, found)
    problems = [Diagnostic(display, p.line, p.column, "error", p.message, p.pointer) for p in found]
    document = Document(
        path=path.resolve(), display=display, text=text, data=data, problems=problems
    )
    # Only anchors let YAML share subtrees; without one, the text's nesting check already bounds the data.
    # Text read as JSON has none ('&' in a JSON string only looks like one): GitHub's 4 MB spec
    # spent half its load time measuring itself.
    read_as_json = text.lstrip()[:1] in ("{", "[") and not found
    fault = check_size(data) if not read_as_json and _may_have_anchors(text) else None
    if fault is not None:
        pointer, message = fault
        raise SpecError([document.diagnostic(pointer, message)])
    return document


def load_spec(path: str | os.PathLike[str], allow_outside_refs: bool = False) -> SpecSource:
    """Load the root spec file. Files it references are loaded on demand by the model builder."""
    spec_path = Path(path)
    root = load_document(
        spec_path, display=display_path(spec_path) if spec_path.is_absolute() else str(path)
    )
    if not isinstance(root.data, dict):
        raise SpecError(
            [root.diagnostic("", "not an OpenAPI document: the top level must be a mapping")]
        )
    source = SpecSource(root=root, allow_outside_refs=allow_outside_refs)
    source.documents[root.path] = root
    return source
