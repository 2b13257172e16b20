"""The error body an API's operations share, and what the exceptions read from it.

A spec rarely documents every error answer of every operation. When most of them share one error
schema, that schema is the error body of every operation that declares no `default` of its own, so
`APIStatusError.body` is typed. "Most": the schema is the most frequent JSON body of `default` and
4xx answers, counted once per operation, and at least half of the operations documenting such a
body use it. The exceptions also expose the body's `code`, `type` and `message` fields (at its top
level, or one level down as in `{"error": {"message", "type", "code"}}`), and the request id header
the responses declare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from generator.model.api import CommonErrors, FieldPath, Operation
from generator.model.types import Definition, ModelDef, Named, Nullable, Primitive, TypeExpr

# The body fields exposed, each with the names APIs give it, most telling first: OAuth's
# `{"error": "invalid_grant", "error_description": "..."}` has a code and a message too.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "code": ("code", "error_code", "error"),
    "type": ("type", "error_type"),
    "message": ("message", "error_message", "error_description", "description", "detail"),
}
# Where one level down the fields sit (OpenAI, Stripe, Google: `{"error": {...}}`).
NESTING_NAMES = ("error",)
_SCALARS = ("str", "int")


def settle_common_errors(
    operations: list[Operation], definition: Callable[[str], Definition | None]
) -> CommonErrors:
    """The API's common error body and request id header; each operation without a `default`
    answer of its own takes the common body as its error type for undocumented statuses."""
    common = CommonErrors(request_id_header=_request_id_header(operations))
    body = _common_body(operations)
    if body is None:
        return common
    common.body = body
    common.fields = _fields(body, definition)
    for op in operations:
        if not any(r.status == "default" for r in op.responses):
            op.error_types["default"] = body
    return common


def _error_bodies(op: Operation) -> list[TypeExpr]:
    """The named JSON bodies of the operation's `default` and 4xx answers, each once. A `default`
    answer is the success of an operation that documents no 2xx one (see settle_result)."""
    failing = ("4", "default") if any(r.status.startswith("2") for r in op.responses) else ("4",)
    found = [
        content.type
        for response in op.responses
        if response.status.startswith(failing)
        for content in response.contents
        if content.kind == "json" and isinstance(content.type, Named)
    ]
    return list(dict.fromkeys(found))


def _common_body(operations: list[Operation]) -> TypeExpr | None:
    counts: Counter[TypeExpr] = Counter()
    documenting = 0
    for op in operations:
        bodies = _error_bodies(op)
        documenting += bool(bodies)
        counts.update(bodies)
    if not counts:
        return None
    body, uses = counts.most_common(1)[0]  # ties: the first met, in spec order
    return body if uses * 2 >= documenting else None


def _fields(
    body: TypeExpr, definition: Callable[[str], Definition | None]
) -> dict[str, tuple[FieldPath, TypeExpr]]:
    """Each exposed field found at the body's top level, else one level down."""
    model = _model(body, definition)
    if model is None:
        return {}
    found = _scalar_fields(model, ())
    for nest in model.fields:
        inner = _model(nest.type, definition)
        if nest.json_name in NESTING_NAMES and inner is not None:
            deeper = _scalar_fields(inner, ((nest.json_name, nest.py_name),))
            found = {**deeper, **found} if found else deeper
    return found


def _scalar_fields(
    model: ModelDef, parents: tuple[tuple[str, str], ...]
) -> dict[str, tuple[FieldPath, TypeExpr]]:
    by_name = {f.json_name: f for f in model.fields if _is_scalar(f.type)}
    found: dict[str, tuple[FieldPath, TypeExpr]] = {}
    used: set[str] = set()
    for exposed, names in FIELD_NAMES.items():
        name = next((n for n in names if n in by_name and n not in used), None)
        if name is None:
            continue
        used.add(name)
        field = by_name[name]
        path = FieldPath(
            tuple(json for json, _ in parents) + (field.json_name,),
            tuple(py for _, py in parents) + (field.py_name,),
        )
        # None too when it is required: the answer may not be the documented body at all.
        nullable = field.type if isinstance(field.type, Nullable) else Nullable(field.type)
        found[exposed] = (path, nullable)
    return found


def _is_scalar(expr: TypeExpr) -> bool:
    inner = expr.inner if isinstance(expr, Nullable) else expr
    return isinstance(inner, Primitive) and inner.name in _SCALARS


def _model(expr: TypeExpr, definition: Callable[[str], Definition | None]) -> ModelDef | None:
    inner = expr.inner if isinstance(expr, Nullable) else expr
    if not isinstance(inner, Named):
        return None
    found = definition(inner.name)
    return found if isinstance(found, ModelDef) else None


def _request_id_header(operations: list[Operation]) -> str:
    """The most declared response header naming the request (`x-request-id`, `Request-Id`,
    `x-amzn-RequestId`), or ""."""
    counts = Counter(
        name
        for op in operations
        for response in op.responses
        for name in response.headers
        if name.lower().replace("-", "").replace("_", "").endswith("requestid")
    )
    return counts.most_common(1)[0][0] if counts else ""
