"""Command line: `oasgen generate|check|validate`. Exit codes: 0 ok, 1 out of date, 2 bad spec or usage,
3 a bug in oasgen."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from generator import __version__
from generator.config import (
    ClientConfig,
    ConfigError,
    ExtraHeader,
    find_config_file,
    load_config_file,
)
from generator.diagnostics import Diagnostic, SpecError, render_diagnostics
from generator.writer import MANIFEST

EXIT_OK, EXIT_OUT_OF_DATE, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3
REPORT_URL = "https://github.com/oasgen/oasgen/issues"

EPILOG = """examples:
  oasgen generate specs/api.yaml -o generated/api --package-name api
  oasgen check specs/api.yaml -o generated/api --diff
  oasgen validate specs/api.yaml --format json
  oasgen generate            # every client in [tool.oasgen] of pyproject.toml (or oasgen.toml)

exit codes: 0 success, 1 check found the output out of date, 2 the spec or the usage is wrong,
3 or more: a bug in oasgen (please report it)."""


class Printer:
    def __init__(self, quiet: int, verbose: int) -> None:
        self.level = verbose - quiet
        self.color = sys.stderr.isatty() and "NO_COLOR" not in os.environ
        self.interactive = sys.stderr.isatty()
        self.started = time.monotonic()

    def info(self, text: str) -> None:
        if self.level >= 0:
            print(text, file=sys.stderr)

    def error(self, text: str) -> None:
        """Shown even with -q: a failure always says why."""
        if self.color:
            text = text.replace(": error:", ": \033[31merror\033[0m:", 1)
        print(text, file=sys.stderr)

    def stage(self, name: str, detail: str) -> None:
        """Progress of a long run: on a terminal (or with -v), never when piped (make, CI logs)."""
        if self.interactive and self.level >= 0 or self.level > 0:
            elapsed = time.monotonic() - self.started
            print(f"  [{elapsed:5.1f}s] {name}{': ' + detail if detail else ''}", file=sys.stderr, flush=True)

    def diagnostics(self, items: list[Diagnostic], fmt: str) -> None:
        if not items:
            return
        if fmt == "json":
            print(render_diagnostics(items, "json"))
            return
        text = render_diagnostics(items)
        if self.color:
            text = text.replace(": error:", ": \033[31merror\033[0m:").replace(": warning:", ": \033[33mwarning\033[0m:")
        if self.level >= 0 or any(d.severity == "error" for d in items):
            print(text, file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oasgen",
        description="Generate typed Python clients (httpx + pydantic v2) from OpenAPI 3.0/3.1 and Swagger 2.0.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"oasgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("generate", "write the client package"), ("check", "exit 1 if the output is out of date")):
        cmd = sub.add_parser(name, help=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
        cmd.add_argument("spec", nargs="?", help="OpenAPI file (omit to use the repository's configuration)")
        cmd.add_argument("-o", "--output", help="output directory (the client project)")
        cmd.add_argument("--package-name", help="import name of the generated package")
        cmd.add_argument("--client-name", help="class name of the client (default from the package name)")
        cmd.add_argument("--header", action="append", default=[], metavar="ARG=HEADER",
                         help="extra client header: constructor argument ARG sends HEADER")
        cmd.add_argument("--formatter", choices=("black", "ruff", "none"), help="code formatter (default black)")
        cmd.add_argument("--templates", help="directory of templates that replace the shipped ones by name")
        cmd.add_argument("--strict", action="store_true", help="treat every spec warning as an error")
        cmd.add_argument("--allow-outside-refs", action="store_true", help="allow $ref outside the spec's directory")
        cmd.add_argument("--config", help="configuration file (pyproject.toml or oasgen.toml)")
        cmd.add_argument("--client", action="append", default=[], metavar="PACKAGE",
                         help="only the configured client with this package name (repeatable)")
        cmd.add_argument("--format", choices=("text", "json"), default="text", help="diagnostics format")
        cmd.add_argument("-q", "--quiet", action="count", default=0)
        cmd.add_argument("-v", "--verbose", action="count", default=0)
        if name == "generate":
            cmd.add_argument("--force", action="store_true", help="overwrite hand-edited generated files")
        else:
            cmd.add_argument("--diff", action="store_true", help="print a unified diff of what differs")
    val = sub.add_parser("validate", help="report every problem of a spec", epilog=EPILOG,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    val.add_argument("spec")
    val.add_argument("--strict", action="store_true", help="exit 2 on warnings too")
    val.add_argument("--format", choices=("text", "json"), default="text")
    val.add_argument("-q", "--quiet", action="count", default=0)
    val.add_argument("-v", "--verbose", action="count", default=0)
    return parser


def _configs(args: argparse.Namespace) -> list[ClientConfig]:
    if args.spec:
        if not args.output:
            raise ConfigError(["oasgen: error: -o/--output is required with a spec"])
        headers = []
        for item in args.header:
            argument, sep, header = item.partition("=")
            if not sep or not argument.isidentifier() or not header:
                raise ConfigError([f"oasgen: error: --header expects ARG=HEADER, got {item!r}"])
            headers.append(ExtraHeader(argument, header))
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
            )
        ]
    path = Path(args.config) if args.config else find_config_file(Path.cwd())
    if path is None:
        raise ConfigError(["oasgen: error: no spec given and no [tool.oasgen] configuration found"])
    configs = load_config_file(path)
    if args.client:
        unknown = set(args.client) - {c.package_name for c in configs}
        if unknown:
            raise ConfigError([f"{path}: error: no client with package-name {n!r}" for n in sorted(unknown)])
        configs = [c for c in configs if c.package_name in args.client]
    for config in configs:
        if args.strict:
            config.strict = True
        if args.formatter:
            config.formatter = args.formatter
    return configs


def _run_validate(args: argparse.Namespace, out: Printer) -> int:
    from generator.loader import load_spec
    from generator.validator import validate

    source = load_spec(args.spec)
    problems = validate(source)
    if not args.strict:
        from generator.pipeline import _as_warning

        kinds = {d for d in problems if "not an OpenAPI document" in d.message or "unsupported" in d.message}
        problems = [d if d in kinds else _as_warning(d) for d in problems]
    out.diagnostics(problems, args.format)
    if any(d.severity == "error" for d in problems):
        return EXIT_BAD_INPUT
    out.info(f"{args.spec}: valid" if not problems else f"{args.spec}: {len(problems)} warning(s)")
    return EXIT_OK


def _run(args: argparse.Namespace, out: Printer) -> int:
    if args.command == "validate":
        return _run_validate(args, out)
    from generator import pipeline

    status = EXIT_OK
    for config in _configs(args):
        if args.command == "generate":
            try:
                outcome = pipeline.generate(config, force=args.force, progress=out)
            except pipeline.HandEditedError as exc:
                out.error(f"{_shown(config.output)}: error: generated files were edited by hand: "
                          f"{', '.join(exc.paths)}")
                out.error("  (nothing was written; regenerate with --force to overwrite them, "
                          "or move the change into a template override)")
                return EXIT_BAD_INPUT
            out.diagnostics(outcome.diagnostics, args.format)
            if outcome.up_to_date:
                out.info(f"{_shown(config.output)}: up to date")
            elif outcome.written:
                d = outcome.diff
                out.info(f"{_shown(config.output)}: {outcome.operations} operations, {outcome.models} models; "
                         f"{len(d.added)} added, {len(d.changed)} changed, {len(d.removed)} removed")
            else:
                out.info(f"{_shown(config.output)}: unchanged")
        else:
            outcome = pipeline.check(config, progress=out)
            out.diagnostics(outcome.diagnostics, args.format)
            if outcome.up_to_date or outcome.diff.clean:
                out.info(f"{_shown(config.output)}: up to date")
                continue
            status = EXIT_OUT_OF_DATE
            _print_diff(config, outcome, args.diff)
    return status


def _print_diff(config: ClientConfig, outcome: object, unified: bool) -> None:
    import difflib

    diff = outcome.diff  # type: ignore[attr-defined]
    files: dict[str, str] = outcome.files  # type: ignore[attr-defined]
    only_manifest = diff.changed == [MANIFEST] and not (diff.added or diff.removed or diff.hand_edited)
    why = " (only its manifest: made by another oasgen version or configuration)" if only_manifest else ""
    print(f"{_shown(config.output)}: out of date{why}; run `oasgen generate` to update", file=sys.stderr)
    for label, paths in (("added", diff.added), ("changed", diff.changed), ("removed", diff.removed),
                         ("edited by hand", diff.hand_edited)):
        for path in paths:
            print(f"  {label}: {path}")
    if not unified:
        return
    for path in diff.added + diff.changed + diff.removed:
        target = config.output / path
        old = target.read_text(encoding="utf-8", errors="replace").splitlines(True) if target.is_file() else []
        new = files.get(path, "").splitlines(True)
        sys.stdout.writelines(difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"))


def _shown(path: Path) -> str:
    """Paths as the user would type them: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path) if path.is_absolute() and Path.cwd() in path.parents else str(path)
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out = Printer(args.quiet, args.verbose)
    try:
        return _run(args, out)
    except SpecError as exc:
        out.diagnostics(exc.diagnostics, getattr(args, "format", "text"))
        return EXIT_BAD_INPUT
    except ConfigError as exc:
        for message in exc.messages:
            print(message, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("oasgen: interrupted; the previous output is untouched", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("OASGEN_DEBUG"):
            raise
        print(f"oasgen: internal error (a bug in oasgen {__version__}): {type(exc).__name__}: {exc}; "
              f"please report it at {REPORT_URL} with the spec (set OASGEN_DEBUG=1 for a traceback)",
              file=sys.stderr)
        return EXIT_BUG
