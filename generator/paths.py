"""Where oasgen's own files are, without importing anything heavy."""

from __future__ import annotations

import os
from pathlib import Path


def templates_dir() -> Path:
    """Templates ship inside the wheel (generator/templates); in a checkout they are at the root."""
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when inside it."""
    absolute = path.absolute()
    cwd = Path.cwd()
    return absolute.relative_to(cwd).as_posix() if cwd in absolute.parents else str(path)


def cache_root() -> Path | None:
    """oasgen's cache (formatted statements, compiled templates), or None when OASGEN_NO_CACHE
    is set: OASGEN_CACHE_DIR, else $XDG_CACHE_HOME/oasgen, else ~/.cache/oasgen."""
    if os.environ.get("OASGEN_NO_CACHE"):
        return None
    base = os.environ.get("OASGEN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "oasgen"
    )
    return Path(base)
