"""Breadth proof (issue 4): every public spec of ../shared/corpus becomes a working, typed client.

Per spec, generated once per test session into a temporary directory:
- generation succeeds (lenient mode: spec problems are warnings);
- every generated module imports;
- `mypy --strict` passes on the package (one shared cache directory for all specs);
- ruff's pyflakes, pycodestyle, isort and bugbear rules find nothing in it;
- black would change nothing in it (most of it never went through black: see formatter.py), and
  generated with `--formatter ruff`, ruff would change nothing either;
- every operation builds its request through `httpx.MockTransport` and parses a success
  response synthesized from the spec's own schema for that response.

Each spec is generated once per run, whichever worker reaches it first (a file lock guards it).
"""

from __future__ import annotations

import fcntl
import gc
import importlib
import inspect
import os
import subprocess
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import CORPUS, REPO, black_changes, generate_client, lint_problems

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")

NOT_SPECS = {"MANIFEST.tsv", "external-shared.json"}
MYPY_CACHE = REPO / ".mypy_cache_corpus"
BASE_URL = "http://api.test/base"
STANDARD_CLIENT_ARGS = frozenset(
    {
        "base_url",
        "oauth",  # OAuth2 credentials (issue 13), not a string credential
        "timeout",
        "max_retries",
        "default_headers",
        "http_client",
        "verify",
        "follow_redirects",
        "server_variables",
        "base_url_for_all_operations",
        "hooks",
    }
)


def corpus_specs() -> list[str]:
    if not CORPUS.is_dir():
        return []
    files = [p for p in CORPUS.iterdir() if p.is_file() and p.name not in NOT_SPECS]
    # Biggest first, so the two workers start on the slow ones and finish together.
    return [p.name for p in sorted(files, key=lambda p: (-p.stat().st_size, p.name))]


def package_for(spec: str) -> str:
    stem = spec.rsplit(".", 1)[0]
    return "c_" + "".join(c if c.isalnum() else "_" for c in stem.lower())


@dataclass
class Generated:
    spec: str
    package: str
    output: Path
    error: str = ""
    _model: tuple[Any, Any] | None = None

    def model(self) -> tuple[Any, Any]:
        """(Api, SpecSource) of the spec, built in this process on first use."""
        if self._model is None:
            self._model = model_of(CORPUS / self.spec, self.package)
        return self._model


@pytest.fixture(scope="session")
def corpus_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One directory for every worker of the run: a spec is generated once, by whichever worker
    gets to it first (the others wait on its lock and reuse the output)."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "corpus"
    root.mkdir(exist_ok=True)
    return root


def generate_once(spec: str, root: Path) -> Generated:
    package = package_for(spec)
    result = Generated(spec, package, root / package)
    done = root / f"{package}.done"
    with open(root / f"{package}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            try:
                generate_client(CORPUS / spec, result.output, package_name=package)
                done.write_text("", encoding="utf-8")
            except Exception as exc:  # noqa: BLE001 - shown by test_generates
                done.write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
        result.error = done.read_text(encoding="utf-8")
    return result


SPECS = [pytest.param(s, marks=pytest.mark.xdist_group(s), id=s) for s in corpus_specs()]

# Indirect and module-scoped: within a worker, pytest runs the tests of one spec together, so the
# spec's model and modules are loaded once and dropped before the next spec (memory, and the
# garbage collector's work, do not grow with every big spec a worker has seen).
per_spec = pytest.mark.parametrize("built", SPECS, indirect=True, scope="module")


@pytest.fixture(scope="module")
def built(request: pytest.FixtureRequest, corpus_out: Path) -> Iterator[Generated]:
    result = generate_once(request.param, corpus_out)
    sys.path.insert(0, str(result.output))
    yield result
    sys.path.remove(str(result.output))
    for name in [
        m for m in sys.modules if m == result.package or m.startswith(result.package + ".")
    ]:
        del sys.modules[name]
    _ADAPTERS.clear()
    result._model = None
    gc.collect()


def model_of(spec: Path, package: str) -> tuple[Any, Any]:
    from generator.config import ClientConfig
    from generator.model.builder import build_api
    from generator.spec.read import read_spec

    source, _ = read_spec(spec, lambda source: None)  # the spec stage, without validation
    api, _ = build_api(source, ClientConfig(spec=spec, output=Path("unused"), package_name=package))
    return api, source


def ready(result: Generated) -> Generated:
    if result.error:
        pytest.fail(f"generation failed: {result.error}")
    return result


@per_spec
def test_generates(built: Generated) -> None:
    assert not built.error, built.error
    assert (built.output / built.package / "py.typed").is_file()


@per_spec
def test_every_module_imports(built: Generated) -> None:
    result = ready(built)
    package_dir = result.output / result.package
    modules = sorted(
        ".".join(p.relative_to(result.output).with_suffix("").parts).removesuffix(".__init__")
        for p in package_dir.rglob("*.py")
    )
    assert modules
    for name in modules:
        importlib.import_module(name)


@per_spec
def test_mypy_strict(built: Generated) -> None:
    result = ready(built)
    MYPY_CACHE.mkdir(exist_ok=True)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(MYPY_CACHE),
            "-p",
            result.package,
        ],
        cwd=result.output,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": str(result.output)},
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]


@per_spec
def test_black_would_change_nothing(built: Generated) -> None:
    result = ready(built)
    changes = black_changes(result.output / result.package)
    assert not changes, "\n".join(changes[:3])


@per_spec
def test_lint_clean(built: Generated) -> None:
    """Users lint whole repositories: no unused or unsorted import, nothing pyflakes, pycodestyle
    or bugbear would report (issue 11)."""
    result = ready(built)
    problems = lint_problems(result.output / result.package)
    assert not problems, problems[-4000:]


@per_spec
def test_ruff_would_change_nothing_in_the_ruff_formatted_client(
    built: Generated, tmp_path: Path
) -> None:
    from generator.format.formatter import _ruff_binary
    from generator.style import ruff_config

    ready(built)
    generate_client(
        CORPUS / built.spec, tmp_path / "out", package_name=built.package, formatter="ruff"
    )
    config = tmp_path / "ruff.toml"
    config.write_text(ruff_config(), encoding="utf-8")
    package = tmp_path / "out" / built.package
    done = subprocess.run(
        [
            _ruff_binary(),
            "format",
            "--check",
            "--diff",
            "--config",
            str(config),
            "--no-cache",
            str(package),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


@per_spec
def test_every_operation_round_trips(built: Generated) -> None:
    from tests.corpus_samples import SchemaSampler

    result = ready(built)
    api, source = result.model()
    package = importlib.import_module(result.package)
    client_class = getattr(package, api.client_name)
    sampler = SchemaSampler(_resolver(source))
    definitions = {d.name: d for d in api.definitions}
    failures: list[str] = []
    for resource in api.resources:
        for op in resource.operations:
            try:
                _round_trip(client_class, resource, op, result, sampler, definitions)
            except Exception as exc:  # noqa: BLE001 - collected, all reported at once
                text = " ".join(str(exc).split())[:600]
                failures.append(
                    f"{op.method} {op.path} ({resource.attr_name}.{op.py_name}): "
                    f"{type(exc).__name__}: {text}"
                )
    assert not failures, (
        f"{len(failures)} of {len(api.operations)} operations failed:\n" + "\n".join(failures[:40])
    )


# ---- one operation -------------------------------------------------------------------------------


def _resolver(source: Any) -> Any:
    from generator.spec.refs import RefResolver

    return RefResolver(source)


def _client_kwargs(client_class: type) -> dict[str, Any]:
    signature = inspect.signature(client_class.__init__)
    kwargs: dict[str, Any] = {}
    for name in signature.parameters:
        if name == "self" or name in STANDARD_CLIENT_ARGS:
            continue
        kwargs[name] = "secret-" + name
    return kwargs


def _success(op: Any) -> tuple[str, Any]:
    """The response the mock answers with: a 2xx one, preferring one with a body of the result kind."""
    candidates = [r for r in op.responses if r.status.startswith("2")] or [
        r for r in op.responses if r.status == "default"
    ]
    for response in candidates:
        for content in response.contents:
            if content.kind == op.result_kind:
                return response.status, content
    return (candidates[0].status if candidates else "200"), None


def _status_code(status: str) -> int:
    return int(status) if status.isdigit() else 200


def _response_schema(result: Generated, op: Any, status: str, media: str) -> tuple[Any, Any] | None:
    from generator.spec.refs import Location, get_at

    source = result.model()[1]
    resolver = _resolver(source)
    op_at = Location(source.root, op.pointer)
    node = get_at(source.root.data, op.pointer)
    responses = node.get("responses") or {}
    key = next((k for k in responses if str(k).upper() == status or str(k).lower() == status), None)
    if key is None:
        return None
    response, at = resolver.deref(responses[key], op_at.child("responses", str(key)))
    content = response.get("content") if isinstance(response, dict) else None
    if not isinstance(content, dict) or not isinstance(content.get(media), dict):
        return None
    return content[media].get("schema"), at.child("content", media, "schema")


def _argument_values(method: Any, op: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    from tests.corpus_samples import from_type

    module = sys.modules[method.__module__]
    # `FileTypes` carries the forward reference "os.PathLike[str]" (see the runtime's _types.py).
    hints = typing.get_type_hints(method, globalns={"os": os, **vars(module)})
    kwargs: dict[str, Any] = {}
    model_types = [(p.py_name, p.type) for p in op.parameters]
    files: set[str] = set()
    if op.body is not None:
        if op.body.fields:
            model_types += [(f.py_name, f.type) for f in op.body.fields]
            files = {f.py_name for f in op.body.fields if f.is_file}
        else:
            model_types.append((op.body.py_name, op.body.type))
            if op.body.kind == "binary":
                files.add(op.body.py_name)
    for name, expr in model_types:
        if name in files:
            kwargs[name] = b"file-content"
            continue
        hint = _without_not_given(hints[name])
        kwargs[name] = _adapter(hint).validate_python(from_type(expr, definitions))
    return kwargs


_ADAPTERS: dict[Any, Any] = {}


def _adapter(hint: Any) -> Any:
    import pydantic

    try:
        return _ADAPTERS.setdefault(hint, pydantic.TypeAdapter(hint))
    except TypeError:  # unhashable annotation
        return pydantic.TypeAdapter(hint)


def _without_not_given(hint: Any) -> Any:
    args = typing.get_args(hint)
    if args and any(getattr(a, "__name__", "") == "NotGiven" for a in args):
        kept = tuple(a for a in args if getattr(a, "__name__", "") != "NotGiven")
        return kept[0] if len(kept) == 1 else typing.Union[kept]  # noqa: UP007 - built at runtime from a tuple
    return hint


def _round_trip(
    client_class: type,
    resource: Any,
    op: Any,
    result: Generated,
    sampler: Any,
    definitions: dict[str, Any],
) -> None:
    import json

    status, content = _success(op)
    seen: list[httpx.Request] = []
    body: bytes = b""
    headers: dict[str, str] = {}
    if content is not None:
        headers["content-type"] = (
            content.media_type if "*" not in content.media_type else "application/json"
        )
        if content.kind == "json":
            found = _response_schema(result, op, status, content.media_type)
            value = sampler.sample(found[0], found[1]) if found is not None else {}
            body = json.dumps(value).encode()
        elif content.kind == "text":
            body = b"plain text"
        else:
            body = b"\x00binary"
    code = _status_code(status)
    if code == 204 or (not body and code == 200 and content is None):
        code = 204 if not body else code

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(code, content=body, headers=headers)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = client_class(
        base_url=BASE_URL, http_client=http, max_retries=0, **_client_kwargs(client_class)
    )
    method = getattr(getattr(client, resource.attr_name), op.py_name)
    kwargs = _argument_values(method, op, definitions)
    parsed = method(**kwargs)
    assert len(seen) == 1, f"{len(seen)} requests sent"
    if op.pagination is not None:  # a paginated operation answers with its first page (issue 12)
        parsed = parsed.response
    request = seen[0]
    assert request.method == op.method
    path, _, fixed_query = op.path.partition("?")  # OpenAI's `/responses?beta=true` keys
    static = path.split("{", 1)[0]
    base = httpx.URL(BASE_URL + "/")
    if op.servers:  # sent to the operation's own server (a relative one under the client's origin)
        base = base.join(op.servers[0].default_url.rstrip("/") + "/")
    sent = f"{request.url.scheme}://{request.url.netloc.decode()}{request.url.path}"
    assert sent.startswith(
        f"{base.scheme}://{base.netloc.decode()}{base.path.rstrip('/')}{static.rstrip('/')}"
    ), f"{request.url} vs {op.path}"
    if fixed_query and "{" not in fixed_query:
        assert fixed_query in str(request.url.query, "ascii"), f"{request.url} vs {op.path}"
    if op.body is not None and op.body.kind == "json" and request.content:
        json.loads(request.content)
    if op.result_kind == "json" and content is not None:
        expected = _top_class(op.result_type, sys.modules[method.__module__])
        if expected is not None:
            assert isinstance(parsed, expected), (
                f"parsed {type(parsed).__name__}, expected {expected.__name__}"
            )
    elif op.result_kind == "binary":
        assert parsed == body


def _top_class(expr: Any, module: Any) -> type | None:
    """The class a parsed result must be, when the result type is one model."""
    from generator.model.types import Named

    if isinstance(expr, Named):
        cls = getattr(module, expr.name, None)
        import pydantic

        if isinstance(cls, type) and issubclass(cls, pydantic.BaseModel):
            return cls
    return None
