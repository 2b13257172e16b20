"""The README examples work as written (issue 11, "make the user's side part of the tests").

Every Python code block of README.md and of each committed client's README (rendered by
templates/README.md.j2) is taken, in order, as one script, the way a reader runs them one after the
other. The script must pass `mypy --strict`, then run against the Prism mock of specs/faxplus.yaml,
pointed there as a user points a client elsewhere: `<PACKAGE>_BASE_URL` and the credentials in the
environment, the files the examples open in the working directory. Prism answers a request that breaks
the spec with a 400, which the client raises: an example that sends a wrong request fails here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GENERATED, REPO
from tests.test_prism import Prism, prism  # noqa: F401 - the session fixture, shared with test_prism

pytestmark = pytest.mark.xdist_group("prism")

# Every fence, at the start of a line or indented under an item of a list (a client README's
# "Operations": one call per operation); indented blocks are dedented.
PYTHON_BLOCK = re.compile(r"^( *)```python\n(.*?)^\1```$", re.DOTALL | re.MULTILINE)
READMES = {"README.md": (REPO / "README.md", "faxplus")} | {
    f"generated/{c}/README.md": (GENERATED / c / "README.md", c)
    for c in ("faxplus", "faxplus_outbox")
}


def python_blocks(readme: Path) -> list[str]:
    import textwrap

    return [
        textwrap.dedent(indent + block) if indent else block
        for indent, block in PYTHON_BLOCK.findall(readme.read_text(encoding="utf-8"))
    ]


def _script(tmp_path: Path, readme: Path) -> Path:
    blocks = python_blocks(readme)
    assert blocks, f"{readme} has no Python example"
    script = tmp_path / "readme_example.py"
    script.write_text("\n\n".join(blocks), encoding="utf-8")
    for name in (
        "doc.pdf",
        "document.pdf",
        "letter.pdf",
    ):  # what the examples open, as a user would have them
        (tmp_path / name).write_bytes(b"%PDF-1.4 example\n")
    (tmp_path / "scan.tiff").write_bytes(b"II*\x00example")
    return script


@pytest.mark.parametrize("name", sorted(READMES))
def test_readme_examples_type_check_and_run(name: str, tmp_path: Path, prism: Prism) -> None:  # noqa: F811
    readme, package = READMES[name]
    script = _script(tmp_path, readme)
    env = {
        **os.environ,
        "MYPYPATH": str(GENERATED / package),
        "PYTHONPATH": str(GENERATED / package),
        "NO_COLOR": "1",
    }
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(REPO / ".mypy_cache"),
            str(script),
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert checked.returncode == 0, f"{name}: mypy --strict\n{checked.stdout}{checked.stderr}"
    prefix = package.upper()
    env |= {
        f"{prefix}_BASE_URL": prism.url,
        f"{prefix}_ACCESS_TOKEN": "readme-token",
        f"{prefix}_CLIENT_ID": "readme-client",
    }
    ran = subprocess.run(
        [sys.executable, str(script)],
        check=False,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    prism.assert_alive()
    assert ran.returncode == 0, f"{name}: the examples failed\n{ran.stdout}{ran.stderr[-3000:]}"


def test_every_readme_has_examples_and_the_blocks_are_found():
    """The extraction itself: each README's fenced Python blocks, none left out."""
    for readme, _ in READMES.values():
        text = readme.read_text(encoding="utf-8")
        assert (
            len(python_blocks(readme)) == len(re.findall(r"^ *```python$", text, re.MULTILINE)) > 0
        )
