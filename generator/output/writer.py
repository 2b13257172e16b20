"""Stage 6: write the output tree atomically, with a manifest, touching only what changed.

The new tree is built beside the old one (unchanged files and files oasgen never wrote are
hard-linked, so their mtimes stay) and swapped in with one rename. A crash at any point leaves
either the old tree or the new one in place, never a mixture.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".oasgen-manifest.json"
# Kept by oasgen when a client asks for it, but the user's as much as ours: it grows from the text
# on disk (hand edits stay), so the manifest records no hash of it and never calls it hand-edited.
CHANGELOG = "CHANGELOG.md"
# Tests kill the process at these named points (os._exit, like a crash or SIGKILL: no cleanup).
CRASH_POINTS = (
    "before-write",
    "staging-partial",
    "staging-built",
    "swapped",
    "fallback-moved-aside",
)


def crash_point(name: str) -> None:
    """Die here, abruptly, when OASGEN_TEST_CRASH_AT names this point (for the atomicity tests)."""
    if os.environ.get("OASGEN_TEST_CRASH_AT") == name:
        os._exit(99)


def sha256(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    oasgen: str = ""
    spec_hashes: dict[str, str] = field(default_factory=dict)
    config_hash: str = ""
    files: dict[str, str] = field(default_factory=dict)  # path -> sha256 of what was written
    rendered: dict[str, str] = field(
        default_factory=dict
    )  # path -> sha256 of the text before formatting
    # The spec's warnings (Diagnostic fields, the file relative to the output directory): a run that
    # the manifest answers reports them again, as the run that wrote the files did.
    warnings: list[dict[str, object]] = field(default_factory=list)
    # What user code sees of the client (generator.diff.surface), for `oasgen diff` and `check`.
    # As read, it stays text until asked for (`api_surface`): a no-op run never parses it. The
    # text is the one written; a manifest is not changed once made.
    surface: dict[str, object] | None = None
    surface_text: str = ""

    def api_surface(self) -> dict[str, object] | None:
        if self.surface is None and self.surface_text:
            try:
                parsed = json.loads(self.surface_text)
            except ValueError:
                parsed = None
            self.surface = parsed if isinstance(parsed, dict) else None
        return self.surface

    def to_text(self) -> str:
        data = {
            "oasgen": self.oasgen,
            "spec_hashes": dict(sorted(self.spec_hashes.items())),
            "config_hash": self.config_hash,
            "files": dict(sorted(self.files.items())),
            "rendered": dict(sorted(self.rendered.items())),
            "warnings": self.warnings,
        }
        text = json.dumps(data, indent=1, sort_keys=False)
        if not self.surface_text and self.surface is not None:  # laid out once, then kept
            self.surface_text = _lines_per_entry(self.surface)
        surface = self.surface_text
        return text[:-2] + _SURFACE + surface + "\n}\n" if surface else text + "\n"

    @classmethod
    def read(cls, directory: Path) -> Manifest | None:
        try:
            text = (directory / MANIFEST).read_text(encoding="utf-8")
            head, surface_text = _split_surface(text)
            try:
                data = json.loads(head)
            except ValueError:  # laid out otherwise after all: read whole
                data, surface_text = json.loads(text), ""
            return cls(
                oasgen=str(data.get("oasgen", "")),
                spec_hashes=dict(data.get("spec_hashes", {})),
                config_hash=str(data.get("config_hash", "")),
                files=dict(data.get("files", {})),
                rendered=dict(data.get("rendered", {})),
                warnings=[dict(w) for w in data.get("warnings", [])],
                surface=data["surface"] if isinstance(data.get("surface"), dict) else None,
                surface_text=surface_text,
            )
        except (OSError, ValueError, AttributeError, TypeError):
            return None


_SURFACE = ',\n "surface": '


def _split_surface(text: str) -> tuple[str, str]:
    """The manifest without its surface (the key oasgen writes last), and the surface's text;
    a manifest laid out otherwise (edited by hand) is read whole."""
    at = text.rfind(_SURFACE)
    if at < 0 or not text.endswith("\n}\n"):
        return text, ""
    return text[:at] + "\n}", text[at + len(_SURFACE) : -3]


def _lines_per_entry(surface: dict[str, object]) -> str:
    """The surface as JSON with one line per method, type or client key: compact, and a change
    to the API shows in a review of the committed manifest as the lines of what changed."""
    sections = []
    for key, value in surface.items():
        if isinstance(value, dict) and value:
            entries = ",\n".join(
                f"   {json.dumps(k)}: {json.dumps(v, separators=(',', ':'), ensure_ascii=False)}"
                for k, v in value.items()
            )
            sections.append(f"  {json.dumps(key)}: {{\n{entries}\n  }}")
        else:
            sections.append(f"  {json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(sections) + "\n }"


@dataclass
class TreeDiff:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    hand_edited: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.added or self.changed or self.removed or self.hand_edited)


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def compare(directory: Path, files: dict[str, str], previous: Manifest | None) -> TreeDiff:
    """How the tree on disk differs from `files` (the manifest file itself excluded)."""
    diff = TreeDiff()
    for path, text in sorted(files.items()):
        current = _read_bytes(directory / path)
        if current is None:
            diff.added.append(path)
        elif current != text.encode("utf-8"):
            diff.changed.append(path)
    old_files = previous.files if previous else {}
    for path, digest in sorted(old_files.items()):
        current = _read_bytes(directory / path)
        if current is not None and sha256(current) != digest:
            diff.hand_edited.append(path)
        if path not in files and current is not None:
            diff.removed.append(path)
    return diff


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    if os.environ.get("OASGEN_TEST_NO_EXCHANGE"):
        return False  # lets the tests exercise the fallback on Linux too
    import ctypes  # only when writing: a no-op run never pays for it
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def write_tree(
    directory: Path,
    files: dict[str, str],
    manifest: Manifest,
    previous: Manifest | None,
    diff: TreeDiff,
) -> None:
    """Replace the generated files in `directory` with `files`, atomically.

    `diff` is `compare(directory, files, previous)`, taken under `exclusive(directory.parent)`,
    which the caller still holds: files it found unchanged are linked, not read again."""
    directory = directory.absolute()
    _recover(directory)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.oasgen-new-", dir=directory.parent))
    try:
        unchanged = set(files) - set(diff.added) - set(diff.changed)
        _build_staging(staging, directory, files, manifest, previous, unchanged)
        crash_point("staging-built")
        _swap(staging, directory)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """One writer at a time per output folder: a second run waits instead of sweeping the first
    one's staging tree away as stale. A lock on the folder itself leaves no lock file behind."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock; runs into one folder must not overlap
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _build_staging(
    staging: Path,
    directory: Path,
    files: dict[str, str],
    manifest: Manifest,
    previous: Manifest | None,
    unchanged: set[str],
) -> None:
    ours = set(previous.files) if previous else set()
    if directory.is_dir():
        _carry_foreign(staging, directory, ours | set(files) | {MANIFEST})
    for count, (rel, text) in enumerate(files.items()):
        if count == len(files) // 2:
            crash_point("staging-partial")
        target = staging / rel
        if rel in unchanged:
            _link_or_copy(directory / rel, target)  # keep the old file and its mtime
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    (staging / MANIFEST).write_text(manifest.to_text(), encoding="utf-8")
    if directory.is_dir():
        os.chmod(staging, directory.stat().st_mode & 0o7777)
    else:
        os.chmod(staging, 0o755)


def _carry_foreign(staging: Path, directory: Path, generated: set[str]) -> None:
    """Everything oasgen never wrote comes along as it is: files as hard links (same inode, same
    mtime), symlinks as symlinks, and directories even when empty."""
    for root, dirs, names in os.walk(directory):
        for name in list(dirs):
            source = Path(root) / name
            target = staging / source.relative_to(directory)
            if source.is_symlink():
                dirs.remove(name)  # not followed: it is the user's link, not our tree
                target.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(os.readlink(source), target)
            else:
                target.mkdir(parents=True, exist_ok=True)
        for name in names:
            source = Path(root) / name
            rel = source.relative_to(directory).as_posix()
            if rel in generated:
                continue
            if source.is_symlink():
                (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                os.symlink(os.readlink(source), staging / rel)
            else:
                _link_or_copy(source, staging / rel)


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _swap(staging: Path, directory: Path) -> None:
    if not directory.exists():
        os.rename(staging, directory)
        return
    if _exchange(staging, directory):
        crash_point("swapped")
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old tree
        return
    # Two renames: between them the output is missing, and `recover` puts the old tree back.
    backup = directory.with_name(f".{directory.name}.oasgen-old")
    os.rename(directory, backup)
    crash_point("fallback-moved-aside")
    os.rename(staging, directory)
    crash_point("swapped")
    shutil.rmtree(backup, ignore_errors=True)


def recover(directory: Path) -> None:
    """Finish what an interrupted run left: restore a backup or drop stale staging trees."""
    if directory.parent.is_dir():
        with exclusive(directory.parent):
            _recover(directory)


def _recover(directory: Path) -> None:
    backup = directory.with_name(f".{directory.name}.oasgen-old")
    if backup.exists():
        if directory.exists():
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.rename(backup, directory)
    for stale in directory.parent.glob(f".{directory.name}.oasgen-new-*"):
        shutil.rmtree(stale, ignore_errors=True)
