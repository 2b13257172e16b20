"""Method names over the corpus: per spec, how many methods lost their resource's name in front
(`chat.chat_post_message` -> `chat.post_message`), how many an override named, how many groups
nest; with `--samples N`, N renamed methods per spec. Model only (no rendering).

Usage:
    .venv/bin/python bench/method_names.py [SUBSTRING ...] [--samples N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
NOT_SPECS = {"MANIFEST.tsv", "external-shared.json"}


def renamed(spec: Path) -> tuple[int, int, list[str]]:
    """(methods, nested groups, ["resource.derived -> resource.now"]) of one spec."""
    sys.path.insert(0, str(REPO))
    from generator.config import ClientConfig
    from generator.model import naming
    from generator.model.builder import build_api
    from generator.spec.loader import load_spec
    from generator.spec.swagger2 import convert_if_swagger2

    source = load_spec(spec)
    convert_if_swagger2(source)
    api, _ = build_api(source, ClientConfig(spec=spec, output=Path("/nonexistent")))
    found = []
    for resource in api.resources:
        for op in resource.operations:
            derived = naming.method_name(op.operation_id)
            if derived == resource.attr_name + "_" + op.py_name:
                found.append(f"{resource.dotted}.{derived} -> {resource.dotted}.{op.py_name}")
    nested = sum(1 for r in api.resources if len(r.path) > 1)
    return len(api.operations), nested, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only specs whose file name contains one of these")
    parser.add_argument("--samples", type=int, default=0, help="renamed methods listed per spec")
    args = parser.parse_args()
    specs = sorted(
        p
        for p in CORPUS.iterdir()
        if p.is_file()
        and p.name not in NOT_SPECS
        and (not args.names or any(n in p.name for n in args.names))
    )
    print("| spec | methods | prefix dropped | nested groups |")
    print("|---|---:|---:|---:|")
    total_methods = total_renamed = 0
    samples: list[str] = []
    for spec in specs:
        methods, nested, found = renamed(spec)
        total_methods += methods
        total_renamed += len(found)
        print(f"| {spec.name} | {methods} | {len(found)} | {nested} |")
        samples += [f"{spec.name}: {line}" for line in found[: args.samples]]
    print(f"| **total** | {total_methods} | {total_renamed} | |")
    for line in samples:
        print(line)


if __name__ == "__main__":
    main()
