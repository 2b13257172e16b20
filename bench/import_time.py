"""Import time of the generated `faxplus` package against the official Fax.Plus SDK.

Usage:
    .venv/bin/python bench/import_time.py [--runs 15]

The official SDK, `faxplus-api` 3.0.5 from PyPI (swagger-codegen; its import package is also named
`faxplus`), is installed by this script into its own venv, bench/.peer-venv/faxplus-api (gitignored).
The generated client runs from a second clean venv, bench/.peer-venv/oasgen-faxplus, holding only its
dependencies (httpx, pydantic, typing-extensions at the versions of .venv) as a user's would; the
package itself comes from generated/faxplus via PYTHONPATH, so the current tree is measured. (In the
dev .venv httpx also imports its CLI's rich/click/pygments, some 20 ms a user does not pay.)
Each measurement is a fresh interpreter timing one statement with perf_counter, so interpreter
start-up is left out; runs alternate between the two packages so both see the same machine state.

Printed, median of the runs, in milliseconds:
- `import faxplus`: the figure the goal is about (< 100 ms; the official SDK, ~210 ms);
- `from faxplus import FaxPlus`: the client class, which brings in httpx;
- ready to call: client built and one resource touched, which loads the models and pydantic.
  The official SDK has everything loaded after `import faxplus`, so its figure is that import.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEER_VENV = REPO / "bench" / ".peer-venv" / "faxplus-api"
PEER_PACKAGE = "faxplus-api==3.0.5"
OUR_VENV = REPO / "bench" / ".peer-venv" / "oasgen-faxplus"
OUR_DEPENDENCIES = ("httpx", "pydantic", "typing-extensions")
OURS = REPO / "generated" / "faxplus"

OUR_STATEMENTS = {
    "import faxplus": "import faxplus",
    "from faxplus import FaxPlus": "from faxplus import FaxPlus",
    "ready to call": "from faxplus import FaxPlus\nFaxPlus(access_token='x').outbox",
}
PEER_STATEMENTS = {
    "import faxplus": "import faxplus",
    "from faxplus import FaxPlus": "import faxplus",  # no lighter entry point exists
    "ready to call": "import faxplus\nfaxplus.OutboxApi(faxplus.ApiClient())",
}


def ensure_venv(venv: Path, requirements: list[str]) -> Path:
    python = venv / "bin" / "python"
    stamp = venv / "requirements.txt"
    wanted = "\n".join(requirements)
    if not python.exists() or not stamp.exists() or stamp.read_text() != wanted:
        venv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *requirements], check=True)
        stamp.write_text(wanted)
    return python


def our_requirements() -> list[str]:
    from importlib.metadata import version

    return [f"{name}=={version(name)}" for name in OUR_DEPENDENCIES]


def timed_ms(python: str, statement: str, env: dict[str, str]) -> float:
    code = (
        "import time\n"
        "_t = time.perf_counter()\n"
        f"{statement}\n"
        "print((time.perf_counter() - _t) * 1000)\n"
    )
    done = subprocess.run([python, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    peer_python = str(ensure_venv(PEER_VENV, [PEER_PACKAGE]))
    our_python = str(ensure_venv(OUR_VENV, our_requirements()))
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    our_env = {**base_env, "PYTHONPATH": str(OURS)}
    ours: dict[str, list[float]] = {name: [] for name in OUR_STATEMENTS}
    peer: dict[str, list[float]] = {name: [] for name in PEER_STATEMENTS}
    for name, statement in OUR_STATEMENTS.items():  # warm the file cache and .pyc files of both
        timed_ms(our_python, statement, our_env)
        timed_ms(peer_python, PEER_STATEMENTS[name], base_env)
    for _ in range(args.runs):
        for name, statement in OUR_STATEMENTS.items():
            ours[name].append(timed_ms(our_python, statement, our_env))
            peer[name].append(timed_ms(peer_python, PEER_STATEMENTS[name], base_env))
    print(f"median of {args.runs} fresh interpreters, ms (load average {os.getloadavg()[0]:.1f})")
    print(f"  {'':<30} {'oasgen':>8} {'faxplus-api 3.0.5':>18} {'ratio':>7}")
    for name in OUR_STATEMENTS:
        mine, theirs = statistics.median(ours[name]), statistics.median(peer[name])
        print(f"  {name:<30} {mine:8.1f} {theirs:18.1f} {mine / theirs:6.2f}x")
    goal = statistics.median(ours["import faxplus"])
    print(
        f"  goal: `import faxplus` < 100 ms: {'met' if goal < 100 else 'NOT met'} ({goal:.1f} ms)"
    )


if __name__ == "__main__":
    main()
