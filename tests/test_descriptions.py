"""Documentation (issue 17, item 4): descriptions wherever the spec writes them (the property, the
non-null branch of an anyOf/oneOf with null, an allOf wrapper, the referenced schema), for model
fields, parameters and body arguments; root-relative links made absolute against the API's
documentation host when the spec or the configuration names one, else left as written."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from model_helpers import write_spec
from names_spec import SPEC

from generator.config import ClientConfig
from generator.model.api import Api
from generator.model.builder import build_api
from generator.model.descriptions import absolute, docs_host
from generator.model.types import ModelDef
from generator.spec.read import read_spec


def build(tmp_path: Path, spec: dict[str, Any], **options: Any) -> Api:
    path = write_spec(tmp_path, spec)
    source, _ = read_spec(path, lambda source: None)
    config = ClientConfig(spec=path, output=tmp_path / "out", package_name="pkg", **options)
    return build_api(source, config)[0]


def field_docs(api: Api, model: str) -> dict[str, str]:
    found = next(d for d in api.definitions if isinstance(d, ModelDef) and d.name == model)
    return {f.py_name: f.description for f in found.fields}


def test_descriptions_come_from_null_unions_allof_wrappers_and_references(tmp_path: Path) -> None:
    docs = field_docs(build(tmp_path, SPEC), "Job")
    assert docs["temperature"].startswith("How random.")  # anyOf [number, null]
    assert docs["seed"] == "A seed."  # oneOf [integer, null]
    assert docs["model"] == "The model to use."  # a sibling of allOf: [$ref]
    assert docs["kind"] == "A model id."  # allOf: [$ref] alone: the referenced schema's
    assert docs["id"] == ""


def test_a_composition_does_not_lend_its_base_models_description(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["Job"]["properties"]["both"] = {
        "allOf": [{"$ref": "#/components/schemas/Model"}, {"type": "string", "minLength": 1}]
    }
    assert field_docs(build(tmp_path, spec), "Job")["both"] == ""


def test_parameters_and_body_fields_take_the_branch_description(tmp_path: Path) -> None:
    nullable = {"anyOf": [{"type": "integer", "description": "Page size."}, {"type": "null"}]}
    spec = copy.deepcopy(SPEC)
    spec["paths"]["/upload"] = {
        "post": {
            "operationId": "upload",
            "parameters": [{"name": "limit", "in": "query", "schema": nullable}],
            "requestBody": {
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "size": nullable,
                            },
                        }
                    }
                }
            },
            "responses": {"204": {"description": "done"}},
        }
    }
    api = build(tmp_path, spec)
    op = next(op for op in api.operations if op.operation_id == "upload")
    assert [p.description for p in op.parameters] == ["Page size."]
    assert op.body is not None
    assert [f.description for f in op.body.fields] == ["", "Page size."]


def test_relative_links_are_made_absolute_against_the_documentation_host(tmp_path: Path) -> None:
    api = build(tmp_path, SPEC)
    docs = field_docs(api, "Job")
    assert (
        docs["temperature"] == "How random. See [sampling](https://docs.example.com/docs/sampling)."
    )
    assert docs["note"] == 'Read <a href="https://docs.example.com/docs/notes">notes</a>.'
    assert (
        api.resources[0].description == "Talk. See [the guide](https://docs.example.com/docs/chat)."
    )


def test_without_a_documentation_host_links_stay_as_written(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    del spec["externalDocs"]
    assert field_docs(build(tmp_path, spec), "Job")["temperature"] == (
        "How random. See [sampling](/docs/sampling)."
    )
    configured = build(tmp_path, spec, docs_url="https://platform.example.com/docs")
    assert field_docs(configured, "Job")["temperature"] == (
        "How random. See [sampling](https://platform.example.com/docs/sampling)."
    )


def test_only_root_relative_links_change() -> None:
    host = "https://docs.example.com"
    text = (
        "[a](/x) [b](https://other.example/y) [c](//cdn.example/z) [d](#anchor) [e](guide) "
        "call /v1/files, see `GET /docs`"
    )
    assert absolute(text, host) == (
        "[a](https://docs.example.com/x) [b](https://other.example/y) [c](//cdn.example/z) "
        "[d](#anchor) [e](guide) call /v1/files, see `GET /docs`"
    )


def test_the_documentation_host_the_spec_names() -> None:
    assert docs_host({"externalDocs": {"url": "https://docs.github.com/rest/"}}) == (
        "https://docs.github.com"
    )
    assert docs_host(
        {"info": {"externalDocs": {"url": "https://developer.squareup.com/docs"}}}
    ) == ("https://developer.squareup.com")
    # a logo, the terms or a contact page are no documentation
    assert (
        docs_host(
            {
                "info": {
                    "x-logo": {"url": "https://a.example/logo.png"},
                    "termsOfService": "https://t",
                }
            }
        )
        == ""
    )
    assert docs_host({"externalDocs": {"url": "docs/"}}) == ""
    assert docs_host({"externalDocs": {"url": "https://a.example"}}, "https://b.example/x") == (
        "https://b.example"
    )
