"""Deprecated operations (issue 13): the first call of each gives a `DeprecationWarning` at the
user's line, once per process; the method carries `@deprecated(...)` so that mypy
(`--enable-error-code deprecated`) and pyright flag calls in the user's code."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.conftest import REPO, generate_client
from tests.test_user_typing import PYRIGHT, installed_environment

SPEC = REPO / "tests" / "events" / "events-3.1.yaml"
PACKAGE = "deprecation_demo"


@pytest.fixture(scope="module")
def client_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("deprecation") / "client"
    generate_client(SPEC, output, package_name=PACKAGE, client_name="EventsDemo")
    return output


@pytest.fixture(scope="module")
def package(client_root: Path) -> ModuleType:
    sys.path.insert(0, str(client_root))
    try:
        return importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(client_root))


def _answer(request: httpx.Request) -> httpx.Response:
    if request.method == "DELETE":
        return httpx.Response(204)
    return httpx.Response(200, json={"id": "1"})


def _deprecations(caught: list[warnings.WarningMessage]) -> list[warnings.WarningMessage]:
    return [w for w in caught if issubclass(w.category, DeprecationWarning)]


def test_deprecated_operation_warns_once_per_process_at_the_callers_line(
    package: ModuleType,
) -> None:
    client = package.EventsDemo(
        base_url="http://api.test", http_client=httpx.Client(transport=httpx.MockTransport(_answer))
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert client.legacy.get_legacy_item(item_id="1").id == "1"
        client.legacy.get_legacy_item(item_id="2")
        client.legacy.with_raw_response.get_legacy_item(item_id="3")
    (warning,) = _deprecations(caught)
    assert str(warning.message) == (
        "get_legacy_item() (GET /legacy/{item_id}) is deprecated by the API"
    )
    assert warning.filename == __file__  # the user's call, not the package's frames

    async def use_async() -> None:
        transport = httpx.MockTransport(_answer)
        async with package.AsyncEventsDemo(
            base_url="http://api.test", http_client=httpx.AsyncClient(transport=transport)
        ) as async_client:
            await async_client.legacy.with_raw_response.drop_legacy()
            await async_client.legacy.drop_legacy()
            await async_client.legacy.get_legacy_item(item_id="1")  # warned already, in sync

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(use_async())
        client.legacy.drop_legacy()  # the same operation, sync: warned already
    (warning,) = _deprecations(caught)
    assert str(warning.message) == (
        'drop_legacy() (DELETE /legacy/"quoted"\\path) is deprecated by the API'
    )
    assert warning.filename == __file__


def test_operations_not_deprecated_do_not_warn(package: ModuleType) -> None:
    client = package.EventsDemo(
        base_url="http://api.test", http_client=httpx.Client(transport=httpx.MockTransport(_answer))
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client.subscriptions.create_subscription(url="https://example.test/hook")
    assert _deprecations(caught) == []


def test_deprecation_is_in_the_signature(package: ModuleType) -> None:
    legacy = importlib.import_module(f"{PACKAGE}.resources.legacy")
    for cls in (legacy.LegacyResource, legacy.AsyncLegacyResource):
        assert cls.get_legacy_item.__deprecated__ == (
            "get_legacy_item() (GET /legacy/{item_id}) is deprecated by the API"
        )
        assert cls.drop_legacy.__deprecated__.startswith('drop_legacy() (DELETE /legacy/"quoted"\\')
    assert asyncio.iscoroutinefunction(legacy.AsyncLegacyResource.drop_legacy)


USER_SCRIPT = f'''\
"""A user's script calling a deprecated operation."""

from __future__ import annotations

from {PACKAGE} import AsyncEventsDemo, EventsDemo


def sync_use(client: EventsDemo) -> None:
    client.subscriptions.create_subscription(url="https://x.test")
    print(client.legacy.get_legacy_item(item_id="1"))


async def async_use(client: AsyncEventsDemo) -> None:
    await client.legacy.drop_legacy()
'''


def test_type_checkers_report_calls_of_deprecated_operations(
    client_root: Path, tmp_path: Path
) -> None:
    assert PYRIGHT.is_file(), "pyright is missing: `npm ci` (make test does it)"
    python = installed_environment(tmp_path / "venv", [client_root / PACKAGE])
    user = tmp_path / "user_project"
    user.mkdir()
    (user / "script.py").write_text(USER_SCRIPT, "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--enable-error-code",
            "deprecated",
            "--python-executable",
            str(python),
            "--cache-dir",
            str(tmp_path / "mypy_cache"),
            "--no-error-summary",
            "script.py",
        ],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    reported = [line for line in mypy.stdout.splitlines() if line.strip()]
    assert [line.split(":")[1] for line in reported] == ["10", "14"], mypy.stdout
    assert all(line.endswith("[deprecated]") for line in reported), mypy.stdout
    assert "get_legacy_item() (GET /legacy/{item_id}) is deprecated by the API" in reported[0]
    (user / "pyrightconfig.json").write_text(
        json.dumps(
            {
                "typeCheckingMode": "strict",
                "reportDeprecated": "error",
                "pythonVersion": "3.11",
                "venvPath": str(tmp_path),
                "venv": "venv",
            }
        ),
        "utf-8",
    )
    pyright = subprocess.run(
        ["node", str(PYRIGHT), "--outputjson", "script.py"],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    found = json.loads(pyright.stdout)["generalDiagnostics"]
    assert [(d["rule"], d["range"]["start"]["line"] + 1) for d in found] == [
        ("reportDeprecated", 10),
        ("reportDeprecated", 14),
    ], found
    assert "is deprecated by the API" in found[0]["message"]
