"""Errors raised by the client: one root, `APIError`, and a class per kind of failure."""

from __future__ import annotations

from typing import Any, Iterable, cast

import httpx

from . import _errors

__all__ = [
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIResponseValidationError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
]


class APIError(Exception):
    """Root of every error this client raises."""

    message: str
    request: httpx.Request | None
    body: Any
    """The parsed error body: the documented error model where the spec has one, else JSON or text."""

    def __init__(
        self, message: str, request: httpx.Request | None = None, *, body: Any = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIConnectionError(APIError):
    """The request could not be sent or no response arrived."""

    def __init__(
        self, message: str = "Connection error.", request: httpx.Request | None = None
    ) -> None:
        super().__init__(message, request)


class APITimeoutError(APIConnectionError):
    """The request timed out (see the client's `timeout`)."""

    def __init__(self, request: httpx.Request | None = None) -> None:
        super().__init__("Request timed out.", request)


class APIResponseValidationError(APIError):
    """The server answered with success, but the body does not match the documented schema."""

    response: httpx.Response
    status_code: int

    def __init__(self, response: httpx.Response, body: Any, *, message: str | None = None) -> None:
        super().__init__(
            message or "The response body does not match the documented schema.",
            response.request,
            body=body,
        )
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status."""

    response: httpx.Response
    status_code: int
    body: _errors.APIErrorBody
    """The parsed error body: the error model the operation documents for the status, else the
    API's common one (`_errors`); the JSON or text of the answer when it matches neither."""

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    @property
    def text(self) -> str:
        """The raw response body."""
        return self.response.text

    @property
    def request_id(self) -> str | None:
        """The id the API gave the request (its request id header), for the API's support."""
        for name in _errors.REQUEST_ID_HEADERS:
            found: str | None = self.response.headers.get(name)
            if found:
                return found
        return None

    @property
    def code(self) -> _errors.APIErrorCode:
        """The error body's code, where the API's error schema has one (else None)."""
        return cast("_errors.APIErrorCode", _body_field(self.body, "code"))

    @property
    def error_message(self) -> _errors.APIErrorMessage:
        """The error body's own message, where the API's error schema has one (else None);
        `message` is the whole exception message: status, request line and this explanation."""
        return cast("_errors.APIErrorMessage", _body_field(self.body, "message"))

    @property
    def type(self) -> _errors.APIErrorType:
        """The error body's type, where the API's error schema has one (else None)."""
        return cast("_errors.APIErrorType", _body_field(self.body, "type"))


def _body_field(body: object, name: str) -> Any:
    """A field of the error body by its place in the API's error schema: read from the parsed
    model, or from the JSON when the answer did not match it; None when absent or of another
    type."""
    place = _errors.ERROR_FIELDS.get(name)
    if place is None:
        return None
    steps, keys, kind = place
    value: Any = body
    for step, key in zip(steps, keys, strict=True):
        value = value.get(key) if isinstance(value, dict) else getattr(value, step, None)
        if value is None:
            return None
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


class BadRequestError(APIStatusError):
    """400"""


class AuthenticationError(APIStatusError):
    """401"""


class PermissionDeniedError(APIStatusError):
    """403"""


class NotFoundError(APIStatusError):
    """404"""


class ConflictError(APIStatusError):
    """409"""


class UnprocessableEntityError(APIStatusError):
    """422"""


class RateLimitError(APIStatusError):
    """429"""


class InternalServerError(APIStatusError):
    """5xx"""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, APIStatusError)


# Where APIs put their explanation, most telling first: `message` (OpenAI, Stripe and Google nest
# it under `error`), OAuth's `error_description`, RFC 7807's `detail` before its `title`, FastAPI's
# `detail` list, JSON:API's `errors` list, a bare `error` string (Slack, OAuth codes).
_EXPLANATION_KEYS = (
    "message",
    "error_description",
    "detail",
    "description",
    "error_message",
    "title",
    "error",
    "errors",
    "msg",
    "reason",
)
EXPLANATION_LIMIT = 300
_MAX_DEPTH = 4
_MAX_ITEMS = 3


def explain_error_body(body: Any, secrets: Iterable[str | None] = ()) -> str | None:
    """The API's own explanation in a parsed error body (JSON, or text), on one line and cut
    short; None when the body has none (a page of HTML is no explanation). Each of `secrets`
    is masked first: some servers echo the key they refused."""
    text = _explanation(body, 0)
    if not text:
        return None
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text if len(text) <= EXPLANATION_LIMIT else text[: EXPLANATION_LIMIT - 3] + "..."


def _explanation(value: Any, depth: int) -> str | None:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, str):
        return _one_line(value)
    if isinstance(value, list):
        found = [_explanation(item, depth + 1) for item in value[:_MAX_ITEMS]]
        return "; ".join(text for text in found if text) or None
    if not isinstance(value, dict):
        return None
    by_key = {key.lower(): item for key, item in value.items() if isinstance(key, str)}
    for key in _EXPLANATION_KEYS:
        text = _explanation(by_key.get(key), depth + 1)
        if text:
            where = _where(by_key)
            return f"{where}: {text}" if where else text
    errors = by_key.get("errors")
    if isinstance(errors, dict):  # {"errors": {"email": ["is invalid"]}}
        fields = [(k, _explanation(v, depth + 1)) for k, v in list(errors.items())[:_MAX_ITEMS]]
        return "; ".join(f"{k}: {text}" for k, text in fields if text) or None
    return None


def _where(by_key: dict[str, Any]) -> str:
    """The field an item of an error list is about (FastAPI's `loc`, others' `field`)."""
    where = by_key.get("loc", by_key.get("field"))
    if isinstance(where, list):
        where = ".".join(str(part) for part in where if isinstance(part, (str, int)))
    return (_one_line(where) or "") if isinstance(where, str) else ""


def _one_line(text: str) -> str | None:
    text = " ".join(text[: EXPLANATION_LIMIT * 4].split())
    if not text or text.startswith("<"):  # markup: an HTML error page, or XML
        return None
    return text
