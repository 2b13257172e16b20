"""Issue 16's cold start, where a user stands: the `models` package imports little (its typed
re-exports live in `__init__.pyi`) yet serves every name every way; a call without hooks or OAuth2
imports neither runtime; the runtime's records behave as `dataclass(frozen=True)` would."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from dataclasses import field
from typing import Any

import pytest
from conftest import GENERATED

FAXPLUS = GENERATED / "faxplus"
sys.path.insert(0, str(FAXPLUS))

from faxplus._types import frozen_record


def run_python(code: str) -> Any:
    env = {**os.environ, "PYTHONPATH": str(FAXPLUS)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_models_package_serves_star_imports_dir_and_all() -> None:
    names, star, listed, missing = run_python(
        "import json\nfrom faxplus import models\nscope = {}\n"
        "exec('from faxplus.models import *', scope)\n"
        "try:\n    models.NoSuchModel\n    missing = False\nexcept AttributeError:\n"
        "    missing = True\n"
        "print(json.dumps([models.__all__, sorted(n for n in scope if n != '__builtins__'),"
        " sorted(set(models.__all__) - set(dir(models))), missing]))"
    )
    stub = (FAXPLUS / "faxplus" / "models" / "__init__.pyi").read_text("utf-8")
    assert names == sorted(names) and "Outbox" in names
    assert star == names
    assert listed == [] and missing
    for name in names:  # every name re-exported for type checkers, in the stub
        assert f"import {name} as {name}\n" in stub or f"    {name} as {name},\n" in stub


def test_models_init_holds_no_import_of_a_model() -> None:
    text = (FAXPLUS / "faxplus" / "models" / "__init__.py").read_text("utf-8")
    assert "TYPE_CHECKING" not in text and "from ._" not in text
    assert '\n    "Outbox _outbox\\n"\n' in text


CALL = """
import json, sys
import httpx
from faxplus import FaxPlus
from faxplus.models import Outbox
body = {"id": "1", "uid": "u", "status": "sent"}
transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
client = FaxPlus(access_token="t", http_client=httpx.Client(transport=transport))
result = client.outbox.get_outbox_fax(user_id="self", outbox_fax_id="1")
assert isinstance(result, Outbox)
print(json.dumps(sorted(m.rpartition(".")[2] for m in sys.modules if m.startswith("faxplus._"))))
"""


def test_a_call_without_hooks_or_oauth2_imports_neither() -> None:
    imported = run_python(CALL)
    assert "_base_client" in imported
    assert "_hooks" not in imported and "_oauth_session" not in imported
    assert "_pagination" not in imported and "_streaming" not in imported


@frozen_record(frozen=True)
class Ours:
    name: str
    size: int = 1
    tags: dict[str, str] = field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Theirs:
    name: str
    size: int = 1
    tags: dict[str, str] = field(default_factory=dict)


@pytest.mark.parametrize("record", [Ours, Theirs])
def test_frozen_record_behaves_as_a_frozen_dataclass(record: Any) -> None:
    one = record("a", size=2)
    assert repr(one) == f"{record.__qualname__}(name='a', size=2, tags={{}})"
    assert one == record("a", 2) and one != record("b", 2) and one.size == 2
    assert record("a").tags == {} and record("a").tags is not record("a").tags
    assert record.size == 1  # the default stays on the class
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.size = 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        del one.name
    with pytest.raises(TypeError):
        hash(one)  # a dict field: unhashable, as the dataclass's tuple hash
    assert hash(record("a", tags=None)) == hash(record("a", tags=None))
    for wrong in ({}, {"name": "a", "colour": 1}, {"size": 2}):
        with pytest.raises(TypeError):
            record(**wrong)
    with pytest.raises(TypeError):
        record("a", name="b")
    with pytest.raises(TypeError):
        record("a", 1, {}, 4)
    assert one.__eq__(object()) is NotImplemented
