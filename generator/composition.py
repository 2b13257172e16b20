"""Unions (oneOf/anyOf) and their discriminators.

A discriminated union of models becomes a named alias that pydantic validates by looking at the
discriminating property first: `{"petType": "cat"}` is parsed as `Cat`, never tried as `Dog`.
A value the spec did not list falls back to trying each variant, so a newer server's new variant
does not break an older client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.model import ANY, AliasDef, ModelDef, Named, Nullable, Primitive, TypeExpr, UnionOf
from generator.refs import Location

if TYPE_CHECKING:
    from generator.schemas import SchemaBuilder


def with_null(expr: TypeExpr, nullable: bool) -> TypeExpr:
    if not nullable or isinstance(expr, Nullable) or expr == ANY or expr == Primitive("none"):
        return expr
    return Nullable(expr)


def union_of(variants: list[TypeExpr]) -> TypeExpr:
    """A flat union without repeats; `null` variants make it nullable; Any swallows everything."""
    flat: list[TypeExpr] = []
    nullable = False
    for v in variants:
        if isinstance(v, Nullable):
            nullable, v = True, v.inner
        if v == Primitive("none"):
            nullable = True
            continue
        if isinstance(v, UnionOf) and v.discriminator is None:
            flat.extend(x for x in v.variants if x not in flat)
        elif v not in flat:
            flat.append(v)
    if ANY in flat:
        return ANY
    if not flat:
        return Primitive("none")
    expr: TypeExpr = flat[0] if len(flat) == 1 else UnionOf(tuple(flat))
    return with_null(expr, nullable)


def discriminated_union(
    builder: SchemaBuilder,
    schema: dict[str, Any],
    key: str,
    variants: list[TypeExpr],
    at: Location,
    hint: str,
    location: Location | None,
) -> TypeExpr:
    expr = union_of(variants)
    disc = schema.get("discriminator")
    prop = disc.get("propertyName") if isinstance(disc, dict) else None
    nullable = isinstance(expr, Nullable)
    inner = expr.inner if isinstance(expr, Nullable) else expr
    if not isinstance(inner, UnionOf) or not isinstance(prop, str) or not isinstance(disc, dict):
        return expr
    tags = _tags(builder, schema[key], variants, disc, at)
    if not tags:
        builder.warn(at.child("discriminator"), "discriminator over inline or non-model variants (no schema names to match); "
                     "the variant is found by trying each")
        return expr
    union = UnionOf(inner.variants, prop, tuple(tags.items()))
    name = builder.name_for(location, hint) if location is not None else builder.claim(hint)
    description = schema.get("description") if isinstance(schema.get("description"), str) else ""
    builder.definitions.append(AliasDef(name, at.pointer, union, description.strip()))
    named = Named(name)
    if location is not None:
        builder.remember(location, named)
    return with_null(named, nullable)


def _tags(
    builder: SchemaBuilder, parts: list[Any], variants: list[TypeExpr], disc: dict[str, Any], at: Location
) -> dict[str, str]:
    """Discriminator value -> class name: the mapping, else each variant's schema name."""
    tags: dict[str, str] = {}
    names: set[str] = set()
    for part, variant in zip(parts, variants):
        variant = variant.inner if isinstance(variant, Nullable) else variant
        if not isinstance(variant, Named) or not isinstance(builder.definition(variant.name), ModelDef):
            return {}
        names.add(variant.name)
        if isinstance(part, dict) and isinstance(part.get("$ref"), str):
            tags.setdefault(part["$ref"].rsplit("/", 1)[-1], variant.name)
    mapping = disc.get("mapping")
    if isinstance(mapping, dict):
        explicit: dict[str, str] = {}
        for value, ref in mapping.items():
            if not isinstance(ref, str):
                continue
            if "#" not in ref and "/" not in ref and not ref.endswith((".json", ".yaml", ".yml")):
                ref = "#/components/schemas/" + ref
            target = builder.type_of({"$ref": ref}, at.child("discriminator", "mapping", str(value)), str(value))
            target = target.inner if isinstance(target, Nullable) else target
            if isinstance(target, Named) and target.name in names:
                explicit[str(value)] = target.name
            else:
                builder.warn(at.child("discriminator", "mapping", str(value)),
                             f"discriminator mapping {value!r} names no variant of the union; ignored")
        # Explicit values first; implicit schema names stay valid for variants not mapped.
        mapped = set(explicit.values())
        tags = {**explicit, **{v: n for v, n in tags.items() if n not in mapped and v not in explicit}}
    return tags
