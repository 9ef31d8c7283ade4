"""Units whose content is made when it is first read: a build after an edit makes one unit.

A 1,000-unit catalogue takes half a second to make from its documents, and a build after an
edit needs the content of the edited unit alone: every other unit's outputs and findings come
from the cache by what the unit is made from (`Unit.made_from`), its names and key terms are all
the course-level files read of it. A `LazyUnit` knows those at once; the first read of any other
field makes the whole unit from its documents (then let go). It equals, hashes, prints and
pickles as the unit it makes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from .model import Unit

# The fields a LazyUnit knows before it is made (see `lazy_unit`).
EAGER = ("id", "title", "awarding_body", "key_terms", "media", "updated", "origin", "made_from")


class LazyUnit(Unit):
    """A unit made from its documents when a field other than the eager ones is first read."""

    __slots__ = ("_make", "_sizes")

    def __getattr__(self, name: str) -> Any:
        """Called only for a field not yet set: make the unit, then read the field."""
        if name.startswith("_"):
            raise AttributeError(name)
        self._made()
        return object.__getattribute__(self, name)

    def _made(self) -> None:
        try:
            make = object.__getattribute__(self, "_make")
        except AttributeError:
            return  # made already: the name is not a field
        unit = make()
        for f in fields(Unit):
            object.__setattr__(self, f.name, getattr(unit, f.name))
        object.__delattr__(self, "_make")  # and with it the documents

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Unit):
            return NotImplemented
        return _compared(self) == _compared(other)

    __hash__ = Unit.__hash__

    def __repr__(self) -> str:
        return repr(self._plain())

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt, (self._values(),)

    def _values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(Unit)}

    def _plain(self) -> Unit:
        return _rebuilt(self._values())


def lazy_unit(eager: dict[str, Any], sizes: tuple[int, int], make: Callable[[], Unit]) -> Unit:
    """A unit whose `EAGER` fields are given (as `make` would make them), with its number of
    questions and of lesson pages, made by `make` when another field is first read."""
    assert set(eager) == set(EAGER), eager
    unit = object.__new__(LazyUnit)
    for name, value in eager.items():
        object.__setattr__(unit, name, value)
    object.__setattr__(unit, "_sizes", sizes)
    object.__setattr__(unit, "_make", make)
    return unit


def sizes(unit: Unit) -> tuple[int, int]:
    """The unit's number of questions and of lesson pages, without making a lazy unit."""
    if isinstance(unit, LazyUnit) and hasattr(unit, "_make"):
        found: tuple[int, int] = object.__getattribute__(unit, "_sizes")
        return found
    return len(unit.questions), len(unit.lesson.pages) if unit.lesson else 0


def _compared(unit: Unit) -> tuple[Any, ...]:
    return tuple(getattr(unit, f.name) for f in fields(Unit) if f.compare)


def _rebuilt(values: dict[str, Any]) -> Unit:
    """A unit (not lazy) with these field values: a LazyUnit unpickled."""
    unit = object.__new__(Unit)
    for name, value in values.items():
        object.__setattr__(unit, name, value)
    return unit
