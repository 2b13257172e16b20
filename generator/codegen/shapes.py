"""The few layout decisions templates ask the views for. A template writes each bracketed list in
one of two shapes: on one line, when it fits, or exploded one item a line with a trailing comma,
which black keeps as written (its "magic trailing comma"). Long type annotations are the exception:
black splits them its own way, which `layout` reproduces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.codegen import layout


def one_line(head: str, items: Sequence[str], tail: str = "") -> bool:
    """Whether `head` (indent included) then the items joined by commas, then `tail`, fits."""
    return layout.fits(f"{head}{', '.join(items)}{tail}")


def parameter_annotation(indent: str, name: str, annotation: str, tail: str) -> str:
    """The annotation of the parameter `name` as a signature at `indent` writes it, before `tail`
    (` = default,` or `,`): the annotation itself, or the lines black splits a long one into."""
    laid_out = layout.annotated(indent, name, annotation, tail)
    return laid_out[len(f"{indent}{name}: ") : len(laid_out) - len(tail)]


def return_annotation(indent: str, annotation: str) -> str:
    """The return annotation of an exploded signature, as its closing `) -> ...:` writes it."""
    laid_out = layout.returns(indent, annotation)
    return laid_out[len(f"{indent}) -> ") : -1]


@dataclass
class Bracketed:
    """Items between brackets (`opener` may name a call: `Server(`), which a template writes as
    `text` when `one_line`, else one item a line, each with its comma."""

    opener: str
    items: list[str]
    closer: str
    text: str  # on one line
    one_line: bool


def bracketed(
    head: str, opener: str, items: list[str], closer: str, tail: str = "", text: str = ""
) -> Bracketed:
    """`head` is what precedes the opener on its line, indent included; `text` the one-line form
    when it is not the items joined by commas (a one-item tuple)."""
    text = text or f"{opener}{', '.join(items)}{closer}"
    return Bracketed(opener, items, closer, text, layout.fits(f"{head}{text}{tail}"))
