"""Operations, parameters, bodies and responses of the model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.model import naming
from generator.model.api import (
    ANY,
    DEFAULT_STYLES,
    NO_DEFAULT,
    ArrayOf,
    BodyField,
    Nullable,
    Operation,
    Parameter,
    PartEncoding,
    Primitive,
    RequestBody,
    Response,
    ResponseContent,
    TypeExpr,
    UnionOf,
)
from generator.model.servers import build_servers, same_servers
from generator.model.specvalues import HTTP_METHODS
from generator.model.specvalues import text as spec_text
from generator.spec.refs import Location, RefError

if TYPE_CHECKING:
    from generator.model.builder import ModelBuilder

# The styles each location allows (OpenAPI's Style Values), plus the delimited ones that Swagger
# 2.0's collectionFormat gives paths and headers (tabDelimited: its `tsv`, no OpenAPI 3 style).
_DELIMITED = ("spaceDelimited", "pipeDelimited", "tabDelimited")
_STYLES = {
    "path": ("simple", "label", "matrix", *_DELIMITED),
    "query": ("form", "deepObject", *_DELIMITED),
    "header": ("simple", *_DELIMITED),
    "cookie": ("form",),
}


# Statuses whose answers HTTP forbids a body (RFC 9110 15.3.5, 15.3.6, 15.4.5): content a spec
# declares on them is never sent, so the operation returns None for them.
NO_BODY_STATUSES = frozenset({"204", "205", "304"})
_WILDCARDS = frozenset({"*/*", "application/*"})


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


def body_kind(media: str) -> str:
    base = media.split(";")[0].strip().lower()
    if is_json_media(base):
        return "json"
    if base == "multipart/form-data" or base.startswith("multipart/"):
        return "multipart"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("text/") or base in ("application/xml",):
        return "text"
    return "binary"


_BODY_PREFERENCE = {"json": 0, "form": 1, "multipart": 2, "binary": 3, "text": 4}


class OperationBuilder:
    def __init__(self, owner: ModelBuilder) -> None:
        self.owner = owner
        self.resolver = owner.resolver
        self.schemas = owner.schemas
        self.seen_ids: set[str] = set()
        # Each operation with its spec object, for what is settled once every model exists.
        self.raw_operations: list[tuple[Operation, dict[str, Any], Location]] = []

    def warn(self, at: Location, message: str) -> None:
        self.owner.warn(at, message)

    def deref(self, node: Any, at: Location) -> tuple[Any, Location] | None:
        try:
            return self.resolver.deref(node, at)
        except RefError as exc:
            self.warn(
                at.child("$ref") if isinstance(node, dict) and "$ref" in node else at, str(exc)
            )
            return None

    def path_item(self, path: str, item: Any, at: Location) -> list[tuple[Operation, str]]:
        found = self.deref(item, at)
        if found is None or not isinstance(found[0], dict):
            return []
        item, item_at = found
        shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
        path_servers = build_servers(item.get("servers"), item_at.child("servers"), self.warn)
        result = []
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            op_at = item_at.child(method)
            built = self.operation(path, method, op, op_at, shared, item_at.child("parameters"))
            if built is not None:
                servers = (
                    build_servers(op.get("servers"), op_at.child("servers"), self.warn)
                    or path_servers
                )
                if servers and not same_servers(servers, self.owner.root_servers):
                    built.servers = servers
                tags = op.get("tags")
                tag = str(tags[0]) if isinstance(tags, list) and tags else ""
                result.append((built, tag))
        return result

    def operation(
        self,
        path: str,
        method: str,
        op: dict[str, Any],
        at: Location,
        shared: list[Any],
        shared_at: Location,
    ) -> Operation | None:
        op_id = op.get("operationId")
        if not isinstance(op_id, str) or not op_id.strip():
            op_id = f"{method}_{path}"
        elif op_id in self.seen_ids:
            self.warn(
                at.child("operationId"),
                f"duplicate operationId {op_id!r}; the method name gets a suffix",
            )
        self.seen_ids.add(op_id)
        py_name = naming.method_name(op_id)
        operation = Operation(
            operation_id=op_id,
            py_name=py_name,
            method=method.upper(),
            path=path,
            summary=spec_text(op.get("summary")),
            description=spec_text(op.get("description")),
            deprecated=op.get("deprecated") is True,
            pointer=at.pointer,
        )
        hint = naming.pascal_case(op_id) or "Operation"
        names = naming.UniqueNamer(naming.PARAMETER_RESERVED)
        operation.parameters = self._parameters(
            shared, shared_at, op.get("parameters"), at, hint, names
        )
        self._check_path_params(path, operation, at, names)
        if "requestBody" in op:
            operation.body = self._body(op["requestBody"], at.child("requestBody"), hint, names)
        responses = op.get("responses")
        if isinstance(responses, dict):
            operation.responses = self._responses(responses, at.child("responses"), hint)
        self._settle_result(operation)
        self.raw_operations.append((operation, op, at))
        security = op.get("security")
        if isinstance(security, list):
            operation.security = [
                sorted(str(k) for k in req) for req in security if isinstance(req, dict)
            ]
        return operation

    # ---- parameters --------------------------------------------------------------------------

    def _parameters(
        self,
        shared: list[Any],
        shared_at: Location,
        own: Any,
        at: Location,
        hint: str,
        names: naming.UniqueNamer,
    ) -> list[Parameter]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], Location]] = {}
        entries = [(p, shared_at.child(n)) for n, p in enumerate(shared)]
        if isinstance(own, list):
            entries += [(p, at.child("parameters", n)) for n, p in enumerate(own)]
        for param, param_at in entries:
            found = self.deref(param, param_at)
            if found is None or not isinstance(found[0], dict):
                continue
            value, value_at = found
            name, location = value.get("name"), value.get("in")
            if isinstance(name, (int, float)) and not isinstance(name, bool):  # YAML `name: 1`
                self.warn(
                    param_at, f"parameter name {name!r} is not a string; used as {str(name)!r}"
                )
                name = str(name)
            if not isinstance(name, str) or location not in ("path", "query", "header", "cookie"):
                self.warn(
                    param_at,
                    f"parameter without a usable name and location ({location!r}); skipped",
                )
                continue
            merged[(location, name)] = (value, value_at)  # operation-level overrides path-level
        result = []
        ordered = sorted(merged.items(), key=lambda kv: 0 if kv[0][0] == "path" else 1)
        for (location, name), (value, value_at) in ordered:
            result.append(self._parameter(location, name, value, value_at, hint, names))
        return result

    def _parameter(
        self,
        location: str,
        name: str,
        value: dict[str, Any],
        at: Location,
        hint: str,
        names: naming.UniqueNamer,
    ) -> Parameter:
        schema = value.get("schema")
        media_type = ""
        if schema is None and isinstance(value.get("content"), dict) and value["content"]:
            media_type, first = next(iter(value["content"].items()))
            schema = first.get("schema") if isinstance(first, dict) else None
        expr = self.schemas.type_of(schema, at.child("schema"), hint + naming.pascal_case(name))
        default: object = NO_DEFAULT
        maximum = minimum = None
        # Many specs describe a parameter in its schema instead: that description is the fallback.
        description = spec_text(value.get("description"))
        if isinstance(schema, dict):
            found = self.deref(schema, at.child("schema"))
            if found is not None and isinstance(found[0], dict):
                if "default" in found[0]:
                    default = found[0]["default"]
                maximum = _number(found[0].get("maximum"))
                minimum = _number(found[0].get("minimum"))
                description = description or spec_text(found[0].get("description"))
        style, explode = self._style(location, value, at)
        return Parameter(
            name=name,
            py_name=names.claim(naming.param_name(name)),
            location=location,  # type: ignore[arg-type]
            type=expr,
            required=value.get("required") is True or location == "path",
            default=default,
            description=description,
            style=style,
            explode=explode,
            deprecated=value.get("deprecated") is True,
            allow_reserved=location == "query" and value.get("allowReserved") is True,
            media_type=str(media_type),
            maximum=maximum,
            minimum=minimum,
        )

    def _style(self, location: str, value: dict[str, Any], at: Location) -> tuple[str, bool]:
        """`style` and `explode` with the Specification's defaults: the location's style, and
        explode for `form` only. A style the location does not allow is a warning, and ignored."""
        default = DEFAULT_STYLES[location][0]
        style = value.get("style", default)
        if style not in _STYLES[location]:
            self.warn(
                at.child("style"),
                f"style {style!r} is not allowed in {location}; {default!r} is used",
            )
            style = default
        explode = value.get("explode")
        return style, explode if isinstance(explode, bool) else style == "form"

    def _check_path_params(
        self, path: str, op: Operation, at: Location, names: naming.UniqueNamer
    ) -> None:
        import re

        declared = {p.name for p in op.parameters if p.location == "path"}
        for name in re.findall(r"{([^}]+)}", path):
            if name not in declared:
                self.warn(at, f"path parameter {name!r} is not declared; it is added as a string")
                op.parameters.insert(
                    0,
                    Parameter(
                        name, names.claim(naming.param_name(name)), "path", Primitive("str"), True
                    ),
                )
                declared.add(name)

    # ---- request bodies ----------------------------------------------------------------------

    def _body(
        self, body: Any, at: Location, hint: str, names: naming.UniqueNamer
    ) -> RequestBody | None:
        found = self.deref(body, at)
        if found is None or not isinstance(found[0], dict):
            return None
        body, at = found
        content = body.get("content")
        if not isinstance(content, dict) or not content:
            return None
        media = min(
            content, key=lambda m: (_BODY_PREFERENCE[body_kind(str(m))], list(content).index(m))
        )
        media_obj = content[media] if isinstance(content[media], dict) else {}
        kind = body_kind(str(media))
        schema_at = at.child("content", media, "schema")
        schema = media_obj.get("schema")
        expr = self.schemas.type_of(schema, schema_at, hint + "Body")
        if kind in ("form", "multipart") and not self.schemas.is_object(expr):
            self.warn(schema_at, f"a {media} body must be an object; this one is sent as raw bytes")
            kind = "binary"
        if kind == "binary":
            expr = Primitive("bytes")
        elif kind == "text":
            expr = Primitive("str")
        request = RequestBody(
            str(media), kind, expr, body.get("required") is True, spec_text(body.get("description"))
        )  # type: ignore[arg-type]
        if kind == "multipart":
            # Multipart parts become arguments (files read naturally as `upload(file=...)`); form
            # bodies, like JSON ones, take their model: Twilio-size forms (200 fields) flattened into
            # every sync and async signature would multiply the generated code fivefold.
            request.fields = self._body_fields(schema, schema_at, names)
        if not request.fields:
            request.py_name = names.claim("body")
        if kind in ("form", "multipart"):
            request.encoding = self._encoding(
                media_obj.get("encoding"), at.child("content", media, "encoding")
            )
        return request

    def _encoding(self, encoding: Any, at: Location) -> list[PartEncoding]:
        """The Encoding Objects of a form or multipart body. Part headers are sent when the spec
        gives them a value (a default, const or single enum value): a client has no other source."""
        result = []
        for name, value in encoding.items() if isinstance(encoding, dict) else []:
            found = self.deref(value, at.child(str(name)))
            if found is None or not isinstance(found[0], dict):
                continue
            value = found[0]
            headers = []
            declared = value.get("headers") if isinstance(value.get("headers"), dict) else {}
            for header, header_obj in declared.items():
                resolved = self.deref(header_obj, at.child(str(name), "headers", str(header)))
                schema = (
                    resolved[0].get("schema")
                    if resolved and isinstance(resolved[0], dict)
                    else None
                )
                schema = self.deref(schema, at) if isinstance(schema, dict) else None
                fixed = _fixed_value(schema[0] if schema else None)
                if (
                    fixed is not None and str(header).lower() != "content-type"
                ):  # contentType says that
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

    def _body_fields(self, schema: Any, at: Location, names: naming.UniqueNamer) -> list[BodyField]:
        found = self.deref(schema, at)
        if found is None or not isinstance(found[0], dict):
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
            resolved = self.deref(prop, prop_at)
            prop_schema = resolved[0] if resolved and isinstance(resolved[0], dict) else {}
            expr = self.schemas.type_of(prop, prop_at, naming.pascal_case(str(json_name)))
            fields.append(
                BodyField(
                    json_name=str(json_name),
                    py_name=names.claim(naming.param_name(str(json_name))),
                    type=expr,
                    required=str(json_name) in required,
                    is_file=_is_file(expr),
                    description=spec_text(prop_schema.get("description")),
                )
            )
        return fields

    # ---- responses ---------------------------------------------------------------------------

    def _responses(self, responses: dict[Any, Any], at: Location, hint: str) -> list[Response]:
        result = []
        for status, response in responses.items():
            status = str(status).upper() if str(status).lower() != "default" else "default"
            found = self.deref(response, at.child(str(status)))
            if found is None or not isinstance(found[0], dict):
                result.append(Response(status, ""))
                continue
            value, value_at = found
            built = Response(status, spec_text(value.get("description")))
            content = value.get("content")
            if isinstance(content, dict) and status not in NO_BODY_STATUSES:
                for media, media_obj in content.items():
                    built.contents.append(
                        self._response_content(str(media), media_obj, value_at, hint, status)
                    )
            result.append(built)
        return result

    def _response_content(
        self, media: str, media_obj: Any, at: Location, hint: str, status: str
    ) -> ResponseContent:
        kind = body_kind(media)
        if kind == "json":
            schema = media_obj.get("schema") if isinstance(media_obj, dict) else None
            suffix = "Response" if status.startswith("2") else f"Error{status}"
            expr = self.schemas.type_of(schema, at.child("content", media, "schema"), hint + suffix)
            if media_base(media) in _WILDCARDS and expr in (Primitive("bytes"), Primitive("str")):
                # `*/*` with a binary or string schema (what springdoc writes for byte[] and String
                # answers) is a download or text, not JSON.
                return ResponseContent(
                    media, "binary" if expr == Primitive("bytes") else "text", expr
                )
            return ResponseContent(media, "json", expr)
        if kind == "text":
            return ResponseContent(media, "text", Primitive("str"))
        return ResponseContent(media, "binary", Primitive("bytes"))

    def _settle_result(self, op: Operation) -> None:
        success = [r for r in op.responses if r.status.startswith("2")]
        if not success:
            success = [r for r in op.responses if r.status == "default"]
        contents = [c for r in success for c in r.contents]
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
    if base.lower() in _WILDCARDS:
        return "application/json"
    kept = [p for p in parameters if p and not p.lower().startswith("charset=")]
    return "; ".join([base.lower(), *kept])


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


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _optional(expr: TypeExpr) -> TypeExpr:
    return expr if isinstance(expr, Nullable) or expr == ANY else Nullable(expr)


def _is_file(expr: TypeExpr) -> bool:
    if isinstance(expr, Nullable):
        expr = expr.inner
    if isinstance(expr, ArrayOf):
        expr = expr.item
    return expr == Primitive("bytes")


__all__ = ["OperationBuilder"]
