"""Which module of the generated `models` package holds each definition, so that a call creates
only the model classes it meets (a large API's models are not imported and built whole).

Model fields of model types are validated lazily (the runtime's `_LazyField`): a model module
imports other modules' models for type checkers only, so importing a model creates only the
classes of its module, and a call creates those its answer holds. Only what runs with the
module imports other modules' definitions at runtime: aliases (`X = A | B`) and the enums of
field defaults (`= Color.RED`).

- A definition a resource module evaluates when it runs (its Endpoints' errors, the enums of
  parameter defaults; with what those need when their module runs) is imported by the resource
  module: definitions needed by the same resources share a module: `models/<resource>.py` for
  one resource, `models/_shared_<hash of their names>.py` for several.
- The others are created when first used: a definition a resource names only in annotations
  (bodies, parameters, page items) or in the lambda of an Endpoint's result (its module imports
  them for type checkers only), or one reached only through the fields of other models, lives in
  a module of its own, `models/_<its name>.py`, with the enums only it refers to (a module per
  model: creating a class costs more than importing a module, and a union's variants or a
  model's inline objects are each created when first met); so does a definition no operation
  reaches.

The assignment of a definition depends only on its own users and referrers, so a small change of
the spec moves only the definitions it touches. Runtime imports never form a cycle: modules whose
runtime imports would form one are merged into one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.codegen import imports as import_block
from generator.codegen import layout
from generator.codegen.annotations import annotation, named_in, strip_null
from generator.model import naming
from generator.model.api import Api, Operation, Resource
from generator.model.types import (
    NO_DEFAULT,
    AliasDef,
    Definition,
    EnumDef,
    ModelDef,
    Named,
    TypeExpr,
)


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
    )  # module -> {other module: names}, imported at runtime (what its aliases use)
    type_imports: dict[str, dict[str, list[str]]] = field(
        default_factory=dict
    )  # module -> {other module: names}, imported for type checkers only


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


def runtime_references(definition: Definition, enums: Mapping[str, EnumDef]) -> set[str]:
    """The definitions a definition's module needs when it runs: what an alias names, and the
    enums whose members are a model's field defaults (the fields' types are validated lazily)."""
    if isinstance(definition, AliasDef):
        return named_in(definition.type)
    if not isinstance(definition, ModelDef):
        return set()
    found = set()
    for f in definition.fields:
        expr = strip_null(f.type)
        enum = enums.get(expr.name) if isinstance(expr, Named) else None
        if enum is not None and any(_writes_member(m.value, f.default) for m in enum.members):
            found.add(enum.name)
    return found


def _writes_member(value: object, default: object) -> bool:
    """Whether a default is written as this enum member (as DefaultRenderer writes it)."""
    return value == default and type(value) is type(default)


def resource_types(resource: Resource) -> list[TypeExpr]:
    """Every type a resource's operations name in their signatures, results and errors (and the
    items of their pages, which a paginated method's signature names)."""
    types: list[TypeExpr] = []
    for op in resource.operations:
        types += [p.type for p in op.parameters] + [op.result_type] + list(op.error_types.values())
        if op.events is not None:
            types.append(op.events.type)
        if op.pagination is not None:
            types.append(op.pagination.item_type)
        if op.body is not None:
            types += [op.body.type] if not op.body.fields else [f.type for f in op.body.fields]
    return types


def result_in_lambda(op: Operation) -> bool:
    """Whether an Endpoint names its result type in a lambda evaluated on its first call: a type
    naming models, short enough for `    lambda: X,` to stay on one line (a longer lambda black
    and ruff format differently: such a result is imported when its resource module runs)."""
    if op.result_kind != "json" or not named_in(op.result_type):
        return False
    return layout.fits(f"    lambda: {annotation(op.result_type, typing_generics=True)},")


def runtime_types(resource: Resource) -> list[TypeExpr]:
    """The types a resource module evaluates when it runs: its Endpoints' errors and the types of
    parameter defaults (an enum member); the others it names only in annotations, and its
    Endpoints' results in lambdas evaluated on their first call."""
    types: list[TypeExpr] = []
    for op in resource.operations:
        types += list(op.error_types.values())
        types += [] if result_in_lambda(op) else [op.result_type]
        types += [p.type for p in op.parameters if p.default is not NO_DEFAULT]
        if op.events is not None:  # its `Events` declaration names the event type
            types.append(op.events.type)
    return types


def _named(types: list[TypeExpr]) -> set[str]:
    return set().union(*(named_in(t) for t in types)) if types else set()


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
    if len(users) == 1:
        name = next(iter(users))
        # Importing a submodule binds its name in the package's namespace: `models/__init__` must
        # keep its own names (importlib, _LAZY, __getattr__, builtins) however resources are named.
        return name + "_models" if name in naming.RESERVED else name
    digest = hashlib.sha256("\n".join(sorted(users)).encode()).hexdigest()[:8]
    return f"_shared_{digest}"


def _owner(name: str, parent: dict[str, str]) -> str:
    """The top of the chain of sole referrers above a definition (the least name of a loop)."""
    chain = [name]
    while chain[-1] in parent:
        following = parent[chain[-1]]
        if following in chain:
            return min(chain[chain.index(following) :])
        chain.append(following)
    return chain[-1]


def _own_module_names(owners: set[str], taken: set[str]) -> dict[str, str]:
    """`_<snake name>` for each owner, deduplicated (names equal once lowercased) in name order."""
    found: dict[str, str] = {}
    used = set(taken)
    for owner in sorted(owners):
        base = "_" + naming.snake_case(owner).lstrip("_")
        module, n = base, 2
        while module in used:
            module, n = f"{base}_{n}", n + 1
        used.add(module)
        found[owner] = module
    return found


def _merge_import_cycles(module_of: dict[str, str], eager: dict[str, set[str]]) -> None:
    """Modules whose runtime imports form a cycle become one (the least name)."""
    while True:
        graph: dict[str, set[str]] = {}
        for name, needed in eager.items():
            for other in needed:
                if module_of[other] != module_of[name]:
                    graph.setdefault(module_of[name], set()).add(module_of[other])
        cycle = _a_cycle(graph)
        if not cycle:
            return
        target = min(cycle)
        for name, module in module_of.items():
            if module in cycle:
                module_of[name] = target


def _a_cycle(graph: dict[str, set[str]]) -> set[str]:
    state: dict[str, int] = {}  # 1: on the path, 2: done
    for start in sorted(graph):
        if start in state:
            continue
        path = [start]
        state[start] = 1
        pending = [iter(sorted(graph.get(start, ())))]
        while pending:
            following = next(pending[-1], None)
            if following is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(following) == 1:
                return set(path[path.index(following) :])
            elif following not in state:
                state[following] = 1
                path.append(following)
                pending.append(iter(sorted(graph.get(following, ()))))
    return set()


def model_modules(api: Api) -> ModelModules:
    names = {d.name for d in api.definitions}
    refs = {d.name: references(d) & names for d in api.definitions}
    enums = {d.name: d for d in api.definitions if isinstance(d, EnumDef)}
    eager = {d.name: runtime_references(d, enums) & names for d in api.definitions}
    users: dict[str, set[str]] = {name: set() for name in refs}
    named: set[str] = set()  # what resources name themselves: imported on its own, a module's top
    for resource in api.resources:
        for name in _reached(_named(runtime_types(resource)), eager):
            users[name].add(resource.module_name)
        named |= _named(resource_types(resource))
    module_of = {name: _module_name(frozenset(users[name])) for name in refs if users[name]}
    referrers: dict[str, set[str]] = {name: set() for name in refs}
    for name, needed in refs.items():
        for other in needed - {name}:
            referrers[other].add(name)
    # Every model no Endpoint holds is created on first use, in a module of its own: those a call
    # meets (results, fields) and those no signature names (flattened request bodies).
    lazy = {name for name in refs if not users[name]}
    parent = {
        name: next(iter(referrers[name]))
        for name in lazy
        if name in enums
        and name not in named
        and len(referrers[name]) == 1
        and next(iter(referrers[name])) in lazy
    }
    owner = {name: _owner(name, parent) for name in lazy}
    own = _own_module_names(set(owner.values()), set(module_of.values()))
    module_of.update({name: own[owner[name]] for name in lazy})
    _merge_import_cycles(module_of, eager)
    return ModelModules(
        module_of=module_of,
        order=sorted(set(module_of.values())),
        users=_users_of_modules(module_of, users),
        imports=_imports_between(module_of, eager),
        type_imports=_imports_between(
            module_of, {name: refs[name] - eager[name] for name in refs}, eager
        ),
    )


def _users_of_modules(
    module_of: dict[str, str], users: dict[str, set[str]]
) -> dict[str, frozenset[str]]:
    """The resources importing each module (none for the modules of lazily reached models)."""
    found: dict[str, set[str]] = {module: set() for module in module_of.values()}
    for name, module in module_of.items():
        found[module] |= users[name]
    return {module: frozenset(found[module]) for module in sorted(found)}


def _imports_between(
    module_of: dict[str, str],
    needs: dict[str, set[str]],
    already: dict[str, set[str]] | None = None,
) -> dict[str, dict[str, list[str]]]:
    """module -> {other module: the names its definitions need from there} (less `already`'s)."""
    found: dict[str, dict[str, set[str]]] = {}
    for name, needed in needs.items():
        home = module_of[name]
        for other in needed:
            if module_of[other] != home:
                found.setdefault(home, {}).setdefault(module_of[other], set()).add(other)
    if already:
        for home, imported in _imports_between(module_of, already).items():
            for other, taken in imported.items():
                left = found.get(home, {}).get(other)
                if left is not None:
                    left -= set(taken)
                    if not left:
                        del found[home][other]
    return {
        m: {o: sorted(n) for o, n in sorted(imported.items())}
        for m, imported in sorted(found.items())
        if imported
    }


def modules_of_resource(modules: ModelModules, resource: Resource) -> dict[str, list[str]]:
    """The model modules a resource module imports from when it runs, with the names it imports
    from each."""
    found: dict[str, set[str]] = {}
    for name in runtime_names(modules, resource):
        found.setdefault(modules.module_of[name], set()).add(name)
    return {module: sorted(found[module]) for module in sorted(found)}


def runtime_names(modules: ModelModules, resource: Resource) -> set[str]:
    """The definitions a resource module needs when it runs (the others it names are imported
    for type checkers only)."""
    return {name for name in _named(runtime_types(resource)) if name in modules.module_of}


def model_type_imports(siblings: Mapping[str, list[str]]) -> str:
    """`if TYPE_CHECKING:` and the imports of the other modules' models a model module's fields
    name (their values are validated lazily, so the module runs without them); "" if none."""
    own = {name: "." + module for module, names in siblings.items() for name in names}
    if not own:
        return ""
    block = import_block.block(
        import_block.imports_of(sorted(own), depth=0, own=own), indent="    "
    )
    return "\n\nif TYPE_CHECKING:\n" + block
