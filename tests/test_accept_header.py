"""The Accept header offers only what the client can read, JSON first; downloads keep their own.

On the wire: generated clients (Swagger 2.0 and OpenAPI 3) against a MockTransport server that
negotiates as real ones do (highest q wins; on a tie the server's own preference, here XML first).
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import generate_client
from tests.model_helpers import openapi, write_spec

PET = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    "required": ["id"],
}
PET_JSON = json.dumps({"id": 1, "name": "Rex"}).encode()
PET_XML = b"<Pet><id>1</id><name>Rex</name></Pet>"
PNG = b"\x89PNG\r\n\x1a\n..."

# What the server can send for each path, in its own order of preference.
OFFERS: dict[str, list[tuple[str, bytes]]] = {
    "pet": [("application/xml", PET_XML), ("application/json", PET_JSON)],
    "card": [("application/xml", PET_XML), ("application/vnd.pets.v2+json", PET_JSON)],
    "photo": [("image/jpeg", b"\xff\xd8jpeg"), ("image/png", PNG)],
    "page": [("text/html", b"<html>Rex</html>"), ("application/vnd.api+json", PET_JSON)],
    "any": [("application/xml", PET_XML), ("application/json", PET_JSON)],
    "hal": [
        ("application/xml", PET_XML),
        ("application/hal+json", PET_JSON),
        ("application/json", PET_JSON),
    ],
    "blob": [("application/octet-stream", b"\x00\x01")],
    "download": [("application/zip", b"PK\x03\x04")],
    "report": [("text/csv", b"id,name\n1,Rex\n")],
    "note": [("application/json", b'"Rex"'), ("application/xml", b"Rex"), ("text/plain", b"Rex")],
}


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = next((float(p[2:]) for p in params if p.startswith("q=")), 1.0)
        ranges.append((media.lower(), q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range matching `media` (RFC 9110 12.5.1)."""
    kind = media.split("/")[0]
    for candidate in (media, f"{kind}/*", "*/*"):
        found = [q for r, q in ranges if r == candidate]
        if found:
            return found[0]
    return 0.0


def negotiating_server(seen: list[str]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        accept = request.headers.get("accept", "*/*")
        seen.append(accept)
        offers = OFFERS[request.url.path.rsplit("/", 1)[-1]]
        ranges = _ranges(accept)
        best = max(offers, key=lambda offer: _quality(offer[0], ranges))  # ties: the first offer
        if _quality(best[0], ranges) <= 0:
            return httpx.Response(406)
        return httpx.Response(200, content=best[1], headers={"Content-Type": best[0]})

    return httpx.MockTransport(answer)


def _generate(tmp_path: Path, spec: dict[str, Any], package: str) -> Any:
    out = tmp_path / "out"
    generate_client(write_spec(tmp_path, spec), out, package_name=package, client_name="Pets")
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(out))


def _get(
    op_id: str, tail: str, responses: dict[str, Any], **extra: Any
) -> dict[str, dict[str, Any]]:
    return {
        f"/pets/{tail}": {
            "get": {"operationId": op_id, "tags": ["pets"], "responses": responses, **extra}
        }
    }


SWAGGER2 = {
    "swagger": "2.0",
    "info": {"title": "Pets", "version": "1"},
    "host": "api.test",
    "produces": ["application/xml", "application/json"],
    "definitions": {"Pet": PET},
    "paths": {
        **_get(
            "getPet", "pet", {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}}
        ),
        **_get(
            "getCard",
            "card",
            {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}},
            produces=["application/xml", "application/vnd.pets.v2+json"],
        ),
        **_get(
            "getPhoto",
            "photo",
            {"200": {"description": "ok", "schema": {"type": "file"}}},
            produces=["image/png", "image/jpeg"],
        ),
    },
}


def test_swagger2_produces_xml_before_json_accepts_json_only(tmp_path: Path) -> None:
    module = _generate(tmp_path, SWAGGER2, "accept_swagger")
    seen: list[str] = []
    api = module.Pets(
        base_url="http://t", http_client=httpx.Client(transport=negotiating_server(seen))
    )
    assert api.pets.get_pet().name == "Rex"
    assert api.pets.get_card().name == "Rex"
    assert api.pets.get_photo() == b"\xff\xd8jpeg"
    assert seen == ["application/json", "application/vnd.pets.v2+json", "image/png, image/jpeg"]


def _content(*media: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    schema = schema or {"$ref": "#/components/schemas/Pet"}
    return {"description": "ok", "content": {m: {"schema": schema} for m in media}}


BINARY = {"type": "string", "format": "binary"}
PROBLEM = {
    "description": "bad",
    "content": {"application/problem+json": {"schema": {"type": "object"}}},
}
ERROR = {"description": "bad", "content": {"application/json": {"schema": {"type": "object"}}}}

OPENAPI3 = openapi(
    paths={
        **_get(
            "getPet",
            "pet",
            {"200": _content("application/xml", "application/json"), "400": PROBLEM},
        ),
        **_get(
            "getPage",
            "page",
            {
                "200": {
                    "description": "ok",
                    "content": {
                        "text/html": {"schema": {"type": "string"}},
                        "application/vnd.api+json": {
                            "schema": {"$ref": "#/components/schemas/Pet"}
                        },
                    },
                }
            },
        ),
        **_get("getAny", "any", {"200": _content("*/*")}),
        **_get(
            "getHal",
            "hal",
            {"200": _content("application/hal+json", "application/json;charset=UTF-8")},
        ),
        **_get(
            "getBlob",
            "blob",
            {"200": _content("application/octet-stream", schema=BINARY), "4XX": ERROR},
        ),
        **_get("getDownload", "download", {"200": _content("*/*", schema=BINARY)}),
        **_get("getReport", "report", {"200": _content("text/csv", schema={"type": "string"})}),
    },
    schemas={"Pet": PET},
)


def test_openapi3_accept_on_the_wire(tmp_path: Path) -> None:
    module = _generate(tmp_path, OPENAPI3, "accept_openapi")
    seen: list[str] = []
    api = module.Pets(
        base_url="http://t", http_client=httpx.Client(transport=negotiating_server(seen))
    )
    assert api.pets.get_pet().name == "Rex"
    assert api.pets.get_page().name == "Rex"
    assert api.pets.get_any().name == "Rex"
    assert api.pets.get_hal().name == "Rex"
    assert api.pets.get_blob() == b"\x00\x01"
    assert api.pets.get_download() == b"PK\x03\x04"
    assert api.pets.get_report() == "id,name\n1,Rex\n"
    assert seen == [
        "application/json, application/problem+json;q=0.9",  # JSON first; the error type below it
        "application/vnd.api+json",  # the HTML the client could not parse is not asked for
        "application/json",  # a wildcard asks for JSON, or an XML-first server sends XML
        "application/json, application/hal+json",  # plain JSON first, without parameters
        "application/octet-stream, application/json;q=0.9",  # a download keeps its own type
        "*/*",  # `*/*` with a binary schema is a download, not JSON
        "text/csv",
    ]


@pytest.mark.parametrize("produces", [["application/xml"], ["text/plain", "application/xml"]])
def test_a_spec_offering_no_json_keeps_its_own_types(tmp_path: Path, produces: list[str]) -> None:
    """A string result reads any text: the documented types are all asked for, in order."""
    spec = {
        **SWAGGER2,
        "produces": produces,
        "paths": {
            **_get("getNote", "note", {"200": {"description": "ok", "schema": {"type": "string"}}})
        },
    }
    module = _generate(tmp_path, spec, f"accept_text_{len(produces)}")
    seen: list[str] = []
    api = module.Pets(
        base_url="http://t", http_client=httpx.Client(transport=negotiating_server(seen))
    )
    assert api.pets.get_note() == "Rex"
    assert seen == [", ".join(produces)]


def test_parameters_that_select_a_representation_are_kept(tmp_path: Path) -> None:
    from tests.model_helpers import model

    spec = openapi(
        paths=_get(
            "getPet",
            "pet",
            {
                "200": _content(
                    "application/vnd.pets+json; charset=utf-8", "application/json; version=2"
                ),
                "default": {
                    "description": "error",
                    "content": {"*/*": {"schema": {"type": "object"}}},
                },
            },
        ),
        schemas={"Pet": PET},
    )
    api, _ = model(tmp_path, spec)
    # The `*/*` error body asks for JSON of any version, below the ones the result documents.
    accept = "application/json; version=2, application/vnd.pets+json, application/json;q=0.9"
    assert api.operations[0].accept == accept
