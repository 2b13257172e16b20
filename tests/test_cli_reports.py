"""What the command line reports, as a user reads it on every run: the spec's warnings on no-op runs
and in `check` too (issue 11, defect 4), the files `check` finds out of date as JSON entries with the
advice that fits (defect 5), and `validate` as generate's diagnostics, for the configured clients too
(defects 6 and 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli.main import main

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
    return [
        command,
        str(root / "api.yaml"),
        "-o",
        str(root / "out"),
        "--package-name",
        "dangling",
        "--formatter",
        "none",
        *extra,
    ]


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
        ("warning", 12, "/paths/~1op0/get/responses/200/content/application~1json/schema/$ref")
    ]


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
    assert (
        main(
            ["check", "api.yaml", "-o", "out", "--package-name", "dangling", "--formatter", "none"]
        )
        == 0
    )
    assert _warning_lines(capsys.readouterr().err)[0].startswith("api.yaml:12:")
    assert (
        main(
            [
                "generate",
                "api.yaml",
                "-o",
                "out",
                "--package-name",
                "dangling",
                "--formatter",
                "none",
                "--force",
            ]
        )
        == 0
    )
    assert (tmp_path / "out" / ".oasgen-manifest.json").read_text() == manifest


def test_check_json_lists_every_differing_file_as_an_entry(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _spec(tmp_path / "api.yaml", 2)
    assert main(_args("generate", tmp_path, "-q")) == 0
    _spec(
        tmp_path / "api.yaml", 1
    )  # op1 goes: its resource module (op_1.py) is stale, the others change
    (tmp_path / "out" / "dangling" / "py.typed").unlink()  # missing
    capsys.readouterr()
    assert main(_args("check", tmp_path, "--format", "json")) == 1
    captured = capsys.readouterr()
    entries = [e for e in json.loads(captured.out) if "kind" in e]
    kinds = {e["file"]: e["kind"] for e in entries}
    assert kinds["out/dangling/py.typed"] == "missing"
    assert kinds["out/dangling/resources/op_1.py"] == "stale"
    assert kinds["out/dangling/_client.py"] == "out-of-date"
    assert all(
        set(e) == {"file", "kind", "message"} and "oasgen generate" in e["message"] for e in entries
    )
    assert "edited by hand" not in captured.err and "  out-of-date" not in captured.out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_gives_hand_edits_the_advice_generate_gives(tmp_path, monkeypatch, capsys, fmt):
    monkeypatch.chdir(tmp_path)
    _spec(tmp_path / "api.yaml", 1)
    assert main(_args("generate", tmp_path, "-q")) == 0
    edited = tmp_path / "out" / "dangling" / "models" / "__init__.py"
    edited.write_text(edited.read_text() + "# my fix\n")
    capsys.readouterr()
    assert main(_args("check", tmp_path, "--format", fmt)) == 1
    out, err = capsys.readouterr()
    if fmt == "json":
        [entry] = [e for e in json.loads(out) if "kind" in e]
        assert entry["file"] == "out/dangling/models/__init__.py" and entry["kind"] == "hand-edited"
        advice = entry["message"]
    else:
        assert "  edited by hand: dangling/models/__init__.py" in out
        advice = err
    assert "--force" in advice and "template override" in advice
    assert "run `oasgen generate`" not in err
    assert main(_args("generate", tmp_path)) == 2  # and generate indeed refuses, with that advice
    assert "--force" in capsys.readouterr().err


# ---- validate: what generate reports, located, in plain words; the configured clients -----------

TUPLE_ITEMS = """\
openapi: {version}
info: {{title: Tuples, version: "1"}}
paths:
  /a:
    get:
      operationId: getA
      parameters:
        - name: q
          in: query
          schema:
            items: [{{type: integer}}, {{type: 'null'}}]
      responses:
        "200": {{description: ok}}
"""


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_validate_shows_what_generate_shows(tmp_path, capsys, version):
    (tmp_path / "api.yaml").write_text(TUPLE_ITEMS.format(version=version))
    assert main(["validate", str(tmp_path / "api.yaml"), "--format", "json"]) == 0
    validated = json.loads(capsys.readouterr().out)
    assert main(_args("generate", tmp_path, "--format", "json")) == 0
    assert json.loads(capsys.readouterr().out) == validated


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_a_schema_that_is_a_list_is_located_and_named_in_plain_words(tmp_path, capsys, version):
    """openapi-spec-validator's own checks of each schema carry no path: they came out at 1:1."""
    (tmp_path / "api.yaml").write_text(TUPLE_ITEMS.format(version=version))
    assert main(["validate", str(tmp_path / "api.yaml"), "--strict", "--format", "json"]) == 2
    problems = json.loads(capsys.readouterr().out)
    assert problems and all(
        p["line"] == 11 and p["pointer"] == "/paths/~1a/get/parameters/0/schema/items"
        for p in problems
    ), problems
    assert all(p["message"].startswith("the list here is not of type 'object'") for p in problems)


def test_the_validator_messages_in_plain_words():
    from generator.spec.validation_errors import plain_message

    assert plain_message(
        "[{'type': 'integer'}, {'type': 'null'}] is not of type 'object', 'boolean'"
    ) == ("the list here is not of type 'object' or 'boolean'")
    assert plain_message(
        "{'properties':{'color':{'type':'string'}},'type':'object'} is not valid under any of "
        "the schemas listed in the 'oneOf' keyword"
    ) == ("the object here is not valid under any of the given schemas")
    assert plain_message("'title' does not match any of the regexes: '^x-'") == (
        "unknown key 'title' (only 'x-' extension keys may be added here)"
    )
    assert (
        plain_message("80 is not of type 'string'") == "80 is not of type 'string'"
    )  # short: shown as is
    assert (
        plain_message("['a', 'b'] is not of type 'string'") == "['a', 'b'] is not of type 'string'"
    )


def test_a_name_that_breaks_the_naming_rule_is_located_at_the_name(tmp_path, capsys):
    (tmp_path / "api.yaml").write_text(
        'openapi: 3.1.0\ninfo: {title: T, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n'
        '    Good: {type: string}\n    "Bad name!": {type: string}\n'
    )
    assert main(["validate", str(tmp_path / "api.yaml"), "--strict", "--format", "json"]) == 2
    [problem] = json.loads(capsys.readouterr().out)
    assert (problem["line"], problem["pointer"]) == (7, "/components/schemas/Bad name!")
    assert problem["message"].startswith("the name 'Bad name!' does not match")


def test_validate_without_a_spec_validates_every_configured_client(tmp_path, monkeypatch, capsys):
    (tmp_path / "specs").mkdir()
    _spec(tmp_path / "specs" / "dangling.yaml", 1)
    (tmp_path / "specs" / "fine.yaml").write_text(
        HEAD.replace("Dangling", "Fine") + "  /x:\n    get:\n"
        "      responses:\n        '200': {description: ok}\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.oasgen.clients]]\nspec = "specs/dangling.yaml"\noutput = "gen/dangling"\npackage-name = "dangling"\n'
        '[[tool.oasgen.clients]]\nspec = "specs/fine.yaml"\noutput = "gen/fine"\npackage-name = "fine"\n'
    )
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 0
    err = capsys.readouterr().err
    assert "specs/dangling.yaml:12:" in err and "specs/dangling.yaml: 1 warning(s)" in err
    assert "specs/fine.yaml: valid" in err
    assert main(["validate", "--client", "fine"]) == 0
    assert capsys.readouterr().err.strip() == "specs/fine.yaml: valid"
    assert main(["validate", "--strict"]) == 2
    assert not (tmp_path / "gen").exists()  # validate writes nothing


@pytest.mark.parametrize("command", ["generate", "check", "validate"])
def test_every_argument_and_option_has_help(command):
    from generator.cli.arguments import command_parser as _parser

    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]  # type: ignore[union-attr]
    missing = [a.option_strings or [a.dest] for a in sub._actions if not a.help]
    assert missing == []
