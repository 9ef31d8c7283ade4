"""What Moodle and the chosen formats cannot hold, checked per unit, each unit's findings kept.

A unit's findings (Moodle's limits on its names, each chosen format's check) are a function of
the unit's files, the course's files and the code, so they are kept in the cache under that key:
after an edit, only the edited unit is checked again. The course's own names and what units
share (category idnumbers) are checked on every run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from .cache import Cache
from .diagnostics import Diagnostic
from .model import Catalogue
from .writers import WRITERS, Writer, limits
from .writers.limits import Found

_ENTRY = "checks.json"


def check(catalogue: Catalogue, formats: list[str] | None = None,
          cache: Cache | None = None) -> list[Diagnostic]:
    """What Moodle or the chosen formats cannot hold: warnings, and errors that stop the build
    (each unit's findings taken from `cache` when its files and the course's are unchanged)."""
    chosen = [(name, w) for name, w in WRITERS.items() if formats is None or name in formats]
    found: list[Found] = list(limits.course_head(catalogue))
    formatted: list[Diagnostic] = []
    for named, others in _units(catalogue, chosen, cache):
        found += named
        formatted += others
    found += limits.course_tail(catalogue)
    return [*(d for _, d in limits.once(found)), *formatted]


Findings = tuple[list[Found], list[Diagnostic]]  # Moodle's limits on names; the formats' checks


def _units(catalogue: Catalogue, chosen: list[tuple[str, Writer]],
           cache: Cache | None) -> Iterator[Findings]:
    keys = _keys(catalogue, [name for name, _ in chosen]) if cache is not None else {}
    for unit in catalogue.units:
        key = keys.get(unit.id)
        kept = _kept(cache.get(key)) if cache is not None and key else None
        if kept is not None:
            yield kept
            continue
        made = (list(limits.unit_found(catalogue, unit)),
                [d for _, w in chosen for d in w.unit_check(catalogue, unit)])
        if cache is not None and key:
            cache.put_soon(key, {_ENTRY: _encode(made)})
        yield made


def _keys(catalogue: Catalogue, formats: list[str]) -> dict[str, str]:
    """Each unit's key, for a unit and a course read from source (others are not kept)."""
    from .tasks import digest, unit_keys

    if not catalogue.made_from or not catalogue.units:
        return {}
    context, units = unit_keys(catalogue)
    shared = digest(context, "checks", ",".join(formats), catalogue.made_from,
                    catalogue.units[0].origin)  # limits place a stray name at the first unit
    return {u.id: digest(shared, units[u.id]) for u in catalogue.units if u.made_from}


def _encode(made: Findings) -> bytes:
    named, others = made
    return json.dumps([[[where, d.row()] for where, d in named], [d.row() for d in others]],
                      ensure_ascii=False).encode("utf-8")


def _kept(files: dict[str, bytes] | None) -> Findings | None:
    """The findings kept in a cache entry, or None when there are none or they do not read."""
    if files is None or _ENTRY not in files:
        return None
    try:
        named, others = json.loads(files[_ENTRY])
        return ([(str(where), Diagnostic.from_row(row)) for where, row in named],
                [Diagnostic.from_row(row) for row in others])
    except (ValueError, TypeError):
        return None

