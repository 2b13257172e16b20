"""Where a user stands with a paginated method (issue 12): `for fax in client.faxes.list_faxes()`
infers `Fax` under `mypy --strict` and pyright strict (checked with `assert_type`), as do pages,
`iter_pages()`, `next_page()`, the async forms and `with_raw_response` / `with_streaming_response`;
then the script runs against a MockTransport serving three pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GENERATED
from test_user_typing import PYRIGHT, installed_environment

pytestmark = pytest.mark.xdist_group("user_typing")

SCRIPT = '''
"""A user's script over a paginated operation."""

from __future__ import annotations

import asyncio
from typing import assert_type

import httpx

from faxplus import AsyncFaxPlus, AsyncPage, AsyncPaginator, FaxPlus, SyncPage
from faxplus.models import Fax, FaxList

FAX: dict[str, object] = {
    "comment": "", "cost_details": {}, "direction": "outgoing", "file": "f", "from": "+1",
    "id": "x", "owner_id": "o", "pages": 1, "status": "success", "to": "+2",
}


def answer(request: httpx.Request) -> httpx.Response:
    offset = int(request.url.params.get("offset", 0))
    records = [{**FAX, "id": f"fax{i}"} for i in range(offset, min(offset + 2, 5))]
    return httpx.Response(200, json={"data": {"records": records}})


def sync_use() -> list[str]:
    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = FaxPlus(access_token="t", base_url="http://api.test", http_client=http)
    ids: list[str] = []
    for fax in client.faxes.list_faxes(limit=2):
        assert_type(fax, Fax)
        ids.append(fax.id)
    page = client.faxes.list_faxes(limit=2)
    assert_type(page, SyncPage[Fax, FaxList])
    assert_type(page.response, FaxList)
    assert_type(page.items, list[Fax])
    if page.has_next_page():
        assert_type(page.next_page().items, list[Fax])
    for each in page.iter_pages():
        assert_type(each, SyncPage[Fax, FaxList])
    raw = client.faxes.with_raw_response.list_faxes(limit=2)
    assert_type(raw.parse(), SyncPage[Fax, FaxList])
    with client.faxes.with_streaming_response.list_faxes(limit=2) as streamed:
        for fax in streamed.parse():
            assert_type(fax, Fax)
    return ids


async def async_use() -> list[str]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    client = AsyncFaxPlus(access_token="t", base_url="http://api.test", http_client=http)
    paginator = client.faxes.list_faxes(limit=2)
    assert_type(paginator, AsyncPaginator[Fax, FaxList])
    ids = [fax.id async for fax in paginator]
    page = await client.faxes.list_faxes(limit=2)
    assert_type(page, AsyncPage[Fax, FaxList])
    assert_type(page.items, list[Fax])
    async for fax in page:
        assert_type(fax, Fax)
    async for each in page.iter_pages():
        assert_type(each.response, FaxList)
    following = await page.next_page()
    assert_type(following.items, list[Fax])
    raw = await client.faxes.with_raw_response.list_faxes(limit=2)
    assert_type(await raw.parse(), AsyncPage[Fax, FaxList])
    return ids


print(json.dumps([sync_use(), asyncio.run(async_use())]))
'''.replace("import asyncio\n", "import asyncio\nimport json\n", 1)


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return installed_environment(
        tmp_path_factory.mktemp("installed") / "venv", [GENERATED / "faxplus" / "faxplus"]
    )


def test_the_item_type_is_inferred_in_a_users_loop(environment: Path, tmp_path: Path) -> None:
    assert PYRIGHT.is_file(), "pyright is missing: `npm ci` (make test does it)"
    user = tmp_path / "user_project"
    user.mkdir()
    (user / "script.py").write_text(SCRIPT, "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    venv = environment.parent.parent
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-executable", str(environment)]
        + ["--cache-dir", str(venv.parent / "mypy_cache"), "--no-error-summary", "script.py"],
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
        ["node", str(PYRIGHT), "script.py"],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert pyright.returncode == 0, pyright.stdout[-4000:] + pyright.stderr[-2000:]
    ran = subprocess.run(
        [str(environment), "script.py"],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    every = [f"fax{i}" for i in range(5)]
    assert json.loads(ran.stdout) == [every, every]
