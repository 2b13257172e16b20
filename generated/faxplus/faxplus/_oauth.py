"""OAuth2 tokens the client gets, reuses and refreshes itself (RFC 6749): the public names.

One `OAuth2` holds the credentials and the current token; each client it is given to binds it to
the API's token endpoints (`_oauth_session.OAuthSession`, which makes the token requests). No
secret (client secret, refresh or access token) is ever put in a repr, a message, an exception or a
log line.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Literal, Mapping, Sequence

import httpx

from ._exceptions import AuthenticationError

__all__ = ["OAuth2", "OAuth2Token", "OAuth2Error"]

TokenCallback = Callable[["OAuth2Token"], "Awaitable[None] | None"]


@dataclass(frozen=True, repr=False)
class OAuth2Token:
    """An access token, when it expires (seconds since the epoch) and the refresh token with it.

    `to_dict()` and `OAuth2Token.from_dict()` persist it; its repr and str hide the secrets."""

    access_token: str
    token_type: str = "Bearer"
    expires_at: float | None = None
    refresh_token: str | None = None
    scope: str | None = None

    @property
    def expires_in(self) -> float | None:
        """Seconds left before it expires (negative once expired); None when unknown."""
        return None if self.expires_at is None else self.expires_at - time.time()

    def to_dict(self) -> dict[str, Any]:
        """The token as a JSON-ready dict, secrets included: what to store to start again later."""
        return {
            "access_token": self.access_token,
            "token_type": self.token_type,
            "expires_at": self.expires_at,
            "refresh_token": self.refresh_token,
            "scope": self.scope,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OAuth2Token:
        """A token from `to_dict()`'s output or a token endpoint's answer (`expires_in` counts
        from now)."""
        access_token = data.get("access_token")
        if not isinstance(access_token, str) or not access_token:
            raise ValueError("an OAuth2 token needs a non-empty 'access_token' string")
        expires_at = _number(data.get("expires_at"))
        expires_in = _number(data.get("expires_in"))
        if expires_at is None and expires_in is not None:
            expires_at = time.time() + expires_in
        refresh_token = data.get("refresh_token")
        scope = data.get("scope")
        return cls(
            access_token=access_token,
            token_type=str(data.get("token_type") or "Bearer"),
            expires_at=expires_at,
            refresh_token=(
                refresh_token if isinstance(refresh_token, str) and refresh_token else None
            ),
            scope=scope if isinstance(scope, str) else None,
        )

    def __repr__(self) -> str:
        refresh = "'***'" if self.refresh_token else "None"
        return (
            f"OAuth2Token(access_token='***', token_type={self.token_type!r}, "
            f"expires_at={self.expires_at!r}, refresh_token={refresh}, scope={self.scope!r})"
        )

    __str__ = __repr__


def _number(value: Any) -> float | None:
    # Some servers send `expires_in` as a string ("3600").
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


class OAuth2Error(AuthenticationError):
    """The token endpoint refused to issue a token (RFC 6749 5.2: `invalid_grant`,
    `invalid_client` ...) or answered without one (`error` is then `invalid_response`).

    The request it carries has neither the form nor the headers that held the credentials, and
    every secret is masked in the message, the body and `error_description`."""

    error: str
    error_description: str | None
    error_uri: str | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        error: str,
        error_description: str | None = None,
        error_uri: str | None = None,
    ) -> None:
        super().__init__(message, response=response, body=body)
        self.error = error
        self.error_description = error_description
        self.error_uri = error_uri


class OAuth2:
    """OAuth2 credentials for a client: `FaxPlus(oauth=OAuth2(client_id=..., client_secret=...,
    refresh_token=...))`. The client gets an access token before its first call, reuses it,
    refreshes it `refresh_margin` seconds before it expires (at most half its lifetime early), and
    after a 401 refreshes once and sends the request once more.

    Args:
        client_id: the OAuth client id.
        client_secret: the client secret; None for a public client (its id goes in the form).
        refresh_token: a refresh token (authorization code flow); the grant used when given.
            Without one, the client credentials grant is used (the spec's `clientCredentials`
            flow, or any flow when `token_url` is given).
        token: a token to start with (an `OAuth2Token`, or a mapping as `to_dict()` returns);
            its refresh token, when it has one, is used rather than `refresh_token`.
        token_url: the token endpoint (default: the spec's `tokenUrl`; a relative URL is taken
            relative to the client's base URL).
        refresh_url: where refresh tokens are exchanged (default: the spec's `refreshUrl`, else
            the token endpoint).
        scopes: the scopes to ask for (default: those the spec's operations require; a refresh
            asks for none unless they are given here, keeping the original grant).
        client_auth: "basic" (HTTP Basic, RFC 6749 2.3.1, the default) or "form" (the id and
            secret as form fields).
        on_token: called with each new token (a function or a coroutine function), to persist
            it; a rotated refresh token arrives here.
        refresh_margin: seconds before expiry at which a token is renewed.
        extra_params: more form fields for every token request (an `audience`, say).
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str | None = None,
        refresh_token: str | None = None,
        token: OAuth2Token | Mapping[str, Any] | None = None,
        token_url: str | None = None,
        refresh_url: str | None = None,
        scopes: Sequence[str] | None = None,
        client_auth: Literal["basic", "form"] = "basic",
        on_token: TokenCallback | None = None,
        refresh_margin: float = 60.0,
        extra_params: Mapping[str, str] | None = None,
    ) -> None:
        if client_auth not in ("basic", "form"):
            raise ValueError("client_auth must be 'basic' or 'form'")
        if refresh_margin < 0:
            raise ValueError("refresh_margin must be 0 or more")
        self.client_id = client_id
        self._client_secret = client_secret
        self.token_url = token_url
        self.refresh_url = refresh_url
        self.scopes = scopes.split() if isinstance(scopes, str) else scopes
        self.client_auth = client_auth
        self.on_token = on_token
        self.refresh_margin = refresh_margin
        self.extra_params = dict(extra_params or {})
        start = token if isinstance(token, OAuth2Token) or token is None else None
        if start is None and token is not None and not isinstance(token, OAuth2Token):
            start = OAuth2Token.from_dict(token)
        self._token = start
        # A token's own refresh token is the newer one (a saved token after a rotation).
        self._refresh_token = (start.refresh_token if start else None) or refresh_token
        # When to renew: the token's expiry less the margin (None: only after a 401).
        self._renew_at = self._renewal_time(start, None)
        # The last token request's error, and the refresh token it refused for good (if it did).
        self._failed: tuple[str | None, Exception] | None = None
        self._generation = 0  # counts finished token requests: waiters share the one they awaited
        self._lock = threading.Lock()
        self._async_lock: Any = None

    @property
    def token(self) -> OAuth2Token | None:
        """The current token (None before the first request)."""
        return self._token

    def __repr__(self) -> str:
        secret = "'***'" if self._client_secret else "None"
        refresh = "'***'" if self._refresh_token else "None"
        return (
            f"OAuth2(client_id={self.client_id!r}, client_secret={secret}, "
            f"refresh_token={refresh}, token={self._token!r})"
        )

    __str__ = __repr__

    def secrets(self) -> list[str]:
        """Every secret this object knows, for masking."""
        token = self._token
        found = [self._client_secret, self._refresh_token]
        if token is not None:
            found += [token.access_token, token.refresh_token]
        return [s for s in found if s]

    def _renewal_time(self, token: OAuth2Token | None, lifetime: float | None) -> float | None:
        if token is None or token.expires_at is None:
            return None
        margin = self.refresh_margin
        if lifetime is not None:
            margin = min(margin, lifetime / 2)  # a short-lived token is not renewed at every call
        return token.expires_at - margin

    def _current(self, can_renew: bool) -> OAuth2Token | None:
        """The token to send, or None when one must be requested first."""
        token, renew_at = self._token, self._renew_at
        if token is None:
            return None
        if not can_renew or renew_at is None or time.time() < renew_at:
            return token
        return None

    def _unexpired(self) -> OAuth2Token | None:
        """The current token if it has a known expiry still ahead."""
        token = self._token
        if token is None or token.expires_at is None or time.time() >= token.expires_at:
            return None
        return token

    def _store(self, token: OAuth2Token, lifetime: float | None) -> OAuth2Token:
        if token.refresh_token is None and self._refresh_token:
            # The server kept the refresh token: it stays valid.
            token = OAuth2Token(
                token.access_token,
                token.token_type,
                token.expires_at,
                self._refresh_token,
                token.scope,
            )
        self._refresh_token = token.refresh_token
        self._renew_at = self._renewal_time(token, lifetime)
        self._token = token
        return token


@dataclass(frozen=True)
class OAuthFlow:
    """An OAuth2 flow of the spec with a token endpoint (as the generated client declares it)."""

    kind: str  # authorizationCode | clientCredentials | password
    token_url: str
    refresh_url: str = ""
    scopes: tuple[str, ...] = ()
