"""Turns JSON Schemas into model types and definitions. Spec quirks are settled here, once."""

from __future__ import annotations

from typing import Any, Literal

from generator.model import naming
from generator.model.composition import Unions, union_of, with_null
from generator.model.definitions import Definitions
from generator.model.descriptions import description_of, quiet_deref
from generator.model.specvalues import Warn
from generator.model.specvalues import text as spec_text
from generator.model.types import (
    ANY,
    NO_DEFAULT,
    AliasDef,
    ArrayOf,
    EnumDef,
    EnumMember,
    Field,
    LiteralOf,
    MapOf,
    ModelDef,
    Named,
    Nullable,
    Primitive,
    TypeExpr,
    UnionOf,
)
from generator.spec.refs import Location, RefError, RefResolver

_STRING_FORMATS: dict[str, Primitive] = {
    "date-time": Primitive("datetime"),
    "date": Primitive("date"),
    "time": Primitive("str"),
    "uuid": Primitive("str"),
    "binary": Primitive("bytes"),
    "byte": Primitive("str"),
    "decimal": Primitive("str"),
}
_SIMPLE_TYPES: dict[str, Primitive] = {
    "string": Primitive("str"),
    "integer": Primitive("int"),
    "number": Primitive("float"),
    "boolean": Primitive("bool"),
    "null": Primitive("none"),
    "file": Primitive("bytes"),  # Swagger 2.0 formData file
}
_COMPOSITION = ("allOf", "oneOf", "anyOf")


def is_nullable(schema: dict[str, Any]) -> bool:
    if schema.get("nullable") is True or schema.get("x-nullable") is True:
        return True
    kind = schema.get("type")
    if kind == "null":
        return True
    return isinstance(kind, list) and "null" in kind


class SchemaBuilder:
    """Builds `TypeExpr`s, registering a definition for every model and enum it meets."""

    def __init__(self, resolver: RefResolver, warn: Warn, class_names: naming.UniqueNamer) -> None:
        self.resolver = resolver
        self.warn = warn
        self.registry = Definitions(class_names)
        self.definitions = self.registry.all
        self.unions = Unions(resolver, self.registry, self.type_of, warn)
        self._inlining: set[tuple[object, str]] = set()
        self._inline_active: set[tuple[object, str]] = set()

    def reserve(self, location: Location, spec_name: str) -> None:
        """Claim a component's class name before anything else can take it."""
        self.registry.reserve(location, spec_name)

    # ---- entry points ------------------------------------------------------------------------

    def type_of(self, schema: Any, at: Location, hint: str, polymorphic: bool = True) -> TypeExpr:
        if not isinstance(schema, dict):
            return ANY
        if "$ref" in schema:
            return self._ref_type(schema, at, hint, polymorphic)
        known = self.registry.known(at)
        if known is not None and at.key in self._inline_active:
            # an inline schema that contains itself: `p: {allOf: [{$ref: Owner}, ...]}` collects
            # the owner's properties, p among them (issue 7 fuzzing: RecursionError)
            return known
        entered = at.key not in self._inline_active
        self._inline_active.add(at.key)
        try:
            return self._inline_type(schema, at, hint)
        finally:
            if entered:
                self._inline_active.discard(at.key)

    def component(self, schema: Any, at: Location, spec_name: str) -> None:
        """Build a named component schema (models and enums register themselves)."""
        expr = self._location_type(at, spec_name)
        if isinstance(expr, Named) or expr == ANY:
            return
        name = self.registry.name_for(at, spec_name)
        description = spec_text(schema.get("description")) if isinstance(schema, dict) else ""
        self.registry.add(AliasDef(name, at.pointer, expr, description))

    def is_object(self, expr: TypeExpr) -> bool:
        """Whether values of `expr` are JSON objects (a model, a map, or anything at all)."""
        if isinstance(expr, Nullable):
            expr = expr.inner
        if expr == ANY or isinstance(expr, MapOf):
            return True
        if isinstance(expr, UnionOf):
            return all(self.is_object(v) for v in expr.variants)
        if isinstance(expr, Named):
            found = self.registry.definition(expr.name)
            if isinstance(found, AliasDef):
                return self.is_object(found.type)
            return isinstance(found, ModelDef) or found is None
        return False

    # ---- references --------------------------------------------------------------------------

    def _ref_type(
        self, schema: dict[str, Any], at: Location, hint: str, polymorphic: bool = True
    ) -> TypeExpr:
        try:
            target = self.resolver.target(schema["$ref"], at)
        except RefError as exc:
            self.warn(at.child("$ref"), f"{exc}; the value is typed Any")
            return ANY
        last = target.pointer.rsplit("/", 1)[-1] or hint
        expr = self._location_type(target, last)
        if polymorphic:
            expr = self.unions.polymorphic(target, expr)
        return with_null(expr, is_nullable(schema))

    def _location_type(self, target: Location, hint: str) -> TypeExpr:
        known = self.registry.known(target)
        if known is not None:
            return known
        if target.key in self._inlining:
            return ANY  # a cycle through non-model schemas (arrays of themselves): nothing to name
        self._inlining.add(target.key)
        try:
            try:
                value, where = self.resolver.deref(self.resolver.value(target), target)
            except RefError as exc:
                self.warn(target, f"{exc}; the value is typed Any")
                return ANY
            # a `$ref` to null, a number or a list (issue 7 fuzzing): not a schema; validation reports it
            expr = (
                self._inline_type(value, where, hint, location=target)
                if isinstance(value, dict)
                else ANY
            )
        finally:
            self._inlining.discard(target.key)
        self.registry.remember(target, expr)
        return expr

    # ---- inline schemas ----------------------------------------------------------------------

    def _inline_type(
        self, schema: dict[str, Any], at: Location, hint: str, location: Location | None = None
    ) -> TypeExpr:
        nullable = is_nullable(schema)
        if "$ref" in schema:
            return with_null(self._ref_type(schema, at, hint), nullable)
        if "enum" in schema and isinstance(schema["enum"], list):
            return self._enum(schema, at, hint, location or at)
        if "const" in schema and _is_scalar(schema["const"]):
            return with_null(LiteralOf((schema["const"],)), nullable)
        if "allOf" in schema and isinstance(schema["allOf"], list):
            return with_null(self._all_of(schema, at, hint, location or at), nullable)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return with_null(self._union(schema, key, at, hint, location), nullable)
        return with_null(self._typed(schema, at, hint, location or at), nullable)

    def _typed(
        self, schema: dict[str, Any], at: Location, hint: str, location: Location
    ) -> TypeExpr:
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            if len(kinds) == 1:
                kind = kinds[0]
            elif kinds:
                return union_of(
                    [self._typed({**schema, "type": k}, at, hint, location) for k in kinds]
                )
            else:
                return Primitive("none")
        if kind == "object" or (
            kind is None and ("properties" in schema or "additionalProperties" in schema)
        ):
            return self._object(schema, at, hint, location)
        if kind == "array":
            items = schema.get("items")
            if isinstance(items, list):  # tuple-style items: accept any of them
                return ArrayOf(
                    union_of(
                        [
                            self.type_of(i, at.child("items", n), hint + "Item")
                            for n, i in enumerate(items)
                        ]
                    )
                )
            return ArrayOf(self.type_of(items, at.child("items"), hint + "Item"))
        if kind == "string":
            fmt = schema.get("format")
            return (
                _STRING_FORMATS.get(fmt, Primitive("str"))
                if isinstance(fmt, str)
                else Primitive("str")
            )
        if isinstance(kind, str) and kind in _SIMPLE_TYPES:
            return _SIMPLE_TYPES[kind]
        if kind is not None:
            self.warn(at.child("type"), f"unknown type {kind!r}; the value is typed Any")
        return ANY

    def _object(
        self, schema: dict[str, Any], at: Location, hint: str, location: Location
    ) -> TypeExpr:
        properties = schema.get("properties")
        extra = schema.get("additionalProperties", True)
        if not isinstance(properties, dict) or not properties:
            if isinstance(extra, dict) and extra:
                return MapOf(self.type_of(extra, at.child("additionalProperties"), hint + "Value"))
            return MapOf(ANY)
        model = ModelDef(
            self.registry.name_for(location, hint),
            at.pointer,
            description=spec_text(schema.get("description")),
        )
        named = self.registry.add(model, location)
        model.deprecated = schema.get("deprecated") is True
        required = schema.get("required") if isinstance(schema.get("required"), list) else []
        self._fill_fields(model, [(properties, at.child("properties"))], set(map(str, required)))
        if isinstance(extra, dict) and extra:
            model.extra = self.type_of(
                extra, at.child("additionalProperties"), model.name + "Value"
            )
        return named

    def _fill_fields(
        self, model: ModelDef, groups: list[tuple[dict[str, Any], Location]], required: set[str]
    ) -> None:
        names = naming.UniqueNamer()
        seen: dict[str, Field] = {}
        for properties, where in groups:
            for json_name, prop in properties.items():
                json_name = str(json_name)
                prop_at = where.child(json_name)
                expr = self.type_of(prop, prop_at, model.name + naming.pascal_case(json_name))
                field = self._field(json_name, prop, prop_at, expr, json_name in required)
                if json_name in seen:  # allOf parts repeating a property: the later one refines it
                    field.py_name = seen[json_name].py_name
                    model.fields[model.fields.index(seen[json_name])] = field
                else:
                    field.py_name = names.claim(naming.field_name(json_name))
                    model.fields.append(field)
                seen[json_name] = field

    def _field(
        self, json_name: str, prop: Any, at: Location, expr: TypeExpr, required: bool
    ) -> Field:
        prop = prop if isinstance(prop, dict) else {}
        described = description_of(prop, at, quiet_deref(self.resolver))
        if "$ref" in prop:
            try:
                target, _ = self.resolver.deref(prop, at)
                if isinstance(
                    target, dict
                ):  # a `$ref` to a string or list is no schema (issue 7 fuzz)
                    prop = {**target, **{k: v for k, v in prop.items() if k != "$ref"}}
            except RefError:
                pass
        read_only = prop.get("readOnly") is True
        write_only = prop.get("writeOnly") is True
        return Field(
            json_name=json_name,
            py_name="",
            type=expr,
            # One model serves requests and responses: a readOnly field is never sent and a
            # writeOnly one never received, so neither can be required of both.
            required=required and not read_only and not write_only,
            default=prop.get("default", NO_DEFAULT) if "default" in prop else NO_DEFAULT,
            description=described or spec_text(prop.get("title")),
            read_only=read_only,
            write_only=write_only,
            deprecated=prop.get("deprecated") is True,
        )

    def _all_of(
        self, schema: dict[str, Any], at: Location, hint: str, location: Location
    ) -> TypeExpr:
        parts = [p for p in schema["allOf"] if isinstance(p, dict)]
        own = {k: v for k, v in schema.items() if k != "allOf"}
        if len(parts) == 1 and not own.get("properties"):
            return self.type_of(parts[0], at.child("allOf", 0), hint, polymorphic=False)
        groups: list[tuple[dict[str, Any], Location]] = []
        required: set[str] = set()
        self._collect_all_of(schema, at, groups, required, set())
        if not groups:
            non_object = [self.type_of(p, at.child("allOf", n), hint) for n, p in enumerate(parts)]
            concrete = [t for t in non_object if t != ANY]
            return concrete[0] if concrete else ANY
        model = ModelDef(
            self.registry.name_for(location, hint),
            at.pointer,
            description=spec_text(schema.get("description")),
        )
        named = self.registry.add(model, location)
        self._fill_fields(model, groups, required)
        return named

    def _collect_all_of(
        self,
        schema: dict[str, Any],
        at: Location,
        groups: list[tuple[dict[str, Any], Location]],
        required: set[str],
        visiting: set[tuple[object, str]],
    ) -> None:
        try:
            schema, at = self.resolver.deref(schema, at)
        except RefError as exc:
            self.warn(at, f"{exc}; its properties are left out")
            return
        if at.key in visiting or not isinstance(schema, dict):
            return
        visiting.add(at.key)
        for n, part in enumerate(schema["allOf"] if isinstance(schema.get("allOf"), list) else []):
            if isinstance(part, dict):
                self._collect_all_of(part, at.child("allOf", n), groups, required, visiting)
        if isinstance(schema.get("properties"), dict):
            groups.append((schema["properties"], at.child("properties")))
        if isinstance(schema.get("required"), list):
            required.update(map(str, schema["required"]))

    def _union(
        self, schema: dict[str, Any], key: str, at: Location, hint: str, location: Location | None
    ) -> TypeExpr:
        variants: list[TypeExpr] = []
        for n, part in enumerate(schema[key]):
            variants.append(
                self.type_of(part, at.child(key, n), f"{hint}{key[0].upper()}{key[1:3]}{n}")
            )
        return self.unions.discriminated(schema, key, variants, at, hint, location)

    def _enum(
        self, schema: dict[str, Any], at: Location, hint: str, location: Location
    ) -> TypeExpr:
        values = [v for v in schema["enum"] if _is_scalar(v)]
        nullable = is_nullable(schema) or None in values
        values = list(dict.fromkeys(v for v in values if v is not None))  # spec order, no repeats
        if not values:
            return Primitive("none") if nullable else ANY
        kinds = {type(v) for v in values}
        if len(values) == 1 and not self.registry.is_reserved(location):
            # An inline one-value enum (Stripe's `enum: [""]` beside an object) is a constant, not a class.
            return with_null(LiteralOf((values[0],)), nullable)
        if kinds == {bool}:
            return with_null(Primitive("bool"), nullable)
        value_type: Literal["str", "int"]
        if kinds <= {str}:
            value_type = "str"
        elif kinds <= {int}:
            value_type = "int"
        else:
            # Mixed enums (strings and numbers): no enum class can hold them; type them loosely.
            loose = union_of(
                [
                    {
                        str: Primitive("str"),
                        int: Primitive("int"),
                        float: Primitive("float"),
                        bool: Primitive("bool"),
                    }[k]
                    for k in sorted(kinds, key=lambda k: k.__name__)
                ]
            )
            return with_null(loose, nullable)
        member_names = naming.UniqueNamer(frozenset({"UNKNOWN"}))
        members = [EnumMember(member_names.claim(naming.enum_member_name(v)), v) for v in values]
        enum = EnumDef(
            self.registry.name_for(location, hint),
            at.pointer,
            members,
            value_type,
            spec_text(schema.get("description")),
        )
        return with_null(self.registry.add(enum, location), nullable)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))
