"""Which operations answer with server-sent events, and how (issue 17, item 2): the model's
`EventStream` from small inline specs (the two conventions, the body's `stream` flag, events as
the only answer, sentinels from the spec and the configuration) and from the OpenAI spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, needs_corpus
from model_helpers import openapi, write_spec

from generator.codegen import shapes
from generator.codegen.event_views import events_arguments, events_view, streaming_accept
from generator.config import ClientConfig
from generator.model.api import Api, EventStream, Operation
from generator.model.builder import build_api
from generator.model.types import Named, Primitive
from generator.spec.read import read_spec


def build(path: Path, **options: Any) -> Api:
    source, _ = read_spec(path, lambda source: None)
    config = ClientConfig(spec=path, output=path.parent / "out", package_name="pkg", **options)
    return build_api(source, config)[0]


def operation(api: Api, operation_id: str) -> Operation:
    return next(op for op in api.operations if op.operation_id == operation_id)


def events_of(tmp_path: Path, responses: dict[str, Any], **options: Any) -> Operation:
    """The operation `op` of a spec answering with `responses`, with a JSON body of `prompt` and
    `stream`, and the schemas below."""
    schemas = {
        "Request": {
            "type": "object",
            "properties": {"prompt": {"type": "string"}, "stream": {"type": "boolean"}},
        },
        "Answer": {"type": "object", "properties": {"text": {"type": "string"}}},
        "Chunk": {"type": "object", "properties": {"delta": {"type": "string"}}},
        "Progress": {"type": "object", "properties": {"percent": {"type": "integer"}}},
    }
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Request"}}}}
    paths = {"/op": {"post": {"operationId": "op", "requestBody": body, "responses": responses}}}
    return operation(build(write_spec(tmp_path, openapi(paths, schemas)), **options), "op")


def ok(**content: Any) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": content}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_json_or_events_typed_by_data(tmp_path: Path) -> None:
    op = events_of(
        tmp_path,
        ok(
            **{
                "application/json": {"schema": ref("Answer")},
                "text/event-stream": {"schema": ref("Chunk")},
            }
        ),
    )
    assert op.result_kind == "json" and op.result_type == Named("Answer")
    assert op.accept == "application/json"  # the JSON call does not ask for events
    assert op.events == EventStream(Named("Chunk"), "data", flag="stream", always=False)


def test_events_alone_always_stream(tmp_path: Path) -> None:
    op = events_of(tmp_path, ok(**{"text/event-stream": {"schema": ref("Chunk")}}))
    assert op.events is not None and op.events.always and op.events.flag == "stream"
    assert op.result_kind == "empty"


def test_whole_event_schema(tmp_path: Path) -> None:
    whole = {
        "type": "object",
        "properties": {
            "event": {"type": "string"},
            "id": {"type": "string"},
            "data": ref("Progress"),
        },
    }
    op = events_of(tmp_path, ok(**{"text/event-stream": {"schema": whole}}))
    assert op.events is not None
    assert op.events.convention == "whole"
    assert op.events.error_field == ""  # errors are `event: error`; `data` is typed


def test_whole_event_with_text_data_and_union_of_whole_events(tmp_path: Path) -> None:
    text = {
        "type": "object",
        "properties": {"event": {"type": "string"}, "data": {"type": "string"}},
    }
    op = events_of(tmp_path, ok(**{"text/event-stream": {"schema": text}}))
    assert op.events is not None and op.events.convention == "whole"
    union = {
        "oneOf": [
            {
                "type": "object",
                "properties": {"event": {"const": "progress"}, "data": ref("Progress")},
            },
            {"type": "object", "properties": {"event": {"const": "done"}, "data": ref("Answer")}},
        ]
    }
    op = events_of(tmp_path, ok(**{"text/event-stream": {"schema": union}}))
    assert op.events is not None and op.events.convention == "whole"


def test_a_data_payload_alone_is_not_a_whole_event(tmp_path: Path) -> None:
    # `{"data": [...]}` is what list answers look like: the data's schema, not the event's.
    payload = {"type": "object", "properties": {"data": {"type": "array", "items": ref("Chunk")}}}
    op = events_of(tmp_path, ok(**{"text/event-stream": {"schema": payload}}))
    assert op.events is not None and op.events.convention == "data"


def test_text_events_and_an_error_property_of_the_events(tmp_path: Path) -> None:
    op = events_of(tmp_path, ok(**{"text/event-stream": {"schema": {"type": "string"}}}))
    assert op.events is not None and op.events.type == Primitive("str")
    assert "data_json=False" in events_arguments(op.events, "str")  # text, given as it is
    with_error = {"type": "object", "properties": {"error": {"type": "string"}}}
    op = events_of(tmp_path, ok(**{"text/event-stream": {"schema": with_error}}))
    assert op.events is not None and op.events.error_field == ""  # `error` is its data


def test_sentinels_from_the_media_type_the_operation_and_the_configuration(tmp_path: Path) -> None:
    media = {"schema": ref("Chunk"), "x-oasgen-stream-sentinel": "END"}
    op = events_of(tmp_path, ok(**{"text/event-stream": media}))
    assert op.events is not None and op.events.sentinel == "END"
    op = events_of(tmp_path, ok(**{"text/event-stream": media}), stream_sentinel="")
    assert op.events is not None and op.events.sentinel == ""  # configured: no sentinel at all
    op = events_of(tmp_path, ok(**{"text/event-stream": {"schema": ref("Chunk")}}))
    assert op.events is not None and op.events.sentinel == "[DONE]"


def test_error_answers_are_accepted_beside_events(tmp_path: Path) -> None:
    responses = {
        **ok(**{"text/event-stream": {"schema": ref("Chunk")}}),
        "400": {"description": "bad", "content": {"application/json": {"schema": ref("Answer")}}},
    }
    op = events_of(tmp_path, responses)
    assert op.events is not None
    assert streaming_accept(op) == "text/event-stream, application/json;q=0.9"
    assert events_view(op, "_OP", "Answer").arguments == [
        "Chunk",
        'flag="stream"',
        'accept="text/event-stream, application/json;q=0.9"',
        "always=True",
    ]


def test_no_events_no_event_stream(tmp_path: Path) -> None:
    op = events_of(tmp_path, ok(**{"application/json": {"schema": ref("Answer")}}))
    assert op.events is None
    error_events = {
        **ok(**{"application/json": {"schema": ref("Answer")}}),
        "500": {"description": "x", "content": {"text/event-stream": {"schema": ref("Chunk")}}},
    }
    assert events_of(tmp_path, error_events).events is None  # only success answers stream


def test_multipart_stream_field_is_the_flag_not_an_argument(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "stream": {"type": "boolean"},
        },
    }
    body = {"content": {"multipart/form-data": {"schema": schema}}}
    responses = ok(
        **{
            "application/json": {"schema": ref("Answer")},
            "text/event-stream": {"schema": ref("Chunk")},
        }
    )
    paths = {"/up": {"post": {"operationId": "up", "requestBody": body, "responses": responses}}}
    schemas = {
        "Answer": {"type": "object", "properties": {"text": {"type": "string"}}},
        "Chunk": {"type": "object", "properties": {"delta": {"type": "string"}}},
    }
    op = operation(build(write_spec(tmp_path, openapi(paths, schemas))), "up")
    assert op.events is not None and op.events.flag == "stream"
    assert op.body is not None and [f.json_name for f in op.body.fields] == ["file"]


@needs_corpus()
def test_openai_operations_stream_their_documented_events() -> None:
    api = build(
        CORPUS / "openai-openapi.yaml",
        include_operations=[
            "createChatCompletion",
            "createTranscription",
            "createSpeech",
            "createResponse",
        ],
    )
    chat = operation(api, "createChatCompletion")
    assert chat.result_type == Named("CreateChatCompletionResponse")
    assert chat.events is not None
    assert chat.events.type == Named("CreateChatCompletionStreamResponse")
    assert (chat.events.convention, chat.events.flag, chat.events.always) == (
        "data",
        "stream",
        False,
    )
    assert chat.events.sentinel == "[DONE]" and chat.events.error_field == "error"
    transcription = operation(api, "createTranscription")  # multipart, with a `stream` field
    assert transcription.events is not None and transcription.events.flag == "stream"
    assert transcription.body is not None
    assert "stream" not in [f.json_name for f in transcription.body.fields]
    speech = operation(api, "createSpeech")  # a download, or events (no `stream` property)
    assert speech.result_kind == "binary" and speech.events is not None
    assert speech.events.flag == "" and not speech.events.always
    response = operation(api, "createResponse")
    assert response.events is not None and response.events.type == Named("ResponseStreamEvent")


@pytest.mark.parametrize("value", [1, ["x"]])
def test_configured_sentinel_must_be_text(tmp_path: Path, value: object) -> None:
    from generator.config import ConfigError, load_config_file

    config = tmp_path / "oasgen.toml"
    sentinel = f"stream-sentinel = {value!r}".replace("'", '"')
    config.write_text(f'[[clients]]\nspec = "s.yaml"\noutput = "out"\n{sentinel}\n')
    with pytest.raises(ConfigError, match="stream-sentinel must be a string"):
        load_config_file(config)


def test_a_parameter_named_stream_gives_way_to_the_stream_argument(tmp_path: Path) -> None:
    responses = ok(
        **{
            "application/json": {"schema": ref("Answer")},
            "text/event-stream": {"schema": ref("Chunk")},
        }
    )
    parameter = {"name": "stream", "in": "query", "schema": {"type": "string"}}
    paths = {
        "/op": {"get": {"operationId": "op", "parameters": [parameter], "responses": responses}}
    }
    schemas = {
        "Answer": {"type": "object", "properties": {"text": {"type": "string"}}},
        "Chunk": {"type": "object", "properties": {"delta": {"type": "string"}}},
    }
    op = operation(build(write_spec(tmp_path, openapi(paths, schemas))), "op")
    assert op.events is not None and [(p.name, p.py_name) for p in op.parameters] == [
        ("stream", "stream_parameter")
    ]


def test_long_overloads_are_laid_out_as_black_writes_them(tmp_path: Path) -> None:
    from conftest import black_changes, generate_client

    long = "CreateAVeryLongNamedSomethingForTheStreamingOverloads"
    schemas = {
        f"{long}Response": {"type": "object", "properties": {"text": {"type": "string"}}},
        f"{long}StreamEvent": {"type": "object", "properties": {"delta": {"type": "string"}}},
    }
    responses = ok(
        **{
            "application/json": {"schema": ref(f"{long}Response")},
            "text/event-stream": {"schema": ref(f"{long}StreamEvent")},
        }
    )
    paths = {
        "/op": {"post": {"operationId": "createAVeryLongNamedSomething", "responses": responses}}
    }
    out = tmp_path / "out"
    generate_client(write_spec(tmp_path, openapi(paths, schemas)), out, package_name="pkg")
    text = (out / "pkg" / "resources" / "op.py").read_text()
    assert "    ) -> (\n" in text and "): ...\n" in text  # a return annotation black splits
    assert black_changes(out) == []
    # laid out so by the view (black is given only what the layouts could not write)
    annotation = f"{long}Response | Stream[{long}StreamEvent]"
    assert shapes.return_annotation("    ", annotation, ": ...") == (
        f"(\n        {long}Response\n        | Stream[{long}StreamEvent]\n    )"
    )
