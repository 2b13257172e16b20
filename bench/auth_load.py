"""OAuth2 under load (issue 13): the generated Fax.Plus client, many callers, one token request.

Usage:
    .venv/bin/python bench/auth_load.py [--requests 1000] [--threads 32] [--per-thread 20]

A local server runs in a child process (so its sockets are not counted as the client's): an
asyncio HTTP/1.1 keep-alive server playing both the OAuth2 token endpoint (`POST /token`, 0.1 s to
answer, so every caller arrives while it works) and the API (`GET /accounts/self`, 401 for any
token but the current ones). `POST /revoke` makes it refuse every token issued so far.

Rounds, each with one client and one `OAuth2` (refresh-token grant, Basic client authentication):
0. baselines: the same threads (and with `--baseline`, the async calls) with a static token;
1. async: `--requests` concurrent calls on one AsyncFaxPlus: one token request;
2. async, the server having revoked that token: the calls meet 401s: one renewal between them;
3. sync: `--threads` threads sharing one FaxPlus, `--per-thread` calls each: one token request;
4. sync, after a revocation: one renewal.

httpx's async connection pool (100 connections) slows down more than linearly with the number of
requests queued on it (httpcore scans every queued request at each change): 1,000 calls queued at
once take minutes on a busy 2-core machine, with or without OAuth2. `--baseline` adds that round
with a static token. With OAuth2 the calls first wait for the token, then enter the pool.

Printed per round: calls answered / sent, failures, token requests, the API requests the server
saw (200s and 401s), wall time. Then the file descriptors of this process (/proc/self/fd) before
the rounds and after closing the clients, and the connections the server still holds open.
Nothing here is asserted by a test; the figures are for the reader.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "generated" / "faxplus"))

ACCOUNT = {
    "uid": "7724157c0974440293e45877c57f0703",
    "email": "ada@example.com",
    "account_type": "individual",
    "creation_date": "2024-01-01 10:00:00",
    "status": "active",
}
TOKEN_DELAY = 0.1
STATIC = "static-token"  # the baseline: a static access token, never revoked


# ---- the server (child process) ------------------------------------------------------------------


class Server:
    def __init__(self) -> None:
        self.valid: set[str] = {STATIC}
        self.issued = 0
        self.counts = {"token": 0, "api_200": 0, "api_401": 0, "open": 0}

    def token(self) -> tuple[str, dict[str, Any]]:
        self.counts["token"] += 1
        self.issued += 1
        access = f"access-{self.issued}"
        self.valid.add(access)
        body = {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": 3600,
            "refresh_token": f"refresh-{self.issued}",
        }
        return "200 OK", body

    def api(self, authorization: str) -> tuple[str, dict[str, Any]]:
        if authorization.removeprefix("Bearer ") in self.valid:
            self.counts["api_200"] += 1
            return "200 OK", ACCOUNT
        self.counts["api_401"] += 1
        return "401 Unauthorized", {"error": "invalid_token"}


class _Protocol(asyncio.Protocol):
    def __init__(self, server: Server) -> None:
        self.server = server
        self.buffer = b""

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        self.server.counts["open"] += 1

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.counts["open"] -= 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = self.buffer[:end].decode("latin-1").split("\r\n")
            headers = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(":") for line in lines[1:])
            }
            length = int(headers.get("content-length", "0"))
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            method, path, _ = lines[0].split(" ", 2)
            self.answer(method, path, headers)

    def answer(self, method: str, path: str, headers: dict[str, str]) -> None:
        server = self.server
        if method == "POST" and path == "/token":
            loop = asyncio.get_running_loop()
            loop.call_later(TOKEN_DELAY, lambda: self.send(*server.token()))
        elif method == "POST" and path == "/revoke":
            server.valid.intersection_update({STATIC})
            self.send("204 No Content", None)
        elif path == "/stats":
            self.send("200 OK", server.counts)
        else:
            self.send(*server.api(headers.get("authorization", "")))

    def send(self, status: str, body: Any) -> None:
        payload = b"" if body is None else json.dumps(body).encode()
        head = (
            f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n"
        )
        if not self.transport.is_closing():
            self.transport.write(head.encode() + payload)


def serve(port: int) -> None:
    def exit_with_parent() -> None:
        sys.stdin.read()  # end of file: the bench is gone, killed or not
        os._exit(0)

    threading.Thread(target=exit_with_parent, daemon=True).start()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        state = Server()
        server = await loop.create_server(lambda: _Protocol(state), "127.0.0.1", port, backlog=2048)
        print("ready", flush=True)
        await server.serve_forever()

    asyncio.run(main())


def start_server() -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc, f"http://127.0.0.1:{port}"


# ---- the client side -----------------------------------------------------------------------------


def stats(base: str) -> dict[str, int]:
    import httpx

    with httpx.Client() as http:
        return dict(http.get(f"{base}/stats").json())


def revoke(base: str) -> None:
    import httpx

    with httpx.Client() as http:
        http.post(f"{base}/revoke")


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def credentials() -> Any:
    from faxplus import OAuth2

    return OAuth2(
        client_id="bench-client",
        client_secret="bench-secret",
        refresh_token="refresh-0",
        token_url="/token",  # relative: the local server's
    )


async def async_round(client: Any, calls: int) -> tuple[int, list[str]]:
    results = await asyncio.gather(
        *(client.accounts.get_user() for _ in range(calls)), return_exceptions=True
    )
    failures = [type(r).__name__ for r in results if isinstance(r, BaseException)]
    return calls - len(failures), failures


def thread_round(client: Any, threads: int, per_thread: int) -> tuple[int, list[str]]:
    answered = [0] * threads
    failures: list[str] = []
    barrier = threading.Barrier(threads)

    def work(n: int) -> None:
        barrier.wait()
        for _ in range(per_thread):
            try:
                client.accounts.get_user()
                answered[n] += 1
            except Exception as exc:  # noqa: BLE001 - counted and printed
                failures.append(type(exc).__name__)

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(answered), failures


def report(
    name: str,
    sent: int,
    answered: int,
    failures: list[str],
    before: dict[str, int],
    after: dict[str, int],
    seconds: float,
) -> None:
    def delta(key: str) -> int:
        return after[key] - before[key]

    print(
        f"{name:<44} {answered:>5}/{sent:<5} answered, {len(failures)} failed"
        f"{' (' + ', '.join(sorted(set(failures))) + ')' if failures else ''}; "
        f"token requests {delta('token')}; API 200s {delta('api_200')}, "
        f"401s {delta('api_401')}; {seconds:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--per-thread", type=int, default=20)
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also the async calls with a static token (slow: see the note on httpx's pool)",
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    import faxplus  # imported before counting descriptors

    proc, base = start_server()
    try:
        stats(base)  # warm: the helper's own connections are opened and closed before counting
        start_fds = fds()

        if args.baseline:

            async def baseline() -> None:
                async with faxplus.AsyncFaxPlus(access_token=STATIC, base_url=base) as client:
                    before = await asyncio.to_thread(stats, base)
                    started = time.perf_counter()
                    answered, failures = await async_round(client, args.requests)
                    seconds = time.perf_counter() - started
                    after = await asyncio.to_thread(stats, base)
                    report(
                        "async baseline: a static token",
                        args.requests,
                        answered,
                        failures,
                        before,
                        after,
                        seconds,
                    )

            asyncio.run(baseline())
        with faxplus.FaxPlus(access_token=STATIC, base_url=base) as client:
            before = stats(base)
            started = time.perf_counter()
            answered, failures = thread_round(client, args.threads, args.per_thread)
            seconds = time.perf_counter() - started
            report(
                f"sync baseline: {args.threads} threads, a static token",
                args.threads * args.per_thread,
                answered,
                failures,
                before,
                stats(base),
                seconds,
            )

        async def async_rounds() -> None:
            oauth = credentials()
            async with faxplus.AsyncFaxPlus(oauth=oauth, base_url=base) as client:
                for name, revoked in (
                    ("async: concurrent calls", False),
                    ("async: concurrent calls after a revocation", True),
                ):
                    if revoked:
                        await asyncio.to_thread(revoke, base)
                    before = await asyncio.to_thread(stats, base)
                    started = time.perf_counter()
                    answered, failures = await async_round(client, args.requests)
                    seconds = time.perf_counter() - started
                    after = await asyncio.to_thread(stats, base)
                    report(name, args.requests, answered, failures, before, after, seconds)

        asyncio.run(async_rounds())
        oauth = credentials()
        sent = args.threads * args.per_thread
        with faxplus.FaxPlus(oauth=oauth, base_url=base) as client:
            for name, revoked in (
                (f"sync: {args.threads} threads, one client", False),
                (f"sync: {args.threads} threads after a revocation", True),
            ):
                if revoked:
                    revoke(base)
                before = stats(base)
                started = time.perf_counter()
                answered, failures = thread_round(client, args.threads, args.per_thread)
                seconds = time.perf_counter() - started
                report(name, sent, answered, failures, before, stats(base), seconds)
        end_fds = fds()
        time.sleep(0.2)  # the server sees the closed sockets
        still_open = stats(base)["open"] - 1  # less the stats request's own connection
        print(
            f"file descriptors of this process: {start_fds} before, {end_fds} after closing the "
            f"clients; connections the server still holds: {still_open}"
        )
    finally:
        proc.terminate()
        proc.wait(5)


if __name__ == "__main__":
    main()
