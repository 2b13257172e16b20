"""The base of the models whose fields the spec treats specially on the wire; a module of its own,
so that a call meeting none of them does not create it (pydantic's serializer decorator makes
the class cost more than most models)."""

from __future__ import annotations

from typing import Any, ClassVar

import pydantic

from ._models import REQUEST, BaseModel

__all__ = ["WireModel"]


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
            fields = type(self).__pydantic_fields__
            for name in self.__read_only__:
                alias = fields[name].serialization_alias if info.by_alias else None
                data.pop(alias or name, None)
        return data
