"""Which operations a client keeps: `include-tags`, `exclude-tags`, `include-operations`,
`exclude-operations`.

Filtering is part of building the model, before any operation or schema is built: a dropped
operation is never built, and since models are then built only as kept operations reach them
(not every component schema up front), a model no kept operation uses is never built either.
Decided on the loaded spec (after overlays), so an overlay can add the tags a filter selects.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from generator.config import ClientConfig, ConfigError


@dataclass
class OperationFilter:
    include_tags: frozenset[str]
    exclude_tags: frozenset[str]
    include_operations: frozenset[str]
    exclude_operations: frozenset[str]
    seen_tags: set[str] = field(default_factory=set)
    seen_operations: set[str] = field(default_factory=set)
    kept: int = 0

    @classmethod
    def from_config(cls, config: ClientConfig) -> OperationFilter | None:
        """The configured filter, or None when the client keeps every operation."""
        lists = (
            config.include_tags,
            config.exclude_tags,
            config.include_operations,
            config.exclude_operations,
        )
        if not any(lists):
            return None
        return cls(*(frozenset(values) for values in lists))

    def keeps(self, path: str, method: str, operation: dict[str, Any], group: str) -> bool:
        """Whether the client keeps this operation. An operation is named by its operationId or
        as `METHOD /path`; its tags are its own, or, untagged, the group its resource is named
        after (`customers` for `/v1/customers/{id}`)."""
        declared = operation.get("tags")
        tags = (
            {str(t) for t in declared if isinstance(t, str)}
            if isinstance(declared, list)
            else set()
        )
        tags = tags or {group}
        op_id = operation.get("operationId")
        names = {f"{method.upper()} {path}"} | ({op_id} if isinstance(op_id, str) else set())
        self.seen_tags |= tags
        self.seen_operations |= names
        included = not (self.include_tags or self.include_operations) or bool(
            tags & self.include_tags or names & self.include_operations
        )
        keep = included and not (tags & self.exclude_tags or names & self.exclude_operations)
        self.kept += keep
        return keep

    def check(self, spec: str) -> None:
        """A filter value no operation has is a mistake (a typo, a renamed tag), and a filter
        that keeps nothing would make an empty client: both are errors."""
        errors = []
        for option, values, seen in (
            ("include-tag", self.include_tags, self.seen_tags),
            ("exclude-tag", self.exclude_tags, self.seen_tags),
            ("include-operation", self.include_operations, self.seen_operations),
            ("exclude-operation", self.exclude_operations, self.seen_operations),
        ):
            what = "tag" if option.endswith("tag") else "operationId (or METHOD /path)"
            for value in sorted(values - seen):
                errors.append(
                    f"oasgen: error: {option} {value!r}: no operation of {spec} has this {what}"
                    + _suggestion(value, seen)
                )
        if not errors and not self.kept:
            errors.append(f"oasgen: error: the filters keep no operation of {spec}")
        if errors:
            raise ConfigError(errors)


def _suggestion(value: str, known: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=3)
    if close:
        return f" (did you mean {' or '.join(repr(c) for c in close)}?)"
    listed = sorted(known)
    more = f", ... ({len(listed)} in all)" if len(listed) > 8 else ""
    return f" (it has: {', '.join(listed[:8])}{more})" if listed else ""
