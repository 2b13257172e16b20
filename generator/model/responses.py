"""Responses: what each status returns, the operation's result type and error types, and the
Accept header it sends."""

from __future__ import annotations

from typing import Any

from generator.model.api import Operation, Response, ResponseContent
from generator.model.events import event_content
from generator.model.media import (
    EVENT_STREAM,
    NO_BODY_STATUSES,
    WILDCARDS,
    body_kind,
    media_base,
)
from generator.model.reading import SpecReader
from generator.model.specvalues import text as spec_text
from generator.model.types import ANY, Nullable, Primitive, TypeExpr, UnionOf
from generator.spec.refs import Location


def build_responses(
    read: SpecReader, responses: dict[Any, Any], at: Location, hint: str
) -> list[Response]:
    result = []
    for status, response in responses.items():
        status = str(status).upper() if str(status).lower() != "default" else "default"
        found = read.deref_dict(response, at.child(str(status)))
        if found is None:
            result.append(Response(status, ""))
            continue
        value, value_at = found
        built = Response(status, spec_text(value.get("description")))
        headers = value.get("headers")
        if isinstance(headers, dict):
            built.headers = [str(name) for name in headers]
        content = value.get("content")
        if isinstance(content, dict) and status not in NO_BODY_STATUSES:
            for media, media_obj in content.items():
                built.contents.append(
                    _response_content(read, str(media), media_obj, value_at, hint, status)
                )
        result.append(built)
    return result


def _response_content(
    read: SpecReader, media: str, media_obj: Any, at: Location, hint: str, status: str
) -> ResponseContent:
    kind = body_kind(media)
    if media_base(media) == EVENT_STREAM and (status.startswith("2") or status == "default"):
        return event_content(read, media, media_obj, at, hint)
    if kind == "json":
        schema = media_obj.get("schema") if isinstance(media_obj, dict) else None
        suffix = "Response" if status.startswith("2") else f"Error{status}"
        expr = read.schemas.type_of(schema, at.child("content", media, "schema"), hint + suffix)
        if media_base(media) in WILDCARDS and expr in (Primitive("bytes"), Primitive("str")):
            # `*/*` with a binary or string schema (what springdoc writes for byte[] and String
            # answers) is a download or text, not JSON.
            return ResponseContent(media, "binary" if expr == Primitive("bytes") else "text", expr)
        return ResponseContent(media, "json", expr)
    if kind == "text":
        return ResponseContent(media, "text", Primitive("str"))
    return ResponseContent(media, "binary", Primitive("bytes"))


def settle_result(op: Operation) -> None:
    """The operation's result (kind and type), its error types by status, and its Accept header,
    from its responses."""
    success = [r for r in op.responses if r.status.startswith("2")]
    if not success:
        success = [r for r in op.responses if r.status == "default"]
    # Events are the operation's other answer (model/events.py), not its result.
    contents = [c for r in success for c in r.contents if c.kind != "events"]
    json_types = [c.type for c in contents if c.kind == "json"]
    no_body = any(r.status in NO_BODY_STATUSES for r in op.responses)
    if json_types:
        op.result_kind = "json"
        unique = list(dict.fromkeys(json_types))
        op.result_type = unique[0] if len(unique) == 1 else UnionOf(tuple(unique))
        if no_body or any(not r.contents for r in success):
            op.result_type = _optional(op.result_type)
    elif any(c.kind == "binary" for c in contents):
        op.result_kind, op.result_type = "binary", Primitive("bytes")
    elif contents:
        op.result_kind, op.result_type = "text", Primitive("str")
    if op.result_kind != "json" and contents and no_body:
        op.result_type = _optional(op.result_type)
    for response in op.responses:
        if response.status.startswith("2"):
            continue
        for content in response.contents:
            if content.kind == "json" and content.type != ANY:
                op.error_types[response.status] = content.type
                break
    failures = [c for r in op.responses if r not in success for c in r.contents]
    op.accept = _accept(op.result_kind, contents, failures)


def _accept(
    result_kind: str, contents: list[ResponseContent], failures: list[ResponseContent]
) -> str:
    """The Accept header: only what the client can read, best first. A JSON result takes the
    JSON types alone, plain JSON first (a wildcard asks for JSON: a server free to choose may
    pick XML); a download or text result takes its own types. The JSON error types follow at a
    lower q, so a server that negotiates does not answer an error with a 406 because the client
    refused its JSON."""
    if result_kind == "json":
        wanted = [_json_accept(c.media_type) for c in contents if c.kind == "json"]
    else:  # bytes or text: any of the documented types reads as such
        wanted = [c.media_type for c in contents]
    wanted = sorted(
        dict.fromkeys(wanted), key=lambda media: media_base(media) != "application/json"
    )
    errors = list(dict.fromkeys(_json_accept(c.media_type) for c in failures if c.kind == "json"))
    if errors and not wanted:  # no success body: the client's default Accept, then the errors'
        wanted = ["application/json"]
    return ", ".join(wanted + [f"{media};q=0.9" for media in errors if media not in wanted])


def _json_accept(media: str) -> str:
    """A JSON media type as asked for: a wildcard asks for JSON; a charset says nothing about
    what to send (JSON is UTF-8), other parameters (`version=2`) may."""
    base, *parameters = (part.strip() for part in media.split(";"))
    if base.lower() in WILDCARDS:
        return "application/json"
    kept = [p for p in parameters if p and not p.lower().startswith("charset=")]
    return "; ".join([base.lower(), *kept])


def _optional(expr: TypeExpr) -> TypeExpr:
    return expr if isinstance(expr, Nullable) or expr == ANY else Nullable(expr)
