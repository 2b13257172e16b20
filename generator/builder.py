"""Stage 3: the intermediate model (`Api`) from a loaded spec. Templates never see the raw spec."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator import naming
from generator.config import ClientConfig
from generator.diagnostics import Diagnostic
from generator.loader import SpecSource
from generator.model import (
    Api,
    ClientArgument,
    Resource,
    Server,
)
from generator.operations import OperationBuilder
from generator.refs import Location, RefError, RefResolver
from generator.schemas import SchemaBuilder
from generator.security import build_security
from generator.specvalues import HTTP_METHODS
from generator.specvalues import text as spec_text

# Attributes of the generated client that a resource (tag) name must not hide.
CLIENT_ATTRIBUTES = frozenset(
    {"base_url", "timeout", "max_retries", "close", "with_options", "copy", "request", "aclose",
     "with_raw_response", "with_streaming_response", "headers", "auth_headers",
     # names the client class body itself uses, and BaseClient's settings (issue 7: a tag named
     # `cached_property` broke every later resource property)
     "cached_property", "httpx", "follow_redirects", "initial_retry_delay", "max_retry_delay",
     "max_retry_after"}
)


class ModelBuilder:
    def __init__(self, source: SpecSource, config: ClientConfig) -> None:
        self.source = source
        self.config = config
        self.resolver = RefResolver(source)
        self.diagnostics: list[Diagnostic] = []
        self.root = Location(source.root, "")
        self.schemas = SchemaBuilder(self.resolver, self.warn, naming.UniqueNamer(naming.MODULE_RESERVED))

    def warn(self, at: Location, message: str) -> None:
        self.diagnostics.append(at.document.diagnostic(at.pointer, message, "warning"))

    def build(self) -> Api:
        spec = self.source.root.data
        info = spec.get("info") if isinstance(spec.get("info"), dict) else {}
        self._reserve_components(spec)
        resources = self._resources(spec)
        self._build_components(spec)
        self._build_event_payloads(spec)
        default_package, default_client = naming.default_names(str(info.get("title", "client")))
        package = self.config.package_name or default_package
        client_name = self.config.client_name or (
            naming.class_name(package) if self.config.package_name else default_client)
        schemes, default_security, arguments = build_security(spec, package, self)
        arguments += [
            ClientArgument(h.argument, h.header, f"{package.upper()}_{h.argument.upper()}", h.description, False)
            for h in self.config.extra_headers
        ]
        return Api(
            title=spec_text(info.get("title")) or package,
            version=spec_text(str(info.get("version", ""))),
            description=spec_text(info.get("description")),
            package_name=package,
            client_name=client_name,
            servers=self._servers(spec),
            security_schemes=schemes,
            default_security=default_security,
            client_arguments=arguments,
            resources=resources,
            definitions=self.schemas.definitions,
            spec_name=Path(self.source.root.display).name,
        )

    # ---- components --------------------------------------------------------------------------

    def _component_schemas(self, spec: dict[str, Any]) -> list[tuple[str, Any, Location]]:
        components = spec.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        if not isinstance(schemas, dict):
            return []
        base = self.root.child("components", "schemas")
        return [(str(name), schema, base.child(str(name))) for name, schema in schemas.items()]

    def _reserve_components(self, spec: dict[str, Any]) -> None:
        for name, _, at in self._component_schemas(spec):
            self.schemas.reserve(at, name)

    def _build_components(self, spec: dict[str, Any]) -> None:
        for name, schema, at in self._component_schemas(spec):
            self.schemas.component(schema, at, name)

    def _build_event_payloads(self, spec: dict[str, Any]) -> None:
        """Webhook and callback payloads get models even though no client method sends them."""
        webhooks = spec.get("webhooks")
        if isinstance(webhooks, dict):
            for name, item in webhooks.items():
                at = self.root.child("webhooks", str(name))
                self._payload_models(item, at, naming.pascal_case(str(name)) + "Webhook")
        paths = spec.get("paths")
        for path, item in (paths.items() if isinstance(paths, dict) else ()):
            for method in HTTP_METHODS:
                op = item.get(method) if isinstance(item, dict) else None
                callbacks = op.get("callbacks") if isinstance(op, dict) else None
                if not isinstance(callbacks, dict):
                    continue
                op_hint = naming.pascal_case(str(op.get("operationId") or f"{method} {path}"))
                for name, callback in callbacks.items():
                    at = self.root.child("paths", str(path), method, "callbacks", str(name))
                    try:
                        callback, at = self.resolver.deref(callback, at)
                    except RefError as exc:
                        self.warn(at, str(exc))
                        continue
                    for expression, cb_item in (callback.items() if isinstance(callback, dict) else ()):
                        hint = op_hint + naming.pascal_case(str(name)) + "Callback"
                        self._payload_models(cb_item, at.child(str(expression)), hint)

    def _payload_models(self, item: Any, at: Location, hint: str) -> None:
        try:
            item, at = self.resolver.deref(item, at)
        except RefError as exc:
            self.warn(at, str(exc))
            return
        if not isinstance(item, dict):
            return
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
                    self.schemas.type_of(media_obj["schema"], body_at.child("content", media, "schema"), hint)
                    break

    # ---- operations --------------------------------------------------------------------------

    def _resources(self, spec: dict[str, Any]) -> list[Resource]:
        ops = OperationBuilder(self)
        by_tag: dict[str, Resource] = {}
        attr_names = naming.UniqueNamer(CLIENT_ATTRIBUTES)
        class_names = naming.UniqueNamer()
        tag_docs = {
            str(t.get("name")): spec_text(t.get("description"))
            for t in (spec.get("tags") if isinstance(spec.get("tags"), list) else [])
            if isinstance(t, dict)
        }
        paths = spec.get("paths")
        if not isinstance(paths, dict):
            return []
        method_names: dict[str, naming.UniqueNamer] = {}
        for path, item in paths.items():
            at = self.root.child("paths", str(path))
            for op, tag in ops.path_item(str(path), item, at):
                tag = tag or path_group(str(path))
                if tag not in by_tag:
                    attr = attr_names.claim(_short_attr(naming.param_name(tag)) if tag else "default")
                    by_tag[tag] = Resource(tag, attr, class_names.claim(naming.class_name(attr) + "Resource"),
                                           tag_docs.get(tag, ""))
                    method_names[tag] = naming.UniqueNamer()
                op.py_name = method_names[tag].claim(op.py_name)
                by_tag[tag].operations.append(op)
        return list(by_tag.values())

    def _servers(self, spec: dict[str, Any]) -> list[Server]:
        servers = []
        for entry in spec.get("servers") if isinstance(spec.get("servers"), list) else []:
            if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
                continue
            url = entry["url"]
            variables = entry.get("variables") if isinstance(entry.get("variables"), dict) else {}
            for name, var in variables.items():
                if isinstance(var, dict) and "default" in var:
                    url = url.replace("{" + str(name) + "}", str(var["default"]))
            servers.append(Server(url.rstrip("/") if url != "/" else url, spec_text(entry.get("description"))))
        return servers


_VERSION_SEGMENT = re.compile(r"^(v\d+(\.\d+)*|api|rest|\d+(\.\d+)*)$", re.IGNORECASE)


def path_group(path: str) -> str:
    """Untagged operations are grouped by their first meaningful path segment (`/v1/customers/{id}`
    -> `customers`), which reads better than one catch-all resource and keeps modules small."""
    for segment in path.split("/"):
        if segment and "{" not in segment and not _VERSION_SEGMENT.match(segment):
            return segment
    return "default"


def _short_attr(name: str, limit: int = 60) -> str:
    """A resource attribute is also a file name (`resources/<attr>.py`): keep it short, stably."""
    if len(name) <= limit:
        return name
    import hashlib

    return name[: limit - 9].rstrip("_") + "_" + hashlib.sha1(name.encode()).hexdigest()[:8]



def build_api(source: SpecSource, config: ClientConfig) -> tuple[Api, list[Diagnostic]]:
    builder = ModelBuilder(source, config)
    api = builder.build()
    return api, builder.diagnostics
