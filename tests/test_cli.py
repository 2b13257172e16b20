"""The command line as make, CI and people meet it: help, version, exit codes, configuration with
located errors, template overrides, progress on a terminal only, colour, and the pre-commit hooks."""

from __future__ import annotations

import os
import pty
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.cli.main import main
from tests.conftest import REPO, SPECS

SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1.0"}
paths:
  /pets:
    get:
      tags: [pets]
      operationId: listPets
      responses:
        "200": {description: ok}
"""
PYPROJECT = """\
[project]
name = "consumer"

[[tool.oasgen.clients]]
spec = "specs/pets.yaml"
output = "generated/pets"
package-name = "pets"
formatter = "none"
extra-headers = {{ tenant = {{ header = "x-tenant", description = "Tenant id" }} }}
{extra}
[[tool.oasgen.clients]]
spec = "specs/shop.yaml"
output = "generated/shop"
package-name = "shop"
formatter = "none"
"""


def _write_project(root: Path, extra: str = "", name: str = "pyproject.toml") -> Path:
    (root / "specs").mkdir(exist_ok=True)
    (root / "specs" / "pets.yaml").write_text(SPEC)
    (root / "specs" / "shop.yaml").write_text(SPEC.replace("Pets", "Shop"))
    text = PYPROJECT.format(extra=extra)
    if name == "oasgen.toml":
        text = text.replace('[project]\nname = "consumer"\n', "").replace(
            "tool.oasgen.clients", "clients"
        )
    (root / name).write_text(text)
    return root


def _oasgen(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        timeout=120,
    )


def test_help_shows_examples_and_exit_codes(capsys):
    for argv in (["--help"], ["generate", "--help"], ["check", "--help"], ["validate", "--help"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 0
        out = capsys.readouterr().out
        assert "examples:" in out and "oasgen check" in out
        assert "exit codes: 0 success, 1 check found the output out of date, 2 " in out


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"oasgen {__version__}"


@pytest.mark.parametrize("argv", [["generate", "--bogus"], ["frobnicate"], ["check", "x.yaml"]])
def test_usage_errors_exit_2(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exited:
        code = exited.code
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_bug_in_oasgen_is_one_line_with_how_to_report_it(tmp_path, monkeypatch, capsys):
    from generator import pipeline

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(pipeline, "generate", broken)
    (tmp_path / "api.yaml").write_text(SPEC)
    assert main(["generate", str(tmp_path / "api.yaml"), "-o", str(tmp_path / "out")]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert (
        "internal error (a bug in oasgen" in err
        and "ZeroDivisionError" in err
        and "report it at" in err
    )


def test_without_arguments_every_configured_client_is_generated_then_checked(
    tmp_path, monkeypatch, capsys
):
    _write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    assert (tmp_path / "generated" / "pets" / "pets" / "_client.py").is_file()
    assert (tmp_path / "generated" / "shop" / "shop" / "_client.py").is_file()
    assert "x-tenant" in (tmp_path / "generated" / "pets" / "pets" / "_client.py").read_text()
    capsys.readouterr()
    assert main(["check"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "generated/pets: up to date",
        "generated/shop: up to date",
    ]

    (tmp_path / "specs" / "shop.yaml").write_text(
        SPEC.replace("Pets", "Shop").replace("tags:", "summary: All\n      tags:")
    )
    assert main(["check"]) == 1
    captured = capsys.readouterr()
    assert (
        "generated/shop: out of date" in captured.err
        and "generated/pets: up to date" in captured.err
    )
    assert main(["generate", "--client", "pets", "-q"]) == 0  # only that one
    assert main(["check", "--client", "shop"]) == 1


def test_oasgen_toml_works_for_repositories_without_pyproject(tmp_path, monkeypatch):
    _write_project(tmp_path, name="oasgen.toml")
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    assert main(["check", "-q"]) == 0


def test_unknown_and_ill_typed_keys_are_errors_with_their_line(tmp_path, monkeypatch, capsys):
    _write_project(tmp_path, extra='spek = "x"\nstrict = "yes"\n')
    text = (
        (tmp_path / "pyproject.toml")
        .read_text()
        .replace(
            "[[tool.oasgen.clients]]", "[tool.oasgen]\ncolour = 1\n\n[[tool.oasgen.clients]]", 1
        )
    )
    (tmp_path / "pyproject.toml").write_text(text)
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "pyproject.toml:5:1: error: unknown key 'tool.oasgen.colour' (known keys: clients)",
        "pyproject.toml:13:1: error: unknown key 'tool.oasgen.clients[0].spek' (did you mean 'spec'?)",
        "pyproject.toml:14:1: error: tool.oasgen.clients[0].strict must be true or false, not 'yes'",
    ]
    assert not (tmp_path / "generated").exists()


def test_a_toml_syntax_error_is_located(tmp_path, monkeypatch, capsys):
    (tmp_path / "oasgen.toml").write_text('[[clients]]\nspec = "a.yaml\n')
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert capsys.readouterr().err.startswith("oasgen.toml:2:")


def test_template_overrides_replace_shipped_templates_by_name(tmp_path, capsys):
    overrides = tmp_path / "my-templates"
    overrides.mkdir()
    (overrides / "README.md.j2").write_text("# {{ api.title }} client, made in house\n")
    (tmp_path / "api.yaml").write_text(SPEC)
    args = [
        "generate",
        str(tmp_path / "api.yaml"),
        "-o",
        str(tmp_path / "out"),
        "--package-name",
        "pets",
        "--formatter",
        "none",
        "--templates",
        str(overrides),
        "-q",
    ]
    assert main(args) == 0
    assert (tmp_path / "out" / "README.md").read_text() == "# Pets client, made in house\n"
    assert (
        "class " in (tmp_path / "out" / "pets" / "_client.py").read_text()
    )  # the rest: shipped templates

    args[args.index("generate")] = "check"
    assert main(args) == 0
    (overrides / "README.md.j2").write_text("# {{ api.title }}, changed\n")
    assert main(args) == 1  # the override is part of the configuration hash
    assert "README.md" in capsys.readouterr().out


def _run_on_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run with stderr on a pseudo-terminal, as a person at a shell would."""
    leader, follower = pty.openpty()
    try:
        subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=cwd,
            check=False,
            stderr=follower,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(REPO), **env},
            timeout=120,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode()
    finally:
        os.close(leader)


def test_progress_and_colour_on_a_terminal_quiet_when_piped(tmp_path):
    (tmp_path / "api.yaml").write_text(
        SPEC + "    post:\n      operationId: addPet\n      responses: {}\n"
    )
    args = ["generate", "api.yaml", "-o", "out", "--package-name", "pets", "--formatter", "none"]
    terminal = _run_on_terminal(args, tmp_path, {})
    assert "render: 2 operations, 0 models" in terminal and "write:" in terminal
    assert "\x1b[33mwarning\x1b[0m" in terminal  # the empty responses

    shutil.rmtree(tmp_path / "out")
    no_color = _run_on_terminal(args, tmp_path, {"NO_COLOR": "1"})
    assert "render:" in no_color and "\x1b[" not in no_color

    shutil.rmtree(tmp_path / "out")
    piped = _oasgen(*args, cwd=tmp_path)
    assert piped.returncode == 0
    assert "render:" not in piped.stderr and "\x1b[" not in piped.stderr
    assert ": warning: " in piped.stderr


def test_verbose_shows_progress_even_when_piped(tmp_path):
    (tmp_path / "api.yaml").write_text(SPEC)
    result = _oasgen(
        "generate",
        "api.yaml",
        "-o",
        "out",
        "--package-name",
        "pets",
        "--formatter",
        "none",
        "-v",
        cwd=tmp_path,
    )
    assert result.returncode == 0
    stages = [
        line.split("] ", 1)[1].split(":")[0] for line in result.stderr.splitlines() if "s] " in line
    ]
    assert stages == ["load", "validate", "model", "render", "format", "write"]


def test_quiet_shows_only_problems(tmp_path):
    (tmp_path / "api.yaml").write_text(SPEC)
    result = _oasgen(
        "generate",
        "api.yaml",
        "-o",
        "out",
        "--package-name",
        "pets",
        "--formatter",
        "none",
        "-q",
        cwd=tmp_path,
    )
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "")


def test_the_pre_commit_hooks_run_as_declared(tmp_path):
    """Run each hook's `entry` the way pre-commit does: the console script on PATH, in the repo's root."""
    hooks = {
        hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    }
    assert set(hooks) == {"oasgen-check", "oasgen-generate"}
    assert all(
        hook["language"] == "python" and hook["pass_filenames"] is False for hook in hooks.values()
    )
    scripts = Path(sys.executable).parent
    assert (scripts / "oasgen").is_file(), "the console script declared in pyproject.toml"
    env = {"PATH": f"{scripts}{os.pathsep}{os.environ['PATH']}"}
    _write_project(tmp_path)

    def run(hook: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            shlex.split(hooks[hook]["entry"]),
            cwd=tmp_path,
            check=False,
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            timeout=120,
        )

    assert run("oasgen-check").returncode == 1  # nothing generated yet
    assert run("oasgen-generate").returncode == 0
    assert run("oasgen-check").returncode == 0
    (tmp_path / "specs" / "pets.yaml").write_text(SPEC.replace("listPets", "listAllPets"))
    failed = run("oasgen-check")
    assert failed.returncode == 1 and "generated/pets: out of date" in failed.stderr


def test_the_makefile_regenerates_only_the_client_whose_spec_changed(tmp_path):
    """The repository's own Makefile, in a copy of its layout where every stamp is current: touching
    one spec reruns oasgen for that client only. PY is a stand-in that records how it was called."""
    if shutil.which("make") is None:
        pytest.fail("make is required (the README's set-up uses it)")
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(SPECS, tmp_path / "specs")
    recorder = tmp_path / "record.sh"
    recorder.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "calls.txt"}\n')
    recorder.chmod(0o755)
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".make").mkdir()
    past = time.time() - 1000  # all in the past, so the stamps `make` touches are newest
    for source in [tmp_path / "pyproject.toml", *(tmp_path / "specs").iterdir()]:
        os.utime(source, (past, past))
    for stamp in (".venv/.installed", ".make/faxplus.stamp", ".make/faxplus_outbox.stamp"):
        (tmp_path / stamp).touch()
        os.utime(tmp_path / stamp, (past + 100, past + 100))

    def make() -> list[str]:
        (tmp_path / "calls.txt").unlink(missing_ok=True)
        result = subprocess.run(
            ["make", "generate", f"PY={recorder}"],
            cwd=tmp_path,
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        calls = tmp_path / "calls.txt"
        return calls.read_text().splitlines() if calls.exists() else []

    assert make() == []  # everything current
    os.utime(tmp_path / "specs" / "faxplus-get-outbox-fax.yaml", (past + 200, past + 200))
    assert make() == ["-m generator generate --client faxplus_outbox"]
    assert make() == []


def test_json_output_is_one_parseable_list_for_all_clients(tmp_path, monkeypatch, capsys):
    import json

    _write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    (tmp_path / "specs" / "pets.yaml").write_text(
        SPEC + "    post:\n      operationId: addPet\n      responses: {}\n"
    )
    (tmp_path / "specs" / "shop.yaml").write_text(
        SPEC.replace("Pets", "Shop") + "  /x:\n    get: {}\n"
    )
    capsys.readouterr()
    assert main(["check", "--format", "json"]) == 1
    captured = capsys.readouterr()
    problems = json.loads(captured.out)
    diagnostics = [p for p in problems if "severity" in p]
    assert {p["file"] for p in diagnostics} == {"specs/pets.yaml", "specs/shop.yaml"}
    assert all(p["severity"] == "warning" and p["line"] > 0 for p in diagnostics)
    # the differing files are entries of the same list (issue 11, defect 5), not text on stderr
    assert {
        "file": "generated/pets/pets/resources/pets.py",
        "kind": "out-of-date",
        "message": "out of date; `oasgen generate` updates it",
    } in problems
    assert "pets/resources/pets.py" not in captured.err


def test_one_client_with_a_bad_spec_does_not_stop_the_others(tmp_path, monkeypatch, capsys):
    _write_project(tmp_path)
    (tmp_path / "specs" / "pets.yaml").write_text("openapi: [\n")
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 2
    err = capsys.readouterr().err
    assert "specs/pets.yaml:2:1: error: invalid YAML" in err
    assert (tmp_path / "generated" / "shop" / "shop" / "_client.py").is_file()
    assert not (tmp_path / "generated" / "pets").exists()
