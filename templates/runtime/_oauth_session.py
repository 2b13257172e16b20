"""Token requests for an `OAuth2` bound to one client (RFC 6749): getting, reusing, renewing.

Token requests are serialised by one lock per `OAuth2`, so any number of threads or tasks needing
a token at once cause one request, and a rotated refresh token is never sent again; callers that
waited on a request share its token or its error. No secret reaches a message, an exception or a
log line.
"""

from __future__ import annotations

import base64
import logging
import threading
from dataclasses import dataclass
from typing import Any, Literal, Sequence
from urllib.parse import quote_plus

import httpx

from ._exceptions import APIConnectionError, APIError, APITimeoutError
from ._oauth import OAuth2, OAuth2Error, OAuth2Token, OAuthFlow, _number

log = logging.getLogger(__name__.rsplit(".", 1)[0])

GrantType = Literal["refresh_token", "client_credentials"]


@dataclass(frozen=True)
class _TokenRequest:
    url: str
    form: dict[str, str]
    headers: dict[str, str]
    grant: GrantType
    refresh_token: str | None


class OAuthSession:
    """An `OAuth2` bound to one client's API: its endpoints, and the token requests themselves."""

    def __init__(self, oauth: OAuth2, flows: Sequence[OAuthFlow], base_url: httpx.URL) -> None:
        self.oauth = oauth
        by_kind = {flow.kind: flow for flow in reversed(flows)}  # the first of each kind wins
        refreshing = by_kind.get("authorizationCode") or by_kind.get("password")
        credentials = by_kind.get("clientCredentials")
        self.grant: GrantType | None = None
        flow: OAuthFlow | None = None
        if oauth._refresh_token:
            self.grant = "refresh_token"
            flow = refreshing or credentials
        elif oauth._client_secret is not None and (credentials or oauth.token_url):
            self.grant = "client_credentials"
            flow = credentials
        if self.grant is None and oauth._token is None:
            kinds = ", ".join(sorted(by_kind)) or "none"
            raise ValueError(
                "OAuth2 needs a refresh_token, a token, or a client_secret with a client "
                f"credentials flow or a token_url (the API's OAuth2 flows: {kinds})"
            )
        token_url = oauth.token_url or (flow.token_url if flow else "")
        if self.grant is not None and not token_url:
            raise ValueError("the API names no OAuth2 token endpoint: pass OAuth2(token_url=...)")
        # A token_url of one's own serves refreshes too, unless a refresh_url is also given.
        refresh_url = oauth.refresh_url or oauth.token_url or (flow.refresh_url if flow else "")
        refresh_url = refresh_url or token_url
        self.token_url = _absolute(token_url, base_url) if token_url else ""
        self.refresh_url = _absolute(refresh_url, base_url) if refresh_url else ""
        self.scopes = tuple(oauth.scopes) if oauth.scopes is not None else None
        # Every flow of a scheme asks for the scopes its operations require.
        self.default_scopes = (flow or next(iter(flows), None) or OAuthFlow("", "")).scopes

    # ---- sync --------------------------------------------------------------------------------

    def authorize_sync(self, request: httpx.Request, http: httpx.Client, timeout: Any) -> None:
        """Put a valid access token on `request`, getting one first if needed."""
        oauth = self.oauth
        token = oauth._current(self.grant is not None)
        if token is None:
            generation = oauth._generation
            with oauth._lock:
                try:
                    token = self._after_wait(generation) or self._fetch_sync(http, timeout)
                except APIError as error:
                    token = self._still_valid(error)
        request.headers["Authorization"] = _authorization(token)

    def renew_sync(self, request: httpx.Request, http: httpx.Client, timeout: Any) -> bool:
        """After a 401 to `request`: a new token, unless another request already got one. False
        when there is no way to renew it (a token given without a grant)."""
        if self.grant is None:
            return False
        oauth = self.oauth
        with oauth._lock:
            if self._still_sent(request):
                log.info("The API refused the OAuth2 access token (401): renewing it")
                self._fetch_sync(http, timeout)
        return True

    def _fetch_sync(self, http: httpx.Client, timeout: Any) -> OAuth2Token:
        """A token request; the caller holds the lock."""
        call = self._request()
        try:
            response = http.post(call.url, data=call.form, headers=call.headers, timeout=timeout)
        except httpx.TransportError as exc:
            raise self._finish_error(_connection_error(call, exc)) from None
        token, lifetime = self._token_from(call, response)
        stored = self._finish(token, lifetime)
        callback = self.oauth.on_token
        if callback is not None:
            result = callback(stored)
            if result is not None:
                close = getattr(result, "close", None)
                if callable(close):
                    close()  # a coroutine never awaited would warn on top of this error
                raise TypeError("on_token returned an awaitable: a sync client needs a function")
        return stored

    # ---- async -------------------------------------------------------------------------------

    async def authorize_async(
        self, request: httpx.Request, http: httpx.AsyncClient, timeout: Any
    ) -> None:
        oauth = self.oauth
        token = oauth._current(self.grant is not None)
        if token is None:
            generation = oauth._generation
            async with self._async_lock():
                await _acquire(oauth._lock)
                try:
                    token = self._after_wait(generation) or await self._fetch_async(http, timeout)
                except APIError as error:
                    token = self._still_valid(error)
                finally:
                    oauth._lock.release()
        request.headers["Authorization"] = _authorization(token)

    async def renew_async(
        self, request: httpx.Request, http: httpx.AsyncClient, timeout: Any
    ) -> bool:
        if self.grant is None:
            return False
        oauth = self.oauth
        async with self._async_lock():
            await _acquire(oauth._lock)
            try:
                if self._still_sent(request):
                    log.info("The API refused the OAuth2 access token (401): renewing it")
                    await self._fetch_async(http, timeout)
            finally:
                oauth._lock.release()
        return True

    async def _fetch_async(self, http: httpx.AsyncClient, timeout: Any) -> OAuth2Token:
        call = self._request()
        try:
            response = await http.post(
                call.url, data=call.form, headers=call.headers, timeout=timeout
            )
        except httpx.TransportError as exc:
            raise self._finish_error(_connection_error(call, exc)) from None
        token, lifetime = self._token_from(call, response)
        stored = self._finish(token, lifetime)
        callback = self.oauth.on_token
        if callback is not None:
            result = callback(stored)
            if result is not None:
                await result
        return stored

    def _async_lock(self) -> Any:
        # Tasks of one event loop queue here, so only one at a time polls the thread lock.
        oauth = self.oauth
        if oauth._async_lock is None:
            import anyio

            oauth._async_lock = anyio.Lock()
        return oauth._async_lock

    # ---- shared ------------------------------------------------------------------------------

    def _after_wait(self, generation: int) -> OAuth2Token | None:
        """With the lock: the token another caller got while this one waited (or its error)."""
        oauth = self.oauth
        token = oauth._current(self.grant is not None)
        if token is not None or oauth._generation == generation:
            return token
        failed = oauth._failed
        if failed is not None:
            raise failed[1].with_traceback(None)
        return None

    def _still_valid(self, error: APIError) -> OAuth2Token:
        """After a failed renewal (within the margin before expiry): the current token while it
        has not expired; else `error` is raised."""
        token = self.oauth._unexpired()
        if token is None:
            raise error
        log.warning("Renewing the OAuth2 access token failed; the current one is still valid")
        return token

    def _still_sent(self, request: httpx.Request) -> bool:
        """Whether the token `request` carried is still the current one."""
        token = self.oauth._token
        return token is None or request.headers.get("Authorization") == _authorization(token)

    def _request(self) -> _TokenRequest:
        oauth = self.oauth
        failed = oauth._failed
        if failed is not None and failed[0] is not None and failed[0] == oauth._refresh_token:
            # The server refused this refresh token: sending it again cannot succeed.
            raise failed[1].with_traceback(None)
        grant: GrantType = self.grant or "client_credentials"
        form: dict[str, str] = {"grant_type": grant}
        url = self.token_url
        scopes = self.scopes
        refresh_token = None
        if grant == "refresh_token" and oauth._refresh_token:
            refresh_token = oauth._refresh_token
            form["refresh_token"] = refresh_token
            url = self.refresh_url
        elif scopes is None:
            scopes = self.default_scopes
        if scopes:
            form["scope"] = " ".join(scopes)
        headers = {"Accept": "application/json"}
        secret = oauth._client_secret
        if secret is None or oauth.client_auth == "form":
            form["client_id"] = oauth.client_id
            if secret is not None:
                form["client_secret"] = secret
        else:
            pair = f"{quote_plus(oauth.client_id)}:{quote_plus(secret)}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
        form.update({k: v for k, v in oauth.extra_params.items() if k not in form})
        return _TokenRequest(url, form, headers, grant, refresh_token)

    def _token_from(
        self, call: _TokenRequest, response: httpx.Response
    ) -> tuple[OAuth2Token, float | None]:
        body: Any = None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.is_success and isinstance(body, dict):
            try:
                token = OAuth2Token.from_dict(body)
            except ValueError:
                pass
            else:
                if _valid_header(token.access_token):
                    log.info(
                        "Got an OAuth2 access token (%s grant)%s",
                        call.grant,
                        f", valid {body['expires_in']} s" if "expires_in" in body else "",
                    )
                    return token, _number(body.get("expires_in"))
        raise self._finish_error(self._token_error(call, response, body))

    def _token_error(self, call: _TokenRequest, response: httpx.Response, body: Any) -> OAuth2Error:
        secrets = [*self.oauth.secrets(), *filter(None, [call.refresh_token])]
        fields = body if isinstance(body, dict) else {}
        code = fields.get("error") if response.is_error else None
        error = _masked(code, secrets) if isinstance(code, str) and code else "invalid_response"
        description = fields.get("error_description")
        description = _masked(description, secrets) if isinstance(description, str) else None
        uri = fields.get("error_uri")
        uri = _masked(uri, secrets) if isinstance(uri, str) else None
        if code is None and response.is_success:
            description = "the token endpoint's answer holds no usable access_token"
        message = (
            f"OAuth2 token request ({call.grant} grant) failed: {response.status_code} "
            f"{response.reason_phrase or 'Error'}: POST {_public_url(call.url)} - {error}"
        )
        if description:
            message += f": {' '.join(description.split())[:300]}"
        shown = {"error": error, "error_description": description, "error_uri": uri}
        content = response.content
        for secret in secrets:
            content = content.replace(secret.encode(), b"***")
        redacted = httpx.Response(
            response.status_code,
            headers=[(k, v) for k, v in response.headers.items() if k.lower() != "set-cookie"],
            content=content,
            request=httpx.Request("POST", _public_url(call.url)),
        )
        return OAuth2Error(
            message,
            response=redacted,
            body={k: v for k, v in shown.items() if v is not None},
            error=error,
            error_description=description,
            error_uri=uri,
        )

    def _finish(self, token: OAuth2Token, lifetime: float | None) -> OAuth2Token:
        oauth = self.oauth
        stored = oauth._store(token, lifetime)
        oauth._failed = None
        oauth._generation += 1
        return stored

    def _finish_error(self, error: Exception) -> Exception:
        oauth = self.oauth
        # A 4xx refuses for good (RFC 6749 5.2: invalid_grant ...); a 408, 429, 5xx or a lost
        # connection may yet succeed later, with the same refresh token.
        final = isinstance(error, OAuth2Error) and error.status_code in _FINAL_STATUSES
        oauth._failed = (oauth._refresh_token if final else None, error)
        oauth._generation += 1
        return error


_FINAL_STATUSES = frozenset(range(400, 500)) - {408, 429}


def _authorization(token: OAuth2Token) -> str:
    return f"Bearer {token.access_token}"


def _valid_header(value: str) -> bool:
    return value.isascii() and value.isprintable() and value.strip() == value


def _absolute(url: str, base_url: httpx.URL) -> str:
    return url if "://" in url else str(base_url.join(url))


def _public_url(url: str) -> str:
    return url.partition("?")[0]


def _masked(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def _connection_error(call: _TokenRequest, error: Exception) -> APIConnectionError:
    request = httpx.Request("POST", _public_url(call.url))
    if isinstance(error, httpx.TimeoutException):
        return APITimeoutError(request)
    return APIConnectionError(
        f"Connection error ({type(error).__name__}) reaching the OAuth2 token endpoint.", request
    )


async def _acquire(lock: threading.Lock) -> None:
    """The thread lock, without blocking the event loop (a sync client may hold it)."""
    import anyio

    while not lock.acquire(blocking=False):
        await anyio.sleep(0.005)
