"""Spec names never shadow the package's own names (issue 11).

The names a package reserves have one source, `generator.model.naming.RESERVED` (what generated modules
import, from `generator.catalogue.CATALOGUE`; what the templates bind; every name of the runtime;
builtins and keywords). Here:
- every module-level name of every rendered module (the committed clients and the spec below) is
  reserved or is one the spec gave (a model, a resource or client class, an operation's constant),
  and none is bound twice; no class body binds a name its annotations use;
- the catalogue's runtime names exist in the runtime;
- a spec using every reserved name as schema, property, tag, operationId and parameter
  (tests/hostile/cases.py: `reserved_names_spec`) generates, every module imports, and every
  operation sends the request the spec describes, sync and async (httpx.MockTransport).
test_hostile.py also runs it through its audit, black and mypy --strict.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import GENERATED, REPO, generate_client
from hostile.cases import reserved_names_spec

from generator.codegen import imports
from generator.codegen.request_types import RequestTypes
from generator.model import naming

BASE_URL = "http://api.test/base"
RUNTIME = REPO / "templates" / "runtime"
CONSTANT = re.compile(r"_[A-Z0-9_]+")  # an operation's Endpoint, the shared _ERRORS_n / _SECURITY_n


@dataclass
class Package:
    output: Path
    name: str
    api: Any
    spec: dict[str, Any]


@pytest.fixture(scope="module")
def reserved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    from generator.config import ClientConfig
    from generator.model.builder import build_api
    from generator.spec.loader import load_spec

    folder = tmp_path_factory.mktemp("reserved")
    spec = reserved_names_spec()
    (folder / "spec.json").write_text(json.dumps(spec), "utf-8")
    generate_client(folder / "spec.json", folder / "out", package_name="reserved")
    config = ClientConfig(spec=folder / "spec.json", output=folder / "out", package_name="reserved")
    api, _ = build_api(load_spec(folder / "spec.json"), config)
    sys.path.insert(0, str(folder / "out"))
    yield Package(folder / "out", "reserved", api, spec)
    sys.path.remove(str(folder / "out"))
    for module in [m for m in sys.modules if m == "reserved" or m.startswith("reserved.")]:
        del sys.modules[module]


# ---- the names every rendered module binds ------------------------------------------------------


def _rendered_modules(package: Path) -> list[Path]:
    runtime = {p.name for p in RUNTIME.glob("*.py")}
    return [
        p for p in sorted(package.rglob("*.py")) if not (p.parent == package and p.name in runtime)
    ]


def _module_bindings(tree: ast.Module) -> list[str]:
    """Every name bound at module level, as often as it is bound (TYPE_CHECKING blocks included)."""
    names: list[str] = []

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                names.append(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.extend((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.extend(t.id for t in targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.If):
                visit(node.body)
                visit(node.orelse)

    visit(tree.body)
    return names


def _spec_names(api: Any) -> set[str]:
    """The module-level names a spec gives a package: its classes and its clients."""
    names = {d.name for d in api.definitions}
    for resource in api.resources:
        names.update(form.format(resource.class_name) for form in naming.RESOURCE_CLASS_FORMS)
    names.update(form.format(api.client_name) for form in naming.CLIENT_CLASS_FORMS)
    names.update(RequestTypes.of(api).param_names.values())  # params.py's TypedDicts
    return names


def _class_scope_clashes(tree: ast.Module) -> list[str]:
    """Names a class body binds (methods, fields) that an annotation or value in the same body
    uses: there the class attribute hides the module's name (mypy resolves it in class scope)."""
    clashes = []
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        bound: set[str] = set()
        used: set[str] = set()
        for node in cls.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                bound.add(node.name)
                arguments = node.args.args + node.args.kwonlyargs + node.args.posonlyargs
                parts: list[ast.AST | None] = [a.annotation for a in arguments] + [node.returns]
                parts += node.decorator_list
            elif isinstance(node, ast.AnnAssign):
                bound.add(node.target.id if isinstance(node.target, ast.Name) else "")
                parts = [node.annotation, node.value]
            elif isinstance(node, ast.Assign):
                bound.update(t.id for t in node.targets if isinstance(t, ast.Name))
                parts = [node.value]
            else:
                continue
            used.update(
                n.id
                for part in parts
                if part is not None
                for n in ast.walk(part)
                if isinstance(n, ast.Name)
            )
        clashes += [f"class {cls.name}: {name}" for name in sorted(bound & used)]
    return clashes


def _binding_problems(package: Path, api: Any) -> list[str]:
    allowed = naming.RESERVED | _spec_names(api)
    problems = []
    for path in _rendered_modules(package):
        tree = ast.parse(path.read_text("utf-8"))
        bound = _module_bindings(tree)
        where = path.relative_to(package).as_posix()
        problems += [
            f"{where}: {name} bound twice"
            for name in sorted({n for n in bound if bound.count(n) > 1})
        ]
        problems += [
            f"{where}: {name} is neither reserved nor the spec's"
            for name in sorted(set(bound))
            if name not in allowed and not CONSTANT.fullmatch(name)
        ]
        problems += [f"{where}: {clash}" for clash in _class_scope_clashes(tree)]
    return problems


def _committed_api(client: str) -> Any:
    from generator.config import load_config_file
    from generator.model.builder import build_api
    from generator.spec.loader import load_spec

    config = next(c for c in load_config_file(REPO / "pyproject.toml") if c.package_name == client)
    return build_api(load_spec(config.spec), config)[0]


@pytest.mark.parametrize("client", ["faxplus", "faxplus_outbox"])
def test_committed_clients_bind_only_reserved_or_spec_names(client: str) -> None:
    problems = _binding_problems(GENERATED / client / client, _committed_api(client))
    assert not problems, "\n".join(problems[:40])


def test_reserved_names_spec_binds_only_reserved_or_spec_names(reserved: Package) -> None:
    problems = _binding_problems(reserved.output / reserved.name, reserved.api)
    assert not problems, "\n".join(problems[:40])


def test_catalogue_names_exist_in_the_runtime() -> None:
    for name, origin in imports.CATALOGUE.items():
        if origin.module.startswith("."):
            module = RUNTIME / (origin.module.lstrip(".") + ".py")
            assert origin.member in naming._bound_at_top(
                ast.parse(module.read_text("utf-8")).body
            ), name


def test_spec_names_that_are_reserved_are_renamed(reserved: Package) -> None:
    """Every reserved name became a class of its own under another name (deterministically)."""
    classes = {d.name for d in reserved.api.definitions}
    assert not classes & naming.RESERVED
    assert "EndpointModel" in classes and "FileContentModel" in classes
    resources = {r.class_name for r in reserved.api.resources}
    assert "EndpointResource" in resources
    for resource in reserved.api.resources:
        for op in resource.operations:
            assert op.py_name not in naming.RESOURCE_ATTRIBUTES
            assert not {p.py_name for p in op.parameters} & naming.PARAMETER_RESERVED


# ---- the package works ------------------------------------------------------------------------------


def test_every_module_imports(reserved: Package) -> None:
    package = reserved.output / reserved.name
    for path in sorted(package.rglob("*.py")):
        module = ".".join(path.relative_to(reserved.output).with_suffix("").parts).removesuffix(
            ".__init__"
        )
        importlib.import_module(module)
    models = importlib.import_module("reserved.models")
    for definition in reserved.api.definitions:
        value = getattr(models, definition.name)
        if hasattr(value, "model_rebuild"):
            value.model_rebuild(force=True)  # every annotation resolves to what it should


def _schema_value(name: str) -> dict[str, Any]:
    return {name: "text", "at": "2024-05-06T07:08:09Z", "day": "2024-05-06", "kind": "a"}


@dataclass
class Call:
    resource: str
    method: str
    kwargs: dict[str, Any]
    http_method: str
    path: str
    query: dict[str, str]
    check_body: Any  # (request) -> None
    answer: Any  # JSON the server answers with
    result_class: str  # the model class the parsed answer is (an item of it for lists and maps)


def _calls(package: Package) -> list[Call]:
    """Each operation of the spec, with the request it must send, from the spec's own words; the
    Python names of the arguments come from the model."""
    models = importlib.import_module("reserved.models")
    operations = {
        (op.method, op.path): (resource, op)
        for resource in package.api.resources
        for op in resource.operations
    }
    calls = []
    for n, (path, item) in enumerate(package.spec["paths"].items()):
        name = item["parameters"][0]["name"]
        url = f"/base/r{n}/value-{n}"
        for method, operation in ((m, o) for m, o in item.items() if m != "parameters"):
            resource, op = operations[(method.upper(), path)]
            arguments = {
                p.name if p.location != "query" else "?" + p.name: p.py_name for p in op.parameters
            }
            kwargs: dict[str, Any] = {arguments[name]: f"value-{n}"}
            query: dict[str, str] = {}
            model_class = next(
                d.name
                for d in package.api.definitions
                if d.pointer == f"/components/schemas/{name}"
            )
            if method == "post":
                kwargs[arguments["?" + name]] = "q v"
                query[name] = "q v"
                if op.body.fields:  # a flattened object body: its properties as arguments
                    fields = {f.json_name: f.py_name for f in op.body.fields}
                    kwargs.update({fields[k]: v for k, v in _schema_value(name).items()})
                else:
                    body = getattr(models, model_class).model_validate(_schema_value(name))
                    kwargs[op.body.py_name] = body

                def check(request: httpx.Request, name: str = name) -> None:
                    assert request.headers["content-type"] == "application/json"
                    assert json.loads(request.content) == _schema_value(name)

                answer: Any = _schema_value(name)
            elif method == "put":
                fields = {f.json_name: f.py_name for f in op.body.fields}
                kwargs[fields[name]] = ("scan.pdf", b"%PDF-1", "application/pdf")
                kwargs[fields["notes"]] = ["a", "b"]

                def check(request: httpx.Request, name: str = name) -> None:
                    assert request.headers["content-type"].startswith(
                        "multipart/form-data; boundary="
                    )
                    assert f'name="{name}"; filename="scan.pdf"'.encode() in request.content
                    assert b"%PDF-1" in request.content and b'name="notes"' in request.content

                answer = [_schema_value(name)]
            else:
                kwargs[op.body.py_name] = b"\x00raw bytes"

                def check(request: httpx.Request) -> None:
                    assert request.headers["content-type"] == "application/octet-stream"
                    assert request.content == b"\x00raw bytes"

                answer = {"key": _schema_value(name)}
            calls.append(
                Call(
                    resource.attr_name,
                    op.py_name,
                    kwargs,
                    method.upper(),
                    url,
                    query,
                    check,
                    answer,
                    model_class,
                )
            )
    return calls


def _unwrap(parsed: Any) -> Any:
    if isinstance(parsed, list):
        return parsed[0]
    if isinstance(parsed, dict):
        return parsed["key"]
    return parsed


def _checked(call: Call, seen: list[httpx.Request]) -> None:
    assert len(seen) == 1, f"{call.method}: {len(seen)} requests"
    request = seen.pop()
    assert request.method == call.http_method
    assert request.url.path == call.path, (call.method, request.url.path, call.path)
    assert dict(request.url.params) == call.query
    call.check_body(request)


def test_every_operation_sends_its_request_sync(reserved: Package) -> None:
    package = importlib.import_module("reserved")
    calls = _calls(reserved)
    assert len(calls) == sum(len(item) - 1 for item in reserved.spec["paths"].values())
    seen: list[httpx.Request] = []
    answers: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(200, json=answers[-1])

    client = getattr(package, reserved.api.client_name)(
        base_url=BASE_URL, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    models = importlib.import_module("reserved.models")
    for call in calls:
        answers.append(call.answer)
        parsed = getattr(getattr(client, call.resource), call.method)(**call.kwargs)
        _checked(call, seen)
        assert isinstance(_unwrap(parsed), getattr(models, call.result_class)), call.method


def test_every_operation_sends_its_request_async(reserved: Package) -> None:
    package = importlib.import_module("reserved")
    calls = _calls(reserved)
    seen: list[httpx.Request] = []
    answers: list[Any] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        await request.aread()
        seen.append(request)
        return httpx.Response(200, json=answers[-1])

    models = importlib.import_module("reserved.models")

    async def run() -> None:
        async with getattr(package, "Async" + reserved.api.client_name)(
            base_url=BASE_URL, http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler))
        ) as client:
            for call in calls:
                answers.append(call.answer)
                parsed = await getattr(getattr(client, call.resource), call.method)(**call.kwargs)
                _checked(call, seen)
                assert isinstance(_unwrap(parsed), getattr(models, call.result_class)), call.method

    asyncio.run(run())


def test_a_configured_client_name_keeps_its_name_and_a_reserved_one_is_refused(
    tmp_path: Path,
) -> None:
    import contextlib
    import io

    from generator.cli import main as cli

    spec = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Shop": {"type": "object", "properties": {"a": {"type": "string"}}},
                "AsyncShop": {"type": "object", "properties": {"b": {"type": "string"}}},
            }
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec), "utf-8")

    def run(client_name: str) -> tuple[int, str]:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(
                [
                    "generate",
                    str(tmp_path / "spec.json"),
                    "-o",
                    str(tmp_path / client_name),
                    "--package-name",
                    "shop",
                    "--client-name",
                    client_name,
                ]
            )
        return code, err.getvalue()

    code, _ = run("Shop")
    assert code == 0
    models = "".join(
        p.read_text("utf-8") for p in sorted((tmp_path / "Shop" / "shop" / "models").glob("*.py"))
    )
    assert "class Shop(" not in models and "class AsyncShop(" not in models  # the schemas gave way
    for taken in ("SyncAPIClient", "Endpoint", "NotFoundError"):
        code, err = run(taken)
        assert code == 2 and "is a name the generated package uses itself" in err, err
