"""A small spec whose operations are named by every kind of override, and whose resources nest
(tests/test_method_names.py, tests/test_names_typing.py)."""

from __future__ import annotations

from typing import Any


def _op(op_id: str, **extensions: Any) -> dict[str, Any]:
    return {
        "operationId": op_id,
        "tags": ["chat"],
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}},
            }
        },
        **extensions,
    }


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Names", "version": "1"},
    "externalDocs": {"url": "https://docs.example.com/guides/"},
    "tags": [{"name": "chat", "description": "Talk. See [the guide](/docs/chat)."}],
    "paths": {
        "/chat.postMessage": {"post": _op("chat_postMessage")},
        "/chat.delete": {"post": _op("chat_delete")},
        "/chat": {"get": _op("chat")},  # the bare prefix: nothing left to keep
        "/jobs": {
            "get": _op("listFineTuningJobs", **{"x-oasgen-name": "fine_tuning.jobs.list"}),
            "post": _op(
                "createFineTuningJob",
                **{"x-speakeasy-group": "fineTuning.jobs", "x-speakeasy-name-override": "create"},
            ),
        },
        "/jobs/{id}": {
            "get": _op(
                "retrieveFineTuningJob",
                **{
                    "x-fern-sdk-group-name": ["fineTuning", "jobs"],
                    "x-fern-sdk-method-name": "retrieve",
                },
            ),
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
        },
        "/jobs/{id}/cancel": {
            "post": _op("cancelJob"),
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
        },
    },
    "components": {
        "schemas": {
            "Job": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "temperature": {
                        "anyOf": [
                            {
                                "type": "number",
                                "description": "How random. See [sampling](/docs/sampling).",
                            },
                            {"type": "null"},
                        ]
                    },
                    "model": {
                        "allOf": [{"$ref": "#/components/schemas/Model"}],
                        "description": "The model to use.",
                    },
                    "kind": {"allOf": [{"$ref": "#/components/schemas/Model"}]},
                    "seed": {
                        "oneOf": [{"type": "integer", "description": "A seed."}, {"type": "null"}]
                    },
                    "note": {
                        "type": "string",
                        "nullable": True,
                        "description": 'Read <a href="/docs/notes">notes</a>.',
                    },
                },
            },
            "Model": {"type": "string", "description": "A model id.", "enum": ["a", "b"]},
        }
    },
}
