"""Issue 16: the generated models are split by the resources that reach them, so a call imports
only its resource's model modules; every model stays importable (and typed) from `<pkg>.models`."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.codegen.model_modules import ModelModules, model_modules, modules_of_resource
from generator.model.api import Api
from generator.model.types import Named
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
        else:
            assert module == "_unreferenced"
    assert modules.module_of["Outbox"] == "outbox"  # only the outbox operations meet it
    assert modules.users[modules.module_of["Error"]] == {r.attr_name for r in faxplus_api.resources}


def _assert_acyclic_towards_more_users(modules: ModelModules) -> None:
    for module, imported in modules.imports.items():
        for other in imported:
            assert modules.users[other] > modules.users[module], (module, other)


def test_modules_import_only_modules_of_strictly_more_users(faxplus_api: Api) -> None:
    modules = model_modules(faxplus_api)
    assert modules.imports  # Fax.Plus's resource models use shared ones
    _assert_acyclic_towards_more_users(modules)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
@pytest.mark.parametrize("spec", ["stripe-spec3.yaml", "kubernetes-swagger.json"])
def test_deep_cycles_stay_inside_one_module(spec: str) -> None:
    """Stripe and Kubernetes have deep reference cycles: they must not become import cycles."""
    modules = model_modules(api_of(CORPUS / spec, "c"))
    _assert_acyclic_towards_more_users(modules)


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
    for module in modules_of_resource(modules, outbox):
        assert f"from ..models.{module} import" in text
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


def test_a_call_imports_only_its_resources_model_modules(faxplus_api: Api) -> None:
    modules = model_modules(faxplus_api)
    loaded, resource = loaded_model_modules(
        faxplus_api,
        "faxplus",
        GENERATED / "faxplus",
        "GET",
        "/accounts/{user_id}/outbox/{outbox_fax_id}",
    )
    assert "outbox" in loaded
    assert all(resource in modules.users[m] for m in loaded), loaded
    assert "accounts" not in loaded and "_unreferenced" not in loaded


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_a_github_call_imports_a_small_part_of_the_models(tmp_path: Path) -> None:
    spec = CORPUS / "github-api.github.com.json"
    generate_client(spec, tmp_path, package_name="gh", formatter="none")
    api = api_of(spec, "gh")
    modules = model_modules(api)
    loaded, resource = loaded_model_modules(api, "gh", tmp_path, "GET", "/repos/{owner}/{repo}")
    assert loaded and all(resource in modules.users[m] for m in loaded), loaded
    in_loaded = sum(1 for module in modules.module_of.values() if module in loaded)
    assert in_loaded < len(modules.module_of) // 3


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
