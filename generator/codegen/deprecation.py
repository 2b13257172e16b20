"""Deprecated operations: the warning their Endpoint gives once per process, and the
`@_deprecated(...)` decorator (typing_extensions.deprecated) through which type checkers flag
calls. The message names the spec's method and path, escaped by `py_literal` like every spec string."""

from __future__ import annotations

from generator.codegen import shapes
from generator.codegen.literals import py_literal
from generator.model.api import Operation


def deprecation_message(op: Operation) -> str:
    return f"{op.py_name}() ({op.method} {op.path}) is deprecated by the API"


def endpoint_argument(op: Operation) -> str:
    """`deprecated="..."` of the Endpoint: the runtime warns with it on the first call."""
    return f"deprecated={py_literal(deprecation_message(op))}"


def decorator(op: Operation) -> shapes.Bracketed:
    """The arguments of `@_deprecated(...)`: the runtime's own warning (once, not on every call)
    replaces the one typing_extensions would give, hence `category=None`."""
    return shapes.bracketed(
        "    @_deprecated", "(", [py_literal(deprecation_message(op)), "category=None"], ")"
    )
