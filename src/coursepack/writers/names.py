"""Every name Moodle stores for the catalogue, made once, and how a name is written for Moodle.

Moodle shows names through format_string(), which strips tags and decodes entities, and its
importers strip tags from names (PARAM_TEXT). `moodle_name` writes a name so that Moodle shows
exactly its characters: an `&` that would start an entity and a `<` that would start a tag are
written as entities. `stored_names` lists every name with the Moodle column that holds it, so
the limits check and the writers cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..markup import ENTITY_LIKE, TAG_LIKE
from ..model import Catalogue, Outcome, Unit


def moodle_name(text: str) -> str:
    """A plain-text name as Moodle must store it to show exactly these characters."""
    return TAG_LIKE.sub("&lt;", ENTITY_LIKE.sub("&amp;", text))


ROUTES = {"end-point-assessment": "End-point assessment", "occupational": "Occupational",
          "qcf": "QCF", "vocational": "Vocational"}


def route_label(route: str) -> str:
    """An assessment route as a reader reads it (the source holds a slug)."""
    return ROUTES.get(route, route)


def unit_labels(catalogue: Catalogue) -> dict[str, str]:
    """A distinct, readable name for each unit: its title, with the awarding body if any."""
    labels: dict[str, str] = {}
    for unit in catalogue.units:
        label = f"{unit.title} ({unit.awarding_body})" if unit.awarding_body else unit.title
        if label in labels.values():
            label = f"{label} [{unit.id}]"
        labels[unit.id] = label
    return labels


def outcome_title(n: int, outcome: Outcome) -> str:
    """'Outcome n: statement'."""
    return f"Outcome {n}: {outcome.statement}"


MODULES = {"written": "quiz"}  # the activity module behind each name that is not one itself


def activity_names(catalogue: Catalogue, unit: Unit) -> dict[str, str]:
    """The name of each activity a unit's backup holds, by module."""
    label = unit_labels(catalogue)[unit.id]
    names = {"book": f"Unit guide: {label}", "glossary": f"{catalogue.glossary_title}: {label}",
             "scorm": f"Interactive revision: {label}", "quiz": f"Quiz: {label}",
             "written": f"Written answers: {label}"}
    if unit.lesson:
        names["lesson"] = unit.lesson.title
    return names


def glossary_file_name(catalogue: Catalogue, unit: Unit | None) -> str:
    """The glossary name in a glossary XML file: the unit's, or the course's."""
    return f"{catalogue.glossary_title}: {unit.title}" if unit else catalogue.glossary_title


@dataclass(frozen=True)
class Stored:
    """A name as Moodle stores it: the column, the text, and the source field it comes from."""

    column: str
    text: str
    where: str


def stored_names(catalogue: Catalogue) -> Iterator[Stored]:
    """Every name the writers give Moodle, with its column and the source field behind it."""
    yield Stored("course.fullname", catalogue.title, "course/title")
    yield Stored("glossary.name", glossary_file_name(catalogue, None), "course/title")
    labels = unit_labels(catalogue)
    for unit in catalogue.units:
        where = f"unit/{unit.id}/title"
        yield Stored("course.fullname", unit.title, where)
        yield Stored("scorm_scoes.title", unit.title, where)
        yield Stored("course_sections.name", labels[unit.id], where)
        yield Stored("question_categories.name", labels[unit.id], where)
        yield Stored("glossary_categories.name", labels[unit.id], where)
        yield Stored("glossary.name", glossary_file_name(catalogue, unit), where)
        for module, name in activity_names(catalogue, unit).items():
            source = f"lesson/{unit.id}/title" if module == "lesson" else where
            yield Stored(f"{MODULES.get(module, module)}.name", name, source)
            yield Stored("grade_items.itemname", name, source)
        for n, outcome in enumerate(unit.outcomes, start=1):
            for column in ("course_sections.name", "book_chapters.title"):
                yield Stored(column, outcome_title(n, outcome), f"outcome/{outcome.id}/statement")
        yield from _lesson_names(unit)


def _lesson_names(unit: Unit) -> Iterator[Stored]:
    for page in unit.lesson.pages if unit.lesson else ():
        yield Stored("lesson_pages.title", page.title, f"page/{page.id}/title")
