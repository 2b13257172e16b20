"""What to generate: one `ClientConfig` per client, from the command line or `[tool.oasgen]`."""

from __future__ import annotations

import functools
import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generator.config_settings import (
    SELECTION_KEYS,
    naming_fingerprint,
    naming_settings,
    selection_settings,
    webhook_settings,
)
from generator.pagination_config import PagingRequest, pagination_fingerprint, parse_pagination
from generator.paths import display_path

Formatter = Literal["black", "ruff", "none"]


@dataclass(frozen=True)
class ExtraHeader:
    """A header every request carries, set by a client constructor argument (e.g. a client id)."""

    argument: str
    header: str
    description: str = ""


@dataclass
class ClientConfig:
    spec: Path
    output: Path
    package_name: str | None = None
    client_name: str | None = None
    extra_headers: list[ExtraHeader] = field(default_factory=list)
    formatter: Formatter = "black"
    templates: Path | None = None
    strict: bool = False
    allow_outside_refs: bool = False
    # Overlay files applied to the spec in order, and which operations the client keeps.
    overlays: list[Path] = field(default_factory=list)
    include_tags: list[str] = field(default_factory=list)
    exclude_tags: list[str] = field(default_factory=list)
    include_operations: list[str] = field(default_factory=list)
    exclude_operations: list[str] = field(default_factory=list)
    changelog: bool = False  # keep CHANGELOG.md and bump the version by the API diff's verdict
    # Component schemas of webhook deliveries (a 3.0 spec has no `webhooks`), and how they are signed:
    # "" as the spec says, "standard-webhooks", or "none".
    webhooks: list[str] = field(default_factory=list)
    webhook_signature: str = ""
    # By operationId: how it paginates, or None (not paginated); the whole None: no pagination.
    pagination: dict[str, PagingRequest | None] | None = field(default_factory=dict)
    # By operationId: "group.sub.method" (or "method"), where the method goes and its name.
    names: dict[str, str] = field(default_factory=dict)
    docs_url: str = ""  # the documentation site relative links in descriptions point into
    # The data that ends every stream of server-sent events, over the spec's (None: as the spec
    # says, else "[DONE]"; "": none, a stream ends with its connection).
    stream_sentinel: str | None = None

    def fingerprint(self) -> str:
        """Everything about the configuration that can change the output, as stable text."""
        headers = ";".join(f"{h.argument}={h.header}:{h.description}" for h in self.extra_headers)
        templates = str(self.templates) if self.templates else ""
        return (
            f"package={self.package_name}|client={self.client_name}|headers={headers}|"
            f"formatter={self.formatter}|templates={templates}|strict={self.strict}|"
            f"outside={self.allow_outside_refs}"
            + ("|changelog" if self.changelog else "")
            + self._selection_fingerprint()
            + _webhooks_fingerprint(self)
            + f"|pagination={pagination_fingerprint(self.pagination)}"
            + naming_fingerprint(self.names, self.docs_url)
            + ("" if self.stream_sentinel is None else f"|sentinel={self.stream_sentinel}")
        )

    def _selection_fingerprint(self) -> str:
        """Overlays (their order; contents are hashed with the spec) and filters, when set."""
        import os

        base = self.spec.absolute().parent
        overlays = [os.path.relpath(p.absolute(), base).replace(os.sep, "/") for p in self.overlays]
        parts = [
            ("overlays", overlays),
            ("include-tags", self.include_tags),
            ("exclude-tags", self.exclude_tags),
            ("include-operations", self.include_operations),
            ("exclude-operations", self.exclude_operations),
        ]
        return "".join(f"|{key}={chr(31).join(values)}" for key, values in parts if values)


def _webhooks_fingerprint(config: ClientConfig) -> str:
    if not config.webhooks and not config.webhook_signature:
        return ""  # as before these keys existed
    return f"|webhooks={','.join(config.webhooks)}|signature={config.webhook_signature}"


class ConfigError(Exception):
    """The configuration is wrong; carries located messages."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


# Keys of a client that are lists of strings: overlay files (relative to the configuration file)
# and filters. Each maps to the ClientConfig field of the same name in snake_case.

_CLIENT_KEYS = {
    "spec",
    "output",
    "package-name",
    "client-name",
    "extra-headers",
    "formatter",
    "templates",
    "strict",
    "allow-outside-refs",
    *SELECTION_KEYS,
    "changelog",
    "webhooks",
    "webhook-signature",
    "pagination",
    "names",
    "docs-url",
    "stream-sentinel",
}


def find_config_file(start: Path) -> Path | None:
    """`oasgen.toml`, or a `pyproject.toml` with a [tool.oasgen] table, here or in a parent."""
    for folder in [start, *start.parents]:
        standalone = folder / "oasgen.toml"
        if standalone.is_file():
            return standalone
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.oasgen" in pyproject.read_text(
            encoding="utf-8", errors="replace"
        ):
            return pyproject
    return None


def load_config_file(path: Path) -> list[ClientConfig]:
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(
            [f"{path}: error: cannot read the configuration: {exc.strerror or exc}"]
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError([_toml_syntax_error(path, exc)]) from None
    standalone = path.name != "pyproject.toml"
    prefix = "" if standalone else "tool.oasgen"
    table = data if standalone else data.get("tool", {}).get("oasgen")
    where = _Locator(path, text, prefix)
    if not isinstance(table, dict):
        raise ConfigError([f"{path}: error: no [tool.oasgen] table"])
    errors = [
        where.error(f"unknown key {_key(prefix, k)!r}{_did_you_mean(k, {'clients'})}", None, k)
        for k in table
        if k != "clients"
    ]
    clients = table.get("clients")
    if not isinstance(clients, list) or not clients:
        errors.append(
            where.error(
                f"{_key(prefix, 'clients')!r} must list at least one client "
                f"([[{_key(prefix, 'clients')}]] tables)",
                None,
                "clients",
            )
        )
        raise ConfigError(errors)
    configs = []
    for index, entry in enumerate(clients):
        name = _key(prefix, f"clients[{index}]")
        if not isinstance(entry, dict):
            errors.append(where.error(f"{name} must be a table", None, "clients"))
            continue
        errors += [
            where.error(f"unknown key {name + '.' + k!r}{_did_you_mean(k, _CLIENT_KEYS)}", index, k)
            for k in entry
            if k not in _CLIENT_KEYS
        ]
        config = _client_config(
            path.parent, entry, name, errors, functools.partial(_client_error, where, index)
        )
        if config is not None:
            configs.append(config)
    if errors:
        raise ConfigError(sorted(errors, key=_line_of))
    return configs


def _line_of(message: str) -> tuple[int, int]:
    match = re.match(r"^.*?:(\d+):(\d+): ", message)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def _client_error(where: _Locator, index: int, message: str, key: str) -> str:
    return where.error(message, index, key)


def _toml_syntax_error(path: Path, exc: Exception) -> str:
    match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    line, column = (match.group(1), match.group(2)) if match else ("1", "1")
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
    return f"{display_path(path)}:{line}:{column}: error: invalid TOML: {message}"


def _did_you_mean(key: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, sorted(known), n=1)
    return (
        f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(sorted(known))})"
    )


class _Locator:
    """Line and column of a key in TOML text (tomllib keeps no positions), for located errors.

    Knows the shapes a configuration takes: `[tool.oasgen]`, `[[tool.oasgen.clients]]` array
    tables, `key = value` lines and keys of inline tables on those lines."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
    _KEY = re.compile(r"^\s*\"?([A-Za-z0-9_.-]+)\"?\s*=")

    def __init__(self, path: Path, text: str, prefix: str) -> None:
        self.path = display_path(path)
        self.positions: dict[tuple[int | None, str], tuple[int, int]] = {}
        clients = _key(prefix, "clients")
        # Where we are: None in the [tool.oasgen] table (or oasgen.toml's top level), N in the
        # N-th [[...clients]] table, False in a table that is not ours.
        section: int | None | bool = None if not prefix else False
        index = -1
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            if header:
                name = header.group(2).replace('"', "").replace(" ", "")
                if name == clients and header.group(1) == "[[":
                    index += 1
                    section = index
                    self.positions.setdefault((None, "clients"), (number, 1))
                elif name.startswith(clients + ".") and index >= 0:  # [...clients.pagination]
                    section = index
                    self.positions.setdefault((index, name.split(".")[-1]), (number, 1))
                else:
                    section = None if prefix and name == prefix else False
                continue
            key = self._KEY.match(line)
            if key is None or section is False:
                continue
            self.positions.setdefault(
                (section, key.group(1).split(".")[0]), (number, line.index(key.group(1)) + 1)
            )
            # keys of inline tables on the same line: `extra-headers = { client_id = ... }`
            for inner in re.finditer(r"[{,]\s*\"?([A-Za-z0-9_-]+)\"?\s*=", line):
                self.positions.setdefault((section, inner.group(1)), (number, inner.start(1) + 1))

    def error(self, message: str, client: int | None, key: str) -> str:
        line, column = self.positions.get((client, key), (1, 1))
        return f"{self.path}:{line}:{column}: error: {message}"


def _key(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _client_config(
    base: Path,
    entry: dict[str, object],
    where: str,
    errors: list[str],
    error: Callable[[str, str], str],
) -> ClientConfig | None:
    spec, output = entry.get("spec"), entry.get("output")
    for key, value in (("spec", spec), ("output", output)):
        if not isinstance(value, str) or not value:
            errors.append(error(f"{where} needs {key!r}, a path relative to this file", key))
    headers = entry.get("extra-headers", {})
    extra: list[ExtraHeader] = []
    if isinstance(headers, dict):
        for argument, header in headers.items():
            if not str(argument).isidentifier():
                errors.append(
                    error(
                        f"{where}.extra-headers: {argument!r} is not a Python identifier", argument
                    )
                )
            elif isinstance(header, str):
                extra.append(ExtraHeader(argument, header))
            elif isinstance(header, dict) and isinstance(header.get("header"), str):
                unknown = sorted(set(header) - {"header", "description"})
                if unknown:
                    errors.append(
                        error(
                            f"unknown key {where + '.extra-headers.' + argument + '.' + unknown[0]!r} "
                            "(known keys: description, header)",
                            unknown[0],
                        )
                    )
                extra.append(
                    ExtraHeader(argument, header["header"], str(header.get("description", "")))
                )
            else:
                errors.append(
                    error(
                        f"{where}.extra-headers.{argument} must be a header name or "
                        "{ header = ..., description = ... }",
                        argument,
                    )
                )
    else:
        errors.append(error(f"{where}.extra-headers must be a table", "extra-headers"))
    formatter = entry.get("formatter", "black")
    if formatter not in ("black", "ruff", "none"):
        errors.append(
            error(
                f'{where}.formatter must be "black", "ruff" or "none", not {formatter!r}',
                "formatter",
            )
        )
        formatter = "black"
    for key in ("strict", "allow-outside-refs", "changelog"):
        if key in entry and not isinstance(entry[key], bool):
            errors.append(error(f"{where}.{key} must be true or false, not {entry[key]!r}", key))
    for key in ("package-name", "client-name", "templates"):
        if key in entry and (not isinstance(entry[key], str) or not entry[key]):
            errors.append(error(f"{where}.{key} must be a non-empty string", key))
    package = entry.get("package-name")
    if (
        isinstance(package, str)
        and package
        and (not package.isidentifier() or keyword.iskeyword(package))
    ):
        errors.append(
            error(
                f"{where}.package-name {package!r} is not a valid Python package name",
                "package-name",
            )
        )
    templates = entry.get("templates")
    if isinstance(templates, str) and templates and not (base / templates).is_dir():
        errors.append(error(f"{where}.templates: no directory {templates!r}", "templates"))
    selection = selection_settings(base, entry, where, errors, error)
    webhooks, signature = webhook_settings(entry, where, errors, error)
    pagination = parse_pagination(
        entry.get("pagination", {}),
        where,
        lambda message: errors.append(error(message, "pagination")),
    )
    names, docs_url = naming_settings(entry, where, errors, error)
    sentinel = entry.get("stream-sentinel")
    if sentinel is not None and not isinstance(sentinel, str):
        errors.append(error(f"{where}.stream-sentinel must be a string", "stream-sentinel"))
        sentinel = None
    if not isinstance(spec, str) or not isinstance(output, str) or not spec or not output:
        return None
    return ClientConfig(
        spec=base / spec,
        output=base / output,
        package_name=_opt_str(entry.get("package-name")),
        client_name=_opt_str(entry.get("client-name")),
        extra_headers=extra,
        formatter=formatter,  # type: ignore[arg-type]
        templates=base / templates if isinstance(templates, str) and templates else None,
        strict=entry.get("strict") is True,
        allow_outside_refs=entry.get("allow-outside-refs") is True,
        **selection,  # type: ignore[arg-type]
        changelog=entry.get("changelog") is True,
        webhooks=webhooks,
        webhook_signature=signature,
        pagination=pagination,
        names=names,
        docs_url=docs_url,
        stream_sentinel=sentinel,
    )


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
