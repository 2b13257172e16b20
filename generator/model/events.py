"""Server-sent events: which operations answer with them, the type of each event, and how the
stream is asked for, ends and reports errors (api.EventStream).

Specs type events in one of two ways. Most (OpenAI) give the schema of each event's `data`; some
describe the whole event, an object of `data`, `event`, `id` and `retry` (or a union of such,
one per event name): each event is then that model, with its `data` parsed. The stream ends at
`data: [DONE]` unless the configuration (`stream-sentinel`), the media type or the operation
(`x-oasgen-stream-sentinel`) names another sentinel."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from generator.model.api import EventStream, Operation, ResponseContent
from generator.model.reading import SpecReader
from generator.spec.refs import Location

SENTINEL_EXTENSION = "x-oasgen-stream-sentinel"
DEFAULT_SENTINEL = "[DONE]"
# The fields of an event (HTML standard, 9.2.6); a schema of these, with `data`, is a whole event.
EVENT_FIELDS = frozenset({"data", "event", "id", "retry"})
# The request body property that asks an operation answering both JSON and events for events.
FLAG = "stream"
_UNIONS = ("oneOf", "anyOf")


def event_content(
    read: SpecReader, media: str, media_obj: Any, at: Location, hint: str
) -> ResponseContent:
    """The events of a success answer: their type and convention, from the media type's schema."""
    media_obj = media_obj if isinstance(media_obj, dict) else {}
    schema = media_obj.get("schema")
    schema_at = at.child("content", media, "schema")
    expr = read.schemas.type_of(schema, schema_at, hint + "Event")
    if _whole_events(read, schema, schema_at):  # errors are `event: error`; the data is typed
        stream = EventStream(expr, "whole", error_field="")
    else:
        error_field = "" if _declares(read, schema, schema_at, "error") else "error"
        stream = EventStream(expr, error_field=error_field)
    sentinel = media_obj.get(SENTINEL_EXTENSION)
    if isinstance(sentinel, str):
        stream = replace(stream, sentinel=sentinel)
    return ResponseContent(media, "events", expr, events=stream)


def settle_events(
    read: SpecReader,
    op: Operation,
    raw_op: dict[str, Any],
    at: Location,
    configured_sentinel: str | None,
) -> None:
    """`op.events`, from its success answers' events: whether its body asks for them (a `stream`
    property, which the method's `stream` argument then sets), whether events are all it
    answers, and the sentinel."""
    success = [r for r in op.responses if r.status.startswith("2")] or [
        r for r in op.responses if r.status == "default"
    ]
    found = [c for r in success for c in r.contents if c.events is not None]
    if not found or found[0].events is None:
        return
    stream = found[0].events
    others = [c for r in success for c in r.contents if c.events is None]
    sentinel = raw_op.get(SENTINEL_EXTENSION)
    if stream.sentinel != DEFAULT_SENTINEL:  # the media type's own
        sentinel = stream.sentinel
    if configured_sentinel is not None:  # the configuration corrects the spec
        sentinel = configured_sentinel
    flag = FLAG if _body_has_flag(read, op, raw_op, at) else ""
    if flag and op.body is not None and op.body.fields:  # the runtime sets it; no argument
        op.body.fields = [f for f in op.body.fields if f.json_name != flag]
    op.events = replace(
        stream,
        sentinel=sentinel if isinstance(sentinel, str) else DEFAULT_SENTINEL,
        flag=flag,
        always=not others,
    )


def _body_has_flag(read: SpecReader, op: Operation, raw_op: dict[str, Any], at: Location) -> bool:
    if op.body is None:
        return False
    found = read.deref_dict(raw_op.get("requestBody"), at.child("requestBody"))
    content = found[0].get("content") if found else None
    media = content.get(op.body.media_type) if isinstance(content, dict) else None
    if not isinstance(media, dict) or found is None:
        return False
    schema_at = found[1].child("content", op.body.media_type, "schema")
    return _declares(read, media.get("schema"), schema_at, FLAG)


def _properties(read: SpecReader, schema: Any, at: Location, depth: int = 0) -> dict[str, Any]:
    """The properties of an object schema, with those of its `allOf` members."""
    found = read.deref_dict(schema, at)
    if found is None or depth > 8:
        return {}
    schema, at = found
    properties = dict(schema.get("properties") or {})
    for i, member in enumerate(schema.get("allOf") or []):
        properties.update(_properties(read, member, at.child("allOf", str(i)), depth + 1))
    return properties


def _declares(read: SpecReader, schema: Any, at: Location, name: str) -> bool:
    """Whether the schema, or any variant of its union, has the property `name`."""
    if name in _properties(read, schema, at):
        return True
    return any(name in _properties(read, v, a) for v, a in _variants(read, schema, at))


def _variants(read: SpecReader, schema: Any, at: Location) -> list[tuple[Any, Location]]:
    found = read.deref_dict(schema, at)
    if found is None:
        return []
    schema, at = found
    for key in _UNIONS:
        if isinstance(schema.get(key), list):
            return [(v, at.child(key, str(i))) for i, v in enumerate(schema[key])]
    return []


def _whole_events(read: SpecReader, schema: Any, at: Location) -> bool:
    """Whether the schema describes whole events (a union of them, one per event name) rather
    than their data. A whole event has `data` and at least one more of the event's fields, and
    nothing else: `{"data": [...]}` alone is a payload (what list answers look like)."""
    for variant, variant_at in _variants(read, schema, at) or [(schema, at)]:
        properties = _properties(read, variant, variant_at)
        if "data" not in properties or len(properties) < 2 or set(properties) - EVENT_FIELDS:
            return False
    return True
