"""Turn openapi-spec-validator's errors (or jsonschema-rs's, through `RustError`) into located,
specific problems.

The validator's raw errors need three repairs before a person can act on them:
- `oneOf`/`anyOf` failures name the whole enclosing object ("{...} is not valid under any of the
  given schemas"); the real problem is in `error.context`, usually deeper, so we descend to it.
- Its per-schema keyword checks (regex patterns, enum, required ...) validate each schema on its
  own, so their paths are relative to that schema; we find the schema in the spec that matches.
- A few of its own errors carry no path at all, only a message naming the path and method.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from generator.diagnostics import join_pointer

# The alternative "or a Reference object" of every oneOf in the OpenAPI schema: never the point.
_REFERENCE_BRANCH = "'$ref' is a required property"
_PATH_MESSAGES = (
    # DuplicateOperationIDError
    (re.compile(r"^Operation ID '.*' for '(\w+)' in '(.*)' is not unique$"), ("operationId",)),
    # a path template's parameter that no parameter object declares
    (re.compile(r"^Path parameter '.*' for '(\w+)' operation in '(.*)' was not resolved$"), ()),
)


class RustError:
    """A jsonschema-rs error with the attributes of a Python jsonschema one that `most_specific`
    reads: the fast backend's errors carry their `oneOf`/`anyOf` branches too."""

    def __init__(self, error: Any, document: Any) -> None:
        self.absolute_path = _document_path(document, error.instance_path)
        self.instance = error.instance
        self.validator = error.kind.name
        self.message = _python_message(
            self.validator, error.kind.value, self.instance
        ) or _python_quotes(error.message)
        self.validator_value = error.kind.value if self.validator in ("enum", "const") else None
        branches = getattr(error.kind, "context", None) or []
        self.context = [RustError(sub, document) for branch in branches for sub in branch]


def _python_message(keyword: str, value: Any, instance: Any) -> str:
    """The message Python's jsonschema writes for the commonest failures ('' for the others)."""
    if keyword == "type":
        types = value if isinstance(value, list) else [value]
        return f"{instance!r} is not of type {', '.join(repr(t) for t in types)}"
    if keyword == "enum":
        return f"{instance!r} is not one of {value!r}"
    if keyword == "required":
        return f"{value!r} is a required property"
    if keyword == "const":
        return f"{value!r} was expected"
    return ""


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _python_quotes(message: str) -> str:
    """jsonschema-rs quotes strings as JSON does (`"info" is a required property`); written as
    Python's jsonschema writes them (`'info' ...`), messages read the same in both modes."""

    def python(found: re.Match[str]) -> str:
        try:
            return repr(json.loads(found.group(0)))
        except ValueError:
            return found.group(0)

    return _JSON_STRING.sub(python, message)


def _document_path(document: Any, path: list[Any]) -> tuple[object, ...]:
    """jsonschema-rs reports a key that looks like a number (`200`) as an int: keys of mappings
    are strings again here, indices of lists stay ints."""
    tokens: list[object] = []
    node = document
    for token in path:
        if isinstance(node, dict):
            token = str(token)
            node = node.get(token)
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
        else:
            node = None
        tokens.append(token)
    return tuple(tokens)


def _path_tuple(error: Any) -> tuple[object, ...]:
    return tuple(error.absolute_path)


def _alternatives(error: Any) -> list[Any]:
    return [c for c in (error.context or []) if c.message != _REFERENCE_BRANCH]


def most_specific(error: Any) -> tuple[tuple[object, ...], str, Any]:
    """The path, message and offending value of the deepest sub-error a oneOf/anyOf failure hides."""
    while True:
        alternatives = _alternatives(error)
        if not alternatives:
            return _path_tuple(error), error.message, error.instance
        deepest = max(len(_path_tuple(c)) for c in alternatives)
        candidates = [c for c in alternatives if len(_path_tuple(c)) == deepest]
        if len(candidates) > 1 and all(c.validator in ("enum", "const") for c in candidates):
            allowed: list[str] = []
            for c in candidates:
                values = c.validator_value if c.validator == "enum" else [c.validator_value]
                allowed += [repr(v) for v in values if repr(v) not in allowed]
            first = candidates[0]
            return (
                _path_tuple(first),
                f"{first.instance!r} is not one of {', '.join(allowed)}",
                first.instance,
            )
        if len({c.message for c in candidates}) == 1:
            error = candidates[0]  # every branch says the same: that is the problem
            continue
        if len(candidates) > 1 and isinstance(candidates[0], RustError):
            # The branches disagree: a branch that failed on its `type` was the wrong branch.
            error = min(candidates, key=lambda c: c.validator in ("type", "oneOf", "anyOf"))
            continue  # itself a oneOf/anyOf failure, maybe: what it hides is the problem
        if len(candidates) > 1:
            # The branches disagree: jsonschema's own relevance ranking picks the closest one.
            from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

            error = best_match(candidates)
            continue
        error = candidates[0]


def _follow(node: Any, path: tuple[object, ...]) -> tuple[bool, Any]:
    for token in path:
        if isinstance(node, list):
            if not (isinstance(token, int) and token < len(node)):
                return False, None
            node = node[token]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            return False, None
    return True, node


def _same(value: Any, instance: Any) -> bool:
    return value is instance or (type(value) is type(instance) and value == instance)


def _walk(spec: Any) -> Iterator[tuple[tuple[object, ...], Any]]:
    stack: list[tuple[tuple[object, ...], Any]] = [((), spec)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if isinstance(node, dict):
            stack.extend((path + (k,), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((path + (i,), v) for i, v in reversed(list(enumerate(node))))


def anchor_relative(
    spec: Any, errors: Iterable[tuple[tuple[object, ...], Any, str]]
) -> list[tuple[object, ...] | None]:
    """For each (relative path, offending value, message), the absolute path where the spec holds
    that value.

    Each place serves one error of each message, so the same mistake in two schemas is reported at
    both places, and two different complaints about one value both land on it. Errors
    are indexed by the first key of their path, so one walk of the spec serves them all."""
    wanted = list(errors)
    found: list[tuple[object, ...] | None] = [None] * len(wanted)
    by_first_key: dict[object, list[int]] = {}
    for index, (relative, _, _) in enumerate(wanted):
        if relative:
            by_first_key.setdefault(relative[0], []).append(index)
    remaining = sum(len(v) for v in by_first_key.values())
    used: set[tuple[tuple[object, ...], str]] = set()
    for base, node in _walk(spec):
        if not remaining:
            break
        if not isinstance(node, dict):
            continue
        for key in node.keys() & by_first_key.keys():
            for index in by_first_key[key]:
                relative, instance, message = wanted[index]
                if found[index] is not None:
                    continue
                ok, value = _follow(node, relative)
                absolute = base + relative
                if ok and (absolute, message) not in used and _same(value, instance):
                    found[index] = absolute
                    used.add((absolute, message))
                    remaining -= 1
    return found


def is_anchored(spec: Any, path: tuple[object, ...], instance: Any) -> bool:
    """True when `path` leads from the root of the spec to `instance` (not a schema-relative path)."""
    ok, value = _follow(spec, path)
    return ok and _same(value, instance)


def pointer_from_message(message: str) -> str:
    """The pointer named by the validator's own path-less errors, or '' if it names none."""
    for pattern, suffix in _PATH_MESSAGES:
        match = pattern.match(message)
        if match:
            method, path = match.group(1), match.group(2)
            return join_pointer(["paths", path, method, *suffix])
    return ""


def located_errors(spec: Any, errors: Iterable[Any]) -> list[tuple[str, str]]:
    """(pointer, message) for each validator error, as precisely located as the spec allows."""
    results: list[tuple[str, str]] = []
    relative: list[tuple[int, tuple[object, ...], Any, str]] = []
    for error in errors:
        path, message, instance = most_specific(error)
        message = plain_message(message)
        named = pointer_from_message(message) if not path else ""
        key = _offending_key(spec, path, instance)
        if named:
            results.append((named, message))
        elif (
            key is not None
        ):  # a name that breaks `propertyNames`: the error names the object holding it
            results.append((join_pointer([*path, key]), f"the name {message}"))
        elif not path or not is_anchored(spec, path, instance):
            # A path relative to some schema (the validator's per-schema checks): find that schema.
            relative.append((len(results), path, instance, message))
            results.append(("", message))
        else:
            results.append((join_pointer(list(path)), message))
    anchors = anchor_relative(
        spec, [(path, instance, message) for _, path, instance, message in relative]
    )
    # Still unplaced: a schema's `default` checked against its schema, the path relative to the value.
    unplaced = [i for i, anchor in enumerate(anchors) if anchor is None]
    defaults = anchor_relative(
        spec, [(("default", *relative[i][1]), *relative[i][2:]) for i in unplaced]
    )
    for i, anchor in zip(unplaced, defaults):
        anchors[i] = anchor
    for (index, *_), anchor in zip(relative, anchors):
        if anchor is not None:
            results[index] = (join_pointer(list(anchor)), results[index][1])
    return drop_redundant(results)


_VAGUE = "is not valid under any of the given schemas"


def _offending_key(spec: Any, path: tuple[object, ...], instance: Any) -> str | None:
    """`instance` when it is not the value at `path` but one of the keys of the object there."""
    ok, value = _follow(spec, path)
    if (
        ok
        and isinstance(value, dict)
        and isinstance(instance, str)
        and instance in value
        and value is not instance
    ):
        return instance
    return None


_LONG_VALUE = 30  # a quoted value longer than this is named ("the object here"), not pasted
_RUST_VAGUE = re.compile(
    r" is not valid under any of the schemas listed in the '(?:oneOf|anyOf)' keyword$"
)
_EXTENSIONS_ONLY = re.compile(r"^('.*') does not match any of the regexes: '\^x-'$")
_TYPES = re.compile(r" is not of type ('[a-z]+'(?:, '[a-z]+')+)$")


def plain_message(message: str) -> str:
    """The validator's message in plain words: a long object or list it quotes is named, not pasted;
    the two backends' wordings made one; a key only extensions may add named as an unknown key."""
    end = _quoted_value_end(message)
    if end > _LONG_VALUE:
        message = ("the object here" if message[0] == "{" else "the list here") + message[end:]
    message = _RUST_VAGUE.sub(" " + _VAGUE, message)
    extension = _EXTENSIONS_ONLY.match(message)
    if extension:
        return f"unknown key {extension.group(1)} (only 'x-' extension keys may be added here)"
    types = _TYPES.search(message)
    if types:
        names = types.group(1).split(", ")
        message = (
            message[: types.start()] + f" is not of type {', '.join(names[:-1])} or {names[-1]}"
        )
    return message


def _quoted_value_end(message: str) -> int:
    """Where the object or list that the message starts with ends (0 when it starts with neither)."""
    if not message[:1] in ("{", "["):
        return 0
    depth, quote, escaped = 0, "", False
    for index, char in enumerate(message):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return index + 1
    return 0


def drop_redundant(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each (pointer, message) once; a vague message where a specific one names the same place goes,
    and so does a second complaint about the type of the same value (the schema check and the
    semantic pass both make one, with different lists of types)."""
    specific = {pointer for pointer, message in problems if not message.endswith(_VAGUE)}
    seen: set[tuple[str, str]] = set()
    kept = []
    for pointer, message in problems:
        key = (
            pointer,
            message.split(" is not of type ", 1)[0] + " is not of type"
            if " is not of type " in message
            else message,
        )
        if key in seen or (message.endswith(_VAGUE) and pointer in specific):
            continue
        seen.add(key)
        kept.append((pointer, message))
    return kept
