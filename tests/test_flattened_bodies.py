"""Issue 17, items 1 and 3: flattened object bodies, `<Model>Param` TypedDicts and literal enums.

The spec is tests/flat/flat.yaml: a JSON body with nested models, a discriminated union, a property
named like a query parameter and like `request_options`, a property with a default, a read-only
one; an optional body of optional properties; an array body; a form body; a multipart upload with
an enum `purpose`. Requests are checked on the wire (httpx.MockTransport) against the bytes the
model gives for the same values; a user's script is checked with mypy --strict and pyright."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import os
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, Literal
from urllib.parse import parse_qsl

import httpx
import pytest
from typing_extensions import Required

from tests.conftest import REPO, generate_client
from tests.test_user_typing import PYRIGHT, installed_environment

SPEC = REPO / "tests" / "flat" / "flat.yaml"
PACKAGE = "flat_demo"


@pytest.fixture(scope="module")
def client_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("flat") / "client"
    generate_client(SPEC, output, package_name=PACKAGE, client_name="Flat")
    return output


@pytest.fixture(scope="module")
def package(client_root: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(client_root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(client_root))


Sent = list[httpx.Request]


def _client(package: ModuleType, is_async: bool = False) -> tuple[Any, Sent]:
    seen: Sent = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        if request.url.path == "/chat":
            return httpx.Response(200, json={"role": "user", "text": "ok"})
        return httpx.Response(204)

    transport = httpx.MockTransport(handler)
    if is_async:
        http: Any = httpx.AsyncClient(transport=transport)
        return package.AsyncFlat(http_client=http, max_retries=0), seen
    return package.Flat(http_client=httpx.Client(transport=transport), max_retries=0), seen


def _model_bytes(package: ModuleType, model: str, wire: dict[str, Any]) -> bytes:
    """What the body model sends for the same values (the bytes before issue 17)."""
    models = importlib.import_module(f"{PACKAGE}.models")
    runtime = importlib.import_module(f"{PACKAGE}._models")
    value = getattr(models, model).model_validate(wire)
    return bytes(
        value.model_dump_json(by_alias=True, exclude_unset=True, context=runtime.REQUEST), "utf-8"
    )


# ---- the signature ------------------------------------------------------------------------------


def test_properties_are_keyword_arguments_required_first_with_clashes_renamed(
    package: ModuleType,
) -> None:
    chat = importlib.import_module(f"{PACKAGE}.resources.chat")
    for cls in (chat.ChatResource, chat.AsyncChatResource):
        parameters = inspect.signature(cls.create_chat).parameters
        assert list(parameters) == [
            "self",
            "model",
            "messages",
            "limit",  # the query parameter keeps its name
            "mode",
            "temperature",
            "from_",  # the model's name for `from`
            "limit_body",  # the body's `limit`
            "request_options_body",  # the method's own argument keeps its name
            "metadata",
            "tool",
            "version",
            "request_options",
        ]
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in list(parameters.values())[1:])
        assert parameters["version"].default == 2  # required with a default: always sent
        assert "id" not in parameters  # read-only: never sent
    doc = chat.ChatResource.create_chat.__doc__ or ""
    assert "POST /chat" in doc
    for line in (
        "model: The model to use.",
        "messages: The conversation so far.",
        "limit_body: A name the query parameter has too.",
        "request_options_body: A name the method keeps for itself.",
    ):
        assert line in doc


def test_non_object_bodies_keep_body(package: ModuleType) -> None:
    client, seen = _client(package)
    client.notes.replace_tags(body=["a", "b"])
    assert seen[0].content == b'["a","b"]'


# ---- the wire -----------------------------------------------------------------------------------


WIRE = {
    "model": "m",
    "messages": [{"role": "user", "content": "hi"}],
    "from": "me",
    "limit": 4,
    "request_options": "x",
    "metadata": {"content-type": "text/plain", "from": "f", "parent": {"content-type": "p"}},
    "tool": {"type": "function", "name": "lookup"},
    "version": 2,
}


def test_dicts_and_literals_send_the_bytes_the_model_sent(package: ModuleType) -> None:
    client, seen = _client(package)
    answer = client.chat.create_chat(
        model="m",
        messages=[{"role": "user", "content": "hi"}],
        from_="me",
        limit=3,
        limit_body=4,
        request_options_body="x",
        metadata={"content-type": "text/plain", "from": "f", "parent": {"content-type": "p"}},
        tool={"type": "function", "name": "lookup"},
    )
    assert answer.text == "ok"
    assert seen[0].content == _model_bytes(package, "ChatRequest", WIRE)
    assert json.loads(seen[0].content) == WIRE
    assert seen[0].url.params.multi_items() == [("limit", "3")]


def test_models_and_enum_members_send_the_same_bytes(package: ModuleType) -> None:
    m = importlib.import_module(f"{PACKAGE}.models")
    client, seen = _client(package)
    client.chat.create_chat(
        model="m",
        messages=(m.Message(role=m.Role.USER, content="hi"),),  # any sequence
        from_="me",
        limit_body=4,
        request_options_body="x",
        metadata=m.Meta.model_validate(
            {"content-type": "text/plain", "from": "f", "parent": {"content-type": "p"}}
        ),
        tool=m.FunctionTool(type="function", name="lookup"),
        limit=3,
        mode=m.Mode.SLOW,
    )
    assert seen[0].content == _model_bytes(package, "ChatRequest", WIRE)
    client.chat.create_chat(model="m", messages=[], mode="slow")  # the value as a literal
    assert seen[1].url.params["mode"] == seen[0].url.params["mode"] == "slow"


def test_unset_properties_are_left_out_and_extra_body_merges(package: ModuleType) -> None:
    client, seen = _client(package)
    client.chat.create_chat(
        model="m", messages=[], temperature=None, request_options={"extra_body": {"seed": 1}}
    )
    assert json.loads(seen[0].content) == {
        "model": "m",
        "messages": [],
        "temperature": None,
        "version": 2,
        "seed": 1,
    }


def test_an_optional_body_of_optional_properties_is_sent_only_when_given(
    package: ModuleType,
) -> None:
    client, seen = _client(package)
    client.notes.patch_note(note_id="n1")
    client.notes.patch_note(note_id="n1", pinned=True)
    client.notes.patch_note(note_id="n1", request_options={"extra_body": {"x": 1}})
    assert seen[0].content == b"" and "content-type" not in seen[0].headers
    assert seen[1].content == b'{"pinned":true}'
    assert json.loads(seen[2].content) == {"x": 1}


def test_form_bodies_flatten_too(package: ModuleType) -> None:
    m = importlib.import_module(f"{PACKAGE}.models")
    client, seen = _client(package)
    client.notes.send_form(title="t", mode="fast")
    client.notes.send_form(title="t", mode=m.Mode.FAST)
    client.notes.send_form(title="t")
    assert [parse_qsl(r.content.decode()) for r in seen] == [
        [("title", "t"), ("mode", "fast")],
        [("title", "t"), ("mode", "fast")],
        [("title", "t")],
    ]


def test_multipart_enum_takes_its_value(package: ModuleType) -> None:
    m = importlib.import_module(f"{PACKAGE}.models")
    client, seen = _client(package)
    client.files.upload_file(file=b"data", purpose="fine-tune")
    client.files.upload_file(file=b"data", purpose=m.Purpose.FINE_TUNE)
    for request in seen:
        assert b'name="purpose"\r\n\r\nfine-tune\r\n' in request.content


def test_async_methods_flatten_alike(package: ModuleType) -> None:
    client, seen = _client(package, is_async=True)

    async def go() -> None:
        await client.chat.create_chat(
            model="m",
            messages=[{"role": "user", "content": "hi"}],
            from_="me",
            limit_body=4,
            request_options_body="x",
            metadata={"content-type": "text/plain", "from": "f", "parent": {"content-type": "p"}},
            tool={"type": "function", "name": "lookup"},
        )

    asyncio.run(go())
    assert seen[0].content == _model_bytes(package, "ChatRequest", WIRE)


# ---- the TypedDicts -----------------------------------------------------------------------------


def test_typed_dicts_use_wire_names_and_required_keys(package: ModuleType) -> None:
    params = importlib.import_module(f"{PACKAGE}.params")
    m = importlib.import_module(f"{PACKAGE}.models")
    hints = typing.get_type_hints(params.MessageParam, vars(params), include_extras=True)
    assert hints == {"role": Required[Literal["user", "system"] | m.Role], "content": Required[str]}
    # The functional form, for keys that are no identifiers; quoted, as it refers to itself.
    hints = typing.get_type_hints(params.MetaParam, vars(params), include_extras=True)
    assert hints == {
        "content-type": Required[str],
        "from": str,
        "parent": m.Meta | params.MetaParam,
    }
    hints = typing.get_type_hints(params.SearchToolParam, vars(params), include_extras=True)
    assert hints == {"type": Required[Literal["search"]], "depth": int}
    assert set(params.__all__) == {
        "MessageParam",
        "MetaParam",
        "FunctionToolParam",
        "SearchToolParam",
        "ToolParam",  # the union of the discriminated variants, each as model or dict
    }
    chat = (Path(params.__file__).parent / "resources" / "chat.py").read_text("utf-8")
    # Imported for type checkers only: a call never builds them.
    checking = chat.split("if TYPE_CHECKING:\n", 1)[1].split("\n\n", 1)[0]
    assert "    from ..params import MessageParam, MetaParam, ToolParam" in checking
    probe = (
        f"import sys, {PACKAGE}.resources.chat, {PACKAGE}.resources.notes;"
        f"print({PACKAGE + '.params'!r} in sys.modules)"
    )
    root = str(Path(package.__file__ or "").parent.parent)
    ran = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True
    )
    assert ran.stdout.strip() == "False"


# ---- where the user stands ----------------------------------------------------------------------

USER_SCRIPT = f'''\
"""A user's script: flattened arguments, dicts for nested models, enum values as literals."""

from __future__ import annotations

from {PACKAGE} import AsyncFlat, Flat
from {PACKAGE}.models import ChatAnswer, FunctionTool, Message, Mode, Purpose, Role
from {PACKAGE}.params import MessageParam, ToolParam


def sync_use(client: Flat, history: list[Message]) -> ChatAnswer:
    tool: ToolParam = {{"type": "search", "depth": 2}}
    first: MessageParam = {{"role": "system", "content": "be brief"}}
    client.chat.create_chat(model="m", messages=history, tool=tool, mode="fast")
    client.chat.create_chat(model="m", messages=[first, Message(role=Role.USER, content="hi")])
    client.files.upload_file(file=b"x", purpose="batch")
    client.files.upload_file(file=b"x", purpose=Purpose.BATCH)
    client.notes.send_form(title="t", mode=Mode.SLOW)
    return client.chat.create_chat(
        model="m",
        messages=[{{"role": "user", "content": "hi"}}],
        tool=FunctionTool(type="function", name="f"),
        metadata={{"content-type": "text/plain", "parent": {{"content-type": "a", "from": "b"}}}},
    )


async def async_use(client: AsyncFlat) -> None:
    answer = await client.chat.create_chat(model="m", messages=[], from_="me", limit_body=1)
    print(answer.role)
'''

WRONG_SCRIPT = f'''\
"""Mistakes the type checkers must report, one a line."""

from __future__ import annotations

from {PACKAGE} import Flat


def use(client: Flat) -> None:
    client.files.upload_file(file=b"x", purpose="nope")
    client.chat.create_chat(model="m", messages=[{{"role": "user"}}])
    client.chat.create_chat(model="m", messages=[], tool={{"type": "other", "name": "f"}})
    client.chat.create_chat(messages=[])
'''


def _check(user: Path, python: Path, script: str) -> tuple[list[int], list[int]]:
    """The lines mypy --strict and pyright (strict) report, for `script`."""
    (user / "script.py").write_text(script, "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-executable",
            str(python),
            "--cache-dir",
            str(user.parent / "mypy_cache"),
            "--no-error-summary",
            "script.py",
        ],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    mypy_lines = [
        int(line.split(":")[1]) for line in mypy.stdout.splitlines() if ": error:" in line
    ]
    pyright = subprocess.run(
        ["node", str(PYRIGHT), "--outputjson", "script.py"],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    found = json.loads(pyright.stdout)["generalDiagnostics"]
    pyright_lines = [d["range"]["start"]["line"] + 1 for d in found if d["severity"] == "error"]
    return sorted(set(mypy_lines)), sorted(set(pyright_lines))


def test_users_script_type_checks_and_mistakes_are_reported(
    client_root: Path, tmp_path: Path
) -> None:
    assert PYRIGHT.is_file(), "pyright is missing: `npm ci` (make test does it)"
    python = installed_environment(tmp_path / "venv", [client_root / PACKAGE])
    user = tmp_path / "user_project"
    user.mkdir()
    (user / "pyrightconfig.json").write_text(
        json.dumps(
            {
                "typeCheckingMode": "strict",
                "pythonVersion": "3.11",
                "venvPath": str(tmp_path),
                "venv": "venv",
            }
        ),
        "utf-8",
    )
    assert _check(user, python, USER_SCRIPT) == ([], [])
    assert _check(user, python, WRONG_SCRIPT) == ([9, 10, 11, 12], [9, 10, 11, 12])
