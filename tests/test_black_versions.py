"""oasgen allows every black from the lower bound in pyproject.toml on (`black>=24.1`): the oldest
allowed release and the one installed (the newest when the environment was made) give the same bytes.

The oldest release is installed from PyPI, once, into .venv/black-<version> (`pip install --target`,
without its dependencies: those of the environment are used, as in a user's environment), and
generation runs with it in a subprocess that finds it first on its path. The format cache is off in
both runs, so black really formats what is handed to it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from conftest import CORPUS, REPO

pytestmark = pytest.mark.xdist_group("black_versions")

# Fax.Plus (the committed clients), and corpus specs that hand statements to black.
CORPUS_SPECS = ["twilio-twilio_api_v2010.yaml", "openai-openapi.yaml", "heyapi-3.1-full.yaml"]

# Run in the subprocess: every configured client, then the given corpus specs; files as JSON.
BUILD_ALL = """
import json, sys
from pathlib import Path
from generator.config import ClientConfig, load_config_file
from generator.pipeline import build

def build_all(repo, specs):
    files = {}
    for config in load_config_file(repo / "pyproject.toml"):
        files.update({f"{config.package_name}/{p}": t for p, t in build(config).files.items()})
    for spec in specs:
        config = ClientConfig(spec=Path(spec), output=Path("/nonexistent/out"), package_name="client")
        files.update({f"{Path(spec).name}/{p}": t for p, t in build(config).files.items()})
    return files

if __name__ == "__main__":
    import black
    print(json.dumps({"black": black.__version__, "files": build_all(Path(sys.argv[1]), sys.argv[2:])}))
"""


def oldest_allowed_black() -> str:
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"][
        "dependencies"
    ]
    bound = next(
        re.fullmatch(r"black>=([0-9.]+)", d) for d in dependencies if d.startswith("black")
    )
    assert bound, f"black is not required as black>=VERSION: {dependencies}"
    version = bound.group(1)
    return version if version.count(".") == 2 else version + ".0"


def install_black(version: str) -> Path:
    """black `version` in its own folder under .venv, installed once (a lock serializes workers)."""
    target = REPO / ".venv" / f"black-{version}"
    target.parent.mkdir(exist_ok=True)
    with open(target.parent / f"black-{version}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / ".installed").exists():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--no-deps",
                    "--target",
                    str(target),
                    f"black=={version}",
                ],
                check=True,
            )
            (target / ".installed").touch()
    return target


def test_oldest_and_installed_black_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import black

    specs = [str(CORPUS / name) for name in CORPUS_SPECS if (CORPUS / name).is_file()]
    oldest = oldest_allowed_black()
    assert black.__version__ != oldest, (
        "the environment has the oldest black: nothing newer to compare with"
    )
    folder = install_black(oldest)
    script = tmp_path / "build_all.py"
    script.write_text(BUILD_ALL, encoding="utf-8")
    env = {
        **os.environ,
        "OASGEN_NO_CACHE": "1",
        "PYTHONPATH": os.pathsep.join([str(folder), str(REPO)]),
    }
    done = subprocess.run(
        [sys.executable, str(script), str(REPO), *specs],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    with_oldest = json.loads(done.stdout)
    assert with_oldest["black"] == oldest

    monkeypatch.setenv("OASGEN_NO_CACHE", "1")
    with_installed = runpy.run_path(str(script))["build_all"](REPO, specs)

    assert with_oldest["files"].keys() == with_installed.keys()
    differing = [
        path for path, text in with_installed.items() if with_oldest["files"][path] != text
    ]
    assert not differing, f"black {oldest} and black {black.__version__} differ in {differing[:10]}"
