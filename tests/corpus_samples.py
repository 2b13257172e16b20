"""Sample values for the corpus proof.

`from_schema` makes a JSON value from a spec's JSON Schema (what a server documented by the spec
may answer); `from_type` makes one from the generator's model (what a caller passes in).
"""

from __future__ import annotations

from typing import Any

from generator.model.types import (
    AliasDef,
    ArrayOf,
    Definition,
    EnumDef,
    LiteralOf,
    MapOf,
    ModelDef,
    Nullable,
    Primitive,
    TypeExpr,
    UnionOf,
)
from generator.spec.refs import Location, RefError, RefResolver

_STRING_FORMATS = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "byte": "aGVsbG8=",
    "email": "user@example.com",
    "uri": "https://example.com/x",
    "url": "https://example.com/x",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "hostname": "example.com",
    "decimal": "1.5",
    "int64": "1",
}
MAX_DEPTH = 24
FULL_DEPTH = 4  # below this depth every property is filled in; deeper only the required ones


class SchemaSampler:
    def __init__(self, resolver: RefResolver) -> None:
        self.resolver = resolver

    def sample(
        self, schema: Any, at: Location, depth: int = 0, required: frozenset[str] = frozenset()
    ) -> Any:
        """`required`: property names an enclosing allOf requires of this part."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(schema, bool) or not isinstance(schema, dict):
            return "value"
        if "$ref" in schema:
            try:
                target = self.resolver.target(schema["$ref"], at)
                value, where = self.resolver.deref(self.resolver.value(target), target)
            except RefError:
                return "value"
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            if isinstance(value, dict) and siblings.get("type") is not None and "type" in value:
                siblings.pop("type")
            merged = {**value, **{k: v for k, v in siblings.items() if k in ("const", "enum")}}
            return self.sample(merged, where, depth + 1, required)
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return next((v for v in enum if v is not None), None)
        if isinstance(schema.get("allOf"), list) and schema["allOf"]:
            return self._all_of(schema, at, depth, required)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return self._one_of(schema, key, at, depth)
        return self._typed(schema, at, depth, required)

    def _required_of(
        self, schema: Any, at: Location, seen: frozenset[tuple[object, str]] = frozenset()
    ) -> set[str]:
        """Every name an allOf (and the allOfs within it) requires: parts may require each other's properties."""
        try:
            schema, at = self.resolver.deref(schema, at)
        except RefError:
            return set()
        if not isinstance(schema, dict) or at.key in seen:
            return set()
        names = (
            set(map(str, schema["required"])) if isinstance(schema.get("required"), list) else set()
        )
        for n, part in enumerate(schema.get("allOf") or []):
            names |= self._required_of(part, at.child("allOf", n), seen | {at.key})
        return names

    def _all_of(
        self, schema: dict[str, Any], at: Location, depth: int, required: frozenset[str]
    ) -> Any:
        own = {k: v for k, v in schema.items() if k != "allOf"}
        required = required | frozenset(self._required_of(schema, at))
        parts = [
            self.sample(p, at.child("allOf", n), depth + 1, required)
            for n, p in enumerate(schema["allOf"])
            if not (isinstance(p, dict) and not p)  # `{}` constrains nothing
        ]
        if own.get("properties") or own.get("type") == "object":
            parts.append(self._typed(own, at, depth, required))
        objects = [p for p in parts if isinstance(p, dict)]
        if not objects:
            return next((p for p in parts if p is not None), parts[0] if parts else None)
        merged: dict[str, Any] = {}
        for part in objects:
            merged.update(part)
        return merged

    def _one_of(self, schema: dict[str, Any], key: str, at: Location, depth: int) -> Any:
        variants = schema[key]
        index = next((n for n, v in enumerate(variants) if not _is_null(v)), 0)
        variant = variants[index]
        value = self.sample(variant, at.child(key, index), depth + 1)
        disc = schema.get("discriminator")
        prop = disc.get("propertyName") if isinstance(disc, dict) else None
        if (
            isinstance(prop, str)
            and isinstance(value, dict)
            and isinstance(variant, dict)
            and "$ref" in variant
        ):
            mapping = disc.get("mapping") if isinstance(disc.get("mapping"), dict) else {}
            ref = variant["$ref"]
            keys = [k for k, v in mapping.items() if v == ref or v == ref.rsplit("/", 1)[-1]]
            if keys:
                value[prop] = keys[0]
            elif not isinstance(value.get(prop), str) or value.get(prop) == "string":
                value[prop] = ref.rsplit("/", 1)[-1]
        own = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
        if isinstance(value, dict) and isinstance(own.get("properties"), dict):
            extra = self._typed(own, at, depth)
            if isinstance(extra, dict):
                value = {**extra, **value}
        return value

    def _typed(
        self,
        schema: dict[str, Any],
        at: Location,
        depth: int,
        required: frozenset[str] = frozenset(),
    ) -> Any:
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            kind = kinds[0] if kinds else "null"
        if kind == "object" or (
            kind is None and ("properties" in schema or "additionalProperties" in schema)
        ):
            return self._object(schema, at, depth, required)
        if kind == "array":
            items = schema.get("items")
            if isinstance(items, list):
                items = items[0] if items else {}
            count = schema.get("minItems") if isinstance(schema.get("minItems"), int) else 0
            if depth >= FULL_DEPTH and count == 0:
                return []
            return [
                self.sample(items, at.child("items"), depth + 1)
                for _ in range(max(1, min(count, 3)))
            ]
        if kind == "string":
            fmt = schema.get("format")
            text = _STRING_FORMATS.get(fmt, "string") if isinstance(fmt, str) else "string"
            minimum = schema.get("minLength")
            if isinstance(minimum, int) and len(text) < minimum:
                text = text + "x" * (minimum - len(text))
            return text
        if kind == "integer":
            low = schema.get("minimum")
            return (
                int(low)
                if isinstance(low, (int, float)) and not isinstance(low, bool) and low > 1
                else 1
            )
        if kind == "number":
            return 1.5
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return "value"

    def _object(
        self, schema: dict[str, Any], at: Location, depth: int, outer: frozenset[str]
    ) -> Any:
        properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        required = (
            set(map(str, schema.get("required") or []))
            if isinstance(schema.get("required"), list)
            else set()
        )
        required |= outer
        value: dict[str, Any] = {}
        for name, prop in properties.items():
            if isinstance(prop, dict) and prop.get("writeOnly") is True:
                continue
            if depth >= FULL_DEPTH and str(name) not in required:
                continue
            value[str(name)] = self.sample(prop, at.child("properties", name), depth + 1)
        extra = schema.get("additionalProperties")
        if not properties and isinstance(extra, dict) and depth < FULL_DEPTH:
            value["key"] = self.sample(extra, at.child("additionalProperties"), depth + 1)
        return value


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null" or schema.get("type") == ["null"]
    )


# ---- from the model ------------------------------------------------------------------------------

_PRIMITIVE_SAMPLES: dict[str, Any] = {
    "str": "text",
    "int": 1,
    "float": 1.5,
    "bool": True,
    "bytes": "bytes",
    "date": "2024-01-02",
    "datetime": "2024-01-02T03:04:05Z",
    "time": "03:04:05",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "decimal": "1.5",
    "any": "anything",
    "none": None,
}


def from_type(expr: TypeExpr, definitions: dict[str, Definition], depth: int = 0) -> Any:
    """A JSON value for a model type: only required fields below the top level, to stay small."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, Primitive):
        return _PRIMITIVE_SAMPLES[expr.name]
    if isinstance(expr, Nullable):
        return from_type(expr.inner, definitions, depth)
    if isinstance(expr, ArrayOf):
        return [from_type(expr.item, definitions, depth + 1)] if depth < FULL_DEPTH else []
    if isinstance(expr, MapOf):
        return {"key": from_type(expr.value, definitions, depth + 1)} if depth < FULL_DEPTH else {}
    if isinstance(expr, LiteralOf):
        return expr.values[0]
    if isinstance(expr, UnionOf):
        return from_type(expr.variants[0], definitions, depth)
    definition = definitions.get(expr.name)
    if isinstance(definition, EnumDef):
        return definition.members[0].value
    if isinstance(definition, AliasDef):
        return from_type(definition.type, definitions, depth)
    if isinstance(definition, ModelDef):
        return {
            f.json_name: from_type(f.type, definitions, depth + 1)
            for f in definition.fields
            if f.required or (depth == 0 and not f.read_only)
        }
    return None
