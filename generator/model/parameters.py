"""The parameters of an operation: path-level and operation-level ones merged, styled, named."""

from __future__ import annotations

import re
from typing import Any

from generator.model import naming
from generator.model.api import DEFAULT_STYLES, Operation, Parameter
from generator.model.descriptions import description_of, quiet_deref
from generator.model.reading import SpecReader
from generator.model.specvalues import text as spec_text
from generator.model.types import NO_DEFAULT, Primitive
from generator.spec.refs import Location

# The styles each location allows (OpenAPI's Style Values), plus the delimited ones that Swagger
# 2.0's collectionFormat gives paths and headers (tabDelimited: its `tsv`, no OpenAPI 3 style).
_DELIMITED = ("spaceDelimited", "pipeDelimited", "tabDelimited")
_STYLES = {
    "path": ("simple", "label", "matrix", *_DELIMITED),
    "query": ("form", "deepObject", *_DELIMITED),
    "header": ("simple", *_DELIMITED),
    "cookie": ("form",),
}
_TEMPLATE_NAME = re.compile(r"{([^}]+)}")


def build_parameters(
    read: SpecReader,
    shared: list[Any],
    shared_at: Location,
    own: Any,
    at: Location,
    hint: str,
    names: naming.UniqueNamer,
) -> list[Parameter]:
    """The operation's parameters (`own`) over the path item's (`shared`), path ones first."""
    merged: dict[tuple[str, str], tuple[dict[str, Any], Location]] = {}
    entries = [(p, shared_at.child(n)) for n, p in enumerate(shared)]
    if isinstance(own, list):
        entries += [(p, at.child("parameters", n)) for n, p in enumerate(own)]
    for param, param_at in entries:
        found = read.deref_dict(param, param_at)
        if found is None:
            continue
        value, value_at = found
        name, location = value.get("name"), value.get("in")
        if isinstance(name, (int, float)) and not isinstance(name, bool):  # YAML `name: 1`
            read.warn(param_at, f"parameter name {name!r} is not a string; used as {str(name)!r}")
            name = str(name)
        if not isinstance(name, str) or location not in ("path", "query", "header", "cookie"):
            read.warn(
                param_at, f"parameter without a usable name and location ({location!r}); skipped"
            )
            continue
        merged[(location, name)] = (value, value_at)  # operation-level overrides path-level
    ordered = sorted(merged.items(), key=lambda kv: 0 if kv[0][0] == "path" else 1)
    return [
        _parameter(read, location, name, value, value_at, hint, names)
        for (location, name), (value, value_at) in ordered
    ]


def _parameter(
    read: SpecReader,
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
    expr = read.schemas.type_of(schema, at.child("schema"), hint + naming.pascal_case(name))
    default: object = NO_DEFAULT
    maximum = minimum = None
    # Many specs describe a parameter in its schema instead: that description is the fallback.
    description = spec_text(value.get("description"))
    if isinstance(schema, dict):
        found = read.deref_dict(schema, at.child("schema"))
        if found is not None:
            if "default" in found[0]:
                default = found[0]["default"]
            maximum = _number(found[0].get("maximum"))
            minimum = _number(found[0].get("minimum"))
            description = description or description_of(
                schema, at.child("schema"), quiet_deref(read.resolver)
            )
    style, explode = _style(read, location, value, at)
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


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _style(
    read: SpecReader, location: str, value: dict[str, Any], at: Location
) -> tuple[str, bool]:
    """`style` and `explode` with the Specification's defaults: the location's style, and
    explode for `form` only. A style the location does not allow is a warning, and ignored."""
    default = DEFAULT_STYLES[location][0]
    style = value.get("style", default)
    if style not in _STYLES[location]:
        read.warn(
            at.child("style"), f"style {style!r} is not allowed in {location}; {default!r} is used"
        )
        style = default
    explode = value.get("explode")
    return style, explode if isinstance(explode, bool) else style == "form"


def add_undeclared_path_params(
    read: SpecReader, path: str, op: Operation, at: Location, names: naming.UniqueNamer
) -> None:
    """A `{name}` of the path template that no parameter declares is added as a string."""
    declared = {p.name for p in op.parameters if p.location == "path"}
    for name in _TEMPLATE_NAME.findall(path):
        if name not in declared:
            read.warn(at, f"path parameter {name!r} is not declared; it is added as a string")
            op.parameters.insert(
                0,
                Parameter(
                    name, names.claim(naming.param_name(name)), "path", Primitive("str"), True
                ),
            )
            declared.add(name)
