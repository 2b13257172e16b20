"""Parameters on the wire, serialised by OpenAPI `style` and `explode` (RFC 6570 expansions).

Path, query and cookie values are percent-encoded so that only the style's own delimiters stay
literal; header values are sent as text (RFC 6570's percent-encoding is not HTTP header syntax).
A parameter declared with `content` instead of `schema` is sent as its media type's text (JSON).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Mapping
from urllib.parse import quote

from ._encoding import (
    DELIMITERS,
    check_header_value,
    is_given,
    scalar_text,
    to_jsonable,
)

Style = tuple[str, bool]  # (style, explode)
StyleKey = tuple[str, str]  # (location, parameter name)
Encoder = Callable[[str], str]
Pair = Callable[[str, str], str]

# Style and explode of a parameter that declares neither (OpenAPI: explode is true for form only).
DEFAULT_STYLES: Mapping[str, Style] = {
    "path": ("simple", False),
    "query": ("form", True),
    "header": ("simple", False),
    "cookie": ("form", True),
}

# With allowReserved, RFC 3986 reserved characters pass unencoded, except those a query string
# cannot hold literally (`#[]`) or that form-urlencoded query strings give a meaning (`&=+`), as
# the Specification's Appendix C advises; percent-encoded triples pass unchanged (RFC 6570 `{+x}`).
_RESERVED_SAFE = ":/?@!$'()*,;"
_PCT_TRIPLE = re.compile(r"(%[0-9A-Fa-f]{2})")


def is_json_media(media: str) -> bool:
    media = media.split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def media_text(value: Any, media: str) -> str:
    """A `content`-typed parameter's value as its media type's text."""
    value = to_jsonable(value)
    if is_json_media(media) or isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return scalar_text(value)


def percent_encode(text: str, allow_reserved: bool = False) -> str:
    """RFC 6570 simple expansion keeps only unreserved characters; reserved expansion keeps more."""
    if not allow_reserved:
        return quote(text, safe="")
    return "".join(
        part if _PCT_TRIPLE.fullmatch(part) else quote(part, safe=_RESERVED_SAFE)
        for part in _PCT_TRIPLE.split(text)
    )


def _is_undefined(value: Any) -> bool:
    return value is None or (isinstance(value, (list, dict)) and not value)


def _pairs(value: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(str(k), v) for k, v in value.items() if v is not None and is_given(v)]


def serialize_style(
    name: str,
    value: Any,
    style: str,
    explode: bool,
    allow_reserved: bool = False,
    location: str = "query",
) -> list[str]:
    """`value` expanded by `style` into its pieces as they go on the wire: one piece for a path
    segment or a header value, one `name=value` piece per pair in a query string or cookie (a
    query string joins them with `&`, a Cookie header with `; `). Values are percent-encoded
    except in headers; in a path, a value made only of dots is encoded too (`.` and `..` would
    be dot segments, resolved away by every URL parser)."""
    value = to_jsonable(value)

    def enc(text: str) -> str:
        if location == "header":
            return text
        if location == "path" and text and text.strip(".") == "":
            return "%2E" * len(text)
        return percent_encode(text, allow_reserved)

    def named(key: str, text: str) -> str:
        return f"{enc(key)}={enc(text)}"

    bare = location in ("path", "header")  # delimited styles there (Swagger 2.0) carry no name
    if style == "deepObject" and isinstance(value, (list, dict)):
        # Arrays, which deepObject leaves undefined, by index (`expand[0]=a`), as Stripe's
        # libraries send them; repeated `expand=a` would read as one value on such servers.
        return [named(name + suffix, text) for suffix, text in _deep(value)]
    if isinstance(value, list):
        items = [scalar_text(v) for v in value if v is not None]
        return _array(name, items, style, explode, bare, enc, named)
    if isinstance(value, dict):
        pairs = [(k, scalar_text(v)) for k, v in _pairs(value)]
        return _object(name, pairs, style, explode, bare, enc, named)
    text = scalar_text(value)
    if style == "label":
        return ["." + enc(text)]
    if style == "matrix":  # RFC 6570: an empty value keeps only the name (`;color`)
        return [f";{enc(name)}" + (f"={enc(text)}" if text else "")]
    if style == "simple" or bare:
        return [enc(text)]
    return [named(name, text)]  # form, and the delimited styles for one value


def _array(
    name: str, items: list[str], style: str, explode: bool, bare: bool, enc: Encoder, named: Pair
) -> list[str]:
    if style == "label":
        # RFC 6570 (`{.x}`): `.blue,black,brown` unexploded, `.blue.black.brown` exploded. The
        # OpenAPI 3.0.3 table shows `.blue.black.brown` for both; 3.0.4 and 3.1.1 corrected it to
        # RFC 6570, which the style is defined by and which server frameworks parse.
        return ["." + ("." if explode else ",").join(enc(v) for v in items)]
    if style == "matrix":
        if explode:
            return ["".join(f";{enc(name)}" + (f"={enc(v)}" if v else "") for v in items)]
        return [f";{enc(name)}=" + ",".join(enc(v) for v in items)]
    delimiter = DELIMITERS.get(style, ",") if not explode or bare else None
    if delimiter is None:  # form (and delimited styles) exploded: one pair per item
        return [named(name, v) for v in items]
    # `,` is RFC 6570's own delimiter, literal; space, `|` and tab are not allowed in a URL.
    joined = (delimiter if delimiter == "," else enc(delimiter)).join(enc(v) for v in items)
    return [joined] if style == "simple" or bare else [named(name, "") + joined]


def _object(
    name: str,
    pairs: list[tuple[str, str]],
    style: str,
    explode: bool,
    bare: bool,
    enc: Encoder,
    named: Pair,
) -> list[str]:
    flat = [enc(part) for pair in pairs for part in pair]
    exploded = [f"{enc(k)}={enc(v)}" for k, v in pairs]
    if style == "simple":
        return [",".join(exploded if explode else flat)]
    if style == "label":
        return ["." + (".".join(exploded) if explode else ",".join(flat))]
    if style == "matrix":
        if explode:
            return ["".join(";" + pair for pair in exploded)]
        return [f";{enc(name)}=" + ",".join(flat)]
    if style in DELIMITERS and not explode:
        joined = enc(DELIMITERS[style]).join(flat)
        return [joined] if bare else [named(name, "") + joined]
    if explode:  # form: each property its own pair
        return [named(k, v) for k, v in pairs]
    return [named(name, "") + ",".join(flat)]


def _deep(value: Any) -> list[tuple[str, str]]:
    """deepObject's `[R]` suffixes and values; nested objects and arrays (which OpenAPI leaves
    undefined) go on in the same bracket notation, arrays by index."""
    items = _pairs(value) if isinstance(value, dict) else [(str(i), v) for i, v in enumerate(value)]
    out: list[tuple[str, str]] = []
    for key, item in items:
        if isinstance(item, (dict, list)):
            out.extend((f"[{key}]{suffix}", text) for suffix, text in _deep(item))
        elif item is not None:
            out.append((f"[{key}]", scalar_text(item)))
    return out


class ParamRules:
    """How one operation's parameters are serialised, as its Endpoint declares: the styles that
    differ from their location's default, the query parameters with `allowReserved`, and the
    media types of parameters declared with `content`."""

    def __init__(
        self,
        styles: Mapping[StyleKey, Style] | None = None,
        allow_reserved: tuple[str, ...] = (),
        media: Mapping[StyleKey, str] | None = None,
    ) -> None:
        self.styles = styles or {}
        self.allow_reserved = allow_reserved
        self.media = media or {}

    def pieces(self, location: str, name: str, value: Any) -> list[str]:
        media = self.media.get((location, name))
        if media is not None:
            text = media_text(value, media)
            if location == "header":
                return [text]
            return [percent_encode(text)] if location == "path" else [query_pair(name, text)]
        style, explode = self.styles.get((location, name), DEFAULT_STYLES[location])
        reserved = location == "query" and name in self.allow_reserved
        return serialize_style(name, value, style, explode, reserved, location)


NO_RULES = ParamRules()


def _given(params: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Parameters to send: not NOT_GIVEN, not None and, as RFC 6570 has it, not an empty list or
    object (an undefined value, left out)."""
    return [(k, v) for k, v in params.items() if is_given(v) and not _is_undefined(to_jsonable(v))]


def encode_path(template: str, params: Mapping[str, Any], rules: ParamRules = NO_RULES) -> str:
    """Fill a path template; values are encoded so that they cannot change the path. An empty
    value would (`/outbox/{id}` becoming the collection `/outbox/`), so it is refused."""
    values = {}
    for name, value in params.items():
        if not is_given(value) or _is_undefined(to_jsonable(value)) or to_jsonable(value) == "":
            raise ValueError(
                f"path parameter {name!r} is empty; an empty value would change the URL"
            )
        values["{" + name + "}"] = "".join(rules.pieces("path", name, value))
    segments = []
    for segment in template.split("/"):
        if "{" in segment:
            segment = re.sub(r"{[^}/]*}", lambda m: values.get(m.group(0), m.group(0)), segment)
            if segment in (".", ".."):
                raise ValueError(
                    f"path segment {segment!r} would be resolved away; refusing to send it"
                )
        segments.append(segment)
    return "/".join(segments)


def encode_query(params: Mapping[str, Any], rules: ParamRules = NO_RULES) -> list[str]:
    """The query string's `name=value` pieces, in order, percent-encoded: join them with `&`."""
    return [piece for name, value in _given(params) for piece in rules.pieces("query", name, value)]


def query_pair(name: str, value: str) -> str:
    """One `name=value` of a query string or cookie, both percent-encoded."""
    return f"{quote(name, safe='')}={quote(value, safe='')}"


def encode_headers(params: Mapping[str, Any], rules: ParamRules = NO_RULES) -> dict[str, str]:
    headers = {}
    for name, value in _given(params):
        text = check_header_value(name, ",".join(rules.pieces("header", name, value)))
        if not text.isascii():  # httpx would fail deep inside; say what is wrong, before sending
            raise ValueError(f"header {name!r} holds non-ASCII text; HTTP header values are ASCII")
        headers[name] = text
    return headers


def encode_cookies(params: Mapping[str, Any], rules: ParamRules = NO_RULES) -> str:
    """form style, its pairs joined as RFC 6265 cookies (`a=1; b=2`): the `&` of a query string
    is no cookie delimiter (the Specification's Appendix D calls `form` with `&` incorrect)."""
    return "; ".join(
        piece for name, value in _given(params) for piece in rules.pieces("cookie", name, value)
    )
