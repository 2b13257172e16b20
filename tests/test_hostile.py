"""Hostile specs cannot inject code (issue 7).

Every case of tests/hostile/cases.py is generated through the command line's entry point. Then:
- generation succeeded (exit 0) or failed cleanly (exit 2, located messages, no traceback);
- every generated module parses, and its calls, imports, decorators and base classes are all
  things the templates write (an allow-list: anything else fails);
- the runtime modules are byte-for-byte the shipped ones (a spec cannot touch them);
- importing the package, its models and resources, rebuilding every model (pydantic evaluates
  the annotations) and building the client in a fresh interpreter runs no spec-supplied code:
  every payload would create a sentinel file, which must never appear;
- the packages pass mypy --strict (one batched run).
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import keyword
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import tomllib
from conftest import GENERATED, REPO, black_changes, lint_problems
from hostile.cases import CASES

pytestmark = pytest.mark.xdist_group("hostile")

LOCATED = re.compile(r"^.+:\d+:\d+: (error|warning): .+$")

# ---- what the templates write --------------------------------------------------------------------

ALLOWED_IMPORTS: dict[str, set[str]] = {
    "__future__": {"annotations"},
    "importlib": set(),
    "os": set(),
    "datetime": set(),
    "typing": {
        "TYPE_CHECKING",
        "Annotated",
        "Any",
        "ClassVar",
        "Dict",
        "List",
        "Literal",
        "Mapping",
        "Sequence",
        "TypeAlias",
        "cast",
    },
    "typing_extensions": {"Required", "TypedDict"},
    "functools": {"cached_property"},
    "httpx": set(),
    "pydantic": {"Field"},
    "._base_client": {
        "DEFAULT_MAX_RETRIES",
        "AsyncAPIClient",
        "ClientSpec",
        "Scheme",
        "Server",
        "ServerVariable",
        "SyncAPIClient",
    },
    ".._base_client": {"AsyncAPIClient", "Endpoint", "Server", "ServerVariable", "SyncAPIClient"},
    ".._encoding": {"PartEncoding"},
    "._types": {"NOT_GIVEN", "NotGiven", "TimeoutTypes", "FileTypes", "RequestOptions"},
    ".._types": {"FileContent", "FileTypes", "NOT_GIVEN", "NotGiven", "RequestOptions"},
    "._models": {"BaseModel", "DateTime", "OpenIntEnum", "OpenStrEnum"},
    "._wire_model": {"WireModel"},
    ".._models": {
        "BaseModel",
        "DateTime",
        "OpenIntEnum",
        "OpenStrEnum",
        "lazy_exports",
    },  # resources; models/* (models/__init__: lazy_exports)
    ".._wire_model": {"WireModel"},
    ".._resource": {"AsyncAPIResource", "SyncAPIResource"},
    "._response": {"APIResponse", "AsyncAPIResponse"},
    ".._response": {
        "APIResponse",
        "AsyncAPIResponse",
        "async_to_raw_response_wrapper",
        "async_to_streamed_response_wrapper",
        "to_raw_response_wrapper",
        "to_streamed_response_wrapper",
    },
    "._exceptions": {
        "APIError",
        "APIConnectionError",
        "APITimeoutError",
        "APIResponseValidationError",
        "APIStatusError",
        "BadRequestError",
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "ConflictError",
        "UnprocessableEntityError",
        "RateLimitError",
        "InternalServerError",
    },
}
# Modules whose imported names are the package's own classes (checked to be defined there).
OWN_MODULES = ("..models", "._client", ".resources.", "..params", ".models")
# Runtime names resource modules import under private names (a spec may have models so named).
ALLOWED_ALIASES = {
    ("Server", "_Server"),
    ("ServerVariable", "_ServerVariable"),
    ("PartEncoding", "_PartEncoding"),
    ("lazy_exports", "_lazy_exports"),
}
ALLOWED_CALLS = {
    "cast",
    "TypedDict",  # params.py: the functional form, for keys that are no identifiers
    "Field",
    "float",
    "Server",
    "ServerVariable",
    "_Server",
    "_ServerVariable",
    "_PartEncoding",
    "ClientSpec",
    "Scheme",
    "super",
    "super().__init__",
    "self._client.request",
    "importlib.import_module",
    "getattr",
    "globals",
    "AttributeError",
    "_LAZY.get",
    "_lazy_exports",
    "sorted",
    "list",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
}
ALLOWED_BASES = {
    "TypedDict",
    "BaseModel",
    "WireModel",
    "OpenStrEnum",
    "OpenIntEnum",
    "SyncAPIClient",
    "AsyncAPIClient",
    "SyncAPIResource",
    "AsyncAPIResource",
}
ALLOWED_DECORATORS = {"cached_property"}
ALLOWED_FUNCTIONS_AT_TOP = {"__getattr__", "__dir__"}  # the package's lazy __init__
FORBIDDEN_NODES = (
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.NamedExpr,
    ast.Global,
    ast.Nonlocal,
    ast.Delete,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.While,
    ast.For,
    ast.AsyncFor,
    ast.Yield,
    ast.YieldFrom,
)


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{dotted(node.func)}()"
    return f"<{type(node).__name__}>"


def own_classes(package: Path) -> set[str]:
    names: set[str] = set()
    for path in package.rglob("*.py"):
        if (
            path.parent == package
            and path.name.startswith("_")
            and path.name not in ("__init__.py", "_client.py")
        ):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        names |= {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
        if (
            path.parent.name == "models" and path.name != "__init__.py"
        ):  # aliases: `Name = annotation`
            names |= {
                t.id
                for n in tree.body
                if isinstance(n, ast.Assign)
                for t in n.targets
                if isinstance(t, ast.Name)
            }
    return names


def _names_a_type(node: ast.Lambda, classes: set[str]) -> bool:
    """A lambda of no arguments whose body is a type: generated classes, in unions and generics."""
    if node.args.args or node.args.vararg or node.args.kwarg or node.args.kwonlyargs:
        return False
    for part in ast.walk(node.body):
        if isinstance(part, ast.Name) and part.id not in classes | TYPE_NAMES:
            return False
        if not isinstance(
            part, (ast.Name, ast.Subscript, ast.BinOp, ast.BitOr, ast.Tuple, ast.Load)
        ):
            return False
    return True


TYPE_NAMES = {"list", "dict", "str", "int", "float", "bool", "bytes", "Any", "List", "Dict", "None"}


def audit_module(path: Path, text: str, classes: set[str]) -> list[str]:
    """Everything in a rendered module that the templates do not write."""
    problems: list[str] = []
    tree = ast.parse(text, filename=str(path))
    compile(
        tree, str(path), "exec"
    )  # the symbol table's checks too: duplicate arguments and the like
    for node in ast.walk(tree):
        where = f"{path.name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Lambda) and _names_a_type(node, classes):
            continue  # an Endpoint's result, resolved on its first call: `lambda: Customer`
        if isinstance(node, FORBIDDEN_NODES):
            problems.append(f"{where}: {type(node).__name__}")
        elif isinstance(node, ast.Call):
            name = dotted(node.func)
            if name not in ALLOWED_CALLS and name not in classes:
                problems.append(f"{where}: call {name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name not in ALLOWED_IMPORTS or alias.asname not in (None, "_dt"):
                    problems.append(f"{where}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            sibling_model = (
                path.parent.name == "models" and node.level == 1
            )  # models/x.py, models/__init__
            if module.startswith(OWN_MODULES) or module in OWN_MODULES or sibling_model:
                bad = [
                    a.name
                    for a in node.names
                    if a.name not in classes or a.asname not in (None, a.name)
                ]
            else:
                bad = [
                    a.name
                    for a in node.names
                    if a.name not in ALLOWED_IMPORTS.get(module, ())
                    or (
                        a.asname not in (None, a.name, "_" + a.name)
                        and (a.name, a.asname) not in ALLOWED_ALIASES
                    )
                ]
            if bad:
                problems.append(f"{where}: from {module} import {bad}")
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                if dotted(base) not in ALLOWED_BASES:
                    problems.append(f"{where}: class {node.name} base {dotted(base)}")
            typed_dict = [dotted(b) for b in node.bases] == ["TypedDict"] and [
                (k.arg, getattr(k.value, "value", None)) for k in node.keywords
            ] == [("total", False)]  # params.py: `class XParam(TypedDict, total=False)`
            if (node.keywords and not typed_dict) or node.decorator_list:
                problems.append(f"{where}: class {node.name} keywords/decorators")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                if dotted(decorator) not in ALLOWED_DECORATORS:
                    problems.append(f"{where}: decorator {dotted(decorator)}")
    for (
        statement
    ) in tree.body:  # module level: docstring, imports, assignments, classes, the lazy hooks
        if isinstance(statement, ast.Expr) and not (
            isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)
        ):
            problems.append(f"{path.name}:{statement.lineno}: expression statement")
        elif (
            isinstance(statement, ast.FunctionDef)
            and statement.name not in ALLOWED_FUNCTIONS_AT_TOP
        ):
            problems.append(f"{path.name}:{statement.lineno}: function {statement.name}")
        elif (
            isinstance(statement, ast.If)
            and dotted(statement.test) != "TYPE_CHECKING"
            and not (
                isinstance(statement.test, ast.UnaryOp)
                and dotted(statement.test.operand) == "TYPE_CHECKING"
            )
        ):
            problems.append(f"{path.name}:{statement.lineno}: if {dotted(statement.test)}")
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for statement in cls.body:  # class level: docstring, annotations, assignments, methods
            if isinstance(statement, ast.Expr) and not (
                isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)
            ):
                problems.append(f"{path.name}:{statement.lineno}: expression in class {cls.name}")
            elif not isinstance(
                statement,
                (ast.Expr, ast.AnnAssign, ast.Assign, ast.FunctionDef, ast.AsyncFunctionDef),
            ):
                problems.append(
                    f"{path.name}:{statement.lineno}: {type(statement).__name__} in {cls.name}"
                )
    return problems


def _learn_from_reference() -> None:
    """Templates evolve: what the committed, spec-benign Fax.Plus client uses is allowed too (its
    imports, calls, bases and decorators), so the lists above only need what Fax.Plus lacks. A
    hostile spec still cannot add anything: the reference comes from specs/faxplus.yaml."""
    package = GENERATED / "faxplus" / "faxplus"
    runtime = {p.name for p in (REPO / "templates" / "runtime").glob("*.py")}
    classes = own_classes(package)
    for path in package.rglob("*.py"):
        if path.parent == package and path.name in runtime:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                if not module.startswith(OWN_MODULES):
                    ALLOWED_IMPORTS.setdefault(module, set()).update(a.name for a in node.names)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    ALLOWED_IMPORTS.setdefault(alias.name, set())
            elif isinstance(node, ast.Call) and dotted(node.func) not in classes:
                ALLOWED_CALLS.add(dotted(node.func))
            elif isinstance(node, ast.ClassDef):
                ALLOWED_BASES.update(dotted(b) for b in node.bases if dotted(b) not in classes)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                ALLOWED_DECORATORS.update(dotted(d) for d in node.decorator_list)


_learn_from_reference()


# ---- generating the corpus -------------------------------------------------------------------------


@dataclass
class Generated:
    case: str
    exit_code: int
    stderr: str
    output: Path
    sentinel: Path
    package: str = ""
    expect: str = "ok"
    modules: dict[str, str] = field(default_factory=dict)


def _generate(case: str, base: Path) -> Generated:
    builder, options = CASES[case]
    folder = base / case
    sentinel = folder / "SENTINEL"
    documents = builder(str(sentinel))
    root = None
    for rel, document in documents.items():
        target = folder / "in" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(document, str):  # raw text (YAML)
            text = document
        else:
            text = json.dumps(document, ensure_ascii=False, indent=1)  # non-ASCII as UTF-8 ...
            try:
                text.encode("utf-8")
            except (
                UnicodeEncodeError
            ):  # ... unless there are lone surrogates: those only as \ud800 escapes
                text = json.dumps(document, indent=1)
        target.write_text(text, "utf-8")
        root = root or target
    assert root is not None
    output = folder / "out"
    argv = ["generate", str(root), "-o", str(output), *options.get("cli", [])]
    package = options.get("package", f"hostile_{case}")
    if package is not None:
        argv += ["--package-name", package]
    from generator.cli import main as cli

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(argv)  # an exception escaping here is a crash: the test errors
    result = Generated(
        case, code, err.getvalue(), output, sentinel, expect=options.get("expect", "ok")
    )
    if code == 0:
        inits = [p for p in output.glob("*/__init__.py")]
        assert len(inits) == 1, f"{case}: expected one package in {output}"
        result.package = inits[0].parent.name
        for path in sorted(inits[0].parent.rglob("*.py")):
            result.modules[path.relative_to(output).as_posix()] = path.read_text("utf-8")
    return result


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Generated]:
    base = tmp_path_factory.mktemp("hostile")
    return {case: _generate(case, base) for case in CASES}


# ---- the checks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
def test_generation_succeeds_or_fails_cleanly(corpus: dict[str, Generated], case: str) -> None:
    g = corpus[case]
    assert "Traceback" not in g.stderr
    assert "internal error" not in g.stderr
    assert g.exit_code in (0, 2), f"{case}: exit {g.exit_code}\n{g.stderr}"
    if g.expect == "ok":
        assert g.exit_code == 0, g.stderr
    elif g.expect == "exit2":
        assert g.exit_code == 2, g.stderr
    if g.exit_code == 2:
        lines = [line for line in g.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if ": error: " in line]
        assert errors, g.stderr
        for line in errors:
            assert LOCATED.match(line), f"unlocated error line: {line!r}"
        assert not g.output.exists() or not any(g.output.iterdir()), "a failed run wrote output"
    assert not g.sentinel.exists()


@pytest.mark.parametrize("case", list(CASES))
def test_output_has_only_template_code(corpus: dict[str, Generated], case: str) -> None:
    g = corpus[case]
    if g.exit_code != 0:
        assert g.expect != "ok"
        return
    package = g.output / g.package
    classes = own_classes(package)
    runtime = REPO / "templates" / "runtime"
    problems = []
    for rel, text in g.modules.items():
        name = rel.rsplit("/", 1)[-1]
        if (runtime / name).is_file() and rel.count("/") == 1:
            assert text == (runtime / name).read_text("utf-8"), (
                f"{rel} differs from the shipped runtime"
            )
            continue
        problems += audit_module(Path(rel), text, classes)
    assert not problems, "\n".join(problems[:40])
    # the project file is TOML, not Python: spec text (the title) must not break or extend it
    project = tomllib.loads((g.output / "pyproject.toml").read_text("utf-8"))
    assert set(project) == {"build-system", "project", "tool"}
    assert set(project["project"]) == {
        "name",
        "version",
        "description",
        "readme",
        "requires-python",
        "dependencies",
    }
    assert (
        g.package.isidentifier()
        and not keyword.iskeyword(g.package)
        and not g.package.startswith("_")
    )
    assert g.package not in sys.stdlib_module_names


IMPORT_SCRIPT = r"""
import importlib, inspect, pkgutil, sys
from functools import cached_property
sys.path.insert(0, sys.argv[1])
name = sys.argv[2]
package = importlib.import_module(name)
for attribute in package.__all__:
    getattr(package, attribute)
models = importlib.import_module(name + ".models")
rebuilt = 0
exported = [getattr(models, n) for n in models.__all__]  # every model module, through the lazy index
classes = [v for v in exported if inspect.isclass(v) and v.__module__.startswith(models.__name__ + ".")]
for value in classes:
    if hasattr(value, "model_rebuild"):
        value.model_rebuild(force=True)  # evaluates every (string) annotation
        rebuilt += 1
resources = importlib.import_module(name + ".resources")
modules = [m.name for m in pkgutil.iter_modules(resources.__path__)]
for module in modules:
    importlib.import_module(f"{name}.resources.{module}")
client_module = importlib.import_module(name + "._client")
for cls_name in client_module.__all__:
    cls = getattr(client_module, cls_name)
    client = cls(base_url="http://127.0.0.1:9")
    for key, value in vars(cls).items():
        if isinstance(value, cached_property):
            getattr(client, key)
print("imported", len(classes), rebuilt, len(modules))
"""


def test_black_would_change_nothing(corpus: dict[str, Generated]) -> None:
    generated = [result for result in corpus.values() if result.exit_code == 0]
    assert len(generated) > len(corpus) // 2
    changes = [c for result in generated for c in black_changes(result.output / result.package)]
    assert not changes, "\n".join(changes[:3])


def test_lint_clean(corpus: dict[str, Generated]) -> None:
    """Whatever the names and texts, generated code passes ruff's pyflakes, pycodestyle, isort and
    bugbear rules (issue 11)."""
    problems = [lint_problems(g.output / g.package) for g in corpus.values() if g.exit_code == 0]
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)[-4000:]


@pytest.mark.parametrize("case", list(CASES))
def test_import_runs_no_spec_code(corpus: dict[str, Generated], case: str) -> None:
    g = corpus[case]
    if g.exit_code != 0:
        return
    done = subprocess.run(
        # -W error::UserWarning: pydantic's "field shadows an attribute" warnings are naming bugs
        [sys.executable, "-W", "error::UserWarning", "-c", IMPORT_SCRIPT, str(g.output), g.package],
        check=False,
        cwd=g.sentinel.parent,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("imported")
    assert not g.sentinel.exists(), f"{case}: spec-supplied code ran"


def models_text(g: Generated) -> str:
    """Every module of the generated models package, one after the other."""
    return "".join(
        text for path, text in sorted(g.modules.items()) if path.startswith(f"{g.package}/models/")
    )


def test_payload_text_survives_verbatim(corpus: dict[str, Generated]) -> None:
    """Spec text is data: Jinja syntax in a description is not evaluated, and a payload's text
    reaches the docstring (escaped only where Python needs it)."""
    g = corpus["descriptions"]
    models = models_text(g)
    assert "{{ 7 * 7 }}" in models
    assert "{% set x" in models


def test_outside_ref_is_refused_and_not_read(corpus: dict[str, Generated]) -> None:
    """Refused: a located warning, the value typed Any, nothing read; --strict makes it fatal."""
    refused, strict, allowed = (
        corpus[c] for c in ("outside_ref_refused", "outside_ref_strict", "outside_ref_allowed")
    )
    assert refused.exit_code == 0, refused.stderr
    warnings = [
        line for line in refused.stderr.splitlines() if "leaves the spec's directory" in line
    ]
    assert warnings and all(
        LOCATED.match(line) and "--allow-outside-refs" in line for line in warnings
    )
    assert "Thing" not in models_text(refused)
    assert strict.exit_code == 2
    assert any(
        "leaves the spec's directory" in line and ": error: " in line
        for line in strict.stderr.splitlines()
    )
    # allowed: the referenced schema becomes a model
    assert allowed.exit_code == 0, allowed.stderr
    assert "class Thing(BaseModel)" in models_text(allowed)


def test_validator_reads_no_outside_file_and_fetches_nothing(tmp_path: Path) -> None:
    """openapi-spec-validator resolves `$ref`s itself; left to its defaults it opens any file and
    fetches any URL. Through oasgen it must read neither (an audit hook watches every open)."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"Thing": {"type": "string"}}')

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (tmp_path / "api").mkdir()
        outside = tmp_path / "outside-secret.json"
        outside.write_text('{"Thing": {"type": "string"}}')
        url = f"http://127.0.0.1:{server.server_address[1]}/remote.json#/Thing"
        responses = {
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {"schema": {"$ref": "../outside-secret.json#/Thing"}}
                },
            },
            "201": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": url}}},
            },
        }
        spec = {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"responses": responses}}},
        }
        (tmp_path / "api" / "spec.json").write_text(json.dumps(spec))
        from generator.spec.loader import load_spec
        from generator.spec.validator import validate

        source = load_spec(tmp_path / "api" / "spec.json")
        opened: list[str] = []
        hook_active = [True]

        def hook(event: str, args: tuple[object, ...]) -> None:
            if hook_active[0] and event == "open" and "outside-secret" in str(args[0]):
                opened.append(str(args[0]))

        sys.addaudithook(hook)  # cannot be removed: deactivated below instead
        try:
            problems = validate(source)
        finally:
            hook_active[0] = False
        messages = [d.message for d in problems]
        assert any("leaves the spec's directory" in m for m in messages), messages
        assert any("remote $ref" in m for m in messages), messages
        assert opened == []
        assert hits == []
        # and the whole generator, lenient and strict
        from generator.cli import main as cli

        for extra in ([], ["--strict"]):
            hook_active[0] = True
            try:
                with (
                    contextlib.redirect_stderr(io.StringIO()),
                    contextlib.redirect_stdout(io.StringIO()),
                ):
                    cli.main(
                        [
                            "generate",
                            str(tmp_path / "api" / "spec.json"),
                            "-o",
                            str(tmp_path / "out"),
                            "--package-name",
                            "fetching",
                            *extra,
                        ]
                    )
            finally:
                hook_active[0] = False
            assert opened == [], extra
            assert hits == [], extra
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_packages_pass_mypy_strict(corpus: dict[str, Generated], tmp_path: Path) -> None:
    """One batched mypy --strict run over every package the corpus produced."""
    generated = [g for g in corpus.values() if g.exit_code == 0]
    expected = [case for case, (_, options) in CASES.items() if options.get("expect", "ok") == "ok"]
    assert all(corpus[case].exit_code == 0 for case in expected)
    # Derived package names can repeat between cases: keep the first of each.
    seen: dict[str, Generated] = {}
    for g in generated:
        seen.setdefault(g.package, g)
    args = []
    for name in seen:
        args += ["-p", name]
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--show-error-codes", *args],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "MYPYPATH": os.pathsep.join(str(g.output) for g in seen.values())},
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]


def test_symlink_out_of_the_spec_directory_is_refused(tmp_path: Path) -> None:
    """A file inside the spec's directory that links outside it counts as outside."""
    (tmp_path / "api").mkdir()
    secret = tmp_path / "secret.json"
    secret.write_text(
        json.dumps({"Thing": {"type": "object", "properties": {"leaked": {"type": "string"}}}})
    )
    (tmp_path / "api" / "inside.json").symlink_to(secret)
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "operationId": "x",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"$ref": "inside.json#/Thing"}}
                            },
                        }
                    },
                }
            }
        },
    }
    (tmp_path / "api" / "spec.json").write_text(json.dumps(spec))
    from generator.cli import main as cli

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(
            [
                "generate",
                str(tmp_path / "api" / "spec.json"),
                "-o",
                str(tmp_path / "out"),
                "--package-name",
                "linked",
                "--strict",
            ]
        )
    assert code == 2, err.getvalue()
    assert "leaves the spec's directory" in err.getvalue()


def test_validator_handlers_refuse_outside_files_and_every_remote_scheme(tmp_path: Path) -> None:
    """Defence in depth under the test above: whatever `$ref` reaches openapi-spec-validator, its
    handlers (generator.spec.refs.validator_handlers) read only what RefResolver may read."""
    from generator.spec.loader import load_spec
    from generator.spec.refs import RefError, validator_handlers

    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "spec.json").write_text(
        json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}})
    )
    (tmp_path / "api" / "inside.json").write_text('{"A": {"type": "string"}}')
    (tmp_path / "outside.json").write_text('{"B": {"type": "string"}}')
    handlers = validator_handlers(load_spec(tmp_path / "api" / "spec.json"))
    inside = (tmp_path / "api" / "inside.json").as_uri()
    assert handlers[inside.split(":")[0]](inside) == {"A": {"type": "string"}}
    for uri in (
        (tmp_path / "outside.json").as_uri(),
        "http://127.0.0.1:9/x.json",
        "https://example.test/x.json",
        "ftp://example.test/x.json",
        "gopher://x/y",
        "data:application/json,{}",
    ):
        scheme = uri.split(":")[0]
        assert scheme in handlers  # claimed, so nothing falls through to urlopen()
        with pytest.raises(RefError):
            handlers[scheme](uri)
    allowed = validator_handlers(load_spec(tmp_path / "api" / "spec.json", allow_outside_refs=True))
    assert allowed["file"]((tmp_path / "outside.json").as_uri()) == {"B": {"type": "string"}}
