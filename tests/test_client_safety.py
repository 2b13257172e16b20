"""The generated client keeps its users safe (issue 7).

Against generated/faxplus (bearer token plus the x-fax-clientid header), and a small client
generated here with every kind of credential (bearer, basic, API key in a header and in the query):
- path parameters are percent-encoded: `../` and `/` cannot change the path; query, form and
  multipart values are encoded; header values with CR or LF are refused before anything is sent;
- tokens, passwords and API keys never appear in repr/str, exception messages (or their chained
  tracebacks) or logs (every logger at DEBUG);
- TLS verification is on by default and off only with an explicit verify=False (a loopback HTTPS
  server with a self-signed certificate);
- redirects do not carry credentials to another origin (two loopback servers = two origins);
- a 50 MB download streams in bounded memory; deeply nested JSON does not blow up parsing.
"""

from __future__ import annotations

import asyncio
import http.server
import importlib
import json
import logging
import shutil
import ssl
import subprocess
import sys
import threading
import traceback
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

import faxplus
import httpx
import pytest
from conftest import generate_client
from faxplus import AsyncFaxPlus, FaxPlus

TOKEN = "tok-SECRET-0a1b2c3d"
PASSWORD = "pw-SECRET-4e5f6a7b"
API_KEY = "key-SECRET-8c9d0e1f"
QUERY_KEY = "qk-SECRET-2a3b4c5d"
SECRETS = (TOKEN, PASSWORD, API_KEY, QUERY_KEY)
BASE = "https://restapi.fax.plus/v3"


# ---- helpers ---------------------------------------------------------------------------------------


class Recorder:
    """A MockTransport handler that records every request and answers with `respond`."""

    def __init__(self, respond: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.respond = respond or (lambda request: httpx.Response(200, json={}))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.respond(request)


def fax_client(recorder: Recorder, **kwargs: Any) -> FaxPlus:
    return FaxPlus(
        access_token=TOKEN,
        client_id="client-1",
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
        **kwargs,
    )


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"secret {secret!r} leaked into: {text[:500]!r}"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append((self.command, self.path, dict(self.headers.items()), body))
        self.server.route(self)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, route: Callable[[_Handler], None]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.route = route
        self.seen: list[tuple[str, str, dict[str, str], bytes]] = []

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[_Handler], None]], _Server]]:
    servers: list[_Server] = []

    def start(route: Callable[[_Handler], None]) -> _Server:
        server = _Server(route)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def reply(
    handler: _Handler, status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


# ---- a client with every kind of credential ----------------------------------------------------------

KEYS_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Keys", "version": "1.0"},
    "servers": [{"url": "https://keys.example.test"}],
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "basic": {"type": "http", "scheme": "basic"},
            "header_key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "query_key": {"type": "apiKey", "in": "query", "name": "api_key"},
        },
        "schemas": {
            "Thing": {
                "type": "object",
                "properties": {"id": {"type": "integer"}},
                "required": ["id"],
            }
        },
    },
    "paths": {
        "/things/{thing_id}": {
            "get": {
                "operationId": "getThing",
                "tags": ["things"],
                "parameters": [
                    {
                        "name": "thing_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "security": [{"bearer": [], "header_key": [], "query_key": []}, {"basic": []}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    }
                },
            }
        },
        "/basic": {
            "get": {
                "operationId": "basicOnly",
                "tags": ["things"],
                "security": [{"basic": []}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    }
                },
            }
        },
    },
}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("keys")
    (folder / "keys.json").write_text(json.dumps(KEYS_SPEC))
    generate_client(
        folder / "keys.json", folder / "out", package_name="keys_client", client_name="Keys"
    )
    sys.path.insert(0, str(folder / "out"))
    try:
        module = importlib.import_module("keys_client")
        yield module
    finally:
        sys.path.remove(str(folder / "out"))


def keys_client(module: Any, transport: httpx.BaseTransport | None = None, **kwargs: Any) -> Any:
    options: dict[str, Any] = {
        "access_token": TOKEN,
        "username": "ann",
        "password": PASSWORD,
        "max_retries": 0,
    }
    arguments = _keys_arguments(module)
    options[arguments["header"]] = API_KEY
    options[arguments["query"]] = QUERY_KEY
    if transport is not None:
        options["http_client"] = httpx.Client(transport=transport)
    options.update(kwargs)
    return module.Keys(**options)


def _keys_arguments(module: Any) -> dict[str, str]:
    """The constructor argument names the generator chose for the two API keys."""
    import inspect

    names = [n for n in inspect.signature(module.Keys.__init__).parameters if "key" in n]
    header = [n for n in names if "header" in n]
    query = [n for n in names if "query" in n]
    assert header and query, names
    return {"header": header[0], "query": query[0]}


def test_keys_client_sends_every_credential(keys: Any) -> None:
    """The fixture is meaningful: each credential really is on the request (so the leak checks
    below look for strings that the client does hold)."""
    recorder = Recorder(lambda r: httpx.Response(200, json={"id": 1}))
    client = keys_client(keys, httpx.MockTransport(recorder))
    client.things.get_thing(thing_id="t")
    request = recorder.requests[0]
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["x-api-key"] == API_KEY
    assert request.url.params["api_key"] == QUERY_KEY
    client.things.basic_only()
    assert recorder.requests[1].headers["authorization"].startswith("Basic ")


# ---- paths, queries, forms, headers ------------------------------------------------------------------

PATH_VALUES = [
    "../",
    "..",
    ".",
    "../../admin",
    "a/b",
    "/etc/passwd",
    "%2e%2e",
    "%2F",
    "a?b=c",
    "a#b",
    "a b",
    "é/ü",
    "..%2f..",
    "\\..\\",
    "a;b",
    "\r\nX: y",
]


@pytest.mark.parametrize("value", PATH_VALUES)
def test_path_parameters_cannot_change_the_path(value: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(200, content=b"%PDF"))
    client = fax_client(recorder)
    client.files.get_file(fax_id=value, user_id=value)
    url = recorder.requests[0].url
    raw = url.raw_path.split(b"?")[0].decode("ascii")
    assert raw.startswith("/v3/accounts/")
    segments = raw[len("/v3/accounts/") :].split("/")
    assert len(segments) == 3 and segments[1] == "files", (
        raw
    )  # {user_id}/files/{fax_id}: still 3 segments
    assert unquote(segments[0]) == value and unquote(segments[2]) == value
    assert not url.query and not url.fragment
    assert url.host == "restapi.fax.plus"


QUERY_VALUES = ["a&b=c", "x#y", "100%", " +", "é", "a\nb", "?", "=", "[]", "a,b"]


@pytest.mark.parametrize("value", QUERY_VALUES)
def test_query_values_are_encoded(value: str) -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json={"data": {"records": []}}))
    fax_client(recorder).faxes.list_faxes(after=value, before="z")
    params = recorder.requests[0].url.params
    assert params.get_list("after") == [value]
    assert params.get_list("before") == ["z"]
    assert sorted(params.keys()) == ["after", "before"]


def test_cookie_values_cannot_add_cookies() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json={}))
    fax_client(recorder).request(
        "GET", "/x", cookies={"session": "a; admin=1", "b": "c=d"}, cast_to=None, result="empty"
    )
    cookie = recorder.requests[0].headers["cookie"]
    pairs = [part.split("=", 1) for part in cookie.split("; ")]
    assert [(k, unquote(v)) for k, v in pairs] == [("session", "a; admin=1"), ("b", "c=d")]


def test_form_values_are_encoded() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json={}))
    client = fax_client(recorder)
    form = {"a": "x&b=y", "c": "1+1=2", "d": "é\n", "e[f]": "]"}
    client.request("POST", "/form", form=form, cast_to=None, result="empty")
    request = recorder.requests[0]
    assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    parsed = parse_qs(request.content.decode("ascii"), keep_blank_values=True)
    assert parsed == {k: [v] for k, v in form.items()}


def test_multipart_file_name_cannot_inject_part_headers() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json={"path": "/x"}))
    client = fax_client(recorder)
    name = 'evil"\r\nContent-Type: text/html\r\nX-Injected: 1\r\n\r\n.pdf'
    client.files.upload_file(fax_file=(name, b"%PDF-1.4", "application/pdf"))
    body = recorder.requests[0].content
    assert b"X-Injected: 1\r\n" not in body
    assert b"\r\nContent-Type: text/html" not in body
    assert body.count(b"Content-Disposition:") == 1


HEADER_ATTACKS = ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\x00b"]


@pytest.mark.parametrize("value", HEADER_ATTACKS)
def test_header_values_with_line_breaks_are_refused_before_sending(value: str) -> None:
    recorder = Recorder()
    attempts: list[Callable[[], object]] = [
        lambda: fax_client(recorder, default_headers={"X-A": value}).accounts.get_accounts(),
        lambda: FaxPlus(
            access_token=TOKEN,
            client_id=value,
            http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
        ).accounts.get_accounts(),
        lambda: FaxPlus(
            access_token=value, http_client=httpx.Client(transport=httpx.MockTransport(recorder))
        ).accounts.get_accounts(),
        lambda: fax_client(recorder).accounts.get_accounts(
            request_options={"extra_headers": {"X-A": value}}
        ),
        lambda: fax_client(recorder).request(
            "GET", "/x", headers={"X-Param": value}, cast_to=None, result="empty"
        ),
    ]
    for attempt in attempts:
        with pytest.raises((ValueError, faxplus.APIError)) as caught:
            attempt()
        assert "line break" in str(caught.value) or "NUL" in str(caught.value)
    assert recorder.requests == []


# ---- secrets -----------------------------------------------------------------------------------------


def test_secrets_not_in_repr_or_str(keys: Any) -> None:
    for client in (
        fax_client(Recorder()),
        keys_client(keys),
        keys_client(keys).with_options(max_retries=1),
    ):
        for text in (
            repr(client),
            str(client),
            repr(getattr(client, "things", "")),
            repr(getattr(client, "accounts", "")),
        ):
            assert_no_secret(text)
    async_client = AsyncFaxPlus(access_token=TOKEN)
    assert_no_secret(repr(async_client) + str(async_client))


def _exception_texts(exc: BaseException) -> str:
    return "\n".join(
        [
            str(exc),
            repr(exc),
            getattr(exc, "message", ""),
            repr(exc.args),
            "".join(traceback.format_exception(exc)),
        ]
    )


def _keys_call(module: Any, handler: Callable[[httpx.Request], httpx.Response]) -> BaseException:
    client = keys_client(module, httpx.MockTransport(handler))
    with pytest.raises(module.APIError) as caught:
        client.things.get_thing(thing_id="t")
    return caught.value


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422, 500])
def test_secrets_not_in_status_errors(keys: Any, status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": "nope"})

    exc = _keys_call(keys, handler)
    assert getattr(exc, "status_code", None) == status
    assert_no_secret(_exception_texts(exc))


def test_secrets_not_in_connection_errors(keys: Any) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        # transports put the URL (with its query) into their messages
        raise httpx.ConnectError(f"cannot connect to {request.url}", request=request)

    assert_no_secret(_exception_texts(_keys_call(keys, refuse)))

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout(f"timed out reading {request.url}", request=request)

    assert_no_secret(_exception_texts(_keys_call(keys, slow)))


def test_secrets_not_in_validation_errors(keys: Any) -> None:
    exc = _keys_call(keys, lambda r: httpx.Response(200, json={"id": "not an int"}))
    assert_no_secret(_exception_texts(exc))
    exc = _keys_call(keys, lambda r: httpx.Response(200, content=b"<html>", headers={"x": "y"}))
    assert_no_secret(_exception_texts(exc))


def test_secrets_not_in_logs(keys: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx's, httpcore's
    calls = iter([500, 500, 200, 404])

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(calls)
        return httpx.Response(
            status,
            json={"id": 1} if status == 200 else {"e": 1},
            headers={"retry-after": "0"} if status == 500 else {},
        )

    client = keys_client(keys, httpx.MockTransport(handler), max_retries=2)
    client.things.get_thing(thing_id="t")  # two retries, logged
    with pytest.raises(keys.APIError):
        client.things.get_thing(thing_id="t")
    records = caplog.records
    assert any("Retrying" in r.getMessage() for r in records), [r.getMessage() for r in records]
    text = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in records)
    assert_no_secret(text)


# ---- TLS ---------------------------------------------------------------------------------------------


def _ssl_context_of(client: Any) -> ssl.SSLContext:
    http = client._http
    return http._transport._pool._ssl_context  # type: ignore[no-any-return]


def test_tls_verification_is_on_by_default_and_off_only_explicitly() -> None:
    for client in (FaxPlus(access_token=TOKEN), AsyncFaxPlus(access_token=TOKEN)):
        context = _ssl_context_of(client)
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    for client in (
        FaxPlus(access_token=TOKEN, verify=False),
        AsyncFaxPlus(access_token=TOKEN, verify=False),
    ):
        assert _ssl_context_of(client).verify_mode == ssl.CERT_NONE


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[str]:
    """A loopback HTTPS server with a self-signed certificate no default trust store accepts."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: cannot make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    server = _Server(lambda h: reply(h, 200, b"%PDF-1.4", {"Content-Type": "application/pdf"}))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_tls_self_signed_certificate_is_refused_by_default(https_server: str) -> None:
    with pytest.raises(faxplus.APIConnectionError):
        FaxPlus(access_token=TOKEN, base_url=https_server, max_retries=0).files.get_file(fax_id="f")
    # only an explicit verify=False gets through
    insecure = FaxPlus(access_token=TOKEN, base_url=https_server, max_retries=0, verify=False)
    assert insecure.files.get_file(fax_id="f") == b"%PDF-1.4"

    async def go() -> None:
        async with AsyncFaxPlus(access_token=TOKEN, base_url=https_server, max_retries=0) as client:
            with pytest.raises(faxplus.APIConnectionError):
                await client.files.get_file(fax_id="f")

    asyncio.run(go())


# ---- redirects ---------------------------------------------------------------------------------------


def test_redirect_to_another_origin_drops_credentials(
    keys: Any, serve: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # real sockets here: httpcore's logs are checked too
    other = serve(lambda h: reply(h, 200, b'{"id": 2}', {"Content-Type": "application/json"}))
    origin = serve(
        lambda h: (
            reply(h, 302, headers={"Location": f"{other.origin}/landing?api_key={QUERY_KEY}"})
            if h.path.startswith("/things")
            else reply(h, 200, b'{"id": 3}', {"Content-Type": "application/json"})
        )
    )
    client = keys_client(keys, base_url=origin.origin)
    assert client.things.get_thing(thing_id="t").id == 2
    ((_, first_path, first_headers, _),) = origin.seen
    assert {k.lower(): v for k, v in first_headers.items()}["authorization"] == f"Bearer {TOKEN}"
    assert QUERY_KEY in first_path  # the first hop really carried every credential
    ((_, path, headers, _),) = other.seen
    lowered = {k.lower(): v for k, v in headers.items()}
    assert "authorization" not in lowered
    assert "x-api-key" not in lowered
    assert "cookie" not in lowered
    assert_no_secret(path + json.dumps(headers))

    faxes = FaxPlus(access_token=TOKEN, client_id="c", base_url=origin.origin, max_retries=0)
    other.seen.clear()
    origin.route = lambda h: reply(h, 307, headers={"Location": f"{other.origin}/moved"})
    faxes.files.get_file(fax_id="f")
    ((_, _, headers, _),) = other.seen
    assert "authorization" not in {k.lower() for k in headers}
    # Every record but httpcore's dump of the raw response headers: that is what the server sent
    # (here a Location that echoes the query key back), not something the client put in a log.
    assert_no_secret(
        "\n".join(
            f"{r.name} {r.getMessage()}"
            for r in caplog.records
            if "receive_response_headers" not in r.getMessage()
        )
    )
    assert any(r.name == "httpx" for r in caplog.records)


def test_redirect_within_the_origin_keeps_credentials(keys: Any, serve: Any) -> None:
    """The other side of the check above: the same test harness sees credentials when they are sent."""
    server = serve(
        lambda h: (
            reply(h, 302, headers={"Location": "/again"})
            if h.path.startswith("/things")
            else reply(h, 200, b'{"id": 4}', {"Content-Type": "application/json"})
        )
    )
    client = keys_client(keys, base_url=server.origin)
    assert client.things.get_thing(thing_id="t").id == 4
    (_, _, headers, _) = server.seen[1]
    assert {k.lower(): v for k, v in headers.items()}["authorization"] == f"Bearer {TOKEN}"


# ---- big and deep responses --------------------------------------------------------------------------

DOWNLOAD = 50 * 1024 * 1024
CHUNK = 64 * 1024


def _stream_download(handler: _Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/pdf")
    handler.send_header("Content-Length", str(DOWNLOAD))
    handler.end_headers()
    block = b"\0" * CHUNK
    try:
        for _ in range(DOWNLOAD // CHUNK):
            handler.wfile.write(block)
    except (BrokenPipeError, ConnectionResetError):
        pass


def test_large_download_streams_in_bounded_memory(serve: Any) -> None:
    server = serve(_stream_download)
    client = FaxPlus(access_token=TOKEN, base_url=server.origin, max_retries=0)
    tracemalloc.start()
    try:
        total = 0
        with client.files.with_streaming_response.get_file(fax_id="big") as response:
            assert response.status_code == 200
            for chunk in response.iter_bytes():
                total += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == DOWNLOAD
    assert peak < 8 * 1024 * 1024, (
        f"peak {peak / 1e6:.1f} MB while streaming {DOWNLOAD / 1e6:.0f} MB"
    )


def test_large_download_to_file_streams_in_bounded_memory(serve: Any, tmp_path: Path) -> None:
    server = serve(_stream_download)
    client = FaxPlus(access_token=TOKEN, base_url=server.origin, max_retries=0)
    tracemalloc.start()
    try:
        with client.files.with_streaming_response.get_file(fax_id="big") as response:
            written = response.write_to_file(tmp_path / "fax.pdf")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == DOWNLOAD == (tmp_path / "fax.pdf").stat().st_size
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_does_not_blow_up(depth: int) -> None:
    body = b"[" * depth + b"]" * depth
    client = fax_client(
        Recorder(
            lambda r: httpx.Response(
                200, content=body, headers={"Content-Type": "application/json"}
            )
        )
    )
    with pytest.raises(faxplus.APIResponseValidationError) as caught:
        client.accounts.get_accounts()
    assert len(str(caught.value)) < 5000  # the message does not echo the whole body
    errors = fax_client(
        Recorder(
            lambda r: httpx.Response(
                400, content=body, headers={"Content-Type": "application/json"}
            )
        )
    )
    with pytest.raises(faxplus.APIStatusError) as status:
        errors.accounts.get_accounts()
    assert status.value.status_code == 400
    assert len(str(status.value)) < 5000
