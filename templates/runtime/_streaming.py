"""Server-sent events: an operation answering `text/event-stream` streams typed events.

`Stream` (sync) and `AsyncStream` (async) read the body as it arrives, never all of it first; each
`data:` block becomes one event of the operation's type. A stream stops at its sentinel
(`data: [DONE]`), raises `APIStreamError` on an error event, and closes its response when it is
exhausted, when it fails, when the loop leaves it (`break`), and at the end of a `with` block.

A stream is never retried: its request is retried as any other until an answer arrives, and once
the answer's first byte has been read, what the server sent cannot be asked for again."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncGenerator,
    AsyncIterator,
    Generator,
    Generic,
    Iterator,
    Mapping,
    TypeVar,
    cast,
)

import httpx
from typing_extensions import Self

from ._deprecation import warn_deprecated
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    explain_error_body,
)
from ._response import APIResponse, AsyncAPIResponse, response_mode, type_adapter
from ._types import RequestOptions

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, Endpoint, SyncAPIClient

_EventT = TypeVar("_EventT")

__all__ = ["APIStreamError", "AsyncStream", "Events", "ServerSentEvent", "Stream"]


@dataclass(frozen=True)
class ServerSentEvent:
    """One event as the server sent it: its `data:` lines joined by newlines, its `event:` name,
    the last `id:` seen so far and its `retry:` time (milliseconds), where given."""

    data: str
    event: str | None = None
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        return json.loads(self.data)


_LINE_END = re.compile(rb"\r\n|\r|\n")


class SSEDecoder:
    """Bytes in, events out, as the HTML standard's event-stream parsing says: lines end with CRLF,
    CR or LF (also when a chunk ends between CR and LF); `:` starts a comment; one leading space
    of a value is dropped; an event is dispatched at a blank line when it has data; `id` persists
    from event to event (one holding NUL is ignored); `retry` must be digits; a leading byte order
    mark is dropped; an event the stream ends in the middle of is discarded. Lines are decoded as
    UTF-8 once whole, so a character split across network reads decodes right."""

    def __init__(self) -> None:
        self._partial = bytearray()
        self._after_cr = False  # the last chunk ended with CR: a LF opening the next one is its end
        self._started = False
        self._data: list[str] = []
        self._event = ""
        self._last_id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """The events completed by `chunk`."""
        events: list[ServerSentEvent] = []
        if not chunk:  # keeps a CR that ended the last chunk waiting for its LF
            return events
        start = 0
        if self._after_cr and chunk[:1] == b"\n":
            start = 1
        self._after_cr = False
        for end in _LINE_END.finditer(chunk, start):
            self._partial += chunk[start : end.start()]
            start = end.end()
            if end.group() == b"\r" and start == len(chunk):
                self._after_cr = True
            line = self._partial.decode("utf-8", errors="replace")
            self._partial.clear()
            event = self._line(line)
            if event is not None:
                events.append(event)
        self._partial += chunk[start:]
        return events

    def _line(self, line: str) -> ServerSentEvent | None:
        if not self._started:
            self._started = True
            line = line.removeprefix("\ufeff")
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        data, event, retry = self._data, self._event, self._retry
        self._data, self._event, self._retry = [], "", None
        if not data:
            return None
        return ServerSentEvent("\n".join(data), event or None, self._last_id, retry)


class APIStreamError(APIError):
    """The server reported an error inside a stream of events (an `error` event). `body` is the
    event's data: the operation's documented error model when it matches, else the JSON."""

    response: httpx.Response
    event: ServerSentEvent

    def __init__(
        self, message: str, *, response: httpx.Response, event: ServerSentEvent, body: Any
    ) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.event = event


@dataclass(frozen=True)
class Events(Generic[_EventT]):
    """How one operation streams events; `_EventT` is the type of each event.

    `cast_to` types each event's `data` (JSON, or text when `data_json` is false); with `whole`,
    it types the whole event instead (`data`, `event`, `id`, `retry`), with `data` parsed.
    `sentinel` is the data that ends the stream; `flag` the property of the request body that asks
    for events (`"stream": true`); `error_field` a property of the data that, when not null, makes
    the event an error (as an event named `error` does); `always`: the operation answers only with
    events."""

    cast_to: Any
    whole: bool = False
    data_json: bool = True
    sentinel: str = "[DONE]"
    flag: str = ""
    error_field: str = "error"
    accept: str = "text/event-stream"
    always: bool = False

    def parse(
        self,
        sse: ServerSentEvent,
        response: httpx.Response,
        errors: Mapping[str, Any] | None,
    ) -> _EventT:
        data: Any = sse.data
        if self.data_json:
            try:
                data = json.loads(sse.data)
            except (ValueError, RecursionError):
                # A whole event's text data is given as it is (its model says whether it may be).
                if sse.event != "error" and not self.whole:
                    message = "An event's data is not JSON (or nests too deeply to parse)."
                    raise APIResponseValidationError(response, sse.data, message=message) from None
        if sse.event == "error" or self._carries_error(data):
            raise _stream_error(sse, data, response, errors)
        if not self.whole:
            return self._validated(data, response)
        given = {"event": sse.event, "id": sse.id, "retry": sse.retry}
        fields = {k: v for k, v in given.items() if v is not None}
        if data is not sse.data:  # parsed: JSON data, unless the model wants the text
            try:
                return cast(
                    _EventT, type_adapter(self.cast_to).validate_python({"data": data, **fields})
                )
            except Exception:  # noqa: BLE001 - tried again with the text, which reports
                pass
        return self._validated({"data": sse.data, **fields}, response)

    def _validated(self, value: Any, response: httpx.Response) -> _EventT:
        try:
            return cast(_EventT, type_adapter(self.cast_to).validate_python(value))
        except Exception as exc:  # pydantic.ValidationError, or a type it cannot adapt
            text = str(exc)
            message = text if len(text) <= 500 else text[:500] + " ..."
            raise APIResponseValidationError(response, value, message=message) from exc

    def _carries_error(self, data: Any) -> bool:
        return (
            bool(self.error_field) and isinstance(data, dict) and bool(data.get(self.error_field))
        )

    def asking(self, options: RequestOptions | None) -> RequestOptions:
        """The request's options with the body's flag set (`"stream": true`)."""
        options = cast(RequestOptions, dict(options or {}))
        if self.flag:
            options["extra_body"] = {self.flag: True, **(options.get("extra_body") or {})}
        return options


def _stream_error(
    sse: ServerSentEvent, data: Any, response: httpx.Response, errors: Mapping[str, Any] | None
) -> APIStreamError:
    message = explain_error_body(data) or "The server reported an error in the stream."
    body = data
    for status in sorted(errors or {}, key=lambda s: (s != "default", s)):
        try:  # the first documented error model the event's data matches
            body = type_adapter(cast(Mapping[str, Any], errors)[status]).validate_python(data)
            break
        except Exception:  # noqa: BLE001 - keep the JSON when no error model matches
            continue
    return APIStreamError(message, response=response, event=sse, body=body)


def _request_arguments(endpoint: Endpoint[Any], events: Events[Any]) -> dict[str, Any]:
    arguments = endpoint.request_arguments()
    for key in ("cast_to", "result", "errors"):
        del arguments[key]
    arguments["accept"] = events.accept
    return arguments


class Stream(Generic[_EventT]):
    """The events of one answer, typed, read as they arrive: iterate it (once), or use it as a
    context manager so that it is closed however the block ends."""

    def __init__(
        self, response: httpx.Response, events: Events[_EventT], errors: Mapping[str, Any] | None
    ) -> None:
        self.response = response
        self._iterator = _events(response, events, errors)

    def __iter__(self) -> Iterator[_EventT]:
        return self._iterator

    def __next__(self) -> _EventT:
        return next(self._iterator)

    def close(self) -> None:
        """Close the response (and its connection); iterating ends."""
        self._iterator.close()
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# The generators below hold the response, not their Stream: a Stream that a loop alone iterates is
# freed as the loop leaves it (`break`), which closes its generator, and so the response, at once.
def _events(
    response: httpx.Response, events: Events[_EventT], errors: Mapping[str, Any] | None
) -> Generator[_EventT, None, None]:
    decoder = SSEDecoder()
    try:
        for chunk in _chunks(response):
            for sse in decoder.feed(chunk):
                if events.sentinel and sse.data == events.sentinel:
                    return
                yield events.parse(sse, response, errors)
    finally:  # exhausted, failed, or closed by the loop that left it
        response.close()


def _chunks(response: httpx.Response) -> Iterator[bytes]:
    try:
        yield from response.iter_bytes()
    except httpx.TransportError as exc:
        raise _broken(response, exc) from None


class AsyncStream(Generic[_EventT]):
    """The async twin of `Stream`: `async for` it, or `async with` it."""

    def __init__(
        self, response: httpx.Response, events: Events[_EventT], errors: Mapping[str, Any] | None
    ) -> None:
        self.response = response
        self._iterator = _async_events(response, events, errors)

    def __aiter__(self) -> AsyncIterator[_EventT]:
        return self._iterator

    async def __anext__(self) -> _EventT:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        await self._iterator.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def _async_events(
    response: httpx.Response, events: Events[_EventT], errors: Mapping[str, Any] | None
) -> AsyncGenerator[_EventT, None]:
    decoder = SSEDecoder()
    try:
        async for chunk in _async_chunks(response):
            for sse in decoder.feed(chunk):
                if events.sentinel and sse.data == events.sentinel:
                    return
                yield events.parse(sse, response, errors)
    finally:
        await response.aclose()


async def _async_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.aiter_bytes():
            yield chunk
    except httpx.TransportError as exc:
        raise _broken(response, exc) from None


def _broken(response: httpx.Response, error: Exception) -> APIConnectionError:
    # The type of the failure, not its text: some transports put the URL (and query) in it.
    message = f"The stream broke off ({type(error).__name__})."
    return APIConnectionError(message, response.request)


def sync_events(
    client: SyncAPIClient,
    endpoint: Endpoint[Any],
    events: Events[_EventT],
    stream: bool,
    options: RequestOptions | None,
    kwargs: dict[str, Any],
) -> Any:
    """The operation's JSON answer, or (`stream` true) a `Stream` of its events, as soon as the
    answer's headers arrive. Raw and streamed responses (`with_raw_response`,
    `with_streaming_response`) hold the unread body; their `parse()` answers with the stream."""
    if not stream and not events.always:
        return client.call(endpoint, options, **kwargs)
    if endpoint.deprecated:
        warn_deprecated(endpoint.deprecated)
    mode = response_mode.get()
    arguments = _request_arguments(endpoint, events)
    prepared = client._prepare(
        endpoint.method, endpoint.path, options=events.asking(options), **arguments, **kwargs
    )
    try:
        response = client._send_with_retries(prepared, endpoint.errors, stream=True)
    finally:
        prepared.opened.close()
    if mode == "parsed":
        return Stream(response, events, endpoint.errors)
    raw: APIResponse[Any] = APIResponse(response, client, None, "events")
    raw._events = lambda: Stream(response, events, endpoint.errors)
    return raw


async def async_events(
    client: AsyncAPIClient,
    endpoint: Endpoint[Any],
    events: Events[_EventT],
    stream: bool,
    options: RequestOptions | None,
    kwargs: dict[str, Any],
) -> Any:
    """The async twin of `sync_events`."""
    if not stream and not events.always:
        return await client.call(endpoint, options, **kwargs)
    if endpoint.deprecated:
        warn_deprecated(endpoint.deprecated)
    mode = response_mode.get()
    arguments = _request_arguments(endpoint, events)
    prepared = client._prepare(
        endpoint.method, endpoint.path, options=events.asking(options), **arguments, **kwargs
    )
    try:
        response = await client._send_with_retries(prepared, endpoint.errors, stream=True)
    finally:
        prepared.opened.close()
    if mode == "parsed":
        return AsyncStream(response, events, endpoint.errors)
    raw: AsyncAPIResponse[Any] = AsyncAPIResponse(response, client, None, "events")
    raw._events = lambda: AsyncStream(response, events, endpoint.errors)
    return raw
