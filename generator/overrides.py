"""Template overrides and the formatter's fast path.

oasgen's own templates lay code out as black does, so the formatter hands black only the few
statements it could still change (`formatter.needs_formatting`). An override (`templates = "dir"`)
keeps that fast path when it, too, lays code out as black does: each overridden template is rendered
from a small probe API (probe.yaml, every shape the views give templates) and its output formatted
whole; if the formatter changes nothing, the real output of that template takes the fast path. If
it changes something, the files of that template are formatted whole, as before, and only those:
the files of the templates that were not overridden keep the fast path in any case.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from pathlib import Path

from generator.config import ClientConfig

PROBE_SPEC = Path(__file__).parent / "probe.yaml"


def overridden(override: Path) -> frozenset[str]:
    """The names of the shipped templates (and runtime files) that `override` replaces."""
    from generator.paths import templates_dir

    shipped = templates_dir()
    return frozenset(
        path.relative_to(override).as_posix()
        for path in override.rglob("*")
        if path.is_file() and (shipped / path.relative_to(override)).is_file()
    )


def format_rendered(
    files: Mapping[str, str], config: ClientConfig, templates: Mapping[str, str]
) -> dict[str, str]:
    """`files` formatted with the configured formatter. `templates`: the template each path was
    rendered from (a runtime file: `runtime/<name>`)."""
    from generator.format.formatter import format_files

    if config.templates is None or not files:
        return format_files(files, config.formatter, laid_out=True)
    laid_out = _laid_out_templates(Path(config.templates), config.formatter)
    fast = {p: t for p, t in files.items() if templates.get(p, "") not in laid_out[1]}
    whole = {p: t for p, t in files.items() if p not in fast}
    return {
        **format_files(fast, config.formatter, laid_out=True),
        **format_files(whole, config.formatter, laid_out=False),
    }


def _laid_out_templates(override: Path, formatter: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the overridden templates whose output takes the fast path, those formatted whole)."""
    digest = hashlib.sha256()  # of every file there: an override may include its own macros
    for path in sorted(p for p in override.rglob("*") if p.is_file()):
        name = path.relative_to(override).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return _probe(str(override), formatter, digest.hexdigest())


@functools.lru_cache(maxsize=8)
def _probe(override: str, formatter: str, _digest: str) -> tuple[frozenset[str], frozenset[str]]:
    """Render the probe API with the override and format each overridden template's output whole
    (`_digest`, of the override files, keys the cache: an edited override is probed again)."""
    from generator.codegen.render import render_package
    from generator.format.formatter import format_files
    from generator.model.builder import build_api
    from generator.spec.loader import load_spec

    names = overridden(Path(override))
    if formatter == "none":
        return names, frozenset()
    config = ClientConfig(spec=PROBE_SPEC, output=Path("probe"), package_name="probe")
    api, _ = build_api(load_spec(PROBE_SPEC), config)
    sources: dict[str, str] = {}
    rendered = render_package(api, override, sources=sources)
    probed = {p: t for p, t in rendered.items() if sources.get(p) in names and p.endswith(".py")}
    formatted = format_files(probed, formatter, laid_out=False)
    changed = frozenset(sources[p] for p, t in probed.items() if formatted[p] != t)
    return names - changed, changed
