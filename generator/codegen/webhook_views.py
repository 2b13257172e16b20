"""Render-ready view of the `_webhooks` module (`parse_webhook` and the `WebhookEvent` type) and
of what the README says of deliveries. Every spec string passes through `py_literal`."""

from __future__ import annotations

from dataclasses import dataclass

from generator.codegen import imports, layout
from generator.codegen.annotations import annotation, annotation_names
from generator.codegen.literals import py_literal
from generator.model.api import Api, WebhookEvent, Webhooks
from generator.model.types import ModelDef, Named, TypeExpr

# What `_webhooks.py` may import besides the models package: from the runtime's `_deliveries`.
_RUNTIME = {
    "DEFAULT_WEBHOOK_TOLERANCE": "._deliveries",
    "Deliveries": "._deliveries",
    "WebhookPayload": "._deliveries",
    "WebhookVerifier": "._deliveries",
}


@dataclass
class WebhooksView:
    imports: str
    event_type: str  # the laid-out `WebhookEvent: TypeAlias = ...` statement
    tags: str  # the laid-out `_TAGS: dict[str, Any] = {...}` statement, or ""
    deliveries: str  # the laid-out `_DELIVERIES: Deliveries[WebhookEvent] = Deliveries(...)`
    signed: bool  # Standard Webhooks signatures: parse_webhook takes `secret` and `tolerance`
    events: list[tuple[str, str, str]]  # README rows: (event, its class, what it is), Markdown-safe
    example: str  # README: a line using the first event's first field ("" when it has none)
    discriminator: str  # README: the property telling events apart, Markdown-safe ("" for none)


def _qualified(expr: TypeExpr) -> str:
    """The annotation of a payload type with every model reached through the models package
    (`_event_models.X`): the module binds no model name, so none can clash with its own."""
    text = annotation(expr)
    for name in sorted(annotation_names(expr), key=len, reverse=True):
        if name[:1].isupper() and name not in imports.CATALOGUE:
            text = _replace_name(text, name, f"_event_models.{name}")
    return text


def _replace_name(text: str, name: str, replacement: str) -> str:
    import re

    return re.sub(rf"(?<![\w.]){re.escape(name)}(?!\w)", replacement, text)


def webhooks_view(api: Api) -> WebhooksView | None:
    hooks = api.webhooks
    if hooks is None:
        return None
    members = [_qualified(t) for t in hooks.types]
    if len(members) == 1:
        event_type = layout.assignment("", "WebhookEvent: TypeAlias", members[0])
    else:
        event_type = layout.collection("", "WebhookEvent: TypeAlias = Union", "[", members)
    names = {
        "annotations",
        "Mapping",
        "TypeAlias",
        "Deliveries",
        "WebhookPayload",
        "WebhookVerifier",
    }
    # what the payload annotations use besides models (`Any`, `Literal`, `_dt` ...)
    names |= {n for t in hooks.types for n in annotation_names(t) if n in imports.CATALOGUE}
    if hooks.signature:
        names.add("DEFAULT_WEBHOOK_TOLERANCE")
    if len(members) > 1:
        names.add("Union")
    arguments = ["WebhookEvent"]
    tags = ""
    if hooks.discriminator:
        items = [
            f"{py_literal(event.tag)}: {_qualified(event.type)}" for event in _unique_tags(hooks)
        ]
        tags = layout.collection("", "_TAGS: dict[str, Any] = ", "{", items)
        names.add("Any")
        arguments += [f"discriminator={py_literal(hooks.discriminator)}", "tags=_TAGS"]
    if hooks.signature:
        arguments.append(f"signature={py_literal(hooks.signature)}")
    # The models package under a private name: `_event_models.X` can clash with nothing.
    models_package = imports.Import(".", "models", "_event_models")
    uses_models = any("_event_models." in text for text in [*members, tags])
    return WebhooksView(
        imports=imports.block(
            [
                *imports.imports_of(sorted(names), depth=0, own=_RUNTIME),
                *([models_package] if uses_models else []),
            ]
        ),
        event_type=event_type,
        tags=tags,
        deliveries=layout.call_assignment(
            "", "_DELIVERIES: Deliveries[WebhookEvent]", "Deliveries", arguments
        ),
        signed=hooks.signature == "standard-webhooks",
        events=[
            (_cell(event.name), _cell(annotation(event.type)), _cell(_what(event.description)))
            for event in hooks.events
        ],
        example=_example(api, hooks),
        discriminator=_cell(hooks.discriminator),
    )


def _unique_tags(hooks: Webhooks) -> list[WebhookEvent]:
    seen: dict[str, WebhookEvent] = {}
    for event in hooks.events:
        seen.setdefault(event.tag, event)
    return list(seen.values())


def _what(description: str) -> str:
    first = description.strip().split("\n\n", 1)[0]
    return " ".join(first.split())[:120]


def _cell(text: str) -> str:
    """Spec text in a Markdown table cell (inside a code span or not)."""
    return " ".join(text.split()).replace("|", "\\|").replace("`", "'")


def _example(api: Api, hooks: Webhooks) -> str:
    """`print(event.<field>)` for the first event's first field, when it is a model."""
    first = hooks.types[0]
    if not isinstance(first, Named):
        return ""
    models = {d.name: d for d in api.definitions if isinstance(d, ModelDef)}
    model = models.get(first.name)
    if model is None or not model.fields:
        return ""
    return f"print(event.{model.fields[0].py_name})"


# What the package root exports when the API sends webhooks, by module.
WEBHOOK_EXPORTS = {
    "WebhookEvent": "._webhooks",
    "parse_webhook": "._webhooks",
    "WebhookVerificationError": "._deliveries",
}
