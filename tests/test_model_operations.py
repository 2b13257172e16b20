"""Operations: paths carrying a query, several response media types, bodies of every kind."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import httpx

from generator.model.types import Primitive
from tests.conftest import generate_client
from tests.model_helpers import model, openapi, write_spec


def _client(tmp_path: Path, spec: dict[str, Any], package: str) -> tuple[Any, list[httpx.Request]]:
    generate_client(write_spec(tmp_path, spec), tmp_path / "out", package_name=package)
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        module = importlib.import_module(package)
    finally:
        sys.path.remove(str(tmp_path / "out"))
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    names = [n for n in module.__all__ if n.lower() == package.replace("_", "")]
    client_class = getattr(module, names[0])
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return client_class(base_url="http://t", http_client=http, max_retries=0), seen


def test_query_written_into_the_path_key_is_kept(tmp_path: Path) -> None:
    paths = {
        "/r/{id}?beta=true": {
            "get": {
                "operationId": "getR",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        }
    }
    client, seen = _client(tmp_path, openapi(paths=paths), "fixedquery")
    client.r.get_r(id="a b", limit=2)
    client.r.get_r(id="a")
    assert [str(r.url) for r in seen] == [
        "http://t/r/a%20b?beta=true&limit=2",
        "http://t/r/a?beta=true",
    ]


def test_several_response_media_types(tmp_path: Path) -> None:
    paths = {
        "/doc": {
            "get": {
                "operationId": "getDoc",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"id": {"type": "string"}},
                                }
                            },
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                        },
                    }
                },
            }
        }
    }
    api, _ = model(tmp_path, openapi(paths=paths))
    op = api.operations[0]
    assert op.result_kind == "json"
    assert op.accept == "application/json"  # the result is parsed as JSON: a PDF could not be read


def test_octet_stream_and_text_bodies(tmp_path: Path) -> None:
    paths = {
        "/blob": {
            "put": {
                "operationId": "putBlob",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/octet-stream": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    },
                },
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/note": {
            "put": {
                "operationId": "putNote",
                "requestBody": {
                    "required": True,
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
                "responses": {"204": {"description": "ok"}},
            }
        },
    }
    api, _ = model(tmp_path, openapi(paths=paths))
    bodies = {op.operation_id: op.body for op in api.operations}
    assert bodies["putBlob"] is not None and bodies["putBlob"].kind == "binary"
    assert bodies["putNote"] is not None and bodies["putNote"].kind == "text"
    assert bodies["putNote"].type == Primitive("str")
    client, seen = _client(tmp_path, openapi(paths=paths), "rawbodies")
    client.blob.put_blob(body=b"\x00\x01")
    client.note.put_note(body="hello")
    assert [(r.headers["content-type"], r.content) for r in seen] == [
        ("application/octet-stream", b"\x00\x01"),
        ("text/plain", b"hello"),
    ]
