"""oasgen as a downstream repository meets it (issue 11, "make the user's side part of the tests").

oasgen's wheel is built and installed into a fresh virtual environment inside a new repository; that
repository takes README.md's `[tool.oasgen]` sample and its Makefile sample as written (one more
client added), and runs `make generate` with a PATH that does not hold the environment, edits a spec,
regenerates, and checks. Offline: the wheel is installed without its dependencies, which come from
this environment's site-packages through a .pth file (that adds the directory only, not the .pth files
in it: the editable install of this checkout stays out, and `generator` comes from the wheel).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import REPO, SPECS

pytestmark = pytest.mark.xdist_group("downstream")

BILLING = """\
openapi: 3.0.3
info: {title: Billing API, version: "1.0"}
paths:
  /invoices:
    get:
      tags: [invoices]
      operationId: listInvoices
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
"""
CLEAN_PATH = "/usr/local/bin:/usr/bin:/bin"


def _readme_block(language: str) -> str:
    # the first of its kind: the configuration and the Makefile of "Use oasgen in your repo"
    blocks = re.findall(
        rf"^```{language}\n(.*?)^```$", (REPO / "README.md").read_text(), re.DOTALL | re.MULTILINE
    )
    return blocks[0]


def _run(args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": CLEAN_PATH,
        "HOME": os.environ.get("HOME", "/tmp"),
        "NO_COLOR": "1",
        "LANG": "C.UTF-8",
    }
    for name in ("OASGEN_CACHE_DIR", "OASGEN_NO_CACHE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return subprocess.run(
        args, cwd=cwd, env=env, check=False, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    [found] = out.glob("oasgen-*.whl")
    return found


def test_a_downstream_repository_generates_edits_regenerates_and_checks(
    wheel: Path, tmp_path: Path
) -> None:
    if shutil.which("make") is None:
        pytest.fail("make is required (the README's Makefile sample uses it)")
    repo = tmp_path / "consumer"
    (repo / "specs").mkdir(parents=True)
    shutil.copy(SPECS / "faxplus.yaml", repo / "specs" / "faxplus.yaml")
    (repo / "specs" / "billing.yaml").write_text(BILLING)

    venv = repo / ".venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], repo).returncode == 0
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    (site / "oasgen_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    where = _run(
        [str(venv / "bin" / "python"), "-c", "import generator; print(generator.__file__)"], repo
    )
    assert where.stdout.startswith(str(venv)), (
        where.stdout + where.stderr
    )  # the wheel, not this checkout

    # README's configuration and Makefile samples, as written; the second client the Makefile names.
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "consumer"\nversion = "0"\n\n'
        + _readme_block("toml")
        + '\n[[tool.oasgen.clients]]\nspec = "specs/billing.yaml"\noutput = "generated/billing"\n'
        'package-name = "billing"\n'
    )
    (repo / "Makefile").write_text(_readme_block("make"))

    first = _run(["make", "generate"], repo)
    assert first.returncode == 0, first.stdout + first.stderr
    assert (repo / "generated" / "faxplus" / "faxplus" / "_client.py").is_file()
    assert (repo / "generated" / "billing" / "billing" / "_client.py").is_file()
    assert (
        "x-fax-clientid" in (repo / "generated" / "faxplus" / "faxplus" / "_client.py").read_text()
    )
    assert _run(["make", "generate"], repo).stdout.strip() in (
        "make: Nothing to be done for 'generate'.",
        "",
    )

    oasgen = str(venv / "bin" / "oasgen")
    assert _run([oasgen, "check"], repo).returncode == 0
    (repo / "specs" / "billing.yaml").write_text(
        BILLING.replace(
            "operationId: listInvoices", "operationId: listInvoices\n      summary: All"
        )
    )
    stale = _run([oasgen, "check"], repo)
    assert stale.returncode == 1 and "generated/billing: out of date" in stale.stderr, stale.stderr
    before = (repo / "generated" / "faxplus" / "faxplus" / "_client.py").stat().st_mtime_ns
    again = _run(["make", "generate"], repo)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "generate --client billing" in again.stdout and "--client faxplus" not in again.stdout
    assert (repo / "generated" / "faxplus" / "faxplus" / "_client.py").stat().st_mtime_ns == before
    checked = _run([oasgen, "check"], repo)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    script = "import sys; sys.path[:0] = ['generated/billing']\nimport billing\nprint(billing.Billing.__name__)"
    used = _run([str(venv / "bin" / "python"), "-c", script], repo)
    assert used.stdout.strip() == "Billing", (
        used.stdout + used.stderr
    )  # client name from package-name
