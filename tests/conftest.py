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
            diff = difflib.unified_diff(text.splitlines(True), formatted.splitlines(True), str(path), "black", n=1)
            changes.append("".join(list(diff)[:40]))
    return changes


@pytest.fixture
def faxplus_spec() -> Path:
    return SPECS / "faxplus.yaml"


def needs_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
