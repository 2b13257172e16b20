"""Stage 1: read spec files (YAML or JSON) into plain Python data, keeping a way back to line and column.

Positions are computed lazily: only when a problem must be reported do we re-read the text with
PyYAML's composer, whose node marks carry line and column. JSON is a subset of YAML for this purpose.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, SpecError, split_pointer

try:  # the C loader is ~10x faster on multi-megabyte specs
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_BYTES = 64 * 1024 * 1024
MAX_NODES = 20_000_000  # after alias expansion; the largest public spec has ~2M
MAX_DEPTH = 400


class _StrictDuplicateLoader(SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that keeps timestamps and dates as strings (specs mean text)."""


def _str_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_StrictDuplicateLoader.add_constructor("tag:yaml.org,2002:timestamp", _str_timestamp)


@dataclass
class Document:
    """One parsed file and its text, able to locate a JSON pointer within it."""

    path: Path
    display: str
    text: str
    data: Any

    @cached_property
    def _root_node(self) -> yaml.Node | None:
        try:
            return yaml.compose(self.text, Loader=SafeLoader)
        except (yaml.YAMLError, RecursionError, ValueError):
            return None

    def locate(self, pointer: str) -> tuple[int, int]:
        """1-based (line, column) of the value at `pointer`, or of its nearest existing parent."""
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

    def diagnostic(self, pointer: str, message: str, severity: str = "error") -> Diagnostic:
        line, column = self.locate(pointer)
        return Diagnostic(self.display, line, column, severity, message, pointer)  # type: ignore[arg-type]


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

    def document(self, path: Path) -> Document:
        """The document at `path`, loading it on first use."""
        path = path.resolve()
        if path not in self.documents:
            self.documents[path] = load_document(path, display=_display(path))
        return self.documents[path]

    def within_root(self, path: Path) -> bool:
        base = self.root.path.parent.resolve()
        try:
            path.resolve().relative_to(base)
        except ValueError:
            return False
        return True


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


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


def parse_text(text: str, display: str) -> Any:
    """Parse by content: JSON when it looks like JSON, YAML otherwise."""
    if not text.strip():
        raise _fail(display, "empty file: expected an OpenAPI document")
    _check_nesting(text, display)
    if text.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            # Some ".json" specs are really YAML (or JSON with comments); YAML gets a second chance.
            try:
                return yaml.load(text, Loader=_StrictDuplicateLoader)
            except yaml.YAMLError:
                raise _fail(display, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
        except RecursionError:
            raise _fail(display, f"document nested deeper than {MAX_DEPTH} levels") from None
    try:
        return yaml.load(text, Loader=_StrictDuplicateLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "syntax error"
        raise _fail(display, f"invalid YAML: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise _fail(display, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise _fail(display, f"document nested deeper than {MAX_DEPTH} levels") from None


def _check_nesting(text: str, display: str) -> None:
    """Refuse absurdly deep flow nesting before a recursive parser meets it."""
    depth = 0
    for index, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, index) + 1
                column = index - (text.rfind("\n", 0, index) + 1) + 1
                raise _fail(display, f"document nested deeper than {MAX_DEPTH} levels", line, column)
        elif char in "]}":
            depth = max(0, depth - 1)


def check_size(data: Any, display: str) -> None:
    """Refuse documents whose aliases expand past any real spec (the 'billion laughs' shape)."""
    sizes: dict[int, int] = {}

    def size(value: Any, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise _fail(display, f"document nested deeper than {MAX_DEPTH} levels")
        if not isinstance(value, (dict, list)):
            return 1
        known = sizes.get(id(value))
        if known is not None:
            return known
        children = value.values() if isinstance(value, dict) else value
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_NODES:
                break
        sizes[id(value)] = total
        return total

    if size(data, 0) > MAX_NODES:
        raise _fail(display, f"document expands to more than {MAX_NODES} nodes (YAML alias bomb?)")


def load_document(path: Path, display: str | None = None) -> Document:
    display = display or _display(path)
    text = read_text(path, display)
    data = parse_text(text, display)
    check_size(data, display)
    return Document(path=path.resolve(), display=display, text=text, data=data)


def load_spec(path: str | os.PathLike[str], allow_outside_refs: bool = False) -> SpecSource:
    """Load the root spec file. Files it references are loaded on demand by the model builder."""
    spec_path = Path(path)
    root = load_document(spec_path, display=str(path))
    if not isinstance(root.data, dict):
        raise SpecError([root.diagnostic("", "not an OpenAPI document: the top level must be a mapping")])
    source = SpecSource(root=root, allow_outside_refs=allow_outside_refs)
    source.documents[root.path] = root
    return source
