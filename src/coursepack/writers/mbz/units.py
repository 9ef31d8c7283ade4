"""A unit's activities by theme, as the unit backup and its share of the course backup make them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ...model import Catalogue, Question, Unit
from .. import scorm as scorm_writer
from ..embed import Areas
from ..names import activity_names, moodle_name
from ..qbank import course_category, unit_categories
from .book import book, glossary
from .files import FileStore, Ids
from .lesson import lesson
from .media import Carrier
from .parts import Owner, Part
from .questions import Bank, number_categories, top_category
from .quiz import quiz
from .scorm import scorm
from .themes import THEMES
from .xml import E, document, node

ScormPackage = Callable[[Catalogue, Unit], bytes]


def scorm12(catalogue: Catalogue, unit: Unit) -> bytes:
    """The unit's SCORM 1.2 package, as the scorm writer makes it."""
    return scorm_writer.package(catalogue, unit, "scorm12", scorm_writer.manifest12)


@dataclass
class Build:
    """One backup under construction: ids, the author, the file pool and the question bank."""

    catalogue: Catalogue
    units: tuple[Unit, ...]
    package: ScormPackage
    ids: Ids
    owner: Owner
    store: FileStore
    user_context: int
    bank: Bank
    course_files: list[int] = field(default_factory=list)  # the course summary's files

    @classmethod
    def start(cls, catalogue: Catalogue, units: tuple[Unit, ...],
              package: ScormPackage) -> Build:
        """The course-level ids (see `fixed`), then the units' question categories."""
        course = fixed(catalogue, max(u.updated for u in units))
        store = FileStore(course.ids)
        siblings: dict[tuple[str, ...], int] = {}
        elements = [e for u in units for e in number_categories(
            course.bank, unit_categories(catalogue, u), course.ids, course.owner, siblings,
            Carrier(Areas.of(u), store))]
        course.bank.xml = document(node("question_categories", [*course.categories, *elements]))
        return cls(catalogue, units, package, course.ids, course.owner, store,
                   course.user_context, course.bank)


@dataclass
class Fixed:
    """The course-level ids of a backup, numbered first, and their question categories."""

    ids: Ids
    owner: Owner
    user_context: int
    bank: Bank
    categories: list[E] = field(default_factory=list)


def fixed(catalogue: Catalogue, epoch: int) -> Fixed:
    """Course, context, author and its context, then the top and course question categories:
    the same in a unit's backup and in every unit's share of the course's."""
    ids = Ids()
    owner = Owner(ids.take("course"), ids.take("context"), ids.take("user"), epoch)
    user_context, bank = ids.take("context"), Bank()
    top = top_category(bank, ids, owner)
    found = Fixed(ids, owner, user_context, bank, [top])
    found.categories += number_categories(bank, [course_category(catalogue)], ids, owner)
    return found


def unit_questions(catalogue: Catalogue, unit: Unit) -> list[Question]:
    """The unit's questions as the bank holds them: authored, then derived, by category."""
    return [q for c in unit_categories(catalogue, unit) for q in c.questions]


def unit_quizzes(catalogue: Catalogue, unit: Unit) -> tuple[list[Question], list[Question]]:
    """The questions of the unit's two quizzes, in the bank's order: the automatically marked
    quiz's, and the written-answers quiz's (what a teacher marks, derived questions included)."""
    questions = unit_questions(catalogue, unit)
    assessed = {q.id for q in unit.assessed}
    return [q for q in questions if q.id in assessed], [q for q in questions if q.manual]


def unit_parts(b: Build, unit: Unit, number: int | None = None) -> dict[str, list[Part]]:
    """A unit's activities by theme, in teaching order: learn (guide, glossary), practise
    (lesson, SCORM), check (the automatically marked quiz), written (what a teacher marks)."""
    names = {module: moodle_name(name)
             for module, name in activity_names(b.catalogue, unit, number).items()}
    owner = replace(b.owner, epoch=unit.updated)  # a unit's content carries the unit's date
    themes: dict[str, list[Part]] = {theme: [] for theme in THEMES}
    own, shared = Carrier(Areas.of(unit), b.store), Carrier(Areas.course(b.catalogue), b.store)
    themes["learn"].append(own.activity(book(unit, names["book"], b.ids, owner)))
    if unit.key_terms:  # its entries' definitions are the glossary's, written in the source
        themes["learn"].append(shared.activity(
            glossary(b.catalogue, unit, names["glossary"], b.ids, owner)))
    if unit.lesson:
        themes["practise"].append(own.activity(lesson(
            unit, unit.lesson, names["lesson"], b.ids, owner, b.catalogue.essays_count)))
    themes["practise"].append(scorm(unit, names["scorm"], b.package(b.catalogue, unit), b.ids,
                                    owner, b.store))
    marked, written = unit_quizzes(b.catalogue, unit)
    paths = [c.path for c in unit_categories(b.catalogue, unit)]
    cats = sorted({cid for path in paths for cid in b.bank.ancestry(path)})
    if marked:
        themes["check"].append(quiz(unit, names["quiz"], marked, b.bank, cats, b.ids, owner))
    if written:
        themes["written"].append(quiz(unit, names["written"], written, b.bank, cats, b.ids,
                                      owner, written=True,
                                      counted=b.catalogue.essays_count))
    return themes
