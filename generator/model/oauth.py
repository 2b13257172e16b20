"""The OAuth2 flows of a security scheme: token and refresh endpoints, and the scopes to ask for."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from generator.model.api import OAuthFlow

# Flows in the order a client prefers them; `implicit` has no token endpoint.
TOKEN_FLOWS = ("authorizationCode", "clientCredentials", "password")
# Parameters a client sends in the token request's body. Specs write some into the URLs as
# placeholders (Fax.Plus: `refreshUrl: ...token?grant_type=refresh_token&refresh_token=YOUR_REFRESH_TOKEN`);
# sent as written they would be wrong, and would put a refresh token in a URL (and so in logs).
_BODY_PARAMETERS = frozenset(
    {
        "grant_type",
        "refresh_token",
        "client_id",
        "client_secret",
        "code",
        "redirect_uri",
        "scope",
        "username",
        "password",
        "code_verifier",
    }
)


def oauth_flows(scheme: dict[str, Any], required_scopes: list[str]) -> list[OAuthFlow]:
    """The flows of an oauth2 security scheme that have a token endpoint, in TOKEN_FLOWS order.

    `required_scopes` are those the spec's security requirements ask of this scheme: the default
    scopes of a token request. Where no requirement names a scope, the flow's declared scopes are."""
    flows = scheme.get("flows")
    if not isinstance(flows, dict):
        return []
    found = []
    for kind in TOKEN_FLOWS:
        flow = flows.get(kind)
        if not isinstance(flow, dict):
            continue
        token_url = _endpoint(flow.get("tokenUrl"))
        if not token_url:
            continue
        declared = flow.get("scopes")
        scopes = [str(s) for s in declared] if isinstance(declared, dict) else []
        found.append(
            OAuthFlow(kind, token_url, _endpoint(flow.get("refreshUrl")), required_scopes or scopes)
        )
    return found


def _endpoint(value: Any) -> str:
    """A token endpoint URL without the OAuth parameters some specs write into its query."""
    if not isinstance(value, str) or not value.strip():
        return ""
    parts = urlsplit(value.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    kept = [(k, v) for k, v in query if k not in _BODY_PARAMETERS]
    if len(kept) == len(query):
        return value.strip()
    return urlunsplit(parts._replace(query=urlencode(kept)))


def required_scopes(spec: dict[str, Any], key: str) -> list[str]:
    """The scopes the spec's security requirements (root and operations) ask of scheme `key`,
    each once, in the order they first appear."""
    requirements: list[Any] = []
    top = spec.get("security")
    if isinstance(top, list):
        requirements += top
    paths = spec.get("paths")
    for item in paths.values() if isinstance(paths, dict) else []:
        for operation in item.values() if isinstance(item, dict) else []:
            security = operation.get("security") if isinstance(operation, dict) else None
            if isinstance(security, list):
                requirements += security
    scopes: dict[str, None] = {}
    for requirement in requirements:
        named = requirement.get(key) if isinstance(requirement, dict) else None
        if isinstance(named, list):
            scopes.update(dict.fromkeys(str(s) for s in named))
    return list(scopes)
