"""Unit tests of the resource views (codegen/resource_views.py): the imports each resource module
gets, computed from the names its views use, its constants and its wrapper classes."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import Any

import black
from model_helpers import model, openapi

from generator.codegen.model_modules import model_modules
from generator.codegen.resource_views import ResourceView, resource_views
from generator.style import black_mode

MODEL = {"type": "object", "properties": {"name": {"type": "string"}}}


def _json(schema: str) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {"description": "ok", "content": {"application/json": {"schema": ref}}}


def _views(tmp_path: Path, paths: dict[str, Any], **extra: Any) -> list[ResourceView]:
    schemas = {name: MODEL for name in ("Pet", "Error", "Unused", "Server")}
    api, _ = model(tmp_path, openapi(paths, schemas, **extra))
    return resource_views(api, model_modules(api))


def _imported(view: ResourceView, for_type_checkers: bool = False) -> set[str]:
    """The names the module's import block binds (or its `if TYPE_CHECKING:` block)."""
    block = textwrap.dedent(view.type_imports) if for_type_checkers else view.imports
    return {
        alias.asname or alias.name
        for node in ast.parse(block).body
        if isinstance(node, ast.ImportFrom | ast.Import)
        for alias in node.names
    }


def test_imports_are_the_names_the_views_use(tmp_path: Path) -> None:
    paths = {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "responses": {"200": _json("Pet"), "400": _json("Error")},
            }
        }
    }
    [view] = _views(tmp_path, paths)
    imported = _imported(view)
    assert {"Error", "Endpoint", "RequestOptions", "Any"} <= imported
    assert "Unused" not in imported  # a model no operation of the resource meets
    assert "NotGiven" not in imported  # no optional argument
    assert imported == set(view.names)
    assert "from ..models.pets import Error" in view.imports  # its Endpoints hold it
    # The result is named in a lambda, resolved on the first call: imported for type checkers.
    assert _imported(view, for_type_checkers=True) == {"Pet"}
    assert "from ..models._pet import Pet" in view.type_imports


def test_a_server_of_its_own_imports_the_runtime_server_under_a_private_name(
    tmp_path: Path,
) -> None:
    """A spec may have a model named Server: the runtime's is imported as _Server all the same."""
    paths = {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "servers": [
                    {
                        "url": "https://{region}.example.com",
                        "variables": {"region": {"default": "eu"}},
                    }
                ],
                "responses": {"200": _json("Server")},
            }
        }
    }
    [view] = _views(tmp_path, paths)
    assert {"_Server", "_ServerVariable"} <= view.names
    assert _imported(view, for_type_checkers=True) == {"ServerModel"}  # the model is renamed
    assert "from .._base_client import Server as _Server\n" in view.imports
    [constant] = view.constants
    assert constant.name == "_SERVER_0" and constant.opener == "_Server("
    assert constant.value.startswith('_Server("https://{region}.example.com", (')
    assert constant.one_line and not constant.code


def test_exports_and_the_sync_and_async_variants(tmp_path: Path) -> None:
    paths = {"/pets": {"get": {"operationId": "listPets", "responses": {"200": _json("Pet")}}}}
    [view] = _views(tmp_path, paths)
    assert view.exports.text == '["PetsResource", "AsyncPetsResource"]'
    sync, asynchronous = view.variants
    assert (sync.class_name, asynchronous.class_name) == ("PetsResource", "AsyncPetsResource")
    assert asynchronous.raw_class == "AsyncPetsResourceWithRawResponse"
    assert [w.name for w in asynchronous.wrappers] == [
        "AsyncPetsResourceWithRawResponse",
        "AsyncPetsResourceWithStreamingResponse",
    ]
    [wrapped] = asynchronous.wrappers[0].methods
    assert (wrapped.method, wrapped.function) == ("list_pets", "async_to_raw_response_wrapper")
    assert wrapped.one_line and sync.raw_property_one_line and sync.client_import_one_line


def test_long_method_names_explode_the_wrapper_or_leave_it_to_layout(tmp_path: Path) -> None:
    medium, very_long = "a" * 40, "b" * 70
    paths = {
        f"/{name}": {
            "get": {"operationId": name, "tags": ["pets"], "responses": {"200": _json("Pet")}}
        }
        for name in (medium, very_long)
    }
    [view] = _views(tmp_path, paths)
    exploded, laid_out = view.variants[1].wrappers[1].methods
    assert not exploded.one_line and not exploded.code  # the template's exploded shape
    # `self.bbb... = async_to_streamed_response_wrapper(` alone is too long: black's own split.
    assert laid_out.code.split("\n")[0] == f"        self.{very_long} = ("
    statement = f"class C:\n    def __init__(self, resource: R) -> None:\n{laid_out.code}\n"
    assert black.format_str(statement, mode=black_mode()) == statement
