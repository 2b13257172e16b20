"""The command line's grammar: the `generate`, `check`, `validate` and `diff` commands, their
options and their help text. What the commands do is main.py (and diff_command.py)."""

from __future__ import annotations

import argparse

from generator import __version__
from generator.cli.diff_command import add_parser as add_diff_parser

EPILOG = """examples:
  oasgen generate specs/api.yaml -o generated/api --package-name api
  oasgen check specs/api.yaml -o generated/api --diff
  oasgen validate specs/api.yaml --format json
  oasgen generate            # every client in [tool.oasgen] of pyproject.toml (or oasgen.toml)

exit codes: 0 success, 1 check found the output out of date, 2 the spec, the configuration or the
usage is wrong (or generated files were edited by hand), 3 a bug in oasgen (please report it),
130 interrupted (the previous output is untouched)."""


def command_parser() -> argparse.ArgumentParser:
    """`oasgen` and its commands, with their options and help."""
    parser = argparse.ArgumentParser(
        prog="oasgen",
        description="Generate typed Python clients (httpx + pydantic v2) from OpenAPI 3.0/3.1 and Swagger 2.0.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"oasgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("generate", "write the client package"),
        ("check", "exit 1 if the output is out of date"),
    ):
        cmd = sub.add_parser(
            name, help=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        cmd.add_argument(
            "spec", nargs="?", help="OpenAPI file (omit to use the repository's configuration)"
        )
        cmd.add_argument("-o", "--output", help="output directory (the client project)")
        cmd.add_argument("--package-name", help="import name of the generated package")
        cmd.add_argument(
            "--client-name", help="class name of the client (default from the package name)"
        )
        cmd.add_argument(
            "--header",
            action="append",
            default=[],
            metavar="ARG=HEADER",
            help="extra client header: constructor argument ARG sends HEADER",
        )
        cmd.add_argument(
            "--formatter", choices=("black", "ruff", "none"), help="code formatter (default black)"
        )
        cmd.add_argument(
            "--templates", help="directory of templates that replace the shipped ones by name"
        )
        cmd.add_argument(
            "--strict", action="store_true", help="treat every spec warning as an error"
        )
        cmd.add_argument(
            "--webhook",
            action="append",
            default=[],
            metavar="SCHEMA",
            help="a component schema of webhook deliveries (repeatable; for 3.0 specs)",
        )
        cmd.add_argument(
            "--webhook-signature",
            choices=("standard-webhooks", "none"),
            help="how deliveries are signed (default: as the spec says)",
        )
        _spec_options(cmd)
        _output_options(cmd)
        _selection_options(cmd)
        if name == "generate":
            cmd.add_argument(
                "--force", action="store_true", help="overwrite hand-edited generated files"
            )
        else:
            cmd.add_argument(
                "--diff", action="store_true", help="print a unified diff of what differs"
            )
    val = sub.add_parser(
        "validate",
        help="report every problem of a spec, as generate would; write nothing",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    val.add_argument(
        "spec",
        nargs="?",
        help="OpenAPI file (omit to validate the spec of every client in the repository's configuration)",
    )
    val.add_argument(
        "--strict",
        action="store_true",
        help="every problem is an error (exit 2), and openapi-spec-validator's full semantic pass runs",
    )
    _spec_options(val)
    _output_options(val)
    _selection_options(val)
    _selection_options(add_diff_parser(sub))
    return parser


def _selection_options(cmd: argparse.ArgumentParser) -> None:
    """Overlays and filters: what the client is made of. Added to a configured client's own."""
    for flag, metavar, text in (
        ("--overlay", "FILE", "apply this OpenAPI Overlay to the spec, in order (repeatable)"),
        ("--include-tag", "TAG", "keep only operations with this tag (repeatable)"),
        ("--exclude-tag", "TAG", "drop operations with this tag (repeatable)"),
        (
            "--include-operation",
            "OPID",
            "keep only this operationId or 'METHOD /path' (repeatable)",
        ),
        ("--exclude-operation", "OPID", "drop this operationId or 'METHOD /path' (repeatable)"),
    ):
        cmd.add_argument(flag, action="append", default=[], metavar=metavar, help=text)


def _spec_options(cmd: argparse.ArgumentParser) -> None:
    """Which specs a command reads, and how: the same for all three commands."""
    cmd.add_argument(
        "--allow-outside-refs", action="store_true", help="allow $ref outside the spec's directory"
    )
    cmd.add_argument("--config", help="configuration file (pyproject.toml or oasgen.toml)")
    cmd.add_argument(
        "--client",
        action="append",
        default=[],
        metavar="PACKAGE",
        help="only the configured client with this package name (repeatable)",
    )


def _output_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="diagnostics as text lines on stderr (default) or one JSON list on stdout",
    )
    cmd.add_argument(
        "-q",
        "--quiet",
        action="count",
        default=0,
        help="quiet: print only errors (with the warnings found beside them); no results or progress",
    )
    cmd.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="show progress even when not on a terminal, and every warning",
    )
