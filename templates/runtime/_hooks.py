"""Event hooks: what the client calls before each request is sent, after each response, before
each retry and when a request fails without an answer, for tracing, metrics and logging.

A hook takes one event and its return value is ignored; on the async client it may be an async
function (it is awaited). A hook's exception propagates to the caller of the operation unchanged:
the request is not sent (`on_request`), not retried, and the response is closed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Union

import httpx

__all__ = ["Hooks", "RequestEvent", "ResponseEvent", "RetryEvent", "ErrorEvent"]


@dataclass(frozen=True)
class RequestEvent:
    """A request about to be sent. Headers may still be added (`event.request.headers[...]`),
    e.g. a trace context."""

    request: httpx.Request
    attempt: int
    """1 for the first attempt, 2 for the first retry, and so on."""


@dataclass(frozen=True)
class ResponseEvent:
    """The answer to an attempt (after redirects), error statuses included, before the client
    decides whether to retry or raise. Its body may not be read yet (streaming)."""

    request: httpx.Request
    response: httpx.Response
    attempt: int
    elapsed: float
    """Seconds from sending the request to the response's headers."""


@dataclass(frozen=True)
class RetryEvent:
    """The client is about to wait `wait` seconds, then send attempt number `attempt` (2 for the
    first retry), because of `response` (a retryable status) or `error` (a connection error)."""

    request: httpx.Request
    attempt: int
    wait: float
    response: httpx.Response | None
    error: Exception | None


@dataclass(frozen=True)
class ErrorEvent:
    """An attempt failed without an answer and will not be retried: `error` is the exception the
    caller gets (APIConnectionError or APITimeoutError)."""

    request: httpx.Request
    attempt: int
    error: Exception


_Hook = Callable[[Any], object]


@dataclass(frozen=True)
class Hooks:
    """The client's event hooks: `FaxPlus(hooks=Hooks(on_request=..., on_retry=...))`."""

    on_request: Union[Callable[[RequestEvent], object], None] = None
    on_response: Union[Callable[[ResponseEvent], object], None] = None
    on_retry: Union[Callable[[RetryEvent], object], None] = None
    on_error: Union[Callable[[ErrorEvent], object], None] = None


NO_HOOKS = Hooks()


def emit(hook: _Hook, event: object) -> None:
    """Run a hook of the sync client."""
    result = hook(event)
    if hasattr(result, "__await__"):  # inspect.isawaitable, without importing inspect
        close = getattr(result, "close", None)
        if close is not None:
            close()  # no "never awaited" warning on top of this error
        raise TypeError(
            f"hook {getattr(hook, '__qualname__', hook)!r} is async: pass async hooks to the "
            "async client"
        )


async def aemit(hook: _Hook, event: object) -> None:
    """Run a hook of the async client: an async hook is awaited."""
    result = hook(event)
    if hasattr(result, "__await__"):
        await result


def emit_response(hook: _Hook, event: ResponseEvent) -> None:
    try:
        emit(hook, event)
    except BaseException:
        event.response.close()
        raise


async def aemit_response(hook: _Hook, event: ResponseEvent) -> None:
    try:
        await aemit(hook, event)
    except BaseException:
        await event.response.aclose()
        raise
