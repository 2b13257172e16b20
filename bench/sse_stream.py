"""Server-sent events (issue 17): how fast the generated runtime reads a stream, and what typing the
events costs over decoding them.

Usage:
    .venv/bin/python bench/sse_stream.py [--events 20000] [--chunk 1024]

A body of `--events` chat-completion chunks (OpenAI's shape, about 230 bytes each, then
`data: [DONE]`), served by httpx.MockTransport in reads of `--chunk` bytes, is read three ways:
1. the decoder alone (`SSEDecoder.feed`), bytes to events;
2. decoder + `json.loads` of each event's data;
3. the generated Fax.Plus client's `Stream` (sync) of a pydantic model of that shape, through
   `client.events(...)`: request, decoding, parsing, validation and closing.

Printed: events per second and MB per second for each. Nothing is asserted; the figures are for
the reader."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "generated" / "faxplus"))

from faxplus import FaxPlus
from faxplus._base_client import Endpoint
from faxplus._models import BaseModel
from faxplus._streaming import Events, SSEDecoder

CHUNK = {
    "id": "chatcmpl-0123456789",
    "object": "chat.completion.chunk",
    "created": 1700000000,
    "model": "gpt-4o-2024-08-06",
    "system_fingerprint": "fp_0123456789",
    "choices": [
        {"index": 0, "delta": {"content": " token"}, "logprobs": None, "finish_reason": None}
    ],
}


class Delta(BaseModel):
    content: str | None = None


class Choice(BaseModel):
    index: int
    delta: Delta
    finish_reason: str | None = None


class ChatChunk(BaseModel):
    id: str
    object: str
    created: int
    model: str
    choices: list[Choice]


def body(events: int) -> bytes:
    line = f"data: {json.dumps(CHUNK)}\n\n".encode()
    return line * events + b"data: [DONE]\n\n"


def chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def report(name: str, events: int, size: int, seconds: float) -> None:
    rate = events / seconds
    print(f"{name:<34} {rate:>12,.0f} events/s {size / seconds / 1e6:>8.1f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--chunk", type=int, default=1024)
    args = parser.parse_args()
    data = body(args.events)
    reads = chunks(data, args.chunk)
    print(f"{args.events} events, {len(data):,} bytes in {len(reads)} reads of {args.chunk} bytes")

    started = time.perf_counter()
    decoder = SSEDecoder()
    decoded = sum(len(decoder.feed(c)) for c in reads)
    report("decoder", decoded, len(data), time.perf_counter() - started)

    started = time.perf_counter()
    decoder = SSEDecoder()
    parsed = [json.loads(e.data) for c in reads for e in decoder.feed(c) if e.data != "[DONE]"]
    report("decoder + json.loads", len(parsed), len(data), time.perf_counter() - started)

    class Body(httpx.SyncByteStream):
        def __iter__(self) -> Any:
            return iter(reads)

    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/event-stream"}
        return httpx.Response(200, headers=headers, stream=Body())

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = FaxPlus(access_token="t", base_url="http://api.test", http_client=http)
    endpoint: Endpoint[None] = Endpoint("POST", "/chat", None, result="empty")
    events: Events[ChatChunk] = Events(ChatChunk, flag="stream", always=True)
    started = time.perf_counter()
    count = sum(1 for _ in client.events(endpoint, events, True, json={"a": 1}))
    report("Stream[ChatChunk] (client.events)", count, len(data), time.perf_counter() - started)


if __name__ == "__main__":
    main()
