"""The view of the `_errors` module: the API's common error body, as the exceptions type it, and
where they read its `code`, `type` and `message` fields and the request id."""

from __future__ import annotations

from dataclasses import dataclass

from generator.codegen.annotations import annotation
from generator.codegen.layout import collection
from generator.codegen.literals import py_literal
from generator.model.api import Api
from generator.model.types import Named, Nullable, TypeExpr

# Read when the spec declares no request id header: the names APIs commonly answer with.
CONVENTIONAL_REQUEST_ID_HEADERS = ("x-request-id", "request-id")
# The exposed body fields and the alias typing each in `_errors` (`APIError` + this; None: the body
# has no such field).
FIELD_ALIASES = {"code": "Code", "type": "Type", "message": "Message"}
# The exception's property reading each (`message` is the exception's own message already).
_PROPERTIES = {"code": "code", "type": "type", "message": "error_message"}


@dataclass(frozen=True)
class ErrorsView:
    body: str  # the annotation of `APIStatusError.body`
    model: str  # the common error model ("" when there is none)
    aliases: list[tuple[str, str]]  # (alias, annotation) of each exposed field
    fields: str  # the `ERROR_FIELDS` table, laid out
    request_id_headers: str  # the `REQUEST_ID_HEADERS` tuple, as a literal
    readme_fields: str  # "`.code` reads `error.code`, ..." for the package's README ("" for none)
    request_id_header: str  # the headers `.request_id` reads, for the README


def errors_view(api: Api) -> ErrorsView:
    common = api.errors
    # Any as well: an answer that is not the documented body is kept as its JSON or text.
    model = common.body.name if isinstance(common.body, Named) else ""
    body = f"{model} | Any" if model else "Any"
    aliases = [
        (alias, annotation(common.fields[name][1]) if name in common.fields else "None")
        for name, alias in FIELD_ALIASES.items()
    ]
    items = [
        f"{py_literal(name)}: ({py_literal(path.steps)}, {py_literal(path.json)}, {_scalar(kind)})"
        for name, (path, kind) in common.fields.items()
    ]
    head = "ERROR_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], type[object]]] = "
    declared = [common.request_id_header] if common.request_id_header else []
    headers = declared + [
        name
        for name in CONVENTIONAL_REQUEST_ID_HEADERS
        if name not in (h.lower() for h in declared)
    ]
    return ErrorsView(
        body=body,
        model=model,
        aliases=aliases,
        fields=collection("", head, "{", items),
        request_id_headers=py_literal(tuple(headers)),
        readme_fields=", ".join(
            f"`.{_PROPERTIES[name]}` reads `{'.'.join(path.json)}`"
            for name, (path, _) in common.fields.items()
        ),
        request_id_header=" or ".join(f"`{name}`" for name in headers),
    )


def _scalar(expr: TypeExpr) -> str:
    """The Python class of a field's values (model/errors.py exposes `str` and `int` fields)."""
    inner = expr.inner if isinstance(expr, Nullable) else expr
    return annotation(inner)
