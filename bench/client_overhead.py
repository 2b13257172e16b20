"""Per-call overhead of the generated Fax.Plus client against raw httpx, same server, same run.

Usage:
    .venv/bin/python bench/client_overhead.py [--calls 250] [--rounds 20]

A tiny keep-alive HTTP/1.1 server runs in a child process on 127.0.0.1 (its own process, so it does
not share the GIL with the client being measured) and answers every request with one canned JSON
body, as fast as asyncio can. Against it, in alternating rounds (short ones, so that a change in
the machine's load hits every contestant alike; the median round counts):

- raw httpx: `client.get(url, headers=auth).json()` (sync and async), the floor;
- raw httpx + pydantic: the same, then `Outbox.model_validate(...)`: what a hand-written client does;
- oasgen: `client.outbox.get_outbox_fax(outbox_fax_id=...)`: URL, auth, retries and timeout
  bookkeeping, response parsed into the `Outbox` model;
- the same pairs for a POST with a JSON body (`send_fax`).

Printed: the median microseconds per call of each, and the ratio oasgen / raw httpx (goal <= 1.2).
A fast server makes the ratio strict: against a real API (milliseconds per call) it tends to 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "generated" / "faxplus"))

OUTBOX = {
    "id": "132esd4cs31",
    "uid": "7724157c0974440293e45877c57f0703",
    "status": "submitted",
    "to": ["+12345667"],
    "files": ["/storage/2024-01-01/letter.pdf"],
    "src": "+12345678",
    "comment": {"tags": ["a"], "text": "hello"},
    "submit_time": "2024-01-01 10:00:00",
    "last_updated_status_time": "2024-01-01 10:00:01",
    "page_count": 1,
    "ip": "127.0.0.1",
    "contact_name": "Ada",
    "extra_info": {},
}
SEND_FAX_ANSWER = {"ids": {"+12345668": "5a9c6e0d"}}
TOKEN = "bench-token"


# ---- the server (child process) ------------------------------------------------------------------


class _Protocol(asyncio.Protocol):
    """HTTP/1.1 keep-alive: read head and Content-Length body, answer GET and POST canned."""

    def __init__(self, get_answer: bytes, post_answer: bytes) -> None:
        self.buffer = b""
        self.get_answer = get_answer
        self.post_answer = post_answer

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].lower()
            length = 0
            marker = head.find(b"content-length:")
            if marker >= 0:
                length = int(head[marker + 15 :].split(b"\r\n", 1)[0])
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            self.transport.write(self.post_answer if head.startswith(b"post") else self.get_answer)


def _canned(body: dict[str, Any], status: str) -> bytes:
    payload = json.dumps(body).encode()
    head = f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    return head.encode() + payload


def serve(port: int) -> None:
    get_answer = _canned(OUTBOX, "200 OK")
    post_answer = _canned(SEND_FAX_ANSWER, "201 Created")

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: _Protocol(get_answer, post_answer), "127.0.0.1", port
        )
        print("ready", flush=True)
        await server.serve_forever()

    asyncio.run(main())


def start_server() -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc, f"http://127.0.0.1:{port}"


# ---- the contestants -----------------------------------------------------------------------------


def sync_contestants(base: str) -> dict[str, Callable[[], Any]]:
    import faxplus
    import httpx
    from faxplus import models as m

    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
    raw = httpx.Client()
    client = faxplus.FaxPlus(access_token=TOKEN, base_url=base)
    get_url = f"{base}/accounts/self/outbox/132esd4cs31"
    post_url = f"{base}/accounts/self/outbox"
    fax = {"from_": "+12345678", "to": ["+12345668"], "files": ["/storage/letter.pdf"]}
    body_json = {"from": fax["from_"], "to": fax["to"], "files": fax["files"]}
    return {
        "GET raw httpx": lambda: raw.get(get_url, headers=headers).json(),
        "GET raw httpx + pydantic": lambda: m.Outbox.model_validate(
            raw.get(get_url, headers=headers).json()
        ),
        "GET oasgen": lambda: client.outbox.get_outbox_fax(outbox_fax_id="132esd4cs31"),
        "POST raw httpx": lambda: raw.post(post_url, headers=headers, json=body_json).json(),
        "POST oasgen": lambda: client.outbox.send_fax(**fax),
    }


def async_contestants(base: str) -> dict[str, Callable[[], Awaitable[Any]]]:
    import faxplus
    import httpx
    from faxplus import models as m

    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
    raw = httpx.AsyncClient()
    client = faxplus.AsyncFaxPlus(access_token=TOKEN, base_url=base)
    get_url = f"{base}/accounts/self/outbox/132esd4cs31"
    post_url = f"{base}/accounts/self/outbox"
    fax = {"from_": "+12345678", "to": ["+12345668"], "files": ["/storage/letter.pdf"]}
    body_json = {"from": fax["from_"], "to": fax["to"], "files": fax["files"]}

    async def raw_get() -> Any:
        return (await raw.get(get_url, headers=headers)).json()

    async def raw_get_pydantic() -> Any:
        return m.Outbox.model_validate((await raw.get(get_url, headers=headers)).json())

    async def raw_post() -> Any:
        return (await raw.post(post_url, headers=headers, json=body_json)).json()

    return {
        "GET raw httpx": raw_get,
        "GET raw httpx + pydantic": raw_get_pydantic,
        "GET oasgen": lambda: client.outbox.get_outbox_fax(outbox_fax_id="132esd4cs31"),
        "POST raw httpx": raw_post,
        "POST oasgen": lambda: client.outbox.send_fax(**fax),
    }


# ---- measuring -----------------------------------------------------------------------------------


def measure_sync(
    contestants: dict[str, Callable[[], Any]], calls: int, rounds: int
) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in contestants}
    for call in contestants.values():  # warm up: connections, adapters, imports
        for _ in range(200):
            call()
    for _ in range(rounds):
        for name, call in contestants.items():
            started = time.perf_counter()
            for _ in range(calls):
                call()
            samples[name].append((time.perf_counter() - started) / calls * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


async def measure_async(
    contestants: dict[str, Callable[[], Awaitable[Any]]], calls: int, rounds: int
) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in contestants}
    for call in contestants.values():
        for _ in range(200):
            await call()
    for _ in range(rounds):
        for name, call in contestants.items():
            started = time.perf_counter()
            for _ in range(calls):
                await call()
            samples[name].append((time.perf_counter() - started) / calls * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def report(title: str, medians: dict[str, float]) -> None:
    print(f"\n{title} (median us per call)")
    for name, value in medians.items():
        print(f"  {name:<28} {value:8.1f}")
    for verb in ("GET", "POST"):
        ratio = medians[f"{verb} oasgen"] / medians[f"{verb} raw httpx"]
        extra = medians[f"{verb} oasgen"] - medians[f"{verb} raw httpx"]
        print(f"  {verb} oasgen / raw httpx: {ratio:.2f}x ({extra:+.1f} us; goal <= 1.2x)")
    ratio = medians["GET oasgen"] / medians["GET raw httpx + pydantic"]
    print(f"  GET oasgen / raw httpx + pydantic: {ratio:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=250)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    proc, base = start_server()
    try:
        print(f"server: asyncio keep-alive on {base}; {args.calls} calls x {args.rounds} rounds")
        report("sync", measure_sync(sync_contestants(base), args.calls, args.rounds))
        medians = asyncio.run(measure_async(async_contestants(base), args.calls, args.rounds))
        report("async", medians)
    finally:
        proc.terminate()
        proc.wait(timeout=5)


if __name__ == "__main__":
    main()
