"""Servers and request bodies on the wire (issue 18): raw requests captured with httpx.MockTransport.

The specs are tests/wire/servers.yaml and tests/wire/bodies.yaml; each test states the bytes the
OpenAPI Specification asks for."""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qsl

import httpx
import pytest

from tests.conftest import REPO, generate_client
from tests.model_helpers import model, openapi

SPECS = Path(__file__).parent / "wire"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("wire")
    for name in ("servers", "bodies"):
        generate_client(SPECS / f"{name}.yaml", out / name, package_name=f"wire_{name}")
        sys.path.insert(0, str(out / name))
    yield out
    for name in ("servers", "bodies"):
        sys.path.remove(str(out / name))


Sent = list[httpx.Request]


def _client(packages: Path, name: str, **options: Any) -> tuple[Any, Sent]:
    module = importlib.import_module(f"wire_{name}")
    seen: Sent = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(200, json={"id": 1, "name": "n", "kind": "cat"})

    client_class = getattr(module, {"servers": "WireServers", "bodies": "WireBodies"}[name])
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return client_class(http_client=http, max_retries=0, **options), seen


# ---- servers ------------------------------------------------------------------------------------


def test_root_server_variables_default_and_set_on_the_client(packages: Path) -> None:
    client, seen = _client(packages, "servers")
    client.root.root_op()
    client = client.with_options(server_variables={"region": "us", "version": "v2"})
    client.root.root_op()
    assert [str(r.url) for r in seen] == [
        "https://eu.api.example.com/v1/root",
        "https://us.api.example.com/v2/root",
    ]


def test_path_and_operation_servers_are_used_for_their_operations(packages: Path) -> None:
    client, seen = _client(packages, "servers")
    client.files.path_server()
    client.files.op_server()  # its own relative server `/upload` wins over the path's
    assert [str(r.url) for r in seen] == [
        "https://files.example.com/main/files",
        "https://eu.api.example.com/upload/files",
    ]


def test_server_variables_per_client_and_per_request(packages: Path) -> None:
    client, seen = _client(packages, "servers", server_variables={"bucket": "b2"})
    client.files.path_server()
    client.files.path_server(request_options={"server_variables": {"bucket": "b3"}})
    client.root.root_op(request_options={"server_variables": {"region": "us"}})
    client.files.path_server(request_options={"base_url": "http://mock.test/x"})
    assert [str(r.url) for r in seen] == [
        "https://files.example.com/b2/files",
        "https://files.example.com/b3/files",
        "https://us.api.example.com/v1/root",
        "http://mock.test/x/files",
    ]


def test_base_url_replaces_only_the_root_servers_unless_told(packages: Path) -> None:
    client, seen = _client(packages, "servers", base_url="http://localhost:4010")
    client.root.root_op()
    client.files.path_server()
    client.files.op_server()
    everywhere, seen_all = _client(packages, "servers", base_url="http://localhost:4010",
                                   base_url_for_all_operations=True)
    everywhere.root.root_op()
    everywhere.files.path_server()
    everywhere.files.op_server()
    assert [str(r.url) for r in seen] == [
        "http://localhost:4010/root",
        "https://files.example.com/main/files",
        "http://localhost:4010/upload/files",
    ]
    assert [str(r.url) for r in seen_all] == [
        "http://localhost:4010/root",
        "http://localhost:4010/files",
        "http://localhost:4010/files",
    ]


def test_server_variable_values_are_checked(packages: Path) -> None:
    module = importlib.import_module("wire_servers")
    with pytest.raises(ValueError, match="'region' must be one of 'eu', 'us'; got 'mars'"):
        module.WireServers(server_variables={"region": "mars"})
    with pytest.raises(ValueError, match="unknown server variable 'nope'"):
        module.WireServers(server_variables={"nope": "x"})
    client, seen = _client(packages, "servers")
    with pytest.raises(ValueError, match="'region' must be one of"):
        client.root.root_op(request_options={"server_variables": {"region": "mars"}})
    assert seen == []


def test_root_server_repeated_on_every_path_counts_as_the_root(tmp_path: Path) -> None:
    """Twilio repeats its root server on each of its paths: base_url must still serve them."""
    server = [{"url": "https://api.twilio.com"}]
    api, _ = model(tmp_path, openapi({"/a": {"servers": server, "get": {
        "operationId": "a", "responses": {"200": {"description": "ok"}}}}}, servers=server))
    assert api.operations[0].servers is None


def test_twilio_corpus_paths_use_the_root_server_and_stripe_files_its_own() -> None:
    corpus = REPO.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is absent")
    from generator.builder import build_api
    from generator.config import ClientConfig
    from generator.loader import load_spec

    twilio = corpus / "twilio-twilio_api_v2010.yaml"
    api, _ = build_api(load_spec(twilio), ClientConfig(spec=twilio, output=Path("/nonexistent")))
    assert len(api.operations) > 150 and all(op.servers is None for op in api.operations)
    stripe = corpus / "stripe-spec3.yaml"
    api, _ = build_api(load_spec(stripe), ClientConfig(spec=stripe, output=Path("/nonexistent")))
    own = [(op.path, op.servers[0].url) for op in api.operations if op.servers]
    assert own == [("/v1/files", "https://files.stripe.com")]
