"""What `oasgen diff` compares: the surface of a spec file, of a spec at a git revision
(`HEAD~1:specs/api.yaml`), or of a committed client (its manifest, or the directory holding it,
also at a revision: `origin/main:generated/api`)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.config import ClientConfig
from generator.diagnostics import Diagnostic, SpecError
from generator.diff.surface import Surface, readable, spec_digest, surface_of
from generator.output.writer import MANIFEST

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


class InputError(Exception):
    """An argument names nothing that can be compared (exit 2)."""


@dataclass
class Side:
    label: str  # as the user named it
    surface: Surface
    warnings: list[Diagnostic] = dataclasses.field(default_factory=list)


# The configuration to read a spec with, given its path (a spec inside a git revision is named by
# where it stands in the working tree): the configured client's, so names match its client.
ConfigFor = Callable[[Path], ClientConfig]


def read_side(argument: str, config_for: ConfigFor) -> Side:
    path = Path(argument)
    if path.is_dir():
        return _manifest_side(argument, _read(path / MANIFEST, argument))
    if path.is_file():
        if path.name == MANIFEST:
            return _manifest_side(argument, _read(path, argument))
        return spec_side(argument, config_for(path))
    revision, sep, inside = argument.partition(":")
    if sep and revision and inside:
        return _revision_side(argument, revision, inside, config_for)
    raise InputError(
        f"oasgen: error: {argument}: no such file or directory (nor a git revision REV:PATH)"
    )


def spec_side(label: str, config: ClientConfig) -> Side:
    from generator.pipeline import load_model

    api, warnings, paths = load_model(config)
    return Side(label, surface_of(api, spec_digest(paths)), warnings)


def manifest_surface(text: str, label: str) -> Surface:
    try:
        data = json.loads(text)
    except ValueError:
        raise InputError(f"oasgen: error: {label}: not a manifest (invalid JSON)") from None
    surface = readable(data.get("surface") if isinstance(data, dict) else None)
    if surface is None:
        raise InputError(
            f"oasgen: error: {label}: the manifest records no API surface this oasgen reads "
            "(written by another version); regenerate the client to compare against it"
        )
    return surface


def _manifest_side(label: str, text: str) -> Side:
    return Side(label, manifest_surface(text, label))


def _read(path: Path, label: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"oasgen: error: {label}: cannot read {path}: {exc.strerror}") from None


# ---- git revisions ------------------------------------------------------------------------------


def _git(args: list[str], cwd: Path, label: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise InputError(f"oasgen: error: {label}: cannot run git: {exc.strerror}") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(
            f"oasgen: error: {label}: not a file, and git cannot read it as REV:PATH"
            + (f" ({detail[-1]})" if detail else "")
        )
    return done.stdout


def git_has(top: Path, revision: str, inside: str) -> bool:
    """Whether `inside` (a folder holding a manifest) is there at `revision`; a revision that
    does not exist is an error."""

    def succeeds(*args: str) -> bool:
        return (
            subprocess.run(["git", *args], cwd=top, capture_output=True, check=False).returncode
            == 0
        )

    if not succeeds("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"):
        raise InputError(f"oasgen: error: --against-committed {revision}: no such git revision")
    return succeeds("cat-file", "-e", f"{revision}:{inside}/{MANIFEST}")


def repository_path(inside: str, label: str) -> tuple[Path, str]:
    """The repository's top folder, and `inside` relative to it (git reads `REV:path` from the top,
    `REV:./path` from the current directory)."""
    cwd = Path.cwd()
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd, label).decode().strip())
    if inside.startswith(("./", "../")):
        here = cwd.resolve().relative_to(top.resolve())
        inside = (PurePosixPath(here.as_posix()) / inside).as_posix()
    parts: list[str] = []
    for part in PurePosixPath(inside).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return top, "/".join(parts)


def _revision_side(label: str, revision: str, inside: str, config_for: ConfigFor) -> Side:
    top, rel = repository_path(inside, label)
    kind = _git(["cat-file", "-t", f"{revision}:{rel}"], top, label).decode().strip()
    if kind == "tree":
        text = _git(["show", f"{revision}:{rel}/{MANIFEST}"], top, label)
        return _manifest_side(label, text.decode("utf-8", "replace"))
    if PurePosixPath(rel).name == MANIFEST:
        return _manifest_side(label, _git(["show", f"{revision}:{rel}"], top, label).decode())
    config = config_for(top / rel)
    with tempfile.TemporaryDirectory(prefix="oasgen-diff-") as folder:
        spec = _extract(revision, rel, top, Path(folder), config.allow_outside_refs, label)
        try:
            side = spec_side(label, dataclasses.replace(config, spec=spec))
        except SpecError as exc:
            raise SpecError(_renamed(exc.diagnostics, folder, revision)) from None
        side.warnings = _renamed(side.warnings, folder, revision)
        return side


def _extract(revision: str, rel: str, top: Path, folder: Path, anywhere: bool, label: str) -> Path:
    """The spec and the files it may `$ref` (spec-like files of its folder, or of the whole tree
    with `allow-outside-refs`), as they were at `revision`, under `folder`/tree."""
    parent = PurePosixPath(rel).parent.as_posix()
    scope = [] if anywhere or parent == "." else ["--", parent]
    listing = _git(["ls-tree", "-r", "-z", "--name-only", revision, *scope], top, label)
    names = [n for n in listing.decode("utf-8", "replace").split("\0") if n and "\n" not in n]
    wanted = sorted({rel, *(n for n in names if n.lower().endswith(SPEC_SUFFIXES))})
    # One `git cat-file --batch` for all of them: no limit on how many, nothing else read.
    request = "".join(f"{revision}:{name}\n" for name in wanted).encode()
    try:
        done = subprocess.run(
            ["git", "cat-file", "--batch"], cwd=top, input=request, capture_output=True, check=True
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise InputError(f"oasgen: error: {label}: git cannot read the revision ({exc})") from None
    data, at = done.stdout, 0
    for name in wanted:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue  # "missing" (a submodule, say): not a file of the spec
        size = int(header[2])
        target = folder / "tree" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data[at : at + size])
        at += size + 1
    return folder / "tree" / rel


def _renamed(diagnostics: list[Diagnostic], folder: str, revision: str) -> list[Diagnostic]:
    """Problems of an extracted spec, named as the user named it: `REV:path`."""
    prefix = str(Path(folder) / "tree") + "/"
    return [
        dataclasses.replace(d, file=revision + ":" + d.file[len(prefix) :])
        if d.file.startswith(prefix)
        else d
        for d in diagnostics
    ]
