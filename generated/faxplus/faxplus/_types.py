"""Types shared by the client runtime and the generated code."""

from __future__ import annotations

import dataclasses
import os
from typing import IO, Any, Callable, Mapping, Tuple, TypedDict, TypeVar, Union

import httpx
from typing_extensions import Literal, override

_T = TypeVar("_T")


class NotGiven:
    """Marks an argument that was not passed, as distinct from an explicit `None`.

    An argument left at `NOT_GIVEN` is not sent at all; `None` is sent as `null` where the
    API accepts it.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    @override
    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

FileContent = Union[bytes, IO[bytes]]
FileTypes = Union[
    FileContent,
    "os.PathLike[str]",
    Tuple[Union[str, None], FileContent],
    Tuple[Union[str, None], FileContent, Union[str, None]],
    Tuple[Union[str, None], FileContent, Union[str, None], Mapping[str, str]],
]
"""A file to upload: bytes, a binary file object, a path, or (filename, content[, content_type[,
headers of the part]])."""

TimeoutTypes = Union[float, httpx.Timeout, None]


class RequestOptions(TypedDict, total=False):
    """Per-request additions and overrides, for what the spec forgot or one call needs."""

    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, object]
    extra_body: Mapping[str, object]
    timeout: TimeoutTypes
    max_retries: int
    idempotency_key: str
    server_variables: Mapping[str, str]
    """Values of server URL variables for this request (over the client's `server_variables`)."""
    base_url: str | httpx.URL
    """This request's base URL, over the operation's server and the client's `base_url`."""


def frozen_record(*, frozen: bool) -> Callable[[type[_T]], type[_T]]:
    """`dataclasses.dataclass(frozen=True)` for the runtime's own records (type checkers are shown
    that one): the same `__init__`, `__repr__`, `__eq__`, `__hash__` and frozen attributes, made
    of shared functions. The standard decorator compiles each class's methods from source at
    import: the eight records a first call imports took about 4% of a cold call's instructions."""
    if not frozen:
        raise TypeError("frozen_record makes frozen records only")
    return _frozen_record


def _frozen_record(cls: type[_T]) -> type[_T]:
    annotations: dict[str, Any] = cls.__dict__.get("__annotations__", {})
    names = tuple(n for n, a in annotations.items() if not str(a).startswith("ClassVar"))
    defaults: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    for name in names:
        value = cls.__dict__.get(name, _MISSING)
        if isinstance(value, dataclasses.Field):
            if value.default_factory is not dataclasses.MISSING:
                factories[name] = value.default_factory
            elif value.default is not dataclasses.MISSING:
                defaults[name] = value.default
            delattr(cls, name)
        elif value is not _MISSING:
            defaults[name] = value
    known = frozenset(names)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        values = dict(defaults)
        values.update(zip(names, args, strict=False))
        values.update(kwargs)
        for name, factory in factories.items():
            if name not in values:
                values[name] = factory()
        if (
            len(args) > len(names)
            or len(values) != len(names)
            or not known.issuperset(values)
            or (args and not kwargs.keys().isdisjoint(names[: len(args)]))
        ):
            raise TypeError(_wrong_arguments(cls, names, args, kwargs, values))
        self.__dict__.update(values)

    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _values(self, names) == _values(other, names)

    def __hash__(self: Any) -> int:
        return hash(_values(self, names))

    def __setattr__(self: Any, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self: Any, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    for method in (__init__, __repr__, __eq__, __hash__, __setattr__, __delattr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)
    return cls


def _values(record: object, names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(record, name) for name in names)


def _wrong_arguments(
    cls: type, names: tuple[str, ...], args: tuple[Any, ...], kwargs: dict[str, Any], values: Any
) -> str:
    unknown = sorted(set(kwargs) - set(names))
    twice = [name for name in names[: len(args)] if name in kwargs]
    if twice:
        return f"{cls.__qualname__}() got multiple values for argument {twice[0]!r}"
    if unknown:
        return f"{cls.__qualname__}() got an unexpected keyword argument {unknown[0]!r}"
    if len(args) > len(names):
        return f"{cls.__qualname__}() takes {len(names)} positional arguments, got {len(args)}"
    missing = [name for name in names if name not in values]
    return f"{cls.__qualname__}() missing required arguments: {', '.join(map(repr, missing))}"


_MISSING = object()
