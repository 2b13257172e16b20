"""No-op `oasgen check` on an unchanged spec, timed as a user (or make, or CI) sees it: a fresh
interpreter each run, start-up included. Prints figures; asserts nothing. Goal: under 0.5 s.

    .venv/bin/python bench/noop_check.py [--runs N] [--spec PATH ...]

Fax.Plus (specs/faxplus.yaml) and the largest corpus spec (../shared/corpus/stripe-spec3.yaml) by
default. Each is generated once into a temporary directory first (the slow part, not measured).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SPECS = [
    REPO / "specs" / "faxplus.yaml",
    REPO.parent / "shared" / "corpus" / "stripe-spec3.yaml",
]


def oasgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
    )


def timed(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = oasgen(*args)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"check exited {result.returncode}: {result.stderr}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--spec", action="append", type=Path)
    args = parser.parse_args()
    baseline = timed_interpreter(args.runs)
    print(f"python -c pass (interpreter start-up alone): median {baseline * 1000:.0f} ms")
    print(f"{'spec':<28} {'size':>8} {'generate':>9} {'check median':>13} {'min':>7} {'max':>7}")
    for spec in args.spec or DEFAULT_SPECS:
        if not spec.is_file():
            print(f"{spec.name:<28} missing, skipped")
            continue
        with tempfile.TemporaryDirectory(prefix="oasgen-bench-") as tmp:
            output = Path(tmp) / "client"
            common = [str(spec), "-o", str(output), "--package-name", "client", "-q"]
            start = time.perf_counter()
            generated = oasgen("generate", *common)
            generate_s = time.perf_counter() - start
            if generated.returncode != 0:
                print(
                    f"{spec.name:<28} generate exited {generated.returncode}: {generated.stderr[-300:]}"
                )
                continue
            times = timed(["check", *common], args.runs)
            print(
                f"{spec.name:<28} {spec.stat().st_size / 1e6:>6.1f}MB {generate_s:>8.1f}s "
                f"{statistics.median(times) * 1000:>10.0f} ms {min(times) * 1000:>5.0f}ms "
                f"{max(times) * 1000:>5.0f}ms"
            )
    print("goal: check median under 500 ms")


def timed_interpreter(runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    main()
