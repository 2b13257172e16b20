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
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, SpecError, join_pointer, split_pointer
from generator.paths import display_path
from generator.spec.limits import (
    MAX_BYTES,
    MAX_DEPTH,
    check_nesting,
    check_size,
    may_have_anchors,
    read_error,
)

try:  # the C loader is ~10x faster on multi-megabyte specs
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]


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


def read_text(path: Path, display: str) -> str:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise read_error(display, "not a regular file")
        if size > MAX_BYTES:
            raise read_error(display, f"file is {size} bytes; the limit is {MAX_BYTES}")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise read_error(display, "no such file") from None
    except PermissionError:
        raise read_error(display, "permission denied: cannot read the file") from None
    except IsADirectoryError:
        raise read_error(display, "is a directory, not a spec file") from None
    except OSError as exc:
        raise read_error(display, f"cannot read the file: {exc.strerror or exc}") from None
    if b"\x00" in raw[:8192]:
        raise read_error(display, "binary file: expected YAML or JSON text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise read_error(
            display, f"not UTF-8 text (byte {exc.start}): expected YAML or JSON"
        ) from None


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
        raise read_error(display, "empty file: expected an OpenAPI document")
    check_nesting(text, display)
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
                raise read_error(
                    display, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno
                ) from None
            problems.append(
                ReadProblem(
                    exc.lineno, exc.colno, f"invalid JSON ({exc.msg}); read as YAML instead"
                )
            )
            return data
        except RecursionError:
            raise read_error(display, f"document nested deeper than {MAX_DEPTH} levels") from None
    try:
        return _load_yaml(text, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "syntax error"
        raise read_error(display, f"invalid YAML: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise read_error(display, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise read_error(display, f"document nested deeper than {MAX_DEPTH} levels") from None


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
    raise read_error(
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
    fault = check_size(data) if not read_as_json and may_have_anchors(text) else None
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
