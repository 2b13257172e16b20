"""Where a user stands with server-sent events (issue 17, item 2): `stream=True` is
`Stream[CompletionChunk]`, the default the JSON model, a `bool` either, events-only operations
always `Stream`, the async client's `await` an `AsyncStream` for `async for`, under `mypy --strict`
and pyright strict (checked with `assert_type`); then the script runs against a MockTransport."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import generate_client
from test_user_typing import PYRIGHT, installed_environment

pytestmark = pytest.mark.xdist_group("user_typing")

SPEC = Path(__file__).parent / "sse" / "chat.yaml"

SCRIPT = '''
"""A user's script over operations answering with server-sent events."""

from __future__ import annotations

import asyncio
import json
from typing import assert_type

import httpx

from chatter import APIStreamError, AsyncChatter, AsyncStream, Chatter, Stream
from chatter.models import Completion, CompletionChunk, ProgressEvent

EVENTS = b'data: {"id": "c", "delta": "Hel"}\\n\\ndata: {"id": "c", "delta": "lo"}\\n\\ndata: [DONE]\\n\\n'


def answer(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/progress"):
        body = b'event: progress\\nid: 1\\ndata: {"percent": 9}\\n\\n'
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)
    if json.loads(request.content).get("stream"):
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=EVENTS)
    return httpx.Response(200, json={"id": "c", "text": "Hello"})


def sync_use(flag: bool) -> list[str]:
    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = Chatter(base_url="http://api.test", http_client=http)
    stream = client.chat.create_completion(prompt="hi", stream=True)
    assert_type(stream, Stream[CompletionChunk])
    deltas = [chunk.delta for chunk in stream]
    completion = client.chat.create_completion(prompt="hi")
    assert_type(completion, Completion)
    either = client.chat.create_completion(prompt="hi", stream=flag)
    assert_type(either, Completion | Stream[CompletionChunk])
    if isinstance(either, Stream):
        deltas += [chunk.delta for chunk in either]
    with client.chat.create_completion(prompt="hi", stream=True) as chunks:
        for chunk in chunks:
            assert_type(chunk, CompletionChunk)
            break
    for event in client.jobs.watch_job(job_id="j"):
        assert_type(event, ProgressEvent)
        deltas.append(str(event.data.percent))
    raw = client.chat.with_raw_response.create_completion(prompt="hi", stream=True)
    parsed = raw.parse()
    assert_type(parsed, Stream[CompletionChunk])
    deltas += [chunk.delta for chunk in parsed]
    assert_type(client.chat.with_raw_response.create_completion(prompt="hi").parse(), Completion)
    try:
        pass
    except APIStreamError as error:
        print(error.event.data, error.response.status_code)
    return deltas + [completion.text]


async def async_use() -> list[str]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    client = AsyncChatter(base_url="http://api.test", http_client=http)
    stream = await client.chat.create_completion(prompt="hi", stream=True)
    assert_type(stream, AsyncStream[CompletionChunk])
    deltas = [chunk.delta async for chunk in stream]
    completion = await client.chat.create_completion(prompt="hi")
    assert_type(completion, Completion)
    async with await client.jobs.watch_job(job_id="j") as events:
        async for event in events:
            assert_type(event, ProgressEvent)
            deltas.append(str(event.data.percent))
    return deltas + [completion.text]


print(json.dumps([sync_use(True), asyncio.run(async_use())]))
'''


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sse_client") / "chatter"
    generate_client(SPEC, out, package_name="chatter")
    return installed_environment(tmp_path_factory.mktemp("installed") / "venv", [out / "chatter"])


def test_streams_are_typed_in_a_users_script(environment: Path, tmp_path: Path) -> None:
    assert PYRIGHT.is_file(), "pyright is missing: `npm ci` (make test does it)"
    user = tmp_path / "user_project"
    user.mkdir()
    (user / "script.py").write_text(SCRIPT, "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    venv = environment.parent.parent
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-executable", str(environment)]
        + ["--cache-dir", str(venv.parent / "mypy_cache"), "--no-error-summary", "script.py"],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout[-4000:] + mypy.stderr[-2000:]
    config = {
        "typeCheckingMode": "strict",
        "pythonVersion": "3.11",
        "venvPath": str(venv.parent),
        "venv": venv.name,
    }
    (user / "pyrightconfig.json").write_text(json.dumps(config), "utf-8")
    pyright = subprocess.run(
        ["node", str(PYRIGHT), "script.py"],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert pyright.returncode == 0, pyright.stdout[-4000:] + pyright.stderr[-2000:]
    ran = subprocess.run(
        [str(environment), "script.py"],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert json.loads(ran.stdout) == [
        ["Hel", "lo", "Hel", "lo", "9", "Hel", "lo", "Hello"],
        ["Hel", "lo", "9", "Hello"],
    ]
