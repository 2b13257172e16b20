"""The list-valued keys of a client table in `[tool.oasgen]`, checked: overlays and filters
(what the client is made of), and the webhook settings."""

from __future__ import annotations

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
