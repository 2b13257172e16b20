"""The surface `oasgen diff` compares: that it is what the generated code shows, how annotations
relate (narrowed, widened), and how the manifest keeps it."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from generator.cli.diff_inputs import spec_side
from generator.config import ClientConfig, ExtraHeader
from generator.diff.types import relation
from generator.output.writer import MANIFEST, Manifest
from tests.conftest import GENERATED, SPECS

ENUMS = {"Status": "str", "Code": "int"}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("str", "str", "same"),
        ("int", "float", "widened"),
        ("float", "int", "narrowed"),
        ("str", "str | None", "widened"),
        ("str | None", "str", "narrowed"),
        ("str", "Any", "widened"),
        ("Any", "Pet", "narrowed"),
        ("str", "int", "changed"),
        ("Pet", "NewPet", "changed"),
        ("Literal['a']", "Literal['a', 'b']", "widened"),
        ("Literal['a', 'b']", "str", "widened"),
        ("str", "Literal['a']", "narrowed"),
        ("Literal[1]", "Literal[True]", "changed"),  # 1 == True, but not as a JSON value
        ("Status", "str", "widened"),  # a str enum is a str
        ("Code", "int", "widened"),
        ("str", "Status", "narrowed"),
        ("list[int]", "list[float]", "widened"),
        ("list[str] | None", "list[str]", "narrowed"),
        ("dict[str, int]", "dict[str, str]", "changed"),
        ("list[str]", "dict[str, str]", "changed"),
        ("Annotated[float, Field(ge=1.5, le=1.5)]", "float", "widened"),
        ("Pet | str", "str | Pet", "same"),
        ("int | float", "float", "same"),
    ],
)
def test_relation_of_annotations(old: str, new: str, expected: str) -> None:
    assert relation(old, new, ENUMS) == expected


def _faxplus_surface() -> dict[str, object]:
    config = ClientConfig(
        spec=SPECS / "faxplus.yaml",
        output=GENERATED / "faxplus",
        package_name="faxplus",
        client_name="FaxPlus",
        extra_headers=[ExtraHeader("client_id", "x-fax-clientid", "Your Fax.Plus OAuth client id")],
    )
    return spec_side("faxplus", config).surface


def _signatures(package: Path) -> dict[str, dict[str, tuple[str, bool]]]:
    """Every sync resource method of a generated package: its keyword arguments, each with its
    annotation (`| NotGiven` aside, list/dict spelt as builtins) and whether it is required."""
    found: dict[str, dict[str, tuple[str, bool]]] = {}
    for module in sorted((package / "resources").glob("*.py")):
        if module.name == "__init__.py":
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        sync = next(
            node
            for node in tree.body
            if isinstance(node, ast.ClassDef)
            and node.name.endswith("Resource")
            and not node.name.startswith("Async")
        )
        for method in sync.body:
            if not isinstance(method, ast.FunctionDef) or method.name.startswith("_"):
                continue
            if method.name.startswith("with_"):
                continue
            args = method.args
            params = {}
            for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
                if arg.arg == "request_options":
                    continue
                text = (
                    ast.unparse(arg.annotation).replace("List[", "list[").replace("Dict[", "dict[")
                )
                text = text.removesuffix(" | NotGiven")
                params[arg.arg] = (text, default is None)
            returns = (
                ast.unparse(method.returns).replace("List[", "list[").replace("Dict[", "dict[")
            )
            params["->"] = (returns, True)
            found[f"{module.stem}.{method.name}"] = params
    return found


def test_the_surface_is_what_the_generated_signatures_say() -> None:
    """One source: every method of the committed Fax.Plus client, each of its arguments (name,
    annotation, required or not) and its return type, as the surface records them."""
    surface = _faxplus_surface()
    methods = surface["methods"]
    assert isinstance(methods, dict)
    recorded = {
        key: {
            **{name: (p["type"], bool(p.get("required"))) for name, p in method["params"].items()},
            "->": (method["returns"], True),
        }
        for key, method in methods.items()
    }
    # The surface writes literals as the generated code does, `ast.unparse` with single quotes.
    for method in recorded.values():
        for name, (text, required) in method.items():
            method[name] = (ast.unparse(ast.parse(text, mode="eval")), required)
    assert recorded == _signatures(GENERATED / "faxplus" / "faxplus")


def test_the_committed_manifest_keeps_the_surface_one_line_per_entry() -> None:
    manifest = Manifest.read(GENERATED / "faxplus")
    assert manifest is not None
    assert manifest.api_surface() == _faxplus_surface()
    text = (GENERATED / "faxplus" / MANIFEST).read_text(encoding="utf-8")
    assert json.loads(text)["surface"] == manifest.api_surface()
    line = next(ln for ln in text.splitlines() if '"outbox.get_outbox_fax"' in ln)
    assert json.loads(line.split(": ", 1)[1].rstrip(","))["http"] == (
        "GET /accounts/{user_id}/outbox/{outbox_fax_id}"
    )


def test_a_manifest_read_back_writes_the_same_text_without_parsing_its_surface() -> None:
    manifest = Manifest.read(GENERATED / "faxplus")
    assert manifest is not None
    assert manifest.surface is None and manifest.surface_text  # not parsed by reading
    text = (GENERATED / "faxplus" / MANIFEST).read_text(encoding="utf-8")
    assert manifest.to_text() == text


def test_a_manifest_laid_out_by_hand_is_still_read(tmp_path: Path) -> None:
    data = json.loads((GENERATED / "faxplus" / MANIFEST).read_text(encoding="utf-8"))
    data = {"surface": data.pop("surface"), **data}  # the surface no longer last
    (tmp_path / MANIFEST).write_text(json.dumps(data, indent=4), encoding="utf-8")
    manifest = Manifest.read(tmp_path)
    assert manifest is not None
    assert manifest.files == data["files"]
    assert manifest.api_surface() == data["surface"]
