"""Every Fax.Plus operation, sync and async, through httpx.MockTransport: the exact request it sends
and the response it parses, plus the typed error every operation raises on a documented error."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import faxplus
import httpx
import pytest
from faxplus import AsyncFaxPlus, FaxPlus
from faxplus import models as m
from faxplus_samples import sample_model

TOKEN = "tok-123"
CLIENT_ID = "client-abc"
BASE = "https://restapi.fax.plus/v3"


@dataclass
class Case:
    resource: str
    method: str
    kwargs: dict[str, Any]
    http_method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    json_body: Any = None
    result: Any = None  # model class, "bytes" or None
    status: int = 200


PDF = b"%PDF-1.4 fake"

CASES = [
    Case("accounts", "get_accounts", {}, "GET", "/accounts", result=m.AccountList),
    Case("accounts", "get_user", {}, "GET", "/accounts/self", result=m.Account),
    Case(
        "accounts", "get_user", {"user_id": "u 1/2"}, "GET", "/accounts/u%201%2F2", result=m.Account
    ),
    Case(
        "accounts",
        "update_user",
        {"name": "Ann"},
        "PUT",
        "/accounts/self",
        json_body={"name": "Ann"},
        status=204,
    ),
    Case(
        "accounts",
        "get_member_details",
        {"member_user_id": "m1"},
        "GET",
        "/accounts/self/member-details/m1",
        result=m.MemberDetail,
    ),
    Case(
        "accounts",
        "update_member_details",
        {"member_user_id": "m1", "quota": 5},
        "PUT",
        "/accounts/self/member-details/m1",
        json_body={"quota": 5},
        status=204,
    ),
    Case("numbers", "list_numbers", {}, "GET", "/accounts/self/numbers", result=m.NumberList),
    Case(
        "numbers",
        "get_number",
        {"number": "+123"},
        "GET",
        "/accounts/self/numbers/%2B123",
        result=m.Number,
    ),
    Case(
        "numbers",
        "update_number",
        {"number": "+123", "assigned_to": "x"},
        "PUT",
        "/accounts/self/numbers/%2B123",
        json_body={"assigned_to": "x"},
        status=204,
    ),
    Case(
        "numbers",
        "revoke_number",
        {"number": "+123"},
        "DELETE",
        "/accounts/self/numbers/%2B123",
        status=204,
    ),
    Case(
        "faxes",
        "list_faxes",
        {"category": m.FaxCategory.INBOX, "limit": 10, "after": "2024-01-01"},
        "GET",
        "/accounts/self/faxes",
        query={"category": ["inbox"], "limit": ["10"], "after": ["2024-01-01"]},
        result=m.FaxList,
    ),
    Case("faxes", "get_fax", {"fax_id": "f1"}, "GET", "/accounts/self/faxes/f1", result=m.Fax),
    Case(
        "faxes",
        "update_fax",
        {"fax_id": "f1", "comment": "c", "is_read": True},
        "PUT",
        "/accounts/self/faxes/f1",
        json_body={"comment": "c", "is_read": True},
        status=204,
    ),
    Case("faxes", "delete_fax", {"fax_id": "f1"}, "DELETE", "/accounts/self/faxes/f1", status=204),
    Case(
        "files",
        "get_file",
        {"fax_id": "f1", "format": m.FileType.PDF},
        "GET",
        "/accounts/self/files/f1",
        query={"format": ["pdf"]},
        result="bytes",
    ),
    Case(
        "files",
        "get_fax_report",
        {"fax_id": "f1"},
        "GET",
        "/accounts/self/report/f1",
        result="bytes",
    ),
    Case(
        "files",
        "get_fax_thumbnail",
        {"fax_id": "f1"},
        "GET",
        "/accounts/self/thumbnail/f1",
        result="bytes",
    ),
    Case("outbox", "list_outbox_faxes", {}, "GET", "/accounts/self/outbox", result=m.OutboxList),
    Case(
        "outbox",
        "send_fax",
        {"to": ["+1555"], "files": ["/transient-1"], "from_": "+1666"},
        "POST",
        "/accounts/self/outbox",
        json_body={"to": ["+1555"], "files": ["/transient-1"], "from": "+1666"},
        result=m.SendFaxResponse,
        status=201,
    ),
    Case(  # issue 17: a nested model as a plain dict, sent as written
        "outbox",
        "send_fax",
        {
            "to": ["+1555"],
            "files": ["/transient-1"],
            "from_": "+1666",
            "options": {"enhancement": False},
        },
        "POST",
        "/accounts/self/outbox",
        json_body={
            "from": "+1666",
            "to": ["+1555"],
            "files": ["/transient-1"],
            "options": {"enhancement": False},
        },
        result=m.SendFaxResponse,
        status=201,
    ),
    Case(
        "outbox",
        "get_outbox_fax",
        {"outbox_fax_id": "132esd4cs31"},
        "GET",
        "/accounts/self/outbox/132esd4cs31",
        result=m.Outbox,
    ),
    Case(
        "outbox",
        "update_outbox_fax",
        {"outbox_fax_id": "o1", "comment": "later"},
        "PUT",
        "/accounts/self/outbox/o1",
        json_body={"comment": "later"},
        status=204,
    ),
    Case(
        "outbox",
        "delete_outbox_fax",
        {"outbox_fax_id": "o1"},
        "DELETE",
        "/accounts/self/outbox/o1",
        status=204,
    ),
    Case(
        "webhooks",
        "get_webhooks",
        {"event": m.WebhookEventType.FAX_RECEIVED},
        "GET",
        "/hooks",
        query={"event": ["fax_received"]},
        result=m.WebhookList,
    ),
    Case(
        "webhooks",
        "create_webhook",
        {"target": "https://example.com/h", "event": "fax_sent"},
        "POST",
        "/hooks",
        json_body={"target": "https://example.com/h", "event": "fax_sent"},
        result=m.WebhookId,
    ),
    Case("webhooks", "delete_webhook", {"hook_id": "h1"}, "DELETE", "/hooks/h1", status=204),
    Case("shop", "get_balance", {}, "GET", "/shop/balance", result=m.Balance),
    Case(
        "shop",
        "list_countries",
        {},
        "GET",
        "/shop/numbers/countries",
        result=m.NumbersAvailableCountries,
    ),
    Case(
        "shop",
        "list_areas",
        {"country_code": "US"},
        "GET",
        "/shop/numbers/countries/US/areas",
        result=m.NumberAreaList,
    ),
    Case(
        "shop",
        "list_shop_numbers",
        {"country_code": "US", "calling_code": "212", "channel": "random"},
        "GET",
        "/shop/numbers/countries/US/areas/212/numbers",
        query={"channel": ["random"]},
        result=m.AvailableNumberList,
    ),
    Case(
        "shop",
        "purchase_number",
        {"item_id": "i1"},
        "POST",
        "/shop/numbers/purchase",
        json_body={"item_id": "i1"},
        result=m.PurchasedNumber,
    ),
]

UPLOAD = Case(
    "files",
    "upload_file",
    {"fax_file": ("doc.pdf", PDF, "application/pdf"), "format": m.FileType.PDF},
    "POST",
    "/accounts/self/files",
    query={"format": ["pdf"]},
    result=m.FilePath,
)


def _response_for(case: Case) -> httpx.Response:
    if case.result == "bytes":
        return httpx.Response(200, content=PDF, headers={"content-type": "application/pdf"})
    if case.result is None:
        return httpx.Response(case.status)
    return httpx.Response(case.status, json=sample_model(case.result))


class Recorder:
    def __init__(self, respond) -> None:
        self.requests: list[httpx.Request] = []
        self.respond = respond

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.respond(request)


def _check_request(request: httpx.Request, case: Case) -> None:
    assert request.method == case.http_method
    assert request.url.raw_path.decode().split("?")[0] == "/v3" + case.path
    assert request.url.host == "restapi.fax.plus" and request.url.scheme == "https"
    query: dict[str, list[str]] = {}
    for key, value in request.url.params.multi_items():
        query.setdefault(key, []).append(value)
    assert query == case.query
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["x-fax-clientid"] == CLIENT_ID
    if case.json_body is not None:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == case.json_body
    elif case is not UPLOAD:
        assert request.content == b""


def _check_result(result: Any, case: Case) -> None:
    if isinstance(result, (faxplus.SyncPage, faxplus.AsyncPage)):  # paginated: its first page
        result = result.response
    if case.result == "bytes":
        assert result == PDF
    elif case.result is None:
        assert result is None
    else:
        assert isinstance(result, case.result)
        assert result == case.result.model_validate(sample_model(case.result))


def _ids(cases):
    return [f"{c.resource}.{c.method}-{i}" for i, c in enumerate(cases)]


def test_every_operation_is_covered():
    covered = {(c.resource, c.method) for c in CASES + [UPLOAD]}
    client = FaxPlus(access_token=TOKEN)
    declared = set()
    for resource in ("accounts", "numbers", "faxes", "files", "outbox", "webhooks", "shop"):
        res = getattr(client, resource)
        declared |= {
            (resource, n) for n in dir(res) if not n.startswith("_") and not n.startswith("with_")
        }
    assert len(declared) == 30
    assert covered == declared


@pytest.mark.parametrize("case", CASES + [UPLOAD], ids=_ids(CASES + [UPLOAD]))
def test_sync_operation(case: Case):
    recorder = Recorder(lambda request: _response_for(case))
    client = FaxPlus(
        access_token=TOKEN,
        client_id=CLIENT_ID,
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
    )
    result = getattr(getattr(client, case.resource), case.method)(**case.kwargs)
    assert len(recorder.requests) == 1
    _check_request(recorder.requests[0], case)
    _check_result(result, case)


@pytest.mark.parametrize("case", CASES + [UPLOAD], ids=_ids(CASES + [UPLOAD]))
def test_async_operation(case: Case):
    recorder = Recorder(lambda request: _response_for(case))

    async def run() -> Any:
        async with AsyncFaxPlus(
            access_token=TOKEN,
            client_id=CLIENT_ID,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)),
        ) as client:
            return await getattr(getattr(client, case.resource), case.method)(**case.kwargs)

    result = asyncio.run(run())
    assert len(recorder.requests) == 1
    _check_request(recorder.requests[0], case)
    _check_result(result, case)


def test_upload_sends_multipart_with_the_file():
    recorder = Recorder(lambda request: _response_for(UPLOAD))
    client = FaxPlus(
        access_token=TOKEN, http_client=httpx.Client(transport=httpx.MockTransport(recorder))
    )
    client.files.upload_file(fax_file=("doc.pdf", PDF, "application/pdf"))
    request = recorder.requests[0]
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'Content-Disposition: form-data; name="fax_file"; filename="doc.pdf"' in body
    assert b"Content-Type: application/pdf" in body and PDF in body


@pytest.mark.parametrize("case", CASES + [UPLOAD], ids=_ids(CASES + [UPLOAD]))
@pytest.mark.parametrize(
    "status,error", [(400, faxplus.BadRequestError), (500, faxplus.InternalServerError)]
)
def test_documented_error_raises_typed_exception(case: Case, status: int, error: type[Exception]):
    body = {"error": "invalid_user_id", "description": "Invalid user id given"}
    recorder = Recorder(
        lambda request: httpx.Response(status, json=body, headers={"x-request-id": "r1"})
    )
    client = FaxPlus(
        access_token=TOKEN,
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
    )
    with pytest.raises(error) as info:
        getattr(getattr(client, case.resource), case.method)(**case.kwargs)
    exc = info.value
    assert exc.status_code == status
    assert exc.headers["x-request-id"] == "r1"
    assert isinstance(exc.body, m.Error)
    assert exc.body.error == "invalid_user_id"
    assert json.loads(exc.text) == body
    assert TOKEN not in str(exc)


def test_async_error_raises_typed_exception():
    async def run() -> None:
        transport = httpx.MockTransport(
            lambda r: httpx.Response(400, json={"error": "e", "description": "d"})
        )
        async with AsyncFaxPlus(
            access_token=TOKEN, http_client=httpx.AsyncClient(transport=transport)
        ) as client:
            await client.outbox.get_outbox_fax(outbox_fax_id="x")

    with pytest.raises(faxplus.BadRequestError) as info:
        asyncio.run(run())
    assert isinstance(info.value.body, m.Error)
