"""Names that read well (issue 17, item 5): a method name without its resource's name in front,
overrides from the spec's vendor extensions and from the configuration, nested resource groups;
and the configuration's `names` table and `docs-url`, checked with their line."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from model_helpers import write_spec
from names_spec import SPEC

from generator.config import ClientConfig, ConfigError, load_config_file
from generator.model.api import Api
from generator.model.builder import build_api
from generator.model.method_names import without_prefix
from generator.spec.read import read_spec


def build(tmp_path: Path, spec: dict[str, Any], **options: Any) -> Api:
    path = write_spec(tmp_path, spec)
    source, _ = read_spec(path, lambda source: None)
    config = ClientConfig(spec=path, output=tmp_path / "out", package_name="pkg", **options)
    api, diagnostics = build_api(source, config)
    assert not [d for d in diagnostics if d.severity == "error"]
    return api


def methods(api: Api) -> dict[str, list[str]]:
    return {r.dotted: [op.py_name for op in r.operations] for r in api.resources}


def test_the_resources_name_in_front_of_a_method_is_dropped() -> None:
    names = ["chat_post_message", "chat_delete", "chat", "cancel_job"]
    assert without_prefix("chat", names, [False] * 4) == [
        "post_message",
        "delete",
        "chat",
        "cancel_job",
    ]


def test_the_prefix_stays_where_dropping_it_leaves_a_clash_or_no_name_of_its_own() -> None:
    # `chat_list` would meet `list`; `chat_` leaves nothing; `chat_2fa` starts with a digit and
    # `chat_import` would be a keyword: each keeps its name.
    names = ["chat_list", "list", "chat_2fa", "chat_import", "chat_send"]
    assert without_prefix("chat", names, [False] * 5) == [
        "chat_list",
        "list",
        "chat_2fa",
        "chat_import",
        "send",
    ]
    # two that would both become `send` (the builder then tells them apart): both keep theirs
    assert without_prefix("chat", ["chat_send", "chat_send"], [False, False]) == [
        "chat_send",
        "chat_send",
    ]


def test_the_prefix_stays_where_dropping_it_meets_a_nested_group() -> None:
    names = ["fine_tuning_jobs", "fine_tuning_status"]
    assert without_prefix("fine_tuning", names, [False, False], frozenset({"jobs"})) == [
        "fine_tuning_jobs",
        "status",
    ]


def test_a_name_an_override_writes_is_kept_as_written() -> None:
    assert without_prefix("chat", ["chat_send"], [True]) == ["chat_send"]


def test_vendor_extensions_place_operations_in_nested_groups(tmp_path: Path) -> None:
    api = build(tmp_path, SPEC)
    assert methods(api) == {
        "chat": ["post_message", "delete", "chat", "cancel_job"],
        "fine_tuning": [],
        "fine_tuning.jobs": ["list", "create", "retrieve"],
    }
    nested = api.resources[2]
    assert (nested.attr_name, nested.module_name, nested.class_name) == (
        "jobs",
        "fine_tuning_jobs",
        "FineTuningJobsResource",
    )


def test_the_configuration_overrides_the_spec_per_operation_id(tmp_path: Path) -> None:
    names = {
        "chat_delete": "messages.remove",
        "listFineTuningJobs": "all",
        "cancelJob": "fine_tuning.jobs.cancel",
    }
    api = build(tmp_path, SPEC, names=names)
    assert methods(api) == {
        "chat": ["post_message", "chat"],
        "messages": ["remove"],
        "fine_tuning": [],
        # `all`: only the method is named; the group is still the one x-oasgen-name gives
        "fine_tuning.jobs": ["all", "create", "retrieve", "cancel"],
    }


def test_an_override_names_a_tags_group_and_joins_it(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    spec["paths"]["/jobs/{id}/cancel"]["post"]["x-fern-sdk-group-name"] = "Chat"
    api = build(tmp_path, spec)
    assert methods(api)["chat"] == ["post_message", "delete", "chat", "cancel_job"]
    assert [r.dotted for r in api.resources].count("chat") == 1


def test_a_nested_group_keeps_its_name_and_a_method_of_that_name_gets_a_suffix(
    tmp_path: Path,
) -> None:
    spec = copy.deepcopy(SPEC)
    spec["paths"]["/chat"]["get"]["x-oasgen-name"] = "fine_tuning.jobs"
    api = build(tmp_path, spec)
    assert methods(api)["fine_tuning"] == ["jobs_2"]
    assert "fine_tuning.jobs" in methods(api)


def test_group_names_from_extensions_are_python_names(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    spec["paths"]["/chat"]["get"]["x-speakeasy-group"] = "class.with_raw_response"
    api = build(tmp_path, spec)
    assert "class_.with_raw_response_" in methods(api)


def test_names_and_docs_url_are_read_from_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "oasgen.toml").write_text(
        '[[clients]]\nspec = "s"\noutput = "o"\ndocs-url = "https://platform.example.com"\n'
        "[clients.names]\n"
        'createChatCompletion = "chat.completions.create"\nlistModels = "list"\n',
        encoding="utf-8",
    )
    (config,) = load_config_file(tmp_path / "oasgen.toml")
    assert config.names == {"createChatCompletion": "chat.completions.create", "listModels": "list"}
    assert config.docs_url == "https://platform.example.com"
    assert "names=" in config.fingerprint()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[clients.names]\ncreateChat = "chat..create"\n',
            "oasgen.toml:5:1: error: clients[0].names.createChat must be a method name",
        ),
        (
            "[clients.names]\ncreateChat = 3\n",
            "oasgen.toml:5:1: error: clients[0].names.createChat",
        ),
        (
            'docs-url = "docs.example.com"\n',
            "oasgen.toml:4:1: error: clients[0].docs-url must be an",
        ),
        (
            "nams = {}\n",
            "oasgen.toml:4:1: error: unknown key 'clients[0].nams' (did you mean 'names'?)",
        ),
    ],
)
def test_a_wrong_names_or_docs_url_entry_is_an_error_with_its_line(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "oasgen.toml").write_text(
        '[[clients]]\nspec = "s"\noutput = "o"\n' + text, encoding="utf-8"
    )
    with pytest.raises(ConfigError) as raised:
        load_config_file(tmp_path / "oasgen.toml")
    assert message in str(raised.value)


def test_a_configured_name_for_no_operation_is_a_warning(tmp_path: Path) -> None:
    path = write_spec(tmp_path, SPEC)
    source, _ = read_spec(path, lambda source: None)
    config = ClientConfig(spec=path, output=tmp_path / "o", package_name="pkg", names={"nope": "x"})
    _, diagnostics = build_api(source, config)
    assert any("'nope'" in d.message and d.severity == "warning" for d in diagnostics)


def test_diff_follows_an_operation_into_a_nested_group(tmp_path: Path) -> None:
    from generator.diff.compare import compare
    from generator.diff.surface import surface_of

    spec = copy.deepcopy(SPEC)
    del spec["paths"]["/jobs/{id}"]["get"]["x-fern-sdk-group-name"]
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old = surface_of(build(tmp_path / "old", spec))
    new = surface_of(build(tmp_path / "new", SPEC))
    assert "fine_tuning.jobs.retrieve" in new["methods"]
    messages = [f"{c.kind}: {c.subject}: {c.message}" for c in compare(old, new)]
    assert messages == [
        "breaking: client.chat.retrieve(): renamed: now `client.fine_tuning.jobs.retrieve()`"
    ]


def test_each_method_keeps_its_http_line_in_a_nested_or_renamed_method(tmp_path: Path) -> None:
    from conftest import generate_client

    generate_client(write_spec(tmp_path, SPEC), tmp_path / "out", package_name="names")
    resources = tmp_path / "out" / "names" / "resources"
    jobs = (resources / "fine_tuning_jobs.py").read_text("utf-8")
    assert "    def retrieve(\n" in jobs and '"""GET /jobs/{id}"""' in jobs
    chat = (resources / "chat.py").read_text("utf-8")
    assert "    def post_message(\n" in chat and '"""POST /chat.postMessage"""' in chat
    client = (tmp_path / "out" / "names" / "_client.py").read_text("utf-8")
    assert "def fine_tuning(self)" in client and "def jobs(self)" not in client
