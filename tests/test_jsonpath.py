"""The JSONPath subset overlays target with (RFC 9535): selectors, filters, errors, and a property:
every node a query finds is where its path says, with the parent and key it says."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.diagnostics import split_pointer
from generator.spec.jsonpath import JSONPathError, find, parse

DOC: dict[str, Any] = {
    "info": {"title": "T", "version": "2"},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets", "paged"],
                "parameters": [
                    {"name": "limit", "in": "query", "x-max": 100},
                    {"name": "dummy", "in": "query"},
                    {"name": "X-Trace", "in": "header", "deprecated": True},
                ],
                "x-oai-traits": ["paged"],
            },
            "post": {"operationId": "createPet", "x-rank": 2},
        },
        "/pets/{id}": {"get": {"operationId": "getPet", "x-rank": 1.5, "x-flag": 1}},
    },
    "version": 2,
}


def pointers(query: str, data: Any = DOC) -> list[str]:
    return [m.pointer for m in find(query, data)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("$", [""]),
        ("$.info.title", ["/info/title"]),
        ("$['info']['version']", ["/info/version"]),
        ('$["paths"]["/pets"].post', ["/paths/~1pets/post"]),
        ("$.paths.*.get", ["/paths/~1pets/get", "/paths/~1pets~1{id}/get"]),
        (
            "$.paths['/pets'].get.parameters[*].name",
            [f"/paths/~1pets/get/parameters/{i}/name" for i in range(3)],
        ),
        ("$.paths['/pets'].get.parameters[1]", ["/paths/~1pets/get/parameters/1"]),
        ("$.paths['/pets'].get.parameters[-1]", ["/paths/~1pets/get/parameters/2"]),
        ("$.paths['/pets'].get.parameters[-4]", []),
        (
            "$.paths['/pets'].get.parameters[0:2].in",
            ["/paths/~1pets/get/parameters/0/in", "/paths/~1pets/get/parameters/1/in"],
        ),
        (
            "$.paths['/pets'].get.parameters[::-1].name",
            [f"/paths/~1pets/get/parameters/{i}/name" for i in (2, 1, 0)],
        ),
        (
            "$.paths['/pets'].get.tags[0,1]",
            ["/paths/~1pets/get/tags/0", "/paths/~1pets/get/tags/1"],
        ),
        ("$['info','version']", ["/info", "/version"]),
        (
            "$..operationId",
            [
                "/paths/~1pets/get/operationId",
                "/paths/~1pets/post/operationId",
                "/paths/~1pets~1{id}/get/operationId",
            ],
        ),
        ("$.paths..parameters[0].name", ["/paths/~1pets/get/parameters/0/name"]),
        ("$.info..*", ["/info/title", "/info/version"]),
        ("$.nothing.here", []),
        ("$.info.title.deeper", []),
    ],
)
def test_selectors(query, expected):
    assert pointers(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The Overlay Specification's own examples.
        ("$.paths.*.get.parameters[?@.name == 'dummy']", ["/paths/~1pets/get/parameters/1"]),
        (
            "$.paths.*.get.parameters[?@.name=='limit' && @.in=='query']",
            ["/paths/~1pets/get/parameters/0"],
        ),
        ("$.paths[?(@.get['x-oai-traits'][?(@ == 'paged')])].get", ["/paths/~1pets/get"]),
        # the legacy parenthesised form, double quotes, != and existence
        ('$.paths.*.get.parameters[?(@.in != "query")]', ["/paths/~1pets/get/parameters/2"]),
        ("$.paths.*.get.parameters[?@.deprecated]", ["/paths/~1pets/get/parameters/2"]),
        (
            "$.paths.*.get.parameters[?!@.deprecated].name",
            ["/paths/~1pets/get/parameters/0/name", "/paths/~1pets/get/parameters/1/name"],
        ),
        (
            "$.paths.*.get.parameters[?@.name == 'dummy' || @['x-max'] >= 100].name",
            ["/paths/~1pets/get/parameters/0/name", "/paths/~1pets/get/parameters/1/name"],
        ),
        (
            "$.paths.*.get.parameters[?(@.in == 'query' && (@.name == 'x' || @.x-max < 101))].name",
            ["/paths/~1pets/get/parameters/0/name"],
        ),
        # numbers compare across int and float, never with booleans or strings
        ("$.paths.*.*[?@ == 2]", ["/paths/~1pets/post/x-rank"]),
        ("$.paths.*.*[?@ > 1]", ["/paths/~1pets/post/x-rank", "/paths/~1pets~1{id}/get/x-rank"]),
        ("$.paths.*.get.parameters[?@.deprecated == 1]", []),
        (
            "$.paths.*.get.parameters[?@.deprecated == true].name",
            ["/paths/~1pets/get/parameters/2/name"],
        ),
        ("$.paths.*.get.parameters[?@.name > 'e'].name", ["/paths/~1pets/get/parameters/0/name"]),
        ("$.paths.*.get.parameters[?@.nothing == null]", []),
        # absolute queries inside a filter, and a missing member equals only a missing member
        ("$.paths.*.*[?@ == $.version]", ["/paths/~1pets/post/x-rank"]),
        (
            "$.paths.*.get.parameters[?@.absent == @.missing].name",
            [f"/paths/~1pets/get/parameters/{i}/name" for i in range(3)],
        ),
    ],
)
def test_filters(query, expected):
    assert pointers(query) == expected


def test_matches_know_their_parent_and_key():
    match = find("$.paths['/pets'].get.parameters[?@.name == 'dummy']", DOC)[0]
    assert match.parent is DOC["paths"]["/pets"]["get"]["parameters"]
    assert match.key == 1
    assert match.value == {"name": "dummy", "in": "query"}
    root = find("$", DOC)[0]
    assert (root.parent, root.key, root.value) == (None, None, DOC)


@pytest.mark.parametrize(
    ("query", "message", "offset"),
    [
        ("paths", "starts with '$'", 0),
        ("$.", "member name", 2),
        ("$.paths[", "unexpected 'end'", 8),
        ("$.paths['/pets'", "expected ']'", 15),
        ("$.paths['/pets]", "unterminated string", 8),
        ("$[?length(@.tags) > 1]", "function length() is not supported", 3),
        ("$.paths.*[?@.get == 'a']x", "unexpected 'x'", 24),
        ("$.paths.*[?@..get == 'a']", "only a singular query", 11),
        ("$.paths[?'a']", "a literal alone is not a test", 9),
        ("$[01]", "invalid integer '01'", 2),
    ],
)
def test_bad_queries_say_what_and_where(query, message, offset):
    with pytest.raises(JSONPathError) as caught:
        parse(query)
    assert message in caught.value.message
    assert caught.value.offset == offset


# ---- property: every match is at its path ---------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["a", "b", "dummy"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["a", "b", "name", "in", "x-y"]), children, max_size=4)
    ),
    max_leaves=20,
)
queries = st.sampled_from(
    [
        "$..*",
        "$..a",
        "$.*.*",
        "$..[0]",
        "$..[-1]",
        "$..[1:]",
        "$..[?@.name == 'dummy']",
        "$..[?@.a]",
        "$..[?@ == 1 || @ == 'a']",
        "$..['a','b']",
    ]
)


def _at(data: Any, pointer: str) -> Any:
    for token in split_pointer(pointer):
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data


@settings(max_examples=150, derandomize=True, deadline=None)
@given(json_values, queries)
def test_every_match_is_where_its_path_says(data, query):
    for match in find(query, data):
        assert _at(data, match.pointer) is match.value or _at(data, match.pointer) == match.value
        parent = _at(data, match.pointer.rsplit("/", 1)[0]) if match.path else None
        assert parent is match.parent
        if match.parent is not None:
            assert match.parent[match.key] is match.value  # type: ignore[index]


@settings(max_examples=100, derandomize=True, deadline=None)
@given(json_values)
def test_descent_visits_every_node_once_in_document_order(data):
    found = [m.path for m in find("$..*", data)]
    expected: list[tuple[object, ...]] = []

    def walk(node: Any, path: tuple[object, ...]) -> None:
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, child in items:
            expected.append((*path, key))
            walk(child, (*path, key))

    walk(data, ())
    assert sorted(found, key=repr) == sorted(expected, key=repr)
    assert len(found) == len(set(found))
