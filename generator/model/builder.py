"""Stage 3: the intermediate model (`Api`) from the OpenAPI 3 document the spec stage hands on."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.config import ClientConfig, ConfigError
from generator.diagnostics import Diagnostic
from generator.model import naming
from generator.model.api import (
    Api,
    ClientArgument,
    Resource,
    Server,
)
from generator.model.descriptions import absolute_links, docs_host
from generator.model.errors import settle_common_errors
from generator.model.filters import OperationFilter
from generator.model.groups import Placed, ResourceTree
from generator.model.method_names import placement
from generator.model.operations import OperationBuilder
from generator.model.pagination import settle_pagination
from generator.model.reading import SpecReader
from generator.model.schemas import SchemaBuilder
from generator.model.security import build_security
from generator.model.servers import build_servers
from generator.model.specvalues import text as spec_text
from generator.model.webhooks import WebhookBuilder
from generator.spec.loader import SpecSource
from generator.spec.refs import Location, RefResolver


class ModelBuilder:
    def __init__(self, source: SpecSource, config: ClientConfig) -> None:
        self.source = source
        self.config = config
        self.resolver = RefResolver(source)
        self.diagnostics: list[Diagnostic] = []
        self.root = Location(source.root, "")
        self.root_servers: list[Server] = []
        # One namer for every class a package defines (models, resources, clients): a resource
        # module imports models beside its own classes, so they must all differ.
        self.class_names = naming.UniqueNamer(naming.RESERVED)
        self.schemas = SchemaBuilder(self.resolver, self.warn, self.class_names)
        self.filter = OperationFilter.from_config(config)

    def warn(self, at: Location, message: str) -> None:
        self.diagnostics.append(at.document.diagnostic(at.pointer, message, "warning"))

    def build(self) -> Api:
        spec = self.source.root.data
        info = spec.get("info") if isinstance(spec.get("info"), dict) else {}
        if self.config.client_name:
            self._reserve_client_name(self.config.client_name)
        self._reserve_components(spec)
        self.root_servers = build_servers(
            spec.get("servers"), self.root.child("servers"), self.warn
        )
        resources = self._resources(spec)
        if self.filter:  # models are built only as the kept operations reach them
            self.filter.check(self.source.root.display)
        else:
            self._build_components(spec)
        webhooks = WebhookBuilder(
            self.resolver,
            self.schemas,
            self.warn,
            self.root,
            self.config.webhooks,
            self.config.webhook_signature,
            self.keeps_operation if self.filter else None,
        ).build(spec)
        settle_pagination(
            self.operations.raw_operations,
            spec,
            self.schemas.registry.definition,
            self.operations.read.deref,
            self.config.pagination,
            self.warn,
        )
        errors = settle_common_errors(
            [op for resource in resources for op in resource.operations],
            self.schemas.registry.definition,
        )
        default_package, default_client = naming.default_names(str(info.get("title", "client")))
        package = self.config.package_name or default_package
        client_name = self.config.client_name or self.class_names.claim_family(
            naming.class_name(package) if self.config.package_name else default_client,
            naming.CLIENT_CLASS_FORMS,
        )
        schemes, default_security, arguments = build_security(
            spec, package, self.resolver, self.root.child("components", "securitySchemes")
        )
        arguments += [
            ClientArgument(
                h.argument,
                h.header,
                f"{package.upper()}_{h.argument.upper()}",
                h.description,
            )
            for h in self.config.extra_headers
        ]
        api = Api(
            title=spec_text(info.get("title")) or package,
            version=spec_text(str(info.get("version", ""))),
            description=spec_text(info.get("description")),
            package_name=package,
            client_name=client_name,
            servers=self.root_servers,
            security_schemes=schemes,
            default_security=default_security,
            client_arguments=arguments,
            resources=resources,
            definitions=self.schemas.definitions,
            spec_name=Path(self.source.root.display).name,
            webhooks=webhooks,
            errors=errors,
        )
        absolute_links(api, docs_host(spec, self.config.docs_url))
        return api

    def _reserve_client_name(self, name: str) -> None:
        """A client name the configuration chose is kept; spec names give way to it."""
        taken = [
            form.format(name)
            for form in naming.CLIENT_CLASS_FORMS
            if form.format(name) in naming.RESERVED
        ]
        if taken:
            raise ConfigError(
                [
                    (
                        f"oasgen: error: client name {name!r}: {taken[0]!r} is a name the generated "
                        "package uses itself; choose another"
                    )
                ]
            )
        self.class_names.claim_family(name, naming.CLIENT_CLASS_FORMS)

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

    # ---- operations --------------------------------------------------------------------------

    def keeps_operation(self, path: str, method: str, operation: dict[str, Any]) -> bool:
        return self.filter is None or self.filter.keeps(path, method, operation, path_group(path))

    def _resources(self, spec: dict[str, Any]) -> list[Resource]:
        ops = self.operations = OperationBuilder(
            SpecReader(self.resolver, self.schemas, self.warn),
            self.root_servers,
            self.keeps_operation,
            self.config.stream_sentinel,
        )
        tag_docs = {
            str(t.get("name")): spec_text(t.get("description"))
            for t in (spec.get("tags") if isinstance(spec.get("tags"), list) else [])
            if isinstance(t, dict)
        }
        tree = ResourceTree(self.class_names, tag_docs)
        paths = spec.get("paths")
        if not isinstance(paths, dict):
            return []
        for path, item in paths.items():
            at = self.root.child("paths", str(path))
            for op, tag in ops.path_item(str(path), item, at):
                raw = next(raw for built, raw, _ in reversed(ops.raw_operations) if built is op)
                placed = placement(op.operation_id, raw, self.config.names)
                tree.add(Placed(op, tag or path_group(str(path)), placed))
        unknown = sorted(set(self.config.names) - ops.seen_ids)
        if unknown:
            self.warn(self.root, f"names: no operation has the operationId {unknown[0]!r}")
        return tree.resources()


_VERSION_SEGMENT = re.compile(r"^(v\d+(\.\d+)*|api|rest|\d+(\.\d+)*)$", re.IGNORECASE)


def path_group(path: str) -> str:
    """Untagged operations are grouped by their first meaningful path segment (`/v1/customers/{id}`
    -> `customers`), which reads better than one catch-all resource and keeps modules small."""
    for segment in path.split("/"):
        if segment and "{" not in segment and not _VERSION_SEGMENT.match(segment):
            return segment
    return "default"


def build_api(source: SpecSource, config: ClientConfig) -> tuple[Api, list[Diagnostic]]:
    builder = ModelBuilder(source, config)
    api = builder.build()
    return api, builder.diagnostics
