"""Stage 6: format rendered Python with black (default) or ruff, in parallel, skipping what is cached."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor

LINE_LENGTH = 100
# Below this many lines, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 4000


class FormatError(Exception):
    """The formatter rejected rendered code: a bug in oasgen or in a template override."""


def _black_one(item: tuple[str, str]) -> tuple[str, str]:
    import black

    path, text = item
    mode = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=LINE_LENGTH)
    try:
        return path, black.format_str(text, mode=mode)
    except Exception as exc:  # black raises InvalidInput and friends
        raise FormatError(f"{path}: black could not format the rendered code: {exc}") from None


def format_black(files: Mapping[str, str], jobs: int | None = None) -> dict[str, str]:
    items = sorted(files.items(), key=lambda kv: -len(kv[1]))
    total_lines = sum(text.count("\n") for _, text in items)
    workers = min(jobs or os.cpu_count() or 1, len(items))
    if workers <= 1 or total_lines < PARALLEL_THRESHOLD:
        return dict(_black_one(item) for item in items)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return dict(pool.map(_black_one, items, chunksize=1))


def _ruff_binary() -> str:
    candidate = shutil.which("ruff")
    if candidate:
        return candidate
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        return str(find_ruff_bin())
    except ImportError:
        raise FormatError("--formatter ruff needs ruff installed (pip install ruff)") from None


def format_ruff(files: Mapping[str, str]) -> dict[str, str]:
    import tempfile

    ruff = _ruff_binary()
    with tempfile.TemporaryDirectory(prefix="oasgen-ruff-") as tmp:
        for path, text in files.items():
            target = os.path.join(tmp, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
        config = f"line-length = {LINE_LENGTH}\ntarget-version = \"py310\"\n"
        with open(os.path.join(tmp, "ruff.toml"), "w") as out:
            out.write(config)
        done = subprocess.run(
            [ruff, "format", "--config", os.path.join(tmp, "ruff.toml"), "--no-cache", tmp],
            capture_output=True, text=True, check=False,
        )
        if done.returncode != 0:
            raise FormatError(f"ruff could not format the rendered code: {done.stderr.strip()[:2000]}")
        result = {}
        for path in files:
            with open(os.path.join(tmp, path), encoding="utf-8") as src:
                result[path] = src.read()
        return result


def format_files(files: Mapping[str, str], formatter: str) -> dict[str, str]:
    """Format the Python files among `files`; other files pass through."""
    python = {p: t for p, t in files.items() if p.endswith(".py")}
    formatted = dict(files)
    if not python or formatter == "none":
        return formatted
    if formatter == "ruff":
        formatted.update(format_ruff(python))
    elif formatter == "black":
        formatted.update(format_black(python))
    else:
        raise FormatError(f"unknown formatter {formatter!r} (black, ruff or none)")
    return formatted


__all__ = ["format_files", "FormatError", "sys"]
