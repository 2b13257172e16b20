"""Servers and request bodies on the wire (issue 18): raw requests captured with httpx.MockTransport.

The specs are tests/wire/servers.yaml and tests/wire/bodies.yaml; each test states the bytes the
OpenAPI Specification asks for."""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from tests.conftest import REPO, black_changes, generate_client
from tests.model_helpers import model, openapi, write_spec

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
    client.root.op()
    client = client.with_options(server_variables={"region": "us", "version": "v2"})
    client.root.op()
    assert [str(r.url) for r in seen] == [
        "https://eu.api.example.com/v1/root",
        "https://us.api.example.com/v2/root",
    ]


def test_path_and_operation_servers_are_used_for_their_operations(packages: Path) -> None:
    client, seen = _client(packages, "servers")
    client.files.path_server()
    client.files.op_server()  # its own relative server `/upload` wins over the path's
    client.files.server_0()  # named like the module's constant of the path's server
    client.files.delete_files()  # declared after it, refers to that constant
    assert [str(r.url) for r in seen] == [
        "https://files.example.com/main/files",
        "https://eu.api.example.com/upload/files",
        "https://files.example.com/main/files",
        "https://files.example.com/main/files",
    ]


def test_server_variables_per_client_and_per_request(packages: Path) -> None:
    client, seen = _client(packages, "servers", server_variables={"bucket": "b2"})
    client.files.path_server()
    client.files.path_server(request_options={"server_variables": {"bucket": "b3"}})
    client.root.op(request_options={"server_variables": {"region": "us"}})
    client.files.path_server(request_options={"base_url": "http://mock.test/x"})
    assert [str(r.url) for r in seen] == [
        "https://files.example.com/b2/files",
        "https://files.example.com/b3/files",
        "https://us.api.example.com/v1/root",
        "http://mock.test/x/files",
    ]


def test_base_url_replaces_only_the_root_servers_unless_told(packages: Path) -> None:
    client, seen = _client(packages, "servers", base_url="http://localhost:4010")
    client.root.op()
    client.files.path_server()
    client.files.op_server()
    everywhere, seen_all = _client(
        packages, "servers", base_url="http://localhost:4010", base_url_for_all_operations=True
    )
    everywhere.root.op()
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
        client.root.op(request_options={"server_variables": {"region": "mars"}})
    assert seen == []


def test_root_server_repeated_on_every_path_counts_as_the_root(tmp_path: Path) -> None:
    """Twilio repeats its root server on each of its paths: base_url must still serve them."""
    server = [{"url": "https://api.twilio.com"}]
    api, _ = model(
        tmp_path,
        openapi(
            {
                "/a": {
                    "servers": server,
                    "get": {"operationId": "a", "responses": {"200": {"description": "ok"}}},
                }
            },
            servers=server,
        ),
    )
    assert api.operations[0].servers is None


def test_twilio_corpus_paths_use_the_root_server_and_stripe_files_its_own() -> None:
    corpus = REPO.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is absent")
    from generator.config import ClientConfig
    from generator.model.builder import build_api
    from generator.spec.loader import load_spec

    twilio = corpus / "twilio-twilio_api_v2010.yaml"
    api, _ = build_api(load_spec(twilio), ClientConfig(spec=twilio, output=Path("/nonexistent")))
    assert len(api.operations) > 150 and all(op.servers is None for op in api.operations)
    stripe = corpus / "stripe-spec3.yaml"
    api, _ = build_api(load_spec(stripe), ClientConfig(spec=stripe, output=Path("/nonexistent")))
    own = [(op.path, op.servers[0].url) for op in api.operations if op.servers]
    assert own == [("/v1/files", "https://files.stripe.com")]


# ---- request bodies -----------------------------------------------------------------------------


def test_required_property_with_a_default_is_sent(packages: Path) -> None:
    from wire_bodies.models import Pet

    client, seen = _client(packages, "bodies")
    client.pets.create_pet(body=Pet(name="Rex", secret="s"))
    assert json.loads(seen[0].content) == {"name": "Rex", "kind": "dog", "secret": "s"}


def test_read_only_property_is_never_sent_but_kept_in_responses(packages: Path) -> None:
    from wire_bodies.models import Pet

    client, seen = _client(packages, "bodies")
    pet = client.pets.create_pet(body=Pet(id=7, name="Rex", kind="cat", secret="s"))
    assert json.loads(seen[0].content) == {"name": "Rex", "kind": "cat", "secret": "s"}
    assert pet.id == 1 and pet.to_dict()["id"] == 1  # read from the server, shown by to_dict
    # The same through the dict path (extra_body merges into a plain dict first).
    client.pets.create_pet(body=Pet(id=7, name="Rex"), request_options={"extra_body": {"x": 1}})
    assert json.loads(seen[1].content) == {"name": "Rex", "kind": "dog", "x": 1}


def test_write_only_property_is_not_expected_back(packages: Path) -> None:
    from wire_bodies.models import Pet

    pet = Pet.model_validate({"id": 1, "name": "n", "kind": "k"})  # no `secret`: still valid
    assert pet.secret is None


def _form(request: httpx.Request) -> list[tuple[str, str]]:
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    return parse_qsl(request.content.decode("ascii"), keep_blank_values=True)


def test_form_body_defaults_arrays_repeated_objects_as_json(packages: Path) -> None:
    from wire_bodies.models import Form, FormMeta

    client, seen = _client(packages, "bodies")
    client.form.send_form(body=Form(tags=["a", "b"], meta=FormMeta(r=100, g=200)))
    assert _form(seen[0]) == [
        ("mode", "fast"),
        ("tags", "a"),
        ("tags", "b"),
        ("meta", '{"R":100,"G":200}'),
    ]
    assert b"%5B" not in seen[0].content  # no bracket notation


def test_form_body_by_encoding_object_styles(packages: Path) -> None:
    from wire_bodies.models import Form, FormDeep, FormExploded

    client, seen = _client(packages, "bodies")
    client.form.send_form(
        body=Form(mode="slow", deep=FormDeep(r=1), piped=[1, 2], exploded=FormExploded(x=3))
    )
    assert _form(seen[0]) == [("mode", "slow"), ("deep[R]", "1"), ("piped", "1|2"), ("x", "3")]


def _parts(request: httpx.Request) -> list[tuple[dict[str, str], bytes]]:
    """The parts of a multipart body: (headers with lower-cased names, content)."""
    media = request.headers["content-type"]
    assert media.startswith("multipart/form-data; boundary=")
    boundary = media.split("boundary=")[1].encode()
    chunks = request.content.split(b"--" + boundary)
    assert chunks[-1] == b"--\r\n"
    parts = []
    for chunk in chunks[1:-1]:
        head, _, body = chunk[2:-2].partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        parts.append(({k.lower(): v for k, v in headers.items()}, body))
    return parts


def test_multipart_part_content_types_headers_and_repeated_arrays(packages: Path) -> None:
    client, seen = _client(packages, "bodies")
    client.upload.upload(
        file=("a.bin", b"\x89PNG"), meta={"a": 1}, tags=["x", "y"], ids=[1, 2], note="hi"
    )
    parts = _parts(seen[0])
    assert [(h["content-disposition"], h.get("content-type"), body) for h, body in parts] == [
        ('form-data; name="file"; filename="a.bin"', "image/png", b"\x89PNG"),
        ('form-data; name="meta"', "application/json", b'{"a":1}'),
        ('form-data; name="tags"', None, b"x"),
        ('form-data; name="tags"', None, b"y"),
        ('form-data; name="ids"', "application/json", b"[1,2]"),
        ('form-data; name="note"', None, b"hi"),
    ]
    assert parts[0][0]["x-part-version"] == "2"


def test_multipart_file_content_type_and_headers_from_the_caller_win(packages: Path) -> None:
    client, seen = _client(packages, "bodies")
    client.upload.upload(file=("a.gif", io.BytesIO(b"GIF"), "image/gif", {"X-Part-Version": "3"}))
    ((headers, body),) = _parts(seen[0])
    assert (headers["content-type"], headers["x-part-version"], body) == ("image/gif", "3", b"GIF")


def test_multipart_body_as_a_model_all_of(packages: Path) -> None:
    from wire_bodies.models import UploadAllOfBody

    client, seen = _client(packages, "bodies")
    client.upload_allof.upload_all_of(body=UploadAllOfBody(title="t", file=b"data"))
    parts = _parts(seen[0])
    assert [(h["content-disposition"], body) for h, body in parts] == [
        ('form-data; name="title"', b"t"),
        ('form-data; name="file"; filename="upload"', b"data"),
    ]


def test_multipart_body_as_a_mapping_and_not_given(packages: Path) -> None:
    client, seen = _client(packages, "bodies")
    client.upload_allof.upload_all_of(body={"title": "t"})  # type: ignore[arg-type]
    client.upload_allof.upload_all_of()  # optional body not given: nothing is sent
    assert [(h["content-disposition"], body) for h, body in _parts(seen[0])] == [
        ('form-data; name="title"', b"t")
    ]
    assert seen[1].content == b"" and "content-type" not in seen[1].headers


def test_multipart_body_of_another_shape_is_refused_before_sending(packages: Path) -> None:
    client, seen = _client(packages, "bodies")
    with pytest.raises(TypeError, match="a multipart body must be an object"):
        client.upload_allof.upload_all_of(body=[1, 2])  # type: ignore[arg-type]
    assert seen == []


def test_float_constants_are_checked_by_value(packages: Path) -> None:
    import pydantic
    from wire_bodies.models import Consts

    assert Consts.model_validate({"version": 1.5, "scale": 2.5, "count": 3}).version == 1.5
    for bad in ({"version": 1.6}, {"scale": 2.0}):
        with pytest.raises(pydantic.ValidationError):
            Consts.model_validate(bad)
    models = "".join(
        p.read_text() for p in sorted((packages / "bodies" / "wire_bodies" / "models").glob("*.py"))
    )
    assert "Literal[1.5]" not in models and "Literal[2.5]" not in models


def test_float_constants_pass_mypy_strict(packages: Path, tmp_path: Path) -> None:
    script = tmp_path / "use_consts.py"
    script.write_text(
        "from wire_bodies._client import WireBodies\nfrom wire_bodies.models import Consts\n\n"
        "c = Consts(version=1.5, scale=2.5, count=3)\nv: float | None = c.version\n"
        "WireBodies(base_url='http://t').consts.get_consts(ratio=1.5)\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(script),
            "wire_bodies",
        ],
        check=False,
        cwd=packages / "bodies",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ---- the model: server variables, Swagger 2.0 forms ------------------------------------------------


def test_server_variable_without_default_or_outside_its_enum_is_reported(tmp_path: Path) -> None:
    servers = [
        {
            "url": "https://{a}.{b}.{c}.test",
            "variables": {"a": {"enum": ["x", "y"]}, "b": {"default": "z", "enum": ["x"]}},
        }
    ]
    api, problems = model(tmp_path, openapi({}, servers=servers))
    assert [(v.name, v.default, v.enum) for v in api.servers[0].variables] == [
        ("a", "x", ["x", "y"]),
        ("b", "z", ["x"]),
    ]
    messages = [p.message for p in problems]
    assert any("'a' has no default; 'x' is used" in m for m in messages)
    assert any("'z' of server variable 'b' is not one of its enum values" in m for m in messages)
    assert any("server variable 'c' is not declared" in m for m in messages)


def test_swagger2_host_base_path_and_form_arrays_by_collection_format(tmp_path: Path) -> None:
    spec = {
        "swagger": "2.0",
        "info": {"title": "S", "version": "1"},
        "host": "api.example.com",
        "basePath": "/v1",
        "schemes": ["http", "https"],
        "paths": {
            "/f": {
                "post": {
                    "operationId": "sendForm",
                    "consumes": ["application/x-www-form-urlencoded"],
                    "parameters": [
                        {
                            "name": "csv",
                            "in": "formData",
                            "type": "array",
                            "items": {"type": "string"},
                        },
                        {
                            "name": "multi",
                            "in": "formData",
                            "type": "array",
                            "items": {"type": "string"},
                            "collectionFormat": "multi",
                        },
                        {
                            "name": "pipes",
                            "in": "formData",
                            "type": "array",
                            "items": {"type": "string"},
                            "collectionFormat": "pipes",
                        },
                    ],
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    out = tmp_path / "out"
    generate_client(write_spec(tmp_path, spec), out, package_name="wire_swagger2")
    sys.path.insert(0, str(out))
    try:
        module = importlib.import_module("wire_swagger2")
        seen: Sent = []
        http = httpx.Client(
            transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(204))
        )
        client = module.WireSwagger2(http_client=http)
        client.f.send_form(body={"csv": ["a", "b"], "multi": ["c", "d"], "pipes": ["e", "f"]})
    finally:
        sys.path.remove(str(out))
    assert str(seen[0].url) == "https://api.example.com/v1/f"
    assert _form(seen[0]) == [("csv", "a,b"), ("multi", "c"), ("multi", "d"), ("pipes", "e|f")]


def test_generated_packages_are_black_stable(packages: Path) -> None:
    """Server constants, encodings, WireModel class variables and float constants are laid out as black would."""
    for name in ("servers", "bodies"):
        assert not black_changes(packages / name / f"wire_{name}")


def test_generated_packages_hold_only_template_code(packages: Path) -> None:
    """The hostile-spec audit over servers, encodings and WireModels: every call, import and base
    class in the output is one the templates write."""
    from tests.test_hostile import audit_module, own_classes

    for name in ("servers", "bodies"):
        package = packages / name / f"wire_{name}"
        classes = own_classes(package)
        problems = [
            problem
            for path in sorted(package.rglob("*.py"))
            if not path.name.startswith("_") or path.name in ("__init__.py", "_client.py")
            for problem in audit_module(path, path.read_text("utf-8"), classes)
        ]
        assert not problems
