"""Server-sent events (issue 17, item 2) where the runtime meets the wire: the decoder against the
HTML standard's event-stream rules (split across network reads at every byte), and a generated
client streaming through httpx.MockTransport, sync and async: typed events, `[DONE]` and other
sentinels, error events, the response closed when exhausted, on `break`, by `with` and on error,
the body read as it arrives, raw responses, and no retry once the answer has begun."""

from __future__ import annotations

import asyncio
import gc
import importlib
import inspect
import itertools
import json
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import CORPUS, generate_client, needs_corpus
from hypothesis import given, settings
from hypothesis import strategies as st

SPEC = Path(__file__).parent / "sse" / "chat.yaml"


@pytest.fixture(scope="module")
def chatter(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("sse") / "chatter"
    generate_client(SPEC, out, package_name="chatter")
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("chatter")
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == "chatter" or n.startswith("chatter.")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def streaming(chatter: Any) -> Any:
    return importlib.import_module("chatter._streaming")


def decode(streaming: Any, chunks: list[bytes]) -> list[tuple[str, str | None, str | None, Any]]:
    decoder = streaming.SSEDecoder()
    return [(e.data, e.event, e.id, e.retry) for c in chunks for e in decoder.feed(c)]


# ---- the decoder ----------------------------------------------------------------------------------

WIRE = (
    b"\xef\xbb\xbf: a comment, then a BOM-led stream\n"
    b"data: first\ndata:  second line keeps one space\n\n"
    b'event: update\r\nid: 7\r\nretry: 1500\r\ndata: {"n": 1}\r\n\r\n'
    b"data: after CR\r\rdata\n\n"
    b"id: bad\x00id\nretry: soon\ndata: caf\xc3\xa9\n\n"
    b"event: lonely\n\n"
    b"data: never finished"
)
EXPECTED = [
    ("first\n second line keeps one space", None, None, None),
    ('{"n": 1}', "update", "7", 1500),
    ("after CR", None, "7", None),
    ("", None, "7", None),
    ("café", None, "7", None),
]


def test_decoder_reads_every_field_as_the_standard_says(streaming: Any) -> None:
    # multi-line data joined by LF; one leading space dropped; comments and a BOM skipped; CRLF
    # and lone CR end lines; `id` persists and one holding NUL is ignored; `retry` must be
    # digits; `data` without a colon is an empty line of data; a block without data is not an
    # event; an event the stream ends in the middle of is discarded.
    assert decode(streaming, [WIRE]) == EXPECTED


def test_decoder_gives_the_same_events_split_at_every_byte(streaming: Any) -> None:
    for cut in range(len(WIRE) + 1):
        assert decode(streaming, [WIRE[:cut], WIRE[cut:]]) == EXPECTED, cut
    assert decode(streaming, [WIRE[i : i + 1] for i in range(len(WIRE))]) == EXPECTED


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(WIRE)), max_size=12))
def test_decoder_ignores_how_reads_split_the_stream(streaming: Any, cuts: list[int]) -> None:
    points = [0, *sorted(cuts), len(WIRE)]
    chunks = [WIRE[a:b] for a, b in itertools.pairwise(points)]
    assert decode(streaming, chunks) == EXPECTED


# ---- a generated client on the wire ---------------------------------------------------------------


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body served in the given network reads, recording how far it was read and its closing."""

    def __init__(self, chunks: list[bytes], fail_after: int | None = None) -> None:
        self.chunks = chunks
        self.fail_after = fail_after
        self.served = 0
        self.closed = False

    def _next(self, i: int) -> bytes:
        if self.fail_after is not None and i >= self.fail_after:
            raise httpx.ReadError("connection reset")
        self.served += 1
        return self.chunks[i]

    def __iter__(self) -> Iterator[bytes]:
        for i in range(len(self.chunks)):
            yield self._next(i)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for i in range(len(self.chunks)):
            yield self._next(i)

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def sse(*events: str) -> list[bytes]:
    """Events, each cut in two network reads in the middle of its data."""
    out: list[bytes] = []
    for event in events:
        raw = event.encode()
        out += [raw[: len(raw) // 2], raw[len(raw) // 2 :]]
    return out


CHUNKS = sse(
    'data: {"id": "c1", "delta": "Hel"}\n\n',
    'data: {"id": "c1", "delta": "lo"}\n\n',
    "data: [DONE]\n\n",
    'data: {"id": "c1", "delta": "never read"}\n\n',
)


class Server:
    def __init__(self, body: Chunks | None = None, status: int = 200) -> None:
        self.body = body or Chunks(CHUNKS)
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.status != 200:
            return httpx.Response(self.status, json={"error": {"message": "slow down"}})
        if request.headers["accept"].startswith("text/event-stream"):
            headers = {"content-type": "text/event-stream"}
            return httpx.Response(200, headers=headers, stream=self.body)
        return httpx.Response(200, json={"id": "c1", "text": "Hello"})

    def sent(self) -> Any:
        return json.loads(self.requests[-1].content)


def client(chatter: Any, server: Server, asynchronous: bool = False) -> Any:
    transport = httpx.MockTransport(server)
    if asynchronous:
        http: Any = httpx.AsyncClient(transport=transport)
        return chatter.AsyncChatter(base_url="http://api.test", http_client=http, max_retries=2)
    return chatter.Chatter(
        base_url="http://api.test", http_client=httpx.Client(transport=transport), max_retries=2
    )


def test_stream_true_yields_typed_chunks_until_done(chatter: Any) -> None:
    server = Server()
    stream = client(chatter, server).chat.create_completion(prompt="hi", stream=True)
    assert type(stream).__name__ == "Stream"
    chunks = list(stream)
    assert [type(c).__name__ for c in chunks] == ["CompletionChunk", "CompletionChunk"]
    assert "".join(c.delta for c in chunks) == "Hello"
    assert server.body.closed  # exhausted at [DONE]: closed, the rest never read
    assert server.body.served == 6
    assert server.sent() == {"prompt": "hi", "stream": True}
    assert server.requests[-1].headers["accept"] == "text/event-stream, application/json;q=0.9"


def test_without_stream_the_json_answer_comes_back(chatter: Any) -> None:
    server = Server()
    answer = client(chatter, server).chat.create_completion(prompt="hi")
    assert type(answer).__name__ == "Completion" and answer.text == "Hello"
    assert server.sent() == {"prompt": "hi"}
    assert server.requests[-1].headers["accept"] == "application/json"


def test_events_answering_a_json_call_say_how_to_read_them(chatter: Any) -> None:
    # The body's own `stream` (not the method's argument) asked for events: the JSON call says so.
    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/event-stream"}
        return httpx.Response(200, headers=headers, content=b"data: {}\n\n")

    http = httpx.Client(transport=httpx.MockTransport(answer))
    api = chatter.Chatter(base_url="http://api.test", http_client=http)
    with pytest.raises(chatter.APIResponseValidationError, match="pass stream=True"):
        api.chat.create_completion(prompt="hi", request_options={"extra_body": {"stream": True}})


def test_events_are_read_as_they_arrive(chatter: Any) -> None:
    server = Server()
    stream = client(chatter, server).chat.create_completion(prompt="hi", stream=True)
    assert server.body.served == 0  # nothing of the body read before iterating
    first = next(iter(stream))
    assert first.delta == "Hel" and server.body.served == 2
    stream.close()
    assert server.body.closed


def test_break_closes_the_response(chatter: Any) -> None:
    server = Server()
    for chunk in client(chatter, server).chat.create_completion(prompt="hi", stream=True):
        assert chunk.delta == "Hel"
        break
    assert server.body.closed and server.body.served == 2


def test_with_block_closes_the_response(chatter: Any) -> None:
    server = Server()
    api = client(chatter, server)
    with api.chat.create_completion(prompt="hi", stream=True) as stream:
        assert next(stream).delta == "Hel"
    assert server.body.closed


@pytest.mark.parametrize(
    "event",
    [
        'data: {"error": {"message": "overloaded", "type": "server_error"}}\n\n',
        'event: error\ndata: {"error": {"message": "overloaded"}}\n\n',
    ],
)
def test_an_error_event_raises_the_typed_error_and_closes(chatter: Any, event: str) -> None:
    server = Server(Chunks(sse('data: {"id": "c1", "delta": "Hel"}\n\n', event)))
    stream = client(chatter, server).chat.create_completion(prompt="hi", stream=True)
    with pytest.raises(chatter.APIStreamError) as caught:
        list(stream)
    assert isinstance(caught.value, chatter.APIError)
    assert "overloaded" in str(caught.value)
    assert type(caught.value.body).__name__ == "ErrorResponse"  # the operation's error model
    assert caught.value.body.error.message == "overloaded"
    assert server.body.closed


def test_an_error_status_before_the_stream_is_the_usual_error(chatter: Any) -> None:
    server = Server(status=400)
    with pytest.raises(chatter.BadRequestError):
        client(chatter, server).chat.create_completion(prompt="hi", stream=True)


def test_a_broken_stream_is_a_connection_error_and_not_retried(chatter: Any) -> None:
    server = Server(Chunks(CHUNKS, fail_after=2))
    stream = client(chatter, server).chat.create_completion(prompt="hi", stream=True)
    with pytest.raises(chatter.APIConnectionError):
        list(stream)
    assert len(server.requests) == 1 and server.body.closed


def test_a_multipart_body_asks_for_events_with_its_stream_field(chatter: Any) -> None:
    server = Server()
    api = client(chatter, server)
    chunks = list(api.audio.transcribe(file=b"RIFF", stream=True))
    assert [c.delta for c in chunks] == ["Hel", "lo"]
    sent = server.requests[-1].content
    assert b'name="stream"\r\n\r\ntrue' in sent and b'name="file"' in sent


def test_a_stream_is_retried_until_its_answer_begins(chatter: Any) -> None:
    server = Server()
    statuses = [503]

    def flaky(request: httpx.Request) -> httpx.Response:
        if statuses:
            return httpx.Response(statuses.pop(), headers={"retry-after": "0"})
        return server(request)

    http = httpx.Client(transport=httpx.MockTransport(flaky))
    api = chatter.Chatter(base_url="http://api.test", http_client=http, max_retries=2)
    assert [c.delta for c in api.chat.create_completion(prompt="hi", stream=True)] == [
        "Hel",
        "lo",
    ]
    assert len(server.requests) == 1 and not statuses


def test_whole_events_are_the_event_model_with_data_parsed(chatter: Any) -> None:
    chunks = sse(
        'event: progress\nid: 1\ndata: {"percent": 50}\n\n',
        'event: progress\nid: 2\nretry: 10\ndata: {"percent": 100}\n\n',
    )
    server = Server(Chunks(chunks))
    events = list(client(chatter, server).jobs.watch_job(job_id="j1"))
    assert [(e.event, e.id, e.data.percent) for e in events] == [
        ("progress", "1", 50),
        ("progress", "2", 100),
    ]
    assert events[1].retry == 10 and type(events[0].data).__name__ == "Progress"
    assert server.body.closed  # the connection ended: so did the stream


def test_a_sentinel_named_in_the_spec_ends_a_stream_of_text(chatter: Any) -> None:
    server = Server(Chunks(sse("data: one\n\n", "data: two\n\n", "data: END\n\n", "data: x\n\n")))
    assert list(client(chatter, server).jobs.tail_logs()) == ["one", "two"]
    assert server.body.closed


def test_raw_response_parses_to_the_stream_unread(chatter: Any) -> None:
    server = Server()
    api = client(chatter, server)
    raw = api.chat.with_raw_response.create_completion(prompt="hi", stream=True)
    assert raw.status_code == 200 and server.body.served == 0
    assert [c.delta for c in raw.parse()] == ["Hel", "lo"]
    assert server.body.closed
    server = Server()
    api = client(chatter, server)
    with api.chat.with_streaming_response.create_completion(prompt="hi", stream=True) as response:
        assert next(iter(response.parse())).delta == "Hel"
    assert server.body.closed


# ---- async ----------------------------------------------------------------------------------------


def test_async_stream(chatter: Any) -> None:
    async def main() -> None:
        server = Server()
        api = client(chatter, server, asynchronous=True)
        stream = await api.chat.create_completion(prompt="hi", stream=True)
        assert type(stream).__name__ == "AsyncStream"
        assert [c.delta async for c in stream] == ["Hel", "lo"]
        assert server.body.closed
        assert server.sent() == {"prompt": "hi", "stream": True}
        answer = await api.chat.create_completion(prompt="hi")
        assert answer.text == "Hello"

        server = Server()
        api = client(chatter, server, asynchronous=True)
        async with await api.chat.create_completion(prompt="hi", stream=True) as stream:
            async for chunk in stream:
                assert chunk.delta == "Hel"
                break
        assert server.body.closed  # `async with`: closed at once

        server = Server()
        api = client(chatter, server, asynchronous=True)
        async for chunk in await api.chat.create_completion(prompt="hi", stream=True):
            break
        gc.collect()
        await asyncio.sleep(0)  # the loop closes an abandoned async generator on its next turn
        await asyncio.sleep(0)
        assert server.body.closed

        server = Server(Chunks(sse('event: error\ndata: {"error": {"message": "gone"}}\n\n')))
        api = client(chatter, server, asynchronous=True)
        with pytest.raises(chatter.APIStreamError, match="gone"):
            async for chunk in await api.chat.create_completion(prompt="hi", stream=True):
                pass
        assert server.body.closed

        server = Server(Chunks(sse('event: progress\ndata: {"percent": 5}\n\n')))
        api = client(chatter, server, asynchronous=True)
        assert [e.data.percent async for e in await api.jobs.watch_job(job_id="j")] == [5]

    asyncio.run(main())


# ---- the OpenAI spec --------------------------------------------------------------------------------

OPENAI_CHUNK = {
    "id": "chatcmpl-1",
    "object": "chat.completion.chunk",
    "created": 1700000000,
    "model": "gpt-4o",
    "choices": [
        {"index": 0, "delta": {"role": "assistant", "content": "Hi"}, "finish_reason": None}
    ],
}


@needs_corpus()
def test_openai_chat_completion_streams_typed_chunks(tmp_path: Path) -> None:
    out = tmp_path / "openai_chat"
    spec = CORPUS / "openai-openapi.yaml"
    generate_client(
        spec,
        out,
        package_name="openai_chat",
        client_name="OpenAI",
        include_operations=["createChatCompletion"],
    )
    sys.path.insert(0, str(out))
    try:
        openai_chat = importlib.import_module("openai_chat")
        resource = importlib.import_module("openai_chat.resources.chat")
    finally:
        sys.path.remove(str(out))
    source = inspect.getsource(resource.ChatResource.create_chat_completion)
    assert "-> CreateChatCompletionResponse | Stream[CreateChatCompletionStreamResponse]:" in source
    last = {**OPENAI_CHUNK, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    body = Chunks(
        sse(
            f"data: {json.dumps(OPENAI_CHUNK)}\n\n",
            f"data: {json.dumps(last)}\n\n",
            "data: [DONE]\n\n",
        )
    )
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=body)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = openai_chat.OpenAI(access_token="k", base_url="http://api.test", http_client=http)
    chunks = list(
        client.chat.create_chat_completion(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}], stream=True
        )
    )
    assert [type(c).__name__ for c in chunks] == ["CreateChatCompletionStreamResponse"] * 2
    assert chunks[0].choices[0].delta.content == "Hi" and body.closed
    assert json.loads(seen[0].content)["stream"] is True
    for name in [n for n in sys.modules if n == "openai_chat" or n.startswith("openai_chat.")]:
        del sys.modules[name]
