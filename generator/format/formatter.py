"""Stage 5: format rendered Python with black (default) or ruff.

Large modules are formatted in chunks split at top-level statements (black formats each top-level
statement independently, so the joined result is byte-identical; a test checks it). Chunks are
formatted in parallel across processes and remembered in a content-addressed cache, so a small
change in a big spec reformats only the chunks it touched.

oasgen's own templates lay code out as black does (see layout.py), so for them black, or ruff, is
given only the statements it could still change: those with a line too long for the layouts, or
with non-ASCII text outside docstrings (black measures its width its own way). Tests run black over
every package generated from the corpus, the fuzzed and the hostile specs, and ruff over the
corpus's ruff-formatted clients, and check that they change nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from generator.codegen.layout import UNSPLITTABLE
from generator.style import LINE_WIDTH, TARGET_PYTHON, black_mode, ruff_config

CHUNK_LINES = 1500
# Below this many lines to format, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 3000
_DEFINITION = re.compile(r"\n(?=class |def |async def |@)")
_TOP_LEVEL = re.compile(r"\n\n\n(?=class |def |async def |@|[A-Za-z_][A-Za-z0-9_]* = )")


class FormatError(Exception):
    """The formatter rejected rendered code: a bug in oasgen or in a template override."""


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


def join_chunks(chunks: list[str]) -> str:
    # Each formatted chunk ends with one newline; two more make black's two blank lines.
    return "\n\n".join(chunks)


def cache_dir() -> Path | None:
    if os.environ.get("OASGEN_NO_CACHE"):
        return None
    base = os.environ.get("OASGEN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "oasgen"
    )
    return Path(base) / "format"


def _black_key(text: str) -> str:
    import black

    salt = f"black {black.__version__} {LINE_WIDTH} {TARGET_PYTHON}\n"
    return hashlib.sha256((salt + text).encode("utf-8")).hexdigest()


def _cached(key: str, cache: Path | None) -> str | None:
    if cache is None:
        return None
    try:
        return (cache / key[:2] / key).read_text(encoding="utf-8")
    except OSError:
        return None


def _store(key: str, text: str, cache: Path | None) -> None:
    if cache is None:
        return
    try:
        folder = cache / key[:2]
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False) as tmp:
            tmp.write(text)
        os.replace(tmp.name, folder / key)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _black_chunk(item: tuple[str, str]) -> str:
    import black

    label, text = item
    try:
        return black.format_str(text, mode=black_mode())
    except black.InvalidInput as exc:
        raise FormatError(f"{label}: black could not format the rendered code: {exc}") from None


def format_black(
    files: Mapping[str, str], jobs: int | None = None, laid_out: bool = False
) -> dict[str, str]:
    """`laid_out`: the files come from oasgen's own templates, so only the statements for which
    `needs_formatting` holds are given to black; the others, and the blank lines between
    statements, are kept as rendered."""
    return _format_pieces(files, laid_out, lambda todo: _run_black(todo, jobs), _black_key)


def _format_pieces(
    files: Mapping[str, str],
    laid_out: bool,
    run: Callable[[list[tuple[str, str]]], list[str]],
    key_of: Callable[[str], str] | None,
) -> dict[str, str]:
    """Each file cut into pieces; `run` formats the (label, text) pieces that need it, remembered
    in the cache under `key_of(text)` when there is one."""
    cache = cache_dir() if key_of else None
    plans: dict[str, list[tuple[str, str]]] = {}  # path: [(key of a piece, blank lines after it)]
    done: dict[str, str] = {}
    todo: dict[str, tuple[str, str]] = {}  # key: (label, text)
    for path, text in files.items():
        plans[path] = []
        for piece, needed in _pieces(text, laid_out):
            if not needed:
                key = "=" + piece  # already as black would write it
                done[key] = piece
            else:
                key = key_of(piece) if key_of else "?" + piece
                cached = _cached(key, cache)
                if cached is not None:
                    done[key] = cached
                else:
                    todo.setdefault(key, (path, piece))
            plans[path].append((key, piece[len(piece.rstrip("\n")) + 1 :]))
    for key, formatted in zip(todo, run(list(todo.values()))):
        done[key] = formatted
        _store(key, formatted, cache)
    if not laid_out:
        return {path: join_chunks([done[key] for key, _ in plan]) for path, plan in plans.items()}
    result = {}
    for path, plan in plans.items():
        text = "".join(
            done[key] if key.startswith("=") else done[key] + blank for key, blank in plan
        )
        result[path] = text.rstrip("\n") + "\n" if text.strip() else ""
    return result


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


def _pieces(text: str, laid_out: bool) -> list[tuple[str, bool]]:
    """The pieces a module is formatted in, each with whether the formatter must see it."""
    if not laid_out:
        return [(chunk, True) for chunk in split_module(text)]
    # The statements black must see are grouped back into chunks (fewer, larger tasks).
    pieces: list[tuple[str, bool]] = []
    for statement in top_level_statements(text):
        needed = needs_formatting(statement)
        if needed and pieces and pieces[-1][1] and pieces[-1][0].count("\n") < CHUNK_LINES:
            pieces[-1] = (pieces[-1][0] + statement, True)
        else:
            pieces.append((statement, needed))
    return pieces


def _run_black(todo: list[tuple[str, str]], jobs: int | None) -> list[str]:
    if not todo:
        return []
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import black  # noqa: F401 - imported before forking so workers inherit it

    order = sorted(range(len(todo)), key=lambda i: -len(todo[i][1]))
    total_lines = sum(text.count("\n") for _, text in todo)
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    if workers <= 1 or total_lines < PARALLEL_THRESHOLD:
        results = [_black_chunk(todo[i]) for i in order]
    else:
        context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_black_chunk, [todo[i] for i in order], chunksize=1))
    formatted = [""] * len(todo)
    for i, text in zip(order, results):
        formatted[i] = text
    return formatted


def _ruff_binary() -> str:
    candidate = shutil.which("ruff")
    if candidate:
        return candidate
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        return str(find_ruff_bin())
    except ImportError:
        raise FormatError("--formatter ruff needs ruff installed (pip install ruff)") from None


def format_ruff(files: Mapping[str, str], laid_out: bool = False) -> dict[str, str]:
    """ruff's output is black's for everything oasgen's templates lay out (tests check that ruff,
    too, changes nothing in the corpus's packages), so `laid_out` files give it only the
    statements black would be given."""
    if not laid_out:
        return _run_ruff(dict(files))
    return _format_pieces(files, True, _ruff_pieces, None)


def _ruff_pieces(todo: list[tuple[str, str]]) -> list[str]:
    if not todo:
        return []
    formatted = _run_ruff({f"piece_{n}.py": text for n, (_, text) in enumerate(todo)})
    return [formatted[f"piece_{n}.py"] for n in range(len(todo))]


def _run_ruff(files: dict[str, str]) -> dict[str, str]:
    ruff = _ruff_binary()
    with tempfile.TemporaryDirectory(prefix="oasgen-ruff-") as tmp:
        for path, text in files.items():
            target = os.path.join(tmp, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
        config = os.path.join(tmp, "ruff.toml")
        with open(config, "w") as out:
            out.write(ruff_config())
        done = subprocess.run(
            [ruff, "format", "--config", config, "--no-cache", tmp],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise FormatError(
                f"ruff could not format the rendered code: {done.stderr.strip()[:2000]}"
            )
        result = {}
        for path in files:
            with open(os.path.join(tmp, path), encoding="utf-8") as src:
                result[path] = src.read()
        return result


def format_files(
    files: Mapping[str, str], formatter: str, laid_out: bool = False
) -> dict[str, str]:
    """Format the Python files among `files`; other files pass through. `laid_out`: they were
    rendered by oasgen's own templates (see `format_black`)."""
    python = {p: t for p, t in files.items() if p.endswith(".py")}
    formatted = dict(files)
    if not python or formatter == "none":
        return formatted
    if formatter == "ruff":
        formatted.update(format_ruff(python, laid_out=laid_out))
    elif formatter == "black":
        formatted.update(format_black(python, laid_out=laid_out))
    else:
        raise FormatError(f"unknown formatter {formatter!r} (black, ruff or none)")
    return formatted
