"""Moodle 4.5 course backups (.mbz): one per unit and one for the catalogue, byte-reproducible."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count

from ...markup import to_html
from ...model import Catalogue, Unit
from .. import Parts, every_file
from ..embed import Areas
from ..names import moodle_name
from . import assembly, join
from .backup import moodle_backup_xml
from .course import (
    CourseInfo,
    Section,
    completion_criteria,
    completion_xml,
    course_folder,
    root_files,
    section_files,
    start_date,
    users_xml,
)
from .grades import Group, gradebook
from .media import Carrier
from .parts import activity_files
from .tar import mbz_bytes
from .themes import theme_section
from .units import Build, ScormPackage, scorm12, unit_parts
from .xml import document


def unit_sections(b: Build) -> list[Section]:
    """A unit backup: the synopsis up front, then a section per theme that holds activities."""
    unit = b.units[0]
    sid = b.ids.take("course_sections")
    summary, rows, course = Carrier(Areas.of(unit), b.store).summary(
        to_html(unit.synopsis), b.owner.contextid, sid, course=True)
    b.course_files = course
    sections = [Section(sid, 0, None, summary, [], rows)]
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
    files = {"moodle_backup.xml": document(moodle_backup_xml(filename, info, b.owner, sections)),
             "moodle_backup.log": b"", "questions.xml": b.bank.xml, "gradebook.xml": grades.xml,
             "completion.xml": document(completion_xml(
                 completion_criteria(parts, b.owner, count(1)), b.owner)),
             "users.xml": users_xml(b.owner, b.user_context), **root_files(),
             **course_folder(info, b.owner, sorted(b.bank.categories.values()),
                             b.course_files)}
    for section in sections:
        files.update(section_files(section, b.owner.epoch))
        for part in section.parts:
            files.update(activity_files(part, grades.items.get(part.cmid), section.id,
                                        section.number, b.owner.epoch))
    files["files.xml"] = b.store.xml(b.owner.epoch)
    files.update(b.store.pool())
    return dict(sorted(files.items()))


def unit_backup(catalogue: Catalogue, unit: Unit, package: ScormPackage = scorm12) -> bytes:
    """<unit>.mbz: one unit as a course of its own."""
    b = Build.start(catalogue, (unit,), package)
    sections = unit_sections(b)
    info = CourseInfo(moodle_name(unit.title), f"{catalogue.shortname}-{unit.id}",
                      sections[0].summary, moodle_name(catalogue.organisation),
                      start_date(catalogue, b.units))
    groups = [Group(None, [p for s in sections for p in s.parts])]
    return mbz_bytes(_files(b, info, sections, groups, f"{unit.id}.mbz"), b.owner.epoch)


def unit_files(catalogue: Catalogue, unit: Unit,
               package: ScormPackage = scorm12) -> dict[str, bytes]:
    """`<unit>/<unit>.mbz`: the unit as a course of its own."""
    return {f"{unit.id}/{unit.id}.mbz": unit_backup(catalogue, unit, package)}


def unit_part(catalogue: Catalogue, unit: Unit,
              package: ScormPackage = scorm12) -> dict[str, bytes]:
    """The unit's share of `course.mbz`, made apart from the other units (not written out)."""
    return assembly.unit_part(catalogue, unit, package)


def course_from_parts(catalogue: Catalogue, parts: Parts) -> dict[str, bytes]:
    """`course.mbz`, joined from every unit's share in unit order."""
    return {"course.mbz": join.course_mbz(catalogue, parts)}


def course_stream(catalogue: Catalogue, parts: Parts) -> dict[str, Iterator[bytes]]:
    """`course_from_parts`, as successive pieces of the file."""
    return {"course.mbz": join.course_mbz_stream(catalogue, parts)}


def course_files(catalogue: Catalogue, package: ScormPackage = scorm12) -> dict[str, bytes]:
    """`course.mbz`: the whole catalogue, a section and a grade category per unit."""
    return course_from_parts(catalogue, [unit_part(catalogue, u, package)
                                         for u in catalogue.units])


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
