"""Python names from spec names: always identifiers, never keywords, never hiding what generated
code relies on, whatever the spec says (issue 7)."""

from __future__ import annotations

import builtins
import keyword
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import naming

ANY_TEXT = st.text(alphabet=st.characters(codec=None), max_size=40)
TRICKY = [
    "",
    " ",
    "_",
    "__",
    "__init__",
    "__class__",
    "class",
    "None",
    "True",
    "match",
    "_",
    "type",
    "str",
    "list",
    "dict",
    "cast",
    "self",
    "123",
    "1abc",
    "-",
    "+",
    "é",
    "日本語",
    "🐍",
    '"',
    "'",
    "\\",
    "\n",
    "{{ x }}",
    "${{ x }}",
    "model_config",
    "json",
    "mro",
    "with_raw_response",
    "a-b",
    "A B",
    "\ud800",
    "l",
    "O",
    "I",
    "o",
    "i",
]


def _is_plain_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and name.isascii()


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_every_name_kind_is_a_plain_identifier(text: str) -> None:
    for make in (
        naming.method_name,
        naming.field_name,
        naming.param_name,
        naming.class_name,
        naming.enum_member_name,
        naming.package_name,
    ):
        name = make(text)
        assert _is_plain_identifier(name), (make.__name__, text, name)
        assert (
            not keyword.issoftkeyword(name)
            or make is naming.method_name
            or make is naming.enum_member_name
        )


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_names(text: str) -> None:
    field = naming.field_name(text)
    assert field not in naming.MODEL_RESERVED and not (
        field.startswith("model_") and not field.endswith("_")
    )
    assert field not in naming.ANNOTATION_NAMES
    assert not field.startswith("_")
    param = naming.param_name(text)
    assert param not in ("self", "cast") and param not in naming.ANNOTATION_NAMES
    cls = naming.class_name(text)
    assert cls not in naming.RESERVED and not hasattr(builtins, cls)
    method = naming.method_name(text)
    assert method not in (
        "with_raw_response",
        "with_streaming_response",
        "with_options",
        "cast",
        "str",
        "int",
        "bytes",
    )
    member = naming.enum_member_name(text)
    assert not member.startswith("_") and member not in ("MRO",)
    assert not {field, param, cls, method, member} & {
        "l",
        "O",
        "I",
    }  # pycodestyle's ambiguous names


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Fax.Plus REST API", "fax_plus_rest_api"),
        ("123 API", "api_123_api"),
        ("class", "class_client"),
        ("httpx", "httpx_client"),
        ("json", "json_client"),
        ("typing", "typing_client"),
        ("", "client"),
        ("__init__", "init"),
    ],
)
def test_package_names(title: str, expected: str) -> None:
    assert naming.package_name(title) == expected


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_package_name_shadows_nothing(title: str) -> None:
    name = naming.package_name(title)
    assert name not in sys.stdlib_module_names
    assert name not in naming.TAKEN_PACKAGES


def test_enum_member_names_of_numbers_are_identifiers() -> None:
    for value in (1, -1, 0, 2**70, 1.5, -0.0, 1e300, 1e-300, float("inf"), True, None):
        assert _is_plain_identifier(naming.enum_member_name(value)), value


def test_unique_namer_is_deterministic_and_collision_free() -> None:
    names = ["getPet", "get_pet", "GetPet", "get-pet", "get pet", "getPet"]
    first = naming.UniqueNamer()
    second = naming.UniqueNamer()
    a = [first.claim(naming.method_name(n)) for n in names]
    b = [second.claim(naming.method_name(n)) for n in names]
    assert a == b
    assert len(set(a)) == len(a)
    assert a[0] == "get_pet"


def test_shorten_keeps_names_within_limits_and_distinct() -> None:
    long_a, long_b = "A" * 200 + "x", "A" * 200 + "y"
    assert len(naming.shorten(long_a)) <= 80
    assert naming.shorten(long_a) != naming.shorten(long_b)
    assert naming.shorten("Short") == "Short"


def test_shortened_names_keep_the_forms_they_always_had() -> None:
    """Class names and resource attributes are shortened by one helper; the names it gives are
    generated packages' public API, so they stay exactly as before."""
    import hashlib

    def digest(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()[:8]

    long_class = "Pet" * 40
    assert naming.shorten(long_class) == long_class[:71] + digest(long_class).capitalize()
    long_attr = "pets_" * 20
    assert naming.shortened(long_attr, 60) == long_attr[:51].rstrip("_") + "_" + digest(long_attr)
