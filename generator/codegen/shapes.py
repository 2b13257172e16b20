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


def return_annotation(indent: str, annotation: str, tail: str = ":") -> str:
    """The return annotation of an exploded signature, as its closing `) -> ...:` writes it."""
    laid_out = layout.returns(indent, annotation, tail)
    return laid_out[len(f"{indent}) -> ") : len(laid_out) - len(tail)]


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


def acceptable(line: str) -> bool:
    """A line black leaves as it is: it fits, or black could not split it anyway."""
    return layout.fits(line) or (line.isascii() and layout.UNSPLITTABLE.fullmatch(line) is not None)


def exploded_fits(head: str, items: Sequence[str], indent: str = "") -> bool:
    """Whether `head` (the line up to the opening bracket), then one item a line with its comma,
    then the closing bracket at `indent`, is what black keeps: every line fits or cannot be split.
    Where not, the view lays the statement out with `layout` (black's own splits) instead."""
    inner = indent + layout.INDENT
    return layout.fits(head) and all(acceptable(f"{inner}{item},") for item in items)
