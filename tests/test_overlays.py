"""Overlays: how actions apply, where problems are reported (spec or overlay, file and line), bad
overlay files, the manifest hash, and `--overlay` / `overlays = [...]` as a user runs them."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli.main import main
from generator.config import ClientConfig
from generator.diagnostics import SpecError
from generator.pipeline import diagnose, load_source

SPEC = """\
openapi: 3.0.3
info:
  title: Pets
  version: "1.0"
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - name: dummy
          in: query
          schema: {type: string}
        - name: limit
          in: query
          schema: {type: intger}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      type: object
      properties:
        id: {type: integer}
        name: {type: string}
"""
LIMIT_TYPE_LINE = 16  # `schema: {type: intger}` of `limit`, the spec's own mistake


def overlay(*actions: dict[str, Any]) -> str:
    return yaml.safe_dump(
        {"overlay": "1.0.0", "info": {"title": "fix", "version": "1"}, "actions": list(actions)},
        sort_keys=False,
    )


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "pets.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def applied(spec: Path, *overlays: Path) -> dict[str, Any]:
    config = ClientConfig(spec=spec, output=spec.parent / "out", overlays=list(overlays))
    data: dict[str, Any] = load_source(config).root.data
    return data


# ---- applying ----------------------------------------------------------------------------------


def test_update_merges_objects_recursively_and_concatenates_arrays(tmp_path, spec):
    fix = write(
        tmp_path,
        "fix.yaml",
        overlay(
            {
                "target": "$.paths['/pets'].get",
                "update": {
                    "summary": "List pets",  # new key
                    "operationId": "list_pets",  # primitive replaced
                    "tags": ["animals"],  # array concatenated
                    "responses": {"200": {"description": "the pets"}},  # merged deeper
                },
            },
            {
                "target": "$.components.schemas.Pet.properties",
                "update": {"tag": {"type": "string"}},
            },
        ),
    )
    data = applied(spec, fix)
    get = data["paths"]["/pets"]["get"]
    assert get["summary"] == "List pets"
    assert get["operationId"] == "list_pets"
    assert get["tags"] == ["pets", "animals"]
    assert get["responses"]["200"]["description"] == "the pets"
    assert "content" in get["responses"]["200"]  # untouched siblings stay
    assert list(data["components"]["schemas"]["Pet"]["properties"]) == ["id", "name", "tag"]


def test_update_of_an_array_appends_an_item_or_every_item_of_an_array(tmp_path, spec):
    fix = write(
        tmp_path,
        "fix.yaml",
        overlay(
            {"target": "$.paths.*.get.parameters", "update": {"name": "page", "in": "query"}},
            {"target": "$.paths.*.get.tags", "update": ["a", "b"]},
        ),
    )
    get = applied(spec, fix)["paths"]["/pets"]["get"]
    assert [p["name"] for p in get["parameters"]] == ["dummy", "limit", "page"]
    assert get["tags"] == ["pets", "a", "b"]


def test_remove_takes_every_selected_node_out_and_actions_apply_in_order(tmp_path, spec):
    fix = write(
        tmp_path,
        "fix.yaml",
        overlay(
            {"target": "$.paths.*.get.parameters[?@.in == 'query']", "remove": True},
            {"target": "$.components.schemas.Pet", "remove": True},
            # re-created by a later action: actions see the result of the ones before
            {"target": "$.components.schemas", "update": {"Pet": {"type": "string"}}},
            {"target": "$.paths.*.get.operationId", "update": "allPets"},  # a primitive target
        ),
    )
    data = applied(spec, fix)
    get = data["paths"]["/pets"]["get"]
    assert get["parameters"] == []
    assert get["operationId"] == "allPets"
    assert data["components"]["schemas"]["Pet"] == {"type": "string"}


def test_overlays_apply_in_the_order_given(tmp_path, spec):
    first = write(tmp_path, "1.yaml", overlay({"target": "$.info", "update": {"title": "One"}}))
    second = write(tmp_path, "2.yaml", overlay({"target": "$.info", "update": {"title": "Two"}}))
    assert applied(spec, first, second)["info"]["title"] == "Two"
    assert applied(spec, second, first)["info"]["title"] == "One"


def test_an_empty_key_in_an_update_changes_nothing(tmp_path, spec):
    # The Overlay Specification's "structured overlay" example writes `components:` with nothing.
    fix = write(
        tmp_path,
        "fix.yaml",
        overlay({"target": "$", "update": {"components": None, "info": {"x-fixed": True}}}),
    )
    data = applied(spec, fix)
    assert "Pet" in data["components"]["schemas"]
    assert data["info"]["x-fixed"] is True


# ---- where problems are reported ---------------------------------------------------------------


def test_a_problem_in_what_an_overlay_wrote_is_reported_in_the_overlay(tmp_path, spec):
    fix = write(
        tmp_path,
        "fix.yaml",
        """\
        overlay: 1.0.0
        info: {title: fix, version: "1"}
        actions:
          - target: $.paths['/pets'].get
            update:
              parameters:
                - name: page
                  in: query
                  schema:
                    type: numbr
        """,
    )
    found = diagnose(ClientConfig(spec=spec, output=tmp_path / "out", overlays=[fix]))
    ours = [d for d in found if "numbr" in d.message]
    assert ours and {(d.file, d.line) for d in ours} == {(str(fix), 10)}
    assert all(d.pointer == "/paths/~1pets/get/parameters/2/schema/type" for d in ours)
    # the spec's own mistake is still reported in the spec, at its line
    spec_own = [d for d in found if "intger" in d.message]
    assert spec_own and {(d.file, d.line) for d in spec_own} == {(str(spec), LIMIT_TYPE_LINE)}


def test_spec_lines_survive_removals_that_shift_array_indexes(tmp_path, spec):
    # `dummy` (item 0) goes: `limit` is now item 0 of the result, but still on the spec's line 16.
    fix = write(
        tmp_path,
        "fix.yaml",
        overlay({"target": "$.paths.*.get.parameters[?@.name == 'dummy']", "remove": True}),
    )
    found = diagnose(ClientConfig(spec=spec, output=tmp_path / "out", overlays=[fix]))
    intger = [d for d in found if "intger" in d.message]
    assert intger and {(d.file, d.line) for d in intger} == {(str(spec), LIMIT_TYPE_LINE)}
    assert {d.pointer for d in intger} == {"/paths/~1pets/get/parameters/0/schema/type"}


def test_an_overlay_value_replacing_a_spec_value_is_reported_in_the_overlay(tmp_path, spec):
    fix = write(
        tmp_path,
        "fix.yaml",
        """\
        overlay: 1.0.0
        info: {title: fix, version: "1"}
        actions:
          - target: $.components.schemas.Pet.properties.id
            update:
              type: integr
        """,
    )
    found = diagnose(ClientConfig(spec=spec, output=tmp_path / "out", overlays=[fix]))
    assert {(d.file, d.line) for d in found if "integr'" in d.message} == {(str(fix), 6)}


def test_swagger2_specs_keep_their_lines_through_overlay_and_conversion(tmp_path):
    spec = write(
        tmp_path,
        "v2.yaml",
        """\
        swagger: "2.0"
        info: {title: Old, version: "1"}
        paths:
          /pets:
            get:
              operationId: listPets
              responses:
                "200":
                  description: ok
                  schema: {$ref: "#/definitions/Pet"}
        definitions:
          Pet:
            type: object
            properties:
              id: {type: integer}
        """,
    )
    fix = write(
        tmp_path,
        "fix.yaml",
        overlay({"target": "$.definitions.Pet.properties", "update": {"name": {"type": "strng"}}}),
    )
    found = diagnose(ClientConfig(spec=spec, output=tmp_path / "out", overlays=[fix]))
    ours = [d for d in found if "strng" in d.message]
    assert ours and all(d.file == str(fix) for d in ours)
    line = [n for n, text in enumerate(fix.read_text().splitlines(), 1) if "strng" in text]
    assert [d.line for d in ours] == line * len(ours)


def test_a_target_that_matches_nothing_is_a_warning_at_the_target(tmp_path, spec):
    fix = write(
        tmp_path,
        "fix.yaml",
        """\
        overlay: 1.0.0
        info: {title: fix, version: "1"}
        actions:
          - target: $.info
            update: {x-a: 1}
          - target: $.paths['/cats'].get
            remove: true
        """,
    )
    found = diagnose(ClientConfig(spec=spec, output=tmp_path / "out", overlays=[fix]))
    unmatched = [d for d in found if "matches nothing" in d.message]
    assert [(d.file, d.line, d.column, d.severity) for d in unmatched] == [
        (str(fix), 6, 5, "warning")  # at its `target:` key
    ]
    assert "$.paths['/cats'].get" in unmatched[0].message
    strict = diagnose(ClientConfig(spec=spec, output=tmp_path / "out", overlays=[fix], strict=True))
    assert [d.severity for d in strict if "matches nothing" in d.message] == ["error"]


# ---- bad overlay files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("- just a list\n", 1, "the top level must be a mapping"),
        (
            "overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: []\n",
            1,
            "expected 'overlay: 1.0.0'",
        ),
        ("openapi: 3.0.0\n", 1, "no 'overlay: 1.0.0' key"),
        ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\n", 3, "at least one action"),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths[\n    remove: true\n",
            4,
            "invalid JSONPath '$.paths[': unexpected 'end' in a bracket selector (at character 9)",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    remvoe: true\n",
            5,
            "unknown action key 'remvoe'",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - update: {a: 1}\n",
            4,
            "needs a 'target'",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update: [1]\n",
            5,
            "'update' must be an object",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    update:\n      title: {a: 1}\n",
            6,
            "cannot merge a object into the primitive value at 'title'",
        ),
        (
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $\n    remove: true\n",
            4,
            "cannot be removed",
        ),
        ("overlay: [1.0.0\n", 2, "invalid YAML"),
    ],
)
def test_a_bad_overlay_is_an_error_located_in_it(tmp_path, spec, text, line, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_source(ClientConfig(spec=spec, output=tmp_path / "out", overlays=[bad]))
    problems = [d for d in caught.value.diagnostics if d.severity == "error"]
    assert problems[0].file == str(bad)
    assert message in problems[0].message
    assert problems[0].line == line


def test_a_bad_overlay_exits_2_and_writes_nothing(tmp_path, spec, capsys):
    bad = write(tmp_path, "bad.yaml", "overlay: 1.0.0\nactions: {}\n")
    out = tmp_path / "out"
    assert main(["generate", str(spec), "-o", str(out), "--overlay", str(bad)]) == 2
    assert not out.exists()
    assert f"{bad}:2:1: error: 'actions' must list at least one action" in capsys.readouterr().err
    missing = tmp_path / "missing.yaml"
    assert main(["generate", str(spec), "-o", str(out), "--overlay", str(missing)]) == 2
    assert "missing.yaml:1:1: error: no such file" in capsys.readouterr().err
    assert not out.exists()


# ---- the command line, the configuration and the manifest --------------------------------------

RENAME = overlay({"target": "$.paths['/pets'].get", "update": {"operationId": "allPets"}})


def test_overlay_on_generate_check_and_validate(tmp_path, spec, capsys):
    fix = write(tmp_path, "fix.yaml", RENAME)
    out = tmp_path / "out"
    assert (
        main(["generate", str(spec), "-o", str(out), "--formatter", "none", "--overlay", str(fix)])
        == 0
    )
    resource = (out / "pets" / "resources" / "pets.py").read_text()
    assert "def all_pets(" in resource and "list_pets" not in resource
    assert (
        main(["check", str(spec), "-o", str(out), "--formatter", "none", "--overlay", str(fix)])
        == 0
    )
    # without the overlay, the committed client is not what the spec alone makes
    assert main(["check", str(spec), "-o", str(out), "--formatter", "none"]) == 1
    capsys.readouterr()
    assert main(["validate", str(spec), "--overlay", str(fix), "--format", "json"]) == 0
    assert not any("intger" in d["file"] for d in json.loads(capsys.readouterr().out))


def test_editing_an_overlay_makes_check_report_the_client_out_of_date(tmp_path, spec, capsys):
    fix = write(tmp_path, "fix.yaml", RENAME)
    out = tmp_path / "out"
    args = [str(spec), "-o", str(out), "--formatter", "none", "--overlay", str(fix)]
    assert main(["generate", *args]) == 0
    manifest = json.loads((out / ".oasgen-manifest.json").read_text())
    assert "fix.yaml" in manifest["spec_hashes"]
    assert main(["check", *args]) == 0
    fix.write_text(RENAME + "# a comment changes nothing generated, but the file changed\n")
    assert main(["check", *args]) == 1  # answered from the manifest's hashes: out of date
    fix.write_text(RENAME.replace("allPets", "everyPet"))
    assert main(["check", *args]) == 1
    assert "changed: pets/resources/pets.py" in capsys.readouterr().out


def test_overlays_in_the_configuration_are_relative_to_it_and_located_when_missing(
    tmp_path, spec, monkeypatch, capsys
):
    (tmp_path / "overlays").mkdir()
    write(tmp_path / "overlays", "fix.yaml", RENAME)
    config = tmp_path / "pyproject.toml"
    config.write_text(
        '[[tool.oasgen.clients]]\nspec = "pets.yaml"\noutput = "out"\npackage-name = "pets"\n'
        'formatter = "none"\noverlays = ["overlays/fix.yaml"]\n'
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 0
    assert "def all_pets(" in (tmp_path / "out/pets/resources/pets.py").read_text()
    assert main(["check"]) == 0
    config.write_text(config.read_text().replace("fix.yaml", "fixx.yaml"))
    capsys.readouterr()
    assert main(["check"]) == 2
    assert capsys.readouterr().err.startswith(
        "pyproject.toml:6:1: error: tool.oasgen.clients[0].overlays: no file 'overlays/fixx.yaml'"
    )
    config.write_text(config.read_text().replace('["overlays/fixx.yaml"]', '"fix.yaml"'))
    assert main(["check"]) == 2
    assert "overlays must be a list of non-empty strings" in capsys.readouterr().err


def test_the_overlay_list_is_part_of_the_configuration_hash(tmp_path, spec):
    fix = write(tmp_path, "fix.yaml", RENAME)
    plain = ClientConfig(spec=spec, output=tmp_path / "out")
    with_overlay = ClientConfig(spec=spec, output=tmp_path / "out", overlays=[fix])
    assert plain.fingerprint() != with_overlay.fingerprint()
    # relative to the spec, so the same in every clone
    assert "overlays=fix.yaml" in with_overlay.fingerprint()


def test_the_readme_overlay_fixes_the_faxplus_spec_as_it_says(tmp_path):
    import re

    from tests.conftest import REPO, SPECS

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Overlays", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block
    fix = write(tmp_path, "faxplus.overlay.yaml", block.group(1))
    config = ClientConfig(spec=SPECS / "faxplus.yaml", output=tmp_path / "out", overlays=[fix])
    assert diagnose(config) == []  # every target matches, nothing wrong
    params = load_source(config).root.data["paths"]["/accounts/{user_id}/faxes"]["get"][
        "parameters"
    ]
    enums = {p["name"]: p["schema"].get("enum") for p in params}
    assert enums["sort_by"] == ["date", "from", "to", "comment", "pages"]
    assert enums["order"] == ["asc", "desc"]


def test_an_overlay_beside_the_specs_folder_keeps_the_manifest_the_same_in_every_clone(tmp_path):
    import shutil

    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    (repo / "overlays").mkdir()
    (repo / "specs" / "pets.yaml").write_text(SPEC)
    (repo / "overlays" / "fix.yaml").write_text(RENAME)
    (repo / "oasgen.toml").write_text(
        '[[clients]]\nspec = "specs/pets.yaml"\noutput = "out"\npackage-name = "pets"\n'
        'formatter = "none"\noverlays = ["overlays/fix.yaml"]\n'
    )
    assert main(["generate", "--config", str(repo / "oasgen.toml"), "-q"]) == 0
    manifest = json.loads((repo / "out" / ".oasgen-manifest.json").read_text())
    assert "../overlays/fix.yaml" in manifest["spec_hashes"]
    clone = tmp_path / "clone"
    shutil.copytree(repo, clone)
    assert main(["check", "--config", str(clone / "oasgen.toml"), "-q"]) == 0
    (clone / "overlays" / "fix.yaml").write_text(RENAME.replace("allPets", "everyPet"))
    assert main(["check", "--config", str(clone / "oasgen.toml"), "-q"]) == 1


# ---- property: every node of the result is traced to where it was written ----------------------

_keys = st.sampled_from(["a", "b", "name", "items"])
_scalars = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["x", "dummy"])
_values = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_keys, children, max_size=3),
    max_leaves=12,
)
_documents = st.dictionaries(_keys, _values, min_size=1, max_size=4)
_targets = st.sampled_from(
    ["$", "$.a", "$.*", "$..items", "$..[0]", "$..[?@.name == 'dummy']", "$..a", "$.b[-1]", "$..*"]
)
_actions = st.lists(
    st.fixed_dictionaries({"target": _targets, "remove": st.just(True)})
    | st.fixed_dictionaries({"target": _targets, "update": _values | _documents}),
    min_size=1,
    max_size=4,
)


def _leaves(node: Any, path: tuple[str, ...] = ()) -> list[tuple[str, Any]]:
    from generator.diagnostics import join_pointer

    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(node, list):
        return [leaf for i, v in enumerate(node) for leaf in _leaves(v, (*path, str(i)))]
    return [(join_pointer(list(path)), node)]


@settings(max_examples=60, derandomize=True, deadline=None)
@given(_documents, _actions)
def test_every_value_of_the_result_is_traced_to_the_file_that_wrote_it(
    tmp_path_factory, document, actions
):
    from generator.spec.loader import load_spec
    from generator.spec.overlays import apply_overlays
    from generator.spec.refs import get_at

    folder = tmp_path_factory.mktemp("prop")
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")
    fix = folder / "fix.yaml"
    fix.write_text(overlay(*actions), encoding="utf-8")
    source = load_spec(spec)
    try:
        apply_overlays(source, [fix])
    except SpecError:
        return  # an update that cannot merge: reported, nothing to trace
    written = {
        str(spec): yaml.safe_load(spec.read_text()),
        str(fix): yaml.safe_load(fix.read_text()),
    }
    assert source.root.relocate is not None
    for pointer, value in _leaves(source.root.data):
        home, at = source.root.relocate(pointer)
        assert get_at(written[home.display], at) == value, (pointer, home.display, at)


def test_a_broken_ref_an_overlay_wrote_is_reported_once_in_the_overlay(tmp_path, spec):
    fix = write(
        tmp_path,
        "fix.yaml",
        """\
        overlay: 1.0.0
        info: {title: fix, version: "1"}
        actions:
          - target: $.components.schemas.Pet.properties
            update:
              owner:
                $ref: "#/components/schemas/Owner"
        """,
    )
    found = diagnose(ClientConfig(spec=spec, output=tmp_path / "out", overlays=[fix]))
    broken = [d for d in found if "Owner" in d.message]
    assert [(d.file, d.line) for d in broken] == [(str(fix), 7)]
    # openapi-spec-validator's full pass (--strict), spared the broken $ref, reports the rest
    strict = diagnose(ClientConfig(spec=spec, output=tmp_path / "out", overlays=[fix], strict=True))
    refs = [d for d in strict if d.message == "pointer '/components/schemas/Owner' does not exist"]
    assert [(d.file, d.line) for d in refs] == [(str(fix), 7)]
    assert [d.line for d in strict if "'intger' is not one of" in d.message]
