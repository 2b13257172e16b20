"""The resources of the client: operations grouped by tag (or first path segment), or by the group
an override names, nested as the override says (`fine_tuning.jobs`), each with its module and
classes, and each operation with its final method name (see method_names)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import naming
from generator.model.api import Operation, Resource
from generator.model.method_names import Placement, without_prefix


@dataclass
class Placed:
    """An operation, its tag ("" : none; the path's first segment is used) and its overrides."""

    operation: Operation
    tag: str
    placement: Placement


class ResourceTree:
    def __init__(self, class_names: naming.UniqueNamer, tag_docs: dict[str, str]) -> None:
        self.class_names = class_names
        self.tag_docs = tag_docs
        self.attr_names = naming.UniqueNamer(naming.CLIENT_ATTRIBUTES)
        self.tag_attrs: dict[str, str] = {}  # tag -> attribute of its resource
        self.group_attrs: dict[str, str] = {}  # a group's name in an override -> its attribute
        self.by_path: dict[tuple[str, ...], Resource] = {}
        self.explicit: dict[int, bool] = {}  # id(operation) -> its method name was written

    def add(self, placed: Placed) -> None:
        group = placed.placement.group
        path = (self._group_attr(group[0]), *group[1:]) if group else (self._tag_attr(placed.tag),)
        resource = self._resource(path, "" if group else placed.tag)
        if placed.placement.method:
            placed.operation.py_name = placed.placement.method
        self.explicit[id(placed.operation)] = bool(placed.placement.method)
        resource.operations.append(placed.operation)

    def _group_attr(self, name: str) -> str:
        """A group an override names joins the tag's resource of the same attribute."""
        if name not in self.group_attrs:
            joins = name in self.tag_attrs.values()
            self.group_attrs[name] = name if joins else self.attr_names.claim(name)
        return self.group_attrs[name]

    def _tag_attr(self, tag: str) -> str:
        if tag not in self.tag_attrs:
            # an attribute is also a file name (`resources/<attr>.py`): kept short
            candidate = naming.shortened(naming.param_name(tag), 60) if tag else "default"
            joins = candidate in self.group_attrs.values()
            self.tag_attrs[tag] = candidate if joins else self.attr_names.claim(candidate)
        return self.tag_attrs[tag]

    def _resource(self, path: tuple[str, ...], tag: str) -> Resource:
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix not in self.by_path:
                self.by_path[prefix] = Resource(
                    tag if depth == len(path) and tag else ".".join(prefix),
                    prefix[-1],
                    self.class_names.claim_family(
                        naming.class_name("_".join(prefix) + "_resource"),
                        naming.RESOURCE_CLASS_FORMS,
                    ),
                    self._doc(tag if depth == len(path) else "", prefix),
                    path=prefix,
                )
        return self.by_path[path]

    def _doc(self, tag: str, path: tuple[str, ...]) -> str:
        if tag:
            return self.tag_docs.get(tag, "")
        # A group an override names takes the description of the tag it is named after.
        for name, doc in self.tag_docs.items():
            if naming.param_name(name) == path[-1]:
                return doc
        return ""

    def resources(self) -> list[Resource]:
        """Every resource, parents before children, with modules and method names settled."""
        resources = list(self.by_path.values())
        modules = naming.UniqueNamer()
        for resource in resources:  # the top level first: its module is its attribute
            if len(resource.path) == 1:
                resource.module = modules.claim(resource.attr_name)
        for resource in resources:
            if len(resource.path) > 1:
                resource.module = modules.claim(naming.shortened("_".join(resource.path), 60))
        for resource in resources:
            self._settle_methods(resource)
        return resources

    def _settle_methods(self, resource: Resource) -> None:
        children = {p[-1] for p in self.by_path if p[:-1] == resource.path and len(p) > 1}
        ops = resource.operations
        names = without_prefix(
            resource.attr_name,
            [op.py_name for op in ops],
            [self.explicit[id(op)] for op in ops],
            frozenset(children),
        )
        # A nested group keeps its attribute; a method of the same name gets a suffix.
        unique = naming.UniqueNamer(children)
        for op, name in zip(ops, names, strict=True):
            op.py_name = unique.claim(name)


__all__ = ["Placed", "ResourceTree"]
