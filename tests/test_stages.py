"""Unit tests of the foundation stages: load, locate, validate, model (refs, cycles, composition)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.config import ClientConfig
from generator.diagnostics import SpecError
from generator.model.builder import build_api
from generator.model.types import ArrayOf, EnumDef, ModelDef, Named, Nullable, Primitive, UnionOf
from generator.spec.loader import load_spec
from generator.spec.validator import validate


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def api_of(tmp_path: Path, spec: dict, name: str = "spec.json"):
    path = write(tmp_path, name, json.dumps(spec))
    api, warnings = build_api(load_spec(path), ClientConfig(path, tmp_path / "out", "pkg"))
    return api, warnings


def spec_with(schemas: dict, paths: dict | None = None) -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas},
    }


# ---- load ----------------------------------------------------------------------------------------


def test_json_is_detected_by_content_not_extension(tmp_path):
    path = write(
        tmp_path, "spec.yaml", '{"openapi": "3.0.0", "info": {"title": "x", "version": "1"}}'
    )
    assert load_spec(path).root.data["openapi"] == "3.0.0"


def test_yaml_in_a_json_named_file_loads(tmp_path):
    path = write(tmp_path, "spec.json", "openapi: 3.0.0\ninfo: {title: x, version: '1'}\n")
    assert load_spec(path).root.data["info"]["title"] == "x"


def test_yaml_dates_stay_strings(tmp_path):
    path = write(tmp_path, "s.yaml", "openapi: 3.0.0\ninfo: {title: x, version: 2024-01-01}\n")
    assert load_spec(path).root.data["info"]["version"] == "2024-01-01"


def test_pointer_locates_line_and_column(tmp_path):
    path = write(
        tmp_path,
        "s.yaml",
        "openapi: 3.0.0\ninfo:\n  title: x\n  version: '1'\npaths:\n  /a:\n    get: {}\n",
    )
    document = load_spec(path).root
    assert document.locate("/info/version") == (4, 3)
    assert document.locate("/paths/~1a/get") == (7, 5)
    assert document.locate("/paths/~1a/get/missing") == (7, 5)  # nearest existing parent


def test_pointer_locates_in_json(tmp_path):
    path = write(
        tmp_path, "s.json", '{\n  "openapi": "3.0.0",\n  "info": {\n    "title": "x"\n  }\n}\n'
    )
    assert load_spec(path).root.locate("/info/title") == (4, 5)


@pytest.mark.parametrize(
    "content,message,line",
    [
        ("openapi: 3.0.0\ninfo: [unclosed\n", "invalid YAML", 3),
        ('{"openapi": "3.0.0",, }', "invalid JSON", 1),
        ("", "empty file", 1),
        ("- a\n- b\n", "top level must be a mapping", 1),
    ],
)
def test_bad_files_are_located_errors(tmp_path, content, message, line):
    path = write(tmp_path, "bad.yaml", content)
    with pytest.raises(SpecError) as info:
        load_spec(path)
    diagnostic = info.value.diagnostics[0]
    assert message in diagnostic.message
    assert diagnostic.line == line and diagnostic.file.endswith("bad.yaml")


def test_missing_file(tmp_path):
    with pytest.raises(SpecError) as info:
        load_spec(tmp_path / "nope.yaml")
    assert "no such file" in str(info.value)


# ---- validate ------------------------------------------------------------------------------------


def test_broken_ref_is_reported_at_the_ref(tmp_path):
    spec = spec_with(
        {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Missing"}}}}
    )
    path = write(tmp_path, "s.yaml", json.dumps(spec, indent=2))
    problems = validate(load_spec(path))
    ref_problems = [p for p in problems if p.pointer == "/components/schemas/A/properties/b/$ref"]
    assert ref_problems and ref_problems[0].line > 1


def test_every_validation_error_is_reported_with_its_pointer(tmp_path):
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "T"},
        "paths": {"/a": {"get": {"responses": {"200": {}}}}},
    }
    path = write(tmp_path, "s.json", json.dumps(spec, indent=2))
    problems = validate(load_spec(path))
    pointers = {p.pointer for p in problems}
    assert "/info" in pointers  # version missing
    assert any(
        p.startswith("/paths/~1a/get/responses/200") for p in pointers
    )  # description missing
    assert all(p.line >= 1 for p in problems)


# ---- model ---------------------------------------------------------------------------------------


def test_refs_are_resolved_once_and_cycles_terminate(tmp_path):
    api, _ = api_of(
        tmp_path,
        spec_with(
            {
                "Node": {
                    "type": "object",
                    "properties": {
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Node"},
                        },
                        "parent": {"$ref": "#/components/schemas/Node"},
                    },
                },
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
            }
        ),
    )
    models = {d.name: d for d in api.definitions}
    node = models["Node"]
    assert isinstance(node, ModelDef)
    assert node.fields[0].type == ArrayOf(Named("Node"))
    assert node.fields[1].type == Named("Node")
    assert models["A"].fields[0].type == Named("B") and models["B"].fields[0].type == Named("A")
    assert [d.name for d in api.definitions].count("Node") == 1


def test_all_of_merges_fields_and_required(tmp_path):
    api, _ = api_of(
        tmp_path,
        spec_with(
            {
                "Base": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": {"type": "string"}},
                },
                "Pet": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Base"},
                        {
                            "type": "object",
                            "required": ["name"],
                            "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                        },
                    ]
                },
            }
        ),
    )
    pet = next(d for d in api.definitions if d.name == "Pet")
    assert [(f.json_name, f.required) for f in pet.fields] == [
        ("id", True),
        ("name", True),
        ("age", False),
    ]


def test_one_of_becomes_a_union_and_nullable_is_kept(tmp_path):
    api, _ = api_of(
        tmp_path,
        spec_with(
            {
                "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
                "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
                "Owner": {
                    "type": "object",
                    "properties": {
                        "pet": {
                            "oneOf": [
                                {"$ref": "#/components/schemas/Cat"},
                                {"$ref": "#/components/schemas/Dog"},
                            ]
                        },
                        "nick": {"type": "string", "nullable": True},
                    },
                },
            }
        ),
    )
    owner = next(d for d in api.definitions if d.name == "Owner")
    assert owner.fields[0].type == UnionOf((Named("Cat"), Named("Dog")))
    assert owner.fields[1].type == Nullable(Primitive("str"))


def test_enums_keep_spec_order_and_disambiguate_names(tmp_path):
    api, _ = api_of(
        tmp_path, spec_with({"Order": {"type": "string", "enum": ["desc", "ASC", "asc", "1st"]}})
    )
    enum = next(d for d in api.definitions if isinstance(d, EnumDef))
    assert [m.value for m in enum.members] == ["desc", "ASC", "asc", "1st"]
    assert [m.py_name for m in enum.members] == ["DESC", "ASC", "ASC_2", "VALUE_1_ST"]


def test_inline_schemas_get_names_from_their_position(tmp_path):
    api, _ = api_of(
        tmp_path,
        spec_with(
            {
                "Outbox": {
                    "type": "object",
                    "properties": {
                        "retry": {"type": "object", "properties": {"count": {"type": "integer"}}}
                    },
                }
            }
        ),
    )
    assert [d.name for d in api.definitions] == ["Outbox", "OutboxRetry"]


def test_operations_group_by_tag_and_keep_path_defaults(tmp_path):
    paths = {
        "/accounts/{user_id}": {
            "get": {
                "operationId": "getUser",
                "tags": ["Accounts"],
                "parameters": [
                    {
                        "name": "user_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "default": "self"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/things": {"get": {"responses": {"2XX": {"description": "ok"}}}},
    }
    api, _ = api_of(tmp_path, spec_with({}, paths))
    assert [r.attr_name for r in api.resources] == ["accounts", "things"]
    op = api.resources[0].operations[0]
    assert (op.py_name, op.parameters[0].default) == ("get_user", "self")
    untagged = api.resources[1].operations[0]
    assert untagged.py_name == "get_things"
    assert untagged.responses[0].status == "2XX"


def test_dangling_ref_becomes_any_with_a_located_warning(tmp_path):
    api, warnings = api_of(
        tmp_path,
        spec_with(
            {"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Gone"}}}}
        ),
    )
    model = next(d for d in api.definitions if d.name == "A")
    assert model.fields[0].type == Primitive("any")
    assert warnings and warnings[0].pointer.endswith("/properties/b/$ref")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("a: &x 1\nb: *x\n", True),
        ("- &a [1]\n", True),
        ("k: {a: &b c}\n", True),
        ("a: !!map &x {}\n", True),
        ("desc: R&D, see a&b\n", False),
        ("url: http://x?a=1&b=2\n", False),
        ("t: Terms & Conditions\n", False),
    ],
)
def test_anchor_detection_never_misses_an_anchor(text, expected):
    """Documents without anchors skip the alias-expansion walk; every anchor must still be seen."""
    from generator.spec.limits import may_have_anchors as _may_have_anchors

    assert _may_have_anchors(text) is expected


def test_a_build_leaves_the_garbage_collector_as_it_found_it(tmp_path, faxplus_spec):
    import gc

    from generator.config import ClientConfig
    from generator.pipeline import build

    assert gc.isenabled()
    build(ClientConfig(spec=faxplus_spec, output=tmp_path / "out", package_name="fx"))
    assert gc.isenabled()
    gc.disable()
    try:
        build(ClientConfig(spec=faxplus_spec, output=tmp_path / "out", package_name="fx"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_background_work_returns_its_result_or_reports_its_failure():
    import time

    from generator.spec.background import Background

    assert Background(lambda: {"big": "x" * 1_000_000}, "work").result() == {"big": "x" * 1_000_000}
    with pytest.raises(RuntimeError, match="work failed: ZeroDivisionError"):
        Background(lambda: 1 / 0, "work").result()
    slow = Background(lambda: time.sleep(30), "slow work")
    started = time.perf_counter()
    slow.cancel()  # the run failed meanwhile: the child is stopped, not waited for
    assert time.perf_counter() - started < 5
