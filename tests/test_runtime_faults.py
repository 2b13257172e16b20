"""Faults Prism cannot give, from a small server on 127.0.0.1 run by these tests: 429 with
Retry-After, 503, dropped connections and stalls. Each test scripts the server's answers, then
checks what arrived: how many requests, how far apart, and with which bodies.

Delays are shrunk (a client subclass with a 50 ms initial backoff, Retry-After of 0.2 s) so the
whole module runs in a few seconds; every loop and wait is bounded.
"""

from __future__ import annotations

import asyncio
import email.utils
import io
import json
import logging
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import faxplus
import httpx
import pytest
from faxplus import models as m

TOKEN = "fault-test-token"
BALANCE = {"amount": 12.5, "currency": "USD"}
STALL_LIMIT = 3.0  # no stall outlives this, even if a test forgets to release it


# ---- the scripted server -------------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: Any = field(default_factory=lambda: BALANCE)
    headers: dict[str, Any] = field(default_factory=dict)  # a value may be a function of now


@dataclass
class Drop:
    """Read the request, then close the connection without a word."""


@dataclass
class Stall:
    """Read the request, then say nothing until released (or STALL_LIMIT)."""


@dataclass
class Stream:
    """A large body sent in chunks from one preallocated buffer."""

    chunk: bytes
    count: int


Action = Any


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


class FaultServer:
    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self._script: list[Action] = []
        self._lock = threading.Lock()
        self.release = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def script(self, *actions: Action) -> None:
        with self._lock:
            self.seen.clear()
            self._script = list(actions)
        self.release.clear()

    def next_action(self, seen: Seen) -> Action:
        with self._lock:
            self.seen.append(seen)
            if self._script:
                return self._script.pop(0)
        return Reply(599, {"error": "script exhausted: more requests than the test expected"})

    def gaps(self) -> list[float]:
        return [b.at - a.at for a, b in zip(self.seen, self.seen[1:])]

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler_for(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                return self._chunked_body()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _chunked_body(self) -> bytes:
            chunks = []
            for _ in range(100_000):  # bounded: a test body is far smaller
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # the CRLF after each chunk
                if size == 0:
                    break
            return b"".join(chunks)

        def _handle(self) -> None:
            seen = Seen(self.command, self.path, dict(self.headers), self._body(), time.monotonic())
            action = server.next_action(seen)
            if isinstance(action, Drop):
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if isinstance(action, Stall):
                server.release.wait(STALL_LIMIT)
                self.close_connection = True
                return
            if isinstance(action, Stream):
                self._stream(action)
                return
            payload = json.dumps(action.body).encode() if action.body is not None else b""
            self.send_response(action.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in action.headers.items():
                self.send_header(name, value() if callable(value) else value)
            self.end_headers()
            self.wfile.write(payload)

        def _stream(self, action: Stream) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(action.chunk) * action.count))
            self.end_headers()
            for _ in range(action.count):
                self.wfile.write(action.chunk)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    return Handler


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    running = FaultServer()
    yield running
    running.close()


@pytest.fixture(autouse=True)
def _release_stalls(server: FaultServer) -> Iterator[None]:
    yield
    server.release.set()


# ---- clients with short delays -------------------------------------------------------------------


class QuickFaxPlus(faxplus.FaxPlus):
    initial_retry_delay = 0.1
    max_retry_delay = 0.4


class QuickAsyncFaxPlus(faxplus.AsyncFaxPlus):
    initial_retry_delay = 0.1
    max_retry_delay = 0.4


def run_sync(url: str, call: Callable[[Any], Any], **options: Any) -> Any:
    with QuickFaxPlus(access_token=TOKEN, base_url=url, **options) as client:
        return call(client)


def run_async(url: str, call: Callable[[Any], Any], **options: Any) -> Any:
    async def go() -> Any:
        async with QuickAsyncFaxPlus(access_token=TOKEN, base_url=url, **options) as client:
            return await call(client)

    return asyncio.run(go())


RUN = {"sync": run_sync, "async": run_async}
KINDS = pytest.mark.parametrize("kind", ["sync", "async"])
WEBHOOK: dict[str, Any] = {
    "target": "https://example.com/hook",
    "event": m.WebhookEventType.FAX_SENT,
}


def get_balance(client: Any) -> Any:
    return client.shop.get_balance()


def create_webhook(client: Any, **options: Any) -> Any:
    return client.webhooks.create_webhook(**WEBHOOK, request_options=options or None)


# ---- 429 and Retry-After -------------------------------------------------------------------------


@KINDS
def test_429_waits_the_retry_after_seconds(server: FaultServer, kind: str) -> None:
    server.script(Reply(429, {"error": "slow down"}, {"Retry-After": "0.3"}), Reply())
    result = RUN[kind](server.url, get_balance)
    assert result == m.Balance(**BALANCE)
    assert len(server.seen) == 2
    # The server's 0.3 s, not the client's 0.1 s backoff.
    assert 0.3 <= server.gaps()[0] < 1.5


def test_429_retry_after_zero_comes_back_at_once(server: FaultServer) -> None:
    class SlowBackoff(QuickAsyncFaxPlus):
        initial_retry_delay = 5.0  # would show if Retry-After were ignored

    async def go() -> None:
        async with SlowBackoff(access_token=TOKEN, base_url=server.url) as client:
            await client.shop.get_balance()

    server.script(Reply(429, None, {"Retry-After": "0"}), Reply())
    asyncio.run(go())
    assert len(server.seen) == 2
    assert server.gaps()[0] < 1.0


def test_429_retry_after_http_date(server: FaultServer) -> None:
    class SlowBackoff(QuickFaxPlus):
        initial_retry_delay = 5.0  # a backoff would wait >= 3.75 s

    # HTTP dates have whole seconds: "now + 1.5 s", written as the server answers, rounds down to
    # between 0.5 and 1.5 s from then.
    def date() -> str:
        return email.utils.formatdate(time.time() + 1.5, usegmt=True)

    server.script(Reply(429, None, {"Retry-After": date}), Reply())
    with SlowBackoff(access_token=TOKEN, base_url=server.url) as client:
        client.shop.get_balance()
    assert len(server.seen) == 2
    assert 0.4 <= server.gaps()[0] < 2.5


def test_retry_after_beyond_the_cap_raises_at_once(server: FaultServer) -> None:
    server.script(Reply(429, {"error": "come back tomorrow"}, {"Retry-After": "3600"}))
    with pytest.raises(faxplus.RateLimitError) as caught:
        run_sync(server.url, get_balance)
    assert len(server.seen) == 1
    assert caught.value.headers["retry-after"] == "3600"
    assert caught.value.status_code == 429


def test_429_on_post_is_retried_because_the_server_did_not_act(server: FaultServer) -> None:
    server.script(Reply(429, None, {"Retry-After": "0.05"}), Reply(200, {"id": "h1"}))
    assert run_sync(server.url, create_webhook) == m.WebhookId(id="h1")
    assert len(server.seen) == 2
    assert server.seen[0].body == server.seen[1].body
    assert json.loads(server.seen[1].body) == {
        "target": "https://example.com/hook",
        "event": "fax_sent",
    }


# ---- 5xx and backoff -----------------------------------------------------------------------------


@KINDS
def test_503_is_retried_with_growing_backoff(server: FaultServer, kind: str) -> None:
    server.script(Reply(503, None), Reply(503, None), Reply())
    assert RUN[kind](server.url, get_balance) == m.Balance(**BALANCE)
    assert len(server.seen) == 3
    first, second = server.gaps()
    # Backoff 0.1 s then 0.2 s, each less up to 25% jitter: the second wait is at least 0.15 s, more
    # than the first may be, so the delay grew. The upper bounds leave room for a busy machine.
    assert 0.075 <= first < 0.1 + 0.5
    assert 0.15 <= second < 0.2 + 0.5


@KINDS
def test_retries_stop_after_max_retries(server: FaultServer, kind: str) -> None:
    server.script(*[Reply(500, {"error": "boom", "description": "down"})] * 3)
    with pytest.raises(faxplus.InternalServerError) as caught:
        RUN[kind](server.url, get_balance, max_retries=2)
    assert len(server.seen) == 3
    assert isinstance(caught.value.body, m.Error)
    assert caught.value.body.error == "boom"


def test_per_request_max_retries_overrides_the_client(server: FaultServer) -> None:
    server.script(Reply(503, None), Reply())

    def call(client: faxplus.FaxPlus) -> Any:
        return client.shop.get_balance(request_options={"max_retries": 0})

    with pytest.raises(faxplus.InternalServerError):
        run_sync(server.url, call, max_retries=5)
    assert len(server.seen) == 1


def test_with_options_max_retries(server: FaultServer) -> None:
    server.script(Reply(503, None), Reply(503, None), Reply())
    with QuickFaxPlus(access_token=TOKEN, base_url=server.url, max_retries=0) as client:
        assert client.with_options(max_retries=2).shop.get_balance() == m.Balance(**BALANCE)
    assert len(server.seen) == 3


def test_500_on_post_is_not_sent_twice(server: FaultServer) -> None:
    server.script(Reply(500, {"error": "boom"}), Reply(200, {"id": "h1"}))
    with pytest.raises(faxplus.InternalServerError):
        run_sync(server.url, create_webhook)
    assert len(server.seen) == 1


def test_x_should_retry_false_is_obeyed(server: FaultServer) -> None:
    server.script(Reply(503, None, {"x-should-retry": "false"}), Reply())
    with pytest.raises(faxplus.InternalServerError):
        run_sync(server.url, get_balance)
    assert len(server.seen) == 1


# ---- dropped connections -------------------------------------------------------------------------


@KINDS
def test_dropped_connection_on_get_is_retried(server: FaultServer, kind: str) -> None:
    server.script(Drop(), Reply())
    assert RUN[kind](server.url, get_balance) == m.Balance(**BALANCE)
    assert len(server.seen) == 2


@KINDS
def test_dropped_connection_on_post_is_not_sent_twice(server: FaultServer, kind: str) -> None:
    # The server read the request: it may have created the webhook before the line dropped.
    server.script(Drop(), Reply(200, {"id": "h1"}))
    with pytest.raises(faxplus.APIConnectionError) as caught:
        RUN[kind](server.url, create_webhook)
    assert len(server.seen) == 1
    assert not isinstance(caught.value, faxplus.APITimeoutError)
    assert caught.value.request is not None and caught.value.request.method == "POST"


def test_dropped_post_with_idempotency_key_is_resent_identically(server: FaultServer) -> None:
    server.script(Drop(), Reply(200, {"id": "h1"}))
    result = run_sync(server.url, lambda c: create_webhook(c, idempotency_key="key-1"))
    assert result == m.WebhookId(id="h1")
    first, second = server.seen
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"] == "key-1"
    assert first.body == second.body


def test_connection_refused_is_retried_then_raised(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    caplog.set_level(logging.INFO, logger="faxplus")
    with pytest.raises(faxplus.APIConnectionError) as caught:
        run_sync(url, create_webhook, max_retries=2)  # even a POST: nothing reached a server
    retries = [r for r in caplog.records if r.getMessage().startswith("Retrying POST")]
    assert len(retries) == 2
    assert "ConnectError" in str(caught.value)


# ---- stalls and timeouts -------------------------------------------------------------------------


@KINDS
def test_stalled_get_times_out_and_is_retried(server: FaultServer, kind: str) -> None:
    server.script(Stall(), Stall())
    started = time.monotonic()
    with pytest.raises(faxplus.APITimeoutError):
        RUN[kind](server.url, get_balance, timeout=0.2, max_retries=1)
    elapsed = time.monotonic() - started
    assert len(server.seen) == 2
    assert elapsed < STALL_LIMIT  # the client gave up; the server did not end it


def test_stalled_post_is_not_sent_twice(server: FaultServer) -> None:
    server.script(Stall(), Reply(200, {"id": "h1"}))
    with pytest.raises(faxplus.APITimeoutError):
        run_sync(server.url, create_webhook, timeout=0.2, max_retries=2)
    assert len(server.seen) == 1


@KINDS
def test_per_request_timeout_overrides_the_client(server: FaultServer, kind: str) -> None:
    server.script(Stall())

    def call(client: Any) -> Any:
        return client.shop.get_balance(request_options={"timeout": 0.2, "max_retries": 0})

    started = time.monotonic()
    with pytest.raises(faxplus.APITimeoutError):
        RUN[kind](server.url, call, timeout=30.0)
    assert time.monotonic() - started < STALL_LIMIT


def test_with_options_timeout(server: FaultServer) -> None:
    server.script(Stall())
    started = time.monotonic()
    client = QuickFaxPlus(access_token=TOKEN, base_url=server.url, timeout=30.0)
    with client, pytest.raises(faxplus.APITimeoutError):
        client.with_options(timeout=0.2, max_retries=0).shop.get_balance()
    assert time.monotonic() - started < STALL_LIMIT


# ---- uploads re-sent identically -----------------------------------------------------------------

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 64


@pytest.mark.parametrize("form", ["path", "file", "bytes", "tuple"])
@KINDS
def test_multipart_upload_is_resent_byte_for_byte(
    server: FaultServer, tmp_path: Path, kind: str, form: str
) -> None:
    path = tmp_path / "fax.pdf"
    path.write_bytes(PDF)
    stream = io.BytesIO(PDF)
    fax_file = {
        "path": path,
        "file": stream,
        "bytes": PDF,
        "tuple": ("scan.pdf", stream, "application/pdf"),
    }[form]
    # 503 on a POST: the server did not act, so the upload is sent again.
    server.script(Reply(503, None), Reply(200, {"path": "/storage/fax.pdf"}))
    result = RUN[kind](server.url, lambda c: c.files.upload_file(fax_file=fax_file))
    assert result == m.FilePath(path="/storage/fax.pdf")
    first, second = server.seen
    assert first.body == second.body
    assert first.headers["Content-Type"] == second.headers["Content-Type"]
    assert PDF in second.body
    assert b'name="fax_file"' in second.body


# ---- streaming downloads -------------------------------------------------------------------------


def test_streamed_download_does_not_hold_the_body(server: FaultServer, tmp_path: Path) -> None:
    chunk = bytes(range(256)) * 256  # 64 KiB, allocated before measuring
    count = 128  # 8 MiB in all
    server.script(Stream(chunk, count))
    target = tmp_path / "fax.pdf"
    with QuickFaxPlus(access_token=TOKEN, base_url=server.url) as client:
        tracemalloc.start()
        try:
            with client.files.with_streaming_response.get_file(fax_id="f1") as response:
                with pytest.raises(httpx.ResponseNotRead):
                    response.http_response.content  # noqa: B018 - nothing was read up front
                written = response.write_to_file(target)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert written == len(chunk) * count == target.stat().st_size
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes while streaming 8 MiB"


def test_async_streamed_download_in_chunks(server: FaultServer) -> None:
    chunk = b"x" * 65536
    server.script(Stream(chunk, 16))

    async def call(client: faxplus.AsyncFaxPlus) -> list[int]:
        async with client.files.with_streaming_response.get_file(fax_id="f1") as response:
            return [len(c) async for c in response.iter_bytes(32768)]

    sizes = run_async(server.url, call)
    assert sum(sizes) == len(chunk) * 16
    assert max(sizes) <= 32768 and len(sizes) >= 32


class OneWayStream(io.RawIOBase):
    """A readable stream that cannot seek, like a socket or a download in progress."""

    def __init__(self, data: bytes) -> None:
        self._source = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._source.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_an_upload_that_cannot_be_rewound_is_not_resent(server: FaultServer) -> None:
    # A retry could not send the same bytes, so there is none, even after a 503.
    server.script(Reply(503, None), Reply(200, {"path": "/storage/fax.pdf"}))
    stream = OneWayStream(PDF)
    with pytest.raises(faxplus.InternalServerError):
        run_sync(server.url, lambda c: c.files.upload_file(fax_file=("fax.pdf", stream)))
    assert len(server.seen) == 1
    assert PDF in server.seen[0].body
