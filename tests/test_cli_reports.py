"""What the command line reports, as a user reads it on every run: the spec's warnings on no-op runs
and in `check` too (issue 11, defect 4), the files `check` finds out of date as JSON entries with the
advice that fits (defect 5), and `validate` as generate's diagnostics, for the configured clients too
(defects 6 and 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main

# Each response of these operations $refs a schema that does not exist: a warning per operation in
# lenient mode, and the value typed Any.
HEAD = 'openapi: 3.0.3\ninfo: {title: Dangling, version: "1"}\npaths:\n'
OPERATION = """\
  /op{n}:
    get:
      operationId: op{n}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Missing{n}'}}
"""


def _spec(path: Path, operations: int) -> Path:
    path.write_text(HEAD + "".join(OPERATION.format(n=n) for n in range(operations)))
    return path


def _args(command: str, root: Path, *extra: str) -> list[str]:
    return [command, str(root / "api.yaml"), "-o", str(root / "out"), "--package-name", "dangling",
            "--formatter", "none", *extra]


def _warning_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": warning: " in line]


def test_a_no_op_run_and_check_report_the_spec_warnings_again(tmp_path, capsys):
    _spec(tmp_path / "api.yaml", 1)
    assert main(_args("generate", tmp_path)) == 0
    first = capsys.readouterr().err
    assert len(_warning_lines(first)) == 1 and "does not exist; the value is typed Any" in first

    assert main(_args("generate", tmp_path)) == 0  # answered from the manifest
    again = capsys.readouterr().err
    assert _warning_lines(again) == _warning_lines(first)
    assert "up to date; 1 spec warning" in again

    assert main(_args("check", tmp_path)) == 0
    checked = capsys.readouterr().err
    assert _warning_lines(checked) == _warning_lines(first)
    assert "up to date; 1 spec warning" in checked

    assert main(_args("check", tmp_path, "--format", "json")) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [(e["severity"], e["line"], e["pointer"]) for e in entries] == [
        ("warning", 12, "/paths/~1op0/get/responses/200/content/application~1json/schema/$ref")]


def test_text_shows_the_first_few_warnings_and_a_count_json_shows_all(tmp_path, capsys):
    _spec(tmp_path / "api.yaml", 14)
    assert main(_args("generate", tmp_path)) == 0
    capsys.readouterr()
    assert main(_args("generate", tmp_path)) == 0
    err = capsys.readouterr().err
    assert len(_warning_lines(err)) == 10
    assert "... and 4 more warning(s)" in err and "up to date; 14 spec warnings" in err
    assert main(_args("generate", tmp_path, "-v")) == 0
    assert len(_warning_lines(capsys.readouterr().err)) == 14
    assert main(_args("check", tmp_path, "--format", "json")) == 0
    assert len(json.loads(capsys.readouterr().out)) == 14


def test_the_kept_warnings_do_not_depend_on_the_working_directory(tmp_path, monkeypatch, capsys):
    """The manifest is committed: run from another directory, nothing in it may change."""
    _spec(tmp_path / "api.yaml", 1)
    assert main(_args("generate", tmp_path)) == 0
    manifest = (tmp_path / "out" / ".oasgen-manifest.json").read_text()
    assert '"file": "../api.yaml"' in manifest
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["check", "api.yaml", "-o", "out", "--package-name", "dangling", "--formatter", "none"]) == 0
    assert _warning_lines(capsys.readouterr().err)[0].startswith("api.yaml:12:")
    assert main(["generate", "api.yaml", "-o", "out", "--package-name", "dangling", "--formatter", "none",
                 "--force"]) == 0
    assert (tmp_path / "out" / ".oasgen-manifest.json").read_text() == manifest


def test_check_json_lists_every_differing_file_as_an_entry(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _spec(tmp_path / "api.yaml", 2)
    assert main(_args("generate", tmp_path, "-q")) == 0
    _spec(tmp_path / "api.yaml", 1)  # op1 goes: its resource module (op_1.py) is stale, the others change
    (tmp_path / "out" / "dangling" / "py.typed").unlink()  # missing
    capsys.readouterr()
    assert main(_args("check", tmp_path, "--format", "json")) == 1
    captured = capsys.readouterr()
    entries = [e for e in json.loads(captured.out) if "kind" in e]
    kinds = {e["file"]: e["kind"] for e in entries}
    assert kinds["out/dangling/py.typed"] == "missing"
    assert kinds["out/dangling/resources/op_1.py"] == "stale"
    assert kinds["out/dangling/_client.py"] == "out-of-date"
    assert all(set(e) == {"file", "kind", "message"} and "oasgen generate" in e["message"] for e in entries)
    assert "edited by hand" not in captured.err and "  out-of-date" not in captured.out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_gives_hand_edits_the_advice_generate_gives(tmp_path, monkeypatch, capsys, fmt):
    monkeypatch.chdir(tmp_path)
    _spec(tmp_path / "api.yaml", 1)
    assert main(_args("generate", tmp_path, "-q")) == 0
    edited = tmp_path / "out" / "dangling" / "models.py"
    edited.write_text(edited.read_text() + "# my fix\n")
    capsys.readouterr()
    assert main(_args("check", tmp_path, "--format", fmt)) == 1
    out, err = capsys.readouterr()
    if fmt == "json":
        [entry] = [e for e in json.loads(out) if "kind" in e]
        assert entry["file"] == "out/dangling/models.py" and entry["kind"] == "hand-edited"
        advice = entry["message"]
    else:
        assert "  edited by hand: dangling/models.py" in out
        advice = err
    assert "--force" in advice and "template override" in advice
    assert "run `oasgen generate`" not in err
    assert main(_args("generate", tmp_path)) == 2  # and generate indeed refuses, with that advice
    assert "--force" in capsys.readouterr().err
