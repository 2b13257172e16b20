"""Base classes of the generated models: tolerant of what newer servers send."""

from __future__ import annotations

import enum
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

import pydantic
from pydantic import BeforeValidator
from typing_extensions import Annotated, Self

__all__ = ["BaseModel", "WireModel", "OpenStrEnum", "OpenIntEnum", "DateTime", "REQUEST"]

REQUEST = {"oasgen": "request"}
"""The serialisation context of a request body: read-only properties are left out."""


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

    def to_dict(self) -> dict[str, Any]:
        """The JSON form as the API spells it: aliases, and only the fields that were set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_unset=True)


class WireModel(BaseModel):
    """A model whose fields the spec treats specially on the wire: required fields with a default
    are always sent (the server requires them even when the caller kept the default), and
    read-only ones are never sent in a request (the server sets them; `to_dict()` keeps them)."""

    __required_defaults__: ClassVar[tuple[str, ...]] = ()
    __read_only__: ClassVar[tuple[str, ...]] = ()

    def model_post_init(self, context: Any, /) -> None:
        # Set, so that serialisation without unset fields (requests, to_dict) keeps them.
        self.__pydantic_fields_set__.update(self.__required_defaults__)

    @pydantic.model_serializer(mode="wrap")
    def _wire_dump(
        self, handler: pydantic.SerializerFunctionWrapHandler, info: pydantic.SerializationInfo
    ) -> Any:
        data = handler(self)
        if self.__read_only__ and info.context == REQUEST and isinstance(data, dict):
            fields = type(self).model_fields
            for name in self.__read_only__:
                alias = fields[name].serialization_alias if info.by_alias else None
                data.pop(alias or name, None)
        return data


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
