"""The imports of generated modules: where every name a generated module imports comes from (one
catalogue, which is also where naming.py takes the names specs must not take), and the import
block laid out as isort sorts it (ruff's `I` rules with their default settings), so generated
code stays lint-clean: a module imports exactly the names its views say it uses."""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.codegen import layout
from generator.style import LINT_DEFAULT_WIDTH


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
        "Union",
    ),
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
    **_members("._oauth", "OAuth2", "OAuth2Error", "OAuth2Token", "OAuthFlow"),
    **_members("._models", "BaseModel", "DateTime", "OpenIntEnum", "OpenStrEnum", "WireModel"),
    **_members("._resource", "AsyncAPIResource", "SyncAPIResource"),
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


@dataclass(frozen=True)
class Import:
    """One imported name: `from module import member as alias` or `import module as alias`."""

    module: str  # absolute, or relative with its leading dots
    member: str | None
    alias: str | None = None

    @property
    def level(self) -> int:
        return len(self.module) - len(self.module.lstrip("."))


def imports_of(
    names: Iterable[str], depth: int, own: Mapping[str, str] | None = None, reexport: bool = False
) -> list[Import]:
    """The imports binding `names` in a module `depth` packages below the package root. A name
    not in the catalogue is the package's own (a model, a resource class): `own` gives its
    package-relative module (".models"). `reexport` writes `from m import X as X`, the form
    type checkers read as an explicit re-export."""
    found = []
    for name in names:
        origin = CATALOGUE.get(name)
        if origin is None:
            origin = Origin((own or {})[name], name)
        module = origin.module
        if module.startswith("."):
            module = "." * depth + module
        if origin.member is None:
            found.append(Import(module, None, name if name != module else None))
        else:
            alias = name if name != origin.member or reexport else None
            found.append(Import(module, origin.member, alias))
    return found


# ---- isort's order ------------------------------------------------------------------------------


def _natural(left: str, right: str) -> int:
    """natord's comparison (what ruff sorts with): runs of digits compare as numbers."""
    i = j = 0
    while i < len(left) and j < len(right):
        a, b = left[i], right[j]
        if a.isdigit() and b.isdigit():
            m, n = i, j
            while m < len(left) and left[m].isdigit():
                m += 1
            while n < len(right) and right[n].isdigit():
                n += 1
            x, y = left[i:m], right[j:n]
            if x.startswith("0") or y.startswith("0"):  # leading zeros: digit by digit
                if x != y:
                    return -1 if x < y else 1
            elif (len(x), x) != (len(y), y):
                return -1 if (len(x), x) < (len(y), y) else 1
            i, j = m, n
            continue
        if a != b:
            return -1 if a < b else 1
        i, j = i + 1, j + 1
    return (len(left) - i > 0) - (len(right) - j > 0)


class _Natural(str):
    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        return _natural(self, str(other)) < 0

    def __gt__(self, other: object) -> bool:
        return _natural(self, str(other)) > 0


def _member_type(name: str) -> int:
    """isort's order-by-type: CONSTANTS, then Classes, then everything else."""
    if len(name) > 1 and name.isupper():
        return 0
    return 1 if name[:1].isupper() else 2


def _member_key(name: str, alias: str | None) -> tuple[object, ...]:
    return (_member_type(name), _Natural(name.lower()), _Natural(name), _Natural(alias or ""))


def _module_key(entry: Import) -> tuple[object, ...]:
    name = entry.module.lstrip(".")
    first = _member_key(entry.member, entry.alias) if entry.member is not None else ()
    return (
        -entry.level,
        _Natural(name.lower()),
        _Natural(name),
        first,
        _Natural(entry.alias or ""),
    )


@functools.cache
def _is_stdlib(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names


def _section(entry: Import) -> int:
    if entry.level:
        return 4
    if entry.module == "__future__":
        return 0
    return 1 if _is_stdlib(entry.module) else 2


def block(imports: Iterable[Import], indent: str = "") -> str:
    """The import statements, sorted and grouped as isort does, laid out as black and isort both
    leave them: sections apart by one blank line, straight imports before `from` imports, one
    `from` statement per module (an aliased name on its own), wrapped one name per line when too
    long."""
    sections: dict[int, list[str]] = {}
    statements: dict[tuple[int, int, str, str | None], list[Import]] = {}
    for entry in set(imports):
        shared = entry.member is None or entry.alias is not None
        key = (
            _section(entry),
            entry.member is not None,
            entry.module,
            f"{entry.member} as {entry.alias}" if shared else None,
        )
        statements.setdefault(key, []).append(entry)
    ordered = sorted(
        statements.items(),
        key=lambda item: (item[0][0], item[0][1], _module_key(min(item[1], key=_first_key))),
    )
    for (section, _, module, _), entries in ordered:
        if entries[0].member is None:
            alias = entries[0].alias
            text = f"{indent}import {module}" + (f" as {alias}" if alias else "")
        else:
            members = [
                e.member + (f" as {e.alias}" if e.alias else "")
                for e in sorted(entries, key=_first_key)
            ]
            text = f"{indent}from {module} import {', '.join(members)}"
            if (
                not layout.fits(text) or len(text) > LINT_DEFAULT_WIDTH
            ):  # one name a line, however long
                text = "\n".join(
                    [
                        f"{indent}from {module} import (",
                        *(f"{indent}    {m}," for m in members),
                        f"{indent})",
                    ]
                )
        sections.setdefault(section, []).append(text)
    return "\n\n".join("\n".join(lines) for _, lines in sorted(sections.items()))


def _first_key(entry: Import) -> tuple[object, ...]:
    return _member_key(entry.member or "", entry.alias)
