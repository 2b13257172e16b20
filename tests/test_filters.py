"""Filters: which operations a client keeps, that models no kept operation uses are not built,
mistakes are errors, and a filtered client imports and works on the wire."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.cli.main import main
from generator.config import ClientConfig, ConfigError
from generator.model.builder import build_api
from generator.pipeline import load_source
from tests.model_helpers import openapi, write_spec


def _op(op_id: str, tags: list[str], schema: str, **extra: Any) -> dict[str, Any]:
    return {
        "operationId": op_id,
        "tags": tags,
        "responses": {
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}
                },
            }
        },
        **extra,
    }


def store() -> dict[str, Any]:
    return openapi(
        paths={
            "/pets": {
                "get": _op("listPets", ["pets"], "PetList"),
                "post": _op("createPet", ["pets", "admin"], "Pet"),
            },
            "/orders/{id}": {
                "get": _op(
                    "getOrder",
                    ["orders"],
                    "Order",
                    parameters=[
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                )
            },
            "/v1/health": {"get": {"responses": {"204": {"description": "up"}}}},  # untagged
        },
        schemas={
            "PetList": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
            "Pet": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                },
            },
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Order": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "status": {"$ref": "#/components/schemas/Status"},
                },
            },
            "Status": {"type": "string", "enum": ["placed", "shipped"]},
            "Unused": {"type": "object", "properties": {"x": {"type": "integer"}}},
        },
        servers=[{"url": "https://store.example"}],
    )


def built(
    tmp_path: Path, spec: dict[str, Any] | None = None, **filters: list[str]
) -> tuple[set[str], set[str]]:
    path = write_spec(tmp_path, spec or store())
    config = ClientConfig(spec=path, output=tmp_path / "out", package_name="store", **filters)  # type: ignore[arg-type]
    api, _ = build_api(load_source(config), config)
    return {op.operation_id for op in api.operations}, {d.name for d in api.definitions}


def test_without_filters_every_operation_and_component_is_built(tmp_path):
    ops, models = built(tmp_path)
    assert ops == {"listPets", "createPet", "getOrder", "get_/v1/health"}
    assert {"Pet", "Owner", "Order", "Status", "Unused"} <= models


def test_include_tag_keeps_its_operations_and_only_the_models_they_reach(tmp_path):
    ops, models = built(tmp_path, include_tags=["orders"])
    assert ops == {"getOrder"}
    assert models == {"Order", "Status"}  # Status only through Order: transitively


def test_exclude_tag_drops_operations_with_that_tag_among_theirs(tmp_path):
    ops, models = built(tmp_path, exclude_tags=["admin", "orders"])
    assert ops == {"listPets", "get_/v1/health"}
    assert models == {"Pet", "Owner"}  # PetList is an alias of list[Pet], inlined


def test_operations_are_named_by_operation_id_or_method_and_path(tmp_path):
    ops, _ = built(tmp_path, include_operations=["createPet", "GET /v1/health"])
    assert ops == {"createPet", "get_/v1/health"}
    ops, _ = built(tmp_path, include_tags=["pets"], exclude_operations=["createPet"])
    assert ops == {"listPets"}


def test_an_untagged_operation_is_selected_by_the_group_it_is_filed_under(tmp_path):
    ops, _ = built(tmp_path, include_tags=["health"])
    assert ops == {"get_/v1/health"}


def test_include_filters_add_up(tmp_path):
    ops, _ = built(tmp_path, include_tags=["orders"], include_operations=["listPets"])
    assert ops == {"getOrder", "listPets"}


def test_callbacks_of_dropped_operations_and_webhooks_make_no_models(tmp_path):
    spec = store()
    spec["openapi"] = "3.1.0"
    hook_body = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unused"}}}
    }
    spec["webhooks"] = {
        "petAdopted": {
            "post": {"requestBody": hook_body, "responses": {"200": {"description": "ok"}}}
        }
    }
    _, models = built(tmp_path, spec, include_tags=["orders"])
    assert "Unused" not in models
    _, models = built(tmp_path, spec)
    assert "Unused" in models


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            {"include_tags": ["order"]},
            "include-tag 'order': no operation of spec.json has this tag (did you mean 'orders'?)",
        ),
        (
            {"exclude_tags": ["zzz"]},
            "exclude-tag 'zzz': no operation of spec.json has this tag (it has: admin, health, orders, pets)",
        ),
        (
            {"include_operations": ["getOrders"]},
            "include-operation 'getOrders': no operation of spec.json has this operationId (or METHOD /path) (did you mean 'getOrder'",
        ),
        (
            {"include_tags": ["pets"], "exclude_tags": ["pets"]},
            "the filters keep no operation of spec.json",
        ),
    ],
)
def test_a_filter_that_matches_nothing_is_an_error(tmp_path, monkeypatch, filters, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        built(tmp_path, **filters)
    assert (
        caught.value.messages[0] == f"oasgen: error: {message}"
        or message in caught.value.messages[0]
    )


def test_filters_are_part_of_the_configuration_hash(tmp_path):
    base = ClientConfig(spec=tmp_path / "s.yaml", output=tmp_path / "out")
    prints = {
        base.fingerprint(),
        ClientConfig(spec=base.spec, output=base.output, include_tags=["a"]).fingerprint(),
        ClientConfig(spec=base.spec, output=base.output, exclude_tags=["a"]).fingerprint(),
        ClientConfig(spec=base.spec, output=base.output, include_operations=["a"]).fingerprint(),
        ClientConfig(spec=base.spec, output=base.output, exclude_operations=["a"]).fingerprint(),
        ClientConfig(spec=base.spec, output=base.output, include_tags=["a", "b"]).fingerprint(),
    }
    assert len(prints) == 6


# ---- as a user runs it --------------------------------------------------------------------------


def test_cli_filters_exit_2_on_a_filter_that_matches_nothing_and_write_nothing(tmp_path, capsys):
    spec = write_spec(tmp_path, store())
    out = tmp_path / "out"
    assert main(["generate", str(spec), "-o", str(out), "--include-tag", "order"]) == 2
    assert not out.exists()
    assert "include-tag 'order'" in capsys.readouterr().err
    assert main(["validate", str(spec), "--exclude-operation", "nope"]) == 2


def test_config_filters_and_check_sees_a_changed_filter(tmp_path, monkeypatch, capsys):
    write_spec(tmp_path, store(), "store.json")
    config = tmp_path / "oasgen.toml"
    config.write_text(
        '[[clients]]\nspec = "store.json"\noutput = "out"\npackage-name = "store"\n'
        'formatter = "none"\ninclude-tags = ["orders"]\n'
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 0
    assert sorted(p.name for p in (tmp_path / "out/store/resources").glob("*.py")) == [
        "__init__.py",
        "orders.py",
    ]
    assert main(["check"]) == 0
    assert (
        main(["check", "--include-tag", "pets"]) == 1
    )  # the command line adds to the configuration
    config.write_text(config.read_text().replace('["orders"]', '["orders", "pets"]'))
    assert main(["check"]) == 1
    config.write_text(config.read_text().replace('["orders", "pets"]', '"orders"'))
    capsys.readouterr()
    assert main(["check"]) == 2
    assert (
        "oasgen.toml:6:1: error: clients[0].include-tags must be a list of non-empty strings"
        in capsys.readouterr().err
    )


def test_a_filtered_client_imports_and_works_on_the_wire(tmp_path):
    spec = write_spec(tmp_path, store())
    out = tmp_path / "out"
    args = [
        "generate",
        str(spec),
        "-o",
        str(out),
        "--package-name",
        "store_orders",
        "--include-tag",
        "orders",
    ]
    assert main(args) == 0
    models_dir = out / "store_orders" / "models"
    assert "Pet" not in (models_dir / "__init__.py").read_text()
    sys.path.insert(0, str(out))
    try:
        package = importlib.import_module("store_orders")
        seen: list[httpx.Request] = []

        def answer(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(200, json={"id": "o1", "status": "shipped"})

        client = package.StoreOrders(
            http_client=httpx.Client(transport=httpx.MockTransport(answer))
        )
        order = client.orders.get_order(id="o1")
        assert (order.id, order.status) == ("o1", "shipped")
        assert str(seen[0].url) == "https://store.example/orders/o1"
        assert not hasattr(client, "pets")
        models = importlib.import_module("store_orders.models")
        assert not hasattr(models, "Pet") and hasattr(models, "Order")
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m.split(".")[0] == "store_orders"]:
            del sys.modules[name]


def test_filtered_generation_is_black_stable_and_deterministic(tmp_path):
    from tests.conftest import black_changes

    spec = write_spec(tmp_path, store())
    trees = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert main(["generate", str(spec), "-o", str(out), "--include-tag", "pets", "-q"]) == 0
        trees.append(
            {
                p.relative_to(out).as_posix(): p.read_bytes()
                for p in sorted(out.rglob("*"))
                if p.is_file()
            }
        )
    assert trees[0] == trees[1]
    assert black_changes(tmp_path / "a") == []
    manifest = json.loads((tmp_path / "a" / ".oasgen-manifest.json").read_text())
    assert manifest["config_hash"]


def test_the_readme_faxplus_filter_drops_the_shop_and_one_operation(tmp_path):
    from tests.conftest import SPECS

    config = ClientConfig(
        spec=SPECS / "faxplus.yaml",
        output=tmp_path / "out",
        exclude_tags=["Shop"],
        exclude_operations=["deleteFax"],
    )
    api, _ = build_api(load_source(config), config)
    assert "Shop" not in {r.tag for r in api.resources}
    ids = {op.operation_id for op in api.operations}
    assert "deleteFax" not in ids and "listFaxes" in ids and "purchaseNumber" not in ids
