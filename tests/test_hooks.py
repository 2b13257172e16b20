"""Event hooks (issue 13): `Hooks(on_request=..., on_response=..., on_retry=..., on_error=...)` on
the committed Fax.Plus client, sync and async, checked on the wire with httpx.MockTransport."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from faxplus import (
    APIConnectionError,
    AsyncFaxPlus,
    ErrorEvent,
    FaxPlus,
    Hooks,
    InternalServerError,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
)

Handler = Callable[[httpx.Request], httpx.Response]


def scripted(*answers: int | type[Exception]) -> tuple[Handler, list[httpx.Request]]:
    """A transport handler giving `answers` in turn (a status, or an exception to raise)."""
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, int):
            headers = {"retry-after-ms": "10"} if answer >= 500 else {}
            body = {"message": "busy"} if answer >= 400 else {"id": "f1", "size": 1}
            return httpx.Response(answer, json=body, headers=headers)
        raise answer("connection refused", request=request)

    return handle, seen


def recorder() -> tuple[Hooks, list[tuple[str, Any]]]:
    log: list[tuple[str, Any]] = []
    hooks = Hooks(
        on_request=lambda e: log.append(("request", e)),
        on_response=lambda e: log.append(("response", e)),
        on_retry=lambda e: log.append(("retry", e)),
        on_error=lambda e: log.append(("error", e)),
    )
    return hooks, log


def sync_client(handler: Handler, hooks: Hooks, **options: Any) -> FaxPlus:
    transport = httpx.MockTransport(handler)
    return FaxPlus(
        access_token="t",
        base_url="http://api.test",
        http_client=httpx.Client(transport=transport),
        hooks=hooks,
        **options,
    )


def async_client(handler: Handler, hooks: Hooks, **options: Any) -> AsyncFaxPlus:
    transport = httpx.MockTransport(handler)
    return AsyncFaxPlus(
        access_token="t",
        base_url="http://api.test",
        http_client=httpx.AsyncClient(transport=transport),
        hooks=hooks,
        **options,
    )


def test_sync_hooks_see_each_attempt_the_retry_with_its_wait_and_the_response() -> None:
    hooks, log = recorder()
    handler, seen = scripted(503, 200)
    sync_client(handler, hooks).files.get_file(fax_id="f1")
    assert [kind for kind, _ in log] == ["request", "response", "retry", "request", "response"]
    first, answer, retry, second, final = (event for _, event in log)
    assert isinstance(first, RequestEvent) and first.attempt == 1 and first.request is seen[0]
    assert isinstance(answer, ResponseEvent) and answer.response.status_code == 503
    assert answer.attempt == 1 and answer.elapsed >= 0
    assert isinstance(retry, RetryEvent)
    assert (retry.attempt, retry.wait, retry.error) == (2, 0.01, None)
    assert retry.response is not None and retry.response.status_code == 503
    assert isinstance(second, RequestEvent) and second.attempt == 2
    assert isinstance(final, ResponseEvent) and final.response.status_code == 200
    assert final.attempt == 2


def test_async_client_awaits_async_hooks_and_runs_sync_ones() -> None:
    log: list[tuple[str, int]] = []

    async def on_request(event: RequestEvent) -> None:
        await asyncio.sleep(0)
        log.append(("request", event.attempt))

    async def on_retry(event: RetryEvent) -> None:
        log.append(("retry", event.attempt))

    hooks = Hooks(
        on_request=on_request,
        on_retry=on_retry,
        on_response=lambda e: log.append(("response", e.response.status_code)),
    )
    handler, _ = scripted(502, 503, 200)

    async def run() -> None:
        async with async_client(handler, hooks) as client:
            await client.files.get_file(fax_id="f1")

    asyncio.run(run())
    assert log == [
        ("request", 1),
        ("response", 502),
        ("retry", 2),
        ("request", 2),
        ("response", 503),
        ("retry", 3),
        ("request", 3),
        ("response", 200),
    ]


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_connection_errors_reach_on_retry_then_on_error(kind: str) -> None:
    hooks, log = recorder()
    handler, _ = scripted(httpx.ConnectError, httpx.ConnectError)
    with pytest.raises(APIConnectionError) as raised:
        if kind == "sync":
            sync_client(handler, hooks, max_retries=1).files.get_file(fax_id="f1")
        else:
            client = async_client(handler, hooks, max_retries=1)
            asyncio.run(client.files.get_file(fax_id="f1"))
    assert [kind for kind, _ in log] == ["request", "retry", "request", "error"]
    retry, error = log[1][1], log[3][1]
    assert isinstance(retry.error, httpx.ConnectError) and retry.response is None
    assert isinstance(error, ErrorEvent) and error.error is raised.value and error.attempt == 2


def test_request_hook_can_add_a_trace_header() -> None:
    handler, seen = scripted(200)

    def trace(event: RequestEvent) -> None:
        event.request.headers["traceparent"] = f"00-{'1' * 32}-{'2' * 16}-01"

    sync_client(handler, Hooks(on_request=trace)).files.get_file(fax_id="f1")
    assert seen[0].headers["traceparent"].startswith("00-111")


def test_a_hooks_exception_propagates_and_nothing_is_sent_or_retried() -> None:
    class Refused(Exception):
        pass

    def refuse(event: object) -> None:
        raise Refused

    handler, seen = scripted(200)
    with pytest.raises(Refused):
        sync_client(handler, Hooks(on_request=refuse)).files.get_file(fax_id="f1")
    assert seen == []
    handler, seen = scripted(503, 200)
    with pytest.raises(Refused):
        sync_client(handler, Hooks(on_response=refuse)).files.get_file(fax_id="f1")
    assert len(seen) == 1  # not retried
    handler, seen = scripted(503, 200)
    with pytest.raises(Refused):
        client = async_client(handler, Hooks(on_retry=refuse))
        asyncio.run(client.files.get_file(fax_id="f1"))
    assert len(seen) == 1


def test_response_is_closed_when_on_response_raises() -> None:
    responses: list[httpx.Response] = []

    def keep_and_fail(event: ResponseEvent) -> None:
        responses.append(event.response)
        raise RuntimeError("metrics backend down")

    handler, _ = scripted(200)
    client = sync_client(handler, Hooks(on_response=keep_and_fail))
    with (
        pytest.raises(RuntimeError, match="metrics backend down"),
        client.files.with_streaming_response.get_file(fax_id="f1"),
    ):
        pass
    assert responses and responses[0].is_closed


def test_async_hook_on_the_sync_client_is_a_type_error_without_unawaited_warning() -> None:
    async def on_request(event: RequestEvent) -> None:
        pass

    handler, seen = scripted(200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "coroutine was never awaited" would fail the test
        with pytest.raises(TypeError, match="async client"):
            sync_client(handler, Hooks(on_request=on_request)).files.get_file(fax_id="f1")
    assert seen == []


def test_with_options_keeps_or_replaces_the_hooks() -> None:
    hooks, log = recorder()
    handler, _ = scripted(200, 200, 500)
    client = sync_client(handler, hooks, max_retries=0)
    assert client.hooks is hooks
    client.with_options(timeout=5.0).files.get_file(fax_id="f1")
    assert len(log) == 2
    other, other_log = recorder()
    quiet = client.with_options(hooks=other)
    quiet.files.get_file(fax_id="f1")
    with pytest.raises(InternalServerError):
        quiet.files.get_file(fax_id="f1")
    assert len(log) == 2 and [k for k, _ in other_log] == ["request", "response"] * 2
    assert FaxPlus(access_token="t").hooks == Hooks()  # no hooks by default
