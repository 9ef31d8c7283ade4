"""What Moodle and the chosen formats cannot hold, checked per unit, each unit's findings kept.

A unit's findings (Moodle's limits on its names, each chosen format's check) are a function of
the unit's files, the course's files and the code. One cache entry per course (its files as
read, the formats checked, the code) keeps every unit's findings by what the unit is made from:
after an edit, only the edited unit is checked again, and a run reads and writes one entry, not
one per unit. Each unit's categories (their idnumbers) are kept with its findings; the course's
own names, and idnumbers that clash between units, are checked on every run, without making a
unit whose findings are kept (see lazy.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .cache import Cache
from .diagnostics import Diagnostic
from .model import Catalogue, Unit
from .writers import WRITERS, limits
from .writers.limits import Found, Idnumber
from .writers.names import units_by_id

_ENTRY = "checks"
# Moodle's limits on names, the formats' checks, and the unit's categories (for clashes)
Findings = tuple[list[Found], list[Diagnostic], list[Idnumber]]


def check(catalogue: Catalogue, formats: list[str] | None = None,
          cache: Cache | None = None, jobs: int = 1) -> list[Diagnostic]:
    """What Moodle or the chosen formats cannot hold: warnings, and errors that stop the build
    (each unit's findings taken from `cache` when its files and the course's are unchanged;
    many units to check are checked on `jobs` processes)."""
    chosen = [name for name in WRITERS if formats is None or name in formats]
    kept = _Kept(catalogue, chosen, cache or Cache(None))
    found: list[Found] = list(limits.course_head(catalogue))
    formatted: list[Diagnostic] = []
    idnumbers: list[list[Idnumber]] = []
    for named, others, categories in kept.units(chosen, jobs):
        found += named
        formatted += others
        idnumbers.append(categories)
    found += limits.course_tail(catalogue)
    kept.save()
    return [*(d for _, d in limits.once(found)),
            *limits.duplicate_idnumbers(catalogue, idnumbers), *formatted]


class _Kept:
    """The units' findings kept for this course, formats and code: read once, written once."""

    def __init__(self, catalogue: Catalogue, formats: list[str], cache: Cache) -> None:
        self.catalogue, self.cache = catalogue, cache
        self.key = _key(catalogue, formats) if cache.folder is not None else ""
        self.known = cache.get_table(self.key, _ENTRY)
        self.kept: dict[str, Any] = {}

    def units(self, chosen: list[str], jobs: int) -> Iterator[Findings]:
        """Each unit's findings, in unit order: kept ones read back, the others made now."""
        units = self.catalogue.units
        found = [_decode(self.known.get(u.made_from)) if u.made_from else None for u in units]
        made = iter(_made(self.catalogue, [u.id for u, f in zip(units, found, strict=True)
                                           if f is None], chosen, jobs, self.cache))
        for unit, kept in zip(units, found, strict=True):
            findings = kept if kept is not None else next(made)
            if self.key and unit.made_from:
                self.kept[unit.made_from] = _rows(findings)
            yield findings

    def save(self) -> None:
        """Keep this run's findings (only the units read now) when they are not those kept."""
        if self.key and self.kept != self.known:
            self.cache.put_table(self.key, _ENTRY, self.kept)


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


def _decode(rows: Any) -> Findings | None:
    """Findings from their rows (`_rows`), or None when there are none or they do not read."""
    try:
        named, others, categories = rows
        return ([(str(where), Diagnostic.from_row(row)) for where, row in named],
                [Diagnostic.from_row(row) for row in others],
                [(str(idnumber), tuple(map(str, path)), str(where))
                 for idnumber, path, where in categories])
    except (ValueError, TypeError):
        return None


# Fewer units than this are checked here: starting processes (each a copy of the model) takes
# longer than checking them (about 0.8 ms a unit).
MIN_UNITS = 100


def _made(catalogue: Catalogue, ids: list[str], formats: list[str], jobs: int,
          cache: Cache) -> list[Findings]:
    """The findings of the units named, in order: here, or on `jobs` processes when many
    (all of them, and the processes ended, when this returns)."""
    if jobs <= 1 or len(ids) < MIN_UNITS:
        return [_unit(catalogue, units_by_id(catalogue)[i], formats) for i in ids]
    import gc
    from concurrent.futures import ProcessPoolExecutor

    cache.flush()  # no thread of ours runs while the workers are forked
    for name in formats:
        _ = WRITERS[name].unit_check  # imported here, once, not in every worker
    gc.freeze()  # the model is never collected: keep the workers' copies of it shared pages
    size = -(-len(ids) // (jobs * 4))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init,
                             initargs=(catalogue, formats)) as pool:
        batches = list(pool.map(_work, [ids[n:n + size] for n in range(0, len(ids), size)]))
    rows = [row for batch in batches for row in batch]
    return [_decode(row) or _unit(catalogue, units_by_id(catalogue)[i], formats)  # all read
            for i, row in zip(ids, rows, strict=True)]


def _unit(catalogue: Catalogue, unit: Unit, formats: list[str]) -> Findings:
    return (list(limits.unit_found(catalogue, unit)),
            [d for name in formats for d in WRITERS[name].unit_check(catalogue, unit)],
            limits.unit_idnumbers(catalogue, unit))


_WORKER: list[tuple[Catalogue, list[str]]] = []


def _init(catalogue: Catalogue, formats: list[str]) -> None:
    _WORKER[:] = [(catalogue, formats)]


def _work(ids: list[str]) -> list[Any]:
    catalogue, formats = _WORKER[0]
    return [_rows(_unit(catalogue, units_by_id(catalogue)[i], formats)) for i in ids]


def _rows(made: Findings) -> tuple[list[tuple[str, Any]], list[Any], list[Idnumber]]:
    named, others, categories = made
    return [(where, d.row()) for where, d in named], [d.row() for d in others], categories
