"""Fuzzed specs never crash the generator (issue 7).

(a) Random valid specs from a grammar of OpenAPI constructs (objects, arrays, enums, allOf/oneOf/
    anyOf, `$ref`s including recursive ones, parameters in every location, every kind of body and
    response). (b) Random mutations of specs/faxplus.yaml and a few small corpus specs.

For each: the generator either writes a package that compiles, imports (models rebuilt, client
built, every resource reached) and, for a bounded batch, passes `mypy --strict`; or it exits 2
with located errors. Never an exception (run with OASGEN_DEBUG=1, so a bug is a traceback that
hypothesis shrinks, not exit 3).

Bounded in `make test` (OASGEN_FUZZ_EXAMPLES, default 100, derandomized so CI is repeatable);
`make fuzz` runs many more with fresh randomness. OASGEN_FUZZ_MYPY bounds how many of the grammar
packages go into the one batched mypy run (default: all of them); OASGEN_FUZZ_MYPY_MUTANTS the
mutants (default 3: each is Fax.Plus-sized).
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import inspect
import io
import itertools
import json
import os
import re
import subprocess
import sys
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CORPUS, SPECS, black_changes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.xdist_group("fuzz")

EXAMPLES = int(os.environ.get("OASGEN_FUZZ_EXAMPLES", "100"))
LONG_RUN = "OASGEN_FUZZ_EXAMPLES" in os.environ
MYPY_LIMIT = int(os.environ.get("OASGEN_FUZZ_MYPY", str(EXAMPLES if not LONG_RUN else 60)))
MYPY_MUTANTS = int(os.environ.get("OASGEN_FUZZ_MYPY_MUTANTS", "3"))
LOCATED = re.compile(r"^.+:\d+:\d+: (error|warning): .+$")
SMALL_CORPUS = (
    "oai-petstore.yaml",
    "oai-v2-petstore.yaml",
    "oag-composed-oneof.yaml",
    "oag-allOf_composition_discriminator.yaml",
    "opc-3.1_specific.openapi.yaml",
    "oai-link-example.yaml",
    "oai-callback-example.yaml",
)
# `make fuzz` mutates these too: larger, so slower per example
MEDIUM_CORPUS = (
    "oag-python-petstore-with-fake-endpoints-models-for-testing.yaml",
    "opc-baseline_openapi_3.1.yaml",
    "oai-uspto.yaml",
    "oag-oneOfDiscriminator.yaml",
    "opc-openapi_3.1_enums.yaml",
    "oai-v2-uber.json",
    "azure-storage-2015-06-15-swagger.yaml",
)

_counter = itertools.count()


def fuzz_settings(examples: int = EXAMPLES) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=not LONG_RUN,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
        print_blob=True,
    )


# ---- running the generator ---------------------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.examples = 0
        self.generated = 0
        self.rejected = 0
        self.packages: list[tuple[Path, str]] = []

    def line(self, what: str) -> str:
        return (
            f"{what}: {self.examples} examples, {self.generated} packages generated and imported, "
            f"{self.rejected} rejected with located errors (exit 2)"
        )


def run_generator(spec_path: Path, output: Path, package: str) -> tuple[int, str]:
    """The command line in-process, with OASGEN_DEBUG so that a bug raises instead of exit 3."""
    from generator.cli import main as cli

    err = io.StringIO()
    old = os.environ.get("OASGEN_DEBUG")
    os.environ["OASGEN_DEBUG"] = "1"
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(
                ["generate", str(spec_path), "-o", str(output), "--package-name", package]
            )
    finally:
        if old is None:
            del os.environ["OASGEN_DEBUG"]
        else:
            os.environ["OASGEN_DEBUG"] = old
    return code, err.getvalue()


def check_outcome(code: int, stderr: str, output: Path, package: str, stats: Stats) -> None:
    stats.examples += 1
    assert code in (0, 2), f"exit {code}\n{stderr}"
    assert "Traceback" not in stderr
    if code == 2:
        errors = [line for line in stderr.splitlines() if ": error: " in line]
        assert errors, stderr
        assert all(LOCATED.match(line) for line in errors), stderr
        stats.rejected += 1
        return
    root = output / package
    for path in root.rglob("*.py"):
        compile(path.read_text("utf-8"), str(path), "exec")
    changes = black_changes(root)
    assert not changes, "\n".join(changes[:2])
    import_package(output, package)
    stats.generated += 1
    stats.packages.append((output, package))


def import_package(output: Path, package: str) -> None:
    """Import the package, its models (each rebuilt: pydantic evaluates the annotations), its
    resources, and build both clients reaching every resource."""
    sys.path.insert(0, str(output))
    try:
        pkg = importlib.import_module(package)
        for name in pkg.__all__:
            getattr(pkg, name)
        models = importlib.import_module(f"{package}.models")
        for value in [getattr(models, name) for name in models.__all__]:
            if (
                inspect.isclass(value)
                and value.__module__.startswith(f"{models.__name__}.")
                and hasattr(value, "model_rebuild")
            ):
                value.model_rebuild(force=True)
        client_module = importlib.import_module(f"{package}._client")
        for cls_name in client_module.__all__:
            cls = getattr(client_module, cls_name)
            client = cls(base_url="http://127.0.0.1:9")
            for key, value in vars(cls).items():
                if isinstance(value, cached_property):
                    resource = getattr(client, key)
                    resource.with_raw_response  # noqa: B018 - builds the wrappers
                    resource.with_streaming_response  # noqa: B018
    finally:
        sys.path.remove(str(output))


def mypy_batch(packages: list[tuple[Path, str]], cwd: Path) -> None:
    if not packages:
        return
    args: list[str] = []
    for _, name in packages:
        args += ["-p", name]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--show-error-codes",
            "--cache-dir",
            str(cwd / ".mypy_cache"),
            *args,
        ],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=1200,
        env={**os.environ, "MYPYPATH": os.pathsep.join(str(out) for out, _ in packages)},
    )
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]


# ---- (a) a grammar of valid specs ----------------------------------------------------------------------

NAMES = [
    "Pet",
    "pet",
    "Item",
    "Error",
    "List",
    "Any",
    "Field",
    "model",
    "class",
    "Value",
    "Node",
    "a-b",
    "A_B",
    "1st",
    "Über",
    "data",
    "id",
    "type",
    "self",
    "json",
    "items",
    "default",
    "x",
]
PROP_NAMES = [
    "id",
    "name",
    "type",
    "class",
    "self",
    "value",
    "data",
    "items",
    "a-b",
    "aB",
    "a_b",
    "1x",
    "json",
    "copy",
    "model_config",
    "str",
    "list",
    "Any",
    "@id",
    "$x",
    "ÜBER",
    "none",
    "None",
]
PARAM_NAMES = [
    "id",
    "limit",
    "q",
    "X-Trace",
    "class",
    "self",
    "body",
    "request_options",
    "a-b",
    "page[size]",
    "filter.x",
    "cast",
    "list",
    "Accept",
    "Content-Type",
    "Authorization",
    "petId",
    "file",
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
FORMATS = [
    None,
    "date-time",
    "date",
    "time",
    "uuid",
    "binary",
    "byte",
    "email",
    "int32",
    "int64",
    "float",
    "double",
    "decimal",
]


def name_strategy(pool: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(pool) | st.text(alphabet="abcXYZ_-1 é", min_size=1, max_size=6)


def schema_strategy(components: list[str], v31: bool) -> st.SearchStrategy[dict[str, Any]]:
    def primitive(kind: str) -> st.SearchStrategy[dict[str, Any]]:
        fmt = st.sampled_from(FORMATS)
        return st.builds(
            lambda f, d: {
                "type": kind,
                **({"format": f} if f else {}),
                **({"description": d} if d else {}),
            },
            fmt,
            TEXT,
        )

    scalars = st.one_of(
        primitive("string"),
        primitive("integer"),
        primitive("number"),
        st.just({"type": "boolean"}),
        st.lists(st.text(max_size=8), min_size=1, max_size=5, unique=True).map(
            lambda v: {"type": "string", "enum": v}
        ),
        st.lists(st.integers(-5, 5), min_size=1, max_size=4, unique=True).map(
            lambda v: {"type": "integer", "enum": v}
        ),
        st.builds(lambda d: {"type": "string", "default": d}, st.text(max_size=10)),
        st.builds(lambda d: {"type": "integer", "default": d}, st.integers(-10, 10)),
        st.builds(lambda c: {"const": c}, st.text(max_size=5) | st.integers() | st.booleans()),
        st.sampled_from(
            [
                {"type": ["string", "integer"]},
                {"type": ["null"]},
                {"type": "array"},
                {"type": "string", "readOnly": True},
                {"type": "integer", "writeOnly": True},
                {"type": "number", "format": "decimal"},
                {"type": "object"},
                {"type": "string", "enum": ["a", None], "nullable": True},
                {"type": "integer", "enum": [1, 2], "default": 2},
                {"deprecated": True},
            ]
        ),
        st.just({}),
    )
    if components:
        scalars = scalars | st.sampled_from(components).map(
            lambda n: {"$ref": f"#/components/schemas/{n}"}
        )

    def nullable(schema: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in schema:
            return (
                {"anyOf": [schema, {"type": "null"}]}
                if v31
                else {"allOf": [schema], "nullable": True}
            )
        if v31 and isinstance(schema.get("type"), str):
            return {**schema, "type": [schema["type"], "null"]}
        return {**schema, "nullable": True} if not v31 else schema

    def extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        obj = st.builds(
            lambda props, req, extra: {
                "type": "object",
                "properties": props,
                **({"required": sorted(props)[:req]} if props and req else {}),
                **({"additionalProperties": extra} if extra is not None else {}),
            },
            st.dictionaries(name_strategy(PROP_NAMES), children, max_size=4),
            st.integers(0, 3),
            st.none() | st.booleans() | children,
        )
        discriminated = st.builds(
            lambda parts, prop: {"oneOf": parts, "discriminator": {"propertyName": prop}},
            st.lists(children, min_size=1, max_size=3),
            name_strategy(PROP_NAMES),
        )
        if components:
            discriminated = discriminated | st.builds(
                lambda names, prop: {
                    "oneOf": [{"$ref": f"#/components/schemas/{n}"} for n in names],
                    "discriminator": {
                        "propertyName": prop,
                        "mapping": {n.lower(): f"#/components/schemas/{n}" for n in names},
                    },
                },
                st.lists(st.sampled_from(components), min_size=1, max_size=3, unique=True),
                st.sampled_from(["kind", "type", "petType"]),
            )
            discriminated = discriminated | st.builds(
                lambda base, props: {
                    "allOf": [
                        {"$ref": f"#/components/schemas/{base}"},
                        {"type": "object", "properties": props},
                    ]
                },
                st.sampled_from(components),
                st.dictionaries(name_strategy(PROP_NAMES), children, max_size=2),
            )
        return st.one_of(
            obj,
            discriminated,
            st.builds(lambda items: {"type": "array", "items": items}, children),
            st.builds(lambda parts: {"allOf": parts}, st.lists(children, min_size=1, max_size=3)),
            st.builds(lambda parts: {"oneOf": parts}, st.lists(children, min_size=1, max_size=3)),
            st.builds(lambda parts: {"anyOf": parts}, st.lists(children, min_size=1, max_size=3)),
            children.map(nullable),
        )

    return st.recursive(scalars, extend, max_leaves=6)


PRIMITIVE_PARAM = st.sampled_from(
    [
        {"type": "string"},
        {"type": "integer"},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "uuid"},
        {"type": "string", "enum": ["a", "b"]},
        {"type": "integer", "default": 3},
        {"type": "string", "default": "self"},
        {"type": "array", "items": {"type": "string"}},
        {"type": "array", "items": {"type": "integer"}},
        {"type": "object", "additionalProperties": {"type": "string"}},
        {"type": "string", "format": "date"},
        {"type": "boolean", "default": False},
    ]
)


@st.composite
def valid_specs(draw: st.DrawFn) -> dict[str, Any]:
    v31 = draw(st.booleans())
    components = draw(st.lists(name_strategy(NAMES), max_size=5, unique=True))
    schema = schema_strategy(components, v31)
    spec: dict[str, Any] = {
        "openapi": "3.1.0" if v31 else "3.0.3",
        "info": {
            "title": draw(st.text(min_size=1, max_size=20)),
            "version": draw(st.sampled_from(["1.0", "2", "x"])),
        },
        "paths": {},
    }
    if draw(st.booleans()):
        spec["servers"] = [
            {
                "url": draw(
                    st.sampled_from(["https://api.example.test/v1", "/api", "http://localhost"])
                )
            }
        ]
    if components:
        spec["components"] = {"schemas": {n: draw(schema) for n in components}}
    if draw(st.booleans()):
        spec.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer"},
            "key": {
                "type": "apiKey",
                "in": draw(st.sampled_from(["header", "query", "cookie"])),
                "name": "X-Key",
            },
            "basic": {"type": "http", "scheme": "basic"},
        }
        spec["security"] = draw(
            st.lists(st.sampled_from([{"bearer": []}, {"key": []}, {"basic": []}, {}]), max_size=2)
        )
    op_ids = st.none() | name_strategy(
        ["getPet", "get_pet", "list", "delete", "class", "with_raw", "x"]
    )
    for _ in range(draw(st.integers(1, 4))):
        segments = draw(
            st.lists(
                st.sampled_from(["pets", "{id}", "{petId}", "items", "{a-b}", "v1"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        path = "/" + "/".join(segments)
        item: dict[str, Any] = {}
        for method in draw(
            st.lists(
                st.sampled_from(["get", "post", "put", "patch", "delete"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        ):
            op: dict[str, Any] = {}
            op_id = draw(op_ids)
            if op_id is not None:
                op["operationId"] = op_id
            if draw(st.booleans()):
                op["tags"] = [
                    draw(st.sampled_from(["pets", "Store", "user admin", "list", "class"]))
                ]
            if draw(st.booleans()):
                op["summary"] = draw(TEXT)
            params = [
                {"name": s[1:-1], "in": "path", "required": True, "schema": draw(PRIMITIVE_PARAM)}
                for s in segments
                if s.startswith("{")
            ]
            for _ in range(draw(st.integers(0, 4))):
                where = draw(st.sampled_from(["query", "header", "cookie"]))
                param = {
                    "name": draw(st.sampled_from(PARAM_NAMES)),
                    "in": where,
                    "required": draw(st.booleans()),
                    "schema": draw(PRIMITIVE_PARAM | schema),
                    **draw(
                        st.sampled_from(
                            [
                                {},
                                {"style": "form", "explode": False},
                                {"deprecated": True},
                                {"style": "deepObject", "explode": True},
                                {"style": "pipeDelimited"},
                            ]
                            if where == "query"
                            else [{}]
                        )
                    ),
                }
                if draw(st.integers(0, 9)) == 0:  # content instead of schema
                    param["content"] = {"application/json": {"schema": param.pop("schema")}}
                params.append(param)
            unique: dict[tuple[str, str], Any] = {(p["in"], p["name"]): p for p in params}
            op["parameters"] = list(unique.values())
            if method != "get" and draw(st.booleans()):
                kind = draw(st.sampled_from(["json", "form", "multipart", "binary", "text"]))
                media, body_schema = {
                    "json": ("application/json", draw(schema)),
                    "form": (
                        "application/x-www-form-urlencoded",
                        {
                            "type": "object",
                            "properties": {
                                n: draw(PRIMITIVE_PARAM)
                                for n in draw(
                                    st.lists(st.sampled_from(PROP_NAMES), max_size=3, unique=True)
                                )
                            },
                        },
                    ),
                    "multipart": (
                        "multipart/form-data",
                        {
                            "type": "object",
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                **{
                                    n: draw(PRIMITIVE_PARAM)
                                    for n in draw(
                                        st.lists(
                                            st.sampled_from(PROP_NAMES), max_size=3, unique=True
                                        )
                                    )
                                },
                            },
                            "required": draw(st.sampled_from([[], ["file"]])),
                        },
                    ),
                    "binary": ("application/octet-stream", {"type": "string", "format": "binary"}),
                    "text": ("text/plain", {"type": "string"}),
                }[kind]
                op["requestBody"] = {
                    "required": draw(st.booleans()),
                    "content": {media: {"schema": body_schema}},
                }
            responses: dict[str, Any] = {}
            for status in draw(
                st.lists(
                    st.sampled_from(["200", "201", "204", "2XX", "default", "400", "404", "500"]),
                    min_size=1,
                    max_size=3,
                    unique=True,
                )
            ):
                response: dict[str, Any] = {"description": draw(TEXT) or "ok"}
                content = draw(st.sampled_from(["json", "json", "none", "binary", "text"]))
                if content == "json" and status != "204":
                    response["content"] = {"application/json": {"schema": draw(schema)}}
                elif content == "binary" and status != "204":
                    response["content"] = {
                        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                    }
                elif content == "text" and status != "204":
                    response["content"] = {"text/plain": {"schema": {"type": "string"}}}
                responses[status] = response
            op["responses"] = responses
            item[method] = op
        spec["paths"][path] = item
    return spec


def test_grammar_specs_generate_import_and_typecheck(tmp_path: Path) -> None:
    stats = Stats()

    @fuzz_settings()
    @given(valid_specs())
    def run(spec: dict[str, Any]) -> None:
        n = next(_counter)
        folder = tmp_path / f"g{n}"
        folder.mkdir()
        (folder / "spec.json").write_text(json.dumps(spec, ensure_ascii=False, indent=1), "utf-8")
        package = f"fuzz_g{n}"
        code, stderr = run_generator(folder / "spec.json", folder / "out", package)
        check_outcome(code, stderr, folder / "out", package, stats)

    run()
    print("\n" + stats.line("grammar"))
    assert stats.generated > stats.examples // 2, stats.line(
        "grammar"
    )  # the grammar builds valid specs
    mypy_batch(stats.packages[:MYPY_LIMIT], tmp_path)


# ---- (b) mutations of real specs ----------------------------------------------------------------------


def _base_specs() -> dict[str, Any]:
    bases = {"faxplus.yaml": yaml.safe_load((SPECS / "faxplus.yaml").read_text("utf-8"))}
    if CORPUS.is_dir():
        for name in SMALL_CORPUS + (MEDIUM_CORPUS if LONG_RUN else ()):
            path = CORPUS / name
            if path.is_file():
                bases[name] = yaml.load(path.read_text("utf-8"), Loader=yaml.SafeLoader)
    return bases


BASES = _base_specs()

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "object",
            "array",
            "string",
            "integer",
            "#/components/schemas",
            "application/json",
            "{id}",
            "$ref",
            "",
            "null",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=5,
)
KEYS = st.sampled_from(
    [
        "type",
        "$ref",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "enum",
        "required",
        "nullable",
        "default",
        "schema",
        "content",
        "parameters",
        "in",
        "name",
        "format",
        "additionalProperties",
        "responses",
        "requestBody",
        "discriminator",
        "const",
    ]
) | st.text(max_size=6)


def _nodes(doc: Any, max_depth: int = 10_000) -> list[tuple[Any, Any]]:
    """(container, key) of every value in the document, down to `max_depth`."""
    found: list[tuple[Any, Any]] = []
    stack = [(doc, 0)]
    while stack:
        node, depth = stack.pop()
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, value in items:
            found.append((node, key))
            if isinstance(value, (dict, list)) and depth + 1 < max_depth:
                stack.append((value, depth + 1))
    return found


def _pointers(doc: Any, limit: int = 400) -> list[str]:
    result = []
    stack: list[tuple[Any, str]] = [(doc, "")]
    while stack and len(result) < limit:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                child = pointer + "/" + str(key).replace("~", "~0").replace("/", "~1")
                result.append(child)
                stack.append((value, child))
    return result


@st.composite
def mutated_specs(draw: st.DrawFn) -> tuple[str, Any]:
    name = draw(st.sampled_from(sorted(BASES)))
    doc = copy.deepcopy(BASES[name])
    for _ in range(draw(st.integers(1, 6))):
        # a third of the mutations hit the document's upper levels (servers, tags, components ...),
        # which uniform choice over thousands of nodes would hardly ever reach
        nodes = _nodes(doc, draw(st.sampled_from([2, 3, 4, 10_000, 10_000, 10_000])))
        if not nodes:
            break
        container, key = nodes[draw(st.integers(0, len(nodes) - 1))]
        action = draw(
            st.sampled_from(["delete", "replace", "rename", "ref", "copy", "type", "empty"])
        )
        if action == "delete":
            del container[key]
        elif action == "replace":
            container[key] = draw(JSON_VALUES)
        elif action == "rename" and isinstance(container, dict):
            container[draw(KEYS)] = container.pop(key)
        elif action == "ref":
            targets = _pointers(doc)
            target = (
                draw(st.sampled_from(targets))
                if targets and draw(st.booleans())
                else "/nowhere/" + draw(st.text(max_size=4))
            )
            container[key] = {"$ref": "#" + target}
        elif action == "copy":
            source_container, source_key = nodes[draw(st.integers(0, len(nodes) - 1))]
            container[key] = copy.deepcopy(source_container[source_key])
        elif action == "type" and isinstance(container[key], dict):
            container[key]["type"] = draw(
                st.sampled_from(
                    [
                        "object",
                        "array",
                        "string",
                        "integer",
                        "number",
                        "boolean",
                        "null",
                        "file",
                        ["string", "null"],
                        7,
                    ]
                )
            )
        elif action == "empty":
            container[key] = (
                {}
                if isinstance(container[key], dict)
                else []
                if isinstance(container[key], list)
                else ""
            )
    return name, doc


def test_mutated_specs_generate_or_fail_cleanly(tmp_path: Path) -> None:
    stats = Stats()

    @fuzz_settings()
    @given(mutated_specs(), st.sampled_from(["json", "yaml"]))
    def run(named: tuple[str, Any], fmt: str) -> None:
        _, doc = named
        n = next(_counter)
        folder = tmp_path / f"m{n}"
        folder.mkdir()
        spec_path = folder / f"spec.{fmt}"
        if fmt == "json":
            spec_path.write_text(
                json.dumps(doc, ensure_ascii=False, indent=1, default=str), "utf-8"
            )
        else:
            spec_path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
        package = f"fuzz_m{n}"
        code, stderr = run_generator(spec_path, folder / "out", package)
        check_outcome(code, stderr, folder / "out", package, stats)

    run()
    print("\n" + stats.line(f"mutations of {', '.join(sorted(BASES))}"))
    mypy_batch(stats.packages[:MYPY_MUTANTS], tmp_path)
