"""Pagination in the model (issue 12): detection per strategy from parameters and answers, its
conservative refusals, the configuration's per-operation settings and the vendor extensions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from model_helpers import openapi, write_spec

from generator.config import ClientConfig, ConfigError, load_config_file
from generator.model.api import Api, Operation, Pagination
from generator.model.builder import build_api
from generator.model.pagination import describe
from generator.pagination_config import PagingRequest
from generator.spec.loader import load_spec

ITEM = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}


def query(name: str, kind: str = "integer", **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": kind, **schema}}


def listing(
    parameters: list[dict[str, Any]],
    answer: dict[str, Any],
    method: str = "get",
    headers: dict[str, Any] | None = None,
    **extensions: Any,
) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": "ok",
        "content": {"application/json": {"schema": answer}},
    }
    if headers:
        response["headers"] = headers
    operation = {
        "operationId": "listItems",
        "parameters": parameters,
        "responses": {"200": response},
        **extensions,
    }
    return openapi({"/items": {method: operation}}, {"Item": ITEM})


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


ITEMS = {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}


def build(
    tmp_path: Path, spec: dict[str, Any], settings: dict[str, PagingRequest | None] | None = None
) -> tuple[Api, list[str]]:
    """The model, and its warnings; `settings`: the configuration's pagination table."""
    path = write_spec(tmp_path, spec)
    config = ClientConfig(spec=path, output=tmp_path / "out", package_name="pkg")
    config.pagination = settings or {}
    api, diagnostics = build_api(load_spec(path), config)
    return api, [d.message for d in diagnostics]


def paging(tmp_path: Path, spec: dict[str, Any], **kwargs: Any) -> Pagination | None:
    api, _ = build(tmp_path, spec, **kwargs)
    operation: Operation = api.operations[0]
    return operation.pagination


# ---- detection ----------------------------------------------------------------------------------


def test_faxplus_list_faxes_is_offset_with_items_at_data_records(tmp_path: Path) -> None:
    spec = listing(
        [query("limit", maximum=50, default=50), query("offset", minimum=0)],
        obj(data=obj(records=ITEMS)),
    )
    found = paging(tmp_path, spec)
    assert found is not None
    assert (found.strategy, found.param, found.limit_param) == ("offset", "offset", "limit")
    assert found.items.json == ("data", "records") and found.items.steps == ("data", "records")
    assert (found.default_limit, found.max_limit, found.first) == (50, 50, 0)
    assert describe(found) == "offset: offset + limit, items at data.records"


def test_the_real_faxplus_spec(tmp_path: Path) -> None:
    path = Path(__file__).resolve().parent.parent / "specs" / "faxplus.yaml"
    config = ClientConfig(spec=path, output=tmp_path / "out")
    api, _ = build_api(load_spec(path), config)
    paginated = {op.operation_id: op.pagination for op in api.operations if op.pagination}
    assert list(paginated) == ["listFaxes"]
    assert describe(paginated["listFaxes"]) == "offset: offset + limit, items at data.records"


def test_page_numbers_with_total_pages(tmp_path: Path) -> None:
    spec = listing(
        [query("page", default=1), query("per_page", default=30)],
        obj(items=ITEMS, total_pages={"type": "integer"}),
    )
    found = paging(tmp_path, spec)
    assert found is not None and found.strategy == "page" and found.first == 1
    assert found.total_pages.json == ("total_pages",)


def test_page_numbers_need_to_know_the_first_page(tmp_path: Path) -> None:
    spec = listing([query("page"), query("per_page")], obj(items=ITEMS))
    assert paging(tmp_path, spec) is None  # 0 or 1? a wrong guess skips a page
    spec = listing([query("page", minimum=0), query("per_page")], obj(items=ITEMS))
    found = paging(tmp_path, spec)
    assert found is not None and found.first == 0


def test_cursor_in_response_metadata(tmp_path: Path) -> None:
    spec = listing(
        [query("cursor", "string"), query("limit")],
        obj(members=ITEMS, response_metadata=obj(next_cursor={"type": "string"})),
    )
    found = paging(tmp_path, spec)
    assert found is not None and found.strategy == "cursor" and found.param == "cursor"
    assert found.cursor.json == ("response_metadata", "next_cursor")
    assert found.items.json == ("members",)


def test_kubernetes_continue_is_a_cursor_read_by_attribute_name(tmp_path: Path) -> None:
    spec = listing(
        [query("continue", "string"), query("limit")],
        obj(items=ITEMS, metadata=obj(**{"continue": {"type": "string"}})),
    )
    found = paging(tmp_path, spec)
    assert found is not None and found.cursor.json == ("metadata", "continue")
    assert found.cursor.steps == ("metadata", "continue_")  # the model's attribute


def test_stripe_starting_after_with_has_more(tmp_path: Path) -> None:
    spec = listing(
        [query("starting_after", "string"), query("ending_before", "string"), query("limit")],
        obj(data=ITEMS, has_more={"type": "boolean"}, object={"type": "string"}),
    )
    found = paging(tmp_path, spec)
    assert found is not None and found.strategy == "last_id"
    assert (found.param, found.before_param, found.id_field) == (
        "starting_after",
        "ending_before",
        "id",
    )
    assert found.has_more.json == ("has_more",)


def test_last_id_needs_items_with_an_id(tmp_path: Path) -> None:
    nameless = {"type": "array", "items": obj(name={"type": "string"})}
    spec = listing(
        [query("starting_after", "string")], obj(data=nameless, has_more={"type": "boolean"})
    )
    assert paging(tmp_path, spec) is None


def test_next_url_twilio_and_hal_links(tmp_path: Path) -> None:
    spec = listing(
        [query("PageSize"), query("Page"), query("PageToken", "string")],
        obj(calls=ITEMS, next_page_uri={"type": "string", "nullable": True}),
    )
    found = paging(tmp_path, spec)
    assert found is not None and found.strategy == "next_url"
    assert found.cursor.json == ("next_page_uri",)
    hal = listing([], obj(items=ITEMS, _links=obj(next=obj(href={"type": "string"}))))
    found = paging(tmp_path, hal)
    assert found is not None and found.cursor.json == ("_links", "next", "href")


def test_link_header_github(tmp_path: Path) -> None:
    spec = listing(
        [query("per_page", default=30), query("page", default=1)],
        ITEMS,
        headers={"Link": {"schema": {"type": "string"}}},
    )
    found = paging(tmp_path, spec)
    assert found is not None and found.strategy == "link_header" and found.items.json == ()


@pytest.mark.parametrize(
    "parameters, answer, why",
    [
        ([query("offset", "string"), query("limit")], obj(data=ITEMS), "offset is not a number"),
        ([query("offset")], obj(data=ITEMS), "no page size parameter"),
        ([query("offset"), query("limit")], obj(count={"type": "integer"}), "no items"),
        ([query("cursor", "string")], obj(data=ITEMS), "no cursor in the answer"),
        ([query("cursor")], obj(data=ITEMS, next_cursor={"type": "string"}), "integer cursor"),
        ([query("limit")], obj(data=ITEMS, next_cursor={"type": "string"}), "no cursor param"),
        (
            [query("cursor", "string")],
            obj(data=ITEMS, next={"type": "string"}),
            "`next` beside a cursor parameter: a cursor or a URL?",
        ),
        (
            [query("offset"), query("limit")],
            obj(a=ITEMS, b=ITEMS),
            "two arrays, neither named as items",
        ),
    ],
)
def test_no_pagination_without_both_sides(
    tmp_path: Path, parameters: list[dict[str, Any]], answer: dict[str, Any], why: str
) -> None:
    assert paging(tmp_path, listing(parameters, answer)) is None, why


def test_only_get_operations_are_detected(tmp_path: Path) -> None:
    spec = listing([query("offset"), query("limit")], obj(data=ITEMS), method="post")
    assert paging(tmp_path, spec) is None


# ---- configuration ---------------------------------------------------------------------------------


def test_configuration_declares_what_detection_cannot_see(tmp_path: Path) -> None:
    spec = listing(
        [query("from", "string"), query("size")],
        obj(hits=obj(hits=ITEMS), scroll={"type": "string"}),
    )
    assert paging(tmp_path, spec) is None
    request = PagingRequest(
        "cursor", param="from", limit_param="size", items=("hits", "hits"), cursor=("scroll",)
    )
    found = paging(tmp_path, spec, settings={"listItems": request})
    assert found is not None and found.source == "configuration"
    assert describe(found) == "cursor: scroll -> from, items at hits.hits (configuration)"


def test_configuration_turns_detection_off(tmp_path: Path) -> None:
    spec = listing([query("offset"), query("limit")], obj(data=ITEMS))
    assert paging(tmp_path, spec) is not None
    assert paging(tmp_path, spec, settings={"listItems": None}) is None


def test_configuration_errors_name_the_operation_and_the_problem(tmp_path: Path) -> None:
    spec = listing([query("offset"), query("limit")], obj(data=ITEMS))
    with pytest.raises(ConfigError) as raised:
        build(
            tmp_path,
            spec,
            settings={
                "listItems": PagingRequest("cursor", param="token", cursor=("next",)),
                "listThings": None,
            },
        )
    assert raised.value.messages == [
        "oasgen: error: pagination: the spec has no operation 'listThings'",
        "oasgen: error: pagination of 'listItems': the operation has no query parameter 'token'",
    ]


def test_pagination_table_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        """
[[tool.oasgen.clients]]
spec = "spec.json"
output = "out"

[tool.oasgen.clients.pagination]
listItems = { strategy = "offset", param = "offset", limit-param = "limit", items = "data" }
exportAll = false
""",
        encoding="utf-8",
    )
    (config,) = load_config_file(tmp_path / "pyproject.toml")
    assert config.pagination == {
        "listItems": PagingRequest("offset", param="offset", limit_param="limit", items=("data",)),
        "exportAll": None,
    }
    (tmp_path / "oasgen.toml").write_text(
        '[[clients]]\nspec = "s"\noutput = "o"\npagination = { listItems = { strategy = "pages" } }\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_config_file(tmp_path / "oasgen.toml")
    assert "clients[0].pagination.listItems.strategy must be one of offset, page" in str(
        raised.value
    )


def test_pagination_false_turns_every_operation_off(tmp_path: Path) -> None:
    (tmp_path / "oasgen.toml").write_text(
        '[[clients]]\nspec = "spec.json"\noutput = "o"\npagination = false\n', encoding="utf-8"
    )
    (config,) = load_config_file(tmp_path / "oasgen.toml")
    assert config.pagination is None
    write_spec(tmp_path, listing([query("offset"), query("limit")], obj(data=ITEMS)))
    api, _ = build_api(load_spec(config.spec), config)
    assert api.operations[0].pagination is None


# ---- vendor extensions ------------------------------------------------------------------------------


def test_x_speakeasy_pagination_offset_limit(tmp_path: Path) -> None:
    extension = {
        "type": "offsetLimit",
        "inputs": [
            {"name": "skip", "in": "parameters", "type": "offset"},
            {"name": "take", "in": "parameters", "type": "limit"},
        ],
        "outputs": {"results": "$.rows"},
    }
    spec = listing(
        [query("skip"), query("take")], obj(rows=ITEMS), **{"x-speakeasy-pagination": extension}
    )
    found = paging(tmp_path, spec)
    assert found is not None and found.source == "x-speakeasy-pagination"
    assert (found.strategy, found.param, found.limit_param, found.items.json) == (
        "offset",
        "skip",
        "take",
        ("rows",),
    )


def test_x_speakeasy_cursor_from_the_last_item_is_last_id(tmp_path: Path) -> None:
    extension = {
        "type": "cursor",
        "inputs": [{"name": "since", "in": "parameters", "type": "cursor"}],
        "outputs": {"nextCursor": "$.data[-1].name", "results": "$.data"},
    }
    spec = listing(
        [query("since", "string")], obj(data=ITEMS), **{"x-speakeasy-pagination": extension}
    )
    found = paging(tmp_path, spec)
    assert found is not None and (found.strategy, found.param, found.id_field) == (
        "last_id",
        "since",
        "name",
    )


def test_x_speakeasy_body_cursor_cannot_be_mapped_and_says_so(tmp_path: Path) -> None:
    extension = {
        "type": "cursor",
        "inputs": [{"name": "since", "in": "requestBody", "type": "cursor"}],
        "outputs": {"nextCursor": "$.next"},
    }
    spec = listing(
        [query("offset"), query("limit")], obj(data=ITEMS), **{"x-speakeasy-pagination": extension}
    )
    api, messages = build(tmp_path, spec)
    assert api.operations[0].pagination is None  # the extension wins over detection, and fails
    assert any(
        "x-speakeasy-pagination: the input 'since' is in the request body" in m for m in messages
    )


def test_x_fern_pagination_offset_without_step_counts_pages(tmp_path: Path) -> None:
    fern = {"offset": "$request.page_number", "results": "$response.results"}
    spec = listing([query("page_number")], obj(results=ITEMS), **{"x-fern-pagination": fern})
    found = paging(tmp_path, spec)
    assert found is not None and (found.strategy, found.param) == ("page", "page_number")
    fern = {
        "cursor": "$request.after",
        "next_cursor": "$response.next",
        "results": "$response.results",
    }
    spec = listing(
        [query("after", "string")],
        obj(results=ITEMS, next={"type": "string"}),
        **{"x-fern-pagination": fern},
    )
    found = paging(tmp_path, spec)
    assert found is not None and (found.strategy, found.cursor.json) == ("cursor", ("next",))


def test_x_pagination_and_x_ms_pageable(tmp_path: Path) -> None:
    spec = listing(
        [query("page_token", "string")],
        obj(entries=ITEMS, token={"type": "string"}),
        **{"x-pagination": {"strategy": "cursor", "param": "page_token", "cursor": "token"}},
    )
    found = paging(tmp_path, spec)
    assert found is not None and found.source == "x-pagination" and found.cursor.json == ("token",)
    spec = listing(
        [],
        obj(value=ITEMS, nextLink={"type": "string"}),
        **{"x-ms-pageable": {"nextLinkName": "nextLink"}},
    )
    found = paging(tmp_path, spec)
    assert found is not None and (found.strategy, found.source) == ("next_url", "x-ms-pageable")
    spec = listing([query("offset"), query("limit")], obj(data=ITEMS), **{"x-pagination": False})
    assert paging(tmp_path, spec) is None
    # AutoRest: no nextLinkName, every item comes on one page; detection does not second-guess it
    spec = listing([query("offset"), query("limit")], obj(value=ITEMS), **{"x-ms-pageable": {}})
    api, messages = build(tmp_path, spec)
    assert api.operations[0].pagination is None and messages == []


def test_validate_verbose_lists_the_paginated_operations(tmp_path: Path) -> None:
    import subprocess
    import sys

    spec = Path(__file__).resolve().parent.parent / "specs" / "faxplus.yaml"
    listed = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "-v", str(spec)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert "faxplus.yaml: 1 paginated operation(s)\n" in listed.stderr
    assert (
        "  listFaxes (GET /accounts/{user_id}/faxes): offset: offset + limit, items at data.records\n"
        in listed.stderr
    )
    quiet = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(spec)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert "paginated" not in quiet.stderr
