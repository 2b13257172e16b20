"""Generating one tag of a large spec: `oasgen generate SPEC --include-tag TAG`, cold.

Usage:
    .venv/bin/python bench/filter.py [--runs 5] [SPEC-NAME:TAG ...]

Runs alternate (filtered, whole spec, filtered ...) so both see the same machine state; prints per
spec the median wall time of each (interpreter start-up included, no format cache), the operations
and models generated, and the parse floor (reading the spec alone). Figures, never assertions.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from generate import CORPUS, parse_floor

DEFAULT = ["github-api.github.com.json:gists", "stripe-spec3.yaml:tax_rates"]
COUNTS = re.compile(r"(\d+) operations, (\d+) models")


def run(spec: Path, out: Path, extra: list[str]) -> tuple[float, str]:
    command = [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(out), *extra]
    env = {**os.environ, "OASGEN_NO_CACHE": "1"}
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - started
    found = COUNTS.search(done.stdout + done.stderr)
    return wall, f"{found.group(1)} ops, {found.group(2)} models" if found else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", default=DEFAULT, metavar="SPEC-NAME:TAG")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'spec':32} {'tag':12} {'filtered':>9} {'whole':>8} {'floor':>7}  generated")
    for target in args.targets:
        name, _, tag = target.partition(":")
        spec = CORPUS / name
        filtered, whole, what = [], [], ""
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                wall, what = run(spec, Path(tmp) / "a", ["--include-tag", tag])
                filtered.append(wall)
                whole.append(run(spec, Path(tmp) / "b", ["-q"])[0])
        floor = min(parse_floor(spec) for _ in range(2))
        print(
            f"{name:32} {tag:12} {statistics.median(filtered):8.2f}s "
            f"{statistics.median(whole):7.2f}s {floor:6.2f}s  {what}"
        )


if __name__ == "__main__":
    main()
