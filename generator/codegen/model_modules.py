"""Which module of the generated `models` package holds each definition, so that a call imports
only the models its resource can meet (a large API's models are not imported and built whole).

A definition's *users* are the resources whose operations reach it through their parameters,
bodies, results and errors, following references between definitions. Definitions with the same
users share a module: a resource's own models go to `models/<resource>.py`; models several
resources reach go to `models/_shared_<hash of the resources' names>.py`; models no operation reaches
go to `models/_unreferenced.py`. The assignment depends only on which resources reach a model, so a
small change of the spec moves only the models whose users changed.

Modules never import each other in a cycle: if a definition refers to another, every resource
reaching the first reaches the second, so the second's users include the first's; a cycle of
definitions has one set of users, so it lives in one module. Imports therefore run from a module
to modules of strictly more users, an order without cycles, and each module imports the names it
uses from the others at its top, as any Python module does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from generator.codegen.annotations import named_in
from generator.model import naming
from generator.model.api import Api, Resource
from generator.model.types import AliasDef, Definition, ModelDef, TypeExpr

UNREFERENCED = "_unreferenced"


@dataclass
class ModelModules:
    """The module (a name inside `models/`) of every definition, and what each module imports."""

    module_of: dict[str, str]  # definition name -> module name
    order: list[str]  # module names, sorted
    users: dict[str, frozenset[str]] = field(
        default_factory=dict
    )  # module -> resources reaching it
    imports: dict[str, dict[str, list[str]]] = field(
        default_factory=dict
    )  # module -> {other module: names}


def references(definition: Definition) -> set[str]:
    """Names of the definitions a definition's own code refers to."""
    if isinstance(definition, ModelDef):
        names = (
            set().union(*(named_in(f.type) for f in definition.fields))
            if definition.fields
            else set()
        )
        return names | (named_in(definition.extra) if definition.extra is not None else set())
    if isinstance(definition, AliasDef):
        return named_in(definition.type)
    return set()


def resource_types(resource: Resource) -> list[TypeExpr]:
    """Every type a resource's operations name in their signatures, results and errors."""
    types: list[TypeExpr] = []
    for op in resource.operations:
        types += [p.type for p in op.parameters] + [op.result_type] + list(op.error_types.values())
        if op.events is not None:
            types.append(op.events.type)
        if op.body is not None:
            types += [op.body.type] if not op.body.fields else [f.type for f in op.body.fields]
    return types


def _reached(start: set[str], refs: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    pending = [name for name in start if name in refs]
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending.extend(n for n in refs[name] if n not in seen)
    return seen


def _module_name(users: frozenset[str]) -> str:
    if not users:
        return UNREFERENCED
    if len(users) == 1:
        name = next(iter(users))
        # Importing a submodule binds its name in the package's namespace: `models/__init__` must
        # keep its own names (importlib, _LAZY, __getattr__, builtins) however resources are named.
        return name + "_models" if name in naming.RESERVED else name
    digest = hashlib.sha256("\n".join(sorted(users)).encode()).hexdigest()[:8]
    return f"_shared_{digest}"


def model_modules(api: Api) -> ModelModules:
    names = {d.name for d in api.definitions}
    refs = {d.name: references(d) & names for d in api.definitions}
    users: dict[str, set[str]] = {name: set() for name in refs}
    for resource in api.resources:
        types = resource_types(resource)
        direct = set().union(*(named_in(t) for t in types)) if types else set()
        for name in _reached(direct, refs):
            users[name].add(resource.module_name)
    module_of = {name: _module_name(frozenset(users[name])) for name in refs}
    imports: dict[str, dict[str, set[str]]] = {}
    for name, needed in refs.items():
        home = module_of[name]
        for other in needed:
            if module_of[other] != home:
                imports.setdefault(home, {}).setdefault(module_of[other], set()).add(other)
    return ModelModules(
        module_of=module_of,
        order=sorted(set(module_of.values())),
        users={module_of[name]: frozenset(users[name]) for name in refs},
        imports={
            m: {o: sorted(n) for o, n in sorted(found.items())} for m, found in imports.items()
        },
    )


def modules_of_resource(modules: ModelModules, resource: Resource) -> dict[str, list[str]]:
    """The model modules a resource module imports from, with the names it imports from each."""
    types = resource_types(resource)
    direct = set().union(*(named_in(t) for t in types)) if types else set()
    found: dict[str, set[str]] = {}
    for name in direct:
        if name in modules.module_of:
            found.setdefault(modules.module_of[name], set()).add(name)
    return {module: sorted(found[module]) for module in sorted(found)}
