"""The warnings of a run, kept in the manifest so that a run that finds the output up to date can
report them again without reading the spec."""

from __future__ import annotations

import os
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.output.writer import Manifest
from generator.paths import display_path


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
