"""Model building: composition, discriminators, enums, 3.1 keywords, maps, recursion."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.model.types import (
    AliasDef,
    ArrayOf,
    EnumDef,
    LiteralOf,
    MapOf,
    ModelDef,
    Named,
    Nullable,
    Primitive,
    UnionOf,
)
from tests.model_helpers import definition, generated_package, model, openapi

PETS: dict[str, Any] = {
    "Pet": {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "petType",
            "mapping": {"cat": "#/components/schemas/Cat"},
        },
    },
    "Cat": {
        "type": "object",
        "required": ["petType"],
        "properties": {"petType": {"type": "string"}, "meows": {"type": "boolean"}},
    },
    "Dog": {
        "type": "object",
        "required": ["petType", "bark"],
        "properties": {"petType": {"type": "string"}, "bark": {"type": "string"}},
    },
}


def test_discriminator_tags_from_mapping_and_schema_names(tmp_path: Path) -> None:
    api, _ = model(tmp_path, openapi(schemas=PETS))
    pet = definition(api, "Pet")
    assert isinstance(pet, AliasDef) and isinstance(pet.type, UnionOf)
    assert pet.type.discriminator == "petType"
    assert dict(pet.type.tags) == {"cat": "Cat", "Dog": "Dog"}


def test_discriminator_picks_the_variant_at_runtime(tmp_path: Path) -> None:
    import pydantic

    models = generated_package(tmp_path, openapi(schemas=PETS), "disc_pets")
    adapter = pydantic.TypeAdapter(models.Pet)
    # Dog's fields would also accept this payload; the tag decides.
    assert type(adapter.validate_python({"petType": "cat", "bark": "x"})) is models.Cat
    assert type(adapter.validate_python({"petType": "Dog", "bark": "woof"})) is models.Dog
    # An unknown tag falls back to trying each variant instead of failing.
    assert type(adapter.validate_python({"petType": "hamster", "bark": "?"})) in (
        models.Cat,
        models.Dog,
    )
    assert type(adapter.validate_python(models.Dog(petType="Dog", bark="w"))) is models.Dog


def test_all_of_merges_parents_and_own_properties(tmp_path: Path) -> None:
    schemas = {
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
        "Mixin": {"type": "object", "properties": {"tag": {"type": "string"}}},
        "Child": {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"$ref": "#/components/schemas/Mixin"},
                {"type": "object", "properties": {"name": {"type": "string"}}},
            ]
        },
    }
    api, _ = model(tmp_path, openapi(schemas=schemas))
    child = definition(api, "Child")
    assert isinstance(child, ModelDef)
    assert [(f.json_name, f.required) for f in child.fields] == [
        ("id", True),
        ("tag", False),
        ("name", False),
    ]


def test_recursive_and_mutually_recursive_schemas(tmp_path: Path) -> None:
    schemas = {
        "Node": {
            "type": "object",
            "properties": {
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "other": {"$ref": "#/components/schemas/Other"},
            },
        },
        "Other": {"type": "object", "properties": {"back": {"$ref": "#/components/schemas/Node"}}},
    }
    api, _ = model(tmp_path, openapi(schemas=schemas))
    node = definition(api, "Node")
    assert isinstance(node, ModelDef)
    assert {f.json_name: f.type for f in node.fields} == {
        "children": ArrayOf(Named("Node")),
        "other": Named("Other"),
    }
    models = generated_package(tmp_path, openapi(schemas=schemas), "recursive_pkg")
    parsed = models.Node.model_validate({"children": [{"other": {"back": {"children": []}}}]})
    assert isinstance(parsed.children[0].other.back, models.Node)


def test_enums_keep_spec_order_and_disambiguate_names(tmp_path: Path) -> None:
    schemas = {
        "Order": {"type": "string", "enum": ["desc", "ASC", "asc", "Asc"]},
        "Level": {"type": "integer", "enum": [3, 1, 2]},
        "Mixed": {"enum": ["a", 1]},
    }
    api, _ = model(tmp_path, openapi(schemas=schemas))
    order = definition(api, "Order")
    assert isinstance(order, EnumDef)
    assert [(m.py_name, m.value) for m in order.members] == [
        ("DESC", "desc"),
        ("ASC", "ASC"),
        ("ASC_2", "asc"),
        ("ASC_3", "Asc"),
    ]
    level = definition(api, "Level")
    assert (
        isinstance(level, EnumDef)
        and level.value_type == "int"
        and [m.value for m in level.members] == [3, 1, 2]
    )
    mixed = definition(api, "Mixed")
    assert isinstance(mixed, AliasDef) and isinstance(mixed.type, UnionOf)


def test_openapi_31_keywords(tmp_path: Path) -> None:
    schemas = {
        "Thing": {
            "type": "object",
            "properties": {
                "maybe": {"type": ["string", "null"]},
                "either": {"type": ["string", "integer"]},
                "fixed": {"const": "v1"},
                "nothing": {"type": "null"},
                "ref": {
                    "$ref": "#/components/schemas/Other",
                    "description": "a $ref with siblings",
                },
            },
            "examples": [{"maybe": None}],
        },
        "Other": {"type": "object", "properties": {"x": {"type": "string"}}},
    }
    api, _ = model(tmp_path, openapi(schemas=schemas, version="3.1.0"))
    thing = definition(api, "Thing")
    assert isinstance(thing, ModelDef)
    fields = {f.json_name: f for f in thing.fields}
    assert fields["maybe"].type == Nullable(Primitive("str"))
    assert fields["either"].type == UnionOf((Primitive("str"), Primitive("int")))
    assert fields["fixed"].type == LiteralOf(("v1",))
    assert fields["nothing"].type == Primitive("none")
    assert (
        fields["ref"].type == Named("Other") and fields["ref"].description == "a $ref with siblings"
    )


def test_maps_formats_and_flags(tmp_path: Path) -> None:
    schemas = {
        "Bag": {
            "type": "object",
            "properties": {
                "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                "free": {"type": "object"},
                "when": {"type": "string", "format": "date-time"},
                "day": {"type": "string", "format": "date"},
                "blob": {"type": "string", "format": "binary"},
                "id": {"type": "string", "readOnly": True},
                "secret": {"type": "string", "writeOnly": True},
                "size": {"type": "integer", "default": 10},
                "old": {"type": "string", "deprecated": True},
            },
            "required": ["id", "secret"],
        }
    }
    api, _ = model(tmp_path, openapi(schemas=schemas))
    bag = definition(api, "Bag")
    assert isinstance(bag, ModelDef)
    fields = {f.json_name: f for f in bag.fields}
    assert fields["counts"].type == MapOf(Primitive("int"))
    assert fields["free"].type == MapOf(Primitive("any"))
    assert fields["when"].type == Primitive("datetime")
    assert fields["day"].type == Primitive("date")
    assert fields["blob"].type == Primitive("bytes")
    assert fields["id"].read_only and not fields["id"].required
    assert fields["secret"].write_only and not fields["secret"].required
    assert fields["size"].default == 10
    assert fields["old"].deprecated


def test_operation_names_and_parameter_clashes(tmp_path: Path) -> None:
    paths = {
        "/items/{id}": {
            "post": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "id", "in": "query", "schema": {"type": "string"}},
                    {"name": "body", "in": "header", "schema": {"type": "string"}},
                    {"name": "request_options", "in": "query", "schema": {"type": "string"}},
                ],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"204": {"description": "none"}},
            }
        }
    }
    api, _ = model(tmp_path, openapi(paths=paths))
    op = api.operations[0]
    assert op.py_name == "post_items_id"
    names = [p.py_name for p in op.parameters]
    assert len(set(names)) == 4 and "request_options" not in names
    assert op.body is not None and op.body.py_name not in names


def test_form_body_that_is_not_an_object_is_sent_raw(tmp_path: Path) -> None:
    paths = {
        "/upload": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "content": {"application/x-www-form-urlencoded": {"schema": {"type": "string"}}}
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    }
    api, warnings = model(tmp_path, openapi(paths=paths))
    body = api.operations[0].body
    assert body is not None and body.kind == "binary"
    assert any("must be an object" in w.message for w in warnings)


def test_webhook_and_callback_payloads_get_models(tmp_path: Path) -> None:
    payload = {"type": "object", "properties": {"event": {"type": "string"}}}
    spec = openapi(version="3.1.0")
    del spec["paths"]
    spec["webhooks"] = {
        "newPet": {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": payload}}},
                "responses": {"200": {"description": "ok"}},
            }
        }
    }
    api, _ = model(tmp_path, spec)
    assert any(isinstance(d, ModelDef) and d.name.startswith("NewPet") for d in api.definitions)


@pytest.mark.parametrize("length", [300])
def test_long_inline_names_stay_short(tmp_path: Path, length: int) -> None:
    deep: dict[str, Any] = {"type": "object", "properties": {"leaf": {"type": "string"}}}
    for n in range(12):
        deep = {"type": "object", "properties": {"x" * 20 + str(n): deep}}
    api, _ = model(tmp_path, openapi(schemas={"Root" * (length // 4): deep}))
    assert all(len(d.name) <= 80 for d in api.definitions)


def test_callback_payloads_get_models(tmp_path: Path) -> None:
    payload = {"type": "object", "properties": {"status": {"type": "string"}}}
    paths = {
        "/subscribe": {
            "post": {
                "operationId": "subscribe",
                "responses": {"201": {"description": "ok"}},
                "callbacks": {
                    "onEvent": {
                        "{$request.body#/url}": {
                            "post": {
                                "requestBody": {
                                    "content": {"application/json": {"schema": payload}}
                                },
                                "responses": {"200": {"description": "ok"}},
                            }
                        }
                    }
                },
            }
        }
    }
    api, _ = model(tmp_path, openapi(paths=paths))
    assert [d.name for d in api.definitions] == ["SubscribeOnEventCallback"]


def test_all_of_children_of_a_discriminated_base_are_picked_by_tag(tmp_path: Path) -> None:
    import pydantic

    schemas = {
        "Pet": {
            "type": "object",
            "required": ["petType"],
            "properties": {"petType": {"type": "string"}},
            "discriminator": {
                "propertyName": "petType",
                "mapping": {"kitty": "#/components/schemas/Cat"},
            },
        },
        "Cat": {
            "allOf": [
                {"$ref": "#/components/schemas/Pet"},
                {"type": "object", "properties": {"name": {"type": "string"}}},
            ]
        },
        "Dog": {
            "allOf": [
                {"$ref": "#/components/schemas/Pet"},
                {"type": "object", "properties": {"bark": {"type": "string"}}},
            ]
        },
        "Owner": {"type": "object", "properties": {"pet": {"$ref": "#/components/schemas/Pet"}}},
    }
    api, _ = model(tmp_path, openapi(schemas=schemas))
    owner = definition(api, "Owner")
    assert isinstance(owner, ModelDef) and owner.fields[0].type == Named("AnyPet")
    any_pet = definition(api, "AnyPet")
    assert isinstance(any_pet, AliasDef) and isinstance(any_pet.type, UnionOf)
    assert dict(any_pet.type.tags) == {"Pet": "Pet", "Cat": "Cat", "Dog": "Dog", "kitty": "Cat"}
    models = generated_package(tmp_path, openapi(schemas=schemas), "poly_pets")
    parsed = models.Owner.model_validate({"pet": {"petType": "kitty", "name": "Tom"}})
    assert type(parsed.pet) is models.Cat and parsed.pet.name == "Tom"
    assert (
        type(pydantic.TypeAdapter(models.AnyPet).validate_python({"petType": "Dog"})) is models.Dog
    )


def test_lenient_by_default_strict_on_request(tmp_path: Path) -> None:
    from generator.diagnostics import SpecError
    from tests.conftest import generate_client
    from tests.model_helpers import write_spec

    schemas = {
        "Broken": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/Missing"}}}
    }
    path = write_spec(tmp_path, openapi(schemas=schemas))
    outcome = generate_client(path, tmp_path / "lenient", package_name="lenient_pkg")
    warnings = [d for d in outcome.diagnostics if d.severity == "warning"]
    assert any(
        d.pointer.startswith("/components/schemas/Broken/properties/x") and d.line > 1
        for d in warnings
    )
    with pytest.raises(SpecError):
        generate_client(path, tmp_path / "strict", package_name="strict_pkg", strict=True)
    assert not (tmp_path / "strict").exists()


def test_typed_additional_properties_beside_named_ones(tmp_path: Path) -> None:
    import pydantic

    schemas = {
        "Scores": {
            "type": "object",
            "properties": {"name": {"type": "string"}},
            "additionalProperties": {"type": "integer"},
        }
    }
    api, _ = model(tmp_path, openapi(schemas=schemas))
    scores = definition(api, "Scores")
    assert isinstance(scores, ModelDef) and scores.extra == Primitive("int")
    models = generated_package(tmp_path, openapi(schemas=schemas), "typed_extra")
    parsed = models.Scores.model_validate({"name": "a", "math": "3"})
    assert parsed.model_extra == {"math": 3}
    with pytest.raises(pydantic.ValidationError):
        models.Scores.model_validate({"name": "a", "math": "not a number"})


def test_long_tags_give_short_module_names(tmp_path: Path) -> None:
    tag = "A very long tag name " * 20
    paths = {
        "/x": {
            "get": {
                "tags": [tag],
                "operationId": "getX",
                "responses": {"204": {"description": "ok"}},
            }
        }
    }
    api, _ = model(tmp_path, openapi(paths=paths))
    assert len(api.resources[0].attr_name) <= 60 and api.resources[0].attr_name.isidentifier()
    again, _ = model(tmp_path, openapi(paths=paths))
    assert again.resources[0].attr_name == api.resources[0].attr_name
