"""Every warning a public spec gets is located and in plain words (issue 11, defect 6): a JSON
pointer and its line, never `1:1` with an empty pointer, and no raw validator repr of a whole
object or list (`[{'type': 'integer'}, {'type': 'null'}] is not of type 'object', 'boolean'`).

Lenient mode (what `generate` and `validate` report) on every corpus spec; strict mode (the
openapi-spec-validator pass, where the unlocated ones came from) on the specs under 1 MB: on the
4 MB ones it takes a minute each, and their constructs are the small specs' constructs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.config import ClientConfig
from generator.diagnostics import Diagnostic, SpecError
from generator.pipeline import diagnose
from tests.conftest import CORPUS
from tests.test_corpus import corpus_specs

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")

STRICT_UNDER_BYTES = 1_000_000
# A Python or JSON repr of an object or list: `{'a': ...`, `{"a": ...`, `[{...`, `[[...`.
RAW_CONTAINER = re.compile(r"""\{['"][^'"]*['"]\s*:|\[\s*[\[{]""")


def _problems(spec: str, strict: bool) -> list[Diagnostic]:
    config = ClientConfig(CORPUS / spec, Path("unused"), package_name="c", strict=strict)
    try:
        return diagnose(config)
    except SpecError as exc:
        return exc.diagnostics


def _unlocated_or_raw(problems: list[Diagnostic]) -> list[str]:
    return [
        d.format()
        for d in problems
        if not d.pointer or RAW_CONTAINER.search(d.message) or "schemas listed in the" in d.message
    ]


@pytest.mark.parametrize(
    "spec", [pytest.param(s, marks=pytest.mark.xdist_group(s)) for s in corpus_specs()]
)
def test_every_lenient_warning_is_located_in_plain_words(spec: str) -> None:
    problems = _problems(spec, strict=False)
    assert _unlocated_or_raw(problems) == []


SMALL = [s for s in corpus_specs() if (CORPUS / s).stat().st_size < STRICT_UNDER_BYTES]


@pytest.mark.parametrize("spec", [pytest.param(s, marks=pytest.mark.xdist_group(s)) for s in SMALL])
def test_every_strict_error_is_located_in_plain_words(spec: str) -> None:
    problems = _problems(spec, strict=True)
    assert _unlocated_or_raw(problems) == []
