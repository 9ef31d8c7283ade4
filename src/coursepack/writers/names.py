"""Every name Moodle stores for the catalogue, made once, and how a name is written for Moodle.

Moodle shows names through format_string(), which strips tags and decodes entities, and its
importers strip tags from names (PARAM_TEXT). `moodle_name` writes a name so that Moodle shows
exactly its characters: an `&` that would start an entity and a `<` that would start a tag are
written as entities. `course_names` and `unit_names` list every name with the Moodle column
that holds it, so the limits check and the writers cannot drift apart.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from ..markup import ENTITY_LIKE, TAG_LIKE
from ..model import Catalogue, Outcome, Unit


def moodle_name(text: str) -> str:
    """A plain-text name as Moodle must store it to show exactly these characters."""
    if "<" not in text and "&" not in text:
        return text  # nothing Moodle would read as a tag or an entity
    return TAG_LIKE.sub("&lt;", ENTITY_LIKE.sub("&amp;", text))


ROUTES = {"end-point-assessment": "End-point assessment", "occupational": "Occupational",
          "qcf": "QCF", "vocational": "Vocational"}


def route_label(route: str) -> str:
    """An assessment route as a reader reads it (the source holds a slug)."""
    return ROUTES.get(route, route)


_R = TypeVar("_R")


def per_catalogue(fn: Callable[[Catalogue], _R]) -> Callable[[Catalogue], _R]:
    """Compute `fn(catalogue)` once per catalogue object (writers ask for it per unit)."""
    made: dict[int, tuple[weakref.ref[Catalogue], _R]] = {}

    def cached(catalogue: Catalogue) -> _R:
        hit = made.get(id(catalogue))
        if hit is None or hit[0]() is not catalogue:
            for key in [k for k, (ref, _) in made.items() if ref() is None]:
                del made[key]
            hit = made[id(catalogue)] = (weakref.ref(catalogue), fn(catalogue))
        return hit[1]

    return cached


def per_unit(fn: Callable[..., _R]) -> Callable[..., _R]:
    """Remember `fn(catalogue, unit, *args)` for the unit asked for last: a unit's formats, made
    one after another in one process, share it (the revision module is built once per unit)."""
    last: list[object] = [None, None]
    results: dict[tuple[object, ...], _R] = {}

    def cached(catalogue: Catalogue, unit: Unit, *args: object) -> _R:
        refs = last[0], last[1]
        if not (isinstance(refs[0], weakref.ref) and refs[0]() is catalogue
                and isinstance(refs[1], weakref.ref) and refs[1]() is unit):
            last[:] = [weakref.ref(catalogue), weakref.ref(unit)]
            results.clear()
        if args not in results:
            results[args] = fn(catalogue, unit, *args)
        return results[args]

    return cached


@per_catalogue
def unit_labels(catalogue: Catalogue) -> dict[str, str]:
    """A distinct, readable name for each unit: its title, with the awarding body if any."""
    labels: dict[str, str] = {}
    taken: set[str] = set()
    for unit in catalogue.units:
        label = f"{unit.title} ({unit.awarding_body})" if unit.awarding_body else unit.title
        if label in taken:
            label = f"{label} [{unit.id}]"
        labels[unit.id] = label
        taken.add(label)
    return labels


def outcome_title(n: int, outcome: Outcome) -> str:
    """'Outcome n: statement'."""
    return f"Outcome {n}: {outcome.statement}"


MODULES = {"written": "quiz"}  # the activity module behind each name that is not one itself
# Short names, so the course index shows them whole; a unit's backup is a course of its own.
KINDS = {"book": "Unit guide", "lesson": "Guided lesson", "scorm": "Interactive revision",
         "quiz": "Quiz", "written": "Written answers"}
COURSE_KINDS = {**KINDS, "book": "Guide"}


@per_catalogue
def _numbers(catalogue: Catalogue) -> dict[str, int]:
    return {u.id: n for n, u in enumerate(catalogue.units, start=1)}


@per_catalogue
def units_by_id(catalogue: Catalogue) -> dict[str, Unit]:
    """Each unit by its id."""
    return {u.id: u for u in catalogue.units}


def unit_number(catalogue: Catalogue, unit: Unit) -> int:
    """The unit's place in the course, from 1."""
    return _numbers(catalogue)[unit.id]


def activity_names(catalogue: Catalogue, unit: Unit, number: int | None = None) -> dict[str, str]:
    """The name of each activity a unit holds, by module: 'Quiz' in the unit's own backup,
    'Unit 2: Quiz' when `number` places it in the course backup."""
    kinds = {**(COURSE_KINDS if number else KINDS), "glossary": catalogue.glossary_title}
    if not unit.lesson:
        del kinds["lesson"]
    return {module: f"Unit {number}: {kind}" if number else kind
            for module, kind in kinds.items()}


def section_name(catalogue: Catalogue, unit: Unit) -> str:
    """The unit's section in the course backup: 'Unit 2: <title> (<awarding body>)'."""
    return f"Unit {unit_number(catalogue, unit)}: {unit_labels(catalogue)[unit.id]}"


def glossary_file_name(catalogue: Catalogue, unit: Unit | None) -> str:
    """The glossary name in a glossary XML file: the unit's, or the course's."""
    return f"{catalogue.glossary_title}: {unit.title}" if unit else catalogue.glossary_title


@dataclass(frozen=True)
class Stored:
    """A name as Moodle stores it: the column, the text, and the source field it comes from."""

    column: str
    text: str
    where: str


def course_names(catalogue: Catalogue) -> Iterator[Stored]:
    """The names the writers give the course itself (its full name and its glossary's), each
    with its column and the source field behind it."""
    yield Stored("course.fullname", catalogue.title, "course/title")
    yield Stored("glossary.name", glossary_file_name(catalogue, None), "course/title")


def unit_names(catalogue: Catalogue, unit: Unit) -> Iterator[Stored]:
    """The names given to one unit's section, activities, categories, chapters and pages."""
    where, labels = f"unit/{unit.id}/title", unit_labels(catalogue)
    yield Stored("course.fullname", unit.title, where)
    yield Stored("scorm_scoes.title", unit.title, where)
    yield Stored("course_sections.name", section_name(catalogue, unit), where)
    yield Stored("question_categories.name", labels[unit.id], where)
    yield Stored("glossary_categories.name", labels[unit.id], where)
    yield Stored("glossary.name", glossary_file_name(catalogue, unit), where)
    for number in (None, unit_number(catalogue, unit)):
        for module, name in activity_names(catalogue, unit, number).items():
            source = "glossary/title" if module == "glossary" else where
            yield Stored(f"{MODULES.get(module, module)}.name", name, source)
            yield Stored("grade_items.itemname", name, source)
    for n, outcome in enumerate(unit.outcomes, start=1):
        yield Stored("book_chapters.title", outcome_title(n, outcome),
                     f"outcome/{outcome.id}/statement")
    yield from _lesson_names(unit)


def _lesson_names(unit: Unit) -> Iterator[Stored]:
    for page in unit.lesson.pages if unit.lesson else ():
        yield Stored("lesson_pages.title", page.title, f"page/{page.id}/title")
