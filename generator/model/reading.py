"""What the operation builders read a spec with: the resolver, the schema builder and the warning
sink, handed to them by the model builder (they never see the model builder itself)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.model.schemas import SchemaBuilder
from generator.model.specvalues import Warn
from generator.spec.refs import Location, RefError, RefResolver


@dataclass(frozen=True)
class SpecReader:
    resolver: RefResolver
    schemas: SchemaBuilder
    warn: Warn

    def deref(self, node: Any, at: Location) -> tuple[Any, Location] | None:
        """The node a `$ref` points to (or the node itself), with its location; None, and a
        warning at the `$ref`, when it cannot be followed."""
        try:
            return self.resolver.deref(node, at)
        except RefError as exc:
            self.warn(
                at.child("$ref") if isinstance(node, dict) and "$ref" in node else at, str(exc)
            )
            return None

    def deref_dict(self, node: Any, at: Location) -> tuple[dict[str, Any], Location] | None:
        """`deref`, when what it finds is an object."""
        found = self.deref(node, at)
        return found if found is not None and isinstance(found[0], dict) else None
