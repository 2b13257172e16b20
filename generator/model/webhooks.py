"""Webhook deliveries in the model: the events an integrator receives, from OpenAPI 3.1 `webhooks`,
the `callbacks` of operations, or the component schemas the configuration names (3.0 has no place
for webhooks). Their payloads get models even though no client method sends them; the events,
what tells them apart and how they are signed become `Api.webhooks`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from generator.config import ConfigError
from generator.model import naming
from generator.model.api import SignatureScheme, WebhookEvent, Webhooks
from generator.model.schemas import SchemaBuilder
from generator.model.specvalues import text as spec_text
from generator.model.types import LiteralOf, ModelDef, Named, TypeExpr
from generator.spec.openapi import HTTP_METHODS
from generator.spec.refs import Location, RefError, RefResolver

Warn = Callable[[Location, str], None]

# The headers of the Standard Webhooks specification (standardwebhooks.com): a spec whose webhooks
# declare all three as parameters signs its deliveries that way.
STANDARD_WEBHOOK_HEADERS = frozenset({"webhook-id", "webhook-timestamp", "webhook-signature"})
# Properties tried first as the discriminator of several event types, then the others in order.
_LIKELY_DISCRIMINATORS = ("type", "event", "event_type", "eventType", "kind")


class WebhookBuilder:
    def __init__(
        self,
        resolver: RefResolver,
        schemas: SchemaBuilder,
        warn: Warn,
        root: Location,
        configured: list[str],
        signature: str,
        keeps: Callable[[str, str, dict[str, Any]], bool] | None = None,
    ) -> None:
        """`keeps(path, method, operation)`: the client's filters; when set, only the callbacks of
        kept operations count, and the spec's own `webhooks` (no operation keeps them) do not."""
        self.resolver = resolver
        self.schemas = schemas
        self.warn = warn
        self.root = root
        self.configured = configured
        self.signature = signature
        self.keeps = keeps
        self.events: list[WebhookEvent] = []
        self.signed_by_headers: list[bool] = []  # per event: declares the Standard Webhooks headers

    def build(self, spec: dict[str, Any]) -> Webhooks | None:
        if self.keeps is None:
            self._webhooks(spec.get("webhooks"))
        self._callbacks(spec.get("paths"))
        self._configured(spec)
        if not self.events:
            return None
        types = list(dict.fromkeys(event.type for event in self.events))
        discriminator, tags = self._discriminator(types)
        for event in self.events:
            event.tag = tags.get(event.type, "")
        return Webhooks(self.events, types, discriminator, self._signature())

    # ---- where events come from ----------------------------------------------------------------

    def _webhooks(self, webhooks: Any) -> None:
        if not isinstance(webhooks, dict):
            return
        for name, item in webhooks.items():
            at = self.root.child("webhooks", str(name))
            hint = naming.pascal_case(str(name)) + "Webhook"
            for method, payload, description, signed in self._payloads(item, at, hint):
                self._add(WebhookEvent(str(name), "webhook", payload, method, "", description))
                self.signed_by_headers.append(signed)

    def _callbacks(self, paths: Any) -> None:
        for path, item in paths.items() if isinstance(paths, dict) else ():
            for method in HTTP_METHODS:
                op = item.get(method) if isinstance(item, dict) else None
                callbacks = op.get("callbacks") if isinstance(op, dict) else None
                if not isinstance(callbacks, dict):
                    continue
                if self.keeps and not self.keeps(str(path), method, op):
                    continue
                op_name = str(op.get("operationId") or f"{method} {path}")
                op_hint = naming.pascal_case(op_name)
                for name, callback in callbacks.items():
                    at = self.root.child("paths", str(path), method, "callbacks", str(name))
                    try:
                        callback, at = self.resolver.deref(callback, at)
                    except RefError as exc:
                        self.warn(at, str(exc))
                        continue
                    for expression, cb_item in (
                        callback.items() if isinstance(callback, dict) else ()
                    ):
                        hint = op_hint + naming.pascal_case(str(name)) + "Callback"
                        payloads = self._payloads(cb_item, at.child(str(expression)), hint)
                        for cb_method, payload, description, signed in payloads:
                            event = WebhookEvent(
                                f"{op_name}.{name}",
                                "callback",
                                payload,
                                cb_method,
                                str(expression),
                                description,
                            )
                            self._add(event)
                            self.signed_by_headers.append(signed)

    def _configured(self, spec: dict[str, Any]) -> None:
        components = spec.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        for name in self.configured:
            if not isinstance(schemas, dict) or name not in schemas:
                message = f"oasgen: error: webhooks: the spec has no schema {name!r} in components"
                raise ConfigError([message])
            pointer = name.replace("~", "~0").replace("/", "~1")
            at = self.root.child("components", "schemas", name)
            payload = self.schemas.type_of({"$ref": f"#/components/schemas/{pointer}"}, at, name)
            schema = schemas[name]
            description = spec_text(schema.get("description")) if isinstance(schema, dict) else ""
            self._add(WebhookEvent(name, "configuration", payload, "POST", "", description))
            self.signed_by_headers.append(False)

    def _add(self, event: WebhookEvent) -> None:
        self.events.append(event)

    def _payloads(
        self, item: Any, at: Location, hint: str
    ) -> Iterator[tuple[str, TypeExpr, str, bool]]:
        """(method, payload type, description, declares the Standard Webhooks headers) of each
        operation of a webhook's or callback's path item that carries a JSON body."""
        try:
            item, at = self.resolver.deref(item, at)
        except RefError as exc:
            self.warn(at, str(exc))
            return
        if not isinstance(item, dict):
            return
        shared = self._header_names(item.get("parameters"), at.child("parameters"))
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            body = op.get("requestBody")
            try:
                body, body_at = self.resolver.deref(body, at.child(method, "requestBody"))
            except RefError as exc:
                self.warn(at.child(method, "requestBody"), str(exc))
                continue
            content = body.get("content") if isinstance(body, dict) else None
            if not isinstance(content, dict):
                continue
            for media, media_obj in content.items():
                if isinstance(media_obj, dict) and "schema" in media_obj:
                    payload = self.schemas.type_of(
                        media_obj["schema"], body_at.child("content", media, "schema"), hint
                    )
                    if _is_json(str(media)):
                        headers = shared | self._header_names(
                            op.get("parameters"), at.child(method, "parameters")
                        )
                        description = spec_text(op.get("description") or op.get("summary"))
                        signed = STANDARD_WEBHOOK_HEADERS <= headers
                        yield method.upper(), payload, description, signed
                    break

    def _header_names(self, parameters: Any, at: Location) -> frozenset[str]:
        names = set()
        for index, parameter in enumerate(parameters if isinstance(parameters, list) else ()):
            try:
                parameter, _ = self.resolver.deref(parameter, at.child(index))
            except RefError:
                continue  # the operation's own parameters report it
            if isinstance(parameter, dict) and parameter.get("in") == "header":
                names.add(str(parameter.get("name", "")).lower())
        return frozenset(names)

    # ---- telling events apart, and signatures --------------------------------------------------

    def _discriminator(self, types: list[TypeExpr]) -> tuple[str, dict[TypeExpr, str]]:
        """With several payload types: a required property every one of them fixes to its own
        constant (OpenAI's `type: enum: [batch.completed]`) selects the type. Without one, ""
        (the runtime lets pydantic pick the union member that fits best)."""
        if len(types) < 2:
            return "", {}
        constants: list[dict[str, str]] = []
        for expr in types:
            model = self.schemas.registry.definition(expr.name) if isinstance(expr, Named) else None
            if not isinstance(model, ModelDef):
                return "", {}
            constants.append(
                {
                    f.json_name: str(f.type.values[0])
                    for f in model.fields
                    if f.required
                    and isinstance(f.type, LiteralOf)
                    and len(f.type.values) == 1
                    and isinstance(f.type.values[0], str)
                }
            )
        common = [name for name in constants[0] if all(name in c for c in constants[1:])]
        ordered = [n for n in _LIKELY_DISCRIMINATORS if n in common] + [
            n for n in common if n not in _LIKELY_DISCRIMINATORS
        ]
        for name in ordered:
            values = [c[name] for c in constants]
            if len(set(values)) == len(values):
                return name, dict(zip(types, values))
        return "", {}

    def _signature(self) -> SignatureScheme:
        if self.signature == "standard-webhooks":
            return "standard-webhooks"
        if self.signature == "none":
            return ""
        if self.signed_by_headers and all(self.signed_by_headers):
            return "standard-webhooks"
        return ""


def _is_json(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"
