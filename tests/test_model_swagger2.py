"""Swagger 2.0 documents are converted to OpenAPI 3.0 before the model is built."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.model.types import ArrayOf, ModelDef, Named, Nullable, Primitive
from generator.spec.swagger2 import convert
from tests.model_helpers import definition, model

PETSTORE: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Pets", "version": "1"},
    "host": "api.example.com",
    "basePath": "/v1",
    "schemes": ["http", "https"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "securityDefinitions": {
        "basicAuth": {"type": "basic"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "oauth": {
            "type": "oauth2",
            "flow": "accessCode",
            "authorizationUrl": "https://a",
            "tokenUrl": "https://t",
            "scopes": {"read": "read"},
        },
    },
    "parameters": {
        "limit": {"name": "limit", "in": "query", "type": "integer", "format": "int32"},
        "petBody": {
            "name": "pet",
            "in": "body",
            "required": True,
            "schema": {"$ref": "#/definitions/Pet"},
        },
    },
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": [
                    {"$ref": "#/parameters/limit"},
                    {
                        "name": "tags",
                        "in": "query",
                        "type": "array",
                        "items": {"type": "string"},
                        "collectionFormat": "csv",
                    },
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
                    }
                },
            },
            "post": {
                "operationId": "createPet",
                "parameters": [{"$ref": "#/parameters/petBody"}],
                "responses": {
                    "201": {"description": "made", "schema": {"$ref": "#/definitions/Pet"}}
                },
            },
        },
        "/pets/{id}/photo": {
            "post": {
                "operationId": "uploadPhoto",
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "type": "string"},
                    {"name": "file", "in": "formData", "type": "file", "required": True},
                    {"name": "note", "in": "formData", "type": "string"},
                ],
                "responses": {"200": {"description": "ok"}},
            },
            "put": {
                "operationId": "renamePet",
                "consumes": ["application/x-www-form-urlencoded"],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "type": "string"},
                    {"name": "name", "in": "formData", "type": "string", "required": True},
                ],
                "responses": {"204": {"description": "done"}},
            },
        },
        "/pets/{id}/picture": {
            "get": {
                "operationId": "getPicture",
                "produces": ["image/png"],
                "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
                "responses": {"200": {"description": "png", "schema": {"type": "file"}}},
            },
        },
    },
    "definitions": {
        "Pet": {
            "type": "object",
            "required": ["name"],
            "discriminator": "kind",
            "properties": {
                "name": {"type": "string"},
                "kind": {"type": "string"},
                "owner": {"$ref": "#/definitions/Owner", "x-nullable": True},
                "nickname": {"type": "string", "x-nullable": True},
            },
        },
        "Owner": {"type": "object", "properties": {"id": {"type": "integer", "format": "int64"}}},
    },
}


def test_document_shape() -> None:
    out = convert(PETSTORE)
    assert out["openapi"].startswith("3.0")
    assert [s["url"] for s in out["servers"]] == [
        "https://api.example.com/v1",
        "http://api.example.com/v1",
    ]
    assert set(out["components"]["schemas"]) == {"Pet", "Owner"}
    pet = out["components"]["schemas"]["Pet"]
    assert pet["properties"]["owner"]["$ref"] == "#/components/schemas/Owner"
    assert pet["properties"]["nickname"]["nullable"] is True
    assert pet["discriminator"] == {"propertyName": "kind"}
    schemes = out["components"]["securitySchemes"]
    assert schemes["basicAuth"] == {"type": "http", "scheme": "basic"}
    assert schemes["key"] == {"type": "apiKey", "name": "X-Key", "in": "header"}
    assert schemes["oauth"]["flows"]["authorizationCode"]["tokenUrl"] == "https://t"
    post = out["paths"]["/pets"]["post"]
    assert post["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
        "required": True,
    }
    tags = out["paths"]["/pets"]["get"]["parameters"][1]
    assert tags["schema"] == {"type": "array", "items": {"type": "string"}}
    assert (tags["style"], tags["explode"]) == ("form", False)


def test_no_host_gives_a_relative_server() -> None:
    out = convert(
        {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "basePath": "/api", "paths": {}}
    )
    assert out["servers"] == [{"url": "/api"}]


def test_model_of_converted_document(tmp_path: Path) -> None:
    api, _ = model(tmp_path, PETSTORE)
    assert api.base_url == "https://api.example.com/v1"
    ops = {op.operation_id: op for op in api.operations}
    assert ops["createPet"].body is not None and ops["createPet"].body.kind == "json"
    assert ops["createPet"].body.type == Named("Pet")
    assert ops["listPets"].result_type == ArrayOf(Named("Pet"))
    assert [p.name for p in ops["listPets"].parameters] == ["limit", "tags"]
    photo = ops["uploadPhoto"].body
    assert photo is not None and photo.kind == "multipart"
    assert [(f.json_name, f.is_file, f.required) for f in photo.fields] == [
        ("file", True, True),
        ("note", False, False),
    ]
    rename = ops["renamePet"].body
    assert rename is not None and rename.kind == "form" and isinstance(rename.type, Named)
    form_model = definition(api, rename.type.name)
    assert isinstance(form_model, ModelDef) and [
        (f.json_name, f.required) for f in form_model.fields
    ] == [("name", True)]
    assert ops["getPicture"].result_kind == "binary"
    pet = definition(api, "Pet")
    assert isinstance(pet, ModelDef)
    fields = {f.json_name: f for f in pet.fields}
    assert fields["owner"].type == Nullable(Named("Owner"))
    assert fields["nickname"].type == Nullable(Primitive("str"))
    kinds = {s.key: s.kind for s in api.security_schemes}
    assert kinds == {"basicAuth": "basic", "key": "api_key", "oauth": "oauth2"}


def test_warnings_point_into_the_original_document(tmp_path: Path) -> None:
    spec = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "definitions": {
            "Broken": {"type": "object", "properties": {"x": {"$ref": "#/definitions/Missing"}}}
        },
    }
    _, warnings = model(tmp_path, spec)
    assert warnings, "a dangling $ref is reported"
    assert warnings[0].pointer.startswith("/components/schemas/Broken")
    text = (tmp_path / "spec.json").read_text().splitlines()
    assert '"$ref": "#/definitions/Missing"' in text[warnings[0].line - 1]
