"""Moodle 4.5 course backups (.mbz): one per unit and one for the catalogue, byte-reproducible."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass

from ...markup import to_html
from ...model import Catalogue, Question, Unit
from .. import scorm as scorm_writer
from ..names import activity_names, moodle_name, outcome_title, unit_labels
from ..qbank import bank, unit_categories
from ..zipper import timestamp
from .backup import moodle_backup_xml
from .book import book, glossary, outcome_html
from .course import (
    CourseInfo,
    Section,
    completion_xml,
    course_files,
    root_files,
    section_files,
    users_xml,
)
from .files import FileStore, Ids
from .grades import Group, gradebook
from .lesson import lesson
from .parts import Owner, Part, activity_files
from .questions import Bank, build_bank
from .quiz import quiz
from .scorm import scorm
from .tar import mbz_bytes

ScormPackage = Callable[[Catalogue, Unit], bytes]


def scorm12(catalogue: Catalogue, unit: Unit) -> bytes:
    """The unit's SCORM 1.2 package, as the scorm writer makes it."""
    return scorm_writer.package(catalogue, unit, "scorm12", scorm_writer.manifest12)


def epoch() -> int:
    """Every timestamp in a backup: SOURCE_DATE_EPOCH if set, else the zip writer's fixed date."""
    return calendar.timegm(timestamp())


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

    @classmethod
    def start(cls, catalogue: Catalogue, units: tuple[Unit, ...],
              package: ScormPackage) -> Build:
        """Ids for the course, its context and the author, then the numbered question bank."""
        ids = Ids()
        owner = Owner(ids.take("course"), ids.take("context"), ids.take("user"), epoch())
        user_context = ids.take("context")
        questions = build_bank(list(bank(catalogue, units)), ids, owner)
        return cls(catalogue, units, package, ids, owner, FileStore(ids), user_context,
                   questions)


def unit_questions(catalogue: Catalogue, unit: Unit) -> list[Question]:
    """The unit's questions as the bank holds them: authored, then derived, by category."""
    return [q for c in unit_categories(catalogue, unit) for q in c.questions]


def unit_parts(b: Build, unit: Unit) -> list[Part]:
    """A unit's activities in teaching order: guide, glossary, lesson, SCORM, the quiz of
    automatically marked questions, then the written answers a teacher marks."""
    names = {module: moodle_name(name)
             for module, name in activity_names(b.catalogue, unit).items()}
    parts = [book(unit, names["book"], b.ids, b.owner)]
    if unit.key_terms:
        parts.append(glossary(b.catalogue, unit, names["glossary"], b.ids, b.owner))
    if unit.lesson:
        parts.append(lesson(unit, unit.lesson, names["lesson"], b.ids, b.owner))
    parts.append(scorm(unit, names["scorm"], b.package(b.catalogue, unit), b.ids, b.owner,
                       b.store))
    questions = unit_questions(b.catalogue, unit)
    paths = [c.path for c in unit_categories(b.catalogue, unit)]
    cats = sorted({cid for path in paths for cid in b.bank.ancestry(path)})
    marked = [q for q in questions if not q.manual]
    if marked:
        parts.append(quiz(unit, names["quiz"], marked, b.bank, cats, b.ids, b.owner))
    written = [q for q in questions if q.manual]
    if written:
        parts.append(quiz(unit, names["written"], written, b.bank, cats, b.ids, b.owner,
                          written=True))
    return parts


def course_sections(b: Build) -> list[Section]:
    """The course backup: the course summary, then a section per unit with its activities."""
    summary = to_html(b.catalogue.summary) if b.catalogue.summary else ""
    sections = [Section(b.ids.take("course_sections"), 0, None, summary, [])]
    labels = unit_labels(b.catalogue)
    for n, unit in enumerate(b.units, start=1):
        sid = b.ids.take("course_sections")
        sections.append(Section(sid, n, moodle_name(labels[unit.id]), to_html(unit.synopsis),
                                unit_parts(b, unit)))
    return sections


def unit_sections(b: Build) -> list[Section]:
    """A unit backup: the unit's activities up front, then a section per learning outcome."""
    unit = b.units[0]
    sid = b.ids.take("course_sections")
    sections = [Section(sid, 0, None, to_html(unit.synopsis), unit_parts(b, unit))]
    for n, outcome in enumerate(unit.outcomes, start=1):
        sections.append(Section(b.ids.take("course_sections"), n,
                                moodle_name(outcome_title(n, outcome)),
                                outcome_html(n, outcome), []))
    return sections


def _files(b: Build, info: CourseInfo, sections: list[Section], groups: list[Group],
           filename: str) -> dict[str, bytes]:
    """Every member of the archive, by path."""
    grades = gradebook(groups, b.ids, b.owner.epoch)
    parts = [p for s in sections for p in s.parts]
    files = {"moodle_backup.xml": moodle_backup_xml(filename, info, b.owner, sections),
             "moodle_backup.log": b"", "questions.xml": b.bank.xml, "gradebook.xml": grades.xml,
             "completion.xml": completion_xml(parts, b.owner),
             "users.xml": users_xml(b.owner, b.user_context), **root_files(),
             **course_files(info, b.owner, sorted(b.bank.categories.values()))}
    for section in sections:
        files.update(section_files(section, b.owner.epoch))
        for part in section.parts:
            files.update(activity_files(part, grades.items.get(part.cmid), section.id,
                                        section.number, b.owner.epoch))
    files["files.xml"] = b.store.xml(b.owner.epoch)
    files.update(b.store.pool())
    return dict(sorted(files.items()))


def course_backup(catalogue: Catalogue, package: ScormPackage = scorm12) -> bytes:
    """course.mbz: the whole catalogue, a grade category per unit."""
    b = Build.start(catalogue, catalogue.units, package)
    sections = course_sections(b)
    labels = unit_labels(catalogue)
    groups = [Group(moodle_name(labels[u.id]), s.parts)
              for u, s in zip(b.units, sections[1:], strict=True)]
    info = CourseInfo(moodle_name(catalogue.title), catalogue.shortname, sections[0].summary,
                      moodle_name(catalogue.organisation))
    return mbz_bytes(_files(b, info, sections, groups, "course.mbz"), b.owner.epoch)


def unit_backup(catalogue: Catalogue, unit: Unit, package: ScormPackage = scorm12) -> bytes:
    """<unit>.mbz: one unit as a course of its own."""
    b = Build.start(catalogue, (unit,), package)
    sections = unit_sections(b)
    info = CourseInfo(moodle_name(unit.title), f"{catalogue.shortname}-{unit.id}",
                      to_html(unit.synopsis), moodle_name(catalogue.organisation))
    groups = [Group(None, sections[0].parts)]
    return mbz_bytes(_files(b, info, sections, groups, f"{unit.id}.mbz"), b.owner.epoch)


def once(package: ScormPackage) -> ScormPackage:
    """The package builder, remembering each unit's package (unit and course backups share it)."""
    made: dict[str, bytes] = {}

    def build(catalogue: Catalogue, unit: Unit) -> bytes:
        if unit.id not in made:
            made[unit.id] = package(catalogue, unit)
        return made[unit.id]

    return build


def write(catalogue: Catalogue, package: ScormPackage = scorm12) -> dict[str, bytes]:
    """`<unit>/<unit>.mbz` for each unit and `course.mbz` for the whole catalogue."""
    package = once(package)
    out = {f"{u.id}/{u.id}.mbz": unit_backup(catalogue, u, package) for u in catalogue.units}
    out["course.mbz"] = course_backup(catalogue, package)
    return out
