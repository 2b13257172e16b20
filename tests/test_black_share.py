"""The layouts cover what the templates write: over the whole corpus, fewer than 0.5% of the top-level
statements of the generated modules are handed to black (`statements.needs_formatting`).

The share is taken over the corpus as a whole, not per spec: one statement black must see (a
non-ASCII enum value, which black measures its own way) is already 2.5% of a 40-statement spec.
The statements are those the formatter cuts a module into (`statements.top_level_statements`): a
class is one statement, however many methods it has. The runtime modules, shipped formatted, are
not counted. On failure the test names each statement handed to black, by its line black could
change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, needs_corpus

MAX_SHARE = 0.005
NOT_SPECS = {"MANIFEST.tsv", "external-shared.json"}


def handed_to_black(spec: Path) -> tuple[int, list[str]]:
    """(number of top-level statements, the statements black is given, by the line it could change)."""
    from generator.codegen.render import RUNTIME_FILES
    from generator.config import ClientConfig
    from generator.format.statements import formatting_reason, top_level_statements
    from generator.pipeline import Outcome, _model_and_render
    from generator.spec.loader import load_spec

    config = ClientConfig(
        spec=spec, output=Path("/nonexistent/out")
    )  # the package named from the title
    rendered = _model_and_render(load_spec(spec), config, Outcome(config), lambda *_: None, None)
    count, handed = 0, []
    for path, text in rendered.items():
        if not path.endswith(".py") or path.rsplit("/", 1)[-1] in RUNTIME_FILES:
            continue
        for statement in top_level_statements(text):
            count += 1
            reason = formatting_reason(statement)
            if reason:
                handed.append(f"{spec.name}: {path}: {reason.strip()[:160]}")
    return count, handed


@needs_corpus()
@pytest.mark.xdist_group("black_share")
def test_few_statements_are_handed_to_black() -> None:
    specs = sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name not in NOT_SPECS)
    total, handed, shares = 0, [], []
    for spec in specs:
        count, found = handed_to_black(spec)
        total += count
        handed += found
        shares.append(f"{spec.name}: {len(found)}/{count}")
    print("\n".join(shares))
    assert total > 10_000  # the corpus was read
    assert len(handed) <= MAX_SHARE * total, (
        f"{len(handed)} of {total} statements go to black ({len(handed) / total:.2%}):\n"
        + "\n".join(handed)
    )


def test_the_count_sees_a_statement_the_layouts_leave_to_black(tmp_path: Path) -> None:
    """The measure itself: a long non-ASCII enum value goes to black, and is named."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Colour:\n      type: string\n      enum: [rouge, 'vert é']\n",
        encoding="utf-8",
    )
    count, handed = handed_to_black(spec)
    assert count > 1
    assert len(handed) == 1 and '"vert é"' in handed[0]
