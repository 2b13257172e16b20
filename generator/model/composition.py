"""Unions (oneOf/anyOf) and their discriminators.

A discriminated union of models becomes a named alias that pydantic validates by looking at the
discriminating property first: `{"petType": "cat"}` is parsed as `Cat`, never tried as `Dog`.
A value the spec did not list falls back to trying each variant, so a newer server's new variant
does not break an older client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.model.api import (
    ANY,
    AliasDef,
    ModelDef,
    Named,
    Nullable,
    Primitive,
    TypeExpr,
    UnionOf,
)
from generator.spec.refs import Location, RefError

if TYPE_CHECKING:
    from generator.model.schemas import SchemaBuilder


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
        builder.warn(
            at.child("discriminator"),
            "discriminator over inline or non-model variants (no schema names to match); "
            "the variant is found by trying each",
        )
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
    builder: SchemaBuilder,
    parts: list[Any],
    variants: list[TypeExpr],
    disc: dict[str, Any],
    at: Location,
) -> dict[str, str]:
    """Discriminator value -> class name: the mapping, else each variant's schema name."""
    tags: dict[str, str] = {}
    names: set[str] = set()
    for part, variant in zip(parts, variants):
        variant = variant.inner if isinstance(variant, Nullable) else variant
        if not isinstance(variant, Named) or not isinstance(
            builder.definition(variant.name), ModelDef
        ):
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
            target = builder.type_of(
                {"$ref": ref}, at.child("discriminator", "mapping", str(value)), str(value)
            )
            target = target.inner if isinstance(target, Nullable) else target
            if isinstance(target, Named) and target.name in names:
                explicit[str(value)] = target.name
            else:
                builder.warn(
                    at.child("discriminator", "mapping", str(value)),
                    f"discriminator mapping {value!r} names no variant of the union; ignored",
                )
        # Explicit values first; implicit schema names stay valid for variants not mapped.
        mapped = set(explicit.values())
        tags = {
            **explicit,
            **{v: n for v, n in tags.items() if n not in mapped and v not in explicit},
        }
    return tags


def polymorphic(builder: SchemaBuilder, target: Location, expr: TypeExpr) -> TypeExpr:
    """A `$ref` to a base schema with a discriminator and allOf children (`Cat: allOf: [Pet, ...]`)
    stands for any of them: an alias `AnyPet` picks the child by the discriminating property."""
    base = builder.definition(expr.name) if isinstance(expr, Named) else None
    if not isinstance(expr, Named) or not isinstance(base, ModelDef):
        return expr
    if target.key in builder.polymorphic:
        return builder.polymorphic[target.key]
    try:
        value, _ = builder.resolver.deref(builder.resolver.value(target), target)
    except Exception:  # noqa: BLE001 - reported where the schema itself is built
        return expr
    disc = value.get("discriminator") if isinstance(value, dict) else None
    prop = disc.get("propertyName") if isinstance(disc, dict) else None
    if not isinstance(prop, str) or any(k in value for k in ("oneOf", "anyOf")):
        return expr
    children = _descendants(builder, target)
    if not children:
        return expr
    named = Named(builder.claim("Any" + expr.name))
    builder.polymorphic[target.key] = named
    own_name = target.pointer.rsplit("/", 1)[-1]
    tags: dict[str, str] = {own_name: expr.name}
    classes = [expr.name]
    for child_name, child_at in children:
        child = builder.type_of(
            {"$ref": "#" + child_at.pointer}, child_at, child_name, polymorphic=False
        )
        if isinstance(child, Named) and isinstance(builder.definition(child.name), ModelDef):
            tags.setdefault(child_name, child.name)
            if child.name not in classes:
                classes.append(child.name)
    mapping = disc.get("mapping") if isinstance(disc, dict) else None
    for tag, ref in mapping.items() if isinstance(mapping, dict) else ():
        if isinstance(ref, str):
            ref = ref if "#" in ref or "/" in ref else "#/components/schemas/" + ref
            found = builder.type_of(
                {"$ref": ref},
                target.child("discriminator", "mapping", str(tag)),
                str(tag),
                polymorphic=False,
            )
            if isinstance(found, Named) and found.name in classes:
                tags[str(tag)] = found.name
    union = UnionOf(tuple(Named(c) for c in classes), prop, tuple(tags.items()))
    builder.definitions.append(
        AliasDef(named.name, target.pointer, union, f"Any {expr.name}, told apart by {prop}.")
    )
    return named


def _descendants(builder: SchemaBuilder, target: Location) -> list[tuple[str, Location]]:
    """Component schemas that extend `target` through allOf, directly or not, in spec order."""
    if builder.children_index is None:
        builder.children_index = _children_index(builder)
    found: list[tuple[str, Location]] = []
    seen = {target.key}
    pending = [target.key]
    while pending:
        for name, child in builder.children_index.get(pending.pop(0), []):
            if child.key not in seen:
                seen.add(child.key)
                found.append((name, child))
                pending.append(child.key)
    return found


def _children_index(builder: SchemaBuilder) -> dict[tuple[object, str], list[tuple[str, Location]]]:
    root = Location(builder.resolver.source.root, "")
    components = root.document.data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    index: dict[tuple[object, str], list[tuple[str, Location]]] = {}
    for name, schema in schemas.items() if isinstance(schemas, dict) else ():
        at = root.child("components", "schemas", str(name))
        parts = schema.get("allOf") if isinstance(schema, dict) else None
        for n, part in enumerate(parts if isinstance(parts, list) else ()):
            if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                try:
                    parent = builder.resolver.target(part["$ref"], at.child("allOf", n))
                except RefError:
                    continue
                index.setdefault(parent.key, []).append((str(name), at))
    return index
