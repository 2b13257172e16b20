"""Every spec in tests/malformed/: located diagnostics, exit 2 under --strict with the previous output
untouched, a located warning in lenient mode where a client is still possible, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli.main import main
from tests.conftest import REPO

MALFORMED = Path(__file__).parent / "malformed"
GOOD_SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1.0"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200": {description: ok}
"""


@dataclass(frozen=True)
class Expect:
    line: int  # where the (first) problem is reported
    pointer: str  # its JSON pointer ("" when the problem is the text itself)
    words: str  # words the message must contain: it names the offending key or value
    lenient: str  # "error": no client possible; "warning": generated, with a located warning


E, W = "error", "warning"
PARAM = "/paths/~1pets/get/parameters/0"
SCHEMA_REF = "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref"
CASES: dict[str, Expect] = {
    # text that is not a readable document
    "empty.yaml": Expect(1, "", "empty file", E),
    "whitespace_only.yaml": Expect(1, "", "empty file", E),
    "binary.yaml": Expect(1, "", "binary file", E),
    "latin1.yaml": Expect(1, "", "not UTF-8", E),
    "yaml_bad_indentation.yaml": Expect(4, "", "invalid YAML", E),
    "yaml_unclosed_quote.yaml": Expect(4, "", "invalid YAML", E),
    "yaml_tab_indent.yaml": Expect(3, "", "invalid YAML", E),
    "yaml_unclosed_flow.yaml": Expect(3, "", "invalid YAML", E),
    "json_missing_colon.json": Expect(3, "", "invalid JSON: Expecting ':'", E),
    "json_truncated.json": Expect(5, "", "invalid JSON", E),
    "json_trailing_comma.json": Expect(3, "", "invalid JSON", W),
    "yaml_duplicate_key.yaml": Expect(12, "/paths/~1pets/get", "duplicate key 'get'", W),
    # hostile shapes: fail fast, located, in both modes
    "alias_bomb.yaml": Expect(12, "/x-bomb/h", "alias", E),
    "deep_flow.yaml": Expect(4, "", "nested deeper than", E),
    "deep_block.yaml": Expect(5, "", "nested deeper than", E),
    "deep_json.json": Expect(2, "", "nested deeper than", E),
    # not OpenAPI
    "not_openapi.yaml": Expect(1, "", "not an OpenAPI document", E),
    "top_level_list.yaml": Expect(1, "", "top level must be a mapping", E),
    "unsupported_version.yaml": Expect(1, "/openapi", "'4.0.0'", E),
    "openapi_version_not_string.yaml": Expect(1, "/openapi", "3.0 is not of type 'string'", W),
    # wrong types and missing required fields
    "info_wrong_type.yaml": Expect(2, "/info", "'Pets 1.0' is not of type 'object'", W),
    "info_missing.yaml": Expect(1, "", "'info' is a required property", W),
    "info_missing_version.yaml": Expect(2, "/info", "'version' is a required property", W),
    "paths_wrong_type.yaml": Expect(5, "/paths", "is not of type 'object'", W),
    "paths_missing.yaml": Expect(1, "", "'paths' is a required property", W),
    "operation_wrong_type.yaml": Expect(
        7, "/paths/~1pets/get", "'list the pets' is not of type", W
    ),
    "responses_missing.yaml": Expect(
        7, "/paths/~1pets/get", "'responses' is a required property", W
    ),
    "response_bad_status.yaml": Expect(9, "/paths/~1pets/get/responses", "'20O'", W),
    "parameter_missing_in.yaml": Expect(10, PARAM, "'in' is a required property", W),
    "parameter_bad_in.yaml": Expect(
        11, "/paths/~1pets/post/parameters/0/in", "'body' is not one of", W
    ),
    "schema_unknown_type.yaml": Expect(
        15, "/paths/~1pets/get/responses/200/content/application~1json/schema/type", "'strnig'", W
    ),
    "schema_required_not_list.yaml": Expect(20, "/components/schemas/Pet/required", "'name'", W),
    "enum_not_list.yaml": Expect(
        14, PARAM + "/schema/enum", "'available' is not of type 'array'", W
    ),
    "json_wrong_types.json": Expect(3, "/info/version", "1.0 is not of type 'string'", W),
    "server_url_wrong_type.yaml": Expect(6, "/servers/0/url", "8080 is not of type 'string'", W),
    "security_scheme_missing_type.yaml": Expect(
        14, "/components/securitySchemes/token", "'type' is a required property", W
    ),
    "swagger2_missing_info.yaml": Expect(1, "", "'info' is a required property", W),
    "invalid_regex.yaml": Expect(14, PARAM + "/schema/pattern", "'[a-z' is not a 'regex'", W),
    "default_wrong_type.yaml": Expect(
        14, PARAM + "/schema/default", "'ten' is not of type 'integer'", W
    ),
    # references
    "ref_broken_local.yaml": Expect(15, SCHEMA_REF, "'/components/schemas/Pets' does not exist", W),
    "ref_missing_file.yaml": Expect(15, SCHEMA_REF, "'schemas/pet.yaml#/Pet': no such file", W),
    "ref_not_string.yaml": Expect(15, SCHEMA_REF, "42 is not of type 'string'", W),
    "ref_remote.yaml": Expect(15, SCHEMA_REF, "remote $ref", W),
    "ref_outside_directory.yaml": Expect(15, SCHEMA_REF, "leaves the spec's directory", W),
    "ref_circular.yaml": Expect(
        19, "/components/schemas/A/$ref", "$ref cycle: '#/components/schemas/B'", W
    ),
    "ref_self.yaml": Expect(
        19, "/components/schemas/Pet/$ref", "$ref cycle: '#/components/schemas/Pet'", W
    ),
    # operations
    "duplicate_operation_id.yaml": Expect(14, "/paths/~1cats/get/operationId", "'getPets'", W),
    "path_parameter_undeclared.yaml": Expect(7, "/paths/~1pets~1{pet_id}/get", "'pet_id'", W),
}


def test_the_corpus_is_complete():
    on_disk = {p.name for p in MALFORMED.iterdir()}
    assert on_disk == set(CASES), (
        "every malformed spec needs an expectation, and every expectation a spec"
    )
    assert len(CASES) >= 30


def _tree(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(directory).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def previous_output(tmp_path_factory) -> Path:
    """A client generated from a good spec: what a failed run must leave alone."""
    base = tmp_path_factory.mktemp("previous")
    (base / "good.yaml").write_text(GOOD_SPEC)
    assert (
        main(
            [
                "generate",
                str(base / "good.yaml"),
                "-o",
                str(base / "client"),
                "--package-name",
                "pets",
                "-q",
            ]
        )
        == 0
    )
    return base / "client"


def _run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _assert_no_crash(err: str) -> None:
    assert "Traceback" not in err
    assert "internal error" not in err


@pytest.mark.parametrize("name", sorted(CASES))
def test_strict_exits_2_with_a_located_error_and_leaves_output_alone(
    name, previous_output, tmp_path, capsys
):
    expect = CASES[name]
    output = tmp_path / "client"
    shutil.copytree(previous_output, output, copy_function=shutil.copy2)
    before = _tree(output)
    code, out, err = _run(
        [
            "generate",
            str(MALFORMED / name),
            "-o",
            str(output),
            "--package-name",
            "pets",
            "--strict",
            "--format",
            "json",
        ],
        capsys,
    )
    _assert_no_crash(err)
    assert code == 2, err
    problems = json.loads(out)
    assert problems, "an exit 2 says why"
    assert all(p["file"].endswith(name) and p["line"] >= 1 and p["column"] >= 1 for p in problems)
    assert all(p["severity"] == "error" for p in problems)
    assert problems == sorted(
        problems,
        key=lambda p: (
            p["file"],
            p["line"],
            p["column"],
            p["severity"],
            p["message"],
            p["pointer"],
        ),
    )
    assert any(
        (p["line"], p["pointer"]) == (expect.line, expect.pointer) and expect.words in p["message"]
        for p in problems
    ), problems
    assert _tree(output) == before


@pytest.mark.parametrize("name", sorted(CASES))
def test_lenient_mode_warns_where_a_client_is_still_possible(name, tmp_path, capsys):
    expect = CASES[name]
    output = tmp_path / "client"
    code, _, err = _run(
        [
            "generate",
            str(MALFORMED / name),
            "-o",
            str(output),
            "--package-name",
            "pets",
            "--formatter",
            "none",
        ],
        capsys,
    )
    _assert_no_crash(err)
    lines = [line for line in err.splitlines() if f"{name}:" in line]
    located = f"{name}:{expect.line}:"
    if expect.lenient == "error":
        assert code == 2, err
        assert not output.exists()
        pointer = f" [{expect.pointer}]" if expect.pointer else ""
        assert any(
            located in line
            and ": error: " in line
            and expect.words in line
            and line.endswith(pointer)
            for line in lines
        ), err
    else:
        assert code == 0, err
        assert (output / "pets" / "__init__.py").is_file()
        assert lines and all(": warning: " in line for line in lines), err
        pointer = f" [{expect.pointer}]" if expect.pointer else ""
        assert any(
            located in line and expect.words in line and line.endswith(pointer) for line in lines
        ), err


def test_validate_reports_everything_at_once_sorted(tmp_path, capsys):
    spec = tmp_path / "many.yaml"
    spec.write_text((MALFORMED / "json_wrong_types.json").read_text())
    code, out, _ = _run(["validate", str(spec), "--strict", "--format", "json"], capsys)
    problems = json.loads(out)
    assert code == 2
    assert [(p["line"], p["pointer"]) for p in problems] == [
        (3, "/info/version"),
        (4, "/paths/~1pets/get/responses/200/description"),
    ]


@pytest.mark.parametrize(
    "name", ["alias_bomb.yaml", "deep_flow.yaml", "deep_block.yaml", "deep_json.json"]
)
@pytest.mark.parametrize("strict", [True, False])
def test_hostile_documents_fail_in_a_fresh_process_without_a_traceback(name, strict, tmp_path):
    """A separate interpreter, so a parser that recursed into the C stack would show as a crash;
    the timeout guards against a hang (it is not a speed assertion)."""
    args = [sys.executable, "-m", "generator", "validate", str(MALFORMED / name)] + (
        ["--strict"] if strict else []
    )
    result = subprocess.run(
        args,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{name}:{CASES[name].line}:" in result.stderr


def test_the_same_mistake_in_two_schemas_is_located_at_both(tmp_path, capsys):
    spec = tmp_path / "twice.yaml"
    spec.write_text(
        'openapi: 3.0.3\ninfo: {title: T, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n'
        '    A: {type: string, pattern: "[a-"}\n    B: {type: string, pattern: "[a-"}\n'
    )
    code, out, _ = _run(["validate", str(spec), "--strict", "--format", "json"], capsys)
    assert code == 2
    assert [(p["line"], p["pointer"]) for p in json.loads(out)] == [
        (6, "/components/schemas/A/pattern"),
        (7, "/components/schemas/B/pattern"),
    ]
