"""The escaping filters: `py_literal` evaluates back to its value; `docstring` is always one string
statement, whatever the text (issue 7)."""

from __future__ import annotations

import ast
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.codegen.literals import docstring, docstring_text, py_literal, toml_string

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=10,
)
ANY_TEXT = st.text(
    alphabet=st.characters(codec=None)
)  # every code point, surrogates and controls included


def _evaluate(code: str) -> object:
    tree = ast.parse(code, mode="eval")
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    # the only call py_literal writes: float('nan') / float('inf')
    assert all(isinstance(c.func, ast.Name) and c.func.id == "float" for c in calls), code
    return eval(compile(tree, "<literal>", "eval"), {"__builtins__": {"float": float}})


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_py_literal_round_trips(value: object) -> None:
    assert _evaluate(py_literal(value)) == value


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_py_literal_of_any_text_is_one_string_constant(text: str) -> None:
    code = py_literal(text)
    tree = ast.parse(code, mode="eval")
    assert isinstance(tree.body, ast.Constant) and tree.body.value == text
    assert "\n" not in code and "\r" not in code
    code.encode("utf-8")  # lone surrogates arrive escaped, never raw


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_py_literal_special_floats(value: float) -> None:
    result = _evaluate(py_literal(value))
    assert isinstance(result, float)
    assert (math.isnan(result) and math.isnan(value)) or result == value


def test_py_literal_prefers_double_quotes() -> None:
    assert py_literal("a") == '"a"'
    assert py_literal('a"b') == "'a\"b'"
    assert py_literal("it's") == '"it\'s"'


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT, st.sampled_from(["", "    ", "        "]))
def test_docstring_is_always_one_string_statement(text: str, indent: str) -> None:
    statement = docstring(text, indent)
    if not statement:
        assert not docstring_text(text, indent)
        return
    # the statement as the templates place it: at `indent` inside nested blocks (or at module level)
    depth = len(indent) // 4
    source = (
        "".join("    " * level + f"def f{level}():\n" for level in range(depth))
        + indent
        + statement
        + "\n"
    )
    tree = ast.parse(source)
    body = tree.body
    for _ in range(depth):
        assert len(body) == 1 and isinstance(body[0], ast.FunctionDef)
        body = body[0].body
    assert len(body) == 1
    node = body[0]
    assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    assert isinstance(node.value.value, str)
    source.encode("utf-8")


@pytest.mark.parametrize(
    "text",
    [
        '"""',
        "'''",
        "\\",
        'a"',
        "a\\",
        '"a',
        '\\"""',
        '""""""',
        "\x00",
        "\u2028",
        "\ud800",
        "a\r\nb",
        "\t",
        "\x0c",
        "open('x')\n\"\"\"\nopen('x')",
    ],
)
def test_docstring_edge_cases_keep_their_text(text: str) -> None:
    statement = docstring(f"x {text} y")
    value = ast.literal_eval(statement)
    assert value.startswith("x ") and value.rstrip().endswith("y")
    if text in ('"""', "'''", "\\", 'a"', "a\\", '"a', '""""""'):
        assert (
            text in value
        )  # quotes and backslashes survive (escaped in the source, not in the text)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_toml_string_is_one_basic_string(text: str) -> None:
    import tomllib

    literal = toml_string(text)
    parsed = tomllib.loads(f"key = {literal}\n")
    assert list(parsed) == ["key"]
    assert isinstance(parsed["key"], str)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text("ab.,`-[]() ", min_size=1, max_size=60), max_size=40).map(" ".join),
    st.integers(40, 100),
    st.sampled_from(["", "    "]),
    st.sampled_from(["", "    "]),
)
def test_fill_wraps_as_textwrap_does(text, width, first, more):
    import textwrap

    from generator.codegen.literals import _fill

    text = text.strip()
    expected = textwrap.wrap(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=first + more,
        break_long_words=False,
        break_on_hyphens=False,
    )
    assert _fill(text, width, first, first + more) == expected
