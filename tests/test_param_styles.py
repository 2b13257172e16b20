"""Parameters on the wire, by OpenAPI style (issue 18), checked on the raw bytes of each request.

The oracle is the "Style Examples" table of the OpenAPI Specification (3.1.1; 3.0.4 says the
same): `color` is "blue", ["blue", "black", "brown"] or {"R": 100, "G": 200, "B": 150}. One test
per cell, through a client generated here from a spec with one operation per cell, sent through
httpx.MockTransport. Two cells are not the 3.0.3 table's:
- `label` without explode joins with `,` (`.blue,black,brown`) as RFC 6570 and the 3.0.4/3.1.1
  tables do; the 3.0.3 table's `.blue.black.brown` is the exploded form (its erratum);
- cookies: the pairs of exploded `form` are joined by `; ` (RFC 6265 cookie syntax), not `&`,
  which the Specification's Appendix D calls incorrect for cookies.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import generate_client
from model_helpers import model, openapi, write_spec

STRING = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}
SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "array": {"type": "array", "items": {"type": "string"}},
    "object": {"type": "object", "properties": {k: {"type": "integer"} for k in OBJECT}},
}
VALUES: dict[str, Any] = {"string": STRING, "array": ARRAY, "object": OBJECT}

# (location, style, explode, kind) -> the bytes on the wire: the path segment, the raw query
# string, the header value or the Cookie header.
TABLE: dict[tuple[str, str, bool, str], str] = {
    ("path", "matrix", False, "string"): ";color=blue",
    ("path", "matrix", False, "array"): ";color=blue,black,brown",
    ("path", "matrix", False, "object"): ";color=R,100,G,200,B,150",
    ("path", "matrix", True, "string"): ";color=blue",
    ("path", "matrix", True, "array"): ";color=blue;color=black;color=brown",
    ("path", "matrix", True, "object"): ";R=100;G=200;B=150",
    ("path", "label", False, "string"): ".blue",
    ("path", "label", False, "array"): ".blue,black,brown",  # RFC 6570; 3.0.3: .blue.black.brown
    ("path", "label", False, "object"): ".R,100,G,200,B,150",  # RFC 6570; 3.0.3: .R.100.G.200.B.150
    ("path", "label", True, "string"): ".blue",
    ("path", "label", True, "array"): ".blue.black.brown",
    ("path", "label", True, "object"): ".R=100.G=200.B=150",
    ("path", "simple", False, "string"): "blue",
    ("path", "simple", False, "array"): "blue,black,brown",
    ("path", "simple", False, "object"): "R,100,G,200,B,150",
    ("path", "simple", True, "string"): "blue",
    ("path", "simple", True, "array"): "blue,black,brown",
    ("path", "simple", True, "object"): "R=100,G=200,B=150",
    ("query", "form", False, "string"): "color=blue",
    ("query", "form", False, "array"): "color=blue,black,brown",
    ("query", "form", False, "object"): "color=R,100,G,200,B,150",
    ("query", "form", True, "string"): "color=blue",
    ("query", "form", True, "array"): "color=blue&color=black&color=brown",
    ("query", "form", True, "object"): "R=100&G=200&B=150",
    ("query", "spaceDelimited", False, "array"): "color=blue%20black%20brown",
    ("query", "spaceDelimited", False, "object"): "color=R%20100%20G%20200%20B%20150",
    ("query", "pipeDelimited", False, "array"): "color=blue%7Cblack%7Cbrown",
    ("query", "pipeDelimited", False, "object"): "color=R%7C100%7CG%7C200%7CB%7C150",
    ("query", "deepObject", True, "object"): "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150",
    ("header", "simple", False, "string"): "blue",
    ("header", "simple", False, "array"): "blue,black,brown",
    ("header", "simple", False, "object"): "R,100,G,200,B,150",
    ("header", "simple", True, "string"): "blue",
    ("header", "simple", True, "array"): "blue,black,brown",
    ("header", "simple", True, "object"): "R=100,G=200,B=150",
    ("cookie", "form", False, "string"): "color=blue",
    ("cookie", "form", False, "array"): "color=blue,black,brown",
    ("cookie", "form", False, "object"): "color=R,100,G,200,B,150",
    ("cookie", "form", True, "string"): "color=blue",
    ("cookie", "form", True, "array"): "color=blue; color=black; color=brown",  # table: `&`
    ("cookie", "form", True, "object"): "R=100; G=200; B=150",  # table: `&`
}


def _operation_id(location: str, style: str, explode: bool, kind: str) -> str:
    return f"{location}_{style}_{'exploded' if explode else 'plain'}_{kind}".lower()


def _route(location: str, style: str, explode: bool, kind: str) -> str:
    return f"/{location}/{style}/{explode}/{kind}".lower()


def _style_spec() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for location, style, explode, kind in TABLE:
        route = _route(location, style, explode, kind)
        parameter = {
            "name": "color",
            "in": location,
            "required": True,
            "style": style,
            "explode": explode,
            "schema": SCHEMAS[kind],
        }
        paths[route + ("/{color}" if location == "path" else "")] = {
            "get": {
                "operationId": _operation_id(location, style, explode, kind),
                "parameters": [parameter],
                "responses": {"204": {"description": "done"}},
            }
        }
    extra = {
        "/content/{doc}": {
            "get": {
                "operationId": "content_params",
                "parameters": [
                    {
                        "name": "doc",
                        "in": "path",
                        "required": True,
                        "content": {"application/json": {"schema": SCHEMAS["object"]}},
                    },
                    {
                        "name": "filter",
                        "in": "query",
                        "content": {"application/json": {"schema": SCHEMAS["object"]}},
                    },
                    {
                        "name": "X-Meta",
                        "in": "header",
                        "content": {"application/json": {"schema": SCHEMAS["array"]}},
                    },
                    {
                        "name": "prefs",
                        "in": "cookie",
                        "content": {"application/json": {"schema": SCHEMAS["object"]}},
                    },
                    {
                        "name": "note",
                        "in": "query",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    },
                ],
                "responses": {"204": {"description": "done"}},
            }
        },
        "/reserved": {
            "get": {
                "operationId": "reserved",
                "parameters": [
                    {
                        "name": "raw",
                        "in": "query",
                        "allowReserved": True,
                        "schema": {"type": "string"},
                    },
                    {"name": "plain", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "raws",
                        "in": "query",
                        "allowReserved": True,
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                ],
                "responses": {"204": {"description": "done"}},
            }
        },
        "/scalars/{flag}": {
            "get": {
                "operationId": "scalars",
                "parameters": [
                    {"name": "flag", "in": "path", "required": True, "schema": {"type": "boolean"}},
                    {"name": "when", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {
                        "name": "level",
                        "in": "query",
                        "schema": {"$ref": "#/components/schemas/Level"},
                    },
                    {"name": "ratio", "in": "query", "schema": {"type": "number"}},
                    {"name": "on", "in": "header", "schema": {"type": "boolean"}},
                    {
                        "name": "tags",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "boolean"}},
                    },
                    {"name": "empty", "in": "query", "schema": {"type": "string"}},
                    {"name": "none", "in": "query", "schema": {"type": "string", "nullable": True}},
                ],
                "responses": {"204": {"description": "done"}},
            }
        },
    }
    paths.update(extra)
    for item in paths.values():
        item["get"]["tags"] = ["styles"]  # one resource: client.styles
    return openapi(
        paths,
        {"Level": {"type": "string", "enum": ["low", "high"]}},
        servers=[{"url": "https://api.example.test/v1"}],
    )


@pytest.fixture(scope="module")
def styles_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("styles")
    outcome = generate_client(write_spec(root, _style_spec()), root / "out", package_name="styles")
    assert outcome is not None
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("styles")
    finally:
        sys.path.remove(str(root / "out"))


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(204)


def _client(package: Any, recorder: Recorder) -> Any:
    return package.Styles(
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)), max_retries=0
    )


def _wire(request: httpx.Request, location: str, route: str) -> str:
    if location == "path":
        raw = request.url.raw_path.decode("ascii")
        assert raw.startswith("/v1" + route + "/"), raw
        return raw[len("/v1" + route + "/") :]
    if location == "query":
        return request.url.query.decode("ascii")
    if location == "header":
        return request.headers["color"]
    return request.headers["cookie"]


@pytest.mark.parametrize("cell", list(TABLE), ids=lambda cell: "-".join(str(part) for part in cell))
def test_style_table_cell_on_the_wire(styles_client: Any, cell: tuple[str, str, bool, str]) -> None:
    location, kind = cell[0], cell[3]
    recorder = Recorder()
    resource = _client(styles_client, recorder).styles
    getattr(resource, _operation_id(*cell))(color=VALUES[kind])
    assert len(recorder.requests) == 1
    assert _wire(recorder.requests[0], location, _route(*cell)) == TABLE[cell]


def test_style_table_cell_with_a_model_value(styles_client: Any) -> None:
    """An object parameter whose schema is a model: the user passes the model; set fields only."""
    cell = ("query", "deepObject", True, "object")
    recorder = Recorder()
    resource = _client(styles_client, recorder).styles
    method = getattr(resource, _operation_id(*cell))
    # `Model | ModelParam`: the model, or a plain dict typed by its TypedDict; the same bytes.
    model_name = method.__annotations__["color"].split(" | ")[0]
    model_class = getattr(importlib.import_module("styles.models"), model_name)
    method(color=model_class.model_validate({"R": 100, "G": 200}))
    method(color={"R": 100, "G": 200})
    assert recorder.requests[0].url.query == b"color%5BR%5D=100&color%5BG%5D=200"
    assert recorder.requests[1].url.query == recorder.requests[0].url.query


def test_async_client_sends_the_same_bytes(styles_client: Any) -> None:
    import asyncio

    recorder = Recorder()
    client = styles_client.AsyncStyles(
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    )
    cell = ("path", "matrix", True, "object")
    asyncio.run(getattr(client.styles, _operation_id(*cell))(color=OBJECT))
    assert _wire(recorder.requests[0], "path", _route(*cell)) == TABLE[cell]


def test_content_typed_parameters_are_sent_as_json_text(styles_client: Any) -> None:
    recorder = Recorder()
    _client(styles_client, recorder).styles.content_params(
        doc={"R": 1}, filter={"R": 100, "G": 200}, x_meta=["a b", "c"], prefs={"B": 3}, note="x y"
    )
    request = recorder.requests[0]
    assert request.url.raw_path.split(b"?")[0] == b"/v1/content/%7B%22R%22%3A1%7D"
    assert request.url.query == b"filter=%7B%22R%22%3A100%2C%22G%22%3A200%7D&note=x%20y"
    assert request.headers["x-meta"] == '["a b","c"]'
    assert request.headers["cookie"] == "prefs=%7B%22B%22%3A3%7D"


def test_allow_reserved_leaves_reserved_characters_unencoded(styles_client: Any) -> None:
    recorder = Recorder()
    _client(styles_client, recorder).styles.reserved(
        raw="a/b:c?d@e!$'()*,;x %2B&=+#[]", plain="a/b:c", raws=["x/y", "z:w"]
    )
    query = recorder.requests[0].url.query.decode("ascii")
    # Reserved characters pass, a percent-encoded triple stays as the user wrote it; what would
    # change the query's structure (`&=+#`) or is not allowed in a query (`[]`, space) is encoded.
    assert query == ("raw=a/b:c?d@e!$'()*,;x%20%2B%26%3D%2B%23%5B%5D&plain=a%2Fb%3Ac&raws=x/y,z:w")


def test_scalars_booleans_enums_dates_and_none(styles_client: Any) -> None:
    import datetime

    models = importlib.import_module("styles.models")
    recorder = Recorder()
    _client(styles_client, recorder).styles.scalars(
        flag=True,
        when=datetime.date(2024, 2, 29),
        level=models.Level("high"),
        ratio=1.5,
        on=False,
        tags=[True, False],
        empty="",
        none=None,
    )
    request = recorder.requests[0]
    assert request.url.raw_path == (
        b"/v1/scalars/true?when=2024-02-29&level=high&ratio=1.5&tags=true&tags=false&empty="
    )
    assert request.headers["on"] == "false"


@pytest.mark.parametrize("value", ["", None])
def test_an_empty_path_value_is_refused_before_sending(styles_client: Any, value: Any) -> None:
    recorder = Recorder()
    method = _client(styles_client, recorder).styles.path_simple_plain_string
    with pytest.raises(ValueError, match="path parameter 'color' is empty"):
        method(color=value)
    with pytest.raises(ValueError, match="empty"):
        _client(styles_client, recorder).styles.path_label_plain_array(color=[])
    assert recorder.requests == []


def test_faxplus_empty_outbox_fax_id_is_refused_before_sending() -> None:
    """Issue 11 defect 3: `DELETE /accounts/self/outbox/` (the collection) must never go out."""
    from faxplus import FaxPlus

    recorder = Recorder()
    client = FaxPlus(
        access_token="t",
        client_id="c",
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(recorder)),
    )
    with pytest.raises(ValueError, match="outbox_fax_id"):
        client.outbox.delete_outbox_fax(outbox_fax_id="")
    assert recorder.requests == []
    client.outbox.delete_outbox_fax(outbox_fax_id="..")  # dot segments stay encoded
    client.outbox.delete_outbox_fax(outbox_fax_id=".")
    assert [r.url.raw_path for r in recorder.requests] == [
        b"/v3/accounts/self/outbox/%2E%2E",
        b"/v3/accounts/self/outbox/%2E",
    ]


def test_a_label_value_of_a_dot_cannot_become_a_dot_segment(styles_client: Any) -> None:
    recorder = Recorder()
    resource = _client(styles_client, recorder).styles
    resource.path_label_plain_string(color=".")
    assert recorder.requests[0].url.raw_path == b"/v1/path/label/false/string/.%2E"
    with pytest.raises(ValueError, match="resolved away"):
        resource.path_label_exploded_array(color=["", ""])  # `..`: no value to encode


# ---- the model: what the builder settles -----------------------------------------------------------


def _params(tmp_path: Path, parameters: list[dict[str, Any]], version: str = "3.0.3") -> Any:
    if version == "2.0":
        spec: dict[str, Any] = {
            "swagger": "2.0",
            "info": {"title": "T", "version": "1"},
            "paths": {
                "/x/{p}": {
                    "get": {"parameters": parameters, "responses": {"200": {"description": "ok"}}}
                }
            },
        }
    else:
        spec = openapi(
            {
                "/x/{p}": {
                    "get": {"parameters": parameters, "responses": {"200": {"description": "ok"}}}
                }
            }
        )
    api, warnings = model(tmp_path, spec)
    return {p.name: p for p in api.operations[0].parameters}, warnings


def test_defaults_by_location(tmp_path: Path) -> None:
    string = {"type": "string"}
    found, _ = _params(
        tmp_path,
        [
            {"name": "p", "in": "path", "required": True, "schema": string},
            {"name": "q", "in": "query", "schema": string},
            {"name": "h", "in": "header", "schema": string},
            {"name": "c", "in": "cookie", "schema": string},
            {"name": "d", "in": "query", "style": "deepObject", "schema": string},
            {"name": "f", "in": "cookie", "explode": False, "schema": string},
        ],
    )
    assert {n: (p.style, p.explode) for n, p in found.items()} == {
        "p": ("simple", False),
        "q": ("form", True),
        "h": ("simple", False),
        "c": ("form", True),
        "d": ("deepObject", False),
        "f": ("form", False),
    }


def test_content_allow_reserved_and_a_style_the_location_does_not_allow(tmp_path: Path) -> None:
    found, warnings = _params(
        tmp_path,
        [
            {
                "name": "p",
                "in": "path",
                "required": True,
                "style": "form",
                "schema": {"type": "string"},
            },
            {"name": "q", "in": "query", "allowReserved": True, "schema": {"type": "string"}},
            {"name": "h", "in": "header", "allowReserved": True, "schema": {"type": "string"}},
            {
                "name": "j",
                "in": "query",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
        ],
    )
    assert (found["p"].style, found["p"].explode) == ("simple", False)
    assert any("style 'form' is not allowed in path" in w.message for w in warnings)
    assert found["q"].allow_reserved and not found["h"].allow_reserved  # query only
    assert found["j"].media_type == "application/json"


@pytest.mark.parametrize(
    ("fmt", "location", "expected"),
    [
        ("csv", "query", ("form", False)),
        ("ssv", "query", ("spaceDelimited", False)),
        ("tsv", "query", ("tabDelimited", False)),
        ("pipes", "query", ("pipeDelimited", False)),
        ("multi", "query", ("form", True)),
        (None, "query", ("form", False)),  # Swagger 2.0's default collectionFormat is csv
        ("csv", "header", ("simple", False)),
        ("pipes", "header", ("pipeDelimited", False)),
        ("csv", "path", ("simple", False)),
        ("ssv", "path", ("spaceDelimited", False)),
    ],
)
def test_swagger2_collection_formats(
    tmp_path: Path, fmt: str | None, location: str, expected: tuple[str, bool]
) -> None:
    param: dict[str, Any] = {
        "name": "v",
        "in": location,
        "required": True,
        "type": "array",
        "items": {"type": "string"},
    }
    if fmt:
        param["collectionFormat"] = fmt
    path_param = {"name": "p", "in": "path", "required": True, "type": "string"}
    found, _ = _params(
        tmp_path,
        [path_param, param] if location != "path" else [{**param, "name": "p"}],
        version="2.0",
    )
    name = "p" if location == "path" else "v"
    assert (found[name].style, found[name].explode) == expected


# ---- the runtime functions -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def params_module() -> Any:
    return importlib.import_module("faxplus._params")


@pytest.mark.parametrize("cell", list(TABLE), ids=lambda cell: "-".join(str(part) for part in cell))
def test_serialize_style_matches_the_table(
    params_module: Any, cell: tuple[str, str, bool, str]
) -> None:
    location, style, explode, kind = cell
    pieces = params_module.serialize_style("color", VALUES[kind], style, explode, location=location)
    joined = {"query": "&", "cookie": "; "}.get(location, "")
    assert joined.join(pieces) == TABLE[cell]


def test_swagger2_delimiters_in_the_runtime(params_module: Any) -> None:
    serialize = params_module.serialize_style
    assert serialize("c", ["a", "b c"], "tabDelimited", False) == ["c=a%09b%20c"]
    assert serialize("c", ["a", "b"], "pipeDelimited", False, location="header") == ["a|b"]
    assert serialize("c", ["a", "b"], "spaceDelimited", False, location="path") == ["a%20b"]
    assert serialize("c", ["a", "b"], "pipeDelimited", True) == ["c=a", "c=b"]


def test_deep_object_nesting_and_arrays(params_module: Any) -> None:
    serialize = params_module.serialize_style
    assert serialize("expand", ["a", "b"], "deepObject", True) == [
        "expand%5B0%5D=a",
        "expand%5B1%5D=b",
    ]
    nested = {"a": {"b": 1}, "c": [True, None, "x"], "d": None}
    assert serialize("f", nested, "deepObject", True) == [
        "f%5Ba%5D%5Bb%5D=1",
        "f%5Bc%5D%5B0%5D=true",
        "f%5Bc%5D%5B2%5D=x",
    ]


def test_empty_and_undefined_values(params_module: Any) -> None:
    assert params_module.encode_query({"a": "", "b": None, "c": [], "d": {}}) == ["a="]
    assert params_module.serialize_style("color", "", "matrix", False, location="path") == [
        ";color"
    ]
    assert params_module.encode_headers({"h": None, "i": []}) == {}
    with pytest.raises(ValueError, match="line break"):
        params_module.encode_headers({"h": ["a", "b\r\nX: y"]})
    with pytest.raises(ValueError, match="non-ASCII"):
        params_module.encode_headers({"h": "José"})


def test_the_generator_and_the_runtime_agree_on_default_styles(params_module: Any) -> None:
    """The Endpoint declares only styles that differ from the defaults, so both must be one table."""
    from generator.model.api import DEFAULT_STYLES

    assert dict(params_module.DEFAULT_STYLES) == DEFAULT_STYLES
