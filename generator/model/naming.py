"""Python identifiers from spec names, given as the model is built (stage 3), from the names the
generated package binds itself (RESERVED). Deterministic: same spec, same names."""

from __future__ import annotations

import ast
import builtins
import hashlib
import keyword
import re
import sys
import unicodedata
from collections.abc import Callable

from generator.catalogue import CATALOGUE
from generator.paths import templates_dir

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_COMPARISONS = {"<=": "lte", ">=": "gte", "<": "lt", ">": "gt", "!=": "ne"}
_COMPARISON = re.compile(r"<=|>=|!=|<|>")
_SYMBOLS = {
    "+": "plus",
    "-": "minus",
    "*": "star",
    "<": "lt",
    ">": "gt",
    "=": "eq",
    "!": "not",
    "@": "at",
}

BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_"))
KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
# Names that annotations in generated code use: a field or method taking one would hide the type
# from the annotations after it in the same class body.
ANNOTATION_NAMES = frozenset(
    {"str", "int", "float", "bool", "bytes", "list", "dict", "None", "cast"}
)
# Names pycodestyle calls ambiguous (E741-E743: l, O and I read as 1 and 0); users lint generated code.
AMBIGUOUS = frozenset({"l", "O", "I"})
# What the templates bind at module level themselves (besides their imports and the spec's names).
TEMPLATE_NAMES = frozenset(
    {"__all__", "__version__", "_LAZY", "_SPEC", "__getattr__", "__dir__", "_discriminator"}
    # the `models` package's (models_init.py.j2)
    | {"_INDEX", "_lazy_exports"}
    # the `_webhooks` module's (webhooks.py.j2)
    | {"WebhookEvent", "parse_webhook", "_TAGS", "_DELIVERIES", "_event_models"}
    # the `_errors` module's (errors.py.j2), which the runtime's `_exceptions` reads
    | {"APIErrorBody", "APIErrorCode", "APIErrorType", "APIErrorMessage", "ERROR_FIELDS"}
    | {"REQUEST_ID_HEADERS"}
    # resource modules' (resource.py.j2): their functions find type-checking-only names there
    | {"__builtins__"}
)


def _bound_at_top(statements: list[ast.stmt]) -> set[str]:
    """The names statements bind in their scope (an `if` block's included: TYPE_CHECKING imports)."""
    names: set[str] = set()
    for node in statements:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(node, ast.If):
            names |= _bound_at_top(node.body) | _bound_at_top(node.orelse)
    return names


def _runtime_names() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Every module-level name of the runtime modules (copied into each package), and the
    attributes of each runtime class: its methods, class attributes and `self.x` attributes."""
    module_names: set[str] = set()
    attributes: dict[str, frozenset[str]] = {}
    for path in sorted((templates_dir() / "runtime").glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        module_names |= _bound_at_top(tree.body)
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                own = _bound_at_top(node.body)
                own.update(
                    n.attr
                    for n in ast.walk(node)
                    if isinstance(n, ast.Attribute)
                    and isinstance(n.value, ast.Name)
                    and n.value.id == "self"
                    and isinstance(n.ctx, ast.Store)
                )
                attributes[node.name] = frozenset(own)
    return frozenset(module_names), attributes


RUNTIME_NAMES, RUNTIME_ATTRIBUTES = _runtime_names()

# The one source of the names spec-derived names must not take. Every name a generated module
# binds at module level: what it imports (the catalogue of generator/catalogue.py), what the
# templates bind, every name of the runtime modules; and the builtins and keywords. A spec's
# schema, enum or alias whose class name is one of these is renamed (`EndpointModel`).
RESERVED = frozenset(CATALOGUE) | TEMPLATE_NAMES | RUNTIME_NAMES | BUILTINS | KEYWORDS
# Class scopes: a method, field or client property binds its name in the class body, where it
# hides a module-level name from the annotations after it.
# - resource classes: what the module imports and binds, the base classes' attributes and the
#   wrapper properties the views add;
RESOURCE_ATTRIBUTES = (
    frozenset(CATALOGUE)
    | TEMPLATE_NAMES
    | RUNTIME_ATTRIBUTES["SyncAPIResource"]
    | RUNTIME_ATTRIBUTES["AsyncAPIResource"]
    | {"with_raw_response", "with_streaming_response"}
)
# - the client classes: the same, with the runtime clients' own attributes;
CLIENT_ATTRIBUTES = (
    frozenset(CATALOGUE)
    | TEMPLATE_NAMES
    | ANNOTATION_NAMES
    | RUNTIME_ATTRIBUTES["BaseClient"]
    | RUNTIME_ATTRIBUTES["SyncAPIClient"]
    | RUNTIME_ATTRIBUTES["AsyncAPIClient"]
    | {"with_raw_response", "with_streaming_response"}
)
# - models: pydantic's BaseModel attributes, the runtime BaseModel's own, and the metaclass's
#   (pydantic warns on any attribute it shadows);
MODEL_RESERVED = frozenset(
    {
        "copy",
        "dict",
        "json",
        "schema",
        "schema_json",
        "validate",
        "construct",
        "fields",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "update_forward_refs",
        "mro",
        "register",
    }
) | {n for n in RUNTIME_ATTRIBUTES["BaseModel"] if not n.startswith("_")}
# - and method parameters: the names the method body uses.
PARAMETER_RESERVED = frozenset({"self", "request_options"})


# Top-level import names a generated package must not take: it would shadow the standard library or
# the client's own dependencies (a spec titled "httpx" must not produce a package `httpx`).
TAKEN_PACKAGES = frozenset(sys.stdlib_module_names) | frozenset(
    {
        "httpx",
        "httpcore",
        "h11",
        "anyio",
        "sniffio",
        "certifi",
        "idna",
        "pydantic",
        "pydantic_core",
        "annotated_types",
        "typing_extensions",
        "typing_inspection",
        "generator",
        "test",
        "tests",
    }
)


def _ascii_words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    if not text.strip() and str(name).strip():
        # Nothing transliterates (e.g. CJK): keep a stable, readable-enough token.
        text = "u" + "_".join(f"{ord(c):x}" for c in str(name)[:8])
    if len(text) == 1 and text in _SYMBOLS:
        text = _SYMBOLS[text]
    elif _COMPARISON.search(text):
        # Filter parameters like `StartTime<` / `date[gte]` read as start_time_lt / date_gte.
        text = _COMPARISON.sub(lambda m: " " + _COMPARISONS[m.group(0)] + " ", text)
    return _WORD.findall(text)


def snake_case(name: str) -> str:
    words = _ascii_words(name)
    return "_".join(w.lower() for w in words)


def pascal_case(name: str) -> str:
    words = _ascii_words(name)
    return "".join(w[:1].upper() + w[1:] for w in words)


def _fix_start(ident: str, prefix: str) -> str:
    if not ident:
        return prefix
    if ident[0].isdigit():
        return (
            f"{prefix}_{ident}"
            if not prefix[:1].isupper() or prefix.isupper()
            else f"{prefix}{ident}"
        )
    return ident


def is_unsafe_name(ident: str) -> bool:
    return (
        keyword.iskeyword(ident)
        or keyword.issoftkeyword(ident)
        or ident in ANNOTATION_NAMES
        or ident in AMBIGUOUS
    )


def method_name(name: str) -> str:
    ident = _fix_start(snake_case(name), "op")
    if (
        (is_unsafe_name(ident) and ident not in ("list", "dict"))
        or ident.startswith("with_")
        or ident in RESOURCE_ATTRIBUTES
    ):
        ident += "_"
    return ident


def field_name(name: str) -> str:
    ident = snake_case(name)
    if not ident:
        ident = "field"
    ident = _fix_start(ident, "field")
    if is_unsafe_name(ident) or ident in MODEL_RESERVED or ident.startswith("model_"):
        ident += "_"
    return ident


def param_name(name: str) -> str:
    ident = _fix_start(snake_case(name) or "param", "param")
    if is_unsafe_name(ident) or ident in PARAMETER_RESERVED:
        ident += "_"
    return ident


def package_name(title: str) -> str:
    """The import name derived from a spec title: an identifier, no keyword, nothing it would shadow."""
    ident = _fix_start(snake_case(title) or "client", "api")
    if keyword.iskeyword(ident) or keyword.issoftkeyword(ident) or ident in TAKEN_PACKAGES:
        ident += "_client"
    return ident


# Words a spec title carries that say nothing about which API it is ("The Plaid API", "Swagger
# Petstore", "GitHub's official OpenAPI spec"): left out of default package and client names.
_FILLER_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "api",
        "apis",
        "for",
        "http",
        "https",
        "of",
        "official",
        "openapi",
        "rest",
        "restful",
        "service",
        "services",
        "spec",
        "specification",
        "swagger",
        "the",
        "to",
        "web",
    }
)
_VERSION = re.compile(r"^v?\d+(\.\d+)*$", re.IGNORECASE)
# A title's subtitle starts at " - ", " + ", " | ", ": " or "(" : "Twilio - Api", "X API (beta)".
_SUBTITLE = re.compile(r"\s[-+|\u2013\u2014]\s|:\s|\s?\(")
DEFAULT_NAME_WORDS, DEFAULT_NAME_LENGTH = 3, 24


def default_names(title: str) -> tuple[str, str]:
    """(package, client class) from a spec title, short: the title before any subtitle, without
    filler words (API, REST, OpenAPI, Service, ...) or version numbers, at most 3 words and 24
    characters. A word keeps its own spelling ("GitHub's" gives github and GitHub, "Fax.Plus" faxplus
    and FaxPlus); other punctuation separates words. Falls back to the whole title, then "client"."""
    words = _title_words(_SUBTITLE.split(title, maxsplit=1)[0]) or _title_words(title)
    if not words:
        package = package_name(title)
        return package, class_name(package)
    kept = [words[0]]
    for word in words[1:DEFAULT_NAME_WORDS]:
        if len("_".join(kept + [word])) > DEFAULT_NAME_LENGTH:
            break
        kept.append(word)
    package = _fix_start("_".join(w.lower() for w in kept)[:DEFAULT_NAME_LENGTH].rstrip("_"), "api")
    if keyword.iskeyword(package) or keyword.issoftkeyword(package) or package in TAKEN_PACKAGES:
        package += "_client"
    client = "".join(w[:1].upper() + w[1:] for w in kept)[:DEFAULT_NAME_LENGTH]
    return package, class_name(client)


def _title_words(title: str) -> list[str]:
    """The title's meaningful words, each as ASCII letters and digits in the title's own case."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['\u2019]s\b", "", text)  # possessives: "GitHub's" is GitHub
    words = []
    for raw in re.split(r"[\s\-_/,;:+|()\[\]{}]+", text):
        # Inside a word, dots and apostrophes join ("Fax.Plus", "O'Reilly"); each part keeps its case.
        parts = [p for p in re.split(r"[^A-Za-z0-9]+", raw) if p]
        word = "".join(p[:1].upper() + p[1:] if i else p for i, p in enumerate(parts))
        if word and word.lower() not in _FILLER_WORDS and not _VERSION.match(word):
            words.append(word)
    return words


def class_name(name: str) -> str:
    ident = _fix_start(pascal_case(name) or "Model", "Model")
    while ident in RESERVED or ident in AMBIGUOUS:
        ident += "Model"
    return ident


def enum_member_name(value: object) -> str:
    if value is None:
        return "NONE"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        text = str(value).replace("-", "MINUS_").replace(".", "_").replace("+", "")
        return "VALUE_" + re.sub(r"[^0-9A-Za-z_]", "_", text)  # 1e+300, inf, nan: still identifiers
    ident = snake_case(str(value)).upper()
    if not ident:
        return "EMPTY" if str(value) == "" else "VALUE"
    ident = _fix_start(ident, "VALUE")
    if keyword.iskeyword(ident) or ident in ("MRO",) or ident in AMBIGUOUS or ident.startswith("_"):
        ident += "_"
    return ident


class UniqueNamer:
    """Hands out names unique within one scope; clashes get _2, _3 ... in the order they are asked."""

    def __init__(self, taken: set[str] | frozenset[str] = frozenset()) -> None:
        self._taken = set(taken)

    def claim(self, name: str) -> str:
        return self.claim_family(name, ("{}",))

    def claim_family(self, name: str, forms: tuple[str, ...]) -> str:
        """A name whose every form (`"{}"`, `"Async{}"` ...) is free: all of them are claimed."""
        candidate = name
        counter = 2
        while any(form.format(candidate) in self._taken for form in forms):
            candidate = f"{name}_{counter}"
            counter += 1
        self._taken.update(form.format(candidate) for form in forms)
        return candidate


# The classes of a resource module (see views._variant) and of the client module, by their base name.
RESOURCE_CLASS_FORMS = (
    "{}",
    "Async{}",
    "{}WithRawResponse",
    "{}WithStreamingResponse",
    "Async{}WithRawResponse",
    "Async{}WithStreamingResponse",
)
CLIENT_CLASS_FORMS = ("{}", "Async{}")


def shortened(
    name: str, limit: int, separator: str = "_", digest_case: Callable[[str], str] = str.lower
) -> str:
    """`name`, or when longer than `limit`, its start and 8 hex digits of its hash: within limits
    (a class or an attribute is a file name too), stable, and distinct names stay distinct."""
    if len(name) <= limit:
        return name
    digest = digest_case(hashlib.sha1(name.encode()).hexdigest()[:8])
    return name[: limit - 9].rstrip("_") + separator + digest


def shorten(name: str, limit: int = 80) -> str:
    """A class name within limits: the digest reads as one more word (`...Digest`)."""
    return shortened(name, limit, "", str.capitalize)
