"""Shared test helpers: paths, and generating a client into a temporary directory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPECS = REPO / "specs"
GENERATED = REPO / "generated"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"

# The committed Fax.Plus clients are importable in tests as `faxplus` and `faxplus_outbox`.
for _client in ("faxplus", "faxplus_outbox"):
    _path = str(GENERATED / _client)
    if _path not in sys.path:
        sys.path.insert(0, _path)


def generate_client(spec: Path, output: Path, **options: object):
    """Run the whole pipeline (no CLI) and return its Outcome."""
    from generator.config import ClientConfig
    from generator.pipeline import generate

    config = ClientConfig(spec=spec, output=output, **options)  # type: ignore[arg-type]
    return generate(config)


def black_changes(package_dir: Path) -> list[str]:
    """What black would change in the generated modules under `package_dir`, as short diffs.
    oasgen's templates lay code out as black does and give black only what it could change, so
    for generated output this must be empty."""
    import difflib

    import black

    from generator.style import black_mode

    mode = black_mode()
    changes = []
    for path in sorted(package_dir.rglob("*.py")):
        text = path.read_text("utf-8")
        formatted = black.format_str(text, mode=mode)
        if formatted != text:
            diff = difflib.unified_diff(
                text.splitlines(True), formatted.splitlines(True), str(path), "black", n=1
            )
            changes.append("".join(list(diff)[:40]))
    return changes


# What users run over their repositories (issue 11): pyflakes, pycodestyle, isort, bugbear; the
# line length is the generated code's own (black's, 100).
LINT_SELECT = "F,E,W,I,B"


def lint_problems(package_dir: Path) -> str:
    """ruff's findings on a generated package (the pinned ruff, no configuration file), or ""."""
    import subprocess

    from generator.style import LINE_WIDTH, TARGET_PYTHON

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            LINT_SELECT,
            "--ignore",
            "E501",
            "--line-length",
            str(LINE_WIDTH),
            "--target-version",
            TARGET_PYTHON,
            "--output-format",
            "concise",
            package_dir.name,
        ],
        cwd=package_dir.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    return (
        ""
        if done.returncode == 0
        else (done.stdout + done.stderr).strip() or f"ruff exit {done.returncode}"
    )


@pytest.fixture
def faxplus_spec() -> Path:
    return SPECS / "faxplus.yaml"


def needs_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
