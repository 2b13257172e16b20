"""Issue 16: fields of model types are validated lazily (the runtime's `_LazyField`), so importing
a model creates only its module's classes and a call builds only the models its answer holds.
What users see must not change: nested values are instances of the classes they import, errors
are pydantic's with their full location, serialisation and JSON schemas are as before."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.conftest import GENERATED, generate_client
from tests.test_model_modules import run_python

FAXPLUS = GENERATED / "faxplus"

NESTED = """
import json
import pydantic
from faxplus import models
from faxplus.models import Outbox, OutboxOptions, RetryOptions, OutboxStatus

fax = Outbox.model_validate({
    "id": "1", "uid": "u", "status": "sending", "comment": {"text": "hi"},
    "options": {"retry": {"count": 2}}, "status_changes": [{"at": "now", "status": "sending"}],
})
assert isinstance(fax.options, OutboxOptions) and type(fax.options) is models.OutboxOptions
assert isinstance(fax.options.retry, RetryOptions) and fax.options.retry.count == 2
assert fax.status is OutboxStatus.SENDING
assert type(fax.comment) is models.OutboxComment and fax.comment.text == "hi"
assert type(fax.status_changes[0]) is models.OutboxStatusChangesItem
# Built from instances, as a user writes it; dumped as the API spells it.
made = Outbox(id="2", uid="u", status=OutboxStatus.SENDING, options=OutboxOptions(retry=RetryOptions(count=3)))
assert made.options.retry.count == 3
print(json.dumps([made.to_dict(), fax.model_dump(mode="json", exclude_unset=True)]))
try:
    Outbox.model_validate({"id": "1", "uid": "u", "options": {"retry": {"count": "many"}}})
except pydantic.ValidationError as error:
    print(json.dumps([[list(e["loc"]), e["type"]] for e in error.errors()]))
"""


def test_nested_values_are_the_public_classes_and_errors_keep_their_place() -> None:
    dumps, errors = run_python(NESTED, FAXPLUS).splitlines()
    made, parsed = json.loads(dumps)
    assert made == {
        "id": "2",
        "uid": "u",
        "status": "sending",
        "options": {"retry": {"count": 3}},
    }
    assert parsed == {
        "id": "1",
        "uid": "u",
        "status": "sending",
        "comment": {"text": "hi"},
        "options": {"retry": {"count": 2}},
        "status_changes": [{"at": "now", "status": "sending"}],
    }
    assert json.loads(errors) == [
        [["options", "retry", "count"], "int_parsing"],
        [["status"], "missing"],
    ]


ONE_MODULE = """
import json, sys
from faxplus.models._outbox import Outbox
before = sorted(m for m in sys.modules if m.startswith("faxplus.models."))
Outbox.model_validate({"id": "1", "uid": "u", "status": "sending"})
after = sorted(m for m in sys.modules if m.startswith("faxplus.models."))
print(json.dumps([before, after]))
"""


def test_a_model_module_runs_alone_and_a_value_imports_only_what_it_holds() -> None:
    before, after = json.loads(run_python(ONE_MODULE, FAXPLUS))
    assert before == ["faxplus.models._outbox"]  # its fields' models are imported for type checkers
    # The status value needed its enum; the absent options, comment... were not imported.
    assert after == ["faxplus.models._outbox", "faxplus.models._outbox_status"]


CYCLE_SPEC = """
openapi: 3.0.3
info: {title: Tree, version: "1"}
paths:
  /nodes/{id}:
    get:
      operationId: getNode
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Node"}}}
    put:
      operationId: putNode
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Node"}}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Node"}}}
  /owners:
    get:
      operationId: listOwners
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Owner"}}
components:
  schemas:
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string}
        createdAt: {type: string, readOnly: true}
        owner: {$ref: "#/components/schemas/Owner"}
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
        pet: {oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]}
    Owner:
      type: object
      properties:
        name: {type: string}
        nodes: {type: array, items: {$ref: "#/components/schemas/Node"}}
    Cat:
      type: object
      required: [meows]
      properties: {meows: {type: boolean}, name: {type: string}}
    Dog:
      type: object
      required: [barks]
      properties: {barks: {type: boolean}, name: {type: string}, wags: {type: boolean}}
"""

CYCLE = """
import json
from tree import models
from tree._models import REQUEST

node = models.Node.model_validate({
    "name": "root", "createdAt": "now",
    "owner": {"name": "ann", "nodes": [{"name": "leaf"}]},
    "children": [{"name": "child", "children": [{"name": "grandchild", "createdAt": "then"}]}],
    "pet": {"barks": True, "name": "rex"},
})
assert type(node.owner) is models.Owner and type(node.owner.nodes[0]) is models.Node
assert type(node.children[0].children[0]) is models.Node
assert type(node.pet) is models.Dog  # the union picks its variant as pydantic does
schema = models.Node.model_json_schema()
definitions = schema["$defs"]
assert schema["$ref"] == "#/$defs/Node"
print(json.dumps([
    node.children[0].model_dump(mode="json", by_alias=True, exclude_unset=True, context=REQUEST),
    node.model_dump(mode="json", by_alias=True, exclude_unset=True)["children"],
    sorted(definitions["Node"]["properties"]),
    definitions["Node"]["properties"]["children"]["anyOf"][0],
    definitions["Node"]["properties"]["pet"]["anyOf"],
    definitions["Owner"]["properties"]["nodes"]["anyOf"][0],
]))
"""


@pytest.fixture(scope="module")
def tree_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tree")
    spec = out / "tree.yaml"
    spec.write_text(textwrap.dedent(CYCLE_SPEC), encoding="utf-8")
    generate_client(spec, out / "client", package_name="tree", formatter="none")
    return out / "client"


def test_cycles_of_models_validate_serialise_and_describe_themselves(tree_client: Path) -> None:
    request_dump, dump, properties, children, pet, nodes = json.loads(
        run_python(CYCLE, tree_client)
    )
    # Read-only properties are left out of requests at every depth, kept otherwise.
    assert request_dump == {"name": "child", "children": [{"name": "grandchild"}]}
    assert dump == [{"name": "child", "children": [{"name": "grandchild", "createdAt": "then"}]}]
    assert properties == ["children", "createdAt", "name", "owner", "pet"]
    # JSON schemas are pydantic's, through the cycle: models by reference.
    assert children == nodes == {"items": {"$ref": "#/$defs/Node"}, "type": "array"}
    assert pet == [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}, {"type": "null"}]


def test_models_of_a_cycle_do_not_import_each_other_at_runtime(tree_client: Path) -> None:
    models_dir = tree_client / "tree" / "models"
    for module in models_dir.glob("*.py"):
        if module.name == "__init__.py":
            continue
        text = module.read_text("utf-8")
        runtime = text.split("if TYPE_CHECKING:")[0]
        assert "from ._" not in runtime and "from .nodes" not in runtime, module.name


INTROSPECTED = """
import inspect, json, typing
from faxplus.models import Outbox
from faxplus.models._outbox import Outbox as Same
assert Same is Outbox
from faxplus.models import OutboxOptions, OutboxStatusChangesItem
from faxplus.models import OutboxStatus
fields = Outbox.model_fields
hints = typing.get_type_hints(Outbox)
evaluated = inspect.get_annotations(Outbox, eval_str=True)
print(json.dumps({
    "options": [fields["options"].annotation == (OutboxOptions | None), hints["options"] == (OutboxOptions | None), evaluated["options"] == (OutboxOptions | None)],
    "changes": [fields["status_changes"].annotation == (list[OutboxStatusChangesItem] | None), hints["status_changes"] == (list[OutboxStatusChangesItem] | None)],
    "status": [fields["status"].annotation is OutboxStatus, hints["status"] is OutboxStatus],
    "kept": [fields["options"].default is None, not fields["options"].is_required(), fields["status"].is_required()],
    "lazy": repr(Outbox.__pydantic_fields__["options"].annotation),
}))
"""


def test_introspection_sees_the_declared_types_of_lazily_validated_fields() -> None:
    """`model_fields[...].annotation`, `typing.get_type_hints` and `inspect.get_annotations` give
    the types the module declares (schema tools and samples builders read them), not `Any`."""
    found = json.loads(run_python(INTROSPECTED, FAXPLUS))
    assert found["options"] == [True, True, True]
    assert found["changes"] == [True, True]
    assert found["status"] == [True, True]
    assert found["kept"] == [True, True, True]
    assert (
        found["lazy"] == "typing.Any"
    )  # what pydantic validates with: the field's own validator, lazily


WIRE_SPEC = """
openapi: 3.0.3
info: {title: Wire, version: "1"}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string, readOnly: true}
        partName: {type: string}
        part: {$ref: "#/components/schemas/Part"}
        parts: {type: array, items: {$ref: "#/components/schemas/Part"}}
    Part:
      type: object
      required: [kind]
      properties:
        id: {type: string, readOnly: true}
        kind: {type: string, default: "a"}
        createdAt: {type: string, format: date-time}
"""

WIRE = """
import json, httpx
from wire import Wire
from wire.models import Part, Thing
sent = []
def answer(request):
    sent.append(json.loads(request.content))
    return httpx.Response(200, json={"id": "t1", "partName": "n", "parts": [{"id": "p2", "kind": "c"}],
                                     "part": {"id": "p1", "kind": "b", "createdAt": "2024-01-02T03:04:05Z"}})
client = Wire(base_url="http://x", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
thing = client.things.create_thing(part_name="x", part=Part(id="p0"), parts=[Part(id="p9", kind="z")])
assert type(thing.part) is Part and type(thing.parts[0]) is Part
print(json.dumps([sent[0], thing.to_dict(), thing.part.created_at.isoformat()]))
"""


def test_nested_lazy_models_on_the_wire(tmp_path: Path) -> None:
    """A request body's nested models (validated lazily) leave out their read-only fields and send
    their required defaults; the answer's nested models are the public classes, dumped by alias."""
    spec = tmp_path / "wire.yaml"
    spec.write_text(WIRE_SPEC, encoding="utf-8")
    generate_client(spec, tmp_path / "client", package_name="wire", formatter="none")
    sent, parsed, created = json.loads(run_python(WIRE, tmp_path / "client"))
    assert sent == {"partName": "x", "part": {"kind": "a"}, "parts": [{"kind": "z"}]}
    assert parsed == {
        "id": "t1",
        "partName": "n",
        "part": {"id": "p1", "kind": "b", "createdAt": "2024-01-02T03:04:05Z"},
        "parts": [{"id": "p2", "kind": "c"}],
    }
    assert created == "2024-01-02T03:04:05+00:00"


RESOURCE_HINTS = """
import inspect, json, sys, typing
from faxplus.resources.outbox import OutboxResource
def loaded():
    return sorted(m for m in sys.modules if m.startswith("faxplus.models."))
before = loaded()
hints = typing.get_type_hints(OutboxResource.send_fax)
signature = inspect.signature(OutboxResource.get_outbox_fax, eval_str=True)
from faxplus.models import Outbox, OutboxOptions, SendFaxResponse
print(json.dumps([
    before,
    # OutboxOptions | OutboxOptionsParam | NotGiven: the model and the params TypedDict resolve
    hints["options"].__args__[0] is OutboxOptions
    and hints["options"].__args__[1].__name__ == "OutboxOptionsParam",
    hints["return"] is SendFaxResponse,
    signature.return_annotation is Outbox,
]))
"""


def test_resource_modules_create_no_model_yet_their_hints_resolve() -> None:
    """Importing a resource creates only its error models; its methods' annotations (flattened
    body fields, results) still resolve at run time, importing the models they name then."""
    before, body, returns, signature = json.loads(run_python(RESOURCE_HINTS, FAXPLUS))
    assert before == ["faxplus.models._shared_ffd13d83"]  # Error, which its Endpoints hold
    assert body and returns and signature


EXTRA_SPEC = """
openapi: 3.1.0
info: {title: Extra, version: "1.0"}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: {id: {type: string}}
                additionalProperties:
                  type: object
                  properties: {id: {type: string}}
"""

EXTRA = """
import json, httpx, pydantic, extra
from extra import models
def answer(request): return httpx.Response(200, json={"id": "a", "more": {"id": "b"}})
client = extra.Extra(base_url="http://x", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
thing = client.things.get_thing(id="1")
assert type(thing.model_extra["more"]) is models.GetThingResponseValue
try:
    models.GetThingResponse.model_validate({"id": "a", "more": {"id": 5}})
except pydantic.ValidationError as error:
    print(json.dumps([list(e["loc"]) for e in error.errors()]))
"""


def test_extra_properties_of_a_model_type_are_validated_lazily(tmp_path: Path) -> None:
    # pydantic requires `__pydantic_extra__` to stay `dict[str, ...]`: the fuzz test found a model
    # whose additionalProperties is a model failing at its first validation.
    spec = tmp_path / "extra.yaml"
    spec.write_text(EXTRA_SPEC, encoding="utf-8")
    generate_client(spec, tmp_path / "client", package_name="extra", formatter="none")
    assert json.loads(run_python(EXTRA, tmp_path / "client")) == [["more", "id"]]
