"""The surface of a generated client: what a user's code can see and use, as plain JSON data.

Computed from the intermediate model with the same annotation and default rules the generated code
uses, kept in the manifest (so a committed client can be compared with a new spec) and compared by
`generator.diff.compare`. Shape (types by name; methods, parameters and fields in the client's
order, which the comparison ignores: every argument is keyword-only, every field named):

    {"format": 1,
     "client": {"class", "package", "base_url", "arguments": [...], "server_variables": [...]},
     "methods": {"resource.method": {"http", "params": {name: {"type", "required"?, "default"?,
                 "deprecated"?}}, "returns", "doc", "deprecated"?}},
     "types": {Name: {"kind": "model", "use", "fields": {name: {"type", "required"?, "default"?,
               "deprecated"?}}, "doc", "deprecated"?}
              | {"kind": "enum", "use", "value_type", "values": [...], "names": [[value, NAME]]
                 for the members not named as `naming.enum_member_name(value)`, "doc"}
              | {"kind": "alias", "use", "type", "doc"}},
     "spec": digest of the spec's files (a change the code cannot see is still a fix)}

`use` says how user code meets a type: "request" (it builds values of it for a call), "response"
(it reads them from a result) or "both" (also for types no operation reaches: importable, so
either is possible). Types are annotation texts as the models modules write them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.codegen.annotations import annotation, named_in
from generator.codegen.views import DefaultRenderer
from generator.model import naming
from generator.model.api import Api, Operation
from generator.model.types import (
    NO_DEFAULT,
    AliasDef,
    ArrayOf,
    EnumDef,
    ModelDef,
    Nullable,
    TypeExpr,
)

FORMAT = 1
Surface = dict[str, Any]

# The annotations of arguments that are not model types (see views._body_args).
FILE = "FileTypes"
FILES = "list[FileTypes]"
BINARY = "FileContent | os.PathLike[str]"


def readable(surface: object) -> Surface | None:
    """A surface kept in a manifest, when this oasgen reads its format (else None)."""
    if isinstance(surface, dict) and surface.get("format") == FORMAT:
        return surface
    return None


def spec_digest(paths: Iterable[Path]) -> str:
    """The spec's files by content (order and location aside): a change to any of them is a
    change, even where the client's code does not show it."""
    digests = sorted(hashlib.sha256(path.read_bytes()).hexdigest() for path in paths)
    return hashlib.sha256("|".join(digests).encode()).hexdigest()[:16]


def surface_of(api: Api, spec: str = "") -> Surface:
    defaults = DefaultRenderer({d.name: d for d in api.definitions if isinstance(d, EnumDef)})
    uses = _uses(api)
    return {
        "format": FORMAT,
        "client": {
            "class": api.client_name,
            "package": api.package_name,
            "base_url": api.base_url,
            "arguments": [a.py_name for a in api.client_arguments],
            "server_variables": sorted(
                {
                    v.name
                    for s in [*api.servers, *(s for op in api.operations for s in op.servers or [])]
                    for v in s.variables
                }
            ),
        },
        "methods": {
            f"{resource.dotted}.{op.py_name}": _method(op, defaults)
            for resource in api.resources
            for op in resource.operations
        },
        "types": {
            d.name: _definition(d, defaults, uses.get(d.name, "both"))
            for d in sorted(api.definitions, key=lambda d: d.name)
        },
        "spec": spec,
    }


def _digest(text: str, parts: dict[str, str] | None = None) -> str:
    """Documentation as a short digest: a change to it is a fix. Parts (of parameters, of fields)
    count by name, not by order, which keyword-only arguments and model fields do not have."""
    items = [text, *(f"{k}={v}" for k, v in sorted((parts or {}).items()))]
    return hashlib.sha256("\x00".join(items).encode()).hexdigest()[:12]


def _entry(type_text: str, required: bool, default: str | None, deprecated: bool) -> Surface:
    entry: Surface = {"type": type_text}
    if required:
        entry["required"] = True
    if default is not None:
        entry["default"] = default
    if deprecated:
        entry["deprecated"] = True
    return entry


def _method(op: Operation, defaults: DefaultRenderer) -> Surface:
    params: Surface = {}
    docs: dict[str, str] = {}
    for p in op.parameters:
        code = None if p.default is NO_DEFAULT else defaults.code(p.type, p.default)
        # As the signature has it: a required parameter with a default may be left out.
        params[p.py_name] = _entry(
            annotation(p.type),
            p.required and code is None,
            code if p.required else None,
            p.deprecated,
        )
        docs[p.py_name] = p.description
    body = op.body
    if body is not None and body.fields:
        for f in body.fields:
            text = (
                (FILES if isinstance(_strip(f.type), ArrayOf) else FILE)
                if f.is_file
                else annotation(f.type)
            )
            params[f.py_name] = _entry(text, f.required, None, False)
            docs[f.py_name] = f.description
    elif body is not None:
        text = BINARY if body.kind == "binary" else annotation(body.type)
        params[body.py_name] = _entry(text, body.required, None, False)
        docs[body.py_name] = body.description
    method: Surface = {
        "http": f"{op.method} {op.path}",
        "params": params,
        "returns": _returns(op),
        "doc": _digest(f"{op.summary}\x00{op.description}", docs),
    }
    if op.deprecated:
        method["deprecated"] = True
    return method


def _strip(expr: TypeExpr) -> TypeExpr:
    return expr.inner if isinstance(expr, Nullable) else expr


def _definition(d: ModelDef | EnumDef | AliasDef, defaults: DefaultRenderer, use: str) -> Surface:
    if isinstance(d, EnumDef):
        return {
            "kind": "enum",
            "use": use,
            "value_type": d.value_type,
            "values": [m.value for m in d.members],
            # A member's name follows from its value (naming.enum_member_name) but for clashes.
            "names": [
                [m.value, m.py_name]
                for m in d.members
                if m.py_name != naming.enum_member_name(m.value)
            ],
            "doc": _digest(d.description),
        }
    if isinstance(d, AliasDef):
        return {
            "kind": "alias",
            "use": use,
            "type": annotation(d.type),
            "doc": _digest(d.description),
        }
    fields: Surface = {}
    for f in d.fields:
        code = None if f.default is NO_DEFAULT else defaults.code(f.type, f.default)
        expr = f.type
        if not f.required and code is None and not isinstance(expr, Nullable):
            expr = Nullable(expr)  # as the model declares it: `x: T | None = None`
        fields[f.py_name] = _entry(
            annotation(expr), f.required and code is None, code, f.deprecated
        )
    model: Surface = {
        "kind": "model",
        "use": use,
        "fields": fields,
        "doc": _digest(d.description, {f.py_name: f.description for f in d.fields}),
    }
    if d.deprecated:
        model["deprecated"] = True
    return model


def _uses(api: Api) -> dict[str, str]:
    """How user code meets each type an operation reaches: building it for a call ("request"),
    reading it from a result ("response"), or both."""
    inner: dict[str, list[TypeExpr]] = {}
    for d in api.definitions:
        if isinstance(d, ModelDef):
            inner[d.name] = [f.type for f in d.fields] + ([d.extra] if d.extra else [])
        elif isinstance(d, AliasDef):
            inner[d.name] = [d.type]
    request: list[TypeExpr] = []
    response: list[TypeExpr] = []
    for op in api.operations:
        request += [p.type for p in op.parameters]
        if op.body is not None:
            request += [op.body.type, *(f.type for f in op.body.fields)]
        response += [op.result_type, *op.error_types.values()]
        if op.events is not None:
            response.append(op.events.type)
    seen = {
        side: _reached(roots, inner)
        for side, roots in (("request", request), ("response", response))
    }
    uses = {}
    for name in seen["request"] | seen["response"]:
        both = name in seen["request"] and name in seen["response"]
        uses[name] = "both" if both else ("request" if name in seen["request"] else "response")
    return uses


def _reached(roots: list[TypeExpr], inner: dict[str, list[TypeExpr]]) -> set[str]:
    found: set[str] = set()
    pending = [name for expr in roots for name in named_in(expr)]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found.add(name)
        pending += [n for expr in inner.get(name, []) for n in named_in(expr)]
    return found


def _returns(op: Operation) -> str:
    """What the sync method answers: the parsed result, or for a paginated operation its pages."""
    result = annotation(op.result_type)
    if op.events is not None and op.pagination is None:
        from generator.codegen.event_views import events_view

        return events_view(op, "", result).sync_returns
    if op.pagination is None:
        return result
    # imported here: `oasgen check` finding nothing to do must not import the model's readers
    from generator.codegen.pagination_views import paging_view

    return paging_view(op.pagination, "", result).sync_returns
