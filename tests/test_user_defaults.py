"""Smaller things a new user meets (issue 11, defect 9): parameter descriptions written in the
schema reach the docstring, a description gets its full stop before "Server default: ...", and the
default package and client names from a spec title are short and sensible (the rule in README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import ClientConfig
from generator.model import naming
from tests.conftest import generate_client
from tests.model_helpers import model, openapi, write_spec

LIST_PETS = {
    "/pets": {
        "get": {
            "operationId": "listPets",
            "parameters": [
                {
                    "name": "limit",
                    "in": "query",
                    "description": "How many pets to return",
                    "schema": {"type": "integer", "default": 50},
                },
                {
                    "name": "kind",
                    "in": "query",
                    "schema": {"type": "string", "description": "The kind of pet."},
                },
                {"name": "owner", "in": "query", "schema": {"$ref": "#/components/schemas/Owner"}},
                {
                    "name": "page",
                    "in": "query",
                    "description": "The page.",
                    "schema": {"type": "integer", "description": "Not this one.", "default": 1},
                },
            ],
            "responses": {"200": {"description": "ok"}},
        }
    }
}


def _resource_text(tmp_path: Path) -> str:
    spec = write_spec(
        tmp_path, openapi(LIST_PETS, {"Owner": {"type": "string", "description": "Who owns it"}})
    )
    generate_client(spec, tmp_path / "out", package_name="pets", formatter="none")
    return (tmp_path / "out" / "pets" / "resources" / "pets.py").read_text()


def test_a_parameter_described_in_its_schema_is_documented(tmp_path):
    api, _ = model(
        tmp_path, openapi(LIST_PETS, {"Owner": {"type": "string", "description": "Who owns it"}})
    )
    docs = {p.name: p.description for p in api.operations[0].parameters}
    assert docs == {
        "limit": "How many pets to return",
        "kind": "The kind of pet.",
        "owner": "Who owns it",
        "page": "The page.",
    }
    text = _resource_text(tmp_path)
    assert "kind: The kind of pet." in text and "owner: Who owns it" in text


def test_a_description_gets_its_full_stop_before_the_server_default(tmp_path):
    text = _resource_text(tmp_path)
    assert "limit: How many pets to return. Server default: 50." in text
    assert "page: The page. Server default: 1." in text
    assert ". . " not in text and "50.." not in text


@pytest.mark.parametrize(
    ("title", "package", "client"),
    [
        ("GitHub's official OpenAPI spec + Octokit extension", "github", "GitHub"),
        ("Fax.Plus REST API", "faxplus", "FaxPlus"),
        ("The Plaid API", "plaid", "Plaid"),
        ("Twilio - Api", "twilio", "Twilio"),
        ("OpenAI API", "openai", "OpenAI"),
        ("Swagger Petstore", "petstore", "Petstore"),
        ("USPTO Data Set API", "uspto_data_set", "USPTODataSet"),
        ("openapi 3.0.3 sample spec", "sample", "Sample"),
        ("Microsoft Graph: Users v1.0", "microsoft_graph", "MicrosoftGraph"),
        (
            "The Really Extraordinarily Long Service Name Management API",
            "really_extraordinarily",
            "ReallyExtraordinarily",
        ),
        ("swagger", "swagger", "Swagger"),  # nothing but filler: the title itself
        ("httpx", "httpx_client", "Httpx"),  # never shadows a dependency
        ("", "client", "Client"),
    ],
)
def test_default_names_from_a_title_are_short(title, package, client):
    assert naming.default_names(title) == (package, client)


def test_every_default_name_is_a_short_identifier():
    titles = [
        "A" * 80,
        "Über-Service für Kunden API",
        "3D Printing API",
        "class",
        "日本語 API",
        "x" * 5 + " v2",
    ]
    for title in titles:
        package, client = naming.default_names(title)
        assert package.isidentifier() and client.isidentifier(), title
        assert len(package) <= naming.DEFAULT_NAME_LENGTH + len("_client") and len(client) <= 30, (
            title
        )


def test_the_model_takes_the_default_names_unless_configured(tmp_path):
    spec = openapi(LIST_PETS, {"Owner": {"type": "string"}})
    spec["info"]["title"] = "The Pet Store REST API v2"
    path = write_spec(tmp_path, spec)
    from generator.model.builder import build_api
    from generator.spec.loader import load_spec

    api, _ = build_api(load_spec(path), ClientConfig(path, tmp_path / "out"))
    assert (api.package_name, api.client_name) == ("pet_store", "PetStore")
    api, _ = build_api(load_spec(path), ClientConfig(path, tmp_path / "out", package_name="shop"))
    assert (api.package_name, api.client_name) == ("shop", "Shop")
