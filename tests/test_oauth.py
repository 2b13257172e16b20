"""OAuth2 tokens that refresh themselves (issue 13), on the generated Fax.Plus client: the token
endpoint is played by httpx.MockTransport (a real local HTTP server for the threads), the API too.

Checked: a token before the first call and reused; refresh before expiry; rotation; a 401 renews
once and re-sends once; on_token sync and async; a token passed in; client credentials; Basic and
form client authentication (RFC 6749 2.3.1); one token request for 16 threads or 16 tasks; typed
token endpoint errors; no secret in any repr, str, exception or log line."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import logging
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote_plus

import faxplus
import faxplus._oauth
import httpx
import pytest
from faxplus import (
    APIConnectionError,
    APIError,
    AsyncFaxPlus,
    AuthenticationError,
    FaxPlus,
    OAuth2,
    OAuth2Error,
    OAuth2Token,
)
from faxplus import models as m
from faxplus_samples import sample_model

TOKEN_URL = "https://accounts.fax.plus/token"
CLIENT_ID = "client:id é"
SECRET = "s3cret+&=/client"
REFRESH = "refresh-0-abcdef"
USER = sample_model(m.Account) | {"uid": "u1"}
SECRETS = (SECRET, REFRESH, "access-1-", "access-2-", "refresh-1-", "refresh-2-")


class TokenServer:
    """A token endpoint and an API: tokens `access-N-xyz` rotate refresh tokens `refresh-N-xyz`.

    `accept`: the access tokens the API takes (default: the current one)."""

    def __init__(
        self,
        *,
        expires_in: Any = 3600,
        rotate: bool = True,
        token_answer: Callable[[httpx.Request], httpx.Response] | None = None,
        api_status: Callable[[str], int] | None = None,
    ) -> None:
        self.expires_in = expires_in
        self.rotate = rotate
        self.token_answer = token_answer
        self.api_status = api_status
        self.token_requests: list[httpx.Request] = []
        self.api_requests: list[httpx.Request] = []
        self.issued = 0
        self.current = ""

    def form(self, n: int = -1) -> dict[str, str]:
        request = self.token_requests[n]
        return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}

    def token(self, request: httpx.Request) -> httpx.Response:
        self.token_requests.append(request)
        if self.token_answer is not None:
            return self.token_answer(request)
        self.issued += 1
        self.current = f"access-{self.issued}-xyz"
        body: dict[str, Any] = {"access_token": self.current, "token_type": "bearer"}
        if self.expires_in is not None:
            body["expires_in"] = self.expires_in
        if self.rotate:
            body["refresh_token"] = f"refresh-{self.issued}-xyz"
        return httpx.Response(200, json=body)

    def api(self, request: httpx.Request) -> httpx.Response:
        self.api_requests.append(request)
        sent = request.headers.get("Authorization", "")
        status = self.api_status(sent) if self.api_status else 200
        if status != 200:
            return httpx.Response(status, json={"message": f"bad token {sent}"})
        return httpx.Response(200, json=USER)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if str(request.url).startswith(TOKEN_URL):
            return self.token(request)
        return self.api(request)

    def sync_client(self, oauth: OAuth2, **options: Any) -> FaxPlus:
        http = httpx.Client(transport=httpx.MockTransport(self))
        return FaxPlus(oauth=oauth, http_client=http, max_retries=0, **options)

    def async_client(self, oauth: OAuth2, **options: Any) -> AsyncFaxPlus:
        async def handler(request: httpx.Request) -> httpx.Response:
            await request.aread()
            if str(request.url).startswith(TOKEN_URL):
                await asyncio.sleep(0.05)  # long enough for every task to be waiting
            return self(request)

        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        return AsyncFaxPlus(oauth=oauth, http_client=http, max_retries=0, **options)


def credentials(**options: Any) -> OAuth2:
    return OAuth2(client_id=CLIENT_ID, client_secret=SECRET, refresh_token=REFRESH, **options)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked in: {text[:500]}"


# ---- getting, reusing and refreshing ------------------------------------------------------------


def test_sync_client_gets_a_token_before_its_first_call_and_reuses_it() -> None:
    server = TokenServer()
    client = server.sync_client(credentials())
    client.accounts.get_user()
    client.accounts.get_user()
    assert len(server.token_requests) == 1
    token_request = server.token_requests[0]
    assert token_request.method == "POST"
    assert str(token_request.url) == TOKEN_URL  # the spec's refreshUrl without its placeholders
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    # A refresh keeps the original grant's scopes: none are asked for.
    assert server.form() == {"grant_type": "refresh_token", "refresh_token": REFRESH}
    assert [r.headers["Authorization"] for r in server.api_requests] == ["Bearer access-1-xyz"] * 2


def test_basic_client_authentication_form_urlencodes_id_and_secret_before_base64() -> None:
    """RFC 6749 2.3.1: `client_id:client_secret`, each form-urlencoded, then base64."""
    server = TokenServer()
    server.sync_client(credentials()).accounts.get_user()
    scheme, _, encoded = server.token_requests[0].headers["Authorization"].partition(" ")
    assert scheme == "Basic"
    user, _, password = base64.b64decode(encoded).decode("ascii").partition(":")
    assert user == "client%3Aid+%C3%A9"  # the space a "+", the colon and the é encoded
    assert password == "s3cret%2B%26%3D%2Fclient"
    assert (unquote_plus(user), unquote_plus(password)) == (CLIENT_ID, SECRET)
    assert "client_secret" not in server.form()


def test_form_client_authentication_sends_id_and_secret_as_form_fields() -> None:
    server = TokenServer()
    server.sync_client(credentials(client_auth="form")).accounts.get_user()
    assert "Authorization" not in server.token_requests[0].headers
    form = server.form()
    assert (form["client_id"], form["client_secret"]) == (CLIENT_ID, SECRET)


def test_a_public_client_sends_its_id_in_the_form_and_no_authorization() -> None:
    server = TokenServer()
    oauth = OAuth2(client_id=CLIENT_ID, refresh_token=REFRESH)
    server.sync_client(oauth).accounts.get_user()
    assert "Authorization" not in server.token_requests[0].headers
    assert server.form()["client_id"] == CLIENT_ID and "client_secret" not in server.form()


def test_async_client_gets_reuses_and_renews_tokens() -> None:
    server = TokenServer(api_status=lambda sent: 200 if sent.endswith(server.current) else 401)

    async def main() -> None:
        client = server.async_client(credentials())
        await client.accounts.get_user()
        await client.accounts.get_user()
        assert len(server.token_requests) == 1
        server.current = "revoked"  # the API stops taking the token: a 401, one renewal
        await client.accounts.get_user()
        await client.close()

    asyncio.run(main())
    assert len(server.token_requests) == 2
    assert server.form(1)["refresh_token"] == "refresh-1-xyz"  # the rotated one
    assert [r.headers["Authorization"][-12:] for r in server.api_requests] == [
        "access-1-xyz",
        "access-1-xyz",
        "access-1-xyz",
        "access-2-xyz",
    ]


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(faxplus._oauth, "time", fake)
    return fake


def test_a_token_is_refreshed_shortly_before_it_expires(clock: Clock) -> None:
    server = TokenServer(expires_in=3600)
    client = server.sync_client(credentials(refresh_margin=60))
    client.accounts.get_user()
    clock.now += 3600 - 61  # still valid for more than the margin: reused
    client.accounts.get_user()
    assert len(server.token_requests) == 1
    clock.now += 2  # within 60 s of expiry: refreshed before the call
    client.accounts.get_user()
    assert len(server.token_requests) == 2
    assert server.api_requests[-1].headers["Authorization"] == "Bearer access-2-xyz"
    assert all(r.headers["Authorization"] != "" for r in server.api_requests)


def test_a_short_lived_token_is_not_renewed_at_every_call(clock: Clock) -> None:
    """`expires_in` below the margin: renewed at half its lifetime, not before each request."""
    server = TokenServer(expires_in="40")  # some servers send a string
    client = server.sync_client(credentials(refresh_margin=60))
    client.accounts.get_user()
    clock.now += 19
    client.accounts.get_user()
    assert len(server.token_requests) == 1
    clock.now += 2
    client.accounts.get_user()
    assert len(server.token_requests) == 2


def test_a_rotated_refresh_token_replaces_the_old_one_and_reaches_on_token(clock: Clock) -> None:
    seen: list[OAuth2Token] = []
    server = TokenServer(expires_in=100)
    oauth = credentials(on_token=seen.append)
    client = server.sync_client(oauth)
    for _ in range(3):
        client.accounts.get_user()
        clock.now += 100
    refreshed_with = [server.form(n)["refresh_token"] for n in range(3)]
    assert refreshed_with == [REFRESH, "refresh-1-xyz", "refresh-2-xyz"]
    assert [t.refresh_token for t in seen] == ["refresh-1-xyz", "refresh-2-xyz", "refresh-3-xyz"]
    assert oauth.token is seen[-1]
    assert seen[0].expires_at == pytest.approx(clock.now - 300 + 100, abs=1)


def test_a_refresh_token_the_server_keeps_stays_in_use(clock: Clock) -> None:
    seen: list[OAuth2Token] = []
    server = TokenServer(expires_in=100, rotate=False)
    client = server.sync_client(credentials(on_token=seen.append))
    client.accounts.get_user()
    clock.now += 100
    client.accounts.get_user()
    assert [server.form(n)["refresh_token"] for n in range(2)] == [REFRESH, REFRESH]
    assert [t.refresh_token for t in seen] == [REFRESH, REFRESH]  # what to persist: still valid


def test_async_on_token_is_awaited_by_the_async_client() -> None:
    stored: list[dict[str, Any]] = []

    async def persist(token: OAuth2Token) -> None:
        await asyncio.sleep(0)
        stored.append(token.to_dict())

    server = TokenServer()

    async def main() -> None:
        async with server.async_client(credentials(on_token=persist)) as client:
            await client.accounts.get_user()

    asyncio.run(main())
    assert stored and stored[0]["access_token"] == "access-1-xyz"
    assert stored[0]["refresh_token"] == "refresh-1-xyz"
    restored = OAuth2Token.from_dict(json.loads(json.dumps(stored[0])))
    assert (
        restored.access_token == "access-1-xyz" and restored.expires_at == stored[0]["expires_at"]
    )


def test_an_async_on_token_given_to_a_sync_client_is_refused_not_dropped() -> None:
    async def persist(token: OAuth2Token) -> None:
        pass

    server = TokenServer()
    with pytest.raises(TypeError, match="sync client needs a function"):
        server.sync_client(credentials(on_token=persist)).accounts.get_user()


def test_a_token_passed_in_is_used_until_it_expires(clock: Clock) -> None:
    server = TokenServer()
    start = {"access_token": "access-0-given", "expires_at": clock.now + 600}
    client = server.sync_client(credentials(token=start))
    client.accounts.get_user()
    assert not server.token_requests
    assert server.api_requests[0].headers["Authorization"] == "Bearer access-0-given"
    clock.now += 600
    client.accounts.get_user()
    assert server.form()["refresh_token"] == REFRESH


def test_a_token_passed_in_brings_its_refresh_token() -> None:
    server = TokenServer()
    token = OAuth2Token("access-0-given", expires_at=time.time() - 1, refresh_token="refresh-0-own")
    oauth = OAuth2(client_id=CLIENT_ID, client_secret=SECRET, token=token)
    server.sync_client(oauth).accounts.get_user()
    assert server.form()["refresh_token"] == "refresh-0-own"


def test_a_token_without_a_way_to_renew_it_is_used_until_refused() -> None:
    server = TokenServer(api_status=lambda sent: 401)
    oauth = OAuth2(client_id=CLIENT_ID, token=OAuth2Token("access-0-given"))
    with pytest.raises(AuthenticationError) as raised:
        server.sync_client(oauth).accounts.get_user()
    assert not isinstance(raised.value, OAuth2Error)
    assert not server.token_requests and len(server.api_requests) == 1


def test_oauth_without_any_grant_is_refused_when_the_client_is_made() -> None:
    with pytest.raises(ValueError, match="refresh_token"):
        FaxPlus(oauth=OAuth2(client_id=CLIENT_ID, client_secret=SECRET))


def test_client_credentials_with_a_token_url_of_ones_own() -> None:
    """No refresh token: the client credentials grant, with the scopes the operations require."""
    server = TokenServer(rotate=False)
    oauth = OAuth2(client_id=CLIENT_ID, client_secret=SECRET, token_url=TOKEN_URL + "/cc")
    server.sync_client(oauth).accounts.get_user()
    assert str(server.token_requests[0].url) == TOKEN_URL + "/cc"
    assert server.form() == {"grant_type": "client_credentials", "scope": "all"}
    oauth = OAuth2(
        client_id=CLIENT_ID, client_secret=SECRET, token_url=TOKEN_URL, scopes=["read", "write"]
    )
    server.sync_client(oauth).accounts.get_user()
    assert server.form()["scope"] == "read write"


# ---- 401: renew once, send once more ------------------------------------------------------------


def test_a_401_renews_the_token_once_and_sends_the_request_once_more() -> None:
    server = TokenServer(api_status=lambda sent: 401 if sent.endswith("access-1-xyz") else 200)
    client = server.sync_client(credentials())
    assert client.accounts.get_user().uid == "u1"
    assert len(server.token_requests) == 2
    assert [r.headers["Authorization"][-12:] for r in server.api_requests] == [
        "access-1-xyz",
        "access-2-xyz",
    ]


@pytest.mark.parametrize("retries", [0, 2])
def test_a_second_401_is_raised_never_looping(retries: int) -> None:
    server = TokenServer(api_status=lambda sent: 401)
    client = server.sync_client(credentials()).with_options(max_retries=retries)
    with pytest.raises(AuthenticationError) as raised:
        client.accounts.get_user()
    assert not isinstance(raised.value, OAuth2Error)
    assert len(server.api_requests) == 2 and len(server.token_requests) == 2
    assert_no_secret(str(raised.value))


def test_async_a_second_401_is_raised_never_looping() -> None:
    server = TokenServer(api_status=lambda sent: 401)

    async def main() -> None:
        async with server.async_client(credentials()) as client:
            with pytest.raises(AuthenticationError):
                await client.accounts.get_user()

    asyncio.run(main())
    assert len(server.api_requests) == 2 and len(server.token_requests) == 2


class Pipe(io.BytesIO):
    """A stream that cannot be rewound, like a pipe or a socket."""

    def seekable(self) -> bool:
        return False


def test_a_401_to_a_body_that_cannot_be_replayed_renews_the_token_but_is_raised() -> None:
    """The body is not sent twice; the renewed token serves the next call."""
    server = TokenServer(api_status=lambda sent: 401 if sent.endswith("access-1-xyz") else 200)
    client = server.sync_client(credentials())
    with pytest.raises(AuthenticationError):
        client.files.upload_file(fax_file=("a.pdf", Pipe(b"%PDF-1.4"), "application/pdf"))
    assert len(server.api_requests) == 1 and len(server.token_requests) == 2
    client.accounts.get_user()
    assert server.api_requests[-1].headers["Authorization"] == "Bearer access-2-xyz"


def test_a_static_access_token_and_the_personal_access_token_work_as_before() -> None:
    server = TokenServer()
    http = httpx.Client(transport=httpx.MockTransport(server))
    FaxPlus(access_token="pat-123", http_client=http).accounts.get_user()
    assert server.api_requests[0].headers["Authorization"] == "Bearer pat-123"
    assert not server.token_requests


# ---- token endpoint errors ----------------------------------------------------------------------


def refused(status: int, body: dict[str, Any]) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, json=body)


def test_a_refused_refresh_raises_a_typed_error_without_secrets_and_is_not_resent() -> None:
    answer = refused(
        400,
        {
            "error": "invalid_grant",
            "error_description": f"refresh token {REFRESH} expired (client {SECRET})",
        },
    )
    server = TokenServer(token_answer=answer)
    client = server.sync_client(credentials())
    with pytest.raises(OAuth2Error) as raised:
        client.accounts.get_user()
    error = raised.value
    assert isinstance(error, AuthenticationError) and isinstance(error, APIError)
    assert error.error == "invalid_grant" and error.status_code == 400
    assert error.error_description == "refresh token *** expired (client ***)"
    assert "invalid_grant" in str(error) and "refresh token *** expired" in str(error)
    for text in (str(error), repr(error), error.message, repr(error.body), error.text):
        assert_no_secret(text)
    assert error.request is not None
    assert not error.request.content and "Authorization" not in error.request.headers
    assert error.__cause__ is None and error.__context__ is None
    assert not server.api_requests
    # The server refused this refresh token: it is never sent again.
    with pytest.raises(OAuth2Error):
        client.accounts.get_user()
    assert len(server.token_requests) == 1


def test_a_token_endpoint_failing_with_5xx_is_tried_again_on_the_next_call() -> None:
    server = TokenServer(token_answer=refused(503, {"error": "temporarily_unavailable"}))
    client = server.sync_client(credentials())
    for _ in range(2):
        with pytest.raises(OAuth2Error) as raised:
            client.accounts.get_user()
        assert raised.value.error == "temporarily_unavailable"
    assert len(server.token_requests) == 2
    server.token_answer = None
    client.accounts.get_user()
    assert server.api_requests[0].headers["Authorization"] == "Bearer access-1-xyz"


def test_a_failed_renewal_before_expiry_keeps_the_token_still_valid(clock: Clock) -> None:
    """Renewal starts 60 s early: if it fails then, the token serves until it really expires."""
    server = TokenServer(expires_in=3600)
    client = server.sync_client(credentials(refresh_margin=60))
    client.accounts.get_user()
    server.token_answer = refused(503, {"error": "temporarily_unavailable"})
    clock.now += 3600 - 30
    client.accounts.get_user()
    assert len(server.token_requests) == 2
    assert server.api_requests[-1].headers["Authorization"] == "Bearer access-1-xyz"
    clock.now += 30
    with pytest.raises(OAuth2Error):
        client.accounts.get_user()
    assert len(server.api_requests) == 2


def test_an_answer_without_an_access_token_is_an_oauth2_error() -> None:
    server = TokenServer(token_answer=refused(200, {"token_type": "bearer"}))
    with pytest.raises(OAuth2Error) as raised:
        server.sync_client(credentials()).accounts.get_user()
    assert raised.value.error == "invalid_response"


def test_a_token_endpoint_out_of_reach_raises_a_connection_error_without_secrets() -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url} with {request.content!r}")

    server = TokenServer(token_answer=unreachable)
    client = server.sync_client(credentials()).with_options(max_retries=2)
    with pytest.raises(APIConnectionError) as raised:
        client.accounts.get_user()
    assert_no_secret(str(raised.value) + repr(raised.value))
    assert raised.value.__cause__ is None
    # Never re-sent by the client's retries: the server may have rotated the refresh token.
    assert len(server.token_requests) == 1 and not server.api_requests


# ---- secrets -------------------------------------------------------------------------------------


def test_no_secret_in_any_repr_str_or_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server = TokenServer(api_status=lambda sent: 401 if sent.endswith("access-1-xyz") else 200)
    oauth = credentials()
    client = server.sync_client(oauth)
    client.accounts.get_user()  # a token, a 401, a renewal, a retry
    token = oauth.token
    assert token is not None
    shown = [repr(oauth), str(oauth), repr(client), str(client), repr(token), str(token)]
    shown += [f"{token}", f"{oauth!r}"]
    for text in shown:
        assert_no_secret(text)
    assert "'***'" in repr(oauth) and CLIENT_ID in repr(oauth)
    assert "access_token='***'" in repr(token)
    assert "Got an OAuth2 access token" in caplog.text
    assert "renewing" in caplog.text
    assert_no_secret(caplog.text)


# ---- concurrency ---------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: dict[str, Any]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        with self.state["lock"]:
            self.state["token_requests"].append(form)
            n = len(self.state["token_requests"])
        time.sleep(0.3)  # a slow token endpoint: every thread arrives while it works
        if self.state.get("refuse"):
            self._send(400, {"error": "invalid_grant"})
        else:
            self._send(200, {"access_token": f"access-{n}-xyz", "expires_in": 3600})

    def do_GET(self) -> None:
        with self.state["lock"]:
            self.state["api_auth"].append(self.headers.get("Authorization"))
        self._send(200, USER)

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def local_server() -> Any:
    state: dict[str, Any] = {"lock": threading.Lock(), "token_requests": [], "api_auth": []}
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def run_threads(count: int, work: Callable[[], Any]) -> list[BaseException | None]:
    barrier = threading.Barrier(count)
    outcome: list[BaseException | None] = [None] * count

    def run(n: int) -> None:
        barrier.wait()
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertions
            outcome[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


def test_16_threads_on_one_sync_client_cause_one_token_request(
    local_server: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    oauth = credentials(token_url="/token")  # relative: resolved against the base URL
    with FaxPlus(oauth=oauth, base_url=local_server["url"]) as client:
        outcome = run_threads(16, client.accounts.get_user)
    assert outcome == [None] * 16
    assert len(local_server["token_requests"]) == 1
    assert local_server["api_auth"] == ["Bearer access-1-xyz"] * 16
    assert_no_secret(caplog.text)  # httpx's and httpcore's debug logs included


def test_16_threads_waiting_on_a_refused_refresh_share_its_error(
    local_server: dict[str, Any],
) -> None:
    local_server["refuse"] = True
    oauth = credentials(token_url="/token")
    with FaxPlus(oauth=oauth, base_url=local_server["url"]) as client:
        outcome = run_threads(16, client.accounts.get_user)
    assert all(isinstance(error, OAuth2Error) for error in outcome)
    assert len(local_server["token_requests"]) == 1  # never re-sent with the refused token
    assert not local_server["api_auth"]


def test_16_tasks_on_one_async_client_cause_one_token_request() -> None:
    server = TokenServer()

    async def main() -> None:
        async with server.async_client(credentials()) as client:
            users = await asyncio.gather(*(client.accounts.get_user() for _ in range(16)))
        assert [u.uid for u in users] == ["u1"] * 16

    asyncio.run(main())
    assert len(server.token_requests) == 1
    assert {r.headers["Authorization"] for r in server.api_requests} == {"Bearer access-1-xyz"}


def test_16_tasks_after_a_401_cause_one_renewal() -> None:
    server = TokenServer(api_status=lambda sent: 200 if sent.endswith(server.current) else 401)

    async def main() -> None:
        async with server.async_client(credentials()) as client:
            await client.accounts.get_user()
            server.current = "revoked"
            await asyncio.gather(*(client.accounts.get_user() for _ in range(16)))

    asyncio.run(main())
    assert len(server.token_requests) == 2


def test_one_oauth2_shared_by_a_sync_and_an_async_client_shares_the_token() -> None:
    server = TokenServer()
    oauth = credentials()
    server.sync_client(oauth).accounts.get_user()

    async def main() -> None:
        async with server.async_client(oauth) as client:
            await client.accounts.get_user()

    asyncio.run(main())
    assert len(server.token_requests) == 1


def test_with_options_keeps_the_oauth_credentials() -> None:
    server = TokenServer()
    client = server.sync_client(credentials())
    client.with_options(timeout=5.0).accounts.get_user()
    client.accounts.get_user()
    assert len(server.token_requests) == 1
    assert "oauth=OAuth2(" in repr(client.with_options(max_retries=1))


def test_the_package_exports_the_oauth_names() -> None:
    assert {"OAuth2", "OAuth2Token", "OAuth2Error"} <= set(faxplus.__all__)
