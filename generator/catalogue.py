"""The catalogue of names that generated modules import, and where each comes from.

One source for two stages: code generation writes the import blocks from it (codegen/imports.py),
and model building keeps the names derived from a spec off it (model/naming.py RESERVED), so a
spec's `Endpoint` schema never shadows the runtime's `Endpoint`. It sits below both."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """Where a bound name comes from. `module` is absolute (`typing`) or, with a leading dot,
    relative to the package root (`._types`); `member` is None for `import module [as name]`."""

    module: str
    member: str | None


def _members(module: str, *names: str) -> dict[str, Origin]:
    return {name: Origin(module, name) for name in names}


# Every name a rendered module (not the runtime, which is copied as it is) may import, by the name
# it is bound to. Views choose among these; the runtime entries are checked against the runtime
# modules by tests/test_imports.py.
CATALOGUE: dict[str, Origin] = {
    "annotations": Origin("__future__", "annotations"),
    "importlib": Origin("importlib", None),
    "os": Origin("os", None),
    "_dt": Origin("datetime", None),
    "cached_property": Origin("functools", "cached_property"),
    **_members(
        "typing",
        "TYPE_CHECKING",
        "Annotated",
        "Any",
        "Callable",
        "ClassVar",
        "Dict",
        "List",
        "Literal",
        "Mapping",
        "Sequence",
        "TypeAlias",
        "Union",
        "overload",
    ),
    **_members("typing_extensions", "Required", "TypedDict"),
    "httpx": Origin("httpx", None),
    "Field": Origin("pydantic", "Field"),
    "_Discriminator": Origin("pydantic", "Discriminator"),
    "_Tag": Origin("pydantic", "Tag"),
    **_members(
        "._base_client",
        "DEFAULT_MAX_RETRIES",
        "AsyncAPIClient",
        "ClientSpec",
        "Endpoint",
        "Scheme",
        "Server",
        "ServerVariable",
        "SyncAPIClient",
    ),
    # Resource modules import these under private names: a spec may well have models so named.
    "_Server": Origin("._base_client", "Server"),
    "_ServerVariable": Origin("._base_client", "ServerVariable"),
    "_PartEncoding": Origin("._encoding", "PartEncoding"),
    "_with_models": Origin("._models", "with_models"),
    # Under a private name: a method named `deprecated` would hide it in the class body.
    "_deprecated": Origin("typing_extensions", "deprecated"),
    **_members(
        "._exceptions",
        "APIError",
        "APIConnectionError",
        "APITimeoutError",
        "APIResponseValidationError",
        "APIStatusError",
        "BadRequestError",
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "ConflictError",
        "UnprocessableEntityError",
        "RateLimitError",
        "InternalServerError",
    ),
    **_members("._hooks", "Hooks"),
    **_members("._oauth", "OAuth2", "OAuth2Error", "OAuth2Token", "OAuthFlow"),
    **_members("._pagination", "AsyncPaginator", "Paging", "SyncPage"),
    **_members("._models", "BaseModel", "DateTime", "OpenIntEnum", "OpenStrEnum"),
    **_members("._wire_model", "WireModel"),
    **_members("._resource", "AsyncAPIResource", "SyncAPIResource"),
    **_members("._streaming", "AsyncStream", "Events", "Stream"),
    **_members(
        "._response",
        "APIResponse",
        "AsyncAPIResponse",
        "async_to_raw_response_wrapper",
        "async_to_streamed_response_wrapper",
        "to_raw_response_wrapper",
        "to_streamed_response_wrapper",
    ),
    **_members(
        "._types",
        "NOT_GIVEN",
        "FileContent",
        "FileTypes",
        "NotGiven",
        "RequestOptions",
        "TimeoutTypes",
    ),
}
