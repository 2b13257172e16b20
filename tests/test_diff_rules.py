"""`oasgen diff`'s classification, on pairs of real specs: a spec of the corpus (read in place) or
Fax.Plus's, and the same spec edited as its publisher might edit it in a next version. Each test
names the rule it shows; together they cover every rule of issue 14.

Pairs (what each shows):
- petstore-expanded (OAI): removed, added and renamed operations; parameters newly required, new
  required and optional ones, widened and narrowed types; changed and new return types; request and
  response model fields (removed, new, new required, now required or optional); new and removed
  models; base URL; documentation and examples; deprecation.
- openapi 3.1 enums (openapi-python-client's test spec): enum values removed and added, a request
  enum and an int enum.
- petstore customised (openapi-json-schema-generator): removed and new auth arguments.
- Swagger 2.0 petstore (OAI): the same rules through the 2.0 conversion.
- Fax.Plus (specs/faxplus.yaml): a plausible next version; response enums (open) gaining a value;
  a path parameter's default; server variables.
- openapi-python-client's baseline API in OpenAPI 3.0 and in 3.1: a real pair of versions.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli.diff_inputs import spec_side
from generator.config import ClientConfig, ExtraHeader
from generator.diff.compare import Change, bump, compare, verdict_line
from generator.diff.surface import Surface
from tests.conftest import CORPUS, SPECS

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")

Spec = dict[str, Any]


def _read(path: Path) -> Spec:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def _write(path: Path, data: Spec) -> Path:
    if path.suffix == ".json":
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _surface(path: Path, **options: Any) -> Surface:
    return spec_side(str(path), ClientConfig(spec=path, output=path.parent, **options)).surface


def pair(
    original: Path,
    edit: Callable[[Spec], None],
    tmp_path: Path,
    reverse: bool = False,
    **options: Any,
) -> list[Change]:
    """The changes from `original` (read in place) to it edited by `edit` (or back, `reverse`)."""
    edited = copy.deepcopy(_read(original))
    edit(edited)
    new = _write(tmp_path / f"edited{original.suffix}", edited)
    before, after = _surface(original, **options), _surface(new, **options)
    return compare(after, before) if reverse else compare(before, after)


def lines(changes: list[Change]) -> list[str]:
    return [c.line() for c in changes]


PETSTORE = CORPUS / "oai-petstore-expanded.yaml"
ENUMS = CORPUS / "opc-openapi_3.1_enums.yaml"
CUSTOMISED = CORPUS / "ojsg-petstore_customized.yaml"
SWAGGER2 = CORPUS / "oai-v2-petstore.yaml"
FAXPLUS = SPECS / "faxplus.yaml"
FAXPLUS_HEADERS = [ExtraHeader("client_id", "x-fax-clientid")]


def _pet_property(spec: Spec, name: str, schema: Spec, required: bool = False) -> None:
    """A property of the Pet model (response only): the second part of its allOf."""
    own = spec["components"]["schemas"]["Pet"]["allOf"][1]
    own["properties"][name] = schema
    if required:
        own["required"].append(name)


def _new_pet_property(spec: Spec, name: str, schema: Spec, required: bool = False) -> None:
    """A property of NewPet, the request body of addPet (and a part of Pet)."""
    model = spec["components"]["schemas"]["NewPet"]
    model["properties"][name] = schema
    if required:
        model["required"].append(name)


# ---- nothing, and what the code cannot see -------------------------------------------------------


@needs_corpus
def test_the_same_spec_has_no_changes_and_needs_no_bump() -> None:
    changes = compare(_surface(PETSTORE), _surface(PETSTORE))
    assert changes == []
    assert verdict_line(changes) == "version bump: none (no changes)"


@needs_corpus
def test_the_spec_written_out_again_is_a_fix_the_code_cannot_show(tmp_path: Path) -> None:
    changes = pair(PETSTORE, lambda spec: None, tmp_path)  # YAML laid out by PyYAML
    assert lines(changes) == [
        "fix: spec: changed where the client's code does not show it (examples, formatting, ...)"
    ]
    assert bump(changes) == "patch"


@needs_corpus
def test_a_description_is_a_fix(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        spec["paths"]["/pets"]["post"]["description"] = "Creates a new pet; duplicates allowed."
        spec["components"]["schemas"]["NewPet"]["description"] = "A pet before it has an id."

    changes = pair(PETSTORE, edit, tmp_path)
    assert lines(changes) == [
        "fix: client.pets.add_pet(): documentation changed",
        "fix: models.NewPet: documentation changed",
    ]
    assert bump(changes) == "patch"


@needs_corpus
def test_an_example_is_a_fix_the_code_cannot_show(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        spec["components"]["schemas"]["NewPet"]["properties"]["name"]["example"] = "Rex"

    changes = pair(PETSTORE, edit, tmp_path)
    assert [c.kind for c in changes] == ["fix"]
    assert changes[0].subject == "spec"
    assert bump(changes) == "patch"


# ---- operations and methods ----------------------------------------------------------------------


@needs_corpus
def test_a_removed_operation_is_breaking(tmp_path: Path) -> None:
    changes = pair(PETSTORE, lambda spec: spec["paths"]["/pets/{id}"].pop("delete"), tmp_path)
    assert lines(changes) == [
        "breaking: client.pets.delete_pet(): method removed (was DELETE /pets/{id})"
    ]
    assert bump(changes) == "major"


@needs_corpus
def test_a_new_operation_is_a_feature(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        spec["paths"]["/pets/{id}"]["put"] = {
            "operationId": "updatePet",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "requestBody": {
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}}
            },
            "responses": {"200": {"description": "ok"}},
        }

    changes = pair(PETSTORE, edit, tmp_path)
    assert lines(changes) == ["feature: client.pets.update_pet(): new method (PUT /pets/{id})"]
    assert bump(changes) == "minor"


@needs_corpus
def test_a_renamed_operation_is_breaking_and_named_once(tmp_path: Path) -> None:
    changes = pair(
        PETSTORE,
        lambda spec: spec["paths"]["/pets"]["get"].update(operationId="listPets"),
        tmp_path,
    )
    assert lines(changes) == [
        "breaking: client.pets.find_pets(): renamed: now `client.pets.list_pets()`"
    ]


@needs_corpus
def test_a_removed_resource_is_one_breaking_change(tmp_path: Path) -> None:
    """Swagger 2.0's petstore: every operation tagged `pets` retagged `animals`."""

    def edit(spec: Spec) -> None:
        for item in spec["paths"].values():
            for op in item.values():
                op["tags"] = ["animals"]

    changes = pair(SWAGGER2, edit, tmp_path)
    assert lines(changes) == [
        "breaking: client.pets.create_pets(): renamed: now `client.animals.create_pets()`",
        "breaking: client.pets.list_pets(): renamed: now `client.animals.list_pets()`",
        "breaking: client.pets.show_pet_by_id(): renamed: now `client.animals.show_pet_by_id()`",
    ]
    removed = pair(SWAGGER2, lambda spec: spec["paths"].clear(), tmp_path)
    assert lines(removed) == [
        "breaking: client.pets: resource removed (with list_pets, create_pets, show_pet_by_id)"
    ]


@needs_corpus
def test_a_deprecated_operation_is_a_feature(tmp_path: Path) -> None:
    changes = pair(
        PETSTORE,
        lambda spec: spec["paths"]["/pets/{id}"]["delete"].update(deprecated=True),
        tmp_path,
    )
    assert lines(changes) == ["feature: client.pets.delete_pet(): deprecated"]


# ---- parameters ----------------------------------------------------------------------------------


def _limit(spec: Spec) -> Spec:
    param: Spec = spec["paths"]["/pets"]["get"]["parameters"][1]
    assert param["name"] == "limit"
    return param


@needs_corpus
def test_a_parameter_newly_required_is_breaking(tmp_path: Path) -> None:
    changes = pair(PETSTORE, lambda spec: _limit(spec).update(required=True), tmp_path)
    assert lines(changes) == ["breaking: client.pets.find_pets(): parameter `limit`: now required"]
    relaxed = pair(
        PETSTORE, lambda spec: _limit(spec).update(required=True), tmp_path, reverse=True
    )
    assert lines(relaxed) == ["feature: client.pets.find_pets(): parameter `limit`: now optional"]


@needs_corpus
def test_a_new_required_parameter_is_breaking_a_new_optional_one_a_feature(tmp_path: Path) -> None:
    def add(required: bool) -> Callable[[Spec], None]:
        def edit(spec: Spec) -> None:
            spec["paths"]["/pets"]["get"]["parameters"].append(
                {
                    "name": "species",
                    "in": "query",
                    "required": required,
                    "schema": {"type": "string"},
                }
            )

        return edit

    required = pair(PETSTORE, add(True), tmp_path)
    assert lines(required) == [
        "breaking: client.pets.find_pets(): new required parameter `species: str`"
    ]
    optional = pair(PETSTORE, add(False), tmp_path)
    assert lines(optional) == [
        "feature: client.pets.find_pets(): new optional parameter `species: str`"
    ]
    assert bump(optional) == "minor"
    removed = pair(PETSTORE, add(False), tmp_path, reverse=True)
    assert lines(removed) == ["breaking: client.pets.find_pets(): parameter `species` removed"]


@needs_corpus
def test_a_widened_parameter_type_is_a_feature_a_narrowed_one_breaking(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        _limit(spec)["schema"] = {"type": "number"}

    widened = pair(PETSTORE, edit, tmp_path)
    assert lines(widened) == [
        "feature: client.pets.find_pets(): parameter `limit`: type widened: `int` -> `float`"
    ]
    narrowed = pair(PETSTORE, edit, tmp_path, reverse=True)
    assert lines(narrowed) == [
        "breaking: client.pets.find_pets(): parameter `limit`: type narrowed: `float` -> `int`"
    ]
    changed = pair(PETSTORE, lambda s: _limit(s).update(schema={"type": "string"}), tmp_path)
    assert lines(changed) == [
        "breaking: client.pets.find_pets(): parameter `limit`: type changed: `int` -> `str`"
    ]


@needs_corpus
def test_a_request_body_type_change_is_a_parameter_change(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        body = spec["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]
        body["schema"] = {"oneOf": [{"$ref": "#/components/schemas/NewPet"}, {"type": "string"}]}

    widened = pair(PETSTORE, edit, tmp_path)
    # NewPet's properties were add_pet()'s arguments (a flattened body, issue 17); a union is
    # passed whole, as `body`.
    assert lines(widened) == [
        "breaking: client.pets.add_pet(): new required parameter `body: NewPet | str`",
        "breaking: client.pets.add_pet(): parameter `name` removed",
        "breaking: client.pets.add_pet(): parameter `tag` removed",
    ]


# ---- return types --------------------------------------------------------------------------------


@needs_corpus
def test_a_changed_return_type_is_breaking(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        ok = spec["paths"]["/pets/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
        ok["schema"] = {"$ref": "#/components/schemas/NewPet"}

    changes = pair(PETSTORE, edit, tmp_path)
    assert lines(changes) == [
        "breaking: client.pets.find_pet_by_id(): return type changed: `Pet` -> `NewPet`"
    ]


@needs_corpus
def test_a_result_where_there_was_none_is_a_feature(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        spec["paths"]["/pets/{id}"]["delete"]["responses"] = {
            "200": {
                "description": "the pet deleted",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
            }
        }

    changes = pair(PETSTORE, edit, tmp_path)
    assert lines(changes) == [
        "feature: client.pets.delete_pet(): now returns `Pet` (returned None)"
    ]


# ---- models and fields ---------------------------------------------------------------------------


@needs_corpus
def test_a_removed_field_is_breaking(tmp_path: Path) -> None:
    changes = pair(
        PETSTORE,
        lambda spec: spec["components"]["schemas"]["NewPet"]["properties"].pop("tag"),
        tmp_path,
    )
    assert lines(changes) == [
        "breaking: client.pets.add_pet(): parameter `tag` removed",  # a flattened body's
        "breaking: models.NewPet.tag: field removed",
        "breaking: models.Pet.tag: field removed",
    ]


@needs_corpus
def test_a_new_response_field_is_a_feature_even_when_required(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        _pet_property(spec, "age", {"type": "integer"})
        _pet_property(spec, "owner", {"type": "string"}, required=True)

    changes = pair(PETSTORE, edit, tmp_path)
    assert lines(changes) == [
        "feature: models.Pet.age: new field `int | None`",
        "feature: models.Pet.owner: new required field `str`",
    ]
    assert bump(changes) == "minor"


@needs_corpus
def test_a_request_model_new_required_field_is_breaking(tmp_path: Path) -> None:
    changes = pair(
        PETSTORE,
        lambda spec: _new_pet_property(spec, "species", {"type": "string"}, required=True),
        tmp_path,
    )
    # NewPet is what add_pet() takes: building one now needs `species` (Pet, a result, gains it).
    assert lines(changes) == [
        "breaking: client.pets.add_pet(): new required parameter `species: str`",
        "breaking: models.NewPet.species: new required field `str`",
        "feature: models.Pet.species: new required field `str`",
    ]
    optional = pair(
        PETSTORE, lambda s: _new_pet_property(s, "species", {"type": "string"}), tmp_path
    )
    # a new optional argument of add_pet(), and the new field of each model
    assert [c.kind for c in optional] == ["feature", "feature", "feature"]


@needs_corpus
def test_a_field_now_required_or_optional_by_who_holds_the_model(tmp_path: Path) -> None:
    def required_tag(spec: Spec) -> None:
        spec["components"]["schemas"]["NewPet"]["required"].append("tag")

    changes = pair(PETSTORE, required_tag, tmp_path)
    assert lines(changes) == [
        # add_pet()'s callers must now give a tag ...
        "breaking: client.pets.add_pet(): parameter `tag`: now required",
        "breaking: models.NewPet.tag: now required; type narrowed: `str | None` -> `str`",
        # ... and readers of a Pet can count on one.
        "feature: models.Pet.tag: type narrowed: `str | None` -> `str`",
    ]
    back = pair(PETSTORE, required_tag, tmp_path, reverse=True)
    assert lines(back) == [
        "breaking: models.Pet.tag: type widened: `str` -> `str | None`",
        "feature: client.pets.add_pet(): parameter `tag`: now optional",
        "feature: models.NewPet.tag: now optional; type widened: `str` -> `str | None`",
    ]


@needs_corpus
def test_new_and_removed_models(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        spec["components"]["schemas"]["Owner"] = {
            "type": "object",
            "properties": {"name": {"type": "string"}},
        }

    assert lines(pair(PETSTORE, edit, tmp_path)) == ["feature: models.Owner: new model"]
    assert lines(pair(PETSTORE, edit, tmp_path, reverse=True)) == [
        "breaking: models.Owner: model removed"
    ]


# ---- enums --------------------------------------------------------------------------------------


@needs_corpus
def test_a_removed_enum_value_is_breaking(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        spec["components"]["schemas"]["AnEnum"]["enum"].remove("SECOND_VALUE")

    changes = pair(ENUMS, edit, tmp_path)
    # The parameters typed by the enum take one literal less (issue 17).
    fewer = (
        'type changed: `Sequence[Literal["FIRST_VALUE", "SECOND_VALUE"] | AnEnum]` -> '
        '`Sequence[Literal["FIRST_VALUE"] | AnEnum]`'
    )
    assert lines(changes) == [
        f"breaking: client.tests.get_user_list(): parameter `an_enum_value`: {fewer}",
        f"breaking: client.tests.post_user_list(): parameter `an_enum_value`: {fewer}",
        "breaking: models.AnEnum: value 'SECOND_VALUE' (`SECOND_VALUE`) removed",
    ]


@needs_corpus
def test_a_new_value_of_a_request_enum_is_a_feature(tmp_path: Path) -> None:
    before = _surface(ENUMS)
    assert before["types"]["AnIntEnum"]["use"] == "request"

    def edit(spec: Spec) -> None:
        spec["components"]["schemas"]["AnIntEnum"]["enum"].append(3)

    changes = pair(ENUMS, edit, tmp_path)
    assert lines(changes) == ["feature: models.AnIntEnum: new value 3 (`VALUE_3`)"]
    assert bump(changes) == "minor"


def test_a_new_value_of_a_response_enum_is_a_feature(tmp_path: Path) -> None:
    """Generated enums are open (an unknown value parses), so readers are not broken."""
    assert _surface(FAXPLUS)["types"]["OutboxStatus"]["use"] == "response"

    def edit(spec: Spec) -> None:
        spec["components"]["schemas"]["OutboxStatus"]["enum"].append("queued")

    changes = pair(FAXPLUS, edit, tmp_path)
    assert lines(changes) == ["feature: models.OutboxStatus: new value 'queued' (`QUEUED`)"]


# ---- the client: auth and base URL --------------------------------------------------------------


@needs_corpus
def test_a_removed_auth_argument_is_breaking_a_new_one_a_feature(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        spec["components"]["securitySchemes"].pop("api_key_query")

    removed = pair(CUSTOMISED, edit, tmp_path)
    assert "breaking: Petstore(): argument `api_key_query` removed" in lines(removed)
    assert bump(removed) == "major"
    added = pair(CUSTOMISED, edit, tmp_path, reverse=True)
    assert "feature: Petstore(): new argument `api_key_query`" in lines(added)


@needs_corpus
def test_a_changed_base_url_is_breaking(tmp_path: Path) -> None:
    changes = pair(
        PETSTORE,
        lambda spec: spec["servers"][0].update(url="https://api.petstore.example/v3"),
        tmp_path,
    )
    assert lines(changes) == [
        (
            "breaking: Petstore(): default base URL changed: https://petstore.swagger.io/v2 -> "
            "https://api.petstore.example/v3"
        )
    ]


# ---- Swagger 2.0 and Fax.Plus --------------------------------------------------------------------


@needs_corpus
def test_swagger2_pair(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        spec["paths"]["/pets"]["get"]["parameters"].append(
            {"name": "tag", "in": "query", "type": "string"}
        )
        spec["definitions"]["Pet"]["properties"].pop("tag")
        spec["host"] = "petstore.example.com"

    assert lines(pair(SWAGGER2, edit, tmp_path)) == [
        (
            "breaking: Petstore(): default base URL changed: http://petstore.swagger.io/v1 -> "
            "http://petstore.example.com/v1"
        ),
        "breaking: models.Pet.tag: field removed",
        "feature: client.pets.list_pets(): new optional parameter `tag: str`",
    ]


def test_faxplus_next_version(tmp_path: Path) -> None:
    """A plausible next Fax.Plus spec: an outbox status renamed, a query option, a field now
    required in the send-fax payload, a description reworded."""

    def edit(spec: Spec) -> None:
        statuses = spec["components"]["schemas"]["OutboxStatus"]["enum"]
        statuses[statuses.index("sending")] = "transmitting"
        spec["components"]["schemas"]["PayloadOutbox"]["required"].append("send_time")
        item = spec["paths"]["/accounts/{user_id}/outbox/{outbox_fax_id}"]
        item["get"]["parameters"].append(
            {"in": "query", "name": "verbose", "schema": {"type": "boolean"}}
        )
        item["delete"]["description"] = "Cancel a fax scheduled for sending."

    changes = pair(FAXPLUS, edit, tmp_path, extra_headers=FAXPLUS_HEADERS)
    assert lines(changes) == [
        "breaking: client.outbox.send_fax(): parameter `send_time`: now required",
        "breaking: models.OutboxStatus: value 'sending' (`SENDING`) removed",
        (
            "breaking: models.PayloadOutbox.send_time: now required; "
            "type narrowed: `str | None` -> `str`"
        ),
        "feature: client.outbox.get_outbox_fax(): new optional parameter `verbose: bool`",
        "feature: models.OutboxStatus: new value 'transmitting' (`TRANSMITTING`)",
        "fix: client.outbox.delete_outbox_fax(): documentation changed",
    ]
    assert verdict_line(changes) == "version bump: major (3 breaking changes, 2 features, 1 fix)"


@needs_corpus
def test_a_narrowed_return_type_is_a_feature(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        ok = spec["paths"]["/pets/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
        ok["schema"] = {"oneOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "string"}]}

    widened = pair(PETSTORE, edit, tmp_path)
    assert lines(widened) == [
        "breaking: client.pets.find_pet_by_id(): return type changed: `Pet` -> `Pet | str`"
    ]
    narrowed = pair(PETSTORE, edit, tmp_path, reverse=True)
    assert lines(narrowed) == [
        "feature: client.pets.find_pet_by_id(): return type narrowed: `Pet | str` -> `Pet`"
    ]


def test_a_changed_parameter_default_is_breaking(tmp_path: Path) -> None:
    """Fax.Plus's `user_id` defaults to "self": a caller leaving it out sends the default."""

    def edit(spec: Spec) -> None:
        get = spec["paths"]["/accounts/{user_id}/outbox/{outbox_fax_id}"]["get"]
        get["parameters"][0]["schema"]["default"] = "me"

    changes = pair(FAXPLUS, edit, tmp_path, extra_headers=FAXPLUS_HEADERS)
    assert lines(changes) == [
        (
            "breaking: client.outbox.get_outbox_fax(): parameter `user_id`: default changed from "
            '"self" to "me"'
        )
    ]


def test_a_removed_server_variable_is_breaking(tmp_path: Path) -> None:
    def edit(spec: Spec) -> None:
        spec["servers"] = [
            {
                "url": "https://{region}.fax.plus/v3",
                "variables": {"region": {"default": "restapi"}},
            }
        ]

    added = pair(FAXPLUS, edit, tmp_path, extra_headers=FAXPLUS_HEADERS)
    assert lines(added) == ["feature: FaxPlus(): new server variable `region`"]
    removed = pair(FAXPLUS, edit, tmp_path, reverse=True, extra_headers=FAXPLUS_HEADERS)
    assert lines(removed) == ["breaking: FaxPlus(): server variable `region` removed"]


@needs_corpus
def test_an_alias_type_change(tmp_path: Path) -> None:
    """Swagger 2.0's `Pets` (a list of Pet): the operations returning it show its type."""

    def edit(spec: Spec) -> None:
        spec["definitions"]["Pets"]["items"] = {"type": "string"}

    assert lines(pair(SWAGGER2, edit, tmp_path)) == [
        "breaking: client.pets.list_pets(): return type changed: `list[Pet]` -> `list[str]`",
        "breaking: client.pets.show_pet_by_id(): return type changed: `list[Pet]` -> `list[str]`",
        "breaking: models.Pets: type changed: `list[Pet]` -> `list[str]`",
    ]


@needs_corpus
def test_the_same_api_described_in_openapi_3_0_and_3_1() -> None:
    """A real pair of versions: openapi-python-client's baseline API, in 3.0 and moved to 3.1.
    Almost nothing a user sees changes; where 3.0 wrapped an enum's `$ref` in `allOf`, 3.1 refers
    to it directly and the enum's default now applies to the optional field, which is no longer
    `None` by default: a request model's field narrows (breaking), a response model's
    (`Extended`, a result only) too (a feature)."""
    old = _surface(CORPUS / "opc-baseline_openapi_3.0.json")
    new = _surface(CORPUS / "opc-baseline_openapi_3.1.yaml")
    assert (old["types"]["AModel"]["use"], old["types"]["Extended"]["use"]) == ("both", "response")
    narrowed = "an_optional_allof_enum: type narrowed: `AnAllOfEnum | None` -> `AnAllOfEnum`"
    assert lines(compare(old, new)) == [
        f"breaking: models.AModel.{narrowed}",
        f"feature: models.Extended.{narrowed}",
        # flattened bodies' property descriptions are their methods' documentation (issue 17)
        "fix: client.bodies.refs(): documentation changed",
        "fix: client.tests.callback_test(): documentation changed",
        "fix: client.tests.json_body_tests_json_body_post(): documentation changed",
        "fix: client.types.post_types_unions_duplicate_types(): documentation changed",
        "fix: models.BodyUploadFileTestsUploadPost: documentation changed",
    ]
