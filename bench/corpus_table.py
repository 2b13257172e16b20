"""The corpus table: per spec, operations, models, generation seconds, warnings, skipped parts, mypy errors.

Usage:
    .venv/bin/python bench/corpus_table.py [SUBSTRING ...] [--jobs 2] [--no-mypy] [--show-skipped] [--cold]

Each spec is generated (lenient mode, as a user would) into a temporary directory, then
`mypy --strict` runs on the package with one shared cache (`.mypy_cache_corpus`). Generation
seconds are the wall time of `generator.pipeline.generate` in a worker process, formatting
included; oasgen's format cache (shared between runs) makes repeated runs faster, `--cold` turns it off. "Skipped" counts warnings saying that part of the spec was left out of the client.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
NOT_SPECS = {"MANIFEST.tsv", "external-shared.json"}
MYPY_CACHE = REPO / ".mypy_cache_corpus"
SKIP_WORDS = ("skipped", "left out", "not generated")


def package_for(spec: str) -> str:
    stem = spec.rsplit(".", 1)[0]
    return "c_" + "".join(c if c.isalnum() else "_" for c in stem.lower())


def run_one(spec: str, out_root: str, run_mypy: bool) -> dict[str, object]:
    sys.path.insert(0, str(REPO))
    from generator.config import ClientConfig
    from generator.pipeline import generate

    package = package_for(spec)
    output = Path(out_root) / package
    row: dict[str, object] = {
        "spec": spec,
        "ops": "-",
        "models": "-",
        "seconds": "-",
        "warnings": "-",
        "skipped": "-",
        "mypy": "-",
        "error": "",
        "skipped_list": [],
    }
    started = time.perf_counter()
    try:
        outcome = generate(
            ClientConfig(spec=CORPUS / spec, output=output, package_name=package), force=True
        )
    except BaseException as exc:  # noqa: BLE001 - reported in the table
        row["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        return row
    row["seconds"] = f"{time.perf_counter() - started:.1f}"
    warnings = [d for d in outcome.diagnostics if d.severity == "warning"]
    skipped = [d.format() for d in warnings if any(w in d.message for w in SKIP_WORDS)]
    row.update(
        ops=outcome.operations,
        models=outcome.models,
        warnings=len(warnings),
        skipped=len(skipped),
        skipped_list=skipped,
    )
    if run_mypy:
        MYPY_CACHE.mkdir(exist_ok=True)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--no-error-summary",
                "--cache-dir",
                str(MYPY_CACHE),
                "-p",
                package,
            ],
            cwd=output,
            capture_output=True,
            text=True,
            check=False,
        )
        row["mypy"] = sum(1 for line in proc.stdout.splitlines() if ": error:" in line)
        if proc.returncode and not row["mypy"]:
            row["mypy"] = f"crash ({proc.returncode})"
    return row


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("only", nargs="*", help="substrings of spec file names to include")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-mypy", action="store_true")
    parser.add_argument("--show-skipped", action="store_true", help="list each skipped part")
    parser.add_argument(
        "--cold", action="store_true", help="disable the format cache (OASGEN_NO_CACHE=1)"
    )
    args = parser.parse_args()
    if args.cold:
        os.environ["OASGEN_NO_CACHE"] = "1"  # inherited by the worker processes
    specs = sorted(
        (p for p in CORPUS.iterdir() if p.is_file() and p.name not in NOT_SPECS),
        key=lambda p: (-p.stat().st_size, p.name),
    )
    names = [p.name for p in specs if not args.only or any(o in p.name for o in args.only)]
    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="oasgen-corpus-") as tmp,
        ProcessPoolExecutor(args.jobs) as pool,
    ):
        futures = [pool.submit(run_one, name, tmp, not args.no_mypy) for name in names]
        rows = [f.result() for f in futures]
    rows.sort(key=lambda r: str(r["spec"]))
    columns = [
        ("spec", "spec"),
        ("ops", "operations"),
        ("models", "models"),
        ("seconds", "gen s"),
        ("warnings", "warnings"),
        ("skipped", "skipped"),
        ("mypy", "mypy errors"),
    ]
    widths = [max(len(title), *(len(str(r[key])) for r in rows)) for key, title in columns]
    print("  ".join(title.ljust(w) for (_, title), w in zip(columns, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(row[key]).ljust(w) for (key, _), w in zip(columns, widths)))
    total_ops = sum(r["ops"] for r in rows if isinstance(r["ops"], int))
    failed = [r for r in rows if r["error"]]
    print(
        f"\n{len(rows)} specs, {total_ops} operations, {len(failed)} failed to generate, "
        f"{time.perf_counter() - started:.0f} s wall"
    )
    for row in failed:
        print(f"  {row['spec']}: {row['error']}")
    if args.show_skipped:
        for row in rows:
            for line in row["skipped_list"]:  # type: ignore[union-attr]
                print(f"  skipped: {line}")
    return 1 if failed or any(r["mypy"] not in (0, "-") for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
