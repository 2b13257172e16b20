"""Webhook deliveries: the signature checked first (where the API signs them and a secret is given),
then the payload read as JSON and validated as its event type. A delivery that fails either way
raises `ValueError` saying why; a bad signature raises `WebhookVerificationError`, a subclass."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any, Callable, Generic, Mapping, TypeVar, Union, cast

import httpx

from ._response import type_adapter

__all__ = [
    "DEFAULT_WEBHOOK_TOLERANCE",
    "WebhookPayload",
    "WebhookVerificationError",
    "WebhookVerifier",
]

_Event = TypeVar("_Event")

WebhookPayload = Union[bytes, str, Mapping[str, Any]]
"""A delivery as the web framework hands it over: the raw body (bytes or text) or parsed JSON."""

WebhookVerifier = Callable[[bytes, httpx.Headers], bool]
"""Checks a delivery the API does not sign in a way the client knows: given the raw body and the
headers (case-insensitive), True accepts it; False rejects it with a `WebhookVerificationError`."""

DEFAULT_WEBHOOK_TOLERANCE = 300.0
"""Seconds a signed delivery's timestamp may differ from now, either way (replays are refused)."""

_SHOWN_ERRORS = 3


class WebhookVerificationError(ValueError):
    """The delivery's signature does not verify: not sent by the API, altered on the way, or too
    old (a replay). Answer it with 400 and do not act on it."""


class Deliveries(Generic[_Event]):
    """How one API's deliveries are read: the union of its event types (`event_type`), the
    property telling them apart (`discriminator`, with the event type of each value in `tags`),
    and how they are signed (`signature`: "standard-webhooks" or "")."""

    def __init__(
        self,
        event_type: Any,
        *,
        discriminator: str = "",
        tags: Mapping[str, Any] | None = None,
        signature: str = "",
    ) -> None:
        self.event_type = event_type
        self.discriminator = discriminator
        self.tags = dict(tags or {})
        self.signature = signature

    def parse(
        self,
        payload: WebhookPayload,
        headers: Mapping[str, str] | None = None,
        *,
        secret: str | None = None,
        tolerance: float = DEFAULT_WEBHOOK_TOLERANCE,
        verifier: WebhookVerifier | None = None,
    ) -> _Event:
        if secret is not None or verifier is not None:
            body = _raw_body(payload)
            received = httpx.Headers(dict(headers.items()) if headers else {})
            if secret is not None:
                verify_standard_webhook(body, received, secret, tolerance)
            if verifier is not None and verifier(body, received) is not True:
                raise WebhookVerificationError("the delivery was rejected by the verifier")
        return self.validate(_json_object(payload))

    def validate(self, data: dict[str, Any]) -> _Event:
        target = self.event_type
        if self.discriminator:
            tag = data.get(self.discriminator)
            if not isinstance(tag, str) or tag not in self.tags:
                raise ValueError(
                    f"webhook delivery: {self.discriminator!r} is {_shown(tag)}, not an event "
                    f"this client knows ({_known(self.tags)}); a newer event needs a newer client"
                )
            target = self.tags[tag]
        import pydantic

        try:
            return cast(_Event, type_adapter(target).validate_python(data))
        except pydantic.ValidationError as exc:
            raise ValueError(f"malformed webhook delivery: {_explain(exc)}") from None


def verify_standard_webhook(
    body: bytes,
    headers: httpx.Headers,
    secret: str,
    tolerance: float = DEFAULT_WEBHOOK_TOLERANCE,
    now: float | None = None,
) -> None:
    """Standard Webhooks (standardwebhooks.com): an HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}`
    keyed by the secret (`whsec_` and base64), base64 in `webhook-signature` as `v1,<signature>`
    (several, space-separated, while a secret is rotated). Compared in constant time; the
    timestamp must be within `tolerance` seconds of now, either way."""
    key = _secret_key(secret)
    values = {name: headers.get(name) for name in _STANDARD_HEADERS}
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise WebhookVerificationError(f"the delivery has no {missing[0]} header")
    try:
        timestamp = int(str(values["webhook-timestamp"]))
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not a Unix time in seconds") from None
    current = time.time() if now is None else now
    if timestamp < current - tolerance:
        raise WebhookVerificationError("the delivery's timestamp is too old (a replay?)")
    if timestamp > current + tolerance:
        raise WebhookVerificationError("the delivery's timestamp is in the future")
    signed = f"{values['webhook-id']}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    for entry in str(values["webhook-signature"]).split():
        version, _, signature = entry.partition(",")
        if version == "v1" and hmac.compare_digest(signature.encode(), expected):
            return
    raise WebhookVerificationError("no signature of the delivery matches the secret")


_STANDARD_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")


def _secret_key(secret: str) -> bytes:
    """The key of a Standard Webhooks secret. A malformed secret is the integrator's mistake, not
    the delivery's: a plain ValueError, not a WebhookVerificationError."""
    encoded = secret.removeprefix("whsec_")
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not key:
        raise ValueError(
            "the webhook secret must be `whsec_` followed by base64 (as the API gave it)"
        )
    return key


def _raw_body(payload: WebhookPayload) -> bytes:
    if isinstance(payload, (bytes, bytearray, memoryview)):
        return bytes(payload)
    if isinstance(payload, str):
        return payload.encode("utf-8")
    raise TypeError(
        "checking a delivery's signature needs its raw body (bytes or str), not parsed JSON: "
        "the signature covers the exact bytes sent"
    )


def _json_object(payload: WebhookPayload) -> dict[str, Any]:
    data: object
    if isinstance(payload, (bytes, bytearray, memoryview, str)):
        text = bytes(payload) if not isinstance(payload, str) else payload
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
            raise ValueError(f"webhook payload is not JSON: {exc}") from None
    elif isinstance(payload, Mapping):
        data = dict(payload)
    else:
        raise TypeError(
            f"a webhook payload is bytes, str or a mapping, not {type(payload).__name__}"
        )
    if not isinstance(data, dict):
        raise ValueError(f"webhook payload must be a JSON object, not {_json_kind(data)}")
    return data


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "null"


def _explain(error: Any) -> str:
    """Which fields and why, without their values (a payload may hold personal data)."""
    problems = error.errors(include_url=False, include_input=False)
    parts = [
        f"{'.'.join(str(step) for step in problem['loc']) or 'the payload'}: {problem['msg']}"
        for problem in problems[:_SHOWN_ERRORS]
    ]
    more = len(problems) - _SHOWN_ERRORS
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def _shown(value: object) -> str:
    return "missing" if value is None else repr(value)[:80]


def _known(tags: Mapping[str, Any]) -> str:
    names = sorted(tags)
    shown = ", ".join(repr(n) for n in names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")
