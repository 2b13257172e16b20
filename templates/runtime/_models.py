"""Base classes of the generated models: tolerant of what newer servers send."""

from __future__ import annotations

import builtins
import enum
import importlib
import re
import sys
from copy import copy
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, ClassVar

import pydantic
from pydantic import BeforeValidator
from pydantic.fields import FieldInfo
from pydantic_core import core_schema
from typing_extensions import Annotated, Self

__all__ = [
    "BaseModel",
    "OpenStrEnum",
    "OpenIntEnum",
    "DateTime",
    "REQUEST",
    "with_models",
    "lazy_exports",
]

REQUEST = {"oasgen": "request"}
"""The serialisation context of a request body: read-only properties are left out."""


_PACKAGE = __name__.rpartition(".")[0]
_MODELS = _PACKAGE + ".models"
_STRINGS = re.compile(r"'[^']*'|\"[^\"]*\"")
_NAMES = re.compile(r"(?<![.\w])[A-Za-z_]\w*")


class _LazyField:
    """The validation of a field whose type names other models, built on the field's first value.

    A model's own schema then stops at its fields of model types, instead of taking in every model
    they reach (Stripe's Customer reaches 743): importing a model creates only its module's
    classes, and a call builds the validators of the models its answer holds. The field type is
    the annotation the module writes, evaluated on first use (the names a model module imports
    only for type checkers come from the `models` package, which imports their modules then);
    values are validated by pydantic against that exact type (unions pick their variant as
    pydantic does), and a value's errors keep their place in the enclosing model's errors.
    """

    __slots__ = ("text", "module", "_type", "_adapter", "_validator", "_in_json_schema")

    def __init__(self, text: str, module: str) -> None:
        self.text = text
        self.module = module
        self._type: Any = _UNBOUND
        self._adapter: Any = None
        self._validator: Any = None
        self._in_json_schema = False

    def field_type(self) -> Any:
        """The field's real type: its annotation, evaluated (importing the models it names)."""
        if self._type is _UNBOUND:
            names = _ModelNames(vars(sys.modules[self.module]))
            self._type = eval(self.text, names, names)
        return self._type

    def adapter(self) -> Any:
        if self._adapter is None:
            self._adapter = pydantic.TypeAdapter(self.field_type())
            self._validator = self._adapter.validator
        return self._adapter

    def validate(self, value: Any, info: core_schema.ValidationInfo) -> Any:
        validator = self._validator
        if validator is None:
            self.adapter()
            validator = self._validator
        return validator.validate_python(value, context=info.context)

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.with_info_plain_validator_function(self.validate)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        if self._in_json_schema:  # a cycle of models: the inner occurrence is left open
            return {}
        self._in_json_schema = True
        try:
            return handler(self.adapter().core_schema)
        finally:
            self._in_json_schema = False

    def __repr__(self) -> str:
        return f"Lazy[{self.text}]"


class _ModelNames(dict[str, Any]):
    """A model module's names, then the `models` package's (which imports a model on first use)."""

    def __missing__(self, name: str) -> Any:
        if name in _BUILTINS:
            return _BUILTINS[name]
        try:
            return getattr(importlib.import_module(_MODELS), name)
        except AttributeError:
            pass
        try:  # a resource's annotations name `params` TypedDicts too
            return getattr(importlib.import_module(_PACKAGE + ".params"), name)
        except (ImportError, AttributeError):
            raise KeyError(name) from None


def with_models(builtins_: Any) -> dict[str, Any]:
    """The builtins of a resource module's functions: Python's, then the `models` package's names,
    then the `params` module's.

    A resource module imports the models and TypedDicts it names only in annotations (bodies,
    parameters) for type checkers, so that importing it does not create them; evaluating an annotation at run time
    (`typing.get_type_hints`, `inspect.signature(eval_str=True)`) looks a name up in the function's
    globals, then in its builtins: there the model is imported, on that first evaluation."""
    return _ModelNames(builtins_ if isinstance(builtins_, dict) else vars(builtins_))


def lazy_exports(package: str, index: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of the `models` package, which imports each model from its
    module on first use. `index` is lines `<name> <module>`: one string, which the package's
    import unmarshals whole at little cost (a dict of thousands of names would be built at each
    import), and where a name is found by one search (splitting it all into a table would cost a
    call more than the models it uses). `__all__`, for `from <package>.models import *`, is made
    on first use; type checkers read the re-exports of `__init__.pyi`."""
    lines = "\n" + index

    def exported() -> list[str]:
        return [line.partition(" ")[0] for line in index.splitlines()]

    def __getattr__(name: str) -> Any:
        if name == "__all__":
            value: Any = exported()
        else:
            start = lines.find(f"\n{name} ") if name.isidentifier() else -1
            if start < 0:
                raise AttributeError(f"module {package!r} has no attribute {name!r}")
            module = lines[start + len(name) + 2 : lines.index("\n", start + 1)]
            value = getattr(importlib.import_module("." + module, package), name)
        vars(sys.modules[package])[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *exported(), "__all__"})

    return __getattr__, __dir__


def _is_lazy(text: str, names: dict[str, Any]) -> bool:
    """Whether an annotation names a model, or a name its module binds only for type checkers
    (a model or enum of another module) or later (its aliases)."""
    for name in _NAMES.findall(_STRINGS.sub("", text)):
        value = names.get(name, _BUILTINS.get(name, _UNBOUND))
        if value is _UNBOUND or (isinstance(value, type) and issubclass(value, pydantic.BaseModel)):
            return True
    return False


_UNBOUND = object()
_BUILTINS: dict[str, Any] = vars(builtins)


def _lazy_annotation(field: str, text: str, module: str) -> Any:
    """A field validated lazily; pydantic requires the extra properties' annotation to stay a
    `dict[str, ...]`, so there each value is validated lazily instead."""
    if field == "__pydantic_extra__" and text.startswith("dict[str, ") and text.endswith("]"):
        return dict[str, Annotated[Any, _LazyField(text[len("dict[str, ") : -1], module)]]
    return Annotated[Any, _LazyField(text, module)]


def _lazy_of(annotation: Any) -> _LazyField | None:
    """The `_LazyField` of an annotation `Annotated[Any, _LazyField(...)]`, else None."""
    for item in getattr(annotation, "__metadata__", ()):
        if isinstance(item, _LazyField):
            return item
    return None


class _TypedAnnotations(dict[str, Any]):
    """A generated model's `__annotations__` as `typing.get_type_hints(Model)` and
    `inspect.get_annotations(Model, eval_str=True)` read them (through `items()`): a lazily
    validated field gives its real type, evaluated on that first read, not the `Annotated[Any,
    _LazyField]` that pydantic was given when the class was created."""

    def items(self) -> Any:
        for name, value in list(super().items()):
            lazy = _lazy_of(value)
            if lazy is not None:
                self[name] = lazy.field_type()
        return super().items()


class _FieldsWithTypes:
    """`Model.model_fields`: pydantic's fields, a lazily validated one with its real type as its
    `annotation` (evaluated on first read, the models it names imported then), so that code
    introspecting models (schema tools, FastAPI, sample builders) sees what the module declares.
    pydantic itself reads `__pydantic_fields__`, where such a field stays `Any` and lazy."""

    _cache: ClassVar[dict[type, tuple[dict[str, FieldInfo], dict[str, FieldInfo]]]] = {}

    def __get__(self, instance: object, owner: Any) -> dict[str, FieldInfo]:
        fields: dict[str, FieldInfo] = getattr(owner, "__pydantic_fields__", {})
        cached = self._cache.get(owner)
        if cached is not None and cached[0] is fields:
            return cached[1]
        typed = {name: _with_real_type(info) for name, info in fields.items()}
        self._cache[owner] = (fields, typed)
        return typed


def _with_real_type(info: FieldInfo) -> FieldInfo:
    lazy = next((item for item in info.metadata if isinstance(item, _LazyField)), None)
    if lazy is None:
        return info
    declared = FieldInfo.from_annotation(lazy.field_type())
    typed = copy(info)
    typed.annotation = declared.annotation
    typed.metadata = [*declared.metadata, *(item for item in info.metadata if item is not lazy)]
    return typed


class BaseModel(pydantic.BaseModel):
    """Fields the server sends but the spec does not name are kept (see `model_extra`)."""

    model_config = pydantic.ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        # Field docstrings stay in the source for editors; reading them at import (pydantic's
        # use_attribute_docstrings re-parses each class's source) would double the import time.
        use_attribute_docstrings=False,
        protected_namespaces=(),
        defer_build=True,
    )

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        module = cls.__module__
        if not module.startswith(_MODELS + "."):
            return  # a user's subclass: pydantic's rules as they are
        annotations = cls.__dict__.get("__annotations__", {})
        names = vars(sys.modules[module])
        for field, text in annotations.items():
            if isinstance(text, str) and not text.startswith("ClassVar[") and _is_lazy(text, names):
                annotations[field] = _lazy_annotation(field, text, module)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        annotations = cls.__dict__.get("__annotations__")
        if isinstance(annotations, dict) and any(map(_lazy_of, annotations.values())):
            cls.__annotations__ = _TypedAnnotations(annotations)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form as the API spells it: aliases, and only the fields that were set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_unset=True)


# After the class statement: pydantic takes what its body binds for fields.
type.__setattr__(BaseModel, "model_fields", _FieldsWithTypes())


class OpenStrEnum(str, enum.Enum):
    """A string enum that accepts values the spec did not list: they become pseudo-members
    named `UNKNOWN` carrying the value, so a newer server never breaks an older client."""

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = "UNKNOWN"
        member._value_ = value
        return member

    def __str__(self) -> str:
        return str(self.value)


class OpenIntEnum(int, enum.Enum):
    """An integer enum that accepts values the spec did not list (see `OpenStrEnum`)."""

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        member = int.__new__(cls, value)
        member._name_ = "UNKNOWN"
        member._value_ = value
        return member


def _lenient_datetime(value: Any) -> Any:
    """Accept the date-time spellings real servers send besides RFC 3339."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if len(text) >= 5 and text[-5] in "+-" and text[-4:].isdigit() and text[-6:-5] == " ":
        text = text[:-6] + text[-5:-2] + ":" + text[-2:]  # "… 06:43:04 +0000" -> "…06:43:04+00:00"
    elif len(text) >= 5 and text[-5] in "+-" and text[-4:].isdigit() and text[-8:-7] == ":":
        text = text[:-2] + ":" + text[-2:]  # "+0000" -> "+00:00"
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        parsed = parsedate_to_datetime(text)  # RFC 2822, as in HTTP headers
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    except (TypeError, ValueError, IndexError):
        return value


DateTime = Annotated[datetime, BeforeValidator(_lenient_datetime)]
