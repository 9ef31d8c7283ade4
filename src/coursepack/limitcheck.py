"""What Moodle and the chosen formats cannot hold, checked per unit, each unit's findings kept.

A unit's findings (Moodle's limits on its names, each chosen format's check) are a function of
the unit's files, the course's files and the code. One cache entry per course (its files as
read, the formats checked, the code) keeps every unit's findings by what the unit is made from:
after an edit, only the edited unit is checked again, and a run reads and writes one entry, not
one per unit. The course's own names and what units share (category idnumbers) are checked on
every run.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from typing import Any

from .cache import Cache
from .diagnostics import Diagnostic
from .model import Catalogue
from .writers import WRITERS, Writer, limits
from .writers.limits import Found

_ENTRY = "checks"
Findings = tuple[list[Found], list[Diagnostic]]  # Moodle's limits on names; the formats' checks


def check(catalogue: Catalogue, formats: list[str] | None = None,
          cache: Cache | None = None) -> list[Diagnostic]:
    """What Moodle or the chosen formats cannot hold: warnings, and errors that stop the build
    (each unit's findings taken from `cache` when its files and the course's are unchanged)."""
    chosen = [(name, w) for name, w in WRITERS.items() if formats is None or name in formats]
    kept = _Kept(catalogue, [name for name, _ in chosen], cache or Cache(None))
    found: list[Found] = list(limits.course_head(catalogue))
    formatted: list[Diagnostic] = []
    for named, others in kept.units(chosen):
        found += named
        formatted += others
    found += limits.course_tail(catalogue)
    kept.save()
    return [*(d for _, d in limits.once(found)), *formatted]


class _Kept:
    """The units' findings kept for this course, formats and code: read once, written once."""

    def __init__(self, catalogue: Catalogue, formats: list[str], cache: Cache) -> None:
        self.catalogue, self.cache = catalogue, cache
        self.key = _key(catalogue, formats) if cache.folder is not None else ""
        self.known = _load(cache, self.key)
        self.kept: dict[str, Any] = {}

    def units(self, chosen: list[tuple[str, Writer]]) -> Iterator[Findings]:
        """Each unit's findings, in unit order: kept ones read back, the others made now."""
        for unit in self.catalogue.units:
            made = self._read(unit.made_from)
            if made is None:
                made = (list(limits.unit_found(self.catalogue, unit)),
                        [d for _, w in chosen for d in w.unit_check(self.catalogue, unit)])
            if self.key and unit.made_from:
                self.kept[unit.made_from] = _rows(made)
            yield made

    def _read(self, made_from: str) -> Findings | None:
        """A unit's kept findings, or None when there are none or they do not read."""
        rows = self.known.get(made_from) if made_from else None
        try:
            named, others = rows  # type: ignore[misc]
            return ([(str(where), Diagnostic.from_row(row)) for where, row in named],
                    [Diagnostic.from_row(row) for row in others])
        except (ValueError, TypeError):
            return None

    def save(self) -> None:
        """Keep this run's findings (only the units read now) when they are not those kept."""
        if self.key and self.kept != self.known:
            self.cache.put_soon(self.key, {_ENTRY: marshal.dumps(self.kept)})


def _key(catalogue: Catalogue, formats: list[str]) -> str:
    """The entry's key, for a course read from source (others are not kept): the code, the
    date, the course's settings and files, the formats and where the first unit is read from
    (limits place a stray name there)."""
    from .tasks import digest, unit_keys

    if not catalogue.made_from or not catalogue.units:
        return ""
    context, _ = unit_keys(catalogue)
    return digest(context, "checks", ",".join(formats), catalogue.made_from,
                  catalogue.units[0].origin)


def _load(cache: Cache, key: str) -> dict[str, Any]:
    found = cache.get(key) if key else None
    try:
        kept = marshal.loads(found[_ENTRY]) if found and _ENTRY in found else {}
    except (ValueError, EOFError, TypeError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _rows(made: Findings) -> tuple[list[tuple[str, Any]], list[Any]]:
    named, others = made
    return [(where, d.row()) for where, d in named], [d.row() for d in others]
