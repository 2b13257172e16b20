"""Types shared by the client runtime and the generated code."""

from __future__ import annotations

import os
from typing import IO, Mapping, Tuple, TypedDict, Union

import httpx
from typing_extensions import Literal, override


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
