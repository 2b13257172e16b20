"""Minimal valid JSON for a generated model, built from its fields (for mock responses)."""

from __future__ import annotations

import enum
import types
import typing
from datetime import date, datetime
from typing import Any

import pydantic


def sample(annotation: Any, depth: int = 0) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return sample(args[0], depth)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return sample(options[0], depth) if options else None
    if origin is list:
        return [sample(args[0], depth + 1)] if args and depth < 4 else []
    if origin is dict:
        return {}
    if origin is typing.Literal:
        return args[0]
    if isinstance(annotation, type):
        if issubclass(annotation, pydantic.BaseModel):
            return sample_model(annotation, depth + 1)
        if issubclass(annotation, enum.Enum):
            return next(iter(annotation)).value
        if issubclass(annotation, bool):
            return True
        if issubclass(annotation, int):
            return 7
        if issubclass(annotation, float):
            return 1.5
        if issubclass(annotation, str):
            return "text"
        if issubclass(annotation, bytes):
            return "bytes"
        if issubclass(annotation, datetime):
            return "2024-01-02T03:04:05Z"
        if issubclass(annotation, date):
            return "2024-01-02"
    return "any"


def sample_model(model: type[pydantic.BaseModel], depth: int = 0) -> dict[str, Any]:
    model.model_rebuild()
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if not info.is_required() and depth > 2:
            continue
        key = info.serialization_alias or name
        data[key] = sample(info.annotation, depth)
    return data
