"""Unions (oneOf/anyOf) and their discriminators.

A discriminated union of models becomes a named alias that pydantic validates by looking at the
discriminating property first: `{"petType": "cat"}` is parsed as `Cat`, never tried as `Dog`.
A value the spec did not list falls back to trying each variant, so a newer server's new variant
does not break an older client.
"""

from __future__ import annotations

from typing import Any, Protocol

from generator.model.definitions import Definitions
from generator.model.specvalues import Warn
from generator.model.types import (
    ANY,
    AliasDef,
    ModelDef,
    Named,
    Nullable,
    Primitive,
    TypeExpr,
    UnionOf,
)
from generator.spec.refs import Location, RefError, RefResolver


class TypeOf(Protocol):
    """The schema builder's `type_of`: the type of a schema met at `at`."""

    def __call__(
        self, schema: Any, at: Location, hint: str, polymorphic: bool = True
    ) -> TypeExpr: ...


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


class Unions:
    """Discriminated unions and the polymorphic aliases of base schemas: built with the schema
    builder's `type_of`, added to the shared `definitions`."""

    def __init__(
        self, resolver: RefResolver, definitions: Definitions, type_of: TypeOf, warn: Warn
    ) -> None:
        self.resolver = resolver
        self.definitions = definitions
        self.type_of = type_of
        self.warn = warn
        self._polymorphic: dict[tuple[object, str], TypeExpr] = {}
        self._children_index: dict[tuple[object, str], list[tuple[str, Location]]] | None = None

    def discriminated(
        self,
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
        if (
            not isinstance(inner, UnionOf)
            or not isinstance(prop, str)
            or not isinstance(disc, dict)
        ):
            return expr
        tags = self._tags(schema[key], variants, disc, at)
        if not tags:
            self.warn(
                at.child("discriminator"),
                "discriminator over inline or non-model variants (no schema names to match); "
                "the variant is found by trying each",
            )
            return expr
        union = UnionOf(inner.variants, prop, tuple(tags.items()))
        name = self.definitions.name_for(location, hint)
        description = (
            schema.get("description") if isinstance(schema.get("description"), str) else ""
        )
        named = self.definitions.add(
            AliasDef(name, at.pointer, union, description.strip()), location
        )
        return with_null(named, nullable)

    def _tags(
        self,
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
                self.definitions.definition(variant.name), ModelDef
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
                if (
                    "#" not in ref
                    and "/" not in ref
                    and not ref.endswith((".json", ".yaml", ".yml"))
                ):
                    ref = "#/components/schemas/" + ref
                target = self.type_of(
                    {"$ref": ref}, at.child("discriminator", "mapping", str(value)), str(value)
                )
                target = target.inner if isinstance(target, Nullable) else target
                if isinstance(target, Named) and target.name in names:
                    explicit[str(value)] = target.name
                else:
                    self.warn(
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

    def polymorphic(self, target: Location, expr: TypeExpr) -> TypeExpr:
        """A `$ref` to a base schema with a discriminator and allOf children (`Cat: allOf: [Pet, ...]`)
        stands for any of them: an alias `AnyPet` picks the child by the discriminating property."""
        base = self.definitions.definition(expr.name) if isinstance(expr, Named) else None
        if not isinstance(expr, Named) or not isinstance(base, ModelDef):
            return expr
        if target.key in self._polymorphic:
            return self._polymorphic[target.key]
        try:
            value, _ = self.resolver.deref(self.resolver.value(target), target)
        except Exception:  # noqa: BLE001 - reported where the schema itself is built
            return expr
        disc = value.get("discriminator") if isinstance(value, dict) else None
        prop = disc.get("propertyName") if isinstance(disc, dict) else None
        if not isinstance(prop, str) or any(k in value for k in ("oneOf", "anyOf")):
            return expr
        children = self._descendants(target)
        if not children:
            return expr
        named = Named(self.definitions.claim("Any" + expr.name))
        self._polymorphic[target.key] = named
        own_name = target.pointer.rsplit("/", 1)[-1]
        tags: dict[str, str] = {own_name: expr.name}
        classes = [expr.name]
        for child_name, child_at in children:
            child = self.type_of(
                {"$ref": "#" + child_at.pointer}, child_at, child_name, polymorphic=False
            )
            if isinstance(child, Named) and isinstance(
                self.definitions.definition(child.name), ModelDef
            ):
                tags.setdefault(child_name, child.name)
                if child.name not in classes:
                    classes.append(child.name)
        mapping = disc.get("mapping") if isinstance(disc, dict) else None
        for tag, ref in mapping.items() if isinstance(mapping, dict) else ():
            if isinstance(ref, str):
                ref = ref if "#" in ref or "/" in ref else "#/components/schemas/" + ref
                found = self.type_of(
                    {"$ref": ref},
                    target.child("discriminator", "mapping", str(tag)),
                    str(tag),
                    polymorphic=False,
                )
                if isinstance(found, Named) and found.name in classes:
                    tags[str(tag)] = found.name
        union = UnionOf(tuple(Named(c) for c in classes), prop, tuple(tags.items()))
        self.definitions.add(
            AliasDef(named.name, target.pointer, union, f"Any {expr.name}, told apart by {prop}.")
        )
        return named

    def _descendants(self, target: Location) -> list[tuple[str, Location]]:
        """Component schemas that extend `target` through allOf, directly or not, in spec order."""
        if self._children_index is None:
            self._children_index = self._build_children_index()
        found: list[tuple[str, Location]] = []
        seen = {target.key}
        pending = [target.key]
        while pending:
            for name, child in self._children_index.get(pending.pop(0), []):
                if child.key not in seen:
                    seen.add(child.key)
                    found.append((name, child))
                    pending.append(child.key)
        return found

    def _build_children_index(self) -> dict[tuple[object, str], list[tuple[str, Location]]]:
        root = Location(self.resolver.source.root, "")
        components = root.document.data.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        index: dict[tuple[object, str], list[tuple[str, Location]]] = {}
        for name, schema in schemas.items() if isinstance(schemas, dict) else ():
            at = root.child("components", "schemas", str(name))
            parts = schema.get("allOf") if isinstance(schema, dict) else None
            for n, part in enumerate(parts if isinstance(parts, list) else ()):
                if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                    try:
                        parent = self.resolver.target(part["$ref"], at.child("allOf", n))
                    except RefError:
                        continue
                    index.setdefault(parent.key, []).append((str(name), at))
        return index
