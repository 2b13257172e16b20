"""The intermediate model's types: the type expressions of fields, parameters and results, and
the definitions (models, enums, aliases) they name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# ---- types -------------------------------------------------------------------------------------

# What the schema builder produces: formats without a Python type of their own (time, uuid,
# decimal, ...) are `str`.
PrimitiveName = Literal["str", "int", "float", "bool", "bytes", "date", "datetime", "any", "none"]


@dataclass(frozen=True)
class Primitive:
    name: PrimitiveName


@dataclass(frozen=True)
class ArrayOf:
    item: TypeExpr


@dataclass(frozen=True)
class MapOf:
    value: TypeExpr


@dataclass(frozen=True)
class Named:
    """A reference to a generated class (model, enum or alias) by its Python name."""

    name: str


@dataclass(frozen=True)
class LiteralOf:
    values: tuple[str | int | float | bool | None, ...]


@dataclass(frozen=True)
class UnionOf:
    variants: tuple[TypeExpr, ...]
    discriminator: str | None = None  # JSON name of the discriminating property
    # With a discriminator: (property value, class name of the variant it selects), spec order.
    tags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Nullable:
    inner: TypeExpr


TypeExpr = Primitive | ArrayOf | MapOf | Named | LiteralOf | UnionOf | Nullable

ANY = Primitive("any")
NONE = Primitive("none")

# ---- definitions -------------------------------------------------------------------------------


class _Missing:
    """No default given in the spec (distinct from a default of null)."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT = _Missing()


@dataclass
class Field:
    json_name: str
    py_name: str
    type: TypeExpr
    required: bool
    default: object = NO_DEFAULT
    description: str = ""
    read_only: bool = False
    write_only: bool = False
    deprecated: bool = False


@dataclass
class ModelDef:
    name: str
    pointer: str
    fields: list[Field] = field(default_factory=list)
    description: str = ""
    extra: TypeExpr | None = (
        ANY  # type of additionalProperties; None forbids nothing but keeps nothing typed
    )
    deprecated: bool = False


@dataclass
class EnumMember:
    py_name: str
    value: str | int | float | bool


@dataclass
class EnumDef:
    name: str
    pointer: str
    members: list[EnumMember]
    value_type: Literal["str", "int"]  # mixed enums are typed as unions, not classes
    description: str = ""


@dataclass
class AliasDef:
    """A named schema that is not an object or enum (an array, a union, a primitive)."""

    name: str
    pointer: str
    type: TypeExpr
    description: str = ""


Definition = ModelDef | EnumDef | AliasDef
