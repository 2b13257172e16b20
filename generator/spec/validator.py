"""Stage 2: validate the spec with openapi-spec-validator, reporting every problem with its location.

A broken `$ref` makes the validator raise instead of report, so references are checked here first,
each reported at the `$ref` itself.
"""

from __future__ import annotations

import os
from typing import Any

from generator.diagnostics import Diagnostic, join_pointer
from generator.spec.loader import SpecSource
from generator.spec.refs import Location, RefError, RefResolver, get_at, string_keys
from generator.spec.validation_errors import RustError, located_errors

MAX_MESSAGE = 300
# Subtrees holding example payloads: a "$ref" key there is data, not a reference.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const", "x-examples"})


def spec_version(spec: dict[str, Any]) -> str:
    """'2.0', '3.0' or '3.1' (3.2 validates as 3.1), or '' when the document is not OpenAPI."""
    if str(spec.get("swagger", "")).startswith("2"):
        return "2.0"
    version = str(spec.get("openapi", ""))
    if version.startswith("3.0"):
        return "3.0"
    if version.startswith("3."):
        return "3.1"
    return ""


def check_document_kind(source: SpecSource) -> list[Diagnostic]:
    spec = source.root.data
    if spec_version(spec):
        return []
    if "openapi" in spec or "swagger" in spec:
        key = "openapi" if "openapi" in spec else "swagger"
        value = spec[key]
        return [
            source.root.diagnostic(
                f"/{key}", f"unsupported {key} version {value!r} (2.0, 3.0.x, 3.1.x)"
            )
        ]
    return [
        source.root.diagnostic("", "not an OpenAPI document: no 'openapi' or 'swagger' version key")
    ]


def check_refs(source: SpecSource) -> list[Diagnostic]:
    """Every `$ref` that points nowhere, located at the `$ref` itself."""
    resolver = RefResolver(source)
    problems: list[Diagnostic] = []
    seen_docs: set[object] = set()
    pending = [Location(source.root, "")]
    while pending:
        start = pending.pop()
        if start.document.path in seen_docs:
            continue
        seen_docs.add(start.document.path)
        stack: list[tuple[Any, tuple[str, ...], bool]] = [(start.document.data, (), False)]
        while stack:
            node, path, in_properties = stack.pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str):
                    at = Location(start.document, join_pointer(list(path)))
                    try:
                        target = resolver.target(ref, at)
                        if target.document.path not in seen_docs:
                            pending.append(Location(target.document, ""))
                        cycle = _ref_cycle(resolver, at, target)
                        if cycle is not None:
                            raise RefError(
                                f"$ref cycle: {' -> '.join(repr(r) for r in [ref, *cycle])} "
                                "-> back here; no schema is ever reached"
                            )
                    except RefError as exc:
                        problems.append(start.document.diagnostic(at.pointer + "/$ref", str(exc)))
                for key, value in node.items():
                    key = str(key)
                    if not in_properties and (key in _DATA_KEYS or key.startswith("x-")):
                        continue
                    if isinstance(value, (dict, list)):
                        stack.append(
                            (value, path + (key,), key == "properties" and not in_properties)
                        )
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    if isinstance(value, (dict, list)):
                        stack.append((value, path + (str(index),), False))
    return problems


def _ref_cycle(
    resolver: RefResolver, holder: Location, target: Location, limit: int = 64
) -> list[str] | None:
    """The further `$ref`s of a chain of pure references that leads back to `holder`, else None."""
    chain: list[str] = []
    seen = {holder.key}
    try:
        for _ in range(limit):
            if target.key == holder.key:
                return chain
            if target.key in seen:
                return None  # a cycle further on, reported at its own members
            seen.add(target.key)
            value = resolver.value(target)
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return None
            chain.append(value["$ref"])
            target = resolver.target(value["$ref"], target)
    except RefError:
        return None  # a broken link further on, reported where it stands
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 4] + " ..."


def schema_errors(
    source: SpecSource, broken_refs: frozenset[str] = frozenset(), full: bool = True
) -> list[Diagnostic]:
    """What openapi-spec-validator finds, each located by its JSON pointer.

    `broken_refs` (pointers of `$ref` objects already reported) are blanked in the validator's copy:
    left in, the first one stops the validator and hides every later problem."""
    spec = source.root.data
    checked = _blank_refs(string_keys(spec), broken_refs)
    found = None if full else _rust_errors(checked, spec_version(spec))
    if found is not None:  # lenient: jsonschema-rs finds and explains, in a hundredth of the time
        located = located_errors(checked, found)
        return [source.root.diagnostic(pointer, _short(message)) for pointer, message in located]
    # Strict mode (or no jsonschema-rs): openapi-spec-validator's Python backend, with its
    # semantic pass (duplicate operationIds, unresolved path parameters ...).
    os.environ.setdefault("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")
    import openapi_spec_validator as osv
    from referencing.exceptions import Unresolvable

    classes = {
        "2.0": osv.OpenAPIV2SpecValidator,
        "3.0": osv.OpenAPIV30SpecValidator,
        "3.1": osv.OpenAPIV31SpecValidator,
    }
    # YAML reads `200:` as an integer key; JSON Schema's patternProperties needs strings.
    from jsonschema_path import SchemaPath

    from generator.spec.refs import validator_handlers

    # The validator resolves `$ref`s itself: through our handlers, so it reads no file that
    # RefResolver refuses and fetches nothing from the network.
    document = SchemaPath.from_dict(
        checked, base_uri=source.root.path.as_uri(), handlers=validator_handlers(source)
    )
    validator = _locating(classes[spec_version(spec)])(document)
    problems = []
    raw = []
    try:
        # `full=False` checks the document against the OpenAPI JSON Schema only, skipping the
        # validator's semantic pass (seconds on big specs); the model builder reports what it needs.
        errors = (
            validator.iter_errors() if full else validator.schema_validator.iter_errors(checked)
        )
        for error in errors:  # one at a time: what came before a crash is kept
            raw.append(error)  # noqa: PERF402
    except (Unresolvable, RefError):
        pass  # broken references are reported by check_refs, at the $ref
    except (TypeError, ValueError, KeyError, AttributeError, AssertionError) as exc:
        # The validator's own crash on odd input: what it found so far still counts.
        if not raw:
            problems.append(
                source.root.diagnostic("", _short(f"the validator stopped early: {exc!r}"))
            )
    except RecursionError:
        problems.append(
            source.root.diagnostic("", "the validator gave up: references nest too deeply")
        )
    for pointer, message in located_errors(checked, raw):
        problems.append(source.root.diagnostic(pointer, _short(message)))
    return problems


def _locating(validator_class: Any) -> Any:
    """The validator with its per-schema checks located: the checks it makes of each schema on its
    own ("... is not of type 'object', 'boolean'", "Required list has not defined properties") carry
    no path, so each is given the path by which the validator reached that schema."""
    from collections import deque

    from jsonschema.exceptions import _unset  # type: ignore[attr-defined]

    checker = validator_class.keyword_validators["schema"]

    class LocatedSchemaChecks(checker):  # type: ignore[misc, valid-type]
        def __call__(self, schema: Any, *args: Any, **kwargs: Any) -> Any:
            for error in super().__call__(schema, *args, **kwargs):
                if not error.path and error.instance is _unset:
                    error.path = error.relative_path = deque(schema.parts)
                    error.instance = schema.read_value()
                yield error

    keywords = {**validator_class.keyword_validators, "schema": LocatedSchemaChecks}
    return type(validator_class.__name__, (validator_class,), {"keyword_validators": keywords})


def _rust_errors(document: Any, version: str) -> list[RustError] | None:
    """What jsonschema-rs (the backend openapi-spec-validator itself uses when installed) finds
    against the OpenAPI JSON Schema that the validator ships, read without importing the validator
    (0.16 s). None when jsonschema-rs is absent or cannot say: the Python backend answers then."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        validator = jsonschema_rs.validator_for(_openapi_schema(version))
        if validator.is_valid(document):
            return []
        return [RustError(error, document) for error in validator.iter_errors(document)]
    except Exception:  # noqa: BLE001 - any doubt falls back to the Python validator
        return None


def _openapi_schema(version: str) -> Any:
    import importlib.util
    import json
    from pathlib import Path

    found = importlib.util.find_spec("openapi_spec_validator")
    if found is None or not found.submodule_search_locations:
        raise FileNotFoundError("openapi_spec_validator")
    folder = (
        Path(next(iter(found.submodule_search_locations))) / "resources" / "schemas" / f"v{version}"
    )
    return json.loads((folder / "schema.json").read_text(encoding="utf-8"))


def _blank_refs(spec: Any, pointers: frozenset[str]) -> Any:
    for pointer in pointers:
        parent = pointer.rsplit("/", 1)[0]  # the object holding the `$ref`
        try:
            node = get_at(spec, parent)
        except RefError:
            continue
        if isinstance(node, dict):
            node.clear()
    return spec


def validate(source: SpecSource, full: bool = True) -> list[Diagnostic]:
    """Every problem of the spec, as errors; the caller decides which are fatal.

    `full=False` (lenient generation) skips openapi-spec-validator's slow semantic pass."""
    kind = check_document_kind(source)
    if kind:
        return kind
    ref_problems = check_refs(source)  # loads every referenced file, so their problems are known
    documents = [*source.documents.values(), *source.overlays]  # overlays' warnings too
    read_problems = [d for document in documents for d in document.problems]
    broken = frozenset(d.pointer for d in ref_problems if d.file == source.root.display)
    # The semantic pass is what compiles `pattern`s and checks `default`s; without it, do that much
    # ourselves (cheap).
    patterns = [] if full else pattern_problems(source)
    return read_problems + ref_problems + patterns + schema_errors(source, broken, full)


_DEFAULT_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _default_problem(schema: dict[Any, Any]) -> str:
    """Why a schema's `default` does not fit its own `type` or `enum`, or ''."""
    default, kind = schema["default"], schema.get("type")
    if default is None:
        return ""  # null defaults are a matter of `nullable`, which the model builder settles
    allowed = _DEFAULT_TYPES.get(kind) if isinstance(kind, str) else None
    is_bool = isinstance(default, bool)
    if kind == "integer" and isinstance(default, float) and default.is_integer():
        return ""  # 1.0 is an integer to JSON Schema
    if allowed and (not isinstance(default, allowed) or (is_bool and kind != "boolean")):
        return f"{default!r} is not of type {kind!r}"
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and default not in enum:
        return f"{default!r} is not one of {enum!r}"
    return ""


def pattern_problems(source: SpecSource) -> list[Diagnostic]:
    """Every schema `pattern` that is not a regular expression and every `default` that does not fit
    its schema's type or enum, each located at the keyword."""
    import re

    problems = []
    stack: list[tuple[Any, tuple[str, ...], bool]] = [(source.root.data, (), False)]
    while stack:
        node, path, in_properties = stack.pop()
        if isinstance(node, dict):
            pattern = node.get("pattern")
            if not in_properties and isinstance(pattern, str):
                try:
                    re.compile(pattern)
                except (re.error, RecursionError, OverflowError) as exc:
                    pointer = join_pointer([*path, "pattern"])
                    problems.append(
                        source.root.diagnostic(pointer, f"{pattern!r} is not a 'regex' ({exc})")
                    )
            if not in_properties and "default" in node and "$ref" not in node:
                message = _default_problem(node)
                if message:
                    problems.append(
                        source.root.diagnostic(join_pointer([*path, "default"]), message)
                    )
            for key, value in node.items():
                key = str(key)
                if not in_properties and (key in _DATA_KEYS or key.startswith("x-")):
                    continue
                if isinstance(value, (dict, list)):
                    stack.append((value, (*path, key), key == "properties" and not in_properties))
        elif isinstance(node, list):
            stack.extend(
                (value, (*path, str(i)), False)
                for i, value in enumerate(node)
                if isinstance(value, (dict, list))
            )
    return problems
