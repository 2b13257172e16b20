"""Media types as the model reads them: which kind of body a type is, and which ones carry none."""

from __future__ import annotations

# Statuses whose answers HTTP forbids a body (RFC 9110 15.3.5, 15.3.6, 15.4.5): content a spec
# declares on them is never sent, so the operation returns None for them.
NO_BODY_STATUSES = frozenset({"204", "205", "304"})
WILDCARDS = frozenset({"*/*", "application/*"})
# Which request body an operation takes when the spec offers several.
BODY_PREFERENCE = {"json": 0, "form": 1, "multipart": 2, "binary": 3, "text": 4}


def media_base(media: str) -> str:
    """The media type without its parameters, lower-cased: `application/json; charset=utf-8`
    is `application/json`."""
    return media.split(";")[0].strip().lower()


def is_json_media(media: str) -> bool:
    media = media_base(media)
    return (
        media == "application/json"
        or media.endswith("+json")
        or media == "*/*"
        or media == "text/json"
    )


EVENT_STREAM = "text/event-stream"


def body_kind(media: str) -> str:
    base = media_base(media)
    if is_json_media(base):
        return "json"
    if base == "multipart/form-data" or base.startswith("multipart/"):
        return "multipart"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("text/") or base in ("application/xml",):
        return "text"
    return "binary"
