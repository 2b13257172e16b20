"""Compiled templates are kept between runs (generator/codegen/render.py `_template_cache`): a
second run reads them, gives the same bytes, and an edited template override is compiled afresh."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

SPEC = REPO / "specs" / "faxplus-get-outbox-fax.yaml"


def _generate(output: Path, cache: Path, *extra: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OASGEN_NO_CACHE"}
    env["OASGEN_CACHE_DIR"] = str(cache)
    subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SPEC), "-o", str(output), "-q", *extra],
        cwd=REPO,
        env=env,
        check=True,
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_a_second_run_reads_the_compiled_templates_and_writes_the_same_bytes(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    _generate(tmp_path / "first", cache)
    compiled = {p.name: p.stat().st_mtime_ns for p in (cache / "templates").iterdir()}
    assert compiled, "no compiled template was kept"
    _generate(tmp_path / "second", cache)
    assert _tree(tmp_path / "first") == _tree(tmp_path / "second")
    again = {p.name: p.stat().st_mtime_ns for p in (cache / "templates").iterdir()}
    assert again == compiled  # read, not compiled and written again


def test_an_edited_override_is_compiled_afresh(tmp_path: Path) -> None:
    cache, overrides = tmp_path / "cache", tmp_path / "overrides"
    overrides.mkdir()
    readme = overrides / "README.md.j2"
    shutil.copy(REPO / "templates" / "README.md.j2", readme)
    _generate(tmp_path / "out", cache, "--templates", str(overrides))
    assert "Edited override." not in (tmp_path / "out" / "README.md").read_text("utf-8")
    readme.write_text(readme.read_text("utf-8") + "\nEdited override.\n", encoding="utf-8")
    _generate(tmp_path / "out", cache, "--templates", str(overrides))
    assert "Edited override." in (tmp_path / "out" / "README.md").read_text("utf-8")


def test_no_cache_when_told_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.codegen.render import _template_cache

    monkeypatch.setenv("OASGEN_NO_CACHE", "1")
    assert _template_cache() is None
    monkeypatch.delenv("OASGEN_NO_CACHE")
    monkeypatch.setenv("OASGEN_CACHE_DIR", str(tmp_path))
    assert _template_cache() is not None
    assert (tmp_path / "templates").is_dir()
