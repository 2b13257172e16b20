"""Unit tests of the render stage (codegen/render.py): which template each file comes from, and
that the templates lay the views' decisions out as black would (one line, or exploded with a
trailing comma), so the formatter's fast path leaves them as rendered."""

from __future__ import annotations

from pathlib import Path

import black
from model_helpers import model, openapi

from generator.codegen.render import RUNTIME_FILES, render_package
from generator.format.formatter import needs_formatting, top_level_statements
from generator.style import black_mode

PET = {"type": "object", "properties": {"name": {"type": "string"}}}


def _param(name: str) -> dict[str, object]:
    return {"name": name, "in": "query", "schema": {"type": "string"}}


PATHS = {
    "/pets": {
        "get": {
            "operationId": "listPets",
            "tags": ["pets"],
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                    },
                }
            },
        },
        "post": {
            "operationId": "createPetWithAVeryLongNameSoThatItsCallExplodes",
            "tags": ["pets"],
            "parameters": [_param(f"query_parameter_number_{n}") for n in range(5)],
            "responses": {},
        },
    }
}


def _rendered(tmp_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    api, _ = model(tmp_path, openapi(PATHS, {"Pet": PET}))
    sources: dict[str, str] = {}
    return render_package(api, sources=sources), sources


def test_each_file_is_traced_to_its_template(tmp_path: Path) -> None:
    files, sources = _rendered(tmp_path)
    assert set(sources) == set(files) - {"pkg/py.typed"}
    assert sources["pkg/resources/pets.py"] == "resource.py.j2"
    assert sources["pkg/_client.py"] == "client.py.j2"
    assert sources["pkg/__init__.py"] == "package_init.py.j2"
    assert sources["pkg/models/_pet.py"] == "models.py.j2"  # a lazily created model's own module
    assert {sources[f"pkg/{name}"] for name in RUNTIME_FILES} == {
        f"runtime/{name}" for name in RUNTIME_FILES
    }


def test_resource_client_and_package_modules_are_rendered_as_black_writes_them(
    tmp_path: Path,
) -> None:
    files, sources = _rendered(tmp_path)
    templates = {"resource.py.j2", "client.py.j2", "package_init.py.j2"}
    for path, text in files.items():
        if sources.get(path) in templates:
            assert black.format_str(text, mode=black_mode()) == text, path
            assert not any(needs_formatting(s) for s in top_level_statements(text)), path


def test_the_resource_template_writes_both_shapes_of_a_call(tmp_path: Path) -> None:
    text = _rendered(tmp_path)[0]["pkg/resources/pets.py"]
    assert "        return self._client.call(_LIST_PETS, request_options)\n" in text
    exploded = (
        "        return self._client.call(\n"
        "            _CREATE_PET_WITH_A_VERY_LONG_NAME_SO_TH_08914BCE,\n"
        "            request_options,\n"
        "            query={\n"
        '                "query_parameter_number_0": query_parameter_number_0,\n'
    )
    assert exploded in text
    assert "        return await self._client.call(\n" in text  # the async variant
    assert '_LIST_PETS: Endpoint[Pet] = Endpoint("GET", "/pets", lambda: Pet)\n' in text


def test_an_override_replaces_a_template_by_name(tmp_path: Path) -> None:
    override = tmp_path / "templates"
    override.mkdir()
    (override / "resources_init.py.j2").write_text('"""Ours."""\n', encoding="utf-8")
    api, _ = model(tmp_path, openapi(PATHS, {"Pet": PET}))
    files = render_package(api, str(override))
    assert files["pkg/resources/__init__.py"] == '"""Ours."""\n'
