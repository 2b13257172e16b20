"""The `pagination` table of a client's configuration: per operationId, a strategy and the names
detection cannot see, or `false` to keep an operation unpaginated.

    [tool.oasgen.clients.pagination]
    listFaxes = { strategy = "offset", param = "offset", limit-param = "limit", items = "data.records" }
    listEvents = { strategy = "cursor", param = "cursor", cursor = "meta.next_cursor" }
    exportAll = false

The same keys make the spec's own `x-pagination` extension."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

STRATEGIES = ("offset", "page", "cursor", "last_id", "next_url", "link_header")
_KEYS = {
    "strategy",
    "param",
    "limit-param",
    "items",
    "cursor",
    "has-more",
    "total",
    "total-pages",
    "id-field",
    "before-param",
}


@dataclass(frozen=True)
class PagingRequest:
    """A pagination as the configuration or an extension declares it, in the spec's names (JSON
    names of the answer's fields, dotted paths split); checked against the operation later."""

    strategy: str
    source: str = "configuration"
    param: str = ""
    limit_param: str = ""
    items: tuple[str, ...] | None = None  # None: where detection finds them
    cursor: tuple[str, ...] = ()
    has_more: tuple[str, ...] = ()
    total: tuple[str, ...] = ()
    total_pages: tuple[str, ...] = ()
    id_field: str = "id"
    before_param: str = ""


def _path(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(".") if part)


def setting_from_table(
    table: Mapping[str, object], where: str, error: Callable[[str], None], source: str
) -> PagingRequest | None:
    """A PagingRequest from a table of the keys above; problems go to `error`. `items` not
    given: where detection finds them; `items = ""`: the answer itself is the list."""
    for key in table:
        if key not in _KEYS:
            error(f"unknown key {where + '.' + key!r} (known keys: {', '.join(sorted(_KEYS))})")
    for key, value in table.items():
        if key in _KEYS and not isinstance(value, str):
            error(f"{where}.{key} must be a string, not {value!r}")
    strategy = table.get("strategy")
    if strategy not in STRATEGIES:
        error(f"{where}.strategy must be one of {', '.join(STRATEGIES)}, not {strategy!r}")
        return None
    text = {k: v for k, v in table.items() if k in _KEYS and isinstance(v, str)}
    return PagingRequest(
        strategy=str(strategy),
        source=source,
        param=text.get("param", ""),
        limit_param=text.get("limit-param", ""),
        items=_path(text["items"]) if "items" in text else None,
        cursor=_path(text.get("cursor", "")),
        has_more=_path(text.get("has-more", "")),
        total=_path(text.get("total", "")),
        total_pages=_path(text.get("total-pages", "")),
        id_field=text.get("id-field", "id"),
        before_param=text.get("before-param", ""),
    )


def parse_pagination(
    value: object, where: str, error: Callable[[str], None]
) -> dict[str, PagingRequest | None] | None:
    """The client's `pagination` value: `false` (no pagination at all: None), or a table of
    operationIds to a setting or `false` (that operation unpaginated)."""
    if value is False:
        return None
    if not isinstance(value, dict):
        error(f"{where}.pagination must be false or a table of operationIds")
        return {}
    settings: dict[str, PagingRequest | None] = {}
    for operation, entry in value.items():
        name = f"{where}.pagination.{operation}"
        if entry is False:
            settings[operation] = None
        elif isinstance(entry, dict):
            setting = setting_from_table(entry, name, error, "configuration")
            if setting is not None:
                settings[operation] = setting
        else:
            error(f"{name} must be false or a table (strategy = ..., ...)")
    return settings


def pagination_fingerprint(settings: dict[str, PagingRequest | None] | None) -> str:
    if settings is None:
        return "off"
    return ";".join(f"{name}={settings[name]!r}" for name in sorted(settings))
