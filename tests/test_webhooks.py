"""Webhook deliveries (issue 13): `parse_webhook` of the generated package reads a delivery into its
typed event, refuses a malformed one with a `ValueError` saying why, and checks Standard Webhooks
signatures where the spec or the configuration declares them. The events come from 3.1 `webhooks`,
operation `callbacks`, or the configuration's `webhooks` schema names (Fax.Plus, a 3.0 spec)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import json
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import CORPUS, REPO, black_changes, generate_client, lint_problems

EVENTS_SPEC = REPO / "tests" / "events" / "events-3.1.yaml"

# The test vector of the Standard Webhooks specification's reference libraries.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_PAYLOAD = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def _import(root: Path, package: str) -> ModuleType:
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(root))


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    output = tmp_path_factory.mktemp("events") / "client"
    generate_client(EVENTS_SPEC, output, package_name="events_demo")
    return _import(output, "events_demo")


def sign(
    body: bytes, secret: str, msg_id: str = "msg_1", timestamp: int | None = None
) -> dict[str, str]:
    """Standard Webhooks headers for `body`, computed here from the specification."""
    stamp = int(time.time()) if timestamp is None else timestamp
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    return {
        "Webhook-Id": msg_id,
        "Webhook-Timestamp": str(stamp),
        "Webhook-Signature": "v1," + base64.b64encode(mac).decode(),
    }


SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
PAID = {"type": "invoice.paid", "id": "evt_1", "data": {"amount": 1200, "currency": "EUR"}}


# ---- Fax.Plus (the committed client; its configuration names WebhookCallback) ------------------


FAX_DELIVERY = {
    "hook": {"id": "h1", "event": "fax_received", "event_time": "2026-01-02 10:00:00"},
    "data": {"id": "f1", "uid": "u1", "pages": 2, "from_number": "+15551234", "status": "success"},
}


@pytest.mark.parametrize("form", ["bytes", "str", "mapping"])
def test_faxplus_delivery_parses_into_webhook_callback(form: str) -> None:
    import faxplus
    from faxplus.models import WebhookCallback

    payload: Any = {
        "bytes": json.dumps(FAX_DELIVERY).encode(),
        "str": json.dumps(FAX_DELIVERY),
        "mapping": FAX_DELIVERY,
    }[form]
    event = faxplus.parse_webhook(payload, {"Content-Type": "application/json"})
    assert isinstance(event, WebhookCallback)
    assert event.hook is not None and event.hook.id == "h1"
    assert event.hook.event == "fax_received"
    assert event.data is not None and event.data.pages == 2 and event.data.id == "f1"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b'{"hook": {"id": ', "not JSON"),
        (b"\xff\xfe{}", "not JSON"),
        ("[1, 2]", "must be a JSON object, not an array"),
        ('"hook"', "must be a JSON object, not a string"),
        (b'{"hook": 5}', "hook: Input should be a valid dictionary"),
        ({"data": {"pages": "many"}}, "data.pages: Input should be a valid number"),
    ],
)
def test_faxplus_malformed_delivery_raises_value_error_with_the_reason(
    payload: Any, reason: str
) -> None:
    import faxplus

    with pytest.raises(ValueError, match="webhook") as raised:
        faxplus.parse_webhook(payload)
    assert reason in str(raised.value)
    assert "many" not in str(raised.value)  # values are not echoed: a payload may be personal


def test_faxplus_takes_no_secret_and_a_verifier_decides() -> None:
    import faxplus

    body = json.dumps(FAX_DELIVERY).encode()
    seen: list[tuple[bytes, str | None]] = []

    def shared_token(raw: bytes, headers: Any) -> bool:
        seen.append((raw, headers.get("x-token")))
        return headers.get("x-token") == "expected"

    event = faxplus.parse_webhook(body, {"X-Token": "expected"}, verifier=shared_token)
    assert event.data is not None and event.data.id == "f1"
    assert seen == [(body, "expected")]  # the raw body, headers in any case
    with pytest.raises(faxplus.WebhookVerificationError, match="rejected by the verifier"):
        faxplus.parse_webhook(body, {"X-Token": "forged"}, verifier=shared_token)
    with pytest.raises(TypeError, match="raw body"):
        faxplus.parse_webhook(FAX_DELIVERY, {}, verifier=shared_token)
    with pytest.raises(TypeError):
        faxplus.parse_webhook(body, secret=SECRET)  # type: ignore[call-arg]


def test_faxplus_readme_says_deliveries_are_not_signed() -> None:
    readme = (REPO / "generated" / "faxplus" / "README.md").read_text("utf-8")
    section = readme.split("## Webhook deliveries", 1)[1].split("\n## ", 1)[0]
    assert "parse_webhook(body, headers)" in section
    assert "declares no signature for its deliveries, so this client checks none" in section
    assert "whsec_" not in section


# ---- a 3.1 spec: webhooks and a callback, discriminated by `type`, signed ---------------------


def test_events_are_discriminated_by_their_constant_type(events: ModuleType) -> None:
    models = importlib.import_module("events_demo.models")
    paid = events.parse_webhook(json.dumps(PAID))
    assert isinstance(paid, models.InvoicePaid) and paid.data.amount == 1200
    voided = events.parse_webhook({"type": "invoice.voided", "id": "evt_2", "reason": "dup"})
    assert type(voided).__name__ == "InvoiceVoidedWebhook" and voided.reason == "dup"
    ping = events.parse_webhook(b'{"type": "ping", "id": "evt_3"}')  # from the callback
    assert isinstance(ping, models.PingEvent)


def test_unknown_or_missing_event_type_raises_value_error(events: ModuleType) -> None:
    with pytest.raises(ValueError, match=r"'type' is 'invoice.refunded', not an event"):
        events.parse_webhook({"type": "invoice.refunded", "id": "x"})
    with pytest.raises(ValueError, match=r"'type' is missing"):
        events.parse_webhook({"id": "x"})
    with pytest.raises(ValueError, match=r"data: Field required"):
        events.parse_webhook({"type": "invoice.paid", "id": "x"})


def test_standard_webhooks_reference_vector(events: ModuleType) -> None:
    import httpx
    from events_demo._deliveries import verify_standard_webhook

    headers = httpx.Headers(
        {
            "webhook-id": VECTOR_ID,
            "webhook-timestamp": str(VECTOR_TIMESTAMP),
            "webhook-signature": VECTOR_SIGNATURE,
        }
    )
    verify_standard_webhook(VECTOR_PAYLOAD, headers, VECTOR_SECRET, now=VECTOR_TIMESTAMP + 10)
    with pytest.raises(ValueError, match="no signature"):
        verify_standard_webhook(
            VECTOR_PAYLOAD.replace(b"2", b"3"), headers, VECTOR_SECRET, now=VECTOR_TIMESTAMP
        )


def test_valid_signature_is_accepted(events: ModuleType) -> None:
    body = json.dumps(PAID).encode()
    event = events.parse_webhook(body, sign(body, SECRET), secret=SECRET)
    assert event.id == "evt_1"
    # text as the framework decoded it, lower-case header names
    headers = {k.lower(): v for k, v in sign(body, SECRET).items()}
    assert events.parse_webhook(body.decode(), headers, secret=SECRET).id == "evt_1"


def test_tampered_body_or_id_is_refused(events: ModuleType) -> None:
    body = json.dumps(PAID).encode()
    headers = sign(body, SECRET)
    tampered = body.replace(b"1200", b"9900")
    with pytest.raises(events.WebhookVerificationError, match="no signature"):
        events.parse_webhook(tampered, headers, secret=SECRET)
    with pytest.raises(events.WebhookVerificationError):
        events.parse_webhook(body, {**headers, "Webhook-Id": "msg_2"}, secret=SECRET)
    for missing in ("Webhook-Id", "Webhook-Timestamp", "Webhook-Signature"):
        partial = {k: v for k, v in headers.items() if k != missing}
        with pytest.raises(events.WebhookVerificationError, match=f"no {missing.lower()} header"):
            events.parse_webhook(body, partial, secret=SECRET)


def test_old_and_future_timestamps_are_refused_within_tolerance(events: ModuleType) -> None:
    body = json.dumps(PAID).encode()
    now = int(time.time())
    old = sign(body, SECRET, timestamp=now - 301)
    with pytest.raises(events.WebhookVerificationError, match="too old"):
        events.parse_webhook(body, old, secret=SECRET)
    future = sign(body, SECRET, timestamp=now + 400)
    with pytest.raises(events.WebhookVerificationError, match="in the future"):
        events.parse_webhook(body, future, secret=SECRET)
    assert events.parse_webhook(body, old, secret=SECRET, tolerance=600).id == "evt_1"
    within = sign(body, SECRET, timestamp=now - 200)
    assert events.parse_webhook(body, within, secret=SECRET).id == "evt_1"
    bad = {**within, "Webhook-Timestamp": "yesterday"}
    with pytest.raises(events.WebhookVerificationError, match="Unix time"):
        events.parse_webhook(body, bad, secret=SECRET)


def test_any_of_several_signatures_may_match(events: ModuleType) -> None:
    """While a secret is rotated the API signs with both: `v1,old v1,new`."""
    body = json.dumps(PAID).encode()
    other = "whsec_" + base64.b64encode(b"another key, another key, 32 by").decode()
    headers = sign(body, SECRET)
    rotated = sign(body, other)["Webhook-Signature"]
    both = {**headers, "Webhook-Signature": f"v2,xyz {rotated} {headers['Webhook-Signature']}"}
    assert events.parse_webhook(body, both, secret=SECRET).id == "evt_1"
    assert events.parse_webhook(body, both, secret=other).id == "evt_1"
    only_other_version = {
        **headers,
        "Webhook-Signature": headers["Webhook-Signature"].replace("v1,", "v2,"),
    }
    with pytest.raises(events.WebhookVerificationError):
        events.parse_webhook(body, only_other_version, secret=SECRET)


def test_wrong_or_malformed_secret(events: ModuleType) -> None:
    body = json.dumps(PAID).encode()
    headers = sign(body, SECRET)
    wrong = "whsec_" + base64.b64encode(b"not the endpoint's secret at all").decode()
    with pytest.raises(events.WebhookVerificationError, match="no signature"):
        events.parse_webhook(body, headers, secret=wrong)
    for malformed in ("whsec_not*base64!", "", "whsec_"):
        with pytest.raises(ValueError, match="whsec_") as raised:
            events.parse_webhook(body, headers, secret=malformed)
        # the integrator's configuration, not the delivery, is wrong
        assert not isinstance(raised.value, events.WebhookVerificationError)


def test_signature_needs_the_raw_body(events: ModuleType) -> None:
    with pytest.raises(TypeError, match="raw body"):
        events.parse_webhook(PAID, sign(json.dumps(PAID).encode(), SECRET), secret=SECRET)


def test_signature_is_compared_in_constant_time(
    events: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    deliveries = importlib.import_module("events_demo._deliveries")
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(deliveries.hmac, "compare_digest", spy)
    body = json.dumps(PAID).encode()
    events.parse_webhook(body, sign(body, SECRET), secret=SECRET)
    assert len(calls) == 1


def test_generated_webhooks_module_is_black_stable_and_lint_clean(events: ModuleType) -> None:
    package = Path(events.__file__ or "").parent
    assert black_changes(package) == []
    assert lint_problems(package) == ""
    readme = (package.parent / "README.md").read_text("utf-8")
    assert (
        "[Standard Webhooks]" in readme
        and 'secret=os.environ["EVENTS_DEMO_WEBHOOK_SECRET"]' in readme
    )
    assert "| `invoice.paid` | `InvoicePaid` | An invoice was paid." in readme
    assert "The `type` property tells the events apart" in readme


# ---- the model stage ----------------------------------------------------------------------------


def _webhooks(spec: Path, **options: Any) -> Any:
    from generator.config import ClientConfig
    from generator.model.builder import build_api
    from generator.spec.loader import load_spec

    config = ClientConfig(spec=spec, output=Path("unused"), **options)
    api, _ = build_api(load_spec(spec), config)
    return api.webhooks


def test_model_reads_webhooks_callbacks_and_signature_headers() -> None:
    hooks = _webhooks(EVENTS_SPEC)
    assert [(e.name, e.source, e.tag) for e in hooks.events] == [
        ("invoice.paid", "webhook", "invoice.paid"),
        ("invoice.voided", "webhook", "invoice.voided"),
        ("createSubscription.onPing", "callback", "ping"),
    ]
    assert hooks.events[2].expression == "{$request.body#/url}"
    assert hooks.discriminator == "type" and hooks.signature == "standard-webhooks"
    assert _webhooks(EVENTS_SPEC, webhook_signature="none").signature == ""


def test_openai_webhooks_discriminate_by_type_and_sign_when_configured() -> None:
    spec = CORPUS / "openai-openapi.yaml"
    hooks = _webhooks(spec, webhook_signature="standard-webhooks")
    assert len(hooks.events) == 16 and hooks.discriminator == "type"
    assert {e.name: e.tag for e in hooks.events}["batch_completed"] == "batch.completed"
    assert hooks.signature == "standard-webhooks"
    assert _webhooks(spec).signature == ""  # the spec itself does not say


def test_configured_schema_must_exist() -> None:
    from generator.config import ConfigError

    assert _webhooks(REPO / "specs" / "faxplus.yaml", webhooks=["WebhookCallback"]).events[
        0
    ].name == ("WebhookCallback")
    assert _webhooks(REPO / "specs" / "faxplus.yaml") is None
    with pytest.raises(ConfigError, match="no schema 'WebhookCallbak'"):
        _webhooks(REPO / "specs" / "faxplus.yaml", webhooks=["WebhookCallbak"])


def test_configuration_keys_are_checked(tmp_path: Path) -> None:
    from generator.config import ConfigError, load_config_file

    path = tmp_path / "oasgen.toml"
    path.write_text(
        '[[clients]]\nspec = "a.yaml"\noutput = "out"\nwebhooks = ["Event"]\n'
        'webhook-signature = "standard-webhooks"\n'
    )
    (config,) = load_config_file(path)
    assert config.webhooks == ["Event"] and config.webhook_signature == "standard-webhooks"
    path.write_text(
        '[[clients]]\nspec = "a.yaml"\noutput = "out"\nwebhooks = "Event"\nwebhook-signature = "hmac"\n'
    )
    with pytest.raises(ConfigError) as raised:
        load_config_file(path)
    assert "oasgen.toml:4:1: error: clients[0].webhooks must list schema names" in str(raised.value)
    assert 'webhook-signature must be "standard-webhooks" or "none"' in str(raised.value)


# ---- corpus: callbacks without a discriminator ---------------------------------------------------


def test_corpus_callbacks_without_discriminator_are_a_union_pydantic_resolves(
    tmp_path: Path,
) -> None:
    output = tmp_path / "client"
    generate_client(
        CORPUS / "oag-callbacks.yaml", output, package_name="callbacks_demo", formatter="none"
    )
    client = _import(output, "callbacks_demo")
    hooks = _webhooks(CORPUS / "oag-callbacks.yaml")
    assert hooks.discriminator == "" and len(hooks.types) == 2
    models = importlib.import_module("callbacks_demo.models")
    assert client.WebhookEvent == models.NewNotificationData | models.DeleteNotificationData
    event = client.parse_webhook({"timestamp": "2026-01-02T10:00:00Z", "userData": "x"})
    assert isinstance(event, models.NewNotificationData) and event.user_data == "x"
    with pytest.raises(ValueError, match="timestamp"):
        client.parse_webhook({"timestamp": "yesterday"})


# ---- hostile spec strings ------------------------------------------------------------------------

HOSTILE = '"""\'; import os; os.system("echo pwned") #\n\\x00 `|'


def test_hostile_event_names_tags_and_discriminator_stay_text(tmp_path: Path) -> None:
    def event(tag: str) -> dict[str, Any]:
        return {
            "post": {
                "description": HOSTILE,
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ['ki"nd'],
                                "properties": {'ki"nd': {"type": "string", "enum": [tag]}},
                            }
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        }

    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1"},
        "servers": [{"url": "https://h.test"}],
        "paths": {},
        "webhooks": {HOSTILE: event(HOSTILE), "plain": event("plain")},
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(spec), "utf-8")
    output = tmp_path / "client"
    generate_client(path, output, package_name="hostile_hooks")
    package = output / "hostile_hooks"
    assert black_changes(package) == [] and lint_problems(package) == ""
    client = _import(output, "hostile_hooks")
    assert client.parse_webhook({'ki"nd': HOSTILE}).model_dump(by_alias=True) == {'ki"nd': HOSTILE}
    assert client.parse_webhook({'ki"nd': "plain"}).model_dump(by_alias=True) == {'ki"nd': "plain"}
    with pytest.raises(ValueError, match="not an event this client knows"):
        client.parse_webhook({'ki"nd': "other"})
    readme = (output / "README.md").read_text("utf-8")
    table = readme.split("| event | type | what it is |", 1)[1].split("\n\n", 1)[0]
    assert len(table.strip().splitlines()) == 3  # header rule and two rows: no cell broke out


def test_command_line_names_webhook_schemas_and_signature(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli.main import main

    spec = REPO / "specs" / "faxplus.yaml"
    out = tmp_path / "client"
    argv = ["generate", str(spec), "-o", str(out), "--package-name", "fp", "--formatter", "none"]
    assert (
        main([*argv, "--webhook", "WebhookCallback", "--webhook-signature", "standard-webhooks"])
        == 0
    )
    module = (out / "fp" / "_webhooks.py").read_text("utf-8")
    assert "_event_models.WebhookCallback" in module and 'signature="standard-webhooks"' in module
    assert main([*argv, "--webhook", "NoSuchSchema"]) == 2
    assert "no schema 'NoSuchSchema'" in capsys.readouterr().err


def test_payloads_typed_by_builtins_import_what_they_use(tmp_path: Path) -> None:
    # Found by the fuzz test: a payload of any JSON, or a list, made `_webhooks.py` name `Any`
    # without importing it.
    def event(schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": schema}}},
                "responses": {"200": {"description": "ok"}},
            }
        }

    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Loose", "version": "1"},
        "servers": [{"url": "https://l.test"}],
        "paths": {},
        "webhooks": {"anything": event({}), "several": event({"type": "array", "items": {}})},
    }
    path = tmp_path / "loose.json"
    path.write_text(json.dumps(spec), "utf-8")
    output = tmp_path / "client"
    generate_client(path, output, package_name="loose_hooks")
    assert lint_problems(output / "loose_hooks") == ""
    client = _import(output, "loose_hooks")
    assert client.parse_webhook(b'{"a": 1}') == {"a": 1}
