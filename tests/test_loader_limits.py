"""The loader against hostile and odd text: deep nesting (flow and block), alias bombs, duplicate keys,
JSON that is really YAML; and no false alarms on what real specs contain."""

from __future__ import annotations

import subprocess
import sys

import pytest

from generator.diagnostics import SpecError
from generator.spec.limits import MAX_DEPTH
from generator.spec.limits import check_nesting as _check_nesting
from generator.spec.loader import load_document, parse_text
from tests.conftest import REPO

HEAD = 'openapi: 3.0.3\ninfo: {title: T, version: "1"}\npaths: {}\n'
DEEP = 100_000


def _error(text: str) -> str:
    with pytest.raises(SpecError) as raised:
        parse_text(text, "spec.yaml")
    (diagnostic,) = raised.value.diagnostics
    return diagnostic.format()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (HEAD + "x: " + "[" * DEEP + "]" * DEEP + "\n", f"spec.yaml:4:{4 + MAX_DEPTH}:"),
        (HEAD + "x: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n", "spec.yaml:4:"),
        (HEAD + "x:\n  " + "- " * DEEP + "y\n", f"spec.yaml:5:{2 * MAX_DEPTH - 2}:"),
        (
            HEAD + "".join(" " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)),
            f"spec.yaml:{4 + MAX_DEPTH}:",
        ),
        ('{"a": ' * DEEP + "1" + "}" * DEEP, f"spec.yaml:1:{6 * MAX_DEPTH + 1}:"),
    ],
    ids=["flow-sequence", "flow-mapping", "block-sequence", "block-mapping", "json"],
)
def test_deep_documents_fail_with_a_located_error(text, where):
    message = _error(text)
    assert message.startswith(where), message
    assert f"nested deeper than {MAX_DEPTH} levels" in message


def test_the_yaml_parser_itself_refuses_deep_documents_without_crashing(tmp_path):
    """Defence in depth: with our pre-check switched off, libyaml's own nesting limit still answers with
    a located error rather than recursing the C stack. A separate process, so a crash would show."""
    spec = tmp_path / "deep.yaml"
    spec.write_text(HEAD + "x: " + "[" * DEEP + "]" * DEEP + "\n")
    probe = (
        "import sys, generator.spec.loader as L; L.check_nesting = lambda *a: None\n"
        "try:\n    L.load_document(L.Path(sys.argv[1]))\n"
        "except L.SpecError as e:\n    print(e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(spec)],
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (
        ":4:" in result.stdout
        and "invalid YAML" in result.stdout
        and "nesting depth" in result.stdout
    )


def test_nesting_below_the_limit_and_odd_text_are_accepted():
    _check_nesting(HEAD + "x: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", "spec.yaml")
    # a surplus of closers (in strings) neither raises nor hides real depth that follows
    _check_nesting(HEAD + "d: '" + "]" * 5000 + "'\n", "spec.yaml")
    with pytest.raises(SpecError):
        _check_nesting(
            HEAD + "d: '" + "]" * 5000 + "'\nx: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
            "s",
        )
    # a long horizontal rule in a description is text, not nesting
    parse_text(HEAD + "description: |\n  " + "-" * 2000 + "\n  " + "- " * 10 + "\n", "spec.yaml")
    # moderately deep indentation, as in big real specs
    parse_text(
        "".join(" " * (2 * i) + f"k{i}:\n" for i in range(60)) + " " * 120 + "v: 1\n", "spec.yaml"
    )


def test_an_alias_bomb_is_refused_at_the_node_that_explodes(tmp_path):
    lines = [
        HEAD.rstrip("\n"),
        "x-bomb:",
        '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ]
    for i in range(1, 10):
        lines.append(
            f"  {chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]"
        )
    spec = tmp_path / "bomb.yaml"
    spec.write_text("\n".join(lines) + "\n")
    with pytest.raises(SpecError) as raised:
        load_document(spec, display="bomb.yaml")
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.format().startswith("bomb.yaml:12:3: error: expands to more than")
    assert diagnostic.pointer == "/x-bomb/h"


def test_shared_aliases_of_a_normal_size_are_fine(tmp_path):
    spec = tmp_path / "aliases.yaml"
    spec.write_text(HEAD + "x-a: &a {type: string}\nx-b: [*a, *a, *a]\n")
    document = load_document(spec)
    assert document.data["x-b"] == [{"type": "string"}] * 3
    assert document.problems == []


def test_duplicate_keys_are_reported_where_they_repeat_and_merges_are_not_duplicates(tmp_path):
    spec = tmp_path / "dup.yaml"
    spec.write_text(
        HEAD + "x-base: &base {a: 1, b: 2}\nx-merged:\n  <<: *base\n  b: 3\n"
        "x-dup:\n  c: 1\n  d: 2\n  c: 3\n"
    )
    document = load_document(spec, display="dup.yaml")
    assert document.data["x-merged"] == {"a": 1, "b": 3} and document.data["x-dup"] == {
        "c": 3,
        "d": 2,
    }
    assert [d.format() for d in document.problems] == [
        "dup.yaml:11:3: error: duplicate key 'c': the earlier value is ignored [/x-dup/c]"
    ]


def test_json_that_only_yaml_can_read_loads_with_a_located_problem(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text('{\n  "openapi": "3.0.3",\n  "paths": {},\n}\n')
    document = load_document(spec, display="spec.json")
    assert document.data == {"openapi": "3.0.3", "paths": {}}
    (problem,) = document.problems
    assert problem.format().startswith("spec.json:4:1: error: invalid JSON (")
    assert problem.message.endswith("read as YAML instead")


def test_aliases_that_stack_shallow_text_into_deep_data_are_refused(tmp_path):
    """Each anchor is 100 levels deep in the text, but each one nests the previous: 1,000 levels of data."""
    lines = [HEAD.rstrip("\n"), "x-a0: &a0 1"]
    for i in range(1, 11):
        lines.append(f"x-a{i}: &a{i} " + "[" * 100 + f"*a{i - 1}" + "]" * 100)
    spec = tmp_path / "stacked.yaml"
    spec.write_text("\n".join(lines) + "\n")
    with pytest.raises(SpecError) as raised:
        load_document(spec, display="stacked.yaml")
    (diagnostic,) = raised.value.diagnostics
    assert (
        diagnostic.message == f"document nested deeper than {MAX_DEPTH} levels (aliases expanded)"
    )
    assert diagnostic.pointer.startswith("/x-a")
    assert diagnostic.line > 4
