"""Nine everyday tasks with the official `openai` SDK and with the client oasgen generates from the
same spec (issue 17's comparison), against the same mock server.

Usage:
    .venv/bin/python bench/sdk_compare.py [--calls 200] [--rounds 5] [--import-runs 9]

Needs the network once: the official SDK (`openai` 3.51.0 from PyPI) is installed into its own venv,
bench/.peer-venv/openai-sdk, and our client's dependencies (httpx, pydantic, typing-extensions at the
versions of .venv) into bench/.peer-venv/oasgen-openai, where the client generated from
../shared/corpus/openai-openapi.yaml (into a temporary directory, with the current tree) is copied:
each side runs as a user has it installed. No test depends on this script.

Both sides get an `http_client=` whose httpx.MockTransport answers from the same handler (below),
so neither pays for sockets. For each task the table prints the call as the user writes it on each
side, whether it works (it returns the expected answer), whether the user's script type-checks
(`mypy --strict` and pyright strict, a script per side, errors attributed to the task whose lines
they fall in), and the median time per call (rounds of `--calls` calls, alternating sides, each in a
fresh process). Then import time: fresh interpreters, median of `--import-runs`, alternating.

The calls of our side are in ONE place, `OURS`: they are written against the surface issue 17
promises (flattened keyword arguments, `stream=True`, `purpose="batch"`), so the table says, task by
task, what does not work yet. Adjust them there when the surface changes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO.parent / "shared" / "corpus" / "openai-openapi.yaml"
PEER_VENV = REPO / "bench" / ".peer-venv" / "openai-sdk"
PEER_PACKAGE = "openai==3.51.0"
OUR_VENV = REPO / "bench" / ".peer-venv" / "oasgen-openai"
OUR_DEPENDENCIES = ("httpx", "pydantic", "typing-extensions")
OUR_PACKAGE, OUR_CLIENT = "openai_oas", "OpenAI"
PYRIGHT = REPO / "node_modules" / "pyright" / "index.js"

# ---- the tasks -----------------------------------------------------------------------------------
# key: (title, check of the returned value, as Python source evaluated on `result`)
TASKS = {
    "chat": ("chat completion", "result == 'Hello!'"),
    "stream": ("streaming chat (`stream=True`)", "result == 'Hello world'"),
    "upload": ('upload a file, `purpose="batch"`', "result == 'file-abc'"),
    "list_models": ("list models (every page)", "result == ['gpt-4o', 'gpt-4o-mini']"),
    "embedding": ("create an embedding", "result == [0.1, 0.2, 0.3]"),
    "retrieve": ("retrieve a model", "result == 'openai'"),
    "error": (
        "an error (404, OpenAI's error body)",
        (
            "result is not None and result[0] == 404 and 'does not exist' in str(result[1])"
            " and result[2] == 'model_not_found' and result[3] == 'req_123'"
        ),
    ),
    "moderation": ("a moderation", "result is True"),
    "fine_tuning": ("fine-tuning jobs, 2 pages", "result == ['ftjob-1', 'ftjob-2', 'ftjob-3']"),
}
MESSAGES = '[{"role": "user", "content": "hi"}]'

OFFICIAL_HEADER = "from openai import NotFoundError, OpenAI\n"
OFFICIAL = {
    "chat": f"""completion = client.chat.completions.create(model="gpt-4o-mini", messages={MESSAGES}, temperature=0.2)
return completion.choices[0].message.content""",
    "stream": f"""stream = client.chat.completions.create(model="gpt-4o-mini", messages={MESSAGES}, stream=True)
return "".join(chunk.choices[0].delta.content or "" for chunk in stream)""",
    "upload": """file = client.files.create(file=("batch.jsonl", b"{}\\n"), purpose="batch")
return file.id""",
    "list_models": "return [model.id for model in client.models.list()]",
    "embedding": """embedding = client.embeddings.create(model="text-embedding-3-small", input="hi")
return embedding.data[0].embedding""",
    "retrieve": 'return client.models.retrieve("gpt-4o").owned_by',
    "error": """try:
    client.models.retrieve("nope")
except NotFoundError as e:
    return (e.status_code, e.message, e.code, e.request_id)
return None""",
    "moderation": """moderation = client.moderations.create(input="I want to hurt them.")
return moderation.results[0].flagged""",
    "fine_tuning": "return [job.id for job in client.fine_tuning.jobs.list(limit=2)]",
}

# OUR SIDE: the one place to adjust (the surface of issue 17).
OURS_HEADER = f"from {OUR_PACKAGE} import NotFoundError, {OUR_CLIENT} as OpenAI\n"
OURS = {
    "chat": f"""completion = client.chat.create_chat_completion(model="gpt-4o-mini", messages={MESSAGES}, temperature=0.2)
return completion.choices[0].message.content""",
    "stream": f"""stream = client.chat.create_chat_completion(model="gpt-4o-mini", messages={MESSAGES}, stream=True)
return "".join(chunk.choices[0].delta.content or "" for chunk in stream)""",
    "upload": """file = client.files.create_file(file=("batch.jsonl", b"{}\\n"), purpose="batch")
return file.id""",
    "list_models": "return [model.id for model in client.models.list_models().data]",
    "embedding": """embedding = client.embeddings.create_embedding(model="text-embedding-3-small", input="hi")
return embedding.data[0].embedding""",
    "retrieve": 'return client.models.retrieve_model(model="gpt-4o").owned_by',
    "error": """try:
    client.models.retrieve_model(model="nope")
except NotFoundError as e:
    return (e.status_code, e.body.error.message, e.code, e.request_id)
return None""",
    "moderation": """moderation = client.moderations.create_moderation(input="I want to hurt them.")
return moderation.results[0].flagged""",
    "fine_tuning": "return [job.id for job in client.fine_tuning.list_paginated_fine_tuning_jobs(limit=2)]",
}
SIDES = {"official": (OFFICIAL_HEADER, OFFICIAL), "ours": (OURS_HEADER, OURS)}
# How each side's client is made (the same base URL, key and mock transport).
MAKE_CLIENT = {
    "official": 'OpenAI(api_key="sk-test", base_url=BASE_URL, http_client=http, max_retries=0)',
    "ours": 'OpenAI(access_token="sk-test", base_url=BASE_URL, http_client=http, max_retries=0)',
}

# ---- the mock server (a module of its own in each side's process) -------------------------------
MOCK = r"""
import json

try:  # openai 3.x brings its own fork of httpx
    import httpx2 as httpx
except ImportError:
    import httpx

BASE_URL = "http://api.test/v1"
CREATED = 1700000000
CHAT = {"id": "chatcmpl-1", "object": "chat.completion", "created": CREATED, "model": "gpt-4o-mini",
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                     "message": {"role": "assistant", "content": "Hello!", "refusal": None}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
def chunk(text, finish=None):
    return {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": CREATED,
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish,
                         "logprobs": None}]}
EVENTS = b"".join(b"data: " + json.dumps(c).encode() + b"\n\n"
                  for c in [chunk("Hello"), chunk(" world"), chunk(None, "stop")]) + b"data: [DONE]\n\n"
FILE = {"id": "file-abc", "object": "file", "bytes": 3, "created_at": CREATED,
        "filename": "batch.jsonl", "purpose": "batch", "status": "processed"}
def model(id):
    return {"id": id, "object": "model", "created": CREATED, "owned_by": "openai"}
MODELS = {"object": "list", "data": [model("gpt-4o"), model("gpt-4o-mini")]}
EMBEDDING = {"object": "list", "model": "text-embedding-3-small",
             "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2, 0.3]}],
             "usage": {"prompt_tokens": 1, "total_tokens": 1}}
CATEGORIES = ["hate", "hate/threatening", "harassment", "harassment/threatening", "illicit",
              "illicit/violent", "self-harm", "self-harm/intent", "self-harm/instructions",
              "sexual", "sexual/minors", "violence", "violence/graphic"]
MODERATION = {"id": "modr-1", "model": "omni-moderation-latest", "results": [{
    "flagged": True, "categories": {c: c == "violence" for c in CATEGORIES},
    "category_scores": {c: 0.9 if c == "violence" else 0.01 for c in CATEGORIES},
    "category_applied_input_types": {c: ["text"] for c in CATEGORIES}}]}
def job(n):
    return {"id": f"ftjob-{n}", "object": "fine_tuning.job", "created_at": CREATED, "error": None,
            "fine_tuned_model": None, "finished_at": None, "model": "gpt-4o-mini",
            "hyperparameters": {"n_epochs": "auto", "batch_size": "auto",
                                "learning_rate_multiplier": "auto"},
            "organization_id": "org-1", "result_files": [], "status": "queued",
            "trained_tokens": None, "training_file": "file-abc", "validation_file": None,
            "seed": 1}
NOT_FOUND = {"error": {"message": "The model 'nope' does not exist", "type": "invalid_request_error",
                       "param": "model", "code": "model_not_found"}}

def answer(request):
    path, method = request.url.path.removeprefix("/v1"), request.method
    request.read()
    if (method, path) == ("POST", "/chat/completions"):
        if json.loads(request.content).get("stream"):
            return httpx.Response(200, content=EVENTS, headers={"content-type": "text/event-stream"})
        return httpx.Response(200, json=CHAT)
    if (method, path) == ("POST", "/files"):
        return httpx.Response(200, json=FILE)
    if (method, path) == ("GET", "/models"):
        return httpx.Response(200, json=MODELS)
    if (method, path) == ("GET", "/models/gpt-4o"):
        return httpx.Response(200, json=model("gpt-4o"))
    if (method, path) == ("POST", "/embeddings"):
        return httpx.Response(200, json=EMBEDDING)
    if (method, path) == ("POST", "/moderations"):
        return httpx.Response(200, json=MODERATION)
    if (method, path) == ("GET", "/fine_tuning/jobs"):
        after = request.url.params.get("after")
        page = [job(3)] if after == "ftjob-2" else [job(1), job(2)]
        return httpx.Response(200, json={"object": "list", "data": page, "has_more": after is None})
    return httpx.Response(404, json=NOT_FOUND, headers={"x-request-id": "req_123"})

http = httpx.Client(transport=httpx.MockTransport(answer))
"""


def tasks_module(side: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """The user's script of one side: a function per task; and the lines each function spans."""
    header, calls = SIDES[side]
    lines = ["from __future__ import annotations", "", header.strip(), "", ""]
    spans = {}
    for key, code in calls.items():
        first = len(lines) + 1
        lines.append(f"def task_{key}(client: OpenAI) -> object:")
        lines += ["    " + line for line in code.splitlines()]
        spans[key] = (first, len(lines))
        lines += ["", ""]
    return "\n".join(lines), spans


# ---- the worker (runs in each side's venv) -------------------------------------------------------
WORKER = r"""
import json, sys, time, traceback
sys.path.insert(0, sys.argv[1])
from mock import BASE_URL, http
import tasks
from tasks import OpenAI
mode, calls = sys.argv[2], int(sys.argv[3])
checks = json.loads(sys.argv[4])
client = eval(sys.argv[5])
report = {}
for key, check in checks.items():
    task = getattr(tasks, f"task_{key}")
    try:
        result = task(client)
    except Exception as error:
        report[key] = {"works": False, "why": f"{type(error).__name__}: {error}"[:160]}
        continue
    if not eval(check, {"result": result}):
        report[key] = {"works": False, "why": f"returned {result!r}"[:160]}
        continue
    report[key] = {"works": True, "result": repr(result)[:300]}
    if mode == "time":
        started = time.perf_counter()
        for _ in range(calls):
            task(client)
        report[key]["us"] = (time.perf_counter() - started) / calls * 1e6
print(json.dumps(report))
"""


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


def site_packages(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(
        subprocess.run(
            [str(python), "-c", code], check=True, capture_output=True, text=True
        ).stdout.strip()
    )


def our_python(work: Path) -> Path:
    """Our client generated from the corpus spec with the current tree, installed in its venv."""
    from importlib.metadata import version

    python = ensure_venv(OUR_VENV, [f"{name}=={version(name)}" for name in OUR_DEPENDENCIES])
    out = work / "generated"
    subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SPEC), "-o", str(out), "-q"]
        + ["--package-name", OUR_PACKAGE, "--client-name", OUR_CLIENT, "--formatter", "ruff"],
        check=True,
        cwd=REPO,
    )
    target = site_packages(python) / OUR_PACKAGE
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(out / OUR_PACKAGE, target)
    return python


def side_dir(work: Path, side: str) -> tuple[Path, dict[str, tuple[int, int]]]:
    folder = work / side
    folder.mkdir(exist_ok=True)
    text, spans = tasks_module(side)
    (folder / "tasks.py").write_text(text + "\n")
    (folder / "mock.py").write_text(MOCK)
    (folder / "worker.py").write_text(WORKER)
    return folder, spans


def run_worker(
    python: Path, folder: Path, side: str, mode: str, calls: int
) -> dict[str, dict[str, object]]:
    checks = {key: check for key, (_, check) in TASKS.items()}
    ran = subprocess.run(
        [
            str(python),
            str(folder / "worker.py"),
            str(folder),
            mode,
            str(calls),
            json.dumps(checks),
            MAKE_CLIENT[side],
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if ran.returncode:
        raise SystemExit(f"{side} worker failed:\n{ran.stderr[-3000:]}")
    return json.loads(ran.stdout)


def type_errors(
    python: Path, folder: Path, spans: dict[str, tuple[int, int]]
) -> dict[str, dict[str, list[str]]]:
    """The mypy --strict and pyright strict errors of a side's script, by task."""
    found: dict[str, dict[str, list[str]]] = {key: {"mypy": [], "pyright": []} for key in spans}

    def attribute(checker: str, line: int, message: str) -> None:
        for key, (first, last) in spans.items():
            if first <= line <= last:
                found[key][checker].append(message)

    mypy = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-executable",
            str(python),
            "--no-error-summary",
        ]
        + ["--cache-dir", str(folder / ".mypy_cache"), "tasks.py"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    for row in mypy.stdout.splitlines():
        parts = row.split(":", 3)
        if len(parts) == 4 and parts[2].strip() == "error":
            attribute("mypy", int(parts[1]), parts[3].strip())
    if PYRIGHT.is_file():
        venv = python.parent.parent
        config = {"typeCheckingMode": "strict", "venvPath": str(venv.parent), "venv": venv.name}
        (folder / "pyrightconfig.json").write_text(json.dumps(config))
        pyright = subprocess.run(
            ["node", str(PYRIGHT), "--outputjson", "tasks.py"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        for diagnostic in json.loads(pyright.stdout or "{}").get("generalDiagnostics", []):
            if diagnostic["severity"] == "error":
                attribute(
                    "pyright", diagnostic["range"]["start"]["line"] + 1, diagnostic["message"]
                )
    return found


def import_times(pythons: dict[str, Path], runs: int) -> dict[str, dict[str, float]]:
    statements = {
        "official": {
            "import": "import openai",
            "client ready": "from openai import OpenAI\nOpenAI(api_key='x').chat",
        },
        "ours": {
            "import": f"import {OUR_PACKAGE}",
            "client ready": f"from {OUR_PACKAGE} import {OUR_CLIENT}\n{OUR_CLIENT}(access_token='x').chat",
        },
    }
    samples: dict[str, dict[str, list[float]]] = {
        side: {k: [] for k in s} for side, s in statements.items()
    }
    for _ in range(runs):
        for side, python in pythons.items():
            for what, statement in statements[side].items():
                code = f"import time\nt = time.perf_counter()\n{statement}\nprint(time.perf_counter() - t)"
                ran = subprocess.run(
                    [str(python), "-c", code], capture_output=True, text=True, check=True
                )
                samples[side][what].append(float(ran.stdout) * 1000)
    return {side: {k: statistics.median(v) for k, v in s.items()} for side, s in samples.items()}


def shown(code: str) -> str:
    """A task's call as one table cell."""
    kept = [
        line.strip()
        for line in code.splitlines()
        if line.strip() and not line.strip().startswith("return None")
    ]
    return "`" + " ⏎ ".join(kept).replace("|", "\\|") + "`"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=200, help="calls per task per round")
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds, alternating sides")
    parser.add_argument("--import-runs", type=int, default=9)
    args = parser.parse_args()
    pythons = {"official": ensure_venv(PEER_VENV, [PEER_PACKAGE])}
    with tempfile.TemporaryDirectory(prefix="sdk-compare-") as temp:
        work = Path(temp)
        pythons["ours"] = our_python(work)
        folders = {side: side_dir(work, side) for side in SIDES}
        works = {
            side: run_worker(pythons[side], folders[side][0], side, "check", 0) for side in SIDES
        }
        typing = {side: type_errors(pythons[side], *folders[side]) for side in SIDES}
        timings: dict[str, dict[str, list[float]]] = {
            side: {key: [] for key in TASKS} for side in SIDES
        }
        for _ in range(args.rounds):
            for side in SIDES:
                for key, result in run_worker(
                    pythons[side], folders[side][0], side, "time", args.calls
                ).items():
                    if "us" in result:
                        timings[side][key].append(float(result["us"]))  # type: ignore[arg-type]
        imports = import_times(pythons, args.import_runs)
    print(f"oasgen client of {SPEC.name} against {PEER_PACKAGE}; MockTransport on both sides")
    print(
        f"per call: median of {args.rounds} rounds of {args.calls} calls; imports: median of {args.import_runs} fresh interpreters\n"
    )
    print(
        "| task | official SDK | ours | works (official / ours) | mypy --strict (official / ours) | pyright strict (official / ours) | µs per call (official / ours) |"
    )
    print("|---|---|---|---|---|---|---|")
    notes = []
    for key, (title, _) in TASKS.items():
        cells = [title, shown(OFFICIAL[key]), shown(OURS[key])]
        cells.append(" / ".join("yes" if works[side][key]["works"] else "**no**" for side in SIDES))
        for checker in ("mypy", "pyright"):
            counts = [len(typing[side][key][checker]) for side in SIDES]
            cells.append(
                " / ".join("clean" if n == 0 else f"**{n} error{'s' * (n > 1)}**" for n in counts)
            )
        micros = [
            statistics.median(timings[side][key]) if timings[side][key] else None for side in SIDES
        ]
        cell = " / ".join(f"{m:.0f}" if m is not None else "-" for m in micros)
        if all(m is not None for m in micros):
            cell += f" ({micros[1] / micros[0]:.2f}x)"  # type: ignore[operator]
        cells.append(cell)
        print("| " + " | ".join(cells) + " |")
        for side in SIDES:
            if not works[side][key]["works"]:
                notes.append(f"- {title}, {side}: {works[side][key]['why']}")
            for checker in ("mypy", "pyright"):
                for message in typing[side][key][checker][:2]:
                    notes.append(f"- {title}, {side}, {checker}: {message[:200]}")
    print("\n| import (ms) | official SDK | ours | ratio |\n|---|---|---|---|")
    for what in imports["official"]:
        theirs, ours = imports["official"][what], imports["ours"][what]
        print(f"| {what} | {theirs:.1f} | {ours:.1f} | {theirs / ours:.1f}x faster |")
    print("\nWhat the user reads from the 404 (status, message, code, request id):")
    for side in SIDES:
        print(f"- {side}: {works[side]['error'].get('result', works[side]['error'].get('why'))}")
    if notes:
        print("\nWhat fails:\n" + "\n".join(notes))


if __name__ == "__main__":
    os.environ.pop("PYTHONPATH", None)
    main()
