"""The import blocks of generated modules: the names a module uses, found in the catalogue of
generator/catalogue.py (or the package's own), laid out as isort sorts them (ruff's `I` rules
with their default settings), so generated code stays lint-clean: a module imports exactly the
names its views say it uses."""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.catalogue import CATALOGUE, Origin
from generator.codegen import layout
from generator.style import LINT_DEFAULT_WIDTH


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
    """natord's comparison (what ruff sorts with): runs of digits compare as numbers, digit by
    digit when either has a leading zero. Both sides are equal up to the first differing
    character, so only the digit run around it (if both have one there) can order them otherwise
    than plain text; the prefix is found by halving, in C, as sorting thousands of names calls
    this for every pair it compares."""
    if left == right:
        return 0
    low, high = 0, min(len(left), len(right))
    while low < high:  # the first index at which they differ (or the shorter one's end)
        middle = (low + high + 1) // 2
        if left[:middle] == right[:middle]:
            low = middle
        else:
            high = middle - 1
    differ = low
    start = differ
    while start and left[start - 1].isdigit():
        start -= 1
    if left[start : start + 1].isdigit() and right[start : start + 1].isdigit():
        x, y = _digits_from(left, start), _digits_from(right, start)
        if x != y:
            if x.startswith("0") or y.startswith("0"):
                return -1 if x < y else 1
            return -1 if (len(x), x) < (len(y), y) else 1
    if differ == len(left) or differ == len(right):
        return -1 if differ == len(left) else 1
    return -1 if left[differ] < right[differ] else 1


def _digits_from(text: str, start: int) -> str:
    end = start
    while end < len(text) and text[end].isdigit():
        end += 1
    return text[start:end]


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
