"""What to generate: one `ClientConfig` per client, from the command line or `[tool.oasgen]`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

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

    def fingerprint(self) -> str:
        """Everything about the configuration that can change the output, as stable text."""
        headers = ";".join(f"{h.argument}={h.header}:{h.description}" for h in self.extra_headers)
        templates = str(self.templates) if self.templates else ""
        return (
            f"package={self.package_name}|client={self.client_name}|headers={headers}|"
            f"formatter={self.formatter}|templates={templates}|strict={self.strict}|"
            f"outside={self.allow_outside_refs}"
        )


class ConfigError(Exception):
    """The configuration is wrong; carries located messages."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


_CLIENT_KEYS = {
    "spec", "output", "package-name", "client-name", "extra-headers", "formatter", "templates", "strict",
    "allow-outside-refs",
}


def find_config_file(start: Path) -> Path | None:
    """`oasgen.toml`, or a `pyproject.toml` with a [tool.oasgen] table, here or in a parent."""
    for folder in [start, *start.parents]:
        standalone = folder / "oasgen.toml"
        if standalone.is_file():
            return standalone
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "[tool.oasgen" in pyproject.read_text(encoding="utf-8", errors="replace"):
            return pyproject
    return None


def load_config_file(path: Path) -> list[ClientConfig]:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError([f"{path}: error: cannot read the configuration: {exc}"]) from None
    table = data.get("tool", {}).get("oasgen") if path.name == "pyproject.toml" else data
    prefix = "tool.oasgen" if path.name == "pyproject.toml" else ""
    if not isinstance(table, dict):
        raise ConfigError([f"{path}: error: no [tool.oasgen] table"])
    unknown = sorted(set(table) - {"clients"})
    errors = [f"{path}: error: unknown key {_key(prefix, k)!r}" for k in unknown]
    clients = table.get("clients")
    if not isinstance(clients, list) or not clients:
        errors.append(f"{path}: error: {_key(prefix, 'clients')!r} must list at least one client")
        raise ConfigError(errors)
    configs = []
    for index, entry in enumerate(clients):
        where = _key(prefix, f"clients[{index}]")
        if not isinstance(entry, dict):
            errors.append(f"{path}: error: {where} must be a table")
            continue
        errors += [f"{path}: error: unknown key {where + '.' + k!r}" for k in sorted(set(entry) - _CLIENT_KEYS)]
        config = _client_config(path.parent, entry, where, path, errors)
        if config is not None:
            configs.append(config)
    if errors:
        raise ConfigError(errors)
    return configs


def _key(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _client_config(base: Path, entry: dict[str, object], where: str, path: Path, errors: list[str]) -> ClientConfig | None:
    spec, output = entry.get("spec"), entry.get("output")
    if not isinstance(spec, str) or not isinstance(output, str):
        errors.append(f"{path}: error: {where} needs 'spec' and 'output' strings")
        return None
    headers = entry.get("extra-headers", {})
    extra: list[ExtraHeader] = []
    if isinstance(headers, dict):
        for argument, header in headers.items():
            if isinstance(header, str):
                extra.append(ExtraHeader(argument, header))
            elif isinstance(header, dict) and isinstance(header.get("header"), str):
                extra.append(ExtraHeader(argument, header["header"], str(header.get("description", ""))))
            else:
                errors.append(f"{path}: error: {where}.extra-headers.{argument} must be a header name")
    else:
        errors.append(f"{path}: error: {where}.extra-headers must be a table")
    formatter = entry.get("formatter", "black")
    if formatter not in ("black", "ruff", "none"):
        errors.append(f"{path}: error: {where}.formatter must be black, ruff or none")
        formatter = "black"
    templates = entry.get("templates")
    return ClientConfig(
        spec=base / spec,
        output=base / output,
        package_name=_opt_str(entry.get("package-name")),
        client_name=_opt_str(entry.get("client-name")),
        extra_headers=extra,
        formatter=formatter,  # type: ignore[arg-type]
        templates=base / templates if isinstance(templates, str) else None,
        strict=entry.get("strict") is True,
        allow_outside_refs=entry.get("allow-outside-refs") is True,
    )


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
