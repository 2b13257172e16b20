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
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from generator.format.statements import (
    CHUNK_LINES,
    needs_formatting,
    split_module,
    top_level_statements,
)
from generator.paths import cache_root
from generator.style import LINE_WIDTH, TARGET_PYTHON, black_mode, ruff_config

# Below this many lines to format, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 3000


class FormatError(Exception):
    """The formatter rejected rendered code: a bug in oasgen or in a template override."""


def join_chunks(chunks: list[str]) -> str:
    # Each formatted chunk ends with one newline; two more make black's two blank lines.
    return "\n\n".join(chunks)


def cache_dir() -> Path | None:
    root = cache_root()
    return None if root is None else root / "format"


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
