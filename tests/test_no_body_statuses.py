"""204, 205 and 304 answers never have a body (RFC 9110), even when a spec declares content on them:
the operation returns None for them and its result type says so.

In the model, for OpenAPI 3 and Swagger 2.0; then from the user's side: a generated client answered
by httpx.MockTransport with those statuses and an empty body, and a user script under mypy --strict.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.model.types import Named, Nullable, Primitive
from tests.conftest import REPO, generate_client
from tests.model_helpers import model, openapi, write_spec

THING = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
JSON_THING = {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]


def _op(responses: dict[str, Any], op_id: str = "op") -> dict[str, Any]:
    return {"operationId": op_id, "tags": ["things"], "parameters": ID, "responses": responses}


def _spec() -> dict[str, Any]:
    """What public specs do: content declared on the bodiless statuses."""
    return openapi(
        paths={
            "/things/{id}": {
                "get": _op(
                    {
                        "200": {"description": "ok", "content": JSON_THING},
                        "304": {"description": "not modified", "content": JSON_THING},
                    },
                    "getThing",
                ),
                "delete": _op(
                    {"204": {"description": "gone", "content": JSON_THING}}, "deleteThing"
                ),
                "put": _op(
                    {
                        "200": {"description": "ok", "content": JSON_THING},
                        "204": {"description": "unchanged", "content": JSON_THING},
                    },
                    "putThing",
                ),
                "post": _op({"205": {"description": "reset", "content": JSON_THING}}, "resetThing"),
            },
            "/things/{id}/file": {
                "get": _op(
                    {
                        "200": {"description": "pdf", "content": {"application/pdf": {}}},
                        "204": {"description": "none yet", "content": {"application/pdf": {}}},
                    },
                    "getFile",
                ),
            },
        },
        schemas={"Thing": THING},
    )


# ---- the model -----------------------------------------------------------------------------------


def test_bodiless_statuses_settle_the_result_type(tmp_path: Path) -> None:
    api, _ = model(tmp_path, _spec())
    ops = {op.operation_id: op for op in api.operations}
    thing = Named("Thing")
    assert (ops["deleteThing"].result_kind, ops["deleteThing"].result_type) == (
        "empty",
        Primitive("none"),
    )
    assert (ops["resetThing"].result_kind, ops["resetThing"].result_type) == (
        "empty",
        Primitive("none"),
    )
    assert (ops["putThing"].result_kind, ops["putThing"].result_type) == ("json", Nullable(thing))
    assert (ops["getThing"].result_kind, ops["getThing"].result_type) == ("json", Nullable(thing))
    assert (ops["getFile"].result_kind, ops["getFile"].result_type) == (
        "binary",
        Nullable(Primitive("bytes")),
    )
    # Nothing is asked for on an answer that has no body.
    assert ops["deleteThing"].accept == "" and ops["putThing"].accept == "application/json"
    no_body = [
        r for op in api.operations for r in op.responses if r.status in ("204", "205", "304")
    ]
    assert len(no_body) == 5 and all(not r.contents for r in no_body)


def test_swagger2_schema_on_a_204_is_no_body(tmp_path: Path) -> None:
    spec = {
        "swagger": "2.0",
        "info": {"title": "T", "version": "1"},
        "produces": ["application/json"],
        "definitions": {"Thing": THING},
        "paths": {
            "/things/{id}": {
                "delete": {
                    "operationId": "deleteThing",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "type": "string"}
                    ],
                    "responses": {
                        "204": {"description": "gone", "schema": {"$ref": "#/definitions/Thing"}}
                    },
                },
                "put": {
                    "operationId": "putThing",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "type": "string"}
                    ],
                    "responses": {
                        "200": {"description": "ok", "schema": {"$ref": "#/definitions/Thing"}},
                        "204": {"description": "same", "schema": {"$ref": "#/definitions/Thing"}},
                    },
                },
            }
        },
    }
    api, _ = model(tmp_path, spec)
    ops = {op.operation_id: op for op in api.operations}
    assert ops["deleteThing"].result_type == Primitive("none")
    assert ops["putThing"].result_type == Nullable(Named("Thing"))


# ---- the user's side -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    tmp_path = tmp_path_factory.mktemp("nobody")
    out = tmp_path / "out"
    generate_client(write_spec(tmp_path, _spec()), out, package_name="nobody", client_name="Nobody")
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module("nobody"), out
    finally:
        sys.path.remove(str(out))


def _answering(status: int, body: bytes = b"") -> httpx.MockTransport:
    # What a real server sends on a 204: no body, and no Content-Type.
    return httpx.MockTransport(lambda request: httpx.Response(status, content=body))


def test_empty_answers_on_bodiless_statuses_return_none(package: tuple[Any, Path]) -> None:
    module, _ = package
    api = module.Nobody(base_url="http://t", http_client=httpx.Client(transport=_answering(204)))
    assert api.things.delete_thing(id="1") is None
    assert api.things.put_thing(id="1") is None
    assert api.things.get_file(id="1") is None
    reset = module.Nobody(base_url="http://t", http_client=httpx.Client(transport=_answering(205)))
    assert reset.things.reset_thing(id="1") is None
    not_modified = module.Nobody(
        base_url="http://t", http_client=httpx.Client(transport=_answering(304))
    )
    assert not_modified.things.get_thing(id="1") is None
    raw = not_modified.things.with_raw_response.get_thing(id="1")
    assert raw.status_code == 304 and raw.parse() is None
    found = module.Nobody(
        base_url="http://t", http_client=httpx.Client(transport=_answering(200, b'{"id": "1"}'))
    )
    assert found.things.put_thing(id="1").id == "1"


def test_async_client_returns_none_too(package: tuple[Any, Path]) -> None:
    module, _ = package

    async def run() -> Any:
        http = httpx.AsyncClient(transport=_answering(204))
        async with module.AsyncNobody(base_url="http://t", http_client=http) as api:
            return await api.things.delete_thing(id="1"), await api.things.put_thing(id="1")

    assert asyncio.run(run()) == (None, None)


USER_SCRIPT = """
from typing_extensions import assert_type

import httpx
from nobody._client import Nobody
from nobody.models import Thing

api = Nobody(base_url="http://t", http_client=httpx.Client())
assert_type(api.things.delete_thing(id="1"), None)
assert_type(api.things.reset_thing(id="1"), None)
maybe = api.things.put_thing(id="1")
assert_type(maybe, Thing | None)
if maybe is not None:
    print(maybe.id)
assert_type(api.things.get_thing(id="1"), Thing | None)
assert_type(api.things.get_file(id="1"), bytes | None)
"""


def test_a_user_script_type_checks(package: tuple[Any, Path], tmp_path: Path) -> None:
    _, out = package
    script = tmp_path / "use_nobody.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(REPO / ".mypy_cache"),
            str(script),
        ],
        capture_output=True,
        text=True,
        cwd=out,
        env={**os.environ, "MYPYPATH": str(out)},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("status", [204, 205, 304])
def test_the_runtime_parses_no_body_on_bodiless_statuses(status: int) -> None:
    """Even where the spec documents none of them (and a broken server sends bytes anyway)."""
    import faxplus  # the committed client (conftest puts it on sys.path)

    http = httpx.Client(transport=_answering(status, b"{not json"))
    api = faxplus.FaxPlus(access_token="t", base_url="http://t", http_client=http)
    assert api.accounts.get_user() is None
