"""Turning Python values into what goes over the wire: bodies and files (parameters: _params)."""

from __future__ import annotations

import datetime as _dt
import enum
import io
import mimetypes
import os
from typing import IO, Any, Iterable, Mapping
from urllib.parse import urlencode

import pydantic

from ._types import NotGiven

FileTuple = tuple[str, tuple[str | None, Any, str | None]]

QueryItems = list[tuple[str, str]]


def is_given(value: object) -> bool:
    return not isinstance(value, NotGiven)


def to_jsonable(value: Any) -> Any:
    """Models, enums and dates as JSON values; fields of a model that were never set are left out."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items() if is_given(v)}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def _scalar(value: Any) -> str:
    value = to_jsonable(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    return str(value)


def _bracketed(prefix: str, value: Any) -> QueryItems:
    """Nested values as `a[b][0]=c`, the convention of deepObject and of Stripe-style form bodies."""
    if isinstance(value, dict):
        out: QueryItems = []
        for key, item in value.items():
            out.extend(_bracketed(f"{prefix}[{key}]", item))
        return out
    if isinstance(value, list):
        out = []
        for index, item in enumerate(value):
            out.extend(_bracketed(f"{prefix}[{index}]", item))
        return out
    return [(prefix, _scalar(value))]


def encode_form(body: Any) -> QueryItems:
    """An application/x-www-form-urlencoded body; nested objects and lists in bracket notation."""
    value = to_jsonable(body)
    if not isinstance(value, dict):
        raise TypeError("a form body must be an object")
    items: QueryItems = []
    for key, item in value.items():
        if item is None:
            continue
        items.extend(
            _bracketed(str(key), item)
            if isinstance(item, (dict, list))
            else [(str(key), _scalar(item))]
        )
    return items


def check_header_value(name: str, value: str) -> str:
    """Refuse CR and LF in header values: they would let a value inject headers."""
    if "\r" in value or "\n" in value or "\x00" in value:
        raise ValueError(f"header {name!r} contains a line break or NUL; refusing to send it")
    return value


class OpenedFiles:
    """Files the client opened from paths for one request; rewound before a retry, closed after."""

    def __init__(self) -> None:
        self._files: list[IO[bytes]] = []
        self._positions: list[tuple[IO[bytes], int]] = []
        self.replayable = True
        """False once the body holds a stream that cannot be rewound (a pipe, a generator): the
        request is then never re-sent, since a retry could not send the same bytes."""

    def remember(self, stream: IO[bytes]) -> None:
        try:
            if hasattr(stream, "seekable") and not stream.seekable():
                raise OSError("not seekable")
            self._positions.append((stream, stream.tell()))
        except (OSError, ValueError):
            self.replayable = False

    def rewind(self) -> None:
        for stream, position in self._positions:
            stream.seek(position)

    def close(self) -> None:
        for stream in self._files:
            stream.close()
        self._files.clear()

    def open(self, path: os.PathLike[str]) -> IO[bytes]:
        stream = open(path, "rb")  # noqa: SIM115 - closed by close() after the request
        self._files.append(stream)
        self.remember(stream)
        return stream


def file_tuple(field: str, value: Any, opened: OpenedFiles) -> FileTuple:
    """One multipart file part as httpx wants it: (field, (filename, content, content_type))."""
    filename: str | None = None
    content_type: str | None = None
    content = value
    if isinstance(value, tuple):
        filename, content = value[0], value[1]
        content_type = value[2] if len(value) > 2 else None
    if isinstance(content, os.PathLike):
        filename = filename or os.path.basename(os.fspath(content))
        content = opened.open(content)
    elif _is_file_object(content):
        name = getattr(content, "name", None)
        filename = filename or (os.path.basename(name) if isinstance(name, str) else None)
        opened.remember(content)
    if content_type is None:
        content_type = (
            mimetypes.guess_type(filename)[0] if filename else None
        ) or "application/octet-stream"
    return field, (filename or "upload", content, content_type)


def _is_file_object(value: Any) -> bool:
    # Duck-typed: tempfile.NamedTemporaryFile() and similar wrappers are not io.IOBase.
    return isinstance(value, io.IOBase) or (hasattr(value, "read") and hasattr(value, "seek"))


def _looks_like_file(value: Any) -> bool:
    return (
        isinstance(value, (bytes, os.PathLike))
        or _is_file_object(value)
        or (
            isinstance(value, tuple)
            and len(value) in (2, 3)
            and (isinstance(value[1], bytes) or _is_file_object(value[1]))
        )
    )


def multipart_parts(
    fields: Any, file_fields: Iterable[str], opened: OpenedFiles
) -> tuple[dict[str, Any], list[FileTuple]]:
    data: dict[str, Any] = {}
    files: list[FileTuple] = []
    file_names = set(file_fields)
    if isinstance(fields, pydantic.BaseModel):
        fields = {
            (info.serialization_alias or key): getattr(fields, key)
            for key, info in type(fields).model_fields.items()
            if key in fields.model_fields_set
        }
    for name, value in fields.items():
        if not is_given(value) or value is None:
            continue
        if name in file_names or _looks_like_file(value):
            values = value if isinstance(value, list) else [value]
            files.extend(file_tuple(name, v, opened) for v in values)
            continue
        value = to_jsonable(value)
        if isinstance(value, (dict, list)):
            import json

            data[name] = json.dumps(value)
        else:
            data[name] = _scalar(value)
    return data, files


class RequestBody:
    """The body of one request as the operation declares it: JSON, form, multipart or raw."""

    def __init__(
        self,
        json: Any,
        form: Any,
        multipart: Mapping[str, Any] | None,
        file_fields: tuple[str, ...],
        content: Any,
        content_type: str | None,
    ) -> None:
        self.json = json
        self.form = form
        self.multipart = multipart
        self.file_fields = file_fields
        self.content = content
        self.content_type = content_type

    def encode(
        self,
        kwargs: dict[str, Any],
        headers: dict[str, str],
        extra_body: Mapping[str, object] | None,
        opened: OpenedFiles,
    ) -> None:
        """Put the body into httpx's `build_request` arguments and set its Content-Type."""
        extra = to_jsonable(dict(extra_body)) if extra_body else {}
        if isinstance(self.json, pydantic.BaseModel) and not extra:
            # pydantic's own serializer writes the JSON in one step, faster than dict + json.dumps.
            kwargs["content"] = self.json.model_dump_json(by_alias=True, exclude_unset=True)
            headers["Content-Type"] = "application/json"
        elif is_given(self.json):
            kwargs["json"] = _merged_json(to_jsonable(self.json), extra)
        elif is_given(self.form):
            # A list of pairs keeps repeated keys; httpx's `data=` takes only a mapping.
            kwargs["content"] = urlencode(encode_form({**to_jsonable(self.form), **extra})).encode(
                "ascii"
            )
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif self.multipart is not None:
            self._encode_multipart(kwargs, headers, extra, opened)
        elif is_given(self.content):
            kwargs["content"] = _raw_content(self.content, opened)
            headers["Content-Type"] = self.content_type or "application/octet-stream"
        elif extra:
            kwargs["json"] = extra  # a body the spec forgot: sent as JSON

    def _encode_multipart(
        self,
        kwargs: dict[str, Any],
        headers: dict[str, str],
        extra: dict[str, Any],
        opened: OpenedFiles,
    ) -> None:
        assert self.multipart is not None
        data, file_parts = multipart_parts({**self.multipart, **extra}, self.file_fields, opened)
        # One boundary for every attempt: a retry sends the very same bytes.
        boundary = os.urandom(16).hex()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        if file_parts:
            kwargs["data"], kwargs["files"] = data, file_parts
        else:  # without files httpx would send urlencoded; the operation declared multipart
            kwargs["content"] = _multipart_without_files(data, boundary)


def _merged_json(body: Any, extra: dict[str, Any]) -> Any:
    if not extra:
        return body
    if not isinstance(body, dict):
        raise TypeError("extra_body needs a JSON object body to merge into")
    return {**body, **extra}


def _raw_content(content: Any, opened: OpenedFiles) -> Any:
    """A raw body: bytes, a path (opened here, closed after the request) or a file object."""
    if isinstance(content, os.PathLike):
        return opened.open(content)
    if hasattr(content, "read") and hasattr(content, "seek"):
        opened.remember(content)  # rewound before a retry
    elif not isinstance(content, (bytes, str)):
        opened.replayable = False  # an iterator of chunks is spent after one attempt
    return content


def _multipart_without_files(data: Mapping[str, Any], boundary: str) -> bytes:
    parts = []
    for name, value in data.items():
        disposition = f'Content-Disposition: form-data; name="{_quoted(name)}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def _quoted(name: str) -> str:
    # As browsers and httpx do, so that a field name cannot end the header or the part.
    return name.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
