"""The shape of generator/ that a reader relies on: the stages import one way (load, model, code
generation, formatting, output, command line), no module imports itself back through others
(imports only for type checking and imports inside functions included), and no module is over
400 lines. Read from the source with `ast`: nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
MAX_LINES = 400

# Where each part of generator/ stands in the flow; a module imports only from its own rank or
# below. The modules beside the stages (config, diagnostics, paths, style, ...) are the ground
# every stage stands on; the pipeline runs the stages, and the command line runs the pipeline.
# `diff` compares the surfaces of two clients (read from models, or from manifests the output
# stage wrote), so it stands after output; the pipeline records a client's surface with it.
STAGE_RANK = {"spec": 1, "model": 2, "codegen": 3, "format": 4, "output": 5, "diff": 5.5, "cli": 7}
# `overrides` runs the stages on a probe API to learn whether an overriding template writes code
# as black would: it stands beside the pipeline, which asks it.
TOP_RANK = {"pipeline": 6, "overrides": 6, "__main__": 8}


def module_names() -> dict[str, Path]:
    """Every module of generator/ by its dotted name (a package by its own name)."""
    found = {}
    for path in sorted(GENERATOR.rglob("*.py")):
        parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imported_modules(path: Path, name: str, known: set[str]) -> set[str]:
    """The generator modules that `path` imports anywhere in it: at the top, under
    `if TYPE_CHECKING:` or inside a function. `from package import module` counts as the module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = module_names()
    known = set(modules)
    return {name: imported_modules(path, name, known) for name, path in modules.items()}


def rank(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return 0  # the package itself: its version
    if parts[1] in STAGE_RANK:
        return STAGE_RANK[parts[1]]
    return TOP_RANK.get(parts[1], 0)


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as the modules along it (first == last), or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            if cycle:
                return cycle
    return []


def test_the_graph_sees_every_kind_of_import():
    """The reader of the graph must not miss the imports a cycle hides in: type-only, in a
    function, relative, and `from package import module`."""
    graph = import_graph()
    assert "generator.spec.loader" in graph["generator.pipeline"]  # in a function and TYPE_CHECKING
    assert (
        "generator.model.naming" in graph["generator.model.builder"]
    )  # from package import module


def test_type_only_and_function_level_imports_count(tmp_path):
    """A cycle closed only by an import under TYPE_CHECKING, or inside a function, is a cycle."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n"
    )
    (package / "b.py").write_text("def f():\n    from pkg import c\n")
    (package / "c.py").write_text("from . import a\n")
    known = {"pkg", "pkg.a", "pkg.b", "pkg.c"}
    graph = {
        name: imported_modules(package / f"{name[4:]}.py", name, known)
        for name in ("pkg.a", "pkg.b", "pkg.c")
    }
    assert graph == {"pkg.a": {"pkg.b"}, "pkg.b": {"pkg", "pkg.c"}, "pkg.c": {"pkg", "pkg.a"}}
    graph["pkg"] = set()
    assert find_cycle(graph) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]


def test_find_cycle_names_the_modules_along_it():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    cycle = find_cycle(import_graph())
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_stages_import_only_earlier_stages():
    backward = [
        f"{module} (rank {rank(module)}) imports {target} (rank {rank(target)})"
        for module, targets in sorted(import_graph().items())
        for target in sorted(targets)
        if rank(target) > rank(module)
    ]
    assert not backward, "imports against the flow:\n" + "\n".join(backward)


def test_no_module_over_400_lines():
    long = {
        name: count
        for name, path in module_names().items()
        if (count := len(path.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"
