"""The shared runtime of the generated clients: requests, auth, retries, timeouts and errors."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import field
from typing import (
    TYPE_CHECKING,
    Any,
    Generic,
    Literal,
    Mapping,
    TypeVar,
    cast,
    overload,
)

import httpx
from typing_extensions import Self

from . import _encoding as enc
from . import _params as wire
from . import _retries as retries
from ._deprecation import warn_deprecated
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    explain_error_body,
    status_error_class,
)
from ._response import (
    APIResponse,
    AsyncAPIResponse,
    parse_response,
    response_mode,
    type_adapter,
)
from ._types import NOT_GIVEN, NotGiven, RequestOptions, TimeoutTypes

if TYPE_CHECKING:
    from dataclasses import dataclass

    from ._hooks import Hooks
    from ._oauth import OAuth2, OAuthFlow
    from ._oauth_session import OAuthSession
    from ._pagination import AsyncPaginator, Paging, SyncPage
    from ._streaming import AsyncStream, Events, Stream
else:  # the same records, their methods not compiled at import (see frozen_record)
    from ._types import frozen_record as dataclass

T = TypeVar("T")
_ItemT = TypeVar("_ItemT")
_EventT = TypeVar("_EventT")

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_CONNECTION_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)

log = logging.getLogger(__name__.rsplit(".", 1)[0])


class _Unhooked:
    """What the send loops read when the client was given no hooks: `_hooks` (its dataclasses
    cost more to create than a cold call can spare) is imported by clients given some, and by
    the loops when a hook is there to run."""

    on_request = on_response = on_retry = on_error = None


_UNHOOKED = _Unhooked()


class _RedactQueryKeys(logging.Filter):
    """httpx logs every request's full URL: API keys sent in the query are masked there."""

    names: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.names and isinstance(record.args, tuple):
            record.args = tuple(
                _masked(arg, self.names) if isinstance(arg, httpx.URL) else arg
                for arg in record.args
            )
        return True


def _masked(url: httpx.URL, names: set[str]) -> httpx.URL:
    if not any(key in names for key in url.params):
        return url
    params = [(k, "***" if k in names else v) for k, v in url.params.multi_items()]
    return url.copy_with(params=params)


_REDACT = _RedactQueryKeys()


@dataclass(frozen=True)
class ServerVariable:
    """A `{name}` in a server URL: its default and, when the spec lists them, its allowed values."""

    name: str
    default: str
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class Server:
    """A server URL of the spec, possibly holding `{variables}`."""

    url: str
    variables: tuple[ServerVariable, ...] = ()

    def resolve(self, values: Mapping[str, str]) -> str:
        """The URL with the variables of `values` (others at their defaults); a value outside a
        variable's enum is refused before anything is sent."""
        url = self.url
        for variable in self.variables:
            value = str(values.get(variable.name, variable.default))
            if variable.enum and value not in variable.enum:
                allowed = ", ".join(repr(v) for v in variable.enum)
                raise ValueError(
                    f"server variable {variable.name!r} must be one of {allowed}; got {value!r}"
                )
            url = url.replace("{" + variable.name + "}", value)
        return url


@dataclass(frozen=True)
class Endpoint(Generic[T]):
    """What one operation always sends and expects, declared once per operation and shared by its
    sync and async methods: `client.call(endpoint, ...)` answers with a `T`."""

    method: str
    path: str
    cast_to: Any = None
    result: str = "json"
    errors: Mapping[str, Any] | None = None
    security: Any = None
    accept: str | None = None
    # Parameter serialisation that differs from the defaults, keyed by (location, name).
    styles: Mapping[tuple[str, str], tuple[str, bool]] | None = None
    allow_reserved: tuple[str, ...] = ()
    param_media: Mapping[tuple[str, str], str] | None = None
    files: tuple[str, ...] = ()
    content_type: str | None = None
    server: Server | None = None
    """The operation's (or its path's) own server; None for the API's root servers."""
    encoding: Mapping[str, enc.PartEncoding] | None = None
    """The Encoding Objects of the properties of a form or multipart body."""
    deprecated: str | None = None
    """The warning of an operation the spec marks deprecated (given once per process)."""
    optional_body: bool = False
    """A body the operation may go without, from flattened arguments: when the caller gives none of
    its properties, no body is sent (as when it gave no model)."""

    def request_arguments(self) -> dict[str, Any]:
        """The keyword arguments of `request` that come from the endpoint."""
        return {
            "cast_to": self.cast_to,
            "result": self.result,
            "errors": self.errors,
            "security": self.security,
            "accept": self.accept,
            "styles": self.styles,
            "allow_reserved": self.allow_reserved,
            "param_media": self.param_media,
            "files": self.files,
            "content_type": self.content_type,
            "server": self.server,
            "encoding": self.encoding,
            "optional_body": self.optional_body,
        }


@dataclass(frozen=True)
class Scheme:
    """One security scheme: how a credential argument is put on a request."""

    kind: str  # bearer | basic | api_key | oauth2 (bearer, from `oauth=` or a static token)
    credential: str
    location: str = "header"
    name: str = "Authorization"


@dataclass(frozen=True)
class ClientSpec:
    """What the generated client knows of its API; the runtime is the same for every API."""

    package: str
    server: Server | None
    """The first root server, when its URL is absolute."""
    env_prefix: str
    schemes: Mapping[str, Scheme] = field(default_factory=dict)
    default_security: tuple[tuple[str, ...], ...] = ()
    header_arguments: Mapping[str, str] = field(default_factory=dict)
    argument_env: Mapping[str, str] = field(default_factory=dict)
    user_agent: str = ""
    server_variables: tuple[str, ...] = ()
    """The names of the variables of every server the API declares (root, path and operation)."""
    oauth_flows: tuple[OAuthFlow, ...] = ()


class _Prepared:
    """A request ready to be (re)built for each attempt, with its per-request settings."""

    def __init__(
        self,
        client: BaseClient,
        method: str,
        url: str,
        kwargs: dict[str, Any],
        options: RequestOptions,
        opened: enc.OpenedFiles,
    ) -> None:
        self.method = method
        self.url = url
        self.kwargs = kwargs
        self.opened = opened
        timeout = options.get("timeout", NOT_GIVEN)
        self.timeout = client.timeout if isinstance(timeout, NotGiven) else timeout
        self.max_retries = options.get("max_retries", client.max_retries)
        self.idempotent = retries.is_idempotent(method, kwargs["headers"])
        self.oauth: OAuthSession | None = None
        """Set when an OAuth2 token authorizes the request: put on at each attempt."""
        self.renewed = False  # the token was renewed after a 401 (once per request)

    def build(self, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        # Files are rewound so that a retry sends the same bytes as the first attempt.
        self.opened.rewind()
        return http.build_request(self.method, self.url, timeout=self.timeout, **self.kwargs)

    def url_for_logs(self) -> httpx.URL:
        # The query may hold an API key: logs and messages show the URL without it.
        return httpx.URL(self.url.partition("?")[0])


class BaseClient:
    """Everything about a request that does not wait on the network."""

    _spec: ClientSpec
    _owns_http = False
    follow_redirects = True
    initial_retry_delay = 0.5
    max_retry_delay = 8.0
    max_retry_after = 60.0
    """A server asking for a longer wait than this gets no retry: the error is raised at once."""

    def __init__(
        self,
        *,
        credentials: Mapping[str, str | None],
        header_values: Mapping[str, str | None],
        base_url: str | httpx.URL | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        server_variables: Mapping[str, str] | None = None,
        base_url_for_all_operations: bool = False,
        hooks: Hooks | None = None,
        oauth: OAuth2 | None = None,
    ) -> None:
        spec = self._spec
        self._hooks = hooks
        self._credentials = {k: self._from_env(k, v) for k, v in credentials.items()}
        header_values = {k: self._from_env(k, v) for k, v in header_values.items()}
        self._header_values = {k: v for k, v in header_values.items() if v is not None}
        self._server_variables = self._checked_variables(server_variables or {})
        self._given_base_url = base_url or os.environ.get(f"{spec.env_prefix}_BASE_URL")
        self.base_url_for_all_operations = base_url_for_all_operations
        """True: `base_url` serves every operation, also those the spec sends to servers of their own."""
        url = self._given_base_url
        if not url and spec.server is not None:
            url = spec.server.resolve(self._server_variables)
        if not url:
            raise ValueError(
                "no base_url: the spec names no absolute server URL; pass base_url=..."
            )
        self.base_url = httpx.URL(str(url).rstrip("/") + "/")
        self._oauth = self._oauth_session(oauth) if oauth else None
        self._server_urls: dict[Server, str] = {}
        self.timeout: TimeoutTypes = DEFAULT_TIMEOUT if isinstance(timeout, NotGiven) else timeout
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.max_retries = max_retries
        self._default_headers = dict(default_headers or {})
        for name, value in self._default_headers.items():
            enc.check_header_value(name, value)
        header_schemes = (s.name.lower() for s in spec.schemes.values() if s.location == "header")
        self._secret_headers = frozenset({"authorization", *header_schemes})
        self._secret_query = frozenset(
            s.name for s in spec.schemes.values() if s.location == "query"
        )
        if self._secret_query:
            _REDACT.names.update(self._secret_query)
            httpx_log = logging.getLogger("httpx")
            if _REDACT not in httpx_log.filters:
                httpx_log.addFilter(_REDACT)
        self._static_headers = self._headers()

    def _from_env(self, argument: str, value: str | None) -> str | None:
        if value is not None:
            return value
        variable = self._spec.argument_env.get(argument)
        return os.environ.get(variable) if variable else None

    @property
    def hooks(self) -> Hooks:
        """The event hooks (`Hooks`): before each request, after each response, on each retry."""
        from ._hooks import NO_HOOKS

        return self._hooks or NO_HOOKS

    def _oauth_session(self, oauth: OAuth2) -> OAuthSession:
        # Imported by clients given OAuth2 only.
        from ._oauth_session import OAuthSession

        return OAuthSession(oauth, self._spec.oauth_flows, self.base_url)

    def _checked_variables(self, values: Mapping[str, str]) -> dict[str, str]:
        unknown = sorted(set(values) - set(self._spec.server_variables))
        if unknown:
            known = ", ".join(sorted(self._spec.server_variables)) or "none"
            raise ValueError(
                f"unknown server variable {unknown[0]!r}; the API's servers declare: {known}"
            )
        return {name: str(value) for name, value in values.items()}

    def _base_for(self, server: Server | None, options: RequestOptions) -> str:
        """The base URL of one request: a per-request `base_url`, else the operation's own server
        (with the client's and the request's variables), else the client's `base_url`."""
        override = options.get("base_url")
        if override:
            return str(override).rstrip("/") + "/"
        variables = options.get("server_variables")
        if server is None or self.base_url_for_all_operations:
            if not variables or self._given_base_url or self._spec.server is None:
                return str(self.base_url)
            server = self._spec.server
        if variables:
            values = {**self._server_variables, **self._checked_variables(variables)}
            return self._absolute(server.resolve(values))
        base = self._server_urls.get(server)
        if base is None:
            base = self._server_urls[server] = self._absolute(
                server.resolve(self._server_variables)
            )
        return base

    def _absolute(self, url: str) -> str:
        # A relative server URL (`/v2`) is relative to where the API lives: the client's base URL.
        if "://" not in url:
            url = str(self.base_url.join(url))
        return url.rstrip("/") + "/"

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={'***' if v else None}" for k, v in self._credentials.items())
        if self._oauth is not None:
            shown += f"{', ' if shown else ''}oauth={self._oauth.oauth!r}"
        return (
            f"{type(self).__name__}(base_url={str(self.base_url)!r}{', ' if shown else ''}{shown})"
        )

    def with_options(
        self,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        server_variables: Mapping[str, str] | None = None,
        base_url_for_all_operations: bool | None = None,
        hooks: Hooks | None = None,
    ) -> Self:
        """A copy with other settings, sharing this client's connection pool."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        everywhere = base_url_for_all_operations
        BaseClient.__init__(
            clone,
            credentials=self._credentials,
            header_values=self._header_values,
            base_url=base_url or self._given_base_url,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=self.max_retries if max_retries is None else max_retries,
            default_headers={**self._default_headers, **(default_headers or {})},
            server_variables={**self._server_variables, **(server_variables or {})},
            base_url_for_all_operations=(
                self.base_url_for_all_operations if everywhere is None else everywhere
            ),
            hooks=self._hooks if hooks is None else hooks,
            oauth=self._oauth.oauth if self._oauth else None,
        )
        clone._owns_http = False
        _drop_cached_resources(clone)
        return clone

    # ---- building requests -------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self._spec.user_agent:
            headers["User-Agent"] = self._spec.user_agent
        for argument, value in self._header_values.items():
            header = self._spec.header_arguments[argument]
            headers[header] = enc.check_header_value(header, value)
        headers.update(self._default_headers)
        return headers

    def _apply_auth(
        self, security: Any, headers: dict[str, str], query: list[str], cookies: list[str]
    ) -> bool:
        """The first security requirement whose credentials were all given is applied; True when
        it takes the OAuth2 token (put on the request as it is sent)."""
        requirements = self._spec.default_security if security is None else security
        for requirement in requirements:
            if all(self._scheme_ready(name) for name in requirement):
                for name in requirement:
                    self._apply_scheme(self._spec.schemes[name], headers, query, cookies)
                return self._oauth is not None and any(
                    self._spec.schemes[name].kind == "oauth2" for name in requirement
                )
        return False

    def _scheme_ready(self, name: str) -> bool:
        scheme = self._spec.schemes.get(name)
        if scheme is None:
            return False
        if scheme.kind == "oauth2" and self._oauth is not None:
            return True
        if scheme.kind == "basic" and not self._credentials.get("username"):
            return False
        return bool(self._credentials.get(scheme.credential))

    def _apply_scheme(
        self, scheme: Scheme, headers: dict[str, str], query: list[str], cookies: list[str]
    ) -> None:
        if scheme.kind == "oauth2" and self._oauth is not None:
            return
        secret = self._credentials.get(scheme.credential) or ""
        if scheme.kind in ("bearer", "oauth2"):
            headers["Authorization"] = enc.check_header_value("Authorization", f"Bearer {secret}")
        elif scheme.kind == "basic":
            auth = httpx.BasicAuth(self._credentials.get("username") or "", secret)
            headers["Authorization"] = auth._auth_header
        elif scheme.location == "query":
            query.append(wire.query_pair(scheme.name, secret))
        elif scheme.location == "cookie":
            cookies.append(f"{scheme.name}={secret}")
        else:
            headers[scheme.name] = enc.check_header_value(scheme.name, secret)

    def _prepare(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        styles: Mapping[tuple[str, str], tuple[str, bool]] | None = None,
        allow_reserved: tuple[str, ...] = (),
        param_media: Mapping[tuple[str, str], str] | None = None,
        json: Any = NOT_GIVEN,
        form: Any = NOT_GIVEN,
        multipart: Any = None,
        files: tuple[str, ...] = (),
        content: Any = NOT_GIVEN,
        content_type: str | None = None,
        accept: str | None = None,
        security: Any = None,
        server: Server | None = None,
        encoding: Mapping[str, enc.PartEncoding] | None = None,
        optional_body: bool = False,
        options: RequestOptions | None = None,
        page_url: str | None = None,
    ) -> _Prepared:
        options = options or {}
        # A path may carry a fixed query (`/responses/{id}?beta=true`); httpx would drop it as soon
        # as other parameters are given, so it joins them here.
        path, _, fixed_query = path.partition("?")
        base = self._base_for(server, options)
        rules = wire.ParamRules(styles, allow_reserved, param_media)
        url = base + wire.encode_path(path, path_params or {}, rules).lstrip("/")
        if page_url is not None:  # the next page's URL, as the API gave it (pagination)
            url, fixed_query = page_url, ""
        # The query string is built here, piece by piece as each style says, and given to httpx
        # as part of the URL: httpx's `params=` would re-encode the styles' own delimiters.
        query_items = [fixed_query] if fixed_query else []
        if query:
            query_items.extend(wire.encode_query(query, rules))
        if options.get("extra_query"):
            query_items.extend(wire.encode_query(dict(options["extra_query"])))
        all_headers = dict(self._static_headers)
        if accept:
            all_headers["Accept"] = accept
        if headers:
            all_headers.update(wire.encode_headers(headers, rules))
        cookie_parts = [wire.encode_cookies(cookies, rules)] if cookies else []
        uses_oauth = False
        if page_url is None or _same_host(page_url, base):
            uses_oauth = self._apply_auth(security, all_headers, query_items, cookie_parts)
        else:  # a next page on another host gets no credentials
            all_headers = {
                k: v for k, v in all_headers.items() if k.lower() not in self._secret_headers
            }
        for name, value in (options.get("extra_headers") or {}).items():
            all_headers[name] = enc.check_header_value(name, value)
        if options.get("idempotency_key"):
            key = enc.check_header_value("Idempotency-Key", options["idempotency_key"])
            all_headers["Idempotency-Key"] = key
        cookie_parts = [c for c in cookie_parts if c]
        if cookie_parts:
            all_headers["Cookie"] = "; ".join(cookie_parts)
        kwargs: dict[str, Any] = {"headers": all_headers}
        if query_items:
            url += ("&" if "?" in url else "?") + "&".join(query_items)
        opened = enc.OpenedFiles()
        body = enc.RequestBody(
            json, form, multipart, files, content, content_type, encoding, optional_body
        )
        body.encode(kwargs, all_headers, options.get("extra_body"), opened)
        prepared = _Prepared(self, method, url, kwargs, options, opened)
        prepared.oauth = self._oauth if uses_oauth else None
        return prepared

    # ---- retries -----------------------------------------------------------------------------

    def _retry_delay(
        self,
        prepared: _Prepared,
        attempt: int,
        response: httpx.Response | None = None,
        error: Exception | None = None,
    ) -> float | None:
        """Seconds to wait before sending `prepared` again, or None when it must not be re-sent."""
        if attempt >= prepared.max_retries or not prepared.opened.replayable:
            return None
        if response is not None:
            if not retries.should_retry_status(prepared.idempotent, response):
                return None
            after = retries.retry_after_seconds(response.headers)
            if after is not None:
                return after if after <= self.max_retry_after else None
        elif error is not None and not retries.should_retry_error(prepared.idempotent, error):
            return None
        return retries.backoff_delay(attempt, self.initial_retry_delay, self.max_retry_delay)

    def _log_retry(self, prepared: _Prepared, attempt: int, delay: float, why: str) -> None:
        log.info(
            "Retrying %s %s in %.2f s after %s (retry %d of %d)",
            prepared.method,
            prepared.url_for_logs(),
            delay,
            why,
            attempt + 1,
            prepared.max_retries,
        )

    def _next_request(
        self, request: httpx.Request, response: httpx.Response
    ) -> httpx.Request | None:
        if not self.follow_redirects:
            return None
        return retries.redirect_request(request, response, self._secret_headers, self._secret_query)

    # ---- responses ---------------------------------------------------------------------------

    def _status_error(
        self, response: httpx.Response, errors: Mapping[str, Any] | None
    ) -> APIStatusError:
        status = response.status_code
        body: Any
        try:
            body = response.json()
        except (ValueError, RecursionError):
            body = response.text or None
        secrets = [
            *self._credentials.values(),
            *(self._oauth.oauth.secrets() if self._oauth else []),
        ]
        explanation = explain_error_body(body, secrets)
        error_type = _error_type(errors or {}, status)
        if error_type is not None and body is not None:
            try:
                body = type_adapter(error_type).validate_python(body)
            except Exception:  # noqa: BLE001 - keep the raw JSON when it does not match
                pass
        request = response.request
        reason = response.reason_phrase or "Error"
        # Neither the query nor any header: either may hold a credential.
        message = f"{status} {reason}: {request.method} {request.url.copy_with(query=None)}"
        if explanation:
            message += f" - {explanation}"
        return status_error_class(status)(message, response=response, body=body)

    def _connection_error(self, request: httpx.Request, error: Exception) -> APIConnectionError:
        if isinstance(error, httpx.TimeoutException):
            return APITimeoutError(request)
        # The type of the failure, not its text: some transports put the URL (and query) in it.
        return APIConnectionError(f"Connection error ({type(error).__name__}).", request)

    def _log(self, request: httpx.Request, response: httpx.Response | None, started: float) -> None:
        if log.isEnabledFor(logging.DEBUG):
            status = response.status_code if response is not None else "error"
            elapsed = (time.monotonic() - started) * 1000
            url = request.url.copy_with(query=None)
            log.debug("HTTP %s %s -> %s (%.1f ms)", request.method, url, status, elapsed)


def _same_host(url: str, base: str) -> bool:
    """Whether `url` stays on the API's host (same host and port, never https to http)."""
    target, api = httpx.URL(url), httpx.URL(base)
    if target.host.lower() != api.host.lower() or target.port != api.port:
        return False
    return target.scheme == api.scheme or target.scheme == "https"


def _error_type(errors: Mapping[str, Any], status: int) -> Any:
    return errors.get(str(status)) or errors.get(f"{str(status)[0]}XX") or errors.get("default")


class SyncAPIClient(BaseClient):
    def __init__(
        self,
        *,
        credentials: Mapping[str, str | None],
        header_values: Mapping[str, str | None],
        base_url: str | httpx.URL | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        http_client: httpx.Client | None,
        verify: bool | str = True,
        follow_redirects: bool = True,
        server_variables: Mapping[str, str] | None = None,
        base_url_for_all_operations: bool = False,
        hooks: Hooks | None = None,
        oauth: OAuth2 | None = None,
    ) -> None:
        super().__init__(
            credentials=credentials,
            header_values=header_values,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            server_variables=server_variables,
            base_url_for_all_operations=base_url_for_all_operations,
            hooks=hooks,
            oauth=oauth,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(verify=verify, limits=DEFAULT_CONNECTION_LIMITS)
        self.follow_redirects = follow_redirects

    def close(self) -> None:
        """Close the connection pool (unless it was passed in as `http_client`)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(
        self, endpoint: Endpoint[T], options: RequestOptions | None = None, **kwargs: Any
    ) -> T:
        """Send `endpoint` with the operation's arguments (`path_params`, `query`, `json` ...)."""
        if endpoint.deprecated:
            warn_deprecated(endpoint.deprecated)
        return cast(
            T,
            self.request(
                endpoint.method,
                endpoint.path,
                options=options,
                **endpoint.request_arguments(),
                **kwargs,
            ),
        )

    def paginate(
        self,
        endpoint: Endpoint[T],
        paging: Paging[_ItemT],
        options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> SyncPage[_ItemT, T]:
        """The first page of a paginated operation; iterating it walks every page."""
        from ._pagination import sync_page

        return cast("SyncPage[_ItemT, T]", sync_page(self, endpoint, paging, options, kwargs))

    @overload
    def events(
        self,
        endpoint: Endpoint[T],
        events: Events[_EventT],
        stream: Literal[True],
        options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> Stream[_EventT]: ...

    @overload
    def events(
        self,
        endpoint: Endpoint[T],
        events: Events[_EventT],
        stream: bool | NotGiven,
        options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> T | Stream[_EventT]: ...

    def events(
        self,
        endpoint: Endpoint[T],
        events: Events[_EventT],
        stream: bool | NotGiven,
        options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> T | Stream[_EventT]:
        """An operation answering with server-sent events: its JSON answer, or with `stream` (or
        when events are all it answers) a `Stream` of its events."""
        from ._streaming import sync_events

        answer = sync_events(self, endpoint, events, bool(stream), options, kwargs)
        return cast("T | Stream[_EventT]", answer)

    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any = None,
        result: str = "json",
        errors: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        mode = response_mode.get()
        prepared = self._prepare(method, path, **kwargs)
        try:
            response = self._send_with_retries(prepared, errors, stream=mode == "stream")
        finally:
            prepared.opened.close()
        if mode == "parsed":
            return parse_response(response, cast_to, result)
        return APIResponse(response, self, cast_to, result)

    def _send_with_retries(
        self, prepared: _Prepared, errors: Mapping[str, Any] | None, stream: bool
    ) -> httpx.Response:
        attempt = 0
        on = self._hooks or _UNHOOKED
        while True:
            request = prepared.build(self._http)
            if prepared.oauth is not None:
                prepared.oauth.authorize_sync(request, self._http, prepared.timeout)
            if on.on_request:
                from ._hooks import RequestEvent, emit

                emit(on.on_request, RequestEvent(request, attempt + 1))
            started = time.monotonic()
            try:
                response = self._send(request)
            except httpx.TransportError as exc:
                self._log(request, None, started)
                delay = self._retry_delay(prepared, attempt, error=exc)
                if delay is None:
                    error = self._connection_error(request, exc)
                    if on.on_error:
                        from ._hooks import ErrorEvent, emit

                        emit(on.on_error, ErrorEvent(request, attempt + 1, error))
                    # from None: the transport's message may hold the URL with an API key
                    raise error from None
                self._log_retry(prepared, attempt, delay, type(exc).__name__)
                if on.on_retry:
                    from ._hooks import RetryEvent, emit

                    emit(on.on_retry, RetryEvent(request, attempt + 2, delay, None, exc))
                time.sleep(delay)
                attempt += 1
                continue
            self._log(request, response, started)
            if on.on_response:
                elapsed = time.monotonic() - started
                from ._hooks import ResponseEvent, emit_response

                event = ResponseEvent(request, response, attempt + 1, elapsed)
                emit_response(on.on_response, event)
            if response.status_code < 400:
                if not stream:
                    response.read()
                return response
            if self._renewed_token(prepared, request, response):
                continue
            delay = self._retry_delay(prepared, attempt, response=response)
            if delay is None:
                response.read()
                raise self._status_error(response, errors)
            response.close()
            self._log_retry(prepared, attempt, delay, str(response.status_code))
            if on.on_retry:
                from ._hooks import RetryEvent, emit

                emit(on.on_retry, RetryEvent(request, attempt + 2, delay, response, None))
            time.sleep(delay)
            attempt += 1

    def _renewed_token(
        self, prepared: _Prepared, request: httpx.Request, response: httpx.Response
    ) -> bool:
        """After a 401 to a request with an OAuth2 token: renew the token (once per request) and
        say whether to send it again; a body that cannot be replayed is not (the 401 is raised)."""
        if response.status_code != 401 or prepared.oauth is None or prepared.renewed:
            return False
        prepared.renewed = True
        response.read()
        renewed = prepared.oauth.renew_sync(request, self._http, prepared.timeout)
        return renewed and prepared.opened.replayable

    def _send(self, request: httpx.Request) -> httpx.Response:
        response = self._http.send(request, stream=True, follow_redirects=False)
        for _ in range(retries.MAX_REDIRECTS):
            following = self._next_request(request, response)
            if following is None:
                break
            response.close()
            request = following
            response = self._http.send(request, stream=True, follow_redirects=False)
        return response


class AsyncAPIClient(BaseClient):
    def __init__(
        self,
        *,
        credentials: Mapping[str, str | None],
        header_values: Mapping[str, str | None],
        base_url: str | httpx.URL | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        http_client: httpx.AsyncClient | None,
        verify: bool | str = True,
        follow_redirects: bool = True,
        server_variables: Mapping[str, str] | None = None,
        base_url_for_all_operations: bool = False,
        hooks: Hooks | None = None,
        oauth: OAuth2 | None = None,
    ) -> None:
        super().__init__(
            credentials=credentials,
            header_values=header_values,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            server_variables=server_variables,
            base_url_for_all_operations=base_url_for_all_operations,
            hooks=hooks,
            oauth=oauth,
        )
        self._owns_http = http_client is None
        limits = DEFAULT_CONNECTION_LIMITS
        self._http = http_client or httpx.AsyncClient(verify=verify, limits=limits)
        self.follow_redirects = follow_redirects

    async def close(self) -> None:
        """Close the connection pool (unless it was passed in as `http_client`)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def call(
        self, endpoint: Endpoint[T], options: RequestOptions | None = None, **kwargs: Any
    ) -> T:
        """Send `endpoint` with the operation's arguments (`path_params`, `query`, `json` ...)."""
        if endpoint.deprecated:
            warn_deprecated(endpoint.deprecated)
        return cast(
            T,
            await self.request(
                endpoint.method,
                endpoint.path,
                options=options,
                **endpoint.request_arguments(),
                **kwargs,
            ),
        )

    def paginate(
        self,
        endpoint: Endpoint[T],
        paging: Paging[_ItemT],
        options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> AsyncPaginator[_ItemT, T]:
        """Await it for the first page of a paginated operation, or `async for` every item."""
        from ._pagination import AsyncPaginator

        return AsyncPaginator(self, endpoint, paging, options, kwargs)

    @overload
    async def events(
        self,
        endpoint: Endpoint[T],
        events: Events[_EventT],
        stream: Literal[True],
        options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> AsyncStream[_EventT]: ...

    @overload
    async def events(
        self,
        endpoint: Endpoint[T],
        events: Events[_EventT],
        stream: bool | NotGiven,
        options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> T | AsyncStream[_EventT]: ...

    async def events(
        self,
        endpoint: Endpoint[T],
        events: Events[_EventT],
        stream: bool | NotGiven,
        options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> T | AsyncStream[_EventT]:
        """An operation answering with server-sent events: its JSON answer, or with `stream` (or
        when events are all it answers) an `AsyncStream` of its events."""
        from ._streaming import async_events

        answer = await async_events(self, endpoint, events, bool(stream), options, kwargs)
        return cast("T | AsyncStream[_EventT]", answer)

    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any = None,
        result: str = "json",
        errors: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        mode = response_mode.get()
        prepared = self._prepare(method, path, **kwargs)
        try:
            response = await self._send_with_retries(prepared, errors, stream=mode == "stream")
        finally:
            prepared.opened.close()
        if mode == "parsed":
            return parse_response(response, cast_to, result)
        return AsyncAPIResponse(response, self, cast_to, result)

    async def _send_with_retries(
        self, prepared: _Prepared, errors: Mapping[str, Any] | None, stream: bool
    ) -> httpx.Response:
        attempt = 0
        on = self._hooks or _UNHOOKED
        while True:
            request = prepared.build(self._http)
            if prepared.oauth is not None:
                await prepared.oauth.authorize_async(request, self._http, prepared.timeout)
            if on.on_request:
                from ._hooks import RequestEvent, aemit

                await aemit(on.on_request, RequestEvent(request, attempt + 1))
            started = time.monotonic()
            try:
                response = await self._send(request)
            except httpx.TransportError as exc:
                self._log(request, None, started)
                delay = self._retry_delay(prepared, attempt, error=exc)
                if delay is None:
                    error = self._connection_error(request, exc)
                    if on.on_error:
                        from ._hooks import ErrorEvent, aemit

                        await aemit(on.on_error, ErrorEvent(request, attempt + 1, error))
                    # from None: the transport's message may hold the URL with an API key
                    raise error from None
                self._log_retry(prepared, attempt, delay, type(exc).__name__)
                if on.on_retry:
                    from ._hooks import RetryEvent, aemit

                    await aemit(on.on_retry, RetryEvent(request, attempt + 2, delay, None, exc))
                await _async_sleep(delay)
                attempt += 1
                continue
            self._log(request, response, started)
            if on.on_response:
                elapsed = time.monotonic() - started
                from ._hooks import ResponseEvent, aemit_response

                event = ResponseEvent(request, response, attempt + 1, elapsed)
                await aemit_response(on.on_response, event)
            if response.status_code < 400:
                if not stream:
                    await response.aread()
                return response
            if await self._renewed_token(prepared, request, response):
                continue
            delay = self._retry_delay(prepared, attempt, response=response)
            if delay is None:
                await response.aread()
                raise self._status_error(response, errors)
            await response.aclose()
            self._log_retry(prepared, attempt, delay, str(response.status_code))
            if on.on_retry:
                from ._hooks import RetryEvent, aemit

                await aemit(on.on_retry, RetryEvent(request, attempt + 2, delay, response, None))
            await _async_sleep(delay)
            attempt += 1

    async def _renewed_token(
        self, prepared: _Prepared, request: httpx.Request, response: httpx.Response
    ) -> bool:
        if response.status_code != 401 or prepared.oauth is None or prepared.renewed:
            return False
        prepared.renewed = True
        await response.aread()
        renewed = await prepared.oauth.renew_async(request, self._http, prepared.timeout)
        return renewed and prepared.opened.replayable

    async def _send(self, request: httpx.Request) -> httpx.Response:
        response = await self._http.send(request, stream=True, follow_redirects=False)
        for _ in range(retries.MAX_REDIRECTS):
            following = self._next_request(request, response)
            if following is None:
                break
            await response.aclose()
            request = following
            response = await self._http.send(request, stream=True, follow_redirects=False)
        return response


async def _async_sleep(seconds: float) -> None:
    # anyio (an httpx dependency) sleeps under asyncio and trio alike, as httpx.AsyncClient runs.
    import anyio

    await anyio.sleep(seconds)


def _drop_cached_resources(client: BaseClient) -> None:
    """Resources cached on the original hold it; a copy must build its own."""
    from ._resource import AsyncAPIResource, SyncAPIResource

    for key, value in list(client.__dict__.items()):
        if isinstance(value, (SyncAPIResource, AsyncAPIResource)):
            del client.__dict__[key]
