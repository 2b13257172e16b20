"""How an operation's request is built, as views: the module-level `Endpoint(...)` holding what the
operation always sends, the shared constants it refers to, and the keyword arguments of the
`self._client.call(...)` that sends the rest. Every spec string passes through `py_literal`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.codegen import layout, shapes
from generator.codegen.literals import py_literal
from generator.model import naming
from generator.model.api import DEFAULT_STYLES, Parameter, RequestBody, Server

# A constant's value: code; the items of a dict; a call (function, arguments).
Constant = str | list[str] | tuple[str, list[str]]

CALL_INDENT = " " * 12  # the arguments of `self._client.call(` in a method body


@dataclass
class CallArgument:
    """A keyword argument of `self._client.call(...)`: a dict from wire names to the method's
    arguments (`items`, each `"name": argument`), or one argument (`value`)."""

    keyword: str
    value: str = ""
    items: list[str] = field(default_factory=list)
    one_line: bool = True  # the dict on the keyword's line; else one item a line

    @property
    def code(self) -> str:
        """The argument on one line."""
        return f"{self.keyword}={self.value or '{' + ', '.join(self.items) + '}'}"


def dict_argument(keyword: str, items: list[str]) -> CallArgument:
    return CallArgument(
        keyword, items=items, one_line=shapes.one_line(f"{CALL_INDENT}{keyword}={{", items, "},")
    )


@dataclass
class EndpointView:
    """`name: Endpoint[returns] = Endpoint(arguments)`, a module-level constant per operation."""

    name: str
    returns: str
    arguments: list[str]
    one_line: bool
    code: str = ""  # the statement laid out by `layout`, where neither shape is black's


def endpoint_view(name: str, returns: str, arguments: list[str]) -> EndpointView:
    head = f"{name}: Endpoint[{returns}] = Endpoint("
    view = EndpointView(name, returns, arguments, shapes.one_line(head, arguments, ")"))
    if not view.one_line and not shapes.exploded_fits(head, arguments):
        view.code = layout.call_assignment(
            "", f"{name}: Endpoint[{returns}]", "Endpoint", arguments
        )
    return view


@dataclass
class ConstantView:
    """`name: Any = value`, a value shared by operations of a module. A dict or a call has `items`
    between `opener` and `closer`, written on one line or one item a line."""

    name: str
    value: str  # the whole value on one line
    opener: str = ""
    items: list[str] = field(default_factory=list)
    closer: str = ""
    one_line: bool = True
    code: str = ""  # the statement laid out by `layout`, where neither shape is black's


def constant_view(name: str, value: Constant) -> ConstantView:
    if isinstance(value, str):
        return ConstantView(name, value)
    if isinstance(value, tuple):
        opener, items, closer = value[0] + "(", value[1], ")"
    else:
        opener, items, closer = "{", value, "}"
    whole = opener + ", ".join(items) + closer
    view = ConstantView(
        name, whole, opener, items, closer, shapes.one_line(f"{name}: Any = ", [whole])
    )
    if not view.one_line and not shapes.exploded_fits(f"{name}: Any = {opener}", items):
        view.code = (
            layout.call_assignment("", f"{name}: Any", value[0], value[1])
            if isinstance(value, tuple)
            else layout.collection("", f"{name}: Any = ", "{", items)
        )
    return view


def shared_constant(constants: dict[str, Constant], prefix: str, value: Constant) -> str:
    """The name of a module-level constant shared by the operations that need the same value."""
    for name, existing in constants.items():
        if existing == value:
            return name
    name = f"{prefix}_{sum(1 for n in constants if n.startswith(prefix))}"
    constants[name] = value
    return name


class WireRules:
    """What the runtime needs to serialise an operation's parameters beyond the defaults: the
    Endpoint's `styles`, `allow_reserved` and `param_media` arguments."""

    def __init__(self) -> None:
        self.styles: list[str] = []
        self.reserved: list[str] = []
        self.media: list[str] = []

    def add(self, p: Parameter) -> None:
        key = f"({py_literal(p.location)}, {py_literal(p.name)})"
        if p.media_type:
            self.media.append(f"{key}: {py_literal(p.media_type)}")
        elif (p.style, p.explode) != DEFAULT_STYLES[p.location]:
            self.styles.append(f"{key}: ({py_literal(p.style)}, {p.explode})")
        if p.allow_reserved and not p.media_type:
            self.reserved.append(py_literal(p.name))

    def arguments(self) -> list[str]:
        out = []
        if self.styles:
            out.append("styles={" + ", ".join(self.styles) + "}")
        if self.reserved:
            out.append(
                "allow_reserved=("
                + ", ".join(self.reserved)
                + ("," if len(self.reserved) == 1 else "")
                + ")"
            )
        if self.media:
            out.append("param_media={" + ", ".join(self.media) + "}")
        return out


def endpoint_name(method: str) -> str:
    """The module-level constant of an operation: its method's name in capitals, cut short (with a
    hash, so it stays unique) when so long that its declaration could not fit 100 columns."""
    name = "_" + method.upper()
    # the names of the shared constants, and of Paging declarations (`_PAGES` + an Endpoint's)
    if re.fullmatch(r"_(ERRORS|SECURITY|SERVER|ENCODING)_[0-9]+|_(PAGES|EVENTS)_.*", name):
        return name + "_ENDPOINT"
    return naming.shortened(name, 48, digest_case=str.upper)


def encoding_argument(body: RequestBody, constants: dict[str, Constant]) -> list[str]:
    """`encoding=` of the Endpoint, when the body has Encoding Objects: runtime PartEncodings."""
    items = []
    for part in body.encoding:
        arguments = [f"content_type={py_literal(part.content_type)}"] if part.content_type else []
        if part.style:
            arguments.append(f"style={py_literal(part.style)}")
        if part.explode is not None:
            arguments.append(f"explode={part.explode}")
        if part.headers:
            arguments.append(
                "headers={"
                + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in part.headers)
                + "}"
            )
        if arguments:
            items.append(f"{py_literal(part.json_name)}: _PartEncoding({', '.join(arguments)})")
    if not items:
        return []
    return [f"encoding={shared_constant(constants, '_ENCODING', items)}"]


def server_arguments(server: Server, prefix: str = "") -> list[str]:
    """The arguments of the runtime's `Server(...)` for a server of the spec (`prefix`: of the name
    the module imports `ServerVariable` as)."""
    arguments = [py_literal(server.url)]
    if server.variables:
        variables = [
            f"{prefix}ServerVariable({py_literal(v.name)}, {py_literal(v.default)}"
            + (f", {py_literal(tuple(v.enum))})" if v.enum else ")")
            for v in server.variables
        ]
        arguments.append("(" + ", ".join(variables) + ("," if len(variables) == 1 else "") + ")")
    return arguments
