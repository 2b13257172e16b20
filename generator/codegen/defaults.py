"""Spec defaults as Python code, for model fields and operation arguments alike."""

from __future__ import annotations

from generator.codegen.annotations import strip_null
from generator.codegen.literals import py_literal
from generator.model.types import ArrayOf, EnumDef, MapOf, Named, Nullable, Primitive, TypeExpr


class DefaultRenderer:
    """Spec defaults as code, only when they fit the declared type (else the default is dropped)."""

    def __init__(self, enums: dict[str, EnumDef]) -> None:
        self.enums = enums

    def code(self, expr: TypeExpr, value: object) -> str | None:
        if value is None:
            return "None" if isinstance(expr, Nullable) else None
        expr = strip_null(expr)
        if isinstance(expr, Named):
            enum = self.enums.get(expr.name)
            if enum is None:
                return None
            for member in enum.members:
                if member.value == value and type(member.value) is type(value):
                    return f"{enum.name}.{member.py_name}"
            return None
        if isinstance(expr, Primitive):
            ok = {
                "str": isinstance(value, str),
                "int": isinstance(value, int) and not isinstance(value, bool),
                "float": isinstance(value, (int, float)) and not isinstance(value, bool),
                "bool": isinstance(value, bool),
                "any": isinstance(value, (str, int, float, bool)),
            }.get(expr.name, False)
            if ok and expr.name == "float" and isinstance(value, int):
                value = float(value)
            return py_literal(value) if ok else None
        if isinstance(expr, ArrayOf) and isinstance(value, list) and not value:
            return "[]"
        if (
            isinstance(expr, ArrayOf)
            and isinstance(value, list)
            and isinstance(expr.item, Primitive)
        ):
            return py_literal(value) if all(self.code(expr.item, v) for v in value) else None
        if isinstance(expr, MapOf) and isinstance(value, dict) and not value:
            return "{}"
        return None
