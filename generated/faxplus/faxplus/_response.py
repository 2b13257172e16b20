"""Raw and streamed access to responses, next to the parsed result."""

from __future__ import annotations

import contextvars
import functools
import os
from types import FunctionType
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncContextManager,
    AsyncIterator,
    Awaitable,
    Callable,
    ContextManager,
    Generic,
    Iterator,
    TypeVar,
    cast,
)

import httpx
import pydantic
from typing_extensions import ParamSpec

from ._exceptions import APIResponseValidationError

if TYPE_CHECKING:
    from ._base_client import BaseClient

T = TypeVar("T")
P = ParamSpec("P")

# How the next request of this context answers: "parsed" (the model), "raw" (APIResponse, read)
# or "stream" (APIResponse, body unread). Set only by the wrappers below, for one call.
response_mode: contextvars.ContextVar[str] = contextvars.ContextVar(
    "response_mode", default="parsed"
)


_TYPE_ADAPTERS: dict[Any, Any] = {}


def type_adapter(cast_to: Any) -> Any:
    """A cached pydantic TypeAdapter: building one costs more than validating with it. An
    Endpoint names a type of models in a lambda (its module imports no model class), called here
    once; the adapter is shared by every Endpoint of that type."""
    adapter = _TYPE_ADAPTERS.get(cast_to)
    if adapter is None:
        target = cast_to() if isinstance(cast_to, FunctionType) else cast_to
        adapter = _TYPE_ADAPTERS.get(target)
        if adapter is None:
            adapter = _TYPE_ADAPTERS[target] = pydantic.TypeAdapter(target)
        _TYPE_ADAPTERS[cast_to] = adapter
    return adapter


# HTTP forbids a body on these answers; a spec declaring content on them is settled the same way.
NO_BODY_STATUSES = frozenset({204, 205, 304})


def parse_response(response: httpx.Response, cast_to: Any, result: str) -> Any:
    """The body of a success response as the operation documents it: model, bytes, text or None."""
    if response.status_code in NO_BODY_STATUSES:
        return None
    if result == "binary":
        return response.content
    if result == "text":
        return response.text
    if result == "empty" or cast_to is None:
        return None
    if not response.content:
        try:
            return type_adapter(cast_to).validate_python(None)
        except Exception:
            message = "Expected a JSON body; got none."
            raise APIResponseValidationError(response, None, message=message) from None
    try:
        data = response.json()
    except (ValueError, RecursionError):  # RecursionError: JSON nested too deeply to parse
        message = "The response is not JSON (or nests too deeply to parse)."
        if response.headers.get("content-type", "").startswith("text/event-stream"):
            message = "The response is server-sent events: pass stream=True to read them."
        raise APIResponseValidationError(response, response.text, message=message) from None
    try:
        return type_adapter(cast_to).validate_python(data)
    except Exception as exc:  # pydantic.ValidationError, or a type it cannot build an adapter for
        raise APIResponseValidationError(response, data, message=_short(str(exc))) from exc


def _short(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[:limit] + " ..."


class _BaseResponse(Generic[T]):
    _post_parse: Callable[[Any], Any] | None = None
    """What `parse()` makes of the parsed body (a paginated operation: its page)."""
    _events: Callable[[], Any] | None = None
    """A stream of events: what `parse()` answers, leaving the body to the stream to read."""

    def __init__(
        self, http_response: httpx.Response, client: BaseClient, cast_to: Any, result: str
    ) -> None:
        self.http_response = http_response
        self._client = client
        self._cast_to = cast_to
        self._result = result

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def elapsed_ms(self) -> float:
        return self.http_response.elapsed.total_seconds() * 1000

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.http_response.request.method}>"


class APIResponse(_BaseResponse[T]):
    """A response with its status, headers and body, parsed on request with `parse()`."""

    def parse(self) -> T:
        if self._events is not None:
            return cast(T, self._events())
        self.http_response.read()
        parsed = parse_response(self.http_response, self._cast_to, self._result)
        return cast(T, self._post_parse(parsed) if self._post_parse else parsed)

    def read(self) -> bytes:
        return self.http_response.read()

    def text(self) -> str:
        self.http_response.read()
        return self.http_response.text

    def json(self) -> Any:
        self.http_response.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks, without holding all of it in memory (use with streaming)."""
        return self.http_response.iter_bytes(chunk_size)

    def write_to_file(self, path: str | os.PathLike[str], chunk_size: int = 64 * 1024) -> int:
        """Stream the body to `path`; returns the number of bytes written."""
        written = 0
        with open(path, "wb") as out:
            for chunk in self.http_response.iter_bytes(chunk_size):
                out.write(chunk)
                written += len(chunk)
        return written

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_BaseResponse[T]):
    """The async twin of `APIResponse`."""

    async def parse(self) -> T:
        if self._events is not None:
            return cast(T, self._events())
        await self.http_response.aread()
        parsed = parse_response(self.http_response, self._cast_to, self._result)
        return cast(T, self._post_parse(parsed) if self._post_parse else parsed)

    async def read(self) -> bytes:
        return await self.http_response.aread()

    async def text(self) -> str:
        await self.http_response.aread()
        return self.http_response.text

    async def json(self) -> Any:
        await self.http_response.aread()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    async def write_to_file(self, path: str | os.PathLike[str], chunk_size: int = 64 * 1024) -> int:
        written = 0
        with open(path, "wb") as out:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                out.write(chunk)
                written += len(chunk)
        return written

    async def close(self) -> None:
        await self.http_response.aclose()


def to_raw_response_wrapper(func: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = response_mode.set("raw")
        try:
            return cast("APIResponse[T]", func(*args, **kwargs))
        finally:
            response_mode.reset(token)

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[AsyncAPIResponse[T]]]:
    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncAPIResponse[T]:
        token = response_mode.set("raw")
        try:
            return cast("AsyncAPIResponse[T]", await func(*args, **kwargs))
        finally:
            response_mode.reset(token)

    return wrapped


class _StreamedResponse(Generic[T]):
    def __init__(self, call: Callable[[], Any]) -> None:
        self._call = call
        self._response: APIResponse[T] | None = None

    def __enter__(self) -> APIResponse[T]:
        token = response_mode.set("stream")
        try:
            self._response = cast("APIResponse[T]", self._call())
        finally:
            response_mode.reset(token)
        return self._response

    def __exit__(self, *exc: object) -> None:
        if self._response is not None:
            self._response.close()


class _AsyncStreamedResponse(Generic[T]):
    def __init__(self, call: Callable[[], Awaitable[Any]]) -> None:
        self._call = call
        self._response: AsyncAPIResponse[T] | None = None

    async def __aenter__(self) -> AsyncAPIResponse[T]:
        token = response_mode.set("stream")
        try:
            self._response = cast("AsyncAPIResponse[T]", await self._call())
        finally:
            response_mode.reset(token)
        return self._response

    async def __aexit__(self, *exc: object) -> None:
        if self._response is not None:
            await self._response.close()


def to_streamed_response_wrapper(
    func: Callable[P, T],
) -> Callable[P, ContextManager[APIResponse[T]]]:
    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ContextManager[APIResponse[T]]:
        return _StreamedResponse(lambda: func(*args, **kwargs))

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[P, Awaitable[T]],
) -> Callable[P, AsyncContextManager[AsyncAPIResponse[T]]]:
    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncContextManager[AsyncAPIResponse[T]]:
        return _AsyncStreamedResponse(lambda: func(*args, **kwargs))

    return wrapped
