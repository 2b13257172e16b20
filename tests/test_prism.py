"""Every Fax.Plus operation, sync and async, over real HTTP against the Prism mock server.

Prism validates each request against specs/faxplus.yaml. Every operation documents a 400, so a bad
request comes back as that 400 with the real findings in the `sl-violations` header; operations
without one would get a 422 problem+json. The transport wrapper below records both, and every test
asserts that Prism found nothing wrong with what the client sent.

Prism's own made-up responses break some of the spec's patterns (it answers "string" for an e-mail):
those are *response* violations, Prism's business, and are not counted against the client.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import time
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import faxplus
import httpx
import pydantic
import pytest
import yaml
from conftest import REPO, SPECS
from faxplus import models as m
from faxplus.resources.accounts import AccountsResource
from faxplus.resources.faxes import FaxesResource
from faxplus.resources.files import FilesResource
from faxplus.resources.numbers import NumbersResource
from faxplus.resources.outbox import OutboxResource
from faxplus.resources.shop import ShopResource
from faxplus.resources.webhooks import WebhooksResource

pytestmark = pytest.mark.xdist_group("prism")

PRISM_JS = REPO / "node_modules" / "@stoplight" / "prism-cli" / "dist" / "index.js"
START_TIMEOUT = 60.0
PDF_EXAMPLE = "%PDF-1.4 example from the Prism fixture"
TOKEN = "prism-test-token"


# ---- the Prism server ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _spec_for_prism(directory: Path) -> Path:
    """specs/faxplus.yaml with an example on each binary response.

    Prism cannot make up a body for application/pdf or image/tiff ("Cannot find serializer",
    stoplightio/prism#2054) and answers 500; with a media-type example it serves the example.
    Nothing else changes.
    """
    spec = yaml.safe_load((SPECS / "faxplus.yaml").read_text(encoding="utf-8"))
    for item in spec["paths"].values():
        for operation in item.values():
            for response in (operation.get("responses") or {}).values():
                for media_type, media in (response.get("content") or {}).items():
                    if not media_type.endswith("json"):
                        media["example"] = PDF_EXAMPLE
    target = directory / "faxplus-prism.json"
    target.write_text(json.dumps(spec), encoding="utf-8")
    return target


def _wait_until_ready(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"Prism exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            httpx.get(url + "/__ready", timeout=1.0)  # any HTTP answer (404 too) means ready
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"Prism did not answer within {START_TIMEOUT:.0f} s:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    # Prism runs in its own session: the group holds node and anything it started.
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    if not PRISM_JS.is_file():
        pytest.fail(f"{PRISM_JS} is missing: run `npm ci` (make test does)")
    directory = tmp_path_factory.mktemp("prism")
    spec = _spec_for_prism(directory)
    port = _free_port()
    log = directory / "prism.log"
    command = ["node", str(PRISM_JS), "mock", str(spec), "-p", str(port), "-h", "127.0.0.1"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "-v", "error"], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_ready(proc, url, log)
        yield Prism(url, proc, log)
    finally:
        _stop(proc)


@dataclass
class Prism:
    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def assert_alive(self) -> None:
        # A known Prism crash (multipart part without Content-Type) would kill it silently.
        assert self.proc.poll() is None, f"Prism died:\n{self.log.read_text()[-3000:]}"


# ---- recording what Prism thought of each request ------------------------------------------------


@dataclass
class Exchange:
    method: str
    url: str
    status: int
    violations: list[dict[str, Any]]
    unexpected_fields: set[str]  # "a.b.c" of fields Prism says its own response should not have


@dataclass
class Recorder:
    exchanges: list[Exchange] = field(default_factory=list)

    def record(self, request: httpx.Request, response: httpx.Response, body: bytes | None) -> None:
        found = json.loads(response.headers.get("sl-violations", "[]"))
        violations = [v for v in found if v.get("location", [""])[0] == "request"]
        if body is not None:  # a 422 problem+json: its `validation` list names the violations
            violations.extend(json.loads(body).get("validation", []))
        unexpected = {
            ".".join([*v["location"][2:], match.group(1)])
            for v in found
            if v.get("code") == "additionalProperties"
            and (match := re.search(r"found '([^']+)'", v.get("message", "")))
        }
        self.exchanges.append(
            Exchange(request.method, str(request.url), response.status_code, violations, unexpected)
        )

    def assert_clean(self) -> None:
        assert self.exchanges, "no request reached Prism"
        bad = [e for e in self.exchanges if e.violations]
        assert not bad, "Prism found request violations:\n" + "\n".join(
            f"{e.method} {e.url} -> {e.status}: {e.violations}" for e in bad
        )


def _is_problem_422(response: httpx.Response) -> bool:
    content_type = response.headers.get("content-type", "")
    return response.status_code == 422 and "problem+json" in content_type


class RecordingTransport(httpx.BaseTransport):
    def __init__(self, recorder: Recorder) -> None:
        self._inner = httpx.HTTPTransport()
        self._recorder = recorder

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        body = None
        if _is_problem_422(response):
            body = response.read()
        self._recorder.record(request, response, body)
        return response

    def close(self) -> None:
        self._inner.close()


class AsyncRecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self, recorder: Recorder) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._recorder = recorder

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        body = None
        if _is_problem_422(response):
            body = await response.aread()
        self._recorder.record(request, response, body)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


class QuickRetryFaxPlus(faxplus.FaxPlus):
    initial_retry_delay = 0.01
    max_retry_delay = 0.02


class QuickRetryAsyncFaxPlus(faxplus.AsyncFaxPlus):
    initial_retry_delay = 0.01
    max_retry_delay = 0.02


@pytest.fixture
def recorder(prism: Prism) -> Iterator[Recorder]:
    recorder = Recorder()
    yield recorder
    prism.assert_alive()


def _sync_client(prism: Prism, recorder: Recorder, **options: Any) -> faxplus.FaxPlus:
    http = httpx.Client(transport=RecordingTransport(recorder))
    options.setdefault("access_token", TOKEN)
    return QuickRetryFaxPlus(base_url=prism.url, http_client=http, **options)


def _async_client(prism: Prism, recorder: Recorder, **options: Any) -> faxplus.AsyncFaxPlus:
    http = httpx.AsyncClient(transport=AsyncRecordingTransport(recorder))
    options.setdefault("access_token", TOKEN)
    return QuickRetryAsyncFaxPlus(base_url=prism.url, http_client=http, **options)


def call_sync(prism: Prism, recorder: Recorder, call: Callable[[Any], Any], **options: Any) -> Any:
    client = _sync_client(prism, recorder, **options)
    try:
        return call(client)
    finally:
        client._http.close()


def call_async(prism: Prism, recorder: Recorder, call: Callable[[Any], Any], **options: Any) -> Any:
    async def run() -> Any:
        client = _async_client(prism, recorder, **options)
        try:
            return await call(client)
        finally:
            await client._http.aclose()

    return asyncio.run(run())


CALLERS = {"sync": call_sync, "async": call_async}


# ---- the 30 operations ---------------------------------------------------------------------------


def _upload_path(tmp: Path) -> Path:
    path = tmp / "letter.pdf"
    path.write_bytes(b"%PDF-1.4\n% a small fax\n")
    return path


# resource attribute -> method -> keyword arguments (a function of a temporary directory).
OPERATIONS: dict[str, dict[str, Callable[[Path], dict[str, Any]]]] = {
    "accounts": {
        "get_accounts": lambda tmp: {},
        "get_user": lambda tmp: {"user_id": "self"},
        "update_user": lambda tmp: {
            "name": "Ada",
            "email": "ada@example.com",
            "phone": "+4930123456",
            # a nested model as a plain dict (AccountDataParam), its enum as a literal value
            "account_data": {"company_name": "Analytical", "default_file_type": "pdf"},
        },
        "get_member_details": lambda tmp: {"member_user_id": "7724157c0974440293e45877c57f0703"},
        "update_member_details": lambda tmp: {
            "member_user_id": "7724157c0974440293e45877c57f0703",
            "quota": 100,
            "role": "admin",
        },
    },
    "numbers": {
        "list_numbers": lambda tmp: {},
        "get_number": lambda tmp: {"number": "+12345667"},
        "update_number": lambda tmp: {
            "number": "+12345667",
            "assigned_to": "7724157c0974440293e45877c57f0703",
        },
        "revoke_number": lambda tmp: {"number": "+12345667"},
    },
    "faxes": {
        "list_faxes": lambda tmp: {
            "category": m.FaxCategory.INBOX,
            "after": "2024-01-01 00:00:00",
            "before": "2024-12-31 23:59:59",
            "limit": 10,
            "offset": 0,
            "sort_by": "date",
            "order": "desc",
        },
        "get_fax": lambda tmp: {"fax_id": "a1b2c3"},
        "update_fax": lambda tmp: {
            "fax_id": "a1b2c3",
            "comment": "seen",
            "is_read": True,
        },
        "delete_fax": lambda tmp: {"fax_id": "a1b2c3"},
    },
    "files": {
        "upload_file": lambda tmp: {"fax_file": _upload_path(tmp), "format": m.FileType.PDF},
        "get_file": lambda tmp: {"fax_id": "a1b2c3", "format": m.FileType.PDF},
        "get_fax_report": lambda tmp: {"fax_id": "a1b2c3"},
        "get_fax_thumbnail": lambda tmp: {"fax_id": "a1b2c3"},
    },
    "outbox": {
        "list_outbox_faxes": lambda tmp: {},
        "send_fax": lambda tmp: {
            "from_": "+12345667",
            "to": ["+12345668", "+12345669"],
            "files": ["/storage/2024-01-01/letter.pdf"],
            "comment": m.OutboxComment(text="hello", tags=["a"]),
            "options": {"enhancement": True, "retry": m.RetryOptions(count=2, delay=15)},
            "send_time": "2030-01-01 10:00:00 +0000",
            "return_ids": True,
        },
        "get_outbox_fax": lambda tmp: {"outbox_fax_id": "132esd4cs31"},
        "update_outbox_fax": lambda tmp: {
            "outbox_fax_id": "132esd4cs31",
            "comment": "later",
        },
        "delete_outbox_fax": lambda tmp: {"outbox_fax_id": "132esd4cs31"},
    },
    "webhooks": {
        "get_webhooks": lambda tmp: {"event": m.WebhookEventType.FAX_RECEIVED},
        "create_webhook": lambda tmp: {
            "target": "https://example.com/hook",
            "event": m.WebhookEventType.FAX_SENT,
        },
        "delete_webhook": lambda tmp: {"hook_id": "5a9c6e0d"},
    },
    "shop": {
        "get_balance": lambda tmp: {},
        "list_countries": lambda tmp: {},
        "list_areas": lambda tmp: {"country_code": "US"},
        "list_shop_numbers": lambda tmp: {
            "country_code": "US",
            "calling_code": "212",
            "channel": "custom",
            "contains": "555",
        },
        "purchase_number": lambda tmp: {"item_id": "item-1"},
    },
}

RESOURCE_CLASSES = {
    "accounts": AccountsResource,
    "numbers": NumbersResource,
    "faxes": FaxesResource,
    "files": FilesResource,
    "outbox": OutboxResource,
    "webhooks": WebhooksResource,
    "shop": ShopResource,
}

CASES = [(resource, method) for resource, methods in OPERATIONS.items() for method in methods]


def _documented_return(resource: str, method: str) -> Any:
    function = getattr(RESOURCE_CLASSES[resource], method)
    module = __import__(function.__module__, fromlist=["_"])
    return eval(function.__annotations__["return"], vars(module))


def _first_page(result: Any, expected: Any) -> tuple[Any, Any]:
    """A paginated operation answers with its first page (`SyncPage[Item, Response]`): what is
    checked is the page's parsed response, against `Response`."""
    if typing.get_origin(expected) is not faxplus.SyncPage:
        return result, expected
    assert isinstance(result, (faxplus.SyncPage, faxplus.AsyncPage))
    return result.response, typing.get_args(expected)[1]


def _extra_fields(value: Any, prefix: str = "") -> set[str]:
    """Dotted paths of every field a model kept as unknown (`model_extra`), nested included."""
    found: set[str] = set()
    if isinstance(value, pydantic.BaseModel):
        found |= {prefix + key for key in value.model_extra or {}}
        for name, field_info in type(value).model_fields.items():
            key = field_info.serialization_alias or name
            found |= _extra_fields(getattr(value, name), f"{prefix}{key}.")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found |= _extra_fields(item, f"{prefix}{index}.")
    elif isinstance(value, dict):
        for key, item in value.items():
            found |= _extra_fields(item, f"{prefix}{key}.")
    return found


def _assert_documented(value: Any, expected: Any, exchange: Exchange) -> None:
    if expected is None:
        assert value is None
    elif expected is bytes:
        assert value == PDF_EXAMPLE.encode()
    else:
        assert isinstance(value, expected), f"{value!r} is not a {expected}"
        # Every field Prism sent was recognised by name (none fell into model_extra), unless the
        # spec's own example has it where the schema does not (Prism flags those itself).
        assert _extra_fields(value) <= exchange.unexpected_fields


def test_every_operation_is_covered() -> None:
    # The spec has 30 operations; the generated client must have them all, and so must this table.
    generated = {
        (resource, name)
        for resource, cls in RESOURCE_CLASSES.items()
        for name in vars(cls)
        if not name.startswith("_") and name not in ("with_raw_response", "with_streaming_response")
    }
    assert generated == set(CASES)
    assert len(CASES) == 30


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(("resource", "method"), CASES, ids=[f"{r}.{m}" for r, m in CASES])
def test_operation_through_prism(
    prism: Prism, recorder: Recorder, tmp_path: Path, kind: str, resource: str, method: str
) -> None:
    kwargs = OPERATIONS[resource][method](tmp_path)

    def call(client: Any) -> Any:
        return getattr(getattr(client, resource), method)(**kwargs)

    result = CALLERS[kind](prism, recorder, call, max_retries=0)
    recorder.assert_clean()
    assert len(recorder.exchanges) == 1
    assert recorder.exchanges[0].status < 300
    result, expected = _first_page(result, _documented_return(resource, method))
    _assert_documented(result, expected, recorder.exchanges[0])


# ---- made-up data: random values and unknown fields -----------------------------------------------

DYNAMIC = {"extra_headers": {"Prefer": "dynamic=true"}}
MODEL_CASES = [
    (resource, method)
    for resource, method in CASES
    if _documented_return(resource, method) not in (None, bytes)
]


@pytest.mark.parametrize(
    ("resource", "method"), MODEL_CASES, ids=[f"{r}.{m}" for r, m in MODEL_CASES]
)
def test_random_responses_with_unknown_fields_parse(
    prism: Prism, recorder: Recorder, tmp_path: Path, resource: str, method: str
) -> None:
    # Prism's dynamic mode makes up values from the schemas and adds properties the spec does not
    # name, as a newer server would: every response must still parse into the documented model.
    kwargs = {**OPERATIONS[resource][method](tmp_path), "request_options": DYNAMIC}
    expected = _documented_return(resource, method)
    for _ in range(3):
        result = call_sync(
            prism, recorder, lambda c: getattr(getattr(c, resource), method)(**kwargs)
        )
        page, response = _first_page(result, expected)
        assert isinstance(page, response)
    recorder.assert_clean()


def test_unknown_fields_from_the_server_stay_accessible(prism: Prism, recorder: Recorder) -> None:
    # Prism adds a few random properties to almost every dynamic answer; five tries make sure.
    balances = [
        call_sync(prism, recorder, lambda c: c.shop.get_balance(request_options=DYNAMIC))
        for _ in range(5)
    ]
    with_extras = [b for b in balances if b.model_extra]
    assert with_extras, "no dynamic answer carried an unknown property"
    for balance in with_extras:
        assert set(balance.to_dict()) == {"amount", "currency", *balance.model_extra}
        for key, value in balance.model_extra.items():
            assert getattr(balance, key) == value


# ---- uploads in every form, raw and streamed access ----------------------------------------------


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("form", ["path", "bytes", "file", "tuple"])
def test_upload_forms(
    prism: Prism, recorder: Recorder, tmp_path: Path, kind: str, form: str
) -> None:
    path = _upload_path(tmp_path)
    opened = path.open("rb")
    fax_file: Any = {
        "path": path,
        "bytes": path.read_bytes(),
        "file": opened,
        "tuple": ("cover.tiff", path.read_bytes(), "image/tiff"),
    }[form]
    try:
        result = CALLERS[kind](prism, recorder, lambda c: c.files.upload_file(fax_file=fax_file))
    finally:
        opened.close()
    recorder.assert_clean()
    assert isinstance(result, m.FilePath)


def test_raw_response_through_prism(prism: Prism, recorder: Recorder) -> None:
    def call(client: faxplus.FaxPlus) -> Any:
        return client.outbox.with_raw_response.get_outbox_fax(outbox_fax_id="132esd4cs31")

    raw = call_sync(prism, recorder, call)
    recorder.assert_clean()
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("application/json")
    assert isinstance(raw.parse(), m.Outbox)
    assert raw.json()["id"] == raw.parse().id


def test_streamed_download_through_prism(prism: Prism, recorder: Recorder, tmp_path: Path) -> None:
    target = tmp_path / "fax.pdf"

    def call(client: faxplus.FaxPlus) -> int:
        with client.files.with_streaming_response.get_file(fax_id="a1b2c3") as response:
            assert response.status_code == 200
            return response.write_to_file(target)

    written = call_sync(prism, recorder, call)
    recorder.assert_clean()
    assert target.read_bytes() == PDF_EXAMPLE.encode()
    assert written == len(PDF_EXAMPLE)


def test_async_streamed_download_through_prism(prism: Prism, recorder: Recorder) -> None:
    async def call(client: faxplus.AsyncFaxPlus) -> bytes:
        async with client.files.with_streaming_response.get_fax_report(fax_id="a1b2c3") as response:
            return b"".join([chunk async for chunk in response.iter_bytes()])

    assert call_async(prism, recorder, call) == PDF_EXAMPLE.encode()
    recorder.assert_clean()


# ---- error paths ---------------------------------------------------------------------------------


ERROR_CLASSES = {400: faxplus.BadRequestError, 500: faxplus.InternalServerError}


@pytest.mark.parametrize("status", [400, 500])
@pytest.mark.parametrize(("resource", "method"), CASES, ids=[f"{r}.{m}" for r, m in CASES])
def test_every_operation_raises_its_documented_error(
    prism: Prism, recorder: Recorder, tmp_path: Path, resource: str, method: str, status: int
) -> None:
    kwargs = OPERATIONS[resource][method](tmp_path)
    kwargs["request_options"] = {"extra_headers": {"Prefer": f"code={status}"}}

    def call(client: Any) -> Any:
        return getattr(getattr(client, resource), method)(**kwargs)

    with pytest.raises(ERROR_CLASSES[status]) as caught:
        call_sync(prism, recorder, call, max_retries=0)
    recorder.assert_clean()
    assert caught.value.status_code == status
    assert isinstance(caught.value.body, m.Error)  # every operation documents Error for both


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_prism_400_raises_bad_request_with_error_model(
    prism: Prism, recorder: Recorder, kind: str
) -> None:
    options = {"extra_headers": {"Prefer": "code=400"}}

    def call(client: Any) -> Any:
        return client.faxes.get_fax(fax_id="a1b2c3", request_options=options)

    with pytest.raises(faxplus.BadRequestError) as caught:
        CALLERS[kind](prism, recorder, call)
    error = caught.value
    recorder.assert_clean()  # the 400 was asked for, not caused by a bad request
    assert len(recorder.exchanges) == 1  # a 400 is not retried
    assert error.status_code == 400
    assert isinstance(error.body, m.Error)
    assert error.body.error and error.body.description
    assert error.headers["content-type"].startswith("application/json")
    assert error.request is not None and error.request.method == "GET"
    assert error.response.status_code == 400


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_prism_500_is_retried_then_raises_with_error_model(
    prism: Prism, recorder: Recorder, kind: str
) -> None:
    options = {"extra_headers": {"Prefer": "code=500"}}

    def call(client: Any) -> Any:
        return client.outbox.list_outbox_faxes(request_options=options)

    with pytest.raises(faxplus.InternalServerError) as caught:
        CALLERS[kind](prism, recorder, call, max_retries=2)
    recorder.assert_clean()
    assert [e.status for e in recorder.exchanges] == [500, 500, 500]  # first try + 2 retries
    assert isinstance(caught.value.body, m.Error)
    assert caught.value.body.error == "internal_server_error"


def test_prism_500_on_post_is_not_retried(prism: Prism, recorder: Recorder) -> None:
    options = {"extra_headers": {"Prefer": "code=500"}}

    def call(client: faxplus.FaxPlus) -> Any:
        return client.webhooks.create_webhook(
            target="https://example.com/hook", event="fax_sent", request_options=options
        )

    with pytest.raises(faxplus.InternalServerError):
        call_sync(prism, recorder, call, max_retries=2)
    recorder.assert_clean()
    assert len(recorder.exchanges) == 1  # the server may have created the webhook


def test_prism_rejects_a_request_without_credentials(prism: Prism, recorder: Recorder) -> None:
    # Proof that the recorder and Prism see what the client sends: no token, no entry.
    with pytest.raises(faxplus.AuthenticationError) as caught:
        call_sync(prism, recorder, lambda c: c.shop.get_balance(), access_token="")
    assert caught.value.status_code == 401
    assert "Authorization" not in caught.value.request.headers


def test_recorder_sees_a_violation(prism: Prism, recorder: Recorder) -> None:
    # The check must be able to fail: a body missing required fields is reported by Prism.
    options = {"extra_body": {"is_read": "not a boolean"}}

    def call(client: faxplus.FaxPlus) -> Any:
        return client.faxes.update_fax(
            fax_id="a1b2c3", comment="x", is_read=True, request_options=options
        )

    with pytest.raises(faxplus.BadRequestError):
        call_sync(prism, recorder, call)
    with pytest.raises(AssertionError, match="is_read"):
        recorder.assert_clean()
