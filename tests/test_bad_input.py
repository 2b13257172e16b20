"""Bad input through the real command line: exit 2, one located line per problem, no traceback,
and the previous output left exactly as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

GOOD = {
    "openapi": "3.0.3",
    "info": {"title": "T", "version": "1"},
    "paths": {"/a": {"get": {"operationId": "getA", "responses": {"200": {"description": "ok"}}}}},
}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,  # the exit code is what the tests look at
    )


@pytest.fixture
def existing_output(tmp_path: Path) -> Path:
    spec = tmp_path / "good.json"
    spec.write_text(json.dumps(GOOD))
    out = tmp_path / "out"
    assert (
        run(
            "generate", str(spec), "-o", str(out), "--package-name", "pkg", "-q", cwd=tmp_path
        ).returncode
        == 0
    )
    return out


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(directory)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def bad_ref_spec() -> str:
    spec = json.loads(json.dumps(GOOD))
    spec["paths"]["/a"]["get"]["responses"]["200"]["content"] = {
        "application/json": {"schema": {"$ref": "#/components/schemas/Nowhere"}}
    }
    return json.dumps(spec, indent=2)


def invalid_spec() -> str:
    spec = json.loads(json.dumps(GOOD))
    del spec["info"]["version"]
    spec["paths"]["/a"]["get"]["responses"]["200"] = {}
    return json.dumps(spec, indent=2)


CASES = {
    "missing": (None, "no such file", 1),
    "yaml": ("openapi: 3.0.3\ninfo:\n  title: [x\n", "invalid YAML", 1),
    "json": ('{\n  "openapi": "3.0.3",\n  "info": {,\n}', "invalid JSON", 1),
    "validation": (invalid_spec(), "required property", 2),
    "unresolvable-ref": (bad_ref_spec(), "does not exist", 1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_exits_2_with_located_lines_and_touches_nothing(name, tmp_path, existing_output):
    content, message, at_least = CASES[name]
    spec = tmp_path / f"{name}.yaml"
    if content is not None:
        spec.write_text(content)
    before = snapshot(existing_output)
    result = run(
        "generate",
        str(spec),
        "-o",
        str(existing_output),
        "--package-name",
        "pkg",
        "--strict",
        cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(lines) >= at_least and any(message in line for line in lines), result.stderr
    for line in lines:
        path, line_no, column = line.split(":")[:3]
        assert path.endswith(spec.name) and int(line_no) >= 1 and int(column) >= 1
    assert snapshot(existing_output) == before


def test_unreadable_file(tmp_path, existing_output):
    if os.geteuid() == 0:
        # root reads anything; a directory stands in for a file that cannot be read as a spec
        spec = tmp_path / "dir.yaml"
        spec.mkdir()
    else:
        spec = tmp_path / "locked.yaml"
        spec.write_text("openapi: 3.0.3")
        spec.chmod(0)
    result = run(
        "generate", str(spec), "-o", str(existing_output), "--package-name", "pkg", cwd=tmp_path
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert ": error: " in result.stderr


def test_lenient_mode_generates_an_invalid_spec_with_located_warnings(tmp_path):
    spec = tmp_path / "invalid.json"
    spec.write_text(invalid_spec())
    result = run(
        "generate", str(spec), "-o", str(tmp_path / "out"), "--package-name", "pkg", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert ": warning: " in result.stderr and "[/info]" in result.stderr
    assert (tmp_path / "out" / "pkg" / "_client.py").is_file()


def test_python_m_and_console_script_are_the_same_program(tmp_path):
    module = run("--version", cwd=tmp_path)
    script = subprocess.run(
        [str(Path(sys.executable).parent / "oasgen"), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert module.returncode == script.returncode == 0
    assert module.stdout == script.stdout and module.stdout.startswith("oasgen ")


def test_wheel_ships_the_templates(tmp_path):
    """An installed oasgen finds its templates inside the package, outside the repository."""
    import zipfile

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("oasgen-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "generator/templates/models.py.j2" in names
    assert "generator/templates/runtime/_base_client.py" in names
    extracted = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(extracted)
    found = subprocess.run(
        [sys.executable, "-c", "from generator.paths import templates_dir; print(templates_dir())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(extracted)},
        check=True,
    )
    assert Path(found.stdout.strip()) == extracted / "generator" / "templates"


@pytest.mark.parametrize(
    "flag,value",
    [("--package-name", "my-client"), ("--package-name", "class"), ("--client-name", "1Client")],
)
def test_invalid_names_on_the_command_line_are_usage_errors(tmp_path, flag, value):
    spec = tmp_path / "good.json"
    spec.write_text(json.dumps(GOOD))
    args = ["generate", str(spec), "-o", str(tmp_path / "out"), flag, value]
    if flag != "--package-name":
        args += ["--package-name", "pkg"]
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2 and "not a valid Python identifier" in result.stderr
    assert not (tmp_path / "out").exists()
