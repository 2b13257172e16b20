"""Cost of reading a webhook delivery with the generated Fax.Plus client.

Usage:
    .venv/bin/python bench/webhooks.py [--runs 2000]

Printed: the median microseconds of `parse_webhook` on a Fax.Plus delivery (bytes in, the typed
`WebhookCallback` out), of the same with a verifier, of a Standard Webhooks signature check alone
(HMAC-SHA256 of the body, constant-time comparison), and of a deprecated-operation check (the
runtime's once-per-process warning after its first call), each over `--runs` calls in 5 rounds.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generated" / "faxplus"))

import faxplus
import httpx
from faxplus._deliveries import verify_standard_webhook
from faxplus._deprecation import warn_deprecated

DELIVERY = json.dumps(
    {
        "hook": {"id": "h1", "event": "fax_received", "event_time": "2026-01-02 10:00:00"},
        "data": {"id": "f1", "uid": "u1", "pages": 2, "from_number": "+1555", "status": "success"},
    }
).encode()
SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()


def _signed_headers(body: bytes) -> httpx.Headers:
    stamp = str(int(time.time()))
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    mac = hmac.new(key, f"msg_1.{stamp}.".encode() + body, hashlib.sha256).digest()
    return httpx.Headers(
        {
            "webhook-id": "msg_1",
            "webhook-timestamp": stamp,
            "webhook-signature": "v1," + base64.b64encode(mac).decode(),
        }
    )


def measure(name: str, call: Callable[[], object], runs: int) -> None:
    call()  # first call: pydantic builds the validator
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(runs):
            call()
        rounds.append((time.perf_counter() - started) / runs * 1e6)
    print(f"{name:<48} {statistics.median(rounds):8.1f} us")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2000)
    runs = parser.parse_args().runs
    headers = _signed_headers(DELIVERY)
    import warnings

    warnings.simplefilter("ignore", DeprecationWarning)
    measure("parse_webhook(bytes)", lambda: faxplus.parse_webhook(DELIVERY), runs)
    measure(
        "parse_webhook(bytes, verifier=...)",
        lambda: faxplus.parse_webhook(DELIVERY, headers, verifier=lambda b, h: True),
        runs,
    )
    measure(
        "verify_standard_webhook (signature only)",
        lambda: verify_standard_webhook(DELIVERY, headers, SECRET),
        runs,
    )
    measure("deprecated call: warn_deprecated after the first", lambda: warn_deprecated("x"), runs)


if __name__ == "__main__":
    main()
