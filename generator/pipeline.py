"""The stages in order: read the spec (load, validate, convert Swagger 2.0: spec/), build the model
(model/), render (codegen/), format (format/), write (output/).

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
from generator.output.warnings import restored_warnings, stored_warnings
from generator.output.writer import CHANGELOG, MANIFEST, Manifest, TreeDiff, compare, sha256

if TYPE_CHECKING:
    from generator.model.api import Api
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
    surface: dict[str, object] | None = None  # what user code sees of the client (generator.diff)
    templates: dict[str, str] = field(default_factory=dict)  # path: the template it comes from


class HandEditedError(Exception):
    def __init__(self, paths: list[str]) -> None:
        super().__init__(", ".join(paths))
        self.paths = paths


def _spec_hashes(paths: list[Path], base: Path) -> dict[str, str]:
    hashes = {}
    for path in paths:
        # Relative to the spec even when outside its folder (`../overlays/fix.yaml`), so the
        # manifest is the same in every clone.
        try:
            key = os.path.relpath(path.resolve(), base.resolve()).replace(os.sep, "/")
        except ValueError:  # another drive
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
    from generator.spec.background import Background, start_validation
    from generator.spec.read import read_spec
    from generator.spec.validator import validate

    _report = getattr(progress, "stage", None) or (lambda *_: None)
    outcome = Outcome(config)

    def validation(source: SpecSource) -> Background[list[Diagnostic]] | None:
        _report("validate", "")
        if config.strict:  # fail fast, before any other work
            problems = validate(source)
            if problems:
                raise SpecError(problems)
            return None
        # lenient: problems are warnings, found while the other stages run
        return start_validation(source, full=False)

    _report("load", str(config.spec))
    source, validation_run = read_spec(
        config.spec, validation, config.allow_outside_refs, config.overlays
    )
    try:
        rendered = _model_and_render(source, config, outcome, _report, previous)
        _report("format", f"{sum(1 for p in rendered if p.endswith('.py'))} files")
        outcome.files = _format_with_cache(rendered, config, previous, outcome.templates)
        found = validation_run.result() if validation_run else []
    finally:
        if validation_run:
            validation_run.cancel()  # only does something when the run failed before the result
    outcome.diagnostics = _merge([_as_warning(d) for d in found], outcome.diagnostics)
    manifest = Manifest(
        oasgen=__version__,
        spec_hashes=_spec_hashes(
            [d.path for d in [*source.documents.values(), *source.overlays]], config.spec.parent
        ),
        config_hash=_config_hash(config),
        files={p: sha256(t) for p, t in outcome.files.items() if p != CHANGELOG},
        rendered={p: sha256(t) for p, t in rendered.items() if p != CHANGELOG},
        warnings=stored_warnings(outcome.diagnostics, config.output),
        surface=outcome.surface,
    )
    outcome.manifest = manifest
    return outcome


def load_source(config: ClientConfig) -> SpecSource:
    """The spec as the client sees it, before validation: loaded, then edited by the configured
    overlays in order."""
    from generator.spec.read import load_overlaid

    return load_overlaid(config.spec, config.allow_outside_refs, config.overlays)


def diagnose(config: ClientConfig, paginated: list[str] | None = None) -> list[Diagnostic]:
    """What `generate` would report for this client, without rendering anything: `oasgen validate`.

    Lenient: the same validation as lenient generation (warnings) and the model builder's own
    warnings. Strict: openapi-spec-validator's full pass too, and every problem an error.
    `paginated` (`validate -v`) receives a line for each paginated operation, saying how."""
    from generator.model.builder import build_api
    from generator.spec.read import read_spec
    from generator.spec.validator import validate

    with _without_cyclic_gc():
        source, found = read_spec(
            config.spec,
            lambda source: validate(source, full=config.strict),
            config.allow_outside_refs,
            config.overlays,
        )
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
    source: SpecSource,
    config: ClientConfig,
    outcome: Outcome,
    report: Callable[[str, str], object],
    previous: Manifest | None,
) -> dict[str, str]:
    from generator.codegen.render import render_package
    from generator.diff.release import plan_release
    from generator.diff.surface import spec_digest, surface_of
    from generator.model.builder import build_api

    report("model", "")
    api, warnings = build_api(source, config)
    if config.strict and warnings:
        raise SpecError([_as_error(d) for d in warnings])
    outcome.diagnostics = warnings
    outcome.operations, outcome.models = len(api.operations), len(api.definitions)
    outcome.surface = surface_of(api, spec_digest(d.path for d in source.documents.values()))
    release = plan_release(config, previous, outcome.surface, api) if config.changelog else None
    report("render", f"{outcome.operations} operations, {outcome.models} models")
    files = render_package(
        api,
        str(config.templates) if config.templates else None,
        dist_version=release.version if release else None,
        sources=outcome.templates,
    )
    if release:
        files[CHANGELOG] = release.changelog
    return files


def load_model(config: ClientConfig) -> tuple[Api, list[Diagnostic], list[Path]]:
    """The model of a client's spec, read as `generate` reads it, with the model builder's
    warnings and the spec's files: for `oasgen diff`, which renders nothing. Strict: every
    problem is an error (SpecError), as in `generate --strict`."""
    from generator.model.builder import build_api
    from generator.spec.read import read_spec
    from generator.spec.validator import validate

    def strict_validation(source: SpecSource) -> None:
        problems = validate(source) if config.strict else []
        if problems:
            raise SpecError(problems)

    with _without_cyclic_gc():
        source, _ = read_spec(
            config.spec, strict_validation, config.allow_outside_refs, config.overlays
        )
        api, warnings = build_api(source, config)
    if config.strict and warnings:
        raise SpecError([_as_error(d) for d in warnings])
    return api, warnings, [d.path for d in source.documents.values()]


def _format_with_cache(
    rendered: dict[str, str],
    config: ClientConfig,
    previous: Manifest | None,
    templates: dict[str, str],
) -> dict[str, str]:
    """Format only what changed since the last run: same rendered text, same formatted file."""
    from generator.codegen.render import RUNTIME_FILES
    from generator.overrides import format_rendered

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
    result.update(format_rendered(pending, config, templates))
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
