"""The named definitions of a package (models, enums, aliases) as the schema builders meet them:
the class name each takes, the schema location it was built from, and lookup by name."""

from __future__ import annotations

from generator.model import naming
from generator.model.types import Definition, Named, TypeExpr
from generator.spec.refs import Location


class Definitions:
    """Shared by the schema builder and the union builder, which both add to it; `class_names` is
    the package's one namer of classes (models, resources and clients must all differ)."""

    def __init__(self, class_names: naming.UniqueNamer) -> None:
        self.class_names = class_names
        self.all: list[Definition] = []
        self._index: dict[str, Definition] = {}
        self._indexed = 0
        self._by_location: dict[tuple[object, str], TypeExpr] = {}
        self._reserved: dict[tuple[object, str], str] = {}

    # ---- class names -------------------------------------------------------------------------

    def reserve(self, location: Location, spec_name: str) -> None:
        """Claim a component's class name before anything else can take it."""
        self._reserved[location.key] = self.claim(spec_name)

    def is_reserved(self, location: Location) -> bool:
        return location.key in self._reserved

    def claim(self, hint: str) -> str:
        return self.class_names.claim(naming.shorten(naming.class_name(hint)))

    def name_for(self, location: Location | None, hint: str) -> str:
        """The class name of what is built from `location`: its reserved one, else a new one."""
        reserved = self._reserved.pop(location.key, None) if location is not None else None
        return reserved if reserved is not None else self.claim(hint)

    # ---- what was built ----------------------------------------------------------------------

    def add(self, definition: Definition, location: Location | None = None) -> Named:
        """Add a definition; what `location` holds is now known as it."""
        self.all.append(definition)
        named = Named(definition.name)
        if location is not None:
            self.remember(location, named)
        return named

    def remember(self, location: Location, expr: TypeExpr) -> None:
        self._by_location[location.key] = expr

    def known(self, location: Location) -> TypeExpr | None:
        """The type already built from `location`, if any."""
        return self._by_location.get(location.key)

    def definition(self, name: str) -> Definition | None:
        """The definition named `name` (the first, as names are unique); indexed as the list grows,
        since big specs look names up thousands of times."""
        for added in self.all[self._indexed :]:
            self._index.setdefault(added.name, added)
        self._indexed = len(self.all)
        return self._index.get(name)
