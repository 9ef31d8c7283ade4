"""Moodle 4.5 course backups (.mbz): one per unit and one for the catalogue, byte-reproducible."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ...dates import day_start
from ...markup import to_html
from ...model import Catalogue, Question, Unit
from .. import every_file
from .. import scorm as scorm_writer
from ..names import activity_names, moodle_name, section_name, unit_labels
from ..qbank import bank, unit_categories
from .backup import moodle_backup_xml
from .book import book, glossary
from .course import (
    CourseInfo,
    Section,
    completion_xml,
    course_folder,
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
from .themes import THEMES, theme_section

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

    @classmethod
    def start(cls, catalogue: Catalogue, units: tuple[Unit, ...],
              package: ScormPackage) -> Build:
        """Ids for the course, its context and the author, then the numbered question bank."""
        ids = Ids()
        owner = Owner(ids.take("course"), ids.take("context"), ids.take("user"),
                      max(u.updated for u in units))
        user_context = ids.take("context")
        questions = build_bank(list(bank(catalogue, units)), ids, owner)
        return cls(catalogue, units, package, ids, owner, FileStore(ids), user_context,
                   questions)


def unit_questions(catalogue: Catalogue, unit: Unit) -> list[Question]:
    """The unit's questions as the bank holds them: authored, then derived, by category."""
    return [q for c in unit_categories(catalogue, unit) for q in c.questions]


def unit_parts(b: Build, unit: Unit, number: int | None = None) -> dict[str, list[Part]]:
    """A unit's activities by theme, in teaching order: learn (guide, glossary), practise
    (lesson, SCORM), check (the automatically marked quiz), written (what a teacher marks)."""
    names = {module: moodle_name(name)
             for module, name in activity_names(b.catalogue, unit, number).items()}
    owner = replace(b.owner, epoch=unit.updated)  # a unit's content carries the unit's date
    themes: dict[str, list[Part]] = {theme: [] for theme in THEMES}
    themes["learn"].append(book(unit, names["book"], b.ids, owner))
    if unit.key_terms:
        themes["learn"].append(glossary(b.catalogue, unit, names["glossary"], b.ids, owner))
    if unit.lesson:
        themes["practise"].append(lesson(unit, unit.lesson, names["lesson"], b.ids, owner,
                                         b.catalogue.essays_count))
    themes["practise"].append(scorm(unit, names["scorm"], b.package(b.catalogue, unit), b.ids,
                                    owner, b.store))
    questions = unit_questions(b.catalogue, unit)
    paths = [c.path for c in unit_categories(b.catalogue, unit)]
    cats = sorted({cid for path in paths for cid in b.bank.ancestry(path)})
    assessed = {q.id for q in unit.assessed}
    marked = [q for q in questions if q.id in assessed]
    if marked:
        themes["check"].append(quiz(unit, names["quiz"], marked, b.bank, cats, b.ids, owner))
    written = [q for q in questions if q.manual]
    if written:
        themes["written"].append(quiz(unit, names["written"], written, b.bank, cats, b.ids,
                                      owner, written=True,
                                      counted=b.catalogue.essays_count))
    return themes


def course_sections(b: Build) -> list[Section]:
    """The course backup: the course summary, then a section per unit with its activities."""
    summary = to_html(b.catalogue.summary) if b.catalogue.summary else ""
    sections = [Section(b.ids.take("course_sections"), 0, None, summary, [])]
    for n, unit in enumerate(b.units, start=1):
        sid = b.ids.take("course_sections")
        parts = [p for group in unit_parts(b, unit, n).values() for p in group]
        sections.append(Section(sid, n, moodle_name(section_name(b.catalogue, unit)),
                                to_html(unit.synopsis), parts))
    return sections


def unit_sections(b: Build) -> list[Section]:
    """A unit backup: the synopsis up front, then a section per theme that holds activities."""
    unit = b.units[0]
    sections = [Section(b.ids.take("course_sections"), 0, None, to_html(unit.synopsis), [])]
    for theme, parts in unit_parts(b, unit).items():
        if parts:
            name, summary = theme_section(theme, unit, parts, b.catalogue.essays_count)
            sections.append(Section(b.ids.take("course_sections"), len(sections), name,
                                    summary, parts))
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
             **course_folder(info, b.owner, sorted(b.bank.categories.values()))}
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
                      moodle_name(catalogue.organisation), start_date(catalogue, b.units))
    return mbz_bytes(_files(b, info, sections, groups, "course.mbz"), b.owner.epoch)


def unit_backup(catalogue: Catalogue, unit: Unit, package: ScormPackage = scorm12) -> bytes:
    """<unit>.mbz: one unit as a course of its own."""
    b = Build.start(catalogue, (unit,), package)
    sections = unit_sections(b)
    info = CourseInfo(moodle_name(unit.title), f"{catalogue.shortname}-{unit.id}",
                      sections[0].summary, moodle_name(catalogue.organisation),
                      start_date(catalogue, b.units))
    groups = [Group(None, [p for s in sections for p in s.parts])]
    return mbz_bytes(_files(b, info, sections, groups, f"{unit.id}.mbz"), b.owner.epoch)


def start_date(catalogue: Catalogue, units: tuple[Unit, ...] | None = None) -> int:
    """The course start: course.yaml's start_date, else the day the content of these units
    (default: all) last changed."""
    chosen = catalogue.units if units is None else units
    return day_start(catalogue.start_date or max(u.updated for u in chosen))


def unit_files(catalogue: Catalogue, unit: Unit,
               package: ScormPackage = scorm12) -> dict[str, bytes]:
    """`<unit>/<unit>.mbz`: the unit as a course of its own."""
    return {f"{unit.id}/{unit.id}.mbz": unit_backup(catalogue, unit, package)}


def course_files(catalogue: Catalogue, package: ScormPackage = scorm12) -> dict[str, bytes]:
    """`course.mbz`: the whole catalogue."""
    return {"course.mbz": course_backup(catalogue, package)}


def write(catalogue: Catalogue, package: ScormPackage = scorm12) -> dict[str, bytes]:
    """`<unit>/<unit>.mbz` for each unit and `course.mbz` for the whole catalogue."""
    package = once(package)
    return every_file(catalogue, lambda c, u: unit_files(c, u, package),
                      lambda c: course_files(c, package))


def once(package: ScormPackage) -> ScormPackage:
    """The package builder, remembering each unit's package (unit and course backups share it)."""
    made: dict[str, bytes] = {}

    def build(catalogue: Catalogue, unit: Unit) -> bytes:
        if unit.id not in made:
            made[unit.id] = package(catalogue, unit)
        return made[unit.id]

    return build
