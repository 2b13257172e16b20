"""Auto-pagination on the wire (issue 12): per strategy, a MockTransport server serving several
pages; items in order, sync and async, lazily, with the stop conditions, and no credentials sent
to a next page on another host. Fax.Plus `listFaxes` through its generated method; the other
strategies through the same runtime (`client.paginate` with a `Paging`), as generated methods
call it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import faxplus
import httpx
import pytest
from faxplus._base_client import Endpoint
from faxplus._pagination import Paging
from faxplus._types import NOT_GIVEN
from faxplus.models import Fax
from faxplus_samples import sample

TOKEN = "sk-paging-secret"
BASE = "https://api.example.test/v3"
FAX = sample(Fax)


class Server:
    """A MockTransport handler answering from a function; keeps every request."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)

    @property
    def urls(self) -> list[str]:
        return [str(r.url) for r in self.requests]


def sync_client(server: Server) -> faxplus.FaxPlus:
    http = httpx.Client(transport=httpx.MockTransport(server))
    return faxplus.FaxPlus(access_token=TOKEN, base_url=BASE, http_client=http, max_retries=0)


def async_client(server: Server) -> faxplus.AsyncFaxPlus:
    http = httpx.AsyncClient(transport=httpx.MockTransport(server))
    return faxplus.AsyncFaxPlus(access_token=TOKEN, base_url=BASE, http_client=http, max_retries=0)


# ---- offset: Fax.Plus listFaxes (limit + offset, items at data.records, no total) ----------------


def faxes_server(total: int) -> Server:
    def answer(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        limit = int(request.url.params.get("limit", 50))
        records = [{**FAX, "id": f"fax{i}"} for i in range(offset, min(offset + limit, total))]
        return httpx.Response(200, json={"data": {"records": records}})

    return Server(answer)


def test_list_faxes_iterates_every_page_in_order() -> None:
    server = faxes_server(7)
    ids = [fax.id for fax in sync_client(server).faxes.list_faxes(limit=3)]
    assert ids == [f"fax{i}" for i in range(7)]
    # the third page is short (1 < 3): the last, no fourth request
    assert [r.url.params.get("offset") for r in server.requests] == [None, "3", "6"]


def test_breaking_after_the_first_item_sends_one_request() -> None:
    server = faxes_server(100)
    for _ in sync_client(server).faxes.list_faxes(limit=3):
        break
    assert len(server.requests) == 1


def test_a_full_last_page_ends_on_the_empty_page_after_it() -> None:
    server = faxes_server(6)
    assert len(list(sync_client(server).faxes.list_faxes(limit=3))) == 6
    assert [r.url.params.get("offset") for r in server.requests] == [None, "3", "6"]


def test_the_default_page_size_says_when_a_page_is_short() -> None:
    server = faxes_server(60)  # 50 by default (the spec's), then 10: the last
    assert len(list(sync_client(server).faxes.list_faxes())) == 60
    assert len(server.requests) == 2


def test_a_page_exposes_its_answer_items_and_the_next_page() -> None:
    server = faxes_server(5)
    page = sync_client(server).faxes.list_faxes(limit=2, offset=1)
    assert [f.id for f in page.items] == ["fax1", "fax2"]
    assert page.response.data is not None and page.response.data.records == page.items
    assert page.has_next_page() and page.next_page_info() == {
        **page._arguments["query"],
        "offset": 3,
    }
    following = page.next_page()
    assert [f.id for f in following.items] == ["fax3", "fax4"]
    # fax5 does not exist: the third page is empty, and the last
    assert [len(p.items) for p in page.iter_pages()] == [2, 2, 0]
    last = following.next_page()
    assert last.items == [] and not last.has_next_page()
    with pytest.raises(RuntimeError, match="no next page"):
        last.next_page()


def test_the_page_reads_the_answers_fields_for_older_untyped_code() -> None:
    page = sync_client(faxes_server(1)).faxes.list_faxes()
    assert page.data.records[0].id == "fax0"  # type: ignore[attr-defined]


def test_raw_and_streaming_responses_give_the_page_on_parse() -> None:
    server = faxes_server(4)
    client = sync_client(server)
    raw = client.faxes.with_raw_response.list_faxes(limit=3)
    assert raw.status_code == 200
    assert [f.id for f in raw.parse()] == [f"fax{i}" for i in range(4)]
    with client.faxes.with_streaming_response.list_faxes(limit=3) as streamed:
        assert [f.id for f in streamed.parse().items] == ["fax0", "fax1", "fax2"]


def test_async_iteration_await_and_pages() -> None:
    async def run() -> None:
        server = faxes_server(5)
        client = async_client(server)
        assert [f.id async for f in client.faxes.list_faxes(limit=2)] == [
            f"fax{i}" for i in range(5)
        ]
        page = await client.faxes.list_faxes(limit=2)
        assert [f.id for f in page.items] == ["fax0", "fax1"] and page.has_next_page()
        assert [f.id for f in (await page.next_page()).items] == ["fax2", "fax3"]
        assert [len(p.items) async for p in page.iter_pages()] == [2, 2, 1]
        assert [len(p.items) async for p in client.faxes.list_faxes(limit=4).iter_pages()] == [
            4,
            1,
        ]
        raw = await client.faxes.with_raw_response.list_faxes(limit=2)
        assert [f.id async for f in await raw.parse()] == [f"fax{i}" for i in range(5)]
        server.requests.clear()
        async for _ in client.faxes.list_faxes(limit=2):
            break
        assert len(server.requests) == 1

    asyncio.run(run())


def test_a_server_ignoring_the_offset_does_not_loop_for_ever() -> None:
    records = [{**FAX, "id": f"fax{i}"} for i in range(3)]
    server = Server(lambda r: httpx.Response(200, json={"data": {"records": records}}))
    assert len(list(sync_client(server).faxes.list_faxes(limit=3))) == 3
    assert len(server.requests) == 2  # the second page repeats the first: the end


# ---- the other strategies, through the runtime the generated methods call ------------------------

LIST: Endpoint[dict[str, Any]] = Endpoint(
    "GET", "/items", dict[str, Any], security=(("oauth2",), ("personal_access_token",))
)


def items(names: range | list[int]) -> list[dict[str, Any]]:
    return [{"id": f"it{i}"} for i in names]


def run_both(
    server: Server, paging: Paging[Any], query: dict[str, Any] | None = None
) -> tuple[list[str], list[str]]:
    """The ids the sync and the async iteration yield (the server's requests reset between)."""
    query = query or {}
    found = [i["id"] for i in sync_client(server).paginate(LIST, paging, None, query=query)]
    server.requests.clear()

    async def collect() -> list[str]:
        pages = async_client(server).paginate(LIST, paging, None, query=query)
        return [i["id"] async for i in pages]

    return found, asyncio.run(collect())


def test_page_numbers_stop_on_the_total_page_count() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", 1))
        return httpx.Response(
            200, json={"results": items(range(page * 10, page * 10 + 2)), "pages": 3}
        )

    paging: Paging[Any] = Paging(
        "page",
        items=("results",),
        param="page",
        limit_param="per_page",
        first=1,
        total_pages=("pages",),
    )
    server = Server(answer)
    sync_ids, async_ids = run_both(server, paging, {"page": NOT_GIVEN, "per_page": NOT_GIVEN})
    assert sync_ids == async_ids == ["it10", "it11", "it20", "it21", "it30", "it31"]
    assert [r.url.params.get("page") for r in server.requests] == [None, "2", "3"]


def test_cursor_sent_back_until_it_is_empty() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor", "")
        following = {"": "c1", "c1": "c2", "c2": ""}[cursor]
        start = {"": 0, "c1": 2, "c2": 4}[cursor]
        meta = {"next_cursor": following or None}
        return httpx.Response(200, json={"data": items(range(start, start + 2)), "meta": meta})

    paging: Paging[Any] = Paging(
        "cursor", items=("data",), param="cursor", cursor=("meta", "next_cursor")
    )
    server = Server(answer)
    sync_ids, async_ids = run_both(server, paging, {"cursor": NOT_GIVEN})
    assert sync_ids == async_ids == [f"it{i}" for i in range(6)]
    assert [r.url.params.get("cursor") for r in server.requests] == [None, "c1", "c2"]


def test_a_repeated_cursor_stops() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor", "")
        following = {"": "a", "a": "b", "b": "a"}[cursor]  # b leads back to a: a loop
        start = {"": 0, "a": 2, "b": 4}[cursor]
        return httpx.Response(200, json={"data": items(range(start, start + 2)), "next": following})

    paging: Paging[Any] = Paging("cursor", items=("data",), param="cursor", cursor=("next",))
    server = Server(answer)
    sync_ids, async_ids = run_both(server, paging, {"cursor": NOT_GIVEN})
    assert sync_ids == async_ids == [f"it{i}" for i in range(6)]
    assert len(server.requests) == 3


def test_last_item_id_while_has_more_stripe_style() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("starting_after")
        start = 0 if after is None else int(after[2:]) + 1
        data = items(range(start, min(start + 3, 7)))
        return httpx.Response(200, json={"data": data, "has_more": start + 3 < 7})

    paging: Paging[Any] = Paging(
        "last_id",
        items=("data",),
        param="starting_after",
        has_more=("has_more",),
        before_param="ending_before",
    )
    server = Server(answer)
    query = {"starting_after": NOT_GIVEN, "ending_before": NOT_GIVEN}
    sync_ids, async_ids = run_both(server, paging, query)
    assert sync_ids == async_ids == [f"it{i}" for i in range(7)]
    assert [r.url.params.get("starting_after") for r in server.requests] == [None, "it2", "it5"]


def test_last_item_id_pages_backwards_from_ending_before() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        before = int(request.url.params["ending_before"][2:])
        data = items(range(max(before - 2, 0), before))
        return httpx.Response(200, json={"data": data, "has_more": before - 2 > 0})

    paging: Paging[Any] = Paging(
        "last_id",
        items=("data",),
        param="starting_after",
        has_more=("has_more",),
        before_param="ending_before",
    )
    server = Server(answer)
    query = {"starting_after": NOT_GIVEN, "ending_before": "it6"}
    sync_ids, _ = run_both(server, paging, query)
    assert sync_ids == ["it4", "it5", "it2", "it3", "it0", "it1"]


def next_url_server(next_links: dict[str, str | None]) -> Server:
    def answer(request: httpx.Request) -> httpx.Response:
        key = request.url.path + ("?" + request.url.query.decode() if request.url.query else "")
        start = len(next_links) and list(next_links).index(key) * 2
        return httpx.Response(
            200, json={"calls": items(range(start, start + 2)), "next_page_uri": next_links[key]}
        )

    return Server(answer)


def test_next_url_relative_to_the_api_and_sent_with_credentials() -> None:
    server = next_url_server(
        {
            "/v3/items?PageSize=2": "/v3/items?Page=1&PageToken=PA1",
            "/v3/items?Page=1&PageToken=PA1": "items?Page=2&PageToken=PA2",
            "/v3/items?Page=2&PageToken=PA2": None,
        }
    )
    paging: Paging[Any] = Paging("next_url", items=("calls",), cursor=("next_page_uri",))
    sync_ids, async_ids = run_both(server, paging, {"PageSize": 2})
    assert sync_ids == async_ids == [f"it{i}" for i in range(6)]
    assert server.urls == [
        f"{BASE}/items?PageSize=2",
        f"{BASE}/items?Page=1&PageToken=PA1",  # the query is the URL's own, not the call's again
        f"{BASE}/items?Page=2&PageToken=PA2",
    ]
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in server.requests)


def test_next_url_on_another_host_gets_no_credentials() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.example.test":
            return httpx.Response(
                200, json={"calls": items([0]), "next_page_uri": "https://elsewhere.test/p2"}
            )
        return httpx.Response(200, json={"calls": items([1]), "next_page_uri": None})

    server = Server(answer)
    paging: Paging[Any] = Paging("next_url", items=("calls",), cursor=("next_page_uri",))
    sync_ids, async_ids = run_both(server, paging)
    assert sync_ids == async_ids == ["it0", "it1"]
    first, elsewhere = server.requests
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "Authorization" not in elsewhere.headers


def test_a_next_url_leading_back_stops() -> None:
    server = next_url_server({"/v3/items": "/v3/items?p=2", "/v3/items?p=2": "/v3/items"})
    paging: Paging[Any] = Paging("next_url", items=("calls",), cursor=("next_page_uri",))
    sync_ids, _ = run_both(server, paging)
    assert sync_ids == ["it0", "it1", "it2", "it3"]
    assert len(server.requests) == 2


def test_link_header_github_style() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("page", 1))
        headers = {}
        if page < 3:
            headers["Link"] = (
                f'<{BASE}/items?page={page + 1}&per_page=2>; rel="next", '
                f'<{BASE}/items?page=3&per_page=2>; rel="last"'
            )
        return httpx.Response(200, json=items(range(page * 2, page * 2 + 2)), headers=headers)

    array: Endpoint[list[dict[str, Any]]] = Endpoint("GET", "/items", list[dict[str, Any]])
    paging: Paging[Any] = Paging("link_header")
    server = Server(answer)
    client = sync_client(server)
    ids = [i["id"] for i in client.paginate(array, paging, None, query={"per_page": 2})]
    assert ids == ["it2", "it3", "it4", "it5", "it6", "it7"]
    assert server.urls[1:] == [f"{BASE}/items?page=2&per_page=2", f"{BASE}/items?page=3&per_page=2"]

    async def collect() -> list[str]:
        pages = async_client(server).paginate(array, paging, None, query={"per_page": 2})
        return [i["id"] async for i in pages]

    assert asyncio.run(collect()) == ids


def test_an_empty_page_ends_every_strategy() -> None:
    server = Server(lambda r: httpx.Response(200, json={"data": [], "next_cursor": "again"}))
    paging: Paging[Any] = Paging("cursor", items=("data",), param="cursor", cursor=("next_cursor",))
    assert run_both(server, paging, {"cursor": NOT_GIVEN}) == ([], [])
    assert len(server.requests) == 1
