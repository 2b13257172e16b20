"""The OAuth2 flows of security schemes reach the model and the client (issue 13): token and
refresh URLs (placeholders in their query dropped), the scopes to ask for, Swagger 2.0 flows, and
no OAuth2 surface for a spec without a token endpoint."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from generator.config import ClientConfig
from generator.model.api import OAuthFlow
from generator.model.builder import build_api
from generator.model.oauth import _endpoint
from generator.spec.loader import load_spec
from tests.conftest import REPO, generate_client
from tests.model_helpers import model, openapi, write_spec


def oauth_spec(flows: dict[str, Any], **extra: Any) -> dict[str, Any]:
    spec = openapi(
        {
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "security": [{"oauth": ["read"]}],
                    "responses": {"200": {"description": "ok"}},
                },
                "post": {
                    "operationId": "addItem",
                    "security": [{"oauth": ["write", "read"]}],
                    "responses": {"204": {"description": "done"}},
                },
            }
        },
        servers=[{"url": "https://api.example.com/v1"}],
        **extra,
    )
    spec["components"] = {"securitySchemes": {"oauth": {"type": "oauth2", "flows": flows}}}
    return spec


def test_the_faxplus_flow_reaches_the_model_without_the_placeholders_of_its_refresh_url() -> None:
    path = REPO / "specs" / "faxplus.yaml"
    api, _ = build_api(load_spec(path), ClientConfig(spec=path, output=Path("out")))
    scheme = next(s for s in api.security_schemes if s.key == "oauth2")
    assert scheme.kind == "oauth2" and scheme.credential == "access_token"
    # refreshUrl is `https://accounts.fax.plus/token?grant_type=refresh_token&refresh_token=YOUR_REFRESH_TOKEN`
    assert scheme.flows == [
        OAuthFlow(
            "authorizationCode",
            "https://accounts.fax.plus/token",
            "https://accounts.fax.plus/token",
            ["all"],
        )
    ]
    assert api.oauth_flows == scheme.flows
    pat = next(s for s in api.security_schemes if s.key == "personal_access_token")
    assert pat.kind == "bearer" and pat.flows == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a/token?grant_type=refresh_token&refresh_token=YOURS", "https://a/token"),
        ("https://a/token?tenant=x&client_id=ID", "https://a/token?tenant=x"),
        ("https://a/token?tenant=x", "https://a/token?tenant=x"),
        ("/oauth/token", "/oauth/token"),
        ("", ""),
        (None, ""),
    ],
)
def test_token_urls_lose_only_the_parameters_a_token_request_sends_in_its_body(
    url: Any, expected: str
) -> None:
    assert _endpoint(url) == expected


def test_default_scopes_are_those_the_operations_require_in_order(tmp_path: Path) -> None:
    flows = {
        "clientCredentials": {
            "tokenUrl": "/oauth/token",
            "scopes": {"admin": "", "write": "", "read": ""},
        },
        "implicit": {"authorizationUrl": "https://a", "scopes": {}},
    }
    api, _ = model(tmp_path, oauth_spec(flows))
    assert api.oauth_flows == [
        OAuthFlow("clientCredentials", "/oauth/token", "", ["read", "write"])
    ]


def test_without_required_scopes_the_declared_ones_are_asked_for(tmp_path: Path) -> None:
    spec = oauth_spec({"password": {"tokenUrl": "https://t", "scopes": {"a": "", "b": ""}}})
    for operation in spec["paths"]["/items"].values():
        operation["security"] = [{"oauth": []}]
    api, _ = model(tmp_path, spec)
    assert api.oauth_flows == [OAuthFlow("password", "https://t", "", ["a", "b"])]


def test_swagger2_application_flow_is_a_client_credentials_flow(tmp_path: Path) -> None:
    spec = {
        "swagger": "2.0",
        "info": {"title": "T", "version": "1"},
        "host": "api.example.com",
        "paths": {},
        "securityDefinitions": {
            "oauth": {
                "type": "oauth2",
                "flow": "application",
                "tokenUrl": "https://t/token",
                "scopes": {"read": ""},
            }
        },
    }
    api, _ = model(tmp_path, spec)
    assert api.oauth_flows == [OAuthFlow("clientCredentials", "https://t/token", "", ["read"])]


def test_an_implicit_only_scheme_has_no_token_flow(tmp_path: Path) -> None:
    api, _ = model(tmp_path, oauth_spec({"implicit": {"authorizationUrl": "https://a"}}))
    assert api.security_schemes[0].kind == "oauth2" and api.oauth_flows == []


def _generated(tmp_path: Path, spec: dict[str, Any], package: str) -> dict[str, str]:
    out = tmp_path / "out"
    generate_client(write_spec(tmp_path, spec), out, package_name=package)
    return {
        name: (out / package / name).read_text("utf-8")
        for name in ("__init__.py", "_client.py", "../README.md")
    }


def test_a_spec_without_a_token_flow_generates_no_oauth_surface(tmp_path: Path) -> None:
    files = _generated(
        tmp_path, oauth_spec({"implicit": {"authorizationUrl": "https://a"}}), "noauth"
    )
    for name, text in files.items():
        assert "OAuth2" not in text and "oauth=" not in text, name
    assert "access_token: str | None = None" in files["_client.py"]  # the static token stays


def test_a_client_credentials_client_gets_its_token_from_the_relative_token_url(
    tmp_path: Path,
) -> None:
    flows = {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": {"read": "", "write": ""}}}
    files = _generated(tmp_path, oauth_spec(flows), "ccpkg")
    assert "OAuth2" in files["__init__.py"] and "oauth: OAuth2 | None = None" in files["_client.py"]
    assert "OAuth2(" in files["../README.md"]
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        package = importlib.import_module("ccpkg")
    finally:
        sys.path.remove(str(tmp_path / "out"))
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "at-1", "expires_in": 60})
        return httpx.Response(204)

    oauth = package.OAuth2(client_id="id", client_secret="secret")
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = package.Ccpkg(oauth=oauth, http_client=http)
    client.items.add_item()
    client.items.add_item()
    assert [str(r.url) for r in seen] == [
        "https://api.example.com/oauth/token",  # relative to the server URL, as RFC 3986 joins
        "https://api.example.com/v1/items",
        "https://api.example.com/v1/items",
    ]
    form = {k: v[0] for k, v in parse_qs(seen[0].content.decode()).items()}
    assert form == {"grant_type": "client_credentials", "scope": "read write"}
    assert seen[1].headers["Authorization"] == "Bearer at-1"
