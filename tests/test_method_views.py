"""Unit tests of the method views (codegen/method_views.py, request_views.py): the decisions a
resource template lays out, checked on the views themselves, not on rendered text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from model_helpers import model, openapi

from generator.codegen import layout
from generator.codegen.defaults import DefaultRenderer
from generator.codegen.method_views import MethodView, method_view
from generator.codegen.request_views import Constant
from generator.model.api import Api
from generator.model.types import EnumDef

PET = {"type": "object", "properties": {"name": {"type": "string"}}}
ERROR = {"type": "object", "properties": {"detail": {"type": "string"}}}


def _ok(schema: str = "Pet") -> dict[str, Any]:
    return {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        },
        "404": {
            "description": "missing",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
    }


def _api(tmp_path: Path, paths: dict[str, Any], **schemas: Any) -> Api:
    api, _ = model(tmp_path, openapi(paths, {"Pet": PET, "Error": ERROR, **schemas}))
    return api


def _methods(api: Api) -> tuple[list[MethodView], dict[str, Constant]]:
    defaults = DefaultRenderer({d.name: d for d in api.definitions if isinstance(d, EnumDef)})
    constants: dict[str, Constant] = {}
    views = [method_view(op, defaults, constants) for op in api.operations]
    return views, constants


def _param(name: str, where: str, required: bool = False, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": required,
        "schema": schema or {"type": "string"},
        "description": f"The {name}.",
    }


GET_PET = {
    "/owners/{owner}/pets": {
        "get": {
            "operationId": "listPets",
            "summary": "List pets",
            "deprecated": True,
            "parameters": [
                _param("limit", "query", type="integer", default=20),
                _param("owner", "path", True),
                _param("X-Trace", "header"),
                _param("session", "cookie"),
                _param("kind", "query", True),
            ],
            "responses": _ok(),
        }
    }
}


def test_arguments_required_first_then_optional_then_request_options(tmp_path: Path) -> None:
    [view], _ = _methods(_api(tmp_path, GET_PET))
    assert [a.name for a in view.args] == [
        "owner",
        "kind",
        "limit",
        "x_trace",
        "session",
        "request_options",
    ]
    owner, _, limit, *_, options = view.args
    assert (owner.annotation, owner.default) == ("str", "")
    # An optional argument is never sent unless given: the sentinel, not the spec's default.
    assert (limit.annotation, limit.default) == ("int | NotGiven", "NOT_GIVEN")
    assert {"NotGiven", "NOT_GIVEN"} <= limit.names
    assert (options.annotation, options.default) == ("RequestOptions | None", "None")


def test_a_required_argument_with_a_default_keeps_it(tmp_path: Path) -> None:
    paths = {
        "/u/{user}": {
            "get": {
                "operationId": "getUser",
                "parameters": [_param("user", "path", True, type="string", default="self")],
                "responses": _ok(),
            }
        }
    }
    [view], _ = _methods(_api(tmp_path, paths))
    assert (view.args[0].name, view.args[0].default) == ("user", '"self"')


def test_docstring_keeps_the_method_and_path_and_documents_args_in_signature_order(
    tmp_path: Path,
) -> None:
    [view], _ = _methods(_api(tmp_path, GET_PET))
    assert view.http_line == "GET /owners/{owner}/pets"
    lines = [line.strip() for line in view.doc.split("\n")]
    assert lines[0] == '"""List pets'
    assert "Deprecated." in lines and "GET /owners/{owner}/pets" in lines
    args = lines[lines.index("Args:") + 1 : -1]
    assert [a.split(":")[0] for a in args] == ["owner", "kind", "limit", "x_trace", "session"]
    assert "limit: The limit. Server default: 20." in args


def test_spec_text_reaches_the_docstring_escaped(tmp_path: Path) -> None:
    paths = {
        "/x": {
            "get": {
                "operationId": "x",
                "summary": 'Ends """ here; import os',
                "responses": _ok(),
            }
        }
    }
    [view], _ = _methods(_api(tmp_path, paths))
    assert view.doc.startswith('"""') and view.doc.count('"""') == 2
    assert '\\"\\"\\"' in view.doc


def test_call_arguments_group_parameters_by_location_under_their_wire_names(
    tmp_path: Path,
) -> None:
    [view], _ = _methods(_api(tmp_path, GET_PET))
    assert [(c.keyword, c.items) for c in view.call] == [
        ("path_params", ['"owner": owner']),
        ("query", ['"limit": limit', '"kind": kind']),
        ("headers", ['"X-Trace": x_trace']),
        ("cookies", ['"session": session']),
    ]
    assert view.call[1].code == 'query={"limit": limit, "kind": kind}'


def test_endpoint_holds_what_is_always_sent_and_shares_constants(tmp_path: Path) -> None:
    paths = {
        "/pets": {
            "get": {"operationId": "listPets", "responses": _ok()},
            "post": {"operationId": "createPet", "responses": _ok()},
        },
        "/responses?beta=true": {"get": {"operationId": "beta", "responses": _ok()}},
    }
    views, constants = _methods(_api(tmp_path, paths))
    first, second, beta = views
    assert first.endpoint.name == "_LIST_PETS" and first.endpoint.returns == "Pet"
    assert first.endpoint.arguments == ['"GET"', '"/pets"', "Pet", "errors=_ERRORS_0"]
    assert second.endpoint.arguments[-1] == "errors=_ERRORS_0"  # one constant, shared
    # Error is every operation's error body: the common one, also for undeclared statuses.
    assert constants == {"_ERRORS_0": ['"404": Error', '"default": Error']}
    # A query written into the path is sent always; the docstring keeps the path as written.
    assert beta.endpoint.arguments[1] == '"/responses"'
    assert beta.call[0].items == ['"beta": "true"']
    assert beta.http_line == "GET /responses?beta=true"
    assert {"Pet", "Error", "Endpoint", "RequestOptions"} <= first.names


def test_request_bodies_become_arguments_and_call_keywords(tmp_path: Path) -> None:
    multipart = {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}},
    }
    paths = {
        "/json": {
            "post": {
                "operationId": "sendJson",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                    },
                },
                "responses": _ok(),
            }
        },
        "/upload": {
            "post": {
                "operationId": "upload",
                "requestBody": {"content": {"multipart/form-data": {"schema": multipart}}},
                "responses": _ok(),
            }
        },
        "/raw": {
            "put": {
                "operationId": "raw",
                "requestBody": {
                    "content": {"application/octet-stream": {"schema": {"type": "string"}}}
                },
                "responses": _ok(),
            }
        },
    }
    json_body, upload, raw = _methods(_api(tmp_path, paths))[0]
    assert (json_body.args[0].name, json_body.args[0].annotation) == ("body", "Pet")
    assert [(c.keyword, c.value) for c in json_body.call] == [("json", "body")]
    assert [(a.name, a.annotation) for a in upload.args[:2]] == [
        ("file", "FileTypes"),
        ("note", "str | NotGiven"),
    ]
    assert upload.call[0].keyword == "multipart"
    assert upload.call[0].items == ['"file": file', '"note": note']
    assert 'files=("file",)' in upload.endpoint.arguments
    assert raw.args[0].annotation == "FileContent | os.PathLike[str] | NotGiven"
    assert 'content_type="application/octet-stream"' in raw.endpoint.arguments
    assert {"FileContent", "os"} <= raw.names


def test_short_statements_on_one_line_long_ones_exploded(tmp_path: Path) -> None:
    many = [_param(f"parameter_number_{n}", "query") for n in range(6)]
    paths = {
        "/pets": {"get": {"operationId": "listPets", "responses": _ok()}},
        "/many": {"get": {"operationId": "many", "parameters": many, "responses": _ok()}},
    }
    short, long = _methods(_api(tmp_path, paths))[0]
    assert short.call_one_line == (True, True)
    assert short.endpoint.one_line
    assert long.call_one_line == (False, False)
    assert not long.call[0].one_line  # the query dict one item a line


def test_a_dict_item_too_long_for_any_line_stays_exploded(tmp_path: Path) -> None:
    """`"name": name` is a line black cannot split: the exploded shape stays black's."""
    long_name = "a" * 95
    paths = {
        "/x": {
            "get": {
                "operationId": "x",
                "parameters": [_param(long_name, "query"), _param("b", "query")],
                "responses": _ok(),
            }
        }
    }
    [view], _ = _methods(_api(tmp_path, paths))
    assert view.call_one_line == (False, False) and not view.call[0].one_line
    assert not layout.fits(f"                {view.call[0].items[0]},")


def test_long_union_annotations_are_parenthesized_as_black_writes_them(tmp_path: Path) -> None:
    names = [f"AVeryLongModelNameNumber{n}" for n in range(4)]
    schemas = {name: PET for name in names}
    union = {"oneOf": [{"$ref": f"#/components/schemas/{n}"} for n in names]}
    paths = {
        "/x": {
            "get": {
                "operationId": "x",
                "parameters": [{"name": "choice", "in": "query", "schema": union}],
                "responses": _ok(),
            }
        }
    }
    [view], _ = _methods(_api(tmp_path, paths, **schemas))
    choice = view.args[0]
    assert choice.annotation.count(" | ") == 4  # the four models, then NotGiven
    lines = choice.laid_out_annotation.split("\n")
    assert lines[0] == "(" and lines[-1] == "        )"
    assert lines[1].strip() == "AVeryLongModelNameNumber0"
    assert lines[-2].strip() == "| NotGiven"
