"""The committed `generated/` tree is exactly what the generator produces from `specs/`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from generator.config import load_config_file
from generator.output.writer import MANIFEST
from generator.pipeline import build

CONFIGS = load_config_file(REPO / "pyproject.toml")


def _tree(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".mypy_cache" not in p.parts
    }


@pytest.mark.parametrize("config", CONFIGS, ids=[c.package_name for c in CONFIGS])
def test_generated_tree_matches_a_fresh_generation(config, tmp_path):
    committed_dir = config.output
    outcome = build(_with_output(config, tmp_path / "out"))  # fresh: no manifest, no format cache
    expected = {path: text.encode("utf-8") for path, text in outcome.files.items()}
    committed = _tree(committed_dir)
    committed.pop(MANIFEST, None)
    differing = sorted(
        p for p in set(expected) | set(committed) if expected.get(p) != committed.get(p)
    )
    assert not differing, (
        f"generated/ is out of date for {config.spec.name}: {differing}\n"
        "If the change is intended, accept it with `make generate` and commit the result."
    )


def test_regenerating_twice_gives_identical_bytes(tmp_path):
    config = CONFIGS[0]
    first = build(_with_output(config, tmp_path / "a")).files
    second = build(_with_output(config, tmp_path / "b")).files
    assert first == second


def test_generation_is_identical_across_processes_and_hash_seeds(tmp_path):
    """Set iteration order must never leak into the output."""
    outputs = []
    for seed in ("1", "12345"):
        out = tmp_path / f"seed{seed}"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "generate",
                str(REPO / "specs/faxplus.yaml"),
                "-o",
                str(out),
                "--package-name",
                "faxplus",
                "-q",
            ],
            check=True,
            cwd=REPO,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        )
        outputs.append(_tree(out))
    assert outputs[0] == outputs[1]


def _with_output(config, output):
    from dataclasses import replace

    return replace(config, output=output)


def test_oasgen_check_passes_on_the_committed_clients():
    """What we tell users to run in CI, run on ourselves: the committed output, manifest included,
    is current for the committed specs and this version of oasgen (else: `make generate`)."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,  # the assertion shows the output
    )
    assert result.returncode == 0, result.stdout + result.stderr
