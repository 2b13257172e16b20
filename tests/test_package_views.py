"""Unit tests of the package views (codegen/package_views.py): the client module's arguments and
imports, the package `__init__`'s exports, and the README's examples."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import Any

from model_helpers import model, openapi

from generator.codegen.model_modules import model_modules
from generator.codegen.package_views import (
    client_view,
    package_view,
    readme_examples,
    upload_example,
)
from generator.codegen.resource_views import resource_views
from generator.model.api import Api

PET = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}


def _api(tmp_path: Path, paths: dict[str, Any] | None = None, **extra: Any) -> Api:
    api, _ = model(tmp_path, openapi(paths or {}, {"Pet": PET}, **extra))
    return api


def _bound(block: str) -> set[str]:
    return {
        alias.asname or alias.name
        for node in ast.parse(textwrap.dedent(block)).body
        if isinstance(node, ast.ImportFrom | ast.Import)
        for alias in node.names
    }


SECURED = {
    "servers": [
        {"url": "https://{region}.example.com", "variables": {"region": {"default": "eu"}}}
    ],
    "components": {
        "schemas": {"Pet": PET},
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
    },
}


def test_client_arguments_and_the_names_they_import(tmp_path: Path) -> None:
    view = client_view(_api(tmp_path, **SECURED))
    assert view.schemes.items == ['"key": Scheme("api_key", "key", "header", "X-Key")']
    assert view.schemes.one_line
    assert view.server is not None
    assert view.server.opener == "Server(" and view.server.items[0] == (
        '"https://{region}.example.com"'
    )
    # One variable: a one-item tuple keeps its comma on one line.
    assert view.server_variables is not None and view.server_variables.text == '("region",)'
    assert view.credentials.items == ['"key": key']
    assert view.header_values.items == []
    assert {"Scheme", "Server", "ServerVariable"} <= view.names
    assert _bound(view.imports) == set(view.names)
    # No resources; `Hooks` only annotates an argument, so `_hooks` waits for hooks given.
    assert view.type_imports == "    from ._hooks import Hooks"
    assert "Hooks" not in view.names


def test_a_relative_server_and_no_security_import_nothing_for_them(tmp_path: Path) -> None:
    view = client_view(_api(tmp_path, servers=[{"url": "/v1"}]))
    assert view.server is None and view.server_variables is None
    assert not {"Scheme", "Server", "ServerVariable"} & view.names
    assert view.schemes.text == "{}"


def test_resource_classes_are_imported_for_type_checking_only(tmp_path: Path) -> None:
    paths = {"/pets": {"get": {"operationId": "listPets", "tags": ["pets"], "responses": {}}}}
    view = client_view(_api(tmp_path, paths))
    assert {"TYPE_CHECKING", "cached_property"} <= view.names
    assert _bound(view.type_imports) == {"PetsResource", "AsyncPetsResource", "Hooks"}


def test_package_exports_are_sorted_and_lazy(tmp_path: Path) -> None:
    view = package_view(_api(tmp_path), ["APIError", "NotFoundError"])
    lazy = dict(view.lazy)
    assert lazy["Pkg"] == "._client" and lazy["AsyncPkg"] == "._client"
    assert lazy["NotFoundError"] == "._exceptions" and lazy["NOT_GIVEN"] == "._types"
    assert view.exports.items == sorted(view.exports.items)
    assert view.exports.items == [f'"{name}"' for name in sorted(lazy)]
    assert not view.exports.one_line  # `__all__` over 100 columns: one name a line
    assert "from ._client import AsyncPkg as AsyncPkg" in view.type_imports


def test_readme_examples_pass_the_required_arguments(tmp_path: Path) -> None:
    multipart = {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}},
    }
    paths = {
        "/pets/{id}": {
            "put": {
                "operationId": "replacePet",
                "tags": ["pets"],
                "summary": "Replace a pet",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                    },
                },
                "responses": {},
            }
        },
        "/files": {
            "post": {
                "operationId": "upload",
                "tags": ["pets"],
                "requestBody": {"content": {"multipart/form-data": {"schema": multipart}}},
                "responses": {},
            }
        },
    }
    api = _api(tmp_path, paths)
    examples = {e.method: e for e in readme_examples(api)}
    assert examples["replace_pet"].call == 'client.pets.replace_pet(id=1, name="name")'
    assert examples["replace_pet"].http == "PUT /pets/{id}"
    assert examples["upload"].call == 'client.pets.upload(file=open("document.pdf", "rb"))'
    assert upload_example(resource_views(api, model_modules(api))) == ("pets", "upload", "file")
