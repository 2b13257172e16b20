"""Security schemes become client constructor arguments (credentials) and per-request auth."""

from __future__ import annotations

from typing import Any

from generator.model import naming
from generator.model.api import ClientArgument, SecurityScheme
from generator.model.oauth import oauth_flows, required_scopes
from generator.model.specvalues import text as spec_text
from generator.spec.refs import Location, RefError, RefResolver

BEARER_ARGUMENT = "access_token"


def build_security(
    spec: dict[str, Any], package: str, resolver: RefResolver, schemes_at: Location
) -> tuple[list[SecurityScheme], list[list[str]], list[ClientArgument]]:
    """The spec's usable security schemes (`schemes_at`: where they are, to follow `$ref`s from),
    its default requirements, and the client arguments that carry the credentials."""
    components = spec.get("components")
    raw = components.get("securitySchemes") if isinstance(components, dict) else None
    schemes: list[SecurityScheme] = []
    arguments: dict[str, ClientArgument] = {}
    names = naming.UniqueNamer(
        frozenset(
            {
                "base_url",
                "timeout",
                "max_retries",
                "http_client",
                "default_headers",
                "verify",
                "follow_redirects",
                "oauth",
                "self",
            }
        )
    )
    env_prefix = package.upper()

    def argument(name: str, description: str) -> str:
        if name not in arguments:
            arguments[name] = ClientArgument(
                names.claim(name), "", f"{env_prefix}_{name.upper()}", description
            )
        return arguments[name].py_name

    for key, value in (raw if isinstance(raw, dict) else {}).items():
        try:
            value, _ = resolver.deref(value, schemes_at.child(str(key)))
        except RefError:  # reported by validation; the scheme is simply unusable
            continue
        if not isinstance(value, dict):
            continue
        kind = value.get("type")
        scheme = str(value.get("scheme", "")).lower()
        description = spec_text(value.get("description"))
        if kind == "oauth2":
            # A static access token works as before; `oauth=OAuth2(...)` gets and refreshes one.
            schemes.append(
                SecurityScheme(
                    str(key),
                    "oauth2",
                    description,
                    argument(BEARER_ARGUMENT, "Bearer token"),
                    flows=oauth_flows(value, required_scopes(spec, str(key))),
                )
            )
        elif kind == "openIdConnect" or (kind == "http" and scheme == "bearer"):
            schemes.append(
                SecurityScheme(
                    str(key), "bearer", description, argument(BEARER_ARGUMENT, "Bearer token")
                )
            )
        elif kind == "http" and scheme == "basic" or kind == "basic":
            argument("username", "Username for HTTP basic auth")
            schemes.append(
                SecurityScheme(
                    str(key),
                    "basic",
                    description,
                    argument("password", "Password for HTTP basic auth"),
                )
            )
        elif kind == "apiKey" and isinstance(value.get("name"), str):
            location = (
                value.get("in") if value.get("in") in ("header", "query", "cookie") else "header"
            )
            arg = argument(
                naming.param_name(str(key)) if "key" in str(key).lower() else "api_key", "API key"
            )
            schemes.append(
                SecurityScheme(str(key), "api_key", description, arg, location, value["name"])
            )
    top = spec.get("security")
    default = (
        [sorted(str(k) for k in req) for req in top if isinstance(req, dict)]
        if isinstance(top, list)
        else []
    )
    return schemes, default, list(arguments.values())
