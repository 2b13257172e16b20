"""Two surfaces compared: each change a user of the client would notice, classified as semver
classifies a release of a Python SDK.

breaking (major): code written against the old client may stop working or type-checking: a removed
  method, resource, type, field, enum value or constructor argument; a new required parameter, or a
  parameter or request field now required; a narrowed parameter type; a changed return type; a
  response field whose type widened (`str` now `str | None`); a changed base URL or default.
feature (minor): new methods, optional parameters, types, fields and enum values; widened parameter
  types; narrowed result and response field types; new deprecations.
fix (patch): what the code cannot see: documentation, the HTTP path behind a method, examples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from generator.diff.surface import Surface
from generator.diff.types import relation
from generator.model import naming

Kind = Literal["breaking", "feature", "fix"]
KINDS: tuple[Kind, ...] = ("breaking", "feature", "fix")
BUMPS = {"breaking": "major", "feature": "minor", "fix": "patch"}
# The one change when the spec's files differ but nothing the generated code shows does.
SPEC_ONLY = "changed where the client's code does not show it (examples, formatting, ...)"


@dataclass(frozen=True, order=True)
class Change:
    kind: Kind
    subject: str  # what changed, as user code names it: `client.pets.list()`, `models.Pet.name`
    message: str

    def line(self) -> str:
        return f"{self.kind}: {self.subject}: {self.message}"

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "subject": self.subject, "message": self.message}


def bump(changes: list[Change]) -> str:
    """The version bump the changes need: major, minor, patch or none."""
    for kind in KINDS:
        if any(c.kind == kind for c in changes):
            return BUMPS[kind]
    return "none"


def verdict_line(changes: list[Change]) -> str:
    counts = []
    for kind, one, many in (
        ("breaking", "breaking change", "breaking changes"),
        ("feature", "feature", "features"),
        ("fix", "fix", "fixes"),
    ):
        n = sum(c.kind == kind for c in changes)
        if n:
            counts.append(f"{n} {one if n == 1 else many}")
    return f"version bump: {bump(changes)} ({', '.join(counts) or 'no changes'})"


def compare(old: Surface, new: Surface) -> list[Change]:
    """Every change from `old` to `new`, breaking first, each kind in order of subject."""
    enums = {
        name: str(t["value_type"])
        for surface in (old, new)
        for name, t in surface["types"].items()
        if t["kind"] == "enum"
    }
    changes = _Changes(enums)
    _client(old["client"], new["client"], changes)
    _methods(old["methods"], new["methods"], changes)
    _types(old["types"], new["types"], changes)
    if not changes.found and old.get("spec") != new.get("spec"):
        changes.add("fix", "spec", SPEC_ONLY)
    return sorted(changes.found, key=lambda c: (KINDS.index(c.kind), c.subject, c.message))


class _Changes:
    def __init__(self, enums: dict[str, str]) -> None:
        self.found: list[Change] = []
        self.enums = enums  # enum class -> value type, for comparing annotations

    def add(self, kind: Kind, subject: str, message: str) -> None:
        self.found.append(Change(kind, subject, message))

    def combine(self, subject: str, what: str, parts: list[tuple[Kind, str]]) -> None:
        """What changed about one thing, as one change of the most serious kind among them."""
        if parts:
            kind = min((k for k, _ in parts), key=KINDS.index)
            text = "; ".join(m for _, m in parts)
            self.add(kind, subject, f"{what}: {text}" if what else text)


# ---- the client ---------------------------------------------------------------------------------


def _client(old: Surface, new: Surface, changes: _Changes) -> None:
    subject = f"{new['class']}()"
    if old["package"] != new["package"]:
        changes.add("breaking", "package", f"renamed: `{old['package']}` is now `{new['package']}`")
    if old["class"] != new["class"]:
        changes.add("breaking", subject, f"client class renamed (was `{old['class']}`)")
    if old["base_url"] != new["base_url"]:
        changes.add(
            "breaking",
            subject,
            f"default base URL changed: {old['base_url'] or '(none)'} -> "
            f"{new['base_url'] or '(none)'}",
        )
    for label, key in (("argument", "arguments"), ("server variable", "server_variables")):
        for name in old[key]:
            if name not in new[key]:
                changes.add("breaking", subject, f"{label} `{name}` removed")
        for name in new[key]:
            if name not in old[key]:
                changes.add("feature", subject, f"new {label} `{name}`")


# ---- methods ------------------------------------------------------------------------------------


def _call(key: str) -> str:
    return f"client.{key}()"


def _methods(old: Mapping[str, Surface], new: Mapping[str, Surface], changes: _Changes) -> None:
    removed = [k for k in old if k not in new]
    added = [k for k in new if k not in old]
    # A method whose operation (method and path) is still there under another name was renamed
    # or moved to another resource: one change, not a removal and an addition.
    by_http = {new[k]["http"]: k for k in added}
    renamed = {k: by_http[old[k]["http"]] for k in removed if old[k]["http"] in by_http}
    for key, target in renamed.items():
        changes.add("breaking", _call(key), f"renamed: now `{_call(target)}`")
        _method(key, old[key], new[target], changes, _call(target))
    old_resources = {k.rsplit(".", 1)[0] for k in old}
    new_resources = {k.rsplit(".", 1)[0] for k in new}
    for resource in sorted(old_resources - new_resources):
        gone = [k for k in removed if k.rsplit(".", 1)[0] == resource and k not in renamed]
        if gone:
            names = ", ".join(k.rsplit(".", 1)[1] for k in gone)
            changes.add("breaking", f"client.{resource}", f"resource removed (with {names})")
    for key in removed:
        if key not in renamed and key.rsplit(".", 1)[0] in new_resources:
            changes.add("breaking", _call(key), f"method removed (was {old[key]['http']})")
    for key in added:
        if key not in renamed.values():
            changes.add("feature", _call(key), f"new method ({new[key]['http']})")
    for key in old:
        if key in new:
            _method(key, old[key], new[key], changes)


def _method(
    key: str, old: Surface, new: Surface, changes: _Changes, subject: str | None = None
) -> None:
    subject = subject or _call(key)
    already = len(changes.found)
    for name in old["params"]:
        if name not in new["params"]:
            changes.add("breaking", subject, f"parameter `{name}` removed")
    for name, p in new["params"].items():
        if name not in old["params"]:
            if p.get("required"):
                changes.add("breaking", subject, f"new required parameter `{name}: {p['type']}`")
            else:
                changes.add("feature", subject, f"new optional parameter `{name}: {p['type']}`")
            continue
        _parameter(name, old["params"][name], p, subject, changes)
    _returns(old["returns"], new["returns"], subject, changes)
    if old["http"] != new["http"]:
        changes.add("fix", subject, f"now sends {new['http']} (was {old['http']})")
    changes.combine(subject, "", _deprecation(old, new))
    _documentation(old, new, subject, changes, already)


def _documentation(old: Surface, new: Surface, subject: str, changes: _Changes, since: int) -> None:
    """A documentation change, unless the thing changed otherwise too (its new parameters or
    fields bring their own documentation: the change says more than "documentation changed")."""
    if old["doc"] != new["doc"] and len(changes.found) == since:
        changes.add("fix", subject, "documentation changed")


def _parameter(name: str, old: Surface, new: Surface, subject: str, changes: _Changes) -> None:
    """One line for everything that changed about a parameter (the caller passes its value)."""
    parts: list[tuple[Kind, str]] = []
    if new.get("required") and not old.get("required"):
        parts.append(("breaking", "now required"))
    elif old.get("required") and not new.get("required"):
        parts.append(("feature", "now optional"))
    if "default" in old and "default" in new and old["default"] != new["default"]:
        parts.append(("breaking", f"default changed from {old['default']} to {new['default']}"))
    parts += _type_change(old["type"], new["type"], "request", changes.enums)
    parts += _deprecation(old, new)
    changes.combine(subject, f"parameter `{name}`", parts)


def _returns(old: str, new: str, subject: str, changes: _Changes) -> None:
    found = relation(old, new, changes.enums)
    if found == "same":
        return
    if old == "None":  # the old result could not be used (mypy refuses a None result's use)
        changes.add("feature", subject, f"now returns `{new}` (returned None)")
    elif found == "narrowed":
        changes.add("feature", subject, f"return type narrowed: `{old}` -> `{new}`")
    else:
        changes.add("breaking", subject, f"return type changed: `{old}` -> `{new}`")


def _deprecation(old: Surface, new: Surface) -> list[tuple[Kind, str]]:
    if new.get("deprecated") and not old.get("deprecated"):
        return [("feature", "deprecated")]
    if old.get("deprecated") and not new.get("deprecated"):
        return [("fix", "no longer deprecated")]
    return []


def _type_change(old: str, new: str, use: str, enums: Mapping[str, str]) -> list[tuple[Kind, str]]:
    """A changed annotation, by who holds the value: user code passing it ("request") breaks on
    a narrower type, code reading it ("response") on a wider one; "both" on either."""
    found = relation(old, new, enums)
    if found == "same":
        return []
    text = f"`{old}` -> `{new}`"
    if found == "changed":
        return [("breaking", f"type changed: {text}")]
    breaks = (found == "narrowed" and use != "response") or (
        found == "widened" and use != "request"
    )
    return [("breaking" if breaks else "feature", f"type {found}: {text}")]


# ---- types --------------------------------------------------------------------------------------


def _types(old: Mapping[str, Surface], new: Mapping[str, Surface], changes: _Changes) -> None:
    for name, t in old.items():
        subject = f"models.{name}"
        if name not in new:
            changes.add("breaking", subject, f"{t['kind']} removed")
        elif new[name]["kind"] != t["kind"]:
            changes.add("breaking", subject, f"now {_a(new[name]['kind'])} (was {_a(t['kind'])})")
        else:
            _type(t, new[name], subject, changes)
    for name, t in new.items():
        if name not in old:
            changes.add("feature", f"models.{name}", f"new {t['kind']}")


def _a(kind: str) -> str:
    return {"alias": "an alias", "enum": "an enum", "model": "a model"}.get(kind, kind)


def _type(old: Surface, new: Surface, subject: str, changes: _Changes) -> None:
    use = old["use"]
    already = len(changes.found)
    if old["kind"] == "enum":
        _enum(old, new, subject, changes)
    elif old["kind"] == "alias":
        changes.combine(subject, "", _type_change(old["type"], new["type"], use, changes.enums))
    else:
        _fields(old["fields"], new["fields"], use, subject, changes)
        changes.combine(subject, "", _deprecation(old, new))
    _documentation(old, new, subject, changes, already)


def _enum(old: Surface, new: Surface, subject: str, changes: _Changes) -> None:
    if old["value_type"] != new["value_type"]:
        changes.add(
            "breaking", subject, f"values are now {new['value_type']} (were {old['value_type']})"
        )
    old_names, new_names = _member_names(old), _member_names(new)
    for key, name in old_names.items():
        if key not in new_names:
            changes.add("breaking", subject, f"value {key[1]!r} (`{name}`) removed")
        elif new_names[key] != name:
            changes.add(
                "breaking", subject, f"member `{name}` renamed `{new_names[key]}` ({key[1]!r})"
            )
    for key, name in new_names.items():
        if key not in old_names:
            changes.add("feature", subject, f"new value {key[1]!r} (`{name}`)")


def _member_names(enum: Surface) -> dict[tuple[str, Any], str]:
    """Each value (with its type: 1 and True are different values) and its member's name."""
    named = {(type(v).__name__, v): str(n) for v, n in enum.get("names", [])}
    return {
        (type(v).__name__, v): named.get((type(v).__name__, v)) or naming.enum_member_name(v)
        for v in enum["values"]
    }


def _fields(
    old: Mapping[str, Surface],
    new: Mapping[str, Surface],
    use: str,
    subject: str,
    changes: _Changes,
) -> None:
    """Code building a request model breaks on a field it must now pass; code reading a response
    model breaks on a field it can no longer count on (removed, or now possibly None)."""
    for name in old:
        if name not in new:
            changes.add("breaking", f"{subject}.{name}", "field removed")
    for name, f in new.items():
        where = f"{subject}.{name}"
        if name not in old:
            required = bool(f.get("required"))
            changes.add(
                "breaking" if required and use != "response" else "feature",
                where,
                f"new {'required ' if required else ''}field `{f['type']}`",
            )
            continue
        before = old[name]
        parts: list[tuple[Kind, str]] = []
        if use != "response" and f.get("required") and not before.get("required"):
            parts.append(("breaking", "now required"))
        elif use != "response" and before.get("required") and not f.get("required"):
            parts.append(("feature", "now optional"))
        parts += _type_change(before["type"], f["type"], use, changes.enums)
        if use != "response" and "default" in before and before["default"] != f.get("default"):
            parts.append(
                ("breaking", f"default changed from {before['default']} to {f.get('default')}")
            )
        parts += _deprecation(before, f)
        changes.combine(where, "", parts)
