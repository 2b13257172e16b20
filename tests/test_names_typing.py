"""Where a user stands with nested groups and overridden names (issue 17, item 5): a script calls
`client.fine_tuning.jobs.list()` and `client.chat.post_message()`, sync and async, with
`with_raw_response` and `with_streaming_response` on the nested group and on its parent, under
`mypy --strict` and pyright strict (`assert_type`), then runs against a MockTransport."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import generate_client
from model_helpers import write_spec
from names_spec import SPEC
from test_user_typing import PYRIGHT, installed_environment

pytestmark = pytest.mark.xdist_group("user_typing")

SCRIPT = '''
"""A user's script over nested groups."""

from __future__ import annotations

import asyncio
import json
from typing import assert_type

import httpx

from names import AsyncNames, Names
from names.models import Job
from names.resources.fine_tuning_jobs import FineTuningJobsResource


def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"id": request.method + " " + request.url.path})


def sync_use() -> list[str]:
    client = Names(base_url="http://api.test", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
    assert_type(client.fine_tuning.jobs, FineTuningJobsResource)
    listed = client.fine_tuning.jobs.list()
    assert_type(listed, Job)
    job = client.fine_tuning.jobs.retrieve(id="j1")
    raw = client.fine_tuning.jobs.with_raw_response.create()
    assert_type(raw.parse(), Job)
    parent_raw = client.fine_tuning.with_raw_response.jobs.retrieve(id="j2")
    assert_type(parent_raw.parse(), Job)
    with client.fine_tuning.with_streaming_response.jobs.list() as streamed:
        assert_type(streamed.parse(), Job)
    posted = client.chat.post_message()
    return [str(listed.id), str(job.id), str(raw.parse().id), str(parent_raw.parse().id), str(posted.id)]


async def async_use() -> list[str]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    client = AsyncNames(base_url="http://api.test", http_client=http)
    job = await client.fine_tuning.jobs.retrieve(id="j3")
    assert_type(job, Job)
    raw = await client.fine_tuning.with_raw_response.jobs.create()
    assert_type(await raw.parse(), Job)
    return [str(job.id), str((await raw.parse()).id)]


print(json.dumps([sync_use(), asyncio.run(async_use())]))
'''


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("names")
    outcome = generate_client(write_spec(root, SPEC), root / "out", package_name="names")
    assert outcome.written
    return installed_environment(root / "venv", [root / "out" / "names"])


def test_nested_groups_type_check_and_run_where_a_user_stands(
    environment: Path, tmp_path: Path
) -> None:
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
    assert ran.returncode == 0, ran.stderr[-4000:]
    assert json.loads(ran.stdout) == [
        ["GET /jobs", "GET /jobs/j1", "POST /jobs", "GET /jobs/j2", "POST /chat.postMessage"],
        ["GET /jobs/j3", "POST /jobs"],
    ]
