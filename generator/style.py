"""The style of generated code, in one place: the line width and the target Python that the
layouts (layout.py), the docstring wrapper (codegen/literals.py) and the formatters (black, ruff) share."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import black

LINE_WIDTH = 100
TARGET_PYTHON = "py310"
# Users lint generated code with their own settings, often ruff's default width: imports longer than
# that are exploded with a magic trailing comma, which black and isort keep at any width.
LINT_DEFAULT_WIDTH = 88


def black_mode() -> black.Mode:
    """black's settings for generated code (black is imported only when asked for)."""
    import black

    return black.Mode(
        target_versions={black.TargetVersion[TARGET_PYTHON.upper()]}, line_length=LINE_WIDTH
    )


def ruff_config() -> str:
    """The same settings as a ruff.toml."""
    return f'line-length = {LINE_WIDTH}\ntarget-version = "{TARGET_PYTHON}"\n'
