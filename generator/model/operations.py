"""Operations of the model: each method of each path item, with its parameters, request body,
responses, servers and security, built from what the model builder hands over."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.model import naming
from generator.model.api import Operation, Server
from generator.model.bodies import build_body
from generator.model.events import settle_events
from generator.model.parameters import add_undeclared_path_params, build_parameters
from generator.model.reading import SpecReader
from generator.model.responses import build_responses, settle_result
from generator.model.servers import build_servers, same_servers
from generator.model.specvalues import text as spec_text
from generator.spec.openapi import HTTP_METHODS
from generator.spec.refs import Location


class OperationBuilder:
    """`root_servers`: the spec's own servers; an operation's are kept only where they differ.
    `keeps(path, method, operation)`: whether the client's filters keep an operation."""

    def __init__(
        self,
        read: SpecReader,
        root_servers: list[Server],
        keeps: Callable[[str, str, dict[str, Any]], bool] = lambda *_: True,
        stream_sentinel: str | None = None,
    ) -> None:
        self.read = read
        self.stream_sentinel = stream_sentinel  # the configuration's, over the spec's
        self.root_servers = root_servers
        self.keeps = keeps
        # Each operation with its spec object, for what is settled once every model exists.
        self.raw_operations: list[tuple[Operation, dict[str, Any], Location]] = []
        self.seen_ids: set[str] = set()
        # Each operation with its spec object, for what is settled once every model exists.
        self.raw_operations: list[tuple[Operation, dict[str, Any], Location]] = []

    def path_item(self, path: str, item: Any, at: Location) -> list[tuple[Operation, str]]:
        """The operations of one path item, each with its first tag ("" for none)."""
        found = self.read.deref_dict(item, at)
        if found is None:
            return []
        item, item_at = found
        warn = self.read.warn
        shared = item.get("parameters") if isinstance(item.get("parameters"), list) else []
        path_servers = build_servers(item.get("servers"), item_at.child("servers"), warn)
        result = []
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict) or not self.keeps(path, method, op):
                continue
            op_at = item_at.child(method)
            built = self.operation(path, method, op, op_at, shared, item_at.child("parameters"))
            servers = build_servers(op.get("servers"), op_at.child("servers"), warn) or path_servers
            if servers and not same_servers(servers, self.root_servers):
                built.servers = servers
            tags = op.get("tags")
            tag = str(tags[0]) if isinstance(tags, list) and tags else ""
            result.append((built, tag))
        return result

    def operation(
        self,
        path: str,
        method: str,
        op: dict[str, Any],
        at: Location,
        shared: list[Any],
        shared_at: Location,
    ) -> Operation:
        op_id = op.get("operationId")
        if not isinstance(op_id, str) or not op_id.strip():
            op_id = f"{method}_{path}"
        elif op_id in self.seen_ids:
            self.read.warn(
                at.child("operationId"),
                f"duplicate operationId {op_id!r}; the method name gets a suffix",
            )
        self.seen_ids.add(op_id)
        operation = Operation(
            operation_id=op_id,
            py_name=naming.method_name(op_id),
            method=method.upper(),
            path=path,
            summary=spec_text(op.get("summary")),
            description=spec_text(op.get("description")),
            deprecated=op.get("deprecated") is True,
            pointer=at.pointer,
        )
        hint = naming.pascal_case(op_id) or "Operation"
        names = naming.UniqueNamer(naming.PARAMETER_RESERVED)
        operation.parameters = build_parameters(
            self.read, shared, shared_at, op.get("parameters"), at, hint, names
        )
        add_undeclared_path_params(self.read, path, operation, at, names)
        if "requestBody" in op:
            operation.body = build_body(
                self.read, op["requestBody"], at.child("requestBody"), hint, names
            )
        responses = op.get("responses")
        if isinstance(responses, dict):
            operation.responses = build_responses(self.read, responses, at.child("responses"), hint)
        settle_result(operation)
        settle_events(self.read, operation, op, at, self.stream_sentinel)
        if operation.events is not None and not operation.events.always:
            for parameter in operation.parameters:  # the method's `stream` is the events'
                if parameter.py_name == "stream":
                    parameter.py_name = names.claim("stream_parameter")
        self.raw_operations.append((operation, op, at))
        security = op.get("security")
        if isinstance(security, list):
            operation.security = [
                sorted(str(k) for k in req) for req in security if isinstance(req, dict)
            ]
        return operation


__all__ = ["OperationBuilder"]
