"""The shipped resource template's shapes are black's: property tests render `resource.py.j2` from
views of operations with names, paths and annotations of random lengths around the 100-column
limit, and check that the formatter's fast path (black given only the statements it could change)
gives exactly what black gives for the whole module, and that few statements need black at all.
(The shapes: a bracketed list on one line when the view says it fits, else exploded one item a line
with a trailing comma; `layout` where neither is black's.)"""

from __future__ import annotations

import os
import string

import black
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.codegen.defaults import DefaultRenderer
from generator.codegen.model_modules import ModelModules
from generator.codegen.render import environment
from generator.codegen.resource_views import resource_view
from generator.format.formatter import format_files, needs_formatting, top_level_statements
from generator.model.api import Operation, Parameter, Resource
from generator.model.types import Named, Primitive, TypeExpr, UnionOf
from generator.style import black_mode

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize="OASGEN_FUZZ_EXAMPLES" not in os.environ,
)
COUNTS = {"statements": 0, "to_black": 0}


def _sized(alphabet: str, low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).flatmap(lambda n: st.text(alphabet, min_size=n, max_size=n))


def snake(low: int, high: int) -> st.SearchStrategy[str]:
    return _sized(string.ascii_lowercase + "_", low - 1, high - 1).map(lambda rest: "n" + rest)


def pascal(low: int, high: int) -> st.SearchStrategy[str]:
    return _sized(string.ascii_letters, low - 1, high - 1).map(lambda rest: "M" + rest)


def types() -> st.SearchStrategy[TypeExpr]:
    named = pascal(1, 45).map(Named)
    return st.one_of(
        st.just(Primitive("str")),
        named,
        st.lists(named, min_size=2, max_size=4, unique=True).map(lambda v: UnionOf(tuple(v))),
    )


@st.composite
def operations(draw: st.DrawFn, index: int) -> Operation:
    name = draw(snake(1, 75)) + f"_{index}"
    parameters = [
        Parameter(
            name=f"{draw(snake(1, 40))}_{n}",
            py_name=f"p{n}_{draw(snake(1, 40))}",
            location=draw(st.sampled_from(["path", "query", "header"])),
            type=draw(types()),
            required=draw(st.booleans()),
        )
        for n in range(draw(st.integers(0, 4)))
    ]
    result = draw(types())
    return Operation(
        operation_id=name,
        py_name=name,
        method=draw(st.sampled_from(["GET", "POST"])),
        path="/" + draw(_sized(string.ascii_lowercase + "/{}_", 0, 90)),
        parameters=parameters,
        result_type=result,
        result_kind="json",
        error_types=draw(st.dictionaries(st.sampled_from(["400", "404"]), types(), max_size=2)),
    )


@st.composite
def resources(draw: st.DrawFn) -> Resource:
    tag = draw(snake(1, 40))
    class_name = draw(pascal(1, 50)) + "Resource"
    ops = [draw(operations(n)) for n in range(draw(st.integers(1, 3)))]
    return Resource(tag=tag, attr_name=tag, class_name=class_name, operations=ops)


def _models(resource: Resource) -> ModelModules:
    """Every model the operations name, in one module of the models package."""
    names: set[str] = set()

    def collect(expr: TypeExpr) -> None:
        if isinstance(expr, Named):
            names.add(expr.name)
        elif isinstance(expr, UnionOf):
            for variant in expr.variants:
                collect(variant)

    for op in resource.operations:
        for expr in [op.result_type, *op.error_types.values(), *(p.type for p in op.parameters)]:
            collect(expr)
    return ModelModules(module_of=dict.fromkeys(names, "shared"), order=["shared"])


@SETTINGS
@given(resources())
def _render_and_format(resource: Resource) -> None:
    view = resource_view(resource, DefaultRenderer({}), _models(resource))
    text = environment().get_template("resource.py.j2").render(resource=view, oasgen_version="0")
    statements = top_level_statements(text)
    COUNTS["statements"] += len(statements)
    COUNTS["to_black"] += sum(1 for s in statements if needs_formatting(s))
    fast = format_files({"m.py": text}, "black", laid_out=True)["m.py"]
    assert fast == black.format_str(text, mode=black_mode())


def test_the_fast_path_gives_what_black_gives_and_few_statements_need_black() -> None:
    """Names this long are rare in real specs, so the share here is above the corpus's."""
    COUNTS.update(statements=0, to_black=0)
    _render_and_format()
    print(COUNTS)
    assert COUNTS["to_black"] <= 0.05 * COUNTS["statements"]
