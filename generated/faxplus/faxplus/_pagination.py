"""Auto-pagination: a paginated operation answers with its first page; iterating the page yields
the items of every page, each page fetched only when the loop gets there."""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Generator,
    Generic,
    Iterator,
    Mapping,
    TypeVar,
    cast,
)

import httpx

from ._response import response_mode
from ._types import NotGiven, RequestOptions

if TYPE_CHECKING:
    from dataclasses import dataclass

    from ._base_client import AsyncAPIClient, Endpoint, SyncAPIClient
else:  # the same records, their methods not compiled at import (see frozen_record)
    from ._types import frozen_record as dataclass

_ItemT = TypeVar("_ItemT")
_ResponseT = TypeVar("_ResponseT")


@dataclass(frozen=True)
class Paging(Generic[_ItemT]):
    """How the pages of one operation follow each other; `_ItemT` is the type of its items.

    `strategy`: "offset" (`param` counts items), "page" (`param` counts pages), "cursor" (the
    answer's `cursor` is sent back as `param`), "last_id" (the last item's `id_field` is sent as
    `param` while `has_more`), "next_url" (the answer's `cursor` is the next page's URL) or
    "link_header" (RFC 8288 `Link: <...>; rel="next"`). Paths are attribute names of the parsed
    models (keys of plain mappings), from the parsed answer."""

    strategy: str
    items: tuple[str, ...] = ()
    param: str = ""
    limit_param: str = ""
    default_limit: int | None = None
    max_limit: int | None = None
    first: int = 0
    """The position of the first page when the call does not give one (offset or page number)."""
    cursor: tuple[str, ...] = ()
    has_more: tuple[str, ...] = ()
    total: tuple[str, ...] = ()
    total_pages: tuple[str, ...] = ()
    id_field: str = "id"
    before_param: str = ""
    """last_id: a parameter that pages backwards (`ending_before`): when given, the first item's
    id moves it on."""

    def following(self, page: BasePage[Any, Any]) -> _Following | None:
        """The arguments of the call for the page after `page`, or None when `page` is the last."""
        if not page.items or _field(page.response, self.has_more) is False:
            return None
        if self.strategy in ("offset", "page"):
            return self._counted(page)
        if self.strategy == "link_header":
            link = page.http_response.links.get("next", {}).get("url")
            return _url_following(page, link)
        value = _field(page.response, self.cursor)
        if self.strategy == "next_url":
            return _url_following(page, value)
        if self.strategy == "last_id":
            backwards = self.before_param and _given(page, self.before_param) is not None
            item = page.items[0] if backwards else page.items[-1]
            value = _field(item, (self.id_field,))
            return _query_following(page, self.before_param if backwards else self.param, value)
        return _query_following(page, self.param, value)

    def _counted(self, page: BasePage[Any, Any]) -> _Following | None:
        count = len(page.items)
        current = _given(page, self.param)
        position = current if isinstance(current, int) else self.first
        size = self._page_size(page)
        if size is not None and count < size:
            return None  # a short page is the last
        if self.strategy == "offset":
            following = position + count
            total = _field(page.response, self.total)
            if _is_count(total) and following >= total:
                return None
        else:
            following = position + 1
            total_pages = _field(page.response, self.total_pages)
            if _is_count(total_pages) and following - self.first >= total_pages:
                return None
            total = _field(page.response, self.total)
            if _is_count(total) and size and (following - self.first) * size >= total:
                return None
        return _query_following(page, self.param, following)

    def _page_size(self, page: BasePage[Any, Any]) -> int | None:
        """The number of items a full page holds, when known for sure: the size the call asked
        for (within the documented maximum, past which a server may cut it), else the default."""
        asked = _given(page, self.limit_param) if self.limit_param else None
        if isinstance(asked, int) and not isinstance(asked, bool):
            if self.max_limit is not None and asked > self.max_limit:
                return self.max_limit
            return asked
        return self.default_limit


@dataclass(frozen=True)
class _Following:
    arguments: dict[str, Any]
    position: str


def _dig(value: Any, path: tuple[str, ...]) -> Any:
    """The value at `path` (attributes of models, keys of mappings); None where it stops."""
    if not path:
        return value
    for step in path:
        if value is None:
            return None
        value = value.get(step) if isinstance(value, Mapping) else getattr(value, step, None)
    return value


def _field(value: Any, path: tuple[str, ...]) -> Any:
    """A field of the answer named by a non-empty path; None when the path is empty."""
    return _dig(value, path) if path else None


def _is_count(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _given(page: BasePage[Any, Any], name: str) -> Any:
    value = (page._arguments.get("query") or {}).get(name)
    return None if isinstance(value, NotGiven) else value


def _query_following(page: BasePage[Any, Any], name: str, value: Any) -> _Following | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    position = f"{name}={value}"
    if position in page._seen:
        return None  # the cursor repeats: the server would answer with a page already seen
    arguments = dict(page._arguments)
    arguments["query"] = {**(arguments.get("query") or {}), name: value}
    return _Following(arguments, position)


def _url_following(page: BasePage[Any, Any], link: Any) -> _Following | None:
    if not isinstance(link, str) or not link.strip():
        return None
    # Relative to the page's own URL (RFC 3986): `/2010-04-01/Accounts/...` is on the API's host.
    url = str(page.http_response.request.url.join(link.strip()))
    if url in page._seen:
        return None
    arguments = {k: v for k, v in page._arguments.items() if k not in ("query", "path_params")}
    arguments["page_url"] = url
    return _Following(arguments, url)


class BasePage(Generic[_ItemT, _ResponseT]):
    """One page of a paginated operation: its parsed answer, its items, the way to the next."""

    def __init__(
        self,
        paging: Paging[_ItemT],
        response: _ResponseT,
        http_response: httpx.Response,
        arguments: dict[str, Any],
        seen: frozenset[str],
    ) -> None:
        self._paging = paging
        self._response = response
        self._http_response = http_response
        self._arguments = arguments
        # Where this page was asked from: a cursor or URL leading back here is a loop.
        positions = {str(http_response.request.url)}
        for name in (paging.param, paging.before_param):
            given = (arguments.get("query") or {}).get(name) if name else None
            if given is not None and not isinstance(given, NotGiven):
                positions.add(f"{name}={given}")
        self._seen = seen | positions
        items = _dig(response, paging.items)
        self._items: list[_ItemT] = list(items) if isinstance(items, list) else []

    @property
    def response(self) -> _ResponseT:
        """The parsed answer of this page, with all of its fields."""
        return self._response

    @property
    def items(self) -> list[_ItemT]:
        """The items of this page only (iterate the page for the items of every page)."""
        return self._items

    @property
    def http_response(self) -> httpx.Response:
        """The HTTP response of this page (status, headers)."""
        return self._http_response

    def has_next_page(self) -> bool:
        return self._paging.following(self) is not None

    def next_page_info(self) -> Mapping[str, Any] | None:
        """The query (or URL) the next page is asked with; None on the last page."""
        following = self._paging.following(self)
        if following is None:
            return None
        if "page_url" in following.arguments:
            return {"url": following.arguments["page_url"]}
        return dict(following.arguments.get("query") or {})

    def _next(self) -> _Following:
        following = self._paging.following(self)
        if following is None:
            raise RuntimeError("no next page: check has_next_page() before next_page()")
        return following

    def __repr__(self) -> str:
        more = "more pages" if self.has_next_page() else "last page"
        return f"<{type(self).__name__} of {len(self._items)} items, {more}>"

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            # Code written before the operation was paginated reads the answer's fields on
            # the page; typed code reads them on `.response`.
            if name.startswith("_"):
                raise AttributeError(name)
            return getattr(self._response, name)


class SyncPage(BasePage[_ItemT, _ResponseT]):
    """A page of a paginated operation. `for item in page` yields the items of this page and of
    every following one, fetching each page when the loop reaches it."""

    def __init__(
        self,
        client: SyncAPIClient,
        endpoint: Endpoint[_ResponseT],
        options: RequestOptions | None,
        paging: Paging[_ItemT],
        response: _ResponseT,
        http_response: httpx.Response,
        arguments: dict[str, Any],
        seen: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(paging, response, http_response, arguments, seen)
        self._client = client
        self._endpoint = endpoint
        self._options = options

    def __iter__(self) -> Iterator[_ItemT]:
        for page in self.iter_pages():
            yield from page.items

    def iter_pages(self) -> Iterator[SyncPage[_ItemT, _ResponseT]]:
        """This page and every following one, each fetched when asked for."""
        page = self
        while True:
            yield page
            following = page._paging.following(page)
            if following is None:
                return
            fetched = page._fetch(following)
            if fetched.items == page.items:
                return  # the server ignored the position: the same page again, for ever
            page = fetched

    def next_page(self) -> SyncPage[_ItemT, _ResponseT]:
        """The page after this one (RuntimeError on the last: see `has_next_page()`)."""
        return self._fetch(self._next())

    def _fetch(self, following: _Following) -> SyncPage[_ItemT, _ResponseT]:
        return cast(
            "SyncPage[_ItemT, _ResponseT]",
            sync_page(
                self._client,
                self._endpoint,
                self._paging,
                self._options,
                following.arguments,
                self._seen | {following.position},
            ),
        )


class AsyncPage(BasePage[_ItemT, _ResponseT]):
    """The async twin of `SyncPage`: `async for item in page`."""

    def __init__(
        self,
        client: AsyncAPIClient,
        endpoint: Endpoint[_ResponseT],
        options: RequestOptions | None,
        paging: Paging[_ItemT],
        response: _ResponseT,
        http_response: httpx.Response,
        arguments: dict[str, Any],
        seen: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(paging, response, http_response, arguments, seen)
        self._client = client
        self._endpoint = endpoint
        self._options = options

    async def __aiter__(self) -> AsyncIterator[_ItemT]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item

    async def iter_pages(self) -> AsyncIterator[AsyncPage[_ItemT, _ResponseT]]:
        """This page and every following one, each fetched when asked for."""
        page = self
        while True:
            yield page
            following = page._paging.following(page)
            if following is None:
                return
            fetched = await page._fetch(following)
            if fetched.items == page.items:
                return
            page = fetched

    async def next_page(self) -> AsyncPage[_ItemT, _ResponseT]:
        """The page after this one (RuntimeError on the last: see `has_next_page()`)."""
        return await self._fetch(self._next())

    async def _fetch(self, following: _Following) -> AsyncPage[_ItemT, _ResponseT]:
        page = await async_page(
            self._client,
            self._endpoint,
            self._paging,
            self._options,
            following.arguments,
            self._seen | {following.position},
        )
        return cast("AsyncPage[_ItemT, _ResponseT]", page)


class AsyncPaginator(Generic[_ItemT, _ResponseT]):
    """What an async paginated method answers: `await` it for the first page, or `async for`
    over it for the items of every page."""

    def __init__(
        self,
        client: AsyncAPIClient,
        endpoint: Endpoint[_ResponseT],
        paging: Paging[_ItemT],
        options: RequestOptions | None,
        arguments: dict[str, Any],
    ) -> None:
        self._client = client
        self._endpoint = endpoint
        self._paging = paging
        self._options = options
        self._arguments = arguments

    def __await__(self) -> Generator[Any, None, AsyncPage[_ItemT, _ResponseT]]:
        return self._first().__await__()

    async def _first(self) -> AsyncPage[_ItemT, _ResponseT]:
        page = await async_page(
            self._client, self._endpoint, self._paging, self._options, self._arguments
        )
        return cast("AsyncPage[_ItemT, _ResponseT]", page)

    async def __aiter__(self) -> AsyncIterator[_ItemT]:
        page = await self._first()
        async for item in page:
            yield item

    async def iter_pages(self) -> AsyncIterator[AsyncPage[_ItemT, _ResponseT]]:
        """Every page, the first included, each fetched when asked for."""
        page = await self._first()
        async for each in page.iter_pages():
            yield each


def _answer_mode() -> tuple[str, Any]:
    """Pages are built from the raw response (a Link header is read from it): the request is
    sent raw, and the caller's mode decides what it gets back."""
    mode = response_mode.get()
    return mode, response_mode.set("raw" if mode == "parsed" else mode)


def sync_page(
    client: SyncAPIClient,
    endpoint: Endpoint[Any],
    paging: Paging[Any],
    options: RequestOptions | None,
    arguments: dict[str, Any],
    seen: frozenset[str] = frozenset(),
) -> Any:
    """A page, or with `with_raw_response` / `with_streaming_response` the raw response whose
    `parse()` gives the page."""
    mode, token = _answer_mode()
    try:
        raw = client.call(endpoint, options, **arguments)
    finally:
        response_mode.reset(token)

    def build(parsed: Any) -> SyncPage[Any, Any]:
        http = raw.http_response
        return SyncPage(client, endpoint, options, paging, parsed, http, arguments, seen)

    if mode == "parsed":
        return build(raw.parse())
    raw._post_parse = build
    return raw


async def async_page(
    client: AsyncAPIClient,
    endpoint: Endpoint[Any],
    paging: Paging[Any],
    options: RequestOptions | None,
    arguments: dict[str, Any],
    seen: frozenset[str] = frozenset(),
) -> Any:
    mode, token = _answer_mode()
    try:
        raw = await client.call(endpoint, options, **arguments)
    finally:
        response_mode.reset(token)

    def build(parsed: Any) -> AsyncPage[Any, Any]:
        http = raw.http_response
        return AsyncPage(client, endpoint, options, paging, parsed, http, arguments, seen)

    if mode == "parsed":
        return build(await raw.parse())
    raw._post_parse = build
    return raw
