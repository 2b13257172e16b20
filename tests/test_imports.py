"""The import blocks of generated modules are sorted as isort sorts them (generator/codegen/imports.py):
random blocks of awkward names (CONSTANTS, Classes, functions, digits, aliases, long lines,
relative modules) are checked by the pinned ruff's `I` rules in one run."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.codegen import imports

MODULES = [
    "typing",
    "os",
    "datetime",
    "functools",
    "httpx",
    "pydantic",
    "__future__",
    ".models",
    "._types",
    ".resources.pets2",
    ".resources.pets10",
    ".resources.Pets",
    ".._base_client",
    "..models",
    "..a_b",
]
PIECES = ["A", "a", "URL", "Url", "Model", "model", "_", "2", "10", "9", "x", "X", "ID", "Id", "Z"]


def _name(rng: random.Random) -> str:
    name = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))
    return name if not name[0].isdigit() else "N" + name


def _block(rng: random.Random) -> str:
    entries = []
    for _ in range(rng.randint(1, 12)):
        module = rng.choice(MODULES)
        if module == "__future__":
            entries.append(imports.Import(module, "annotations"))
        elif not module.startswith(".") and rng.random() < 0.2:
            entries.append(imports.Import(module, None, rng.choice([None, "_" + module])))
        else:
            member = _name(rng) * rng.choice([1, 1, 1, 8])  # some long enough to wrap
            alias = rng.choice([None, None, member, "_" + member])
            entries.append(imports.Import(module, member, alias))
    indent = rng.choice(["", "    "])
    text = imports.block(entries, indent=indent)
    if indent:
        text = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n" + text
    return text + "\n"


def test_random_blocks_pass_ruffs_isort(tmp_path: Path) -> None:
    from generator.style import LINE_WIDTH

    rng = random.Random(11)
    for n in range(300):
        (tmp_path / f"m{n}.py").write_text(_block(rng), "utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "I",
            "--line-length",
            str(LINE_WIDTH),
            "--output-format",
            "concise",
            ".",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + "".join(
        (tmp_path / line.split(":")[0]).read_text("utf-8")
        for line in done.stdout.splitlines()[:2]
        if ":" in line
    )


def test_names_come_from_the_catalogue_or_the_package() -> None:
    found = imports.imports_of(
        ["_dt", "Any", "Endpoint", "Pet", "_Tag"], depth=1, own={"Pet": ".models"}
    )
    text = imports.block(found)
    assert text == (
        "import datetime as _dt\n"
        "from typing import Any\n"
        "\n"
        "from pydantic import Tag as _Tag\n"
        "\n"
        "from .._base_client import Endpoint\n"
        "from ..models import Pet"
    )
    reexported = imports.block(
        imports.imports_of(["NOT_GIVEN", "Pets"], depth=0, own={"Pets": "._client"}, reexport=True)
    )
    assert (
        reexported
        == "from ._client import Pets as Pets\nfrom ._types import NOT_GIVEN as NOT_GIVEN"
    )


def test_annotation_names_are_the_names_an_annotation_uses() -> None:
    """Views import what `annotation_names` says: exactly the names of the annotation's text."""
    import ast
    import builtins

    from generator.codegen.annotations import PRIMITIVES, annotation, annotation_names
    from generator.model.types import ArrayOf, LiteralOf, MapOf, Named, Nullable, Primitive, UnionOf

    exprs = [Primitive(n) for n in PRIMITIVES] + [  # type: ignore[arg-type]
        ArrayOf(Named("Pet")),
        MapOf(Nullable(Primitive("date"))),
        UnionOf((Named("A"), LiteralOf(("x", 1)))),
        Nullable(Primitive("any")),
        ArrayOf(MapOf(ArrayOf(Primitive("datetime")))),
        Nullable(LiteralOf((None,))),
    ]
    for expr in exprs:
        for generics in (False, True):
            text = annotation(expr, typing_generics=generics)
            used = {n.id for n in ast.walk(ast.parse(text, mode="eval")) if isinstance(n, ast.Name)}
            assert used - set(dir(builtins)) == annotation_names(expr, typing_generics=generics), (
                text
            )


def _natord_char_by_char(left: str, right: str) -> int:
    """natord's comparison as it reads, character by character (the reference for the fast one)."""
    i = j = 0
    while i < len(left) and j < len(right):
        a, b = left[i], right[j]
        if a.isdigit() and b.isdigit():
            m, n = i, j
            while m < len(left) and left[m].isdigit():
                m += 1
            while n < len(right) and right[n].isdigit():
                n += 1
            x, y = left[i:m], right[j:n]
            if x.startswith("0") or y.startswith("0"):
                if x != y:
                    return -1 if x < y else 1
            elif (len(x), x) != (len(y), y):
                return -1 if (len(x), x) < (len(y), y) else 1
            i, j = m, n
            continue
        if a != b:
            return -1 if a < b else 1
        i, j = i + 1, j + 1
    return (len(left) - i > 0) - (len(right) - j > 0)


@settings(max_examples=3000, derandomize=True)
@given(st.text("ab_Z0129", max_size=12), st.text("ab_Z0129", max_size=12))
def test_natural_order_is_natords(left: str, right: str) -> None:
    assert imports._natural(left, right) == _natord_char_by_char(left, right)
    assert imports._natural(left, left + right) == _natord_char_by_char(left, left + right)
