"""Turning Python values into what goes over the wire: bodies and files (parameters: _params)."""

from __future__ import annotations

import datetime as _dt
import enum
import io
import json as _json
import mimetypes
import os
from typing import IO, TYPE_CHECKING, Any, Iterable, Mapping
from urllib.parse import urlencode

import pydantic

from ._models import REQUEST
from ._types import NotGiven

if TYPE_CHECKING:
    from dataclasses import dataclass
else:  # the same records, their methods not compiled at import (see frozen_record)
    from ._types import frozen_record as dataclass

FileTuple = tuple[str, tuple[str | None, Any, str | None, dict[str, str]]]
"""One multipart part as httpx wants it: (name, (filename, content, content_type, headers))."""

QueryItems = list[tuple[str, str]]

DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|", "tabDelimited": "\t"}
"""The delimiters of the delimited styles (tabDelimited: Swagger 2.0's `tsv`, no OpenAPI 3 style)."""


def is_given(value: object) -> bool:
    return not isinstance(value, NotGiven)


@dataclass(frozen=True)
class PartEncoding:
    """The Encoding Object of one property of a form or multipart body."""

    content_type: str | None = None
    style: str | None = None
    explode: bool | None = None
    headers: Mapping[str, str] | None = None
    """Headers sent with the part (those the spec declares with a default value)."""


def to_jsonable(value: Any) -> Any:
    """Models, enums and dates as JSON values, as a request sends them: fields of a model that
    were never set are left out, and so are read-only ones."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True, context=REQUEST)
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


def scalar_text(value: Any) -> str:
    """One value as text: booleans as `true`/`false`, enums by value, dates ISO, nested values
    (which no style defines) as JSON text."""
    value = to_jsonable(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return _json.dumps(value, separators=(",", ":"))
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
    return [(prefix, scalar_text(value))]


def encode_form(body: Any, encoding: Mapping[str, PartEncoding] | None = None) -> QueryItems:
    """An application/x-www-form-urlencoded body, each property by its Encoding Object: without
    `style` or `explode`, arrays are repeated keys (`tags=a&tags=b`, the `form` style exploded) and
    objects JSON text (the default content type of an object); with them, by that style."""
    value = to_jsonable(body)
    if not isinstance(value, dict):
        raise TypeError(f"a form body must be an object (a model or a mapping), not {value!r:.60}")
    items: QueryItems = []
    for key, item in value.items():
        if item is not None:
            items.extend(_form_property(str(key), item, (encoding or {}).get(str(key))))
    return items


def _form_property(name: str, value: Any, encoding: PartEncoding | None) -> QueryItems:
    if encoding is None or (encoding.style is None and encoding.explode is None):
        if isinstance(value, list) and not _is_json(encoding):
            return [(name, _form_text(item)) for item in value]
        return [(name, _form_text(value, _is_json(encoding)))]
    style = encoding.style or "form"
    explode = encoding.explode if encoding.explode is not None else style == "form"
    if style == "deepObject":
        return _bracketed(name, value)
    if isinstance(value, list):
        if explode and style == "form":
            return [(name, _form_text(item)) for item in value]
        return [(name, DELIMITERS.get(style, ",").join(_form_text(item) for item in value))]
    if isinstance(value, dict):
        if explode:
            return [(str(k), _form_text(v)) for k, v in value.items()]
        return [(name, ",".join(f"{k},{_form_text(v)}" for k, v in value.items()))]
    return [(name, scalar_text(value))]


def _is_json(encoding: PartEncoding | None) -> bool:
    media = (encoding.content_type or "") if encoding else ""
    media = media.split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _form_text(value: Any, as_json: bool = False) -> str:
    """A value inside a form field: objects and arrays as JSON text, scalars as they are."""
    if as_json or isinstance(value, (dict, list)):
        return _json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return scalar_text(value)


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


def file_tuple(
    field: str, value: Any, opened: OpenedFiles, encoding: PartEncoding | None = None
) -> FileTuple:
    """One multipart file part: (field, (filename, content, content_type, headers)). Its content
    type: the caller's, else the Encoding Object's (when it names one type), else the file name's.
    """
    filename: str | None = None
    content_type: str | None = None
    content = value
    headers = dict(encoding.headers or {}) if encoding else {}
    if isinstance(value, tuple):
        filename, content = value[0], value[1]
        content_type = value[2] if len(value) > 2 else None
        headers.update(value[3] if len(value) > 3 else {})
    if isinstance(content, os.PathLike):
        filename = filename or os.path.basename(os.fspath(content))
        content = opened.open(content)
    elif _is_file_object(content):
        name = getattr(content, "name", None)
        filename = filename or (os.path.basename(name) if isinstance(name, str) else None)
        opened.remember(content)
    declared = encoding.content_type if encoding else None
    if content_type is None and declared and "*" not in declared and "," not in declared:
        content_type = declared
    if content_type is None:
        content_type = (
            mimetypes.guess_type(filename)[0] if filename else None
        ) or "application/octet-stream"
    return field, (filename or "upload", content, content_type, headers)


def _is_file_object(value: Any) -> bool:
    # Duck-typed: tempfile.NamedTemporaryFile() and similar wrappers are not io.IOBase.
    return isinstance(value, io.IOBase) or (hasattr(value, "read") and hasattr(value, "seek"))


def _looks_like_file(value: Any) -> bool:
    return (
        isinstance(value, (bytes, os.PathLike))
        or _is_file_object(value)
        or (
            isinstance(value, tuple)
            and len(value) in (2, 3, 4)
            and (isinstance(value[1], bytes) or _is_file_object(value[1]))
        )
    )


def multipart_parts(
    fields: Any,
    file_fields: Iterable[str],
    opened: OpenedFiles,
    encoding: Mapping[str, PartEncoding] | None = None,
) -> list[FileTuple]:
    """Every part of a multipart body, in order: files as file parts; objects as application/json
    parts; arrays as one part per item (one JSON part when the encoding says application/json);
    scalars as text. Each with the content type and headers of its Encoding Object."""
    fields = _multipart_fields(fields)
    parts: list[FileTuple] = []
    file_names = set(file_fields)
    for name, value in fields.items():
        if not is_given(value) or value is None:
            continue
        part_encoding = (encoding or {}).get(name)
        is_file = name in file_names
        if isinstance(value, (list, tuple)) and not _looks_like_file(value):
            if not is_file and _is_json(part_encoding):
                parts.append(_text_part(name, list(value), part_encoding))
                continue
            values = list(value)
        else:
            values = [value]
        for item in values:
            if is_file or _looks_like_file(item):
                parts.append(file_tuple(name, item, opened, part_encoding))
            else:
                parts.append(_text_part(name, item, part_encoding))
    return parts


def _multipart_fields(fields: Any) -> Mapping[str, Any]:
    """The properties of a multipart body given as a model (not flattened into arguments: an
    `allOf`), a mapping, or a flattened operation's arguments; anything else is refused here,
    before the request is built."""
    if isinstance(fields, pydantic.BaseModel):
        # Python mode keeps bytes and file objects as they are; nested models become dicts.
        dumped = fields.model_dump(by_alias=True, exclude_unset=True, context=REQUEST)
        return dumped
    if isinstance(fields, Mapping):
        return fields
    raise TypeError(
        f"a multipart body must be an object (a model or a mapping), not {type(fields).__name__}"
    )


def _text_part(name: str, value: Any, encoding: PartEncoding | None) -> FileTuple:
    value = to_jsonable(value)
    headers = dict(encoding.headers or {}) if encoding else {}
    content_type = encoding.content_type if encoding else None
    if content_type and ("*" in content_type or "," in content_type):
        content_type = None
    if isinstance(value, (dict, list)) or _is_json(encoding):
        text = _json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        return name, (None, text.encode(), content_type or "application/json", headers)
    return name, (None, scalar_text(value).encode(), content_type, headers)


def _sent(body: Any, optional: bool) -> bool:
    """Whether a body goes out: an optional one of flattened properties only when one is given."""
    if not is_given(body):
        return False
    return not (optional and isinstance(body, dict) and not any(map(is_given, body.values())))


class RequestBody:
    """The body of one request as the operation declares it: JSON, form, multipart or raw."""

    def __init__(
        self,
        json: Any,
        form: Any,
        multipart: Any,
        file_fields: tuple[str, ...],
        content: Any,
        content_type: str | None,
        encoding: Mapping[str, PartEncoding] | None = None,
        optional: bool = False,
    ) -> None:
        self.encoding = encoding
        self.optional = optional
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
            kwargs["content"] = self.json.model_dump_json(
                by_alias=True, exclude_unset=True, context=REQUEST
            )
            headers["Content-Type"] = "application/json"
        elif _sent(self.json, self.optional):
            kwargs["json"] = _merged_json(to_jsonable(self.json), extra)
        elif _sent(self.form, self.optional):
            # A list of pairs keeps repeated keys; httpx's `data=` takes only a mapping.
            form = to_jsonable(self.form)
            if extra and isinstance(form, dict):
                form = {**form, **extra}
            kwargs["content"] = urlencode(encode_form(form, self.encoding)).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif self.multipart is not None and is_given(self.multipart):
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
        fields = _multipart_fields(self.multipart)
        parts = multipart_parts({**fields, **extra}, self.file_fields, opened, self.encoding)
        # One boundary for every attempt: a retry sends the very same bytes.
        boundary = os.urandom(16).hex()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        if parts:
            kwargs["files"] = parts
        else:  # without parts httpx would send no body; the operation declared multipart
            kwargs["content"] = f"--{boundary}--\r\n".encode()


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
