"""Server Objects of the spec (root, path and operation level) as model servers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from generator.model.api import Server, ServerVariable
from generator.model.specvalues import text as spec_text
from generator.spec.refs import Location

Warn = Callable[[Location, str], None]


def build_servers(entries: Any, at: Location, warn: Warn) -> list[Server]:
    """The usable entries of a `servers` list, in spec order (the first is the one used)."""
    servers = []
    for n, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            servers.append(_server(entry, at.child(n), warn))
    return servers


def _server(entry: dict[str, Any], at: Location, warn: Warn) -> Server:
    url = entry["url"]
    variables = []
    declared = entry.get("variables") if isinstance(entry.get("variables"), dict) else {}
    for name, value in declared.items():
        value = value if isinstance(value, dict) else {}
        enum = [_text(v) for v in value["enum"]] if isinstance(value.get("enum"), list) else []
        if "default" in value:
            default = _text(value["default"])
        else:
            default = enum[0] if enum else ""
            warn(
                at.child("variables", str(name)),
                f"server variable {name!r} has no default; {default!r} is used",
            )
        if enum and default not in enum:
            warn(
                at.child("variables", str(name), "default"),
                f"the default {default!r} of server variable {name!r} is not one of its enum values",
            )
        variables.append(
            ServerVariable(str(name), default, enum, spec_text(value.get("description")))
        )
    names = {v.name for v in variables}
    for name in re.findall(r"{([^}]+)}", url):
        if name not in names:
            warn(
                at.child("url"), f"server variable {name!r} is not declared; it is left in the URL"
            )
    if url != "/":
        url = url.rstrip("/")
    return Server(url, spec_text(entry.get("description")), variables)


def _text(value: Any) -> str:
    """Variable values are strings; YAML makes `80` a number and `true` a bool."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def same_servers(a: list[Server], b: list[Server]) -> bool:
    """Whether two server lists name the same servers (Twilio repeats the root one on every path)."""
    key = [(s.url, [(v.name, v.default, v.enum) for v in s.variables]) for s in a]
    return key == [(s.url, [(v.name, v.default, v.enum) for v in s.variables]) for s in b]
