"""Generated code is lint-clean where users lint it (issue 11): the committed clients pass ruff's
pyflakes, pycodestyle, isort and bugbear rules (the corpus and hostile specs: test_corpus.py and
test_hostile.py)."""

from __future__ import annotations

import pytest
from conftest import GENERATED, lint_problems

CLIENTS = sorted(p.name for p in GENERATED.iterdir() if (p / "pyproject.toml").is_file())


@pytest.mark.parametrize("client", CLIENTS)
def test_committed_client_is_lint_clean(client: str) -> None:
    problems = lint_problems(GENERATED / client / client)
    assert not problems, problems[-4000:]
