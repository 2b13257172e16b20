"""The stages in order: load, validate, build the model, render, format, write.

Heavy stages (validator, jinja2, black) are imported only when reached, so a no-op run that the
manifest can answer stays fast.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.config import ClientConfig
from generator.diagnostics import Diagnostic, SpecError
from generator.output.writer import MANIFEST, Manifest, TreeDiff, compare, sha256

if TYPE_CHECKING:
    from generator.spec.loader import SpecSource


@dataclass
class Outcome:
    config: ClientConfig
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    diff: TreeDiff = field(default_factory=TreeDiff)
    up_to_date: bool = False  # answered from the manifest, nothing rendered
    operations: int = 0
    models: int = 0
    written: bool = False
    manifest: Manifest | None = None


class HandEditedError(Exception):
    def __init__(self, paths: list[str]) -> None:
        super().__init__(", ".join(paths))
        self.paths = paths


def _spec_hashes(paths: list[Path], base: Path) -> dict[str, str]:
    hashes = {}
    for path in paths:
        try:
            key = path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            key = path.resolve().as_posix()
        hashes[key] = sha256(path.read_bytes())
    return hashes


@functools.lru_cache(maxsize=1)
def _generator_fingerprint() -> str:
    """Our own code and templates: output depends on them as much as on the spec."""
    from generator.paths import templates_dir

    here = Path(__file__).parent
    parts = []
    for folder in (here, templates_dir()):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".j2"):
                parts.append(f"{path.relative_to(folder).as_posix()}={sha256(path.read_bytes())}")
    return sha256("|".join(parts))


def _config_hash(config: ClientConfig) -> str:
    # Which spec (relative to the output, so the hash is the same in every clone) is part of it:
    # pointing the same output at another spec must never look up to date.
    spec = os.path.relpath(config.spec.absolute(), config.output.absolute()).replace(os.sep, "/")
    text = f"spec={spec}|" + config.fingerprint() + "|" + _generator_fingerprint()
    if config.templates and config.templates.is_dir():
        for template in sorted(config.templates.rglob("*")):
            if template.is_file():
                text += f"|{template.relative_to(config.templates)}={sha256(template.read_bytes())}"
    return sha256(text)


def manifest_is_current(config: ClientConfig, previous: Manifest | None) -> bool:
    """True when spec, configuration, oasgen and every written file are as the manifest says."""
    if (
        previous is None
        or previous.oasgen != __version__
        or previous.config_hash != _config_hash(config)
    ):
        return False
    base = config.spec.parent
    for key, digest in previous.spec_hashes.items():
        path = base / key if not Path(key).is_absolute() else Path(key)
        try:
            if sha256(path.read_bytes()) != digest:
                return False
        except OSError:
            return False
    for rel, digest in previous.files.items():
        try:
            if sha256((config.output / rel).read_bytes()) != digest:
                return False
        except OSError:
            return False
    return True


def build(
    config: ClientConfig, progress: object = None, previous: Manifest | None = None
) -> Outcome:
    """Load, validate, model, render and format; nothing is written. `previous` (the manifest on
    disk) lets formatting reuse the files whose rendered text has not changed."""
    with _without_cyclic_gc():
        return _build(config, progress, previous)


@contextlib.contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Python's cyclic garbage collector walks the whole heap again and again while a big spec's
    millions of objects are allocated, for a third of the run's time; a run makes almost no
    reference cycles (their memory is reclaimed when the collector is back on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(config: ClientConfig, progress: object, previous: Manifest | None) -> Outcome:
    from generator.spec.background import start_validation
    from generator.spec.loader import load_spec
    from generator.spec.validator import check_document_kind, validate

    _report = getattr(progress, "stage", None) or (lambda *_: None)
    outcome = Outcome(config)
    _report("load", str(config.spec))
    source = load_spec(config.spec, allow_outside_refs=config.allow_outside_refs)
    kind = check_document_kind(source)
    if kind:
        raise SpecError(kind)
    _report("validate", "")
    if config.strict:  # fail fast, before any other work
        problems = validate(source)
        if problems:
            raise SpecError(problems)
        validation = None
    else:  # lenient: problems are warnings, found while the other stages run
        validation = start_validation(source, full=False)
    try:
        rendered = _model_and_render(source, config, outcome, _report)
        _report("format", f"{sum(1 for p in rendered if p.endswith('.py'))} files")
        outcome.files = _format_with_cache(rendered, config, previous)
        found = validation.result() if validation else []
    finally:
        if validation:
            validation.cancel()  # only does something when the run failed before the result
    outcome.diagnostics = _merge([_as_warning(d) for d in found], outcome.diagnostics)
    manifest = Manifest(
        oasgen=__version__,
        spec_hashes=_spec_hashes([d.path for d in source.documents.values()], config.spec.parent),
        config_hash=_config_hash(config),
        files={p: sha256(t) for p, t in outcome.files.items()},
        rendered={p: sha256(t) for p, t in rendered.items()},
        warnings=stored_warnings(outcome.diagnostics, config.output),
    )
    outcome.manifest = manifest
    return outcome


def diagnose(config: ClientConfig, paginated: list[str] | None = None) -> list[Diagnostic]:
    """What `generate` would report for this client, without rendering anything: `oasgen validate`.

    Lenient: the same validation as lenient generation (warnings) and the model builder's own
    warnings. Strict: openapi-spec-validator's full pass too, and every problem an error.
    `paginated` (`validate -v`) receives a line for each paginated operation, saying how."""
    from generator.model.builder import build_api
    from generator.spec.loader import load_spec
    from generator.spec.swagger2 import convert_if_swagger2
    from generator.spec.validator import check_document_kind, validate

    with _without_cyclic_gc():
        source = load_spec(config.spec, allow_outside_refs=config.allow_outside_refs)
        kind = check_document_kind(source)
        if kind:
            raise SpecError(kind)
        found = validate(source, full=config.strict)
        convert_if_swagger2(source)
        api, consequences = build_api(source, config)
    if paginated is not None:
        from generator.model.pagination import describe

        paginated += [
            f"{op.operation_id} ({op.method} {op.path}): {describe(op.pagination)}"
            for op in api.operations
            if op.pagination is not None
        ]
    if config.strict:
        return sorted(set(found) | {_as_error(d) for d in consequences})
    return _merge([_as_warning(d) for d in found], consequences)


def _model_and_render(
    source: SpecSource, config: ClientConfig, outcome: Outcome, report: Callable[[str, str], object]
) -> dict[str, str]:
    from generator.codegen.render import render_package
    from generator.model.builder import build_api
    from generator.spec.swagger2 import convert_if_swagger2

    convert_if_swagger2(source)
    report("model", "")
    api, warnings = build_api(source, config)
    if config.strict and warnings:
        raise SpecError([_as_error(d) for d in warnings])
    outcome.diagnostics = warnings
    outcome.operations, outcome.models = len(api.operations), len(api.definitions)
    report("render", f"{outcome.operations} operations, {outcome.models} models")
    return render_package(api, str(config.templates) if config.templates else None)


def _format_with_cache(
    rendered: dict[str, str], config: ClientConfig, previous: Manifest | None
) -> dict[str, str]:
    """Format only what changed since the last run: same rendered text, same formatted file."""
    from generator.codegen.render import RUNTIME_FILES
    from generator.format.formatter import format_files

    result: dict[str, str] = {}
    pending: dict[str, str] = {}
    for path, text in rendered.items():
        if path.rsplit("/", 1)[-1] in RUNTIME_FILES and config.templates is None:
            result[path] = text  # shipped pre-formatted (a test keeps them black-clean)
            continue
        cached = _cached_output(path, text, config.output, previous)
        if cached is not None:
            result[path] = cached
        else:
            pending[path] = text
    result.update(format_files(pending, config.formatter, laid_out=config.templates is None))
    return dict(sorted(result.items()))


def _cached_output(path: str, text: str, output: Path, previous: Manifest | None) -> str | None:
    if previous is None or previous.rendered.get(path) != sha256(text):
        return None
    try:
        data = (output / path).read_bytes()
    except OSError:
        return None
    if sha256(data) != previous.files.get(path):
        return None
    return data.decode("utf-8")


def _merge(found: list[Diagnostic], consequences: list[Diagnostic]) -> list[Diagnostic]:
    """The model builder's warnings say what the client does about a problem ("...; the value is
    typed Any"); one that repeats a validator's report at the same place replaces it."""

    def repeated(d: Diagnostic) -> bool:
        return any(
            (c.file, c.line, c.column) == (d.file, d.line, d.column)
            and c.message.startswith(d.message)
            for c in consequences
        )

    return sorted(set([d for d in found if not repeated(d)] + consequences))


def stored_warnings(diagnostics: list[Diagnostic], output: Path) -> list[dict[str, object]]:
    """The warnings as the manifest keeps them: each file relative to the output directory, so the
    manifest is the same whichever directory oasgen ran from."""
    stored = []
    for d in sorted(diagnostics):
        if d.severity != "warning":
            continue
        item = d.as_json()
        item["file"] = os.path.relpath(Path(d.file).absolute(), output.absolute()).replace(
            os.sep, "/"
        )
        del item["severity"]
        stored.append(item)
    return stored


def restored_warnings(manifest: Manifest | None, output: Path) -> list[Diagnostic]:
    """The warnings of the run that wrote the output, named as this run names files."""
    from generator.paths import display_path

    restored = []
    for item in manifest.warnings if manifest else []:
        try:
            path = Path(os.path.normpath(output.absolute() / str(item["file"])))
            restored.append(
                Diagnostic(
                    display_path(path),
                    int(str(item["line"])),
                    int(str(item["column"])),
                    "warning",
                    str(item["message"]),
                    str(item.get("pointer", "")),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue  # a manifest edited by hand: its warnings are lost, the files still count
    return restored


def _as_warning(d: Diagnostic) -> Diagnostic:
    return Diagnostic(d.file, d.line, d.column, "warning", d.message, d.pointer)


def _as_error(d: Diagnostic) -> Diagnostic:
    return Diagnostic(d.file, d.line, d.column, "error", d.message, d.pointer)


def generate(config: ClientConfig, *, force: bool = False, progress: object = None) -> Outcome:
    from generator.output.writer import crash_point, exclusive, recover, write_tree

    output = config.output.absolute()
    recover(output)  # an interrupted run's old tree comes back before anything else
    on_disk = Manifest.read(output)
    if not force and manifest_is_current(config, on_disk):
        return Outcome(config, restored_warnings(on_disk, config.output), up_to_date=True)
    outcome = build(config, progress, on_disk)
    manifest = outcome.manifest
    assert manifest is not None
    output.parent.mkdir(parents=True, exist_ok=True)
    # Compare and write under the folder's lock, against the tree as it is now: a concurrent run
    # may have written it since we started, and its files are not hand edits.
    with exclusive(output.parent):
        previous = Manifest.read(output)
        outcome.diff = compare(output, outcome.files, previous)
        if outcome.diff.hand_edited and not force:
            raise HandEditedError(outcome.diff.hand_edited)
        if outcome.diff.clean and previous is not None and previous.to_text() == manifest.to_text():
            return outcome
        crash_point("before-write")
        report = getattr(progress, "stage", None)
        if report:
            report(
                "write",
                f"{len(outcome.diff.added)} added, {len(outcome.diff.changed)} changed, "
                f"{len(outcome.diff.removed)} removed",
            )
        write_tree(output, outcome.files, manifest, previous, outcome.diff)
    outcome.written = True
    return outcome


def check(config: ClientConfig, progress: object = None) -> Outcome:
    """Regenerate in memory and compare with disk; writes nothing."""
    previous = Manifest.read(config.output)
    if manifest_is_current(config, previous):
        return Outcome(config, restored_warnings(previous, config.output), up_to_date=True)
    outcome = build(config, progress, previous)
    outcome.diff = compare(config.output, outcome.files, previous)
    manifest = outcome.manifest
    assert manifest is not None
    if outcome.diff.clean and (previous is None or previous.to_text() != manifest.to_text()):
        outcome.diff.changed.append(MANIFEST)
    return outcome
