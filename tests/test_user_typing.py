"""Where a user stands (issue 11): a script of their own imports every public name of a generated
package (the clients, every exception, NOT_GIVEN and the other types of the package root, every
model, enum and alias, every resource class), uses each as a user would, and passes
`mypy --strict` and pyright in strict mode; then it runs.

The package is installed as a user has it: copied into the site-packages of a fresh virtual
environment (its dependencies come from oasgen's own), and the script lives in a directory of its
own, so neither checker sees the package as part of the user's project. The script is written from
what the package exports, so a name added to the package is checked without touching this test.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from functools import cached_property
from pathlib import Path

import pytest
from conftest import GENERATED, REPO

PYRIGHT = REPO / "node_modules" / "pyright" / "index.js"
CLIENTS = sorted(p.name for p in GENERATED.iterdir() if (p / "pyproject.toml").is_file())

pytestmark = pytest.mark.xdist_group("user_typing")


def installed_environment(root: Path, packages: list[Path]) -> Path:
    """A virtual environment with `packages` in its site-packages; returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # httpx and pydantic: those oasgen's tests run with
    Path(site, "_generated_client_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    for package in packages:
        shutil.copytree(package, Path(site, package.name))
    return python


# ---- the user's script ------------------------------------------------------------------------------


def _models_names(package: str) -> list[str]:
    """The public module-level names of the models module, in their order."""
    module = importlib.import_module(f"{package}.models")
    tree = ast.parse(Path(module.__file__ or "").read_text("utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return [n for n in names if not n.startswith("_")]


def _no_argument_call(resource: type) -> str | None:
    """A method of `resource` that needs no argument (to call it in the script), if there is one."""
    for name, function in inspect.getmembers(resource, inspect.isfunction):
        if name.startswith("_"):
            continue
        parameters = list(inspect.signature(function).parameters.values())[1:]
        if all(p.default is not inspect.Parameter.empty for p in parameters):
            return name
    return None


def user_script(package: str) -> str:
    import enum

    import pydantic

    root = importlib.import_module(package)
    exported = list(root.__all__)
    errors = [
        n
        for n in exported
        if isinstance(getattr(root, n), type) and issubclass(getattr(root, n), Exception)
    ]
    clients = [
        n for n in exported if getattr(getattr(root, n), "__module__", "") == f"{package}._client"
    ]
    sync_client = next(n for n in clients if "Async" + n in clients)
    models_module = importlib.import_module(f"{package}.models")
    model_names = _models_names(package)
    kinds: dict[str, list[str]] = {"model": [], "enum": [], "alias": []}
    for name in model_names:
        value = getattr(models_module, name)
        if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
            kinds["model"].append(name)
        elif isinstance(value, type) and issubclass(value, enum.Enum):
            kinds["enum"].append(name)
        else:
            kinds["alias"].append(name)
    client_class = getattr(root, sync_client)
    # client attribute -> resource class name, from the client's own properties
    resources = {
        key: inspect.get_annotations(value.func)["return"]
        for key, value in vars(client_class).items()
        if isinstance(value, cached_property)
    }
    resource_modules = {}
    for key, class_name in resources.items():
        module = importlib.import_module(f"{package}.resources.{key}")
        assert class_name in module.__all__ and "Async" + class_name in module.__all__
        resource_modules[key] = module

    lines = [
        '"""A user\'s script: every public name of the package, used."""',
        "",
        "from __future__ import annotations",
        "",
        "import asyncio",
        "import enum",
        "from typing import TypeVar",
        "",
        "import httpx",
        "import pydantic",
        "",
    ]
    lines += [f"from {package} import {name}" for name in exported]
    lines += [f"from {package}.models import {name}" for name in model_names]
    for key, module in resource_modules.items():
        lines += [f"from {package}.resources.{key} import {name}" for name in module.__all__]
    lines += ["", 'T = TypeVar("T")', ""]
    lines.append("ERRORS: list[type[Exception]] = [" + ", ".join(errors) + "]")
    lines.append("MODELS: list[type[pydantic.BaseModel]] = [" + ", ".join(kinds["model"]) + "]")
    lines.append("ENUMS: list[type[enum.Enum]] = [" + ", ".join(kinds["enum"]) + "]")
    for n, name in enumerate(kinds["alias"]):
        lines += ["", "", f"def alias_{n}(value: {name}) -> {name}:", "    return value"]
    lines += [  # event hooks (issue 13)
        "",
        "",
        "def on_request(event: RequestEvent) -> None:",
        "    print(event.request.url, event.attempt)",
        "",
        "",
        "def on_response(event: ResponseEvent) -> None:",
        "    print(event.response.status_code, event.elapsed)",
        "",
        "",
        "async def on_retry(event: RetryEvent) -> None:",
        "    print(event.attempt, event.wait, event.response, event.error)",
        "",
        "",
        "def on_error(event: ErrorEvent) -> None:",
        "    print(event.error)",
        "",
        "",
        "SYNC_HOOKS = Hooks(on_request=on_request, on_response=on_response, on_error=on_error)",
        "ASYNC_HOOKS = Hooks(on_request=on_request, on_retry=on_retry)",
    ]
    if "parse_webhook" in exported:  # the API sends webhooks (issue 13)
        lines += [
            "",
            "",
            "def delivery(body: bytes) -> WebhookEvent | None:",
            "    try:",
            "        return parse_webhook(body, {'Content-Type': 'application/json'})",
            "    except WebhookVerificationError:",
            "        raise",
            "    except ValueError:",
            "        return None",
        ]
    lines += [
        "",
        "",
        "def status(response: APIResponse[T]) -> int:",
        "    return response.status_code",
        "",
        "",
        "async def body(response: AsyncAPIResponse[T]) -> bytes:",
        "    return await response.read()",
        "",
        "",
        *_page_uses(exported),
        *_stream_uses(exported),
        "def answer(request: httpx.Request) -> httpx.Response:",
        '    return httpx.Response(404, json={"message": "no"}, request=request)',
        "",
        "",
        "def sync_use() -> None:",
        '    options: RequestOptions = {"max_retries": 0, "timeout": 5.0}',
        "    nothing: NotGiven = NOT_GIVEN",
        '    upload: FileTypes = ("a.txt", b"text")',
        "    print(options, nothing, upload)",
        "    transport = httpx.MockTransport(answer)",
        f'    with {sync_client}(base_url="http://api.test", http_client=httpx.Client(transport=transport), hooks=SYNC_HOOKS) as client:',
    ]
    call = None
    for key, class_name in resources.items():
        lines.append(f"        {key}: {class_name} = client.{key}")
        lines.append(f"        print({key})")
        method = _no_argument_call(getattr(resource_modules[key], class_name))
        if call is None and method is not None:
            call = (key, method)
    if call is not None:
        key, method = call
        lines += [
            "        try:",
            f"            raw = client.{key}.with_raw_response.{method}(request_options=options)",
            "            print(status(raw), raw.parse())",
            "        except APIStatusError as error:",
            "            print(error.status_code, error.body)",
        ]
    lines += [
        "",
        "",
        "async def async_use() -> None:",
        "    transport = httpx.MockTransport(answer)",
        f'    async with Async{sync_client}(base_url="http://api.test", http_client=httpx.AsyncClient(transport=transport), hooks=ASYNC_HOOKS) as client:',
    ]
    for key, class_name in resources.items():
        lines.append(f"        async_{key}: Async{class_name} = client.{key}")
        lines.append(f"        print(async_{key})")
    if call is not None:
        key, method = call
        lines += [
            "        try:",
            f"            async with client.{key}.with_streaming_response.{method}() as response:",
            "                print(await body(response))",
            "        except APIError as error:",
            "            print(error)",
        ]
    else:
        lines.append("        print(client)")
    runs = ["sync_use()", "asyncio.run(async_use())"]
    if "OAuth2" in exported:
        lines += oauth_use(sync_client, call)
        runs += ["oauth_use()", "asyncio.run(async_oauth_use())"]
    lines += ["", "", *runs, ""]
    if "parse_webhook" in exported:
        lines.insert(-1, "print(delivery(b'{}'), delivery(b'[]'))")
    return "\n".join(lines)


def _page_uses(exported: list[str]) -> list[str]:
    """Functions taking the page types of paginated operations (issue 12), as a user annotates."""
    if "SyncPage" not in exported:
        return []
    return [
        "def page_items(page: SyncPage[T, object]) -> list[T]:",
        "    return page.items",
        "",
        "",
        "async def async_page_items(pages: AsyncPaginator[T, object]) -> list[T]:",
        "    page: AsyncPage[T, object] = await pages",
        "    return page.items",
        "",
        "",
    ]


def _stream_uses(exported: list[str]) -> list[str]:
    """Functions taking the streams of operations answering with server-sent events (issue 17)."""
    if "Stream" not in exported:
        return []
    return [
        "def stream_events(stream: Stream[T]) -> list[T]:",
        "    with stream:",
        "        return list(stream)",
        "",
        "",
        "async def async_stream_events(stream: AsyncStream[T]) -> list[T]:",
        "    async with stream:",
        "        return [event async for event in stream]",
        "",
        "",
        "def event_data(event: ServerSentEvent) -> str:",
        "    return event.data",
        "",
        "",
    ]


def oauth_use(sync_client: str, call: tuple[str, str] | None) -> list[str]:
    """The OAuth2 surface (issue 13): credentials, a token to start, on_token sync and async, the
    token and its error, against a token endpoint that answers every `grant_type` form."""
    request = f"client.{call[0]}.{call[1]}()" if call else "print(client)"
    return [
        "",
        "",
        "def token_endpoint(request: httpx.Request) -> httpx.Response:",
        '    if b"grant_type=" in request.read():',
        '        return httpx.Response(200, json={"access_token": "at", "expires_in": 3600})',
        '    return httpx.Response(404, json={"message": "no"}, request=request)',
        "",
        "",
        "def oauth_use() -> None:",
        "    saved: list[OAuth2Token] = []",
        "",
        "    def keep(token: OAuth2Token) -> None:",
        "        saved.append(token)",
        "",
        "    oauth = OAuth2(",
        '        client_id="id",',
        '        client_secret="secret",',
        '        refresh_token="rt",',
        '        token=OAuth2Token("at0", expires_at=0.0),',
        '        scopes=["a", "b"],',
        '        client_auth="form",',
        "        on_token=keep,",
        "        refresh_margin=30.0,",
        "    )",
        "    http = httpx.Client(transport=httpx.MockTransport(token_endpoint))",
        f'    with {sync_client}(base_url="http://api.test", http_client=http, oauth=oauth) as client:',
        "        try:",
        f"            {request}",
        "        except OAuth2Error as error:",
        "            print(error.error, error.error_description, error.error_uri, error.status_code)",
        "        except APIError as error:",
        "            print(error)",
        "    token: OAuth2Token | None = oauth.token",
        "    left: float | None = token.expires_in if token else None",
        "    stored: dict[str, object] = token.to_dict() if token else {}",
        "    again = OAuth2Token.from_dict(stored) if stored else None",
        "    print(saved, left, again, repr(oauth))",
        "",
        "",
        "async def async_oauth_use() -> None:",
        "    async def keep(token: OAuth2Token) -> None:",
        "        print(token)",
        "",
        '    oauth = OAuth2(client_id="id", client_secret="secret", refresh_token="rt", on_token=keep)',
        "    http = httpx.AsyncClient(transport=httpx.MockTransport(token_endpoint))",
        f'    async with Async{sync_client}(base_url="http://api.test", http_client=http, oauth=oauth) as client:',
        "        try:",
        f"            {'await ' if call else ''}{request}",
        "        except APIError as error:",
        "            print(error)",
    ]


# ---- the test ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return installed_environment(
        tmp_path_factory.mktemp("installed") / "venv",
        [GENERATED / client / client for client in CLIENTS],
    )


@pytest.mark.parametrize("client", CLIENTS)
def test_users_script_passes_mypy_strict_and_pyright_strict_and_runs(
    client: str, environment: Path, tmp_path: Path
) -> None:
    assert PYRIGHT.is_file(), "pyright is missing: `npm ci` (make test does it)"
    user = tmp_path / "user_project"
    user.mkdir()
    script = user / "script.py"
    script.write_text(user_script(client), "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    venv = environment.parent.parent
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-executable",
            str(environment),
            "--cache-dir",
            str(venv.parent / "mypy_cache"),
            "--no-error-summary",
            "--show-error-codes",
            script.name,
        ],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout[-4000:] + mypy.stderr[-2000:]
    config = {
        "typeCheckingMode": "strict",
        "pythonVersion": "3.11",
        "venvPath": str(venv.parent),
        "venv": venv.name,
    }
    (user / "pyrightconfig.json").write_text(json.dumps(config), "utf-8")
    pyright = subprocess.run(
        ["node", str(PYRIGHT), "--outputjson", script.name],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert pyright.returncode == 0, pyright.stdout[-4000:] + pyright.stderr[-2000:]
    ran = subprocess.run(
        [str(environment), script.name],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
