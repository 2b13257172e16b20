"""Pagination over the corpus: per spec, how many operations each strategy paginates.

Usage:
    .venv/bin/python bench/pagination_table.py [SUBSTRING ...] [--samples N]

Builds each corpus spec's model (no rendering) and counts `Operation.pagination` by strategy;
`--samples N` lists N operations per spec and strategy with how they paginate, for checking by hand
against the spec (a false positive is a bug). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
NOT_SPECS = {"MANIFEST.tsv", "external-shared.json"}
STRATEGIES = ("offset", "page", "cursor", "last_id", "next_url", "link_header")


def paginated(spec: Path) -> tuple[int, list[tuple[str, str, str]]]:
    """(operations, [(strategy, operation, description)]) of one spec."""
    sys.path.insert(0, str(REPO))
    from generator.config import ClientConfig
    from generator.model.builder import build_api
    from generator.model.pagination import describe
    from generator.spec.loader import load_spec
    from generator.spec.swagger2 import convert_if_swagger2

    source = load_spec(spec)
    convert_if_swagger2(source)
    api, _ = build_api(source, ClientConfig(spec=spec, output=Path("/nonexistent")))
    found = [
        (op.pagination.strategy, f"{op.method} {op.path}", describe(op.pagination))
        for op in api.operations
        if op.pagination is not None
    ]
    return len(api.operations), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only specs whose file name contains one of these")
    parser.add_argument("--samples", type=int, default=0, help="operations listed per strategy")
    args = parser.parse_args()
    specs = sorted(
        p
        for p in CORPUS.iterdir()
        if p.is_file()
        and p.name not in NOT_SPECS
        and (not args.names or any(n in p.name for n in args.names))
    )
    print("| spec | operations | paginated | " + " | ".join(STRATEGIES) + " |")
    print("|---|---:|---:|" + "---:|" * len(STRATEGIES))
    totals: Counter[str] = Counter()
    samples: list[str] = []
    for spec in specs:
        operations, found = paginated(spec)
        counts = Counter(strategy for strategy, _, _ in found)
        totals.update(counts)
        totals["operations"] += operations
        cells = " | ".join(str(counts[s] or "") for s in STRATEGIES)
        print(f"| {spec.name} | {operations} | {len(found) or ''} | {cells} |")
        for strategy in STRATEGIES:
            listed = [f for f in found if f[0] == strategy][: args.samples]
            samples += [f"{spec.name}: {where}: {how}" for _, where, how in listed]
    cells = " | ".join(str(totals[s]) for s in STRATEGIES)
    paged = sum(totals[s] for s in STRATEGIES)
    print(f"| **all {len(specs)}** | {totals['operations']} | {paged} | {cells} |")
    if samples:
        print()
        print("\n".join(samples))


if __name__ == "__main__":
    main()
