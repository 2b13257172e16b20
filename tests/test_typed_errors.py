"""Typed errors (issue 17, item 6): the error body most operations share types `e.body` of every
operation that documents none of its own; the exception exposes the body's `code`, `type` and
message, and the request id header. Checked in the model, on the wire (httpx.MockTransport), and
in a user's script under mypy --strict and pyright."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import GENERATED, generate_client
from model_helpers import model, openapi, write_spec
from test_user_typing import PYRIGHT, installed_environment

from generator.model.api import FieldPath
from generator.model.types import Named, Nullable, Primitive

OPENAI_ERROR = {
    "ErrorResponse": {
        "type": "object",
        "properties": {"error": {"$ref": "#/components/schemas/Error"}},
        "required": ["error"],
    },
    "Error": {
        "type": "object",
        "properties": {
            "code": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "message": {"type": "string"},
            "param": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "type": {"type": "string"},
        },
        "required": ["type", "message", "param", "code"],
    },
    "Missing": {
        "type": "object",
        "properties": {"detail": {"type": "string"}, "missing_id": {"type": "string"}},
    },
    "Model": {"type": "object", "properties": {"id": {"type": "string"}}},
}


def _json(ref: str, description: str = "x") -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{ref}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ok() -> dict[str, Any]:
    return _json("Model")


def _rate_limited() -> dict[str, Any]:
    answer = _json("ErrorResponse")
    answer["headers"] = {"x-request-id": {"schema": {"type": "string"}}}
    return answer


def openai_like() -> dict[str, Any]:
    """Three operations: two answer 429 with the common body (one also declares its own 404),
    one documents no error at all."""
    paths = {
        "/models": {"get": {"operationId": "listModels", "responses": {"200": _ok()}}},
        "/models/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {}}],
            "get": {
                "operationId": "getModel",
                "responses": {"200": _ok(), "404": _json("Missing"), "429": _rate_limited()},
            },
            "delete": {
                "operationId": "deleteModel",
                "responses": {"200": _ok(), "429": _rate_limited()},
            },
        },
    }
    return openapi(paths, OPENAI_ERROR)


def _operation(api: Any, name: str) -> Any:
    return next(op for op in api.operations if op.operation_id == name)


# ---- the model -------------------------------------------------------------------------------


def test_the_schema_of_most_4xx_answers_is_every_operations_default_error(tmp_path: Path) -> None:
    api, _ = model(tmp_path, openai_like())
    assert api.errors.body == Named("ErrorResponse")
    assert _operation(api, "listModels").error_types == {"default": Named("ErrorResponse")}
    # declared statuses stay as the spec writes them
    assert _operation(api, "getModel").error_types == {
        "404": Named("Missing"),
        "429": Named("ErrorResponse"),
        "default": Named("ErrorResponse"),
    }
    assert api.errors.request_id_header == "x-request-id"


def test_fields_are_found_one_level_down_and_are_optional(tmp_path: Path) -> None:
    api, _ = model(tmp_path, openai_like())
    text = Nullable(Primitive("str"))
    assert api.errors.fields == {
        "code": (FieldPath(("error", "code"), ("error", "code")), text),
        "type": (FieldPath(("error", "type"), ("error", "type")), text),
        "message": (FieldPath(("error", "message"), ("error", "message")), text),
    }


def test_a_schema_on_fewer_than_half_of_the_documenting_operations_is_not_common(
    tmp_path: Path,
) -> None:
    """Half of the operations documenting a 4xx body is enough; fewer is not."""
    spec = openapi(
        {
            f"/r{n}": {"get": {"responses": {"200": _ok(), "400": _json(ref)}}}
            for n, ref in enumerate(["ErrorResponse", "Missing", "Missing", "Model"])
        },
        OPENAI_ERROR,
    )
    api, _ = model(tmp_path, spec)
    assert api.errors.body == Named("Missing")  # on 2 of the 4 documenting operations
    spec["paths"]["/r4"] = {"get": {"responses": {"200": _ok(), "400": _json("ErrorResponse")}}}
    spec["paths"]["/r5"] = {"get": {"responses": {"200": _ok(), "400": _json("Model")}}}
    api, _ = model(tmp_path, spec)
    assert api.errors.body is None  # the most frequent is on 2 of 6
    assert all("default" not in op.error_types for op in api.operations)


def test_a_default_answer_is_the_common_error_and_is_kept_where_declared(tmp_path: Path) -> None:
    spec = openapi(
        {
            "/a": {"get": {"responses": {"200": _ok(), "default": _json("Missing")}}},
            "/b": {"get": {"responses": {"200": _ok(), "default": _json("Missing")}}},
            "/c": {"get": {"responses": {"200": _ok()}}},
        },
        OPENAI_ERROR,
    )
    api, _ = model(tmp_path, spec)
    assert api.errors.body == Named("Missing")
    assert [op.error_types for op in api.operations] == [{"default": Named("Missing")}] * 3
    # OAuth's and Fax.Plus's spelling: `detail` is the message; no code or type
    assert set(api.errors.fields) == {"message"}
    assert api.errors.request_id_header == ""


def test_without_documented_errors_nothing_is_common(tmp_path: Path) -> None:
    api, _ = model(tmp_path, openapi({"/a": {"get": {"responses": {"200": _ok()}}}}, OPENAI_ERROR))
    assert api.errors.body is None and api.errors.fields == {}
    assert api.operations[0].error_types == {}


# ---- on the wire -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def openai_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("typed_errors")
    outcome = generate_client(
        write_spec(root, openai_like()), root / "out", package_name="errs", client_name="Errs"
    )
    assert outcome.written, outcome.diagnostics
    return root / "out"


def _client(out: Path, answer: httpx.Response) -> Any:
    sys.path.insert(0, str(out))
    try:
        import errs
    finally:
        sys.path.remove(str(out))
    transport = httpx.MockTransport(lambda request: answer)
    return errs, errs.Errs(
        base_url="http://api.test", http_client=httpx.Client(transport=transport), max_retries=0
    )


BODY = {
    "error": {
        "message": "No such model",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
}


def test_an_undocumented_status_gets_the_common_body_and_its_fields(openai_client: Path) -> None:
    answer = httpx.Response(404, json=BODY, headers={"x-request-id": "req_123"})
    errs, client = _client(openai_client, answer)
    with pytest.raises(errs.NotFoundError) as caught:
        client.models.list_models()
    error = caught.value
    assert isinstance(error.body, errs.models.ErrorResponse)
    assert error.body.error.message == "No such model"
    assert (error.error_message, error.type, error.code) == (
        "No such model",
        "invalid_request_error",
        None,
    )
    assert error.request_id == "req_123"
    assert "No such model" in error.message


def test_a_declared_error_type_wins_over_the_common_one(openai_client: Path) -> None:
    answer = httpx.Response(404, json={"detail": "gone", "missing_id": "m1"})
    errs, client = _client(openai_client, answer)
    with pytest.raises(errs.NotFoundError) as caught:
        client.models.get_model(id="m1")
    assert isinstance(caught.value.body, errs.models.Missing)
    # the fields are those of the common body: a Missing has none of them
    assert (caught.value.code, caught.value.error_message, caught.value.request_id) == (
        None,
        None,
        None,
    )


def test_an_answer_that_is_not_the_documented_body_keeps_its_json(openai_client: Path) -> None:
    answer = httpx.Response(500, json={"error": {"message": 7, "type": "server"}})
    errs, client = _client(openai_client, answer)
    with pytest.raises(errs.InternalServerError) as caught:
        client.models.list_models()
    error = caught.value
    assert error.body == {"error": {"message": 7, "type": "server"}}
    # read from the JSON as it came, where of the documented type
    assert (error.type, error.error_message) == ("server", None)
    answer = httpx.Response(502, text="<html>bad gateway</html>", headers={"Request-Id": "r9"})
    errs, client = _client(openai_client, answer)
    with pytest.raises(errs.InternalServerError) as caught:
        client.models.list_models()
    assert (caught.value.body, caught.value.type, caught.value.request_id) == (
        "<html>bad gateway</html>",
        None,
        "r9",  # a conventional name is read too
    )


def test_faxplus_errors_read_its_error_and_description() -> None:
    import faxplus

    body = {"error": "invalid_user_id", "description": "Invalid user id given"}
    transport = httpx.MockTransport(lambda request: httpx.Response(404, json=body))
    client = faxplus.FaxPlus(
        access_token="t", http_client=httpx.Client(transport=transport), max_retries=0
    )
    with pytest.raises(faxplus.NotFoundError) as caught:  # Fax.Plus documents 400 and 500 only
        client.accounts.get_user(user_id="self")
    error = caught.value
    assert isinstance(error.body, faxplus.models.Error)
    assert (error.code, error.error_message, error.type) == (
        "invalid_user_id",
        "Invalid user id given",
        None,
    )


# ---- where the user stands ----------------------------------------------------------------------

USER_SCRIPT = """
from __future__ import annotations

import httpx
from typing_extensions import assert_type

from errs import APIStatusError, Errs
from errs.models import ErrorResponse


def read(error: APIStatusError) -> str:
    if isinstance(error.body, ErrorResponse):
        assert_type(error.body.error.code, "str | None")
    message: str = error.body.error.message
    request_id: str | None = error.request_id
    code: str | None = error.code
    kind: str | None = error.type
    said: str | None = error.error_message
    return f"{error.message} {message} {request_id} {code} {kind} {said}"


client = Errs(base_url="http://api.test", http_client=httpx.Client(transport=httpx.MockTransport(
    lambda request: httpx.Response(429, json={"error": {"message": "slow", "type": "rate", "param": None, "code": None}})
)), max_retries=0)
try:
    client.models.list_models()
except APIStatusError as e:
    print(read(e), e.body.error.message)
"""


def _check(script: str, user: Path, python: Path) -> tuple[subprocess.CompletedProcess[str], ...]:
    user.mkdir()
    (user / "script.py").write_text(script, "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-executable", str(python)]
        + ["--no-error-summary", "--cache-dir", str(user / ".mypy_cache"), "script.py"],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    venv = python.parent.parent
    config = {"typeCheckingMode": "strict", "venvPath": str(venv.parent), "venv": venv.name}
    (user / "pyrightconfig.json").write_text(json.dumps(config), "utf-8")
    pyright = subprocess.run(
        ["node", str(PYRIGHT), "script.py"],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return mypy, pyright


def test_a_users_script_reads_typed_errors_under_mypy_strict_and_pyright(
    openai_client: Path, tmp_path: Path
) -> None:
    python = installed_environment(tmp_path / "venv", [openai_client / "errs"])
    mypy, pyright = _check(USER_SCRIPT, tmp_path / "good", python)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    assert pyright.returncode == 0, pyright.stdout[-3000:]
    ran = subprocess.run(
        [str(python), "script.py"],
        cwd=tmp_path / "good",
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0 and "slow" in ran.stdout, ran.stderr
    # the body is typed, not Any: a misspelt field is an error for both checkers
    wrong = USER_SCRIPT.replace("e.body.error.message)", "e.body.error.mesage)")
    mypy, pyright = _check(wrong, tmp_path / "wrong", python)
    assert 'Item "Error" of "Error | Any" has no attribute "mesage"' in mypy.stdout, mypy.stdout
    assert "mesage" in pyright.stdout and pyright.returncode != 0


def test_the_committed_clients_type_their_error_bodies() -> None:
    text = (GENERATED / "faxplus" / "faxplus" / "_errors.py").read_text("utf-8")
    assert "APIErrorBody: TypeAlias = Error | Any" in text


# ---- the view ------------------------------------------------------------------------------------


def test_the_view_reads_the_declared_request_id_header_first(tmp_path: Path) -> None:
    from generator.codegen.error_views import errors_view

    spec = openai_like()
    answer = spec["paths"]["/models/{id}"]["delete"]["responses"]["429"]
    answer["headers"] = {"Request-Id": {"schema": {"type": "string"}}}
    spec["paths"]["/models/{id}"]["get"]["responses"]["429"]["headers"] = answer["headers"]
    view = errors_view(model(tmp_path, spec)[0])
    # the spec's spelling, then the conventional names it does not already cover (any case)
    assert view.request_id_headers == '("Request-Id", "x-request-id")'
    assert view.model == "ErrorResponse" and view.body == "ErrorResponse | Any"
    assert '"type": (("error", "type"), ("error", "type"), str)' in view.fields
    assert dict(view.aliases) == {
        "Code": "str | None",
        "Type": "str | None",
        "Message": "str | None",
    }
    bare = errors_view(model(tmp_path, openapi({"/a": {"get": {"responses": {"200": _ok()}}}}))[0])
    assert (bare.body, bare.model, bare.readme_fields) == ("Any", "", "")
    assert dict(bare.aliases) == {"Code": "None", "Type": "None", "Message": "None"}


def test_a_default_answer_that_is_the_success_is_no_error(tmp_path: Path) -> None:
    """Without a 2xx answer, `default` is what the operation returns: not an error body."""
    spec = openapi(
        {f"/{n}": {"get": {"responses": {"default": _json("Missing")}}} for n in "abc"},
        OPENAI_ERROR,
    )
    api, _ = model(tmp_path, spec)
    assert api.errors.body is None
    assert [op.result_type for op in api.operations] == [Named("Missing")] * 3
