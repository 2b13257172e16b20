"""Keys of a client table in `[tool.oasgen]`, checked: overlays and filters (what the client is
made of), the webhook settings, and the names and documentation site of the client's methods."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

SELECTION_KEYS = (
    "overlays",
    "include-tags",
    "exclude-tags",
    "include-operations",
    "exclude-operations",
)


def selection_settings(
    base: Path,
    entry: dict[str, object],
    where: str,
    errors: list[str],
    error: Callable[[str, str], str],
) -> dict[str, list[str] | list[Path]]:
    """The overlays and filters of a client table: lists of non-empty strings; overlay files
    must exist."""
    found: dict[str, list[str] | list[Path]] = {}
    for key in SELECTION_KEYS:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            errors.append(error(f"{where}.{key} must be a list of non-empty strings", key))
            continue
        if key == "overlays":
            missing = [v for v in value if not (base / v).is_file()]
            errors += [error(f"{where}.overlays: no file {m!r}", key) for m in missing]
            found[key] = [base / v for v in value]
        else:
            found[key.replace("-", "_")] = list(value)
    return found


def webhook_settings(
    entry: dict[str, object],
    where: str,
    errors: list[str],
    error: Callable[[str, str], str],
) -> tuple[list[str], str]:
    """The component schemas of webhook deliveries, and how they are signed ("" as the spec says)."""
    webhooks = entry.get("webhooks", [])
    if not isinstance(webhooks, list) or not all(isinstance(w, str) and w for w in webhooks):
        errors.append(
            error(f'{where}.webhooks must list schema names, like ["WebhookCallback"]', "webhooks")
        )
        webhooks = []
    signature = entry.get("webhook-signature", "")
    if signature not in ("", "standard-webhooks", "none"):
        errors.append(
            error(
                f'{where}.webhook-signature must be "standard-webhooks" or "none", not {signature!r}',
                "webhook-signature",
            )
        )
        signature = ""
    return [str(w) for w in webhooks], str(signature)


_NAME_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def naming_settings(
    entry: dict[str, object],
    where: str,
    errors: list[str],
    error: Callable[[str, str], str],
) -> tuple[dict[str, str], str]:
    """The `names` table (operationId -> "group.sub.method" or "method") and `docs-url`."""
    names = entry.get("names", {})
    found: dict[str, str] = {}
    if not isinstance(names, dict):
        errors.append(
            error(f'{where}.names must be a table of operationId = "group.method"', "names")
        )
    else:
        for operation_id, value in names.items():
            if isinstance(value, str) and _NAME_PATH.match(value):
                found[str(operation_id)] = value
            else:
                errors.append(
                    error(
                        f"{where}.names.{operation_id} must be a method name, or groups and the "
                        f'method joined by dots ("fine_tuning.jobs.list"), not {value!r}',
                        str(operation_id),
                    )
                )
    docs_url = entry.get("docs-url", "")
    if not isinstance(docs_url, str) or (docs_url and not re.match(r"^https?://[^/\s]+", docs_url)):
        errors.append(
            error(f"{where}.docs-url must be an http(s) URL, not {docs_url!r}", "docs-url")
        )
        docs_url = ""
    return found, str(docs_url)


def naming_fingerprint(names: dict[str, str], docs_url: str) -> str:
    """ "" when neither is set, as before these keys existed."""
    listed = ",".join(f"{k}={v}" for k, v in sorted(names.items()))
    return (f"|names={listed}" if names else "") + (f"|docs-url={docs_url}" if docs_url else "")
