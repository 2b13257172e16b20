"""Generation time and peak memory: oasgen against openapi-python-client, on corpus specs.

Usage:
    .venv/bin/python bench/generate.py [SPEC-NAME ...] [--all] [--runs 3] [--formatter black|ruff] [--no-peer]
                                           [--templates DIR]   # with template overrides
    .venv/bin/python bench/generate.py --regen stripe-spec3.yaml   # one-operation change, warm

Runs alternate (oasgen, peer, oasgen, peer ...) so both see the same machine state; prints per spec the
median wall time, peak memory (largest process of the run), the ratio oasgen/peer from the same runs,
and the parse floor (PyYAML C loader, or json for JSON). The peer, openapi-python-client 0.29.1, is
installed by this script into bench/.peer-venv. Cold oasgen runs disable its format cache.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
TEMPLATES = ""  # --templates: a directory of template overrides
PEER_VENV = REPO / "bench" / ".peer-venv"
PEER_VERSION = "0.29.1"
DEFAULT_SPECS = [
    "twilio-twilio_api_v2010.yaml",
    "openai-openapi.yaml",
    "plaid-2020-09-14.yml",
    "stripe-spec3.yaml",
    "github-api.github.com.json",
    "kubernetes-swagger.json",
]


def ensure_peer() -> Path:
    binary = PEER_VENV / "bin" / "openapi-python-client"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run(
            [
                str(PEER_VENV / "bin" / "pip"),
                "install",
                "-q",
                f"openapi-python-client=={PEER_VERSION}",
            ],
            check=True,
        )
    return binary


def timed(
    command: list[str], env: dict[str, str] | None = None, timeout: float = 900
) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB of the largest process, exit code) of one command."""
    started = time.perf_counter()
    wrapped = ["/usr/bin/time", "-f", "%M", *command] if Path("/usr/bin/time").exists() else command
    done = subprocess.run(  # the exit code is one of the figures
        wrapped, capture_output=True, text=True, env=env, timeout=timeout, check=False
    )
    wall = time.perf_counter() - started
    peak = 0.0
    lines = done.stderr.strip().splitlines()
    if lines and lines[-1].strip().isdigit():
        peak = int(lines[-1].strip()) / 1024
    return wall, peak, done.returncode


def parse_floor(spec: Path) -> float:
    code = (
        "import sys,time,json,yaml;t=time.perf_counter();p=sys.argv[1];s=open(p,'rb').read();"
        "json.loads(s) if p.endswith('.json') else yaml.load(s, Loader=yaml.CSafeLoader);"
        "print(time.perf_counter()-t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(spec)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def oasgen_command(spec: Path, out: Path, formatter: str) -> list[str]:
    templates = ["--templates", TEMPLATES] if TEMPLATES else []
    return [
        sys.executable,
        "-m",
        "generator",
        "generate",
        str(spec),
        "-o",
        str(out),
        "--package-name",
        "client",
        "--formatter",
        formatter,
        "-q",
        *templates,
    ]


def peer_command(binary: Path, spec: Path, out: Path) -> list[str]:
    return [str(binary), "generate", "--path", str(spec), "--output-path", str(out), "--overwrite"]


def bench_spec(spec: Path, runs: int, formatter: str, peer: Path | None) -> dict[str, object]:
    ours, theirs = [], []
    env = {**os.environ, "OASGEN_NO_CACHE": "1"}
    ok_ours = ok_theirs = True
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            wall, peak, code = timed(oasgen_command(spec, Path(tmp) / "out", formatter), env)
            ok_ours &= code == 0
            ours.append((wall, peak))
        if peer is not None:
            with tempfile.TemporaryDirectory() as tmp:
                wall, peak, code = timed(peer_command(peer, spec, Path(tmp) / "out"))
                ok_theirs &= code == 0
                theirs.append((wall, peak))
    floor = min(parse_floor(spec) for _ in range(2))
    row: dict[str, object] = {
        "spec": spec.name,
        "oasgen_s": statistics.median(w for w, _ in ours),
        "oasgen_mb": max(p for _, p in ours),
        "oasgen_ok": ok_ours,
        "floor_s": floor,
    }
    if theirs:
        row.update(
            peer_s=statistics.median(w for w, _ in theirs),
            peer_mb=max(p for _, p in theirs),
            peer_ok=ok_theirs,
        )
    return row


def bench_regeneration(spec: Path, runs: int, formatter: str) -> dict[str, object]:
    """Generate once (warm), then change one operation's summary and regenerate."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        copy = work / spec.name
        shutil.copy(spec, copy)
        out = work / "out"
        subprocess.run(oasgen_command(copy, out, formatter), check=True)
        times = []
        for run in range(runs):
            text = copy.read_text(encoding="utf-8")
            # One operation's description changes (the first one under `paths`).
            yaml_like = spec.suffix in (".yaml", ".yml")
            paths = text.index("\npaths:" if yaml_like else '"paths"')
            marker = "description: " if yaml_like else '"description": "'
            index = text.index(marker, paths) + len(marker)
            copy.write_text(text[:index] + f"Changed {run} " + text[index:], encoding="utf-8")
            wall, _, code = timed(oasgen_command(copy, out, formatter))
            if code != 0:
                raise SystemExit(f"regeneration failed for {spec.name}")
            times.append(wall)
    return {"spec": spec.name, "regen_s": statistics.median(times), "floor_s": parse_floor(spec)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("specs", nargs="*", default=DEFAULT_SPECS)
    parser.add_argument(
        "--all", action="store_true", help="every spec of the corpus, largest first"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formatter", default="black", choices=("black", "ruff"))
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument(
        "--templates", metavar="DIR", help="generate with this directory of template overrides"
    )
    parser.add_argument(
        "--regen", action="store_true", help="measure regeneration after a one-operation change"
    )
    args = parser.parse_args()
    global TEMPLATES
    TEMPLATES = str(Path(args.templates).resolve()) if args.templates else ""
    if not CORPUS.is_dir():
        raise SystemExit("../shared/corpus is absent")
    # oasgen as pip installs it, with its modules compiled (the peer's were, by pip, and an
    # editable checkout under PYTHONDONTWRITEBYTECODE never writes them).
    compileall.compile_dir(str(REPO / "generator"), quiet=1)
    if args.all:
        specs = [
            p
            for p in CORPUS.iterdir()
            if p.suffix in (".yaml", ".yml", ".json") and p.name != "external-shared.json"
        ]
        args.specs = [p.name for p in sorted(specs, key=lambda p: -p.stat().st_size)]
    peer = None if args.no_peer or args.regen else ensure_peer()
    rows = []
    for name in args.specs:
        spec = CORPUS / name
        row = (
            bench_regeneration(spec, args.runs, args.formatter)
            if args.regen
            else bench_spec(spec, args.runs, args.formatter, peer)
        )
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    print_table(rows, args)


def print_table(rows: list[dict[str, object]], args: argparse.Namespace) -> None:
    if args.regen:
        print(f"{'spec':40} {'regen s':>8} {'floor s':>8} {'x floor':>8}")
        for r in rows:
            print(
                f"{r['spec']:40} {r['regen_s']:8.2f} {r['floor_s']:8.2f} {r['regen_s'] / r['floor_s']:8.2f}"
            )
        return
    print(f"formatter: {args.formatter}; runs: {args.runs}; medians; peak = largest process")
    print(
        f"{'spec':40} {'oasgen s':>9} {'MB':>6} {'peer s':>8} {'MB':>6} {'ours/peer':>9} {'floor s':>8} "
        f"{'x floor':>8}"
    )
    for r in rows:
        peer_s = r.get("peer_s")
        ok = "" if r.get("peer_ok", True) else " (peer failed)"
        ours_ok = "" if r["oasgen_ok"] else " (oasgen FAILED)"
        ratio = f"{r['oasgen_s'] / peer_s:9.2f}" if peer_s else f"{'-':>9}"
        peer_text = f"{peer_s:8.2f} {r['peer_mb']:6.0f}" if peer_s else f"{'-':>8} {'-':>6}"
        print(
            f"{r['spec']:40} {r['oasgen_s']:9.2f} {r['oasgen_mb']:6.0f} {peer_text} {ratio} "
            f"{r['floor_s']:8.2f} {r['oasgen_s'] / r['floor_s']:8.2f}{ours_ok}{ok}"
        )
    both = [r for r in rows if r.get("peer_ok") and r["oasgen_ok"]]
    if both:
        ratios = sorted((r["oasgen_s"] / r["peer_s"], r["spec"]) for r in both)  # type: ignore[operator]
        print(
            f"both generate: {len(both)} specs; ours/peer from {ratios[0][0]:.2f} to {ratios[-1][0]:.2f} "
            f"(worst: {ratios[-1][1]}); at most 0.5: {sum(1 for x, _ in ratios if x <= 0.5)}"
        )


if __name__ == "__main__":
    main()
