"""`mypy --strict` passes on every committed client."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import GENERATED, REPO

CLIENTS = sorted(p.name for p in GENERATED.iterdir() if (p / "pyproject.toml").is_file())


@pytest.mark.parametrize("client", CLIENTS)
def test_mypy_strict_passes(client, tmp_path):
    package = GENERATED / client / client
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(REPO / ".mypy_cache"),
            str(package),
        ],
        capture_output=True,
        text=True,
        cwd=GENERATED / client,
        check=False,  # the assertion shows mypy's findings
    )
    assert result.returncode == 0, result.stdout + result.stderr
