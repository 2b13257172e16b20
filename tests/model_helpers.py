"""Build the intermediate model (or a whole client) from a small inline spec."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from generator.config import ClientConfig
from generator.diagnostics import Diagnostic
from generator.model.api import Api
from generator.model.builder import build_api
from generator.model.types import Definition
from generator.spec.read import read_spec


def write_spec(tmp_path: Path, spec: dict[str, Any], name: str = "spec.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    return path


def model(tmp_path: Path, spec: dict[str, Any]) -> tuple[Api, list[Diagnostic]]:
    path = write_spec(tmp_path, spec)
    source, _ = read_spec(path, lambda source: None)  # the spec stage, without validation
    return build_api(source, ClientConfig(spec=path, output=tmp_path / "out", package_name="pkg"))


def definition(api: Api, name: str) -> Definition:
    found = [d for d in api.definitions if d.name == name]
    assert found, f"no definition {name}; have {[d.name for d in api.definitions]}"
    return found[0]


def generated_package(tmp_path: Path, spec: dict[str, Any], package: str) -> Any:
    """Generate a client into tmp_path and import its models module."""
    from tests.conftest import generate_client

    path = write_spec(tmp_path, spec)
    generate_client(path, tmp_path / "out", package_name=package)
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        return importlib.import_module(f"{package}.models")
    finally:
        sys.path.remove(str(tmp_path / "out"))


def openapi(
    paths: dict[str, Any] | None = None,
    schemas: dict[str, Any] | None = None,
    version: str = "3.0.3",
    **extra: Any,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "openapi": version,
        "info": {"title": "T", "version": "1"},
        "paths": paths or {},
    }
    if schemas is not None:
        spec["components"] = {"schemas": schemas}
    spec.update(extra)
    return spec
