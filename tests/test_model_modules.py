"""Issue 16: the generated models are split so that a call imports only what it meets: the models
its resource's operations name (a module per set of resources naming them), and, on first use,
those its answer holds (fields of model types are validated lazily: a model reached only through
fields lives in a module of its own); every model stays importable (and typed) from `<pkg>.models`."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.codegen.annotations import named_in
from generator.codegen.model_modules import (
    ModelModules,
    model_modules,
    modules_of_resource,
    references,
    result_in_lambda,
    runtime_names,
)
from generator.model.api import Api
from generator.model.naming import snake_case
from generator.model.types import Named, UnionOf
from tests.conftest import CORPUS, GENERATED, REPO, generate_client

FAXPLUS = REPO / "specs" / "faxplus.yaml"


def api_of(spec: Path, package: str = "faxplus", client: str | None = None) -> Api:
    from generator.config import ClientConfig
    from generator.model.builder import build_api
    from generator.spec.read import read_spec

    source, _ = read_spec(spec, lambda source: None)  # the spec stage, without validation
    api, _ = build_api(
        source,
        ClientConfig(spec=spec, output=Path("unused"), package_name=package, client_name=client),
    )
    return api


@pytest.fixture(scope="module")
def faxplus_api() -> Api:
    return api_of(FAXPLUS, client="FaxPlus")  # as configured in pyproject.toml


def test_each_definition_has_one_module_named_by_its_users(faxplus_api: Api) -> None:
    modules = model_modules(faxplus_api)
    assert set(modules.module_of) == {d.name for d in faxplus_api.definitions}
    for module, users in modules.users.items():
        if len(users) == 1:
            assert module == next(iter(users))
        elif users:
            assert module.startswith("_shared_")
        else:  # reached through fields only: named after the definition it is for
            assert module == "_unreferenced" or any(
                module == "_" + snake_case(name)
                for name, home in modules.module_of.items()
                if home == module
            ), module
    # Outbox is an answer: named in a lambda of the Endpoint, created on the first call, its own.
    assert modules.module_of["Outbox"] == "_outbox" and not modules.users["_outbox"]
    # Error is an error answer of every operation: their Endpoints hold it when the module runs.
    assert modules.users[modules.module_of["Error"]] == {r.attr_name for r in faxplus_api.resources}
    # A request body, named only in annotations: its own module too.
    assert modules.module_of["PayloadOutbox"] == "_payload_outbox"
    # Outbox's options are reached through its fields only; RetryOptions is also a field of
    # OutboxOptions, so it is not OutboxOptions's own.
    assert modules.module_of["OutboxOptions"] == "_outbox_options"
    assert modules.module_of["RetryOptions"] == "_retry_options"
    assert modules.type_imports["_outbox"]["_outbox_options"] == ["OutboxOptions"]


def _assert_runtime_imports_acyclic(modules: ModelModules) -> None:
    graph = {module: set(imported) for module, imported in modules.imports.items()}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, path + (module,)
        if module not in done:
            for other in graph.get(module, ()):
                visit(other, path + (module,))
            done.add(module)

    for module in sorted(graph):
        visit(module, ())


def test_runtime_imports_between_model_modules_have_no_cycle(faxplus_api: Api) -> None:
    modules = model_modules(faxplus_api)
    assert modules.type_imports  # Fax.Plus's models refer to others through their fields
    _assert_runtime_imports_acyclic(modules)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("spec", ["stripe-spec3.yaml", "kubernetes-swagger.json"])
def test_deep_cycles_stay_out_of_runtime_imports(spec: str) -> None:
    """Stripe and Kubernetes have deep reference cycles: they must not become import cycles, nor
    one module holding the whole cycle (Stripe's 743 definitions)."""
    modules = model_modules(api_of(CORPUS / spec, "c"))
    _assert_runtime_imports_acyclic(modules)
    sizes: dict[str, int] = {}
    for module in modules.module_of.values():
        sizes[module] = sizes.get(module, 0) + 1
    assert max(n for m, n in sizes.items() if m != "_unreferenced") < 200, sorted(
        sizes.items(), key=lambda item: item[1]
    )[-3:]


def test_assignment_is_deterministic_and_stable_under_a_small_change(faxplus_api: Api) -> None:
    before = model_modules(faxplus_api)
    assert model_modules(copy.deepcopy(faxplus_api)) == before
    # A new resource using one operation's models moves those models only.
    changed = copy.deepcopy(faxplus_api)
    outbox = next(r for r in changed.resources if r.attr_name == "outbox")
    extra = copy.deepcopy(outbox)
    extra.attr_name, extra.class_name = "archive", "Archive"
    extra.path, extra.module = ("archive",), "archive"
    extra.operations = [
        op
        for op in extra.operations
        if isinstance(op.result_type, Named) and op.result_type.name == "Outbox"
    ]
    assert extra.operations
    changed.resources.append(extra)
    after = model_modules(changed)
    moved = {name for name, module in after.module_of.items() if before.module_of[name] != module}
    reached = {m for m, users in after.users.items() if "archive" in users}
    assert moved and all(after.module_of[name] in reached for name in moved)
    assert len(moved) < len(before.module_of) // 2


def test_resource_imports_come_from_the_model_modules(faxplus_api: Api) -> None:
    modules = model_modules(faxplus_api)
    outbox = next(r for r in faxplus_api.resources if r.attr_name == "outbox")
    text = (GENERATED / "faxplus" / "faxplus" / "resources" / "outbox.py").read_text("utf-8")
    runtime = modules_of_resource(modules, outbox)
    assert runtime == {modules.module_of["Error"]: ["Error"]}
    for module in runtime:
        assert f"\nfrom ..models.{module} import" in text
    # What the resource names only in annotations and result lambdas: for type checkers.
    assert "\nif TYPE_CHECKING:\n    from ..models._outbox import Outbox\n" in text
    assert "lambda: Outbox," in text
    assert "from ..models import" not in text


def run_python(code: str, pythonpath: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


IMPORT_BOTH_WAYS = """
import importlib, json, sys
from {package} import models
names = list(models.__all__)
both = []
for name in names:
    direct = getattr(importlib.import_module("{package}.models"), name)
    scope = {{}}
    exec(f"from {package}.models import {{name}} as found", scope)
    both.append(scope["found"] is direct is getattr(models, name))
print(json.dumps([names, all(both), sorted(dir(models))[:0]]))
"""


def test_every_model_is_importable_both_ways(faxplus_api: Api) -> None:
    names, same, _ = json.loads(
        run_python(IMPORT_BOTH_WAYS.format(package="faxplus"), GENERATED / "faxplus")
    )
    assert names == sorted(d.name for d in faxplus_api.definitions)
    assert same
    missing = run_python(
        "from faxplus import models\ntry:\n    models.NoSuchModel\nexcept AttributeError:\n"
        "    print('missing')\n",
        GENERATED / "faxplus",
    )
    assert missing.strip() == "missing"


CALL = """
import json, sys
import httpx
from {package} import {client}
body = json.loads({body!r})
transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
client = {client}(base_url="http://api.test", http_client=httpx.Client(transport=transport), **{credentials!r})
result = getattr(client.{resource}, {operation!r})(**{arguments!r})
assert type(result).__name__ != "dict"
print(json.dumps(sorted(m for m in sys.modules if m.startswith("{package}.models."))))
"""


def loaded_model_modules(
    api: Api, package: str, output: Path, method: str, path: str
) -> tuple[list[str], str]:
    from tests.corpus_samples import from_type

    definitions = {d.name: d for d in api.definitions}
    resource, op = next(
        (r, op)
        for r in api.resources
        for op in r.operations
        if op.method == method and op.path == path
    )
    code = CALL.format(
        package=package,
        client=api.client_name,
        body=json.dumps(from_type(op.result_type, definitions)),
        credentials={a.py_name: "x" for a in api.client_arguments},
        resource=resource.attr_name,
        operation=op.py_name,
        arguments={p.py_name: from_type(p.type, definitions) for p in op.parameters if p.required},
    )
    loaded = json.loads(run_python(code, output))
    return [m.rsplit(".", 1)[1] for m in loaded], resource.attr_name


def answer_modules(api: Api, modules: ModelModules, method: str, path: str) -> set[str]:
    """The modules of the definitions an operation's answer can hold (the lazily imported ones)."""
    refs = {d.name: references(d) for d in api.definitions}
    op = next(
        op for r in api.resources for op in r.operations if (op.method, op.path) == (method, path)
    )
    pending, seen = list(named_in(op.result_type)), set()
    while pending:
        name = pending.pop()
        if name in refs and name not in seen:
            seen.add(name)
            pending.extend(refs[name])
    return {modules.module_of[name] for name in seen}


def test_a_call_imports_only_its_resources_model_modules(faxplus_api: Api) -> None:
    modules = model_modules(faxplus_api)
    loaded, resource = loaded_model_modules(
        faxplus_api,
        "faxplus",
        GENERATED / "faxplus",
        "GET",
        "/accounts/{user_id}/outbox/{outbox_fax_id}",
    )
    assert "_outbox" in loaded
    answer = answer_modules(
        faxplus_api, modules, "GET", "/accounts/{user_id}/outbox/{outbox_fax_id}"
    )
    assert all(resource in modules.users[m] or m in answer for m in loaded), loaded
    assert "accounts" not in loaded and "_unreferenced" not in loaded


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_a_github_call_imports_a_small_part_of_the_models(tmp_path: Path) -> None:
    spec = CORPUS / "github-api.github.com.json"
    generate_client(spec, tmp_path, package_name="gh", formatter="none")
    api = api_of(spec, "gh")
    modules = model_modules(api)
    loaded, resource = loaded_model_modules(api, "gh", tmp_path, "GET", "/repos/{owner}/{repo}")
    answer = answer_modules(api, modules, "GET", "/repos/{owner}/{repo}")
    assert loaded and all(resource in modules.users[m] or m in answer for m in loaded), loaded
    in_loaded = sum(1 for module in modules.module_of.values() if module in loaded)
    assert in_loaded < len(modules.module_of) // 6, in_loaded


USER_SCRIPT = """
from faxplus import models
from faxplus.models import Outbox, OutboxStatus

fax: models.Outbox = Outbox.model_validate({"id": "1"})
status: OutboxStatus = fax.status
name: str = models.OutboxComment().text
"""


def test_models_are_typed_both_ways_for_mypy_strict(tmp_path: Path) -> None:
    script = tmp_path / "user.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "from faxplus import models\nfrom faxplus.models import Outbox\n"
        "x: int = Outbox.model_validate({}).id\ny = models.NoSuchModel\n",
        encoding="utf-8",
    )
    env = {**os.environ, "MYPYPATH": str(GENERATED / "faxplus")}
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(REPO / ".mypy_cache")]
    ok = subprocess.run(
        [*command, str(script)], env=env, capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = subprocess.run(
        [*command, str(wrong)], env=env, capture_output=True, text=True, check=False
    )
    assert 'Module has no attribute "NoSuchModel"' in bad.stdout, bad.stdout
    assert "Incompatible types in assignment" in bad.stdout, bad.stdout


HINTS = """
import importlib, inspect, json, os, pkgutil, typing
import faxplus.resources
checked = 0
for info in pkgutil.iter_modules(faxplus.resources.__path__):
    module = importlib.import_module("faxplus.resources." + info.name)
    for cls in [c for c in vars(module).values() if inspect.isclass(c) and c.__module__ == module.__name__]:
        for method in [f for f in vars(cls).values() if inspect.isfunction(f)]:
            # `FileTypes` carries the forward reference "os.PathLike[str]" (the runtime's _types.py).
            typing.get_type_hints(method, globalns={"os": os, **vars(module)})
            checked += 1
print(checked)
"""


def test_resource_signatures_resolve_at_runtime() -> None:
    """Introspection (`typing.get_type_hints`, as the corpus tests and frameworks do) sees the
    models a resource's signatures name: the resource imports them, not only for type checkers."""
    assert int(run_python(HINTS, GENERATED / "faxplus")) > 30


def test_a_long_result_type_is_imported_rather_than_written_in_a_lambda(faxplus_api: Api) -> None:
    """`lambda: X,` must stay on one line (black and ruff split longer lambdas differently); a
    longer result type is an ordinary runtime import of its resource module."""
    api = copy.deepcopy(faxplus_api)
    outbox = next(r for r in api.resources if r.attr_name == "outbox")
    op = next(op for op in outbox.operations if op.result_type == Named("Outbox"))
    assert result_in_lambda(op)
    op.result_type = UnionOf(
        tuple(Named(n) for n in ("Outbox", "OutboxList", "SendFaxResponse") * 8)
    )
    assert not result_in_lambda(op)
    modules = model_modules(api)
    assert "Outbox" in runtime_names(modules, outbox)
