"""Swagger 2.0 values as their OpenAPI 3.0 counterparts, one value at a time: parameter schema
keys, collection formats as styles, security definitions as schemes, host and basePath as
servers. The walk over the document that uses them is swagger2.py."""

from __future__ import annotations

from typing import Any

PARAM_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
)
COLLECTION_STYLE = {
    "csv": ("form", False),
    "ssv": ("spaceDelimited", False),
    "tsv": ("tabDelimited", False),  # no OpenAPI 3 style: the runtime's own, tab-separated
    "pipes": ("pipeDelimited", False),
    "multi": ("form", True),
}


FORM_COLLECTIONS: dict[str, dict[str, Any]] = {
    "csv": {"style": "form", "explode": False},
    "multi": {"style": "form", "explode": True},
    "ssv": {"style": "spaceDelimited", "explode": False},
    "pipes": {"style": "pipeDelimited", "explode": False},
}


def items_schema(items: dict[str, Any]) -> dict[str, Any]:
    """Parameter `items` are not full schemas in 2.0 (they carry collectionFormat)."""
    return {k: v for k, v in items.items() if k != "collectionFormat"}


def security_scheme(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    kind = value.get("type")
    description = (
        {"description": value["description"]} if isinstance(value.get("description"), str) else {}
    )
    if kind == "basic":
        return {"type": "http", "scheme": "basic", **description}
    if kind == "apiKey":
        return {"type": "apiKey", "name": value.get("name"), "in": value.get("in"), **description}
    if kind == "oauth2":
        flow_name = {
            "implicit": "implicit",
            "password": "password",
            "application": "clientCredentials",
            "accessCode": "authorizationCode",
        }.get(str(value.get("flow")), "implicit")
        flow: dict[str, Any] = {
            "scopes": value.get("scopes") if isinstance(value.get("scopes"), dict) else {}
        }
        if flow_name in ("implicit", "authorizationCode"):
            flow["authorizationUrl"] = value.get("authorizationUrl", "")
        if flow_name != "implicit":
            flow["tokenUrl"] = value.get("tokenUrl", "")
        return {"type": "oauth2", "flows": {flow_name: flow}, **description}
    return value


def servers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The servers of `host`, `basePath` and `schemes`, https first."""
    host = spec.get("host")
    base = spec.get("basePath")
    base = str(base) if isinstance(base, str) else ""
    schemes = spec.get("schemes")
    schemes = [str(s) for s in schemes] if isinstance(schemes, list) and schemes else []
    if not isinstance(host, str) or not host:
        return [{"url": base or "/"}]
    if "https" in schemes:
        schemes = ["https"] + [s for s in schemes if s != "https"]
    return [{"url": f"{scheme}://{host}{base}"} for scheme in (schemes or ["https"])]
