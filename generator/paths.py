"""Where oasgen's own files are, without importing anything heavy."""

from __future__ import annotations

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
