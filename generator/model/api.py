"""The intermediate model: everything templates may see. Plain typed dataclasses, no raw spec."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from generator.model.types import (
    NO_DEFAULT,
    NONE,
    Definition,
    TypeExpr,
)

# ---- operations --------------------------------------------------------------------------------

ParamLocation = Literal["path", "query", "header", "cookie"]
# A parameter's style and explode when the spec gives neither (explode is true for form only).
# The runtime's _params.DEFAULT_STYLES is the same table: the Endpoint declares only what differs.
DEFAULT_STYLES: dict[str, tuple[str, bool]] = {
    "path": ("simple", False),
    "query": ("form", True),
    "header": ("simple", False),
    "cookie": ("form", True),
}
BodyKind = Literal["json", "multipart", "form", "binary", "text"]
ResponseKind = Literal["json", "binary", "text", "empty"]


@dataclass
class Parameter:
    name: str
    py_name: str
    location: ParamLocation
    type: TypeExpr
    required: bool
    default: object = NO_DEFAULT
    description: str = ""
    style: str = "form"
    explode: bool = True
    deprecated: bool = False
    allow_reserved: bool = False  # query only: RFC 3986 reserved characters sent unencoded
    media_type: str = ""  # a parameter declared with `content`: sent as this media type's text
    maximum: float | None = None  # the schema's `maximum` (a page size's cap, for pagination)
    minimum: float | None = None  # the schema's `minimum` (the first page's number)


@dataclass
class BodyField:
    """A top-level property of a multipart or form body, passed as its own argument."""

    json_name: str
    py_name: str
    type: TypeExpr
    required: bool
    is_file: bool
    description: str = ""


@dataclass
class PartEncoding:
    """The Encoding Object of one property of a form or multipart body."""

    json_name: str
    content_type: str = ""
    style: str = ""  # "": not given (the Specification's defaults apply)
    explode: bool | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)  # (name, value) sent with the part


@dataclass
class RequestBody:
    media_type: str
    kind: BodyKind
    type: TypeExpr
    required: bool
    description: str = ""
    fields: list[BodyField] = field(default_factory=list)  # multipart/form only
    py_name: str = "body"
    encoding: list[PartEncoding] = field(default_factory=list)  # multipart/form only


@dataclass
class ResponseContent:
    media_type: str
    kind: ResponseKind | Literal["events"]  # events: text/event-stream (model/events.py)
    type: TypeExpr  # events: the type of their schema
    events: EventStream | None = None  # `text/event-stream` (kind "events"): how they read


@dataclass
class Response:
    status: str  # "200", "2XX", "default"
    description: str
    contents: list[ResponseContent] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)  # names of the headers it declares


PagingStrategy = Literal["offset", "page", "cursor", "last_id", "next_url", "link_header"]


@dataclass(frozen=True)
class FieldPath:
    """A field of a parsed answer: as the spec names it, and as the parsed value is read."""

    json: tuple[str, ...] = ()  # JSON names, for messages and listings
    steps: tuple[str, ...] = ()  # attribute names of models (keys of untyped mappings)


@dataclass(frozen=True)
class Pagination:
    """How the results of a list operation continue on further pages (see model/pagination.py)."""

    strategy: PagingStrategy
    item_type: TypeExpr
    items: FieldPath = FieldPath()  # the item list in the answer; empty: the answer is the list
    param: str = ""  # the query parameter that moves on (offset, page, cursor, starting_after)
    limit_param: str = ""  # the query parameter of the page size
    default_limit: int | None = None  # the page size when none is sent (the spec's default)
    max_limit: int | None = None  # the documented largest page size
    first: int = 0  # offset or page number of the first page when none is sent
    cursor: FieldPath = FieldPath()  # the next cursor, or the next page's URL
    has_more: FieldPath = FieldPath()  # a boolean: more pages follow
    total: FieldPath = FieldPath()  # the total number of items
    total_pages: FieldPath = FieldPath()  # the total number of pages
    id_field: str = ""  # last_id: the attribute holding an item's id
    before_param: str = ""  # last_id: the parameter paging backwards (`ending_before`)
    source: str = "detected"  # detected | configuration | the vendor extension read


@dataclass(frozen=True)
class EventStream:
    """Server-sent events an operation answers with, and how they read (see model/events.py)."""

    type: TypeExpr  # each event's: its `data`'s ("data"), or the whole event's ("whole")
    convention: Literal["data", "whole"] = "data"
    sentinel: str = "[DONE]"  # the data that ends the stream ("": none)
    flag: str = ""  # the request body's property asking for events (`stream`); "" for none
    always: bool = False  # events are all the operation answers: no JSON result to choose
    error_field: str = "error"  # a property of the data making an event an error; "": none


@dataclass
class Operation:
    operation_id: str
    py_name: str
    method: str
    path: str
    summary: str = ""
    description: str = ""
    deprecated: bool = False
    parameters: list[Parameter] = field(default_factory=list)
    body: RequestBody | None = None
    responses: list[Response] = field(default_factory=list)
    result_type: TypeExpr = NONE
    result_kind: ResponseKind = "empty"
    error_types: dict[str, TypeExpr] = field(default_factory=dict)  # status -> error body type
    security: list[list[str]] | None = None  # None: use the API default
    accept: str = ""
    pointer: str = ""
    servers: list[Server] | None = None  # None: the API's root servers (which `base_url` replaces)
    pagination: Pagination | None = None  # a list operation whose results continue on more pages
    events: EventStream | None = None  # an operation whose success answer is server-sent events


@dataclass
class Resource:
    """Operations sharing a tag (`client.<attr>.<operation>()`) or a group named by the spec or
    the configuration, which may nest (`client.fine_tuning.jobs.list()`)."""

    tag: str
    attr_name: str  # the attribute on the client, or on the enclosing group
    class_name: str
    description: str = ""
    operations: list[Operation] = field(default_factory=list)
    path: tuple[str, ...] = ()  # the attributes from the client to it; () : (attr_name,)
    module: str = ""  # its module, `resources/<module>.py`; "" : attr_name

    @property
    def dotted(self) -> str:
        """How users reach it from the client: `fine_tuning.jobs`."""
        return ".".join(self.path or (self.attr_name,))

    @property
    def module_name(self) -> str:
        return self.module or self.attr_name


# ---- the API -----------------------------------------------------------------------------------

AuthKind = Literal["bearer", "basic", "api_key", "oauth2"]


@dataclass
class OAuthFlow:
    """An OAuth2 flow of a security scheme that has a token endpoint (not `implicit`)."""

    kind: str  # authorizationCode | clientCredentials | password
    token_url: str  # as the spec writes it: absolute, or relative to the server URL
    refresh_url: str  # "" when the flow names none: refreshes go to token_url
    scopes: list[str]  # what a token request asks for by default (see security.default_scopes)


@dataclass
class SecurityScheme:
    key: str
    kind: AuthKind
    description: str = ""
    credential: str = ""  # constructor argument holding the secret (access_token, api_key, ...)
    location: str = "header"  # api_key: header | query | cookie
    param_name: str = "Authorization"  # api_key: header/query/cookie name
    flows: list[OAuthFlow] = field(default_factory=list)  # oauth2 only


@dataclass
class ClientArgument:
    """A constructor argument of the client: credentials and configured extra headers."""

    py_name: str
    header: str  # for extra headers; empty for credentials
    env_var: str
    description: str = ""


@dataclass
class ServerVariable:
    name: str
    default: str
    enum: list[str] = field(default_factory=list)
    description: str = ""


@dataclass
class Server:
    url: str  # may hold `{variable}` placeholders
    description: str = ""
    variables: list[ServerVariable] = field(default_factory=list)

    @property
    def default_url(self) -> str:
        """The URL with every variable at its default."""
        url = self.url
        for variable in self.variables:
            url = url.replace("{" + variable.name + "}", variable.default)
        return url


@dataclass
class CommonErrors:
    """What the exceptions know of every error answer (model/errors.py): the shared error body,
    its `code`, `type` and `message` fields by name, and the request id header."""

    body: TypeExpr | None = None  # None: no schema is common enough
    fields: dict[str, tuple[FieldPath, TypeExpr]] = field(default_factory=dict)
    request_id_header: str = ""  # as the spec spells it; "" when no response declares one


@dataclass
class Api:
    title: str
    version: str
    description: str
    package_name: str
    client_name: str
    servers: list[Server]
    security_schemes: list[SecurityScheme]
    default_security: list[list[str]]
    client_arguments: list[ClientArgument]
    resources: list[Resource]
    definitions: list[Definition]
    spec_name: str = ""
    webhooks: Webhooks | None = None  # None: the API sends no deliveries we know of
    errors: CommonErrors = field(default_factory=CommonErrors)

    @property
    def base_url(self) -> str:
        return self.servers[0].default_url if self.servers else ""

    @property
    def oauth_flows(self) -> list[OAuthFlow]:
        """Every token-endpoint flow of the oauth2 schemes, in spec order: the client's `oauth=`."""
        return [flow for scheme in self.security_schemes for flow in scheme.flows]

    @property
    def operations(self) -> list[Operation]:
        return [op for resource in self.resources for op in resource.operations]


# ---- webhook deliveries ------------------------------------------------------------------------

EventSource = Literal["webhook", "callback", "configuration"]
# How deliveries are signed: "" not at all (or not that the spec or configuration says).
SignatureScheme = Literal["", "standard-webhooks"]


@dataclass
class WebhookEvent:
    """One kind of delivery the API sends the integrator: a 3.1 webhook, a callback of an
    operation, or a component schema the configuration names (3.0 has no place for webhooks)."""

    name: str  # the webhook's key, `operationId.callback`, or the schema's name
    source: EventSource
    type: TypeExpr  # the payload's type
    method: str = "POST"
    expression: str = ""  # a callback's URL expression, `{$request.body#/callbackUrl}`
    description: str = ""
    tag: str = ""  # the discriminator's value selecting this event ("" without a discriminator)


@dataclass
class Webhooks:
    events: list[WebhookEvent]
    types: list[TypeExpr]  # the distinct payload types, in spec order
    discriminator: str = ""  # JSON name of the constant property telling the types apart
    signature: SignatureScheme = ""
