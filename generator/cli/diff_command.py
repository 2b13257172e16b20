"""`oasgen diff OLD NEW` and `oasgen diff --against-committed [REV]`: what changed in the API a
client's users see, one classified line per change, then the version bump it needs. Exit 0 when
nothing is breaking, 1 when something is, 2 for bad input. `oasgen check` reports the same."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cli.diff_inputs import (
    InputError,
    Side,
    git_has,
    read_side,
    repository_path,
    spec_side,
)
from generator.cli.output import Printer
from generator.config import ClientConfig, ConfigError, find_config_file
from generator.diagnostics import SpecError
from generator.diff.compare import Change, bump, compare, verdict_line
from generator.diff.surface import readable
from generator.output.writer import MANIFEST, Manifest
from generator.paths import display_path

if TYPE_CHECKING:
    from generator.pipeline import Outcome

EXIT_OK, EXIT_BREAKING, EXIT_BAD_INPUT = 0, 1, 2

DESCRIPTION = """Compare the clients two specs generate, as a user's code sees them. OLD and NEW are
each a spec file, a spec at a git revision (HEAD~1:specs/api.yaml), or a committed client: its
output directory or its .oasgen-manifest.json (also at a revision: origin/main:generated/api)."""

EPILOG = """examples:
  oasgen diff HEAD~1:specs/api.yaml specs/api.yaml
  oasgen diff generated/api specs/api.yaml --format json
  oasgen diff --against-committed              # each configured client: committed vs its spec
  oasgen diff --against-committed origin/main  # ... the client as committed on origin/main (CI)

each change is one line, `breaking|feature|fix: subject: what changed`; the last line is the
version bump the changes need (major, minor, patch or none).
exit codes: 0 nothing breaking, 1 something breaking, 2 bad input (spec, configuration, usage)."""


# How the command line's arguments become the clients to act on (the main module's, with overlays
# and filters added): given, so that this module does not import its caller.
ConfigsOf = Callable[[argparse.Namespace], list[ClientConfig]]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    cmd = sub.add_parser(
        "diff",
        help="classify the API changes between two specs (exit 1 on a breaking change)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmd.add_argument("old", nargs="?", help="spec, REV:spec, client directory or its manifest")
    cmd.add_argument("new", nargs="?", help="the same kinds of input as OLD")
    cmd.add_argument(
        "--against-committed",
        nargs="?",
        const="",
        metavar="REV",
        help="each configured client: its committed manifest (in the working tree, or at git "
        "revision REV) against its current spec",
    )
    cmd.add_argument("--package-name", help="import name of the clients compared")
    cmd.add_argument("--client-name", help="class name of the clients compared")
    cmd.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="ARG=HEADER",
        help="extra client header: constructor argument ARG sends HEADER",
    )
    cmd.add_argument("--strict", action="store_true", help="every spec problem is an error")
    cmd.add_argument(
        "--allow-outside-refs", action="store_true", help="allow $ref outside the spec's directory"
    )
    cmd.add_argument("--config", help="configuration file (pyproject.toml or oasgen.toml)")
    cmd.add_argument(
        "--client",
        action="append",
        default=[],
        metavar="PACKAGE",
        help="the configured client with this package name: its names and options (repeatable "
        "with --against-committed)",
    )
    cmd.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="changes as text lines on stdout (default) or one JSON list",
    )
    cmd.add_argument("-q", "--quiet", action="count", default=0, help="print only the verdict")
    cmd.add_argument(
        "-v", "--verbose", action="count", default=0, help="also show the specs' warnings"
    )
    cmd.set_defaults(spec=None, output=None, formatter=None, templates=None)
    return cmd


def run_diff(args: argparse.Namespace, out: Printer, configs: ConfigsOf) -> int:
    try:
        if args.against_committed is not None:
            if args.old or args.new:
                raise ConfigError(["oasgen: error: --against-committed takes no OLD and NEW"])
            return _against_committed(args, out, configs)
        if not (args.old and args.new):
            raise ConfigError(["oasgen: error: diff needs OLD and NEW (or --against-committed)"])
        config_for = _config_chooser(args, configs)
        old = read_side(args.old, config_for)
        new = read_side(args.new, config_for)
    except InputError as exc:
        out.error(str(exc))
        return EXIT_BAD_INPUT
    return _report(old, new, args, out)


def _report(old: Side, new: Side, args: argparse.Namespace, out: Printer, client: str = "") -> int:
    if args.verbose:
        out.diagnostics(old.warnings + new.warnings)
    changes = compare(old.surface, new.surface)
    show_changes(changes, out, client)
    return EXIT_BREAKING if bump(changes) == "major" else EXIT_OK


def show_changes(changes: list[Change], out: Printer, client: str = "") -> None:
    """Each change, then the verdict: lines on stdout, or entries of the JSON list (one per
    change, with its `kind`; then the verdict, `bump`, without one)."""
    if out.format == "json":
        extra = {"client": client} if client else {}
        out.files += [{**c.as_json(), **extra} for c in changes]
        out.files.append({"bump": bump(changes), "message": verdict_line(changes), **extra})
        return
    if out.level >= 0:
        for change in changes:
            print(change.line())
    print(verdict_line(changes))


def _against_committed(args: argparse.Namespace, out: Printer, configs: ConfigsOf) -> int:
    """Each configured client in turn (one's bad spec does not stop the others); a client not
    committed yet (no manifest) is new: nothing of it can break."""
    status = EXIT_OK
    for config in configs(args):
        committed = _committed(config, args.against_committed)
        where = display_path(config.output)
        if committed is None:
            out.info(f"{where}: no committed client to compare with (a new client)")
            continue
        out.info(f"{where}: {committed} -> {display_path(config.spec)}")
        try:
            old = read_side(committed, lambda path, config=config: config)
            new = spec_side(display_path(config.spec), config)
        except SpecError as exc:
            out.diagnostics(exc.diagnostics)
            status = EXIT_BAD_INPUT
            continue
        status = max(status, _report(old, new, args, out, config.package_name or ""))
    return status


def _committed(config: ClientConfig, revision: str) -> str | None:
    """The committed client's manifest: in the working tree, or at `revision` (as `REV:path`);
    None when there is none."""
    if not revision:
        manifest = config.output / MANIFEST
        return display_path(manifest) if manifest.is_file() else None
    top, _ = repository_path(".", revision)
    inside = config.output.resolve().relative_to(top.resolve()).as_posix()
    return f"{revision}:{inside}/{MANIFEST}" if git_has(top, revision, inside) else None


def _config_chooser(args: argparse.Namespace, configs: ConfigsOf) -> Callable[[Path], ClientConfig]:
    """How a spec on the command line is read: with the options given, else as the configured
    client (`--client`, or the one whose spec it is) reads it, else with the defaults."""
    if args.package_name or args.client_name or args.header:
        return lambda path: configs(_with(args, spec=str(path), output="."))[0]
    configured: list[ClientConfig] = []
    if args.client or args.config or find_config_file(Path.cwd()):
        configured = configs(args)
    if args.client and len(configured) != 1:
        raise ConfigError(["oasgen: error: diff OLD NEW takes one --client"])

    def config_for(path: Path) -> ClientConfig:
        # OLD and NEW are read alike: the configured client whose spec either of them is.
        paths = [path] + [Path(p) for p in (args.old, args.new) if p and Path(p).is_file()]
        for config in configured:
            if args.client or any(config.spec.resolve() == p.resolve() for p in paths):
                return dataclasses.replace(config, spec=path)
        # the defaults, with the command line's options (overlays and filters included)
        return configs(_with(args, spec=str(path), output="."))[0]

    return config_for


def _with(args: argparse.Namespace, **values: object) -> argparse.Namespace:
    return argparse.Namespace(**{**vars(args), **values})


def report_check_verdict(config: ClientConfig, outcome: Outcome, out: Printer) -> None:
    """`check` on an out-of-date client: when the spec (or what oasgen makes of it) changed, the
    verdict of the committed client's surface against the regenerated one."""
    previous = Manifest.read(config.output)
    before = readable(previous.api_surface()) if previous else None
    if previous is None or before is None or outcome.surface is None:
        return
    manifest = outcome.manifest
    spec_changed = manifest is not None and manifest.spec_hashes != previous.spec_hashes
    if not spec_changed and before == outcome.surface:
        return
    changes = compare(before, outcome.surface)
    if out.format == "json":  # one entry, beside those of the files (which have a `kind`)
        out.files.append(
            {
                "file": display_path(config.output),
                "bump": bump(changes),
                "message": verdict_line(changes),
                "changes": [c.as_json() for c in changes],  # as `oasgen diff` lists them
            }
        )
        return
    out.info(f"{display_path(config.output)}: API changes since the committed client:")
    show_changes(changes, out)
