"""When to send a request again, how long to wait first, and where a redirect may go."""

from __future__ import annotations

import email.utils
import random
import time
from typing import Iterable

import httpx

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
RETRY_STATUSES = frozenset({408, 409, 429})
# A request that is not idempotent is re-sent only when the server said it did not act on it.
RETRY_STATUSES_UNSAFE = frozenset({408, 429, 503})
# Errors raised before any byte of the request reached the server: safe to repeat for any method.
NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10


def is_idempotent(method: str, headers: Iterable[str]) -> bool:
    """GET, PUT, DELETE ... or a request with an `Idempotency-Key` the server deduplicates by."""
    return method in IDEMPOTENT_METHODS or any(
        name.lower() == "idempotency-key" for name in headers
    )


def should_retry_status(idempotent: bool, response: httpx.Response) -> bool:
    # A server may decide for itself (the convention of Stainless-built APIs).
    override = str(response.headers.get("x-should-retry", ""))
    if override in ("true", "false"):
        return override == "true"
    status = response.status_code
    if idempotent:
        return status in RETRY_STATUSES or status >= 500
    return status in RETRY_STATUSES_UNSAFE


def should_retry_error(idempotent: bool, error: Exception) -> bool:
    """A read timeout or a dropped connection may come after the server acted: only idempotent
    requests are repeated then. A failure to connect is repeated for every method."""
    if isinstance(error, httpx.UnsupportedProtocol):  # a wrong base_url: trying again won't help
        return False
    return idempotent or isinstance(error, NOT_SENT_ERRORS)


def retry_after_seconds(headers: httpx.Headers, now: float | None = None) -> float | None:
    """The wait the server asks for, from `retry-after-ms`, or `Retry-After` in seconds or as an
    HTTP date. A date in the past means "now" (0)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return max(email.utils.mktime_tz(parsed) - (time.time() if now is None else now), 0.0)


def backoff_delay(attempt: int, initial: float, maximum: float) -> float:
    """Exponential backoff (initial, 2x, 4x ... capped at maximum) less up to 25% jitter, so that
    many clients failing together do not come back together."""
    delay = min(initial * 2.0**attempt, maximum)
    return delay * (1 - 0.25 * random.random())


def redirect_request(
    request: httpx.Request,
    response: httpx.Response,
    secret_headers: frozenset[str],
    secret_query: frozenset[str],
) -> httpx.Request | None:
    """The next request of a redirect, or None. Credentials never follow it to another origin."""
    location = response.headers.get("location")
    if response.status_code not in REDIRECT_STATUSES or not location:
        return None
    url = request.url.join(location)
    headers = httpx.Headers(request.headers)
    headers.pop("host", None)
    method, content = request.method, request.content
    if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
        method, content = ("GET" if method != "HEAD" else "HEAD"), b""
        for name in ("content-type", "content-length", "transfer-encoding"):
            headers.pop(name, None)
    if (url.scheme, url.host, url.port) != (request.url.scheme, request.url.host, request.url.port):
        for name in list(headers.keys()):
            if name.lower() in secret_headers or name.lower() == "cookie":
                headers.pop(name)
        if secret_query:
            url = url.copy_with(
                params=[(k, v) for k, v in url.params.multi_items() if k not in secret_query]
            )
    return httpx.Request(
        method, url, headers=headers, content=content, extensions=request.extensions
    )
