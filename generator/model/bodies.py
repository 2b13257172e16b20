"""Request bodies: the media type an operation sends, its type, multipart parts as arguments,
and the Encoding Objects of form and multipart bodies."""

from __future__ import annotations

from typing import Any

from generator.model import naming
from generator.model.api import BodyField, PartEncoding, RequestBody
from generator.model.descriptions import description_of, quiet_deref
from generator.model.media import BODY_PREFERENCE, body_kind
from generator.model.reading import SpecReader
from generator.model.specvalues import text as spec_text
from generator.model.types import ArrayOf, Nullable, Primitive, TypeExpr
from generator.spec.refs import Location


def build_body(
    read: SpecReader, body: Any, at: Location, hint: str, names: naming.UniqueNamer
) -> RequestBody | None:
    found = read.deref_dict(body, at)
    if found is None:
        return None
    body, at = found
    content = body.get("content")
    if not isinstance(content, dict) or not content:
        return None
    media = min(content, key=lambda m: (BODY_PREFERENCE[body_kind(str(m))], list(content).index(m)))
    media_obj = content[media] if isinstance(content[media], dict) else {}
    kind = body_kind(str(media))
    schema_at = at.child("content", media, "schema")
    schema = media_obj.get("schema")
    expr = read.schemas.type_of(schema, schema_at, hint + "Body")
    if kind in ("form", "multipart") and not read.schemas.is_object(expr):
        read.warn(schema_at, f"a {media} body must be an object; this one is sent as raw bytes")
        kind = "binary"
    if kind == "binary":
        expr = Primitive("bytes")
    elif kind == "text":
        expr = Primitive("str")
    request = RequestBody(
        str(media),
        kind,  # type: ignore[arg-type]  # one of body_kind's answers
        expr,
        body.get("required") is True,
        spec_text(body.get("description")),
    )
    if kind == "multipart":
        # Multipart parts become arguments (files read naturally as `upload(file=...)`); form
        # bodies, like JSON ones, take their model: Twilio-size forms (200 fields) flattened into
        # every sync and async signature would multiply the generated code fivefold.
        request.fields = _body_fields(read, schema, schema_at, names)
    if not request.fields:
        request.py_name = names.claim("body")
    if kind in ("form", "multipart"):
        request.encoding = _encoding(
            read, media_obj.get("encoding"), at.child("content", media, "encoding")
        )
    return request


def _encoding(read: SpecReader, encoding: Any, at: Location) -> list[PartEncoding]:
    """The Encoding Objects of a form or multipart body. Part headers are sent when the spec
    gives them a value (a default, const or single enum value): a client has no other source."""
    result = []
    for name, value in encoding.items() if isinstance(encoding, dict) else []:
        found = read.deref_dict(value, at.child(str(name)))
        if found is None:
            continue
        value = found[0]
        headers = []
        declared = value.get("headers") if isinstance(value.get("headers"), dict) else {}
        for header, header_obj in declared.items():
            resolved = read.deref_dict(header_obj, at.child(str(name), "headers", str(header)))
            schema = resolved[0].get("schema") if resolved else None
            schema = read.deref(schema, at) if isinstance(schema, dict) else None
            fixed = _fixed_value(schema[0] if schema else None)
            if fixed is not None and str(header).lower() != "content-type":  # contentType says it
                headers.append((str(header), fixed))
        style = value.get("style")
        explode = value.get("explode")
        content_type = value.get("contentType")
        result.append(
            PartEncoding(
                json_name=str(name),
                content_type=content_type if isinstance(content_type, str) else "",
                style=style if isinstance(style, str) else "",
                explode=explode if isinstance(explode, bool) else None,
                headers=headers,
            )
        )
    return result


def _body_fields(
    read: SpecReader, schema: Any, at: Location, names: naming.UniqueNamer
) -> list[BodyField]:
    found = read.deref_dict(schema, at)
    if found is None:
        return []
    schema, at = found
    properties = schema.get("properties")
    if not isinstance(properties, dict) or "allOf" in schema or "oneOf" in schema:
        return []
    required = (
        set(map(str, schema["required"])) if isinstance(schema.get("required"), list) else set()
    )
    fields = []
    for json_name, prop in properties.items():
        prop_at = at.child("properties", json_name)
        expr = read.schemas.type_of(prop, prop_at, naming.pascal_case(str(json_name)))
        fields.append(
            BodyField(
                json_name=str(json_name),
                py_name=names.claim(naming.param_name(str(json_name))),
                type=expr,
                required=str(json_name) in required,
                is_file=_is_file(expr),
                description=description_of(prop, prop_at, quiet_deref(read.resolver)),
            )
        )
    return fields


def _fixed_value(schema: Any) -> str | None:
    """The one value a header schema allows or defaults to, as header text."""
    if not isinstance(schema, dict):
        return None
    for value in (schema.get("const"), schema.get("default")):
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], (str, int)):
        return str(enum[0])
    return None


def _is_file(expr: TypeExpr) -> bool:
    if isinstance(expr, Nullable):
        expr = expr.inner
    if isinstance(expr, ArrayOf):
        expr = expr.item
    return expr == Primitive("bytes")
