"""Command line: `oasgen generate|check|validate|diff`. Exit codes: 0 ok, 1 out of date (diff: a
breaking change), 2 bad spec or usage, 3 a bug in oasgen."""

from __future__ import annotations

import argparse
import gc
import keyword
import os
import sys
from pathlib import Path

from generator import __version__
from generator.cli.arguments import command_parser
from generator.cli.diff_command import report_check_verdict, run_diff
from generator.cli.output import FIRST_FEW, Printer
from generator.config import (
    ClientConfig,
    ConfigError,
    ExtraHeader,
    find_config_file,
    load_config_file,
)
from generator.diagnostics import Diagnostic, SpecError
from generator.output.writer import MANIFEST
from generator.paths import display_path

EXIT_OK, EXIT_OUT_OF_DATE, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3
REPORT_URL = "https://github.com/oasgen/oasgen/issues"


def _configs(args: argparse.Namespace, need_output: bool = True) -> list[ClientConfig]:
    """The clients to act on, each with the overlays and filters of the command line added."""
    configs = _unselected_configs(args, need_output)
    for config in configs:
        config.overlays += [Path(p) for p in getattr(args, "overlay", [])]
        config.include_tags += getattr(args, "include_tag", [])
        config.exclude_tags += getattr(args, "exclude_tag", [])
        config.include_operations += getattr(args, "include_operation", [])
        config.exclude_operations += getattr(args, "exclude_operation", [])
    return configs


def _unselected_configs(args: argparse.Namespace, need_output: bool) -> list[ClientConfig]:
    if args.spec and not need_output:  # validate: the spec alone
        return [
            ClientConfig(
                spec=Path(args.spec),
                output=Path("."),
                strict=args.strict,
                allow_outside_refs=args.allow_outside_refs,
            )
        ]
    if args.spec:
        if not args.output:
            raise ConfigError(["oasgen: error: -o/--output is required with a spec"])
        headers = []
        for item in args.header:
            argument, sep, header = item.partition("=")
            if not sep or not argument.isidentifier() or not header:
                raise ConfigError([f"oasgen: error: --header expects ARG=HEADER, got {item!r}"])
            headers.append(ExtraHeader(argument, header))
        for flag, name in (
            ("--package-name", args.package_name),
            ("--client-name", args.client_name),
        ):
            if name is not None and (not name.isidentifier() or keyword.iskeyword(name)):
                raise ConfigError(
                    [f"oasgen: error: {flag} {name!r} is not a valid Python identifier"]
                )
        return [
            ClientConfig(
                spec=Path(args.spec),
                output=Path(args.output),
                package_name=args.package_name,
                client_name=args.client_name,
                extra_headers=headers,
                formatter=args.formatter or "black",
                templates=Path(args.templates) if args.templates else None,
                strict=args.strict,
                allow_outside_refs=args.allow_outside_refs,
                webhooks=list(getattr(args, "webhook", [])),
                webhook_signature=getattr(args, "webhook_signature", None) or "",
            )
        ]
    path = Path(args.config) if args.config else find_config_file(Path.cwd())
    if path is None:
        raise ConfigError(["oasgen: error: no spec given and no [tool.oasgen] configuration found"])
    configs = load_config_file(path)
    if args.client:
        unknown = set(args.client) - {c.package_name for c in configs}
        if unknown:
            raise ConfigError(
                [f"{path}: error: no client with package-name {n!r}" for n in sorted(unknown)]
            )
        configs = [c for c in configs if c.package_name in args.client]
    for config in configs:
        if args.strict:
            config.strict = True
        if getattr(args, "formatter", None):
            config.formatter = args.formatter
    return configs


def _run_validate(args: argparse.Namespace, out: Printer) -> int:
    """What generate would report, for the spec given or for every configured client's spec."""
    from generator.pipeline import diagnose

    status = EXIT_OK
    for config in _configs(args, need_output=False):
        name = display_path(config.spec)
        paginated: list[str] = []
        try:
            problems = diagnose(config, paginated)
        except SpecError as exc:
            problems = exc.diagnostics
        out.diagnostics(problems)
        if any(d.severity == "error" for d in problems):
            status = EXIT_BAD_INPUT
            continue
        out.info(f"{name}: valid" if not problems else f"{name}: {len(problems)} warning(s)")
        if out.level > 0 and out.format == "text":  # -v: which operations paginate, and how
            out.info(f"{name}: {len(paginated)} paginated operation(s)")
            for line in paginated:
                out.info(f"  {line}")
    return status


def _run(args: argparse.Namespace, out: Printer) -> int:
    """Every selected client in turn; one client's bad spec does not stop the others. The exit code
    is the worst outcome: 2 (a bad spec or hand edits) over 1 (out of date) over 0."""
    if args.command == "validate":
        return _run_validate(args, out)
    if args.command == "diff":
        return run_diff(args, out, _configs)
    status = EXIT_OK
    for config in _configs(args):
        try:
            if args.command == "generate":
                result = _generate_one(config, args.force, out)
            else:
                result = _check_one(config, args.diff, out)
        except SpecError as exc:
            out.diagnostics(exc.diagnostics)
            result = EXIT_BAD_INPUT
        status = max(status, result)
    return status


HAND_EDIT_ADVICE = (
    "regenerate with --force to overwrite them, or move the change into a template override"
)


def _generate_one(config: ClientConfig, force: bool, out: Printer) -> int:
    from generator import pipeline

    where = display_path(config.output)
    try:
        outcome = pipeline.generate(config, force=force, progress=out)
    except pipeline.HandEditedError as exc:
        out.error(f"{where}: error: generated files were edited by hand: {', '.join(exc.paths)}")
        out.error(f"  (nothing was written; {HAND_EDIT_ADVICE})")
        return EXIT_BAD_INPUT
    out.diagnostics(outcome.diagnostics, FIRST_FEW)
    if outcome.up_to_date:
        out.info(f"{where}: up to date{_warning_count(outcome.diagnostics)}")
    elif outcome.written:
        d = outcome.diff
        out.info(
            f"{where}: {outcome.operations} operations, {outcome.models} models; "
            f"{len(d.added)} added, {len(d.changed)} changed, {len(d.removed)} removed"
            f"{_warning_count(outcome.diagnostics)}"
        )
    else:
        out.info(f"{where}: unchanged{_warning_count(outcome.diagnostics)}")
    return EXIT_OK


def _warning_count(diagnostics: list[Diagnostic]) -> str:
    count = sum(1 for d in diagnostics if d.severity == "warning")
    return f"; {count} spec warning{'s' if count != 1 else ''}" if count else ""


def _check_one(config: ClientConfig, unified: bool, out: Printer) -> int:
    from generator import pipeline

    outcome = pipeline.check(config, progress=out)
    out.diagnostics(outcome.diagnostics, FIRST_FEW)
    if outcome.up_to_date or outcome.diff.clean:
        out.info(f"{display_path(config.output)}: up to date{_warning_count(outcome.diagnostics)}")
        return EXIT_OK
    _report_differences(config, outcome, unified, out)
    report_check_verdict(config, outcome, out)
    return EXIT_OUT_OF_DATE


def _report_differences(config: ClientConfig, outcome: object, unified: bool, out: Printer) -> None:
    """What `check` found: a summary with the advice that fits (hand edits need --force or a
    template override, the rest `oasgen generate`), then each file, in text or as JSON entries."""
    diff = outcome.diff  # type: ignore[attr-defined]
    where = display_path(config.output)
    only_manifest = diff.changed == [MANIFEST] and not (
        diff.added or diff.removed or diff.hand_edited
    )
    why = (
        " (only its manifest: made by another oasgen version or configuration)"
        if only_manifest
        else ""
    )
    if diff.hand_edited:  # `oasgen generate` alone would refuse: the same advice as its refusal
        out.error(
            f"{where}: out of date: generated files were edited by hand: {', '.join(diff.hand_edited)}"
        )
        out.error(f"  ({HAND_EDIT_ADVICE})")
    else:
        out.error(f"{where}: out of date{why}; run `oasgen generate` to update")
    kinds = (
        ("missing", "added", diff.added, "missing; `oasgen generate` writes it"),
        ("out-of-date", "changed", diff.changed, "out of date; `oasgen generate` updates it"),
        ("stale", "removed", diff.removed, "no longer generated; `oasgen generate` removes it"),
        (
            "hand-edited",
            "edited by hand",
            diff.hand_edited,
            f"edited by hand; {HAND_EDIT_ADVICE.replace('them', 'it')}",
        ),
    )
    for kind, label, paths, message in kinds:
        for path in paths:
            if kind != "hand-edited" and path in diff.hand_edited:
                continue  # one entry per file: the hand edit is what the user must act on
            if path == MANIFEST and only_manifest:
                message = (
                    "made by another oasgen version or configuration; `oasgen generate` updates it"
                )
            out.file_entry(
                display_path(config.output / path) if out.format == "json" else path,
                kind,
                label,
                message,
            )
    if unified:
        _print_unified_diff(config, outcome)


def _print_unified_diff(config: ClientConfig, outcome: object) -> None:
    import difflib

    diff = outcome.diff  # type: ignore[attr-defined]
    files: dict[str, str] = outcome.files  # type: ignore[attr-defined]
    for path in diff.added + diff.changed + diff.removed:
        target = config.output / path
        old = (
            target.read_text(encoding="utf-8", errors="replace").splitlines(True)
            if target.is_file()
            else []
        )
        new = files.get(path, "").splitlines(True)
        sys.stdout.writelines(difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"))


def run() -> None:
    """The `oasgen` command (and `python -m generator`): one short-lived process per call.

    The cyclic garbage collector stays off for the whole run (see pipeline._without_cyclic_gc),
    and what the run allocated is frozen before exiting: the interpreter's last collection at exit
    would otherwise walk every object a big spec made, for a fifth of the run's time."""
    gc.disable()
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    args = command_parser().parse_args(argv)
    out = Printer(args.quiet, args.verbose, args.format)
    try:
        return _run(args, out)
    except SpecError as exc:
        out.diagnostics(exc.diagnostics)
        return EXIT_BAD_INPUT
    except ConfigError as exc:
        for message in exc.messages:
            out.error(message)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        out.error("oasgen: interrupted; the previous output is untouched")
        return 130
    except Exception as exc:
        if os.environ.get("OASGEN_DEBUG"):
            raise
        detail = " ".join(str(exc).split())  # one line, however the exception formats itself
        detail = detail if len(detail) <= 300 else detail[:296] + " ..."
        out.error(
            f"oasgen: internal error (a bug in oasgen {__version__}): {type(exc).__name__}: {detail}; "
            f"please report it at {REPORT_URL} with the spec (set OASGEN_DEBUG=1 for a traceback)"
        )
        return EXIT_BUG
    finally:
        out.finish()
