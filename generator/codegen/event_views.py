"""The code of a method answering with server-sent events (issue 17): the module-level `Events`
declaration beside its Endpoint, the `stream` argument, the `@overload`s that type `stream=True` as
`Stream[Event]` and the default as the JSON answer, and the `return self._client.events(...)` of
its bodies. An operation answering only with events takes no `stream`: it always streams."""

from __future__ import annotations

from dataclasses import dataclass

from generator.codegen import layout, shapes
from generator.codegen.annotations import annotation as model_annotation
from generator.codegen.annotations import annotation_names
from generator.codegen.literals import py_literal
from generator.model.api import EventStream, Operation
from generator.model.events import DEFAULT_SENTINEL
from generator.model.media import EVENT_STREAM
from generator.model.types import Primitive

# Resource modules import these; every runtime name is reserved, so no spec name takes them.
NAMES = frozenset({"Events", "Stream", "AsyncStream"})
OVERLOAD_NAMES = frozenset({"overload", "Literal", "NotGiven", "NOT_GIVEN"})
STREAM_DOC = (
    "True: the answer's server-sent events, each parsed as it arrives (`Stream`, "
    "`AsyncStream`), instead of the JSON answer."
)
ALWAYS_NOTE = (
    "Streams: the answer is server-sent events, each parsed as it arrives; iterate it, or use it "
    "in a `with` block, which closes it."
)


@dataclass(frozen=True)
class StreamArgument:
    """The `stream` argument of one signature: its annotation, and its default ("" for none)."""

    annotation: str
    default: str


@dataclass(frozen=True)
class Overload:
    """One `@overload` of the method: its `stream` argument and what it answers (sync, async)."""

    stream: StreamArgument
    returns: tuple[str, str]


@dataclass(frozen=True)
class EventsView:
    """A method answering with events: the module-level `name: Events[event] = Events(arguments)`,
    its answers, its overloads, and the implementation's `stream` argument (None: always streams)."""

    name: str  # `_EVENTS_CREATE_CHAT_COMPLETION`
    event: str  # each event's annotation
    arguments: list[str]
    one_line: bool
    code: str  # the declaration laid out by `layout`, where neither shape is black's ("" if not)
    sync_returns: str
    async_returns: str
    overloads: list[Overload]
    stream: StreamArgument | None
    names: frozenset[str]


def events_view(op: Operation, endpoint: str, result: str) -> EventsView:
    """`endpoint`: the name of the operation's Endpoint; `result`: its JSON answer's annotation."""
    events = op.events
    assert events is not None
    event = model_annotation(events.type, typing_generics=True)
    name = "_EVENTS" + endpoint
    arguments = events_arguments(events, event, streaming_accept(op))
    head = f"{name}: Events[{event}] = Events("
    one_line = shapes.one_line(head, arguments, ")")
    code = ""
    if not one_line and not shapes.exploded_fits(head, arguments):
        code = layout.call_assignment("", f"{name}: Events[{event}]", "Events", arguments)
    streams = (f"Stream[{event}]", f"AsyncStream[{event}]")
    names = NAMES | annotation_names(events.type, typing_generics=True)
    if events.always:
        return EventsView(
            name, event, arguments, one_line, code, *streams, [], None, frozenset(names)
        )
    either = (f"{result} | {streams[0]}", f"{result} | {streams[1]}")
    overloads = [
        Overload(StreamArgument("Literal[True]", ""), streams),
        Overload(StreamArgument("Literal[False] | NotGiven", "NOT_GIVEN"), (result, result)),
        Overload(StreamArgument("bool", ""), either),
    ]
    return EventsView(
        name,
        event,
        arguments,
        one_line,
        code,
        *either,
        overloads,
        StreamArgument("bool | NotGiven", "NOT_GIVEN"),
        frozenset(names | OVERLOAD_NAMES),
    )


def streaming_accept(op: Operation) -> str:
    """The Accept header of a streaming request: events, and the JSON of documented errors."""
    errors = [
        c.media_type
        for r in op.responses
        if not r.status.startswith("2")
        and r.status != "default"
        or r.status == "default"
        and any(x.status.startswith("2") for x in op.responses)
        for c in r.contents
        if c.kind == "json"
    ]
    return ", ".join([EVENT_STREAM] + [f"{m};q=0.9" for m in dict.fromkeys(errors)])


def events_arguments(events: EventStream, event: str, accept: str = EVENT_STREAM) -> list[str]:
    """The arguments of the runtime's `Events(...)`: the event type, and what differs from the
    defaults."""
    arguments = [event]
    if events.convention == "whole":
        arguments.append("whole=True")
    elif events.type == Primitive("str"):  # text data, given as it is
        arguments.append("data_json=False")
    if events.sentinel != DEFAULT_SENTINEL:
        arguments.append(f"sentinel={py_literal(events.sentinel)}")
    if events.flag:
        arguments.append(f"flag={py_literal(events.flag)}")
    if events.error_field != "error":
        arguments.append(f"error_field={py_literal(events.error_field)}")
    if accept != EVENT_STREAM:
        arguments.append(f"accept={py_literal(accept)}")
    if events.always:
        arguments.append("always=True")
    return arguments
