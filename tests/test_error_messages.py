"""`str(error)` of a status error tells the API's own explanation, as commercial SDKs do.

On the runtime function (every common error body shape), then from the user's side: the generated
Fax.Plus client answering through httpx.MockTransport, sync and async.
"""

from __future__ import annotations

import asyncio
from typing import Any

import faxplus
import httpx
import pytest
from faxplus import models as m
from faxplus._exceptions import EXPLANATION_LIMIT, explain_error_body

TOKEN = "sk-errors-secret-7a6b5c"
BASE = "https://api.example.test/v3"
FAX_URL = f"{BASE}/accounts/self/faxes/f1"

SHAPES: dict[str, tuple[Any, str | None]] = {
    "fax.plus": (
        {"error": "invalid_fax", "description": "invalid fax number"},
        "invalid fax number",
    ),
    "openai": ({"error": {"message": "Bad model", "type": "invalid_request_error"}}, "Bad model"),
    "google": (
        {"error": {"code": 400, "message": "Name is empty", "status": "INVALID"}},
        "Name is empty",
    ),
    "oauth": ({"error": "invalid_grant", "error_description": "Code expired"}, "Code expired"),
    "slack": ({"ok": False, "error": "channel_not_found"}, "channel_not_found"),
    "twilio": ({"code": 20003, "message": "Authenticate", "status": 401}, "Authenticate"),
    "problem+json": (
        {"type": "about:blank", "title": "Bad Request", "detail": "limit > 100"},
        "limit > 100",
    ),
    "title only": ({"type": "about:blank", "title": "Conflict", "status": 409}, "Conflict"),
    "fastapi string": ({"detail": "Not authenticated"}, "Not authenticated"),
    "fastapi list": (
        {
            "detail": [
                {"loc": ["body", "to"], "msg": "field required", "type": "missing"},
                {"loc": ["query", "limit"], "msg": "too big", "type": "le"},
            ]
        },
        "body.to: field required; query.limit: too big",
    ),
    "json:api": (
        {"errors": [{"status": "422", "title": "Invalid", "detail": "to is blank"}]},
        "to is blank",
    ),
    "errors[0].message": ({"errors": [{"message": "Out of credit", "code": 7}]}, "Out of credit"),
    "rails": (
        {"errors": {"email": ["is invalid"], "name": ["is blank"]}},
        "email: is invalid; name: is blank",
    ),
    "capitalised (AWS)": ({"__type": "Throttling", "Message": "Rate exceeded"}, "Rate exceeded"),
    "github": ({"message": "Validation Failed", "errors": [{"field": "x"}]}, "Validation Failed"),
    "multi-line": ({"message": "first line\n  second\tline "}, "first line second line"),
    "plain text": ("Service temporarily\nunavailable", "Service temporarily unavailable"),
    "html page": ("<html><body><h1>502 Bad Gateway</h1></body></html>", None),
    "xml": ("<?xml version='1.0'?><Error><Message>x</Message></Error>", None),
    "no explanation": ({"code": 17, "status": 400}, None),
    "empty message": ({"message": "", "error": True}, None),
    "number": (42, None),
    "list of codes": ([1, 2], None),
    "empty body": (None, None),
    "deep nesting": (
        {"error": {"error": {"error": {"error": {"error": {"message": "deep"}}}}}},
        None,
    ),
}


@pytest.mark.parametrize(("body", "expected"), SHAPES.values(), ids=SHAPES.keys())
def test_explanation_of_every_common_error_body(body: Any, expected: str | None) -> None:
    assert explain_error_body(body) == expected


def test_a_huge_explanation_is_cut_short() -> None:
    text = explain_error_body({"message": "x" * 1_000_000})
    assert text is not None and len(text) == EXPLANATION_LIMIT and text.endswith("...")
    long_list = explain_error_body({"errors": [{"message": str(n)} for n in range(10_000)]})
    assert long_list == "0; 1; 2"


def test_secrets_are_masked_before_the_cut() -> None:
    body = {"message": "Incorrect API key provided: " + TOKEN}
    assert explain_error_body(body, [TOKEN, None, ""]) == "Incorrect API key provided: ***"
    cut = explain_error_body({"message": "k" * (EXPLANATION_LIMIT - 10) + TOKEN}, [TOKEN])
    assert cut is not None and "sk-" not in cut


# ---- from the user's side: the generated client --------------------------------------------------


def _answering(status: int, **response: Any) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, **response))


def _client(transport: httpx.MockTransport) -> faxplus.FaxPlus:
    http = httpx.Client(transport=transport)
    return faxplus.FaxPlus(access_token=TOKEN, base_url=BASE, http_client=http, max_retries=0)


def test_str_of_a_status_error_has_the_servers_explanation() -> None:
    body = {"error": "invalid_fax", "description": "invalid fax number"}
    with pytest.raises(faxplus.BadRequestError) as caught:
        _client(_answering(400, json=body)).faxes.get_fax(fax_id="f1")
    error = caught.value
    assert str(error) == f"400 Bad Request: GET {FAX_URL} - invalid fax number"
    assert error.message == str(error)
    assert error.body == m.Error(**body)  # the documented error model is still parsed


def test_undocumented_statuses_and_text_bodies_are_explained_too() -> None:
    with pytest.raises(faxplus.RateLimitError) as caught:
        _client(_answering(429, text="Slow down")).faxes.get_fax(fax_id="f1")
    assert str(caught.value) == f"429 Too Many Requests: GET {FAX_URL} - Slow down"
    html = "<html>" + "<p>busy</p>" * 10_000 + "</html>"
    with pytest.raises(faxplus.InternalServerError) as server_error:
        _client(_answering(503, text=html)).faxes.get_fax(fax_id="f1")
    assert str(server_error.value) == f"503 Service Unavailable: GET {FAX_URL}"


def test_the_message_never_holds_a_credential() -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        # A careless server echoing what it got: the key, every header, the query.
        seen = f"key {TOKEN} refused; headers {dict(request.headers)}; url {request.url}"
        return httpx.Response(401, json={"message": seen})

    with pytest.raises(faxplus.AuthenticationError) as caught:
        _client(httpx.MockTransport(echo)).faxes.get_fax(
            fax_id="f1", request_options={"extra_query": {"sig": "q-secret"}}
        )
    text = str(caught.value)
    assert text.startswith(f"401 Unauthorized: GET {FAX_URL} - key *** refused")
    assert TOKEN not in text and TOKEN not in repr(caught.value)
    assert "q-secret" not in text.split(" - ")[0]  # the URL the client shows has no query


def test_async_client_explains_the_same_way() -> None:
    async def run() -> str:
        http = httpx.AsyncClient(transport=_answering(404, json={"detail": "No such fax"}))
        async with faxplus.AsyncFaxPlus(access_token=TOKEN, base_url=BASE, http_client=http) as api:
            try:
                await api.faxes.get_fax(fax_id="f1")
            except faxplus.NotFoundError as error:
                return str(error)
        raise AssertionError("no error raised")

    assert asyncio.run(run()) == f"404 Not Found: GET {FAX_URL} - No such fax"
