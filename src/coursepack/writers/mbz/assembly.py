"""course.mbz from parts made apart: each unit's share is written and compressed once, in its
own task, and the course backup is joined from those compressed bytes.

A unit's share holds everything only it needs: its section and activity folders, its pool files,
and its lines of the files every unit adds to (questions.xml, files.xml, completion.xml and
moodle_backup.xml). Its ids come from a block of its own (unit n: n * BLOCK + 1 upwards), its
timestamps are its own date, and the course-level ids it names (course, contexts, author, top
question categories) are fixed, so it does not depend on any other unit. Each piece is a gzip
member: gzip readers (zlib, and so Moodle's tgz_extractor) read members joined as one stream.
"""

from __future__ import annotations

import json

from ...markup import to_html
from ...model import Catalogue, Unit
from ..embed import Areas
from ..names import moodle_name, section_name, unit_labels, unit_number
from ..qbank import course_label, unit_categories
from .backup import DEPTHS, activity_rows, section_rows, section_settings
from .course import COMPLETION_DEPTH, Section, completion_criteria, section_files
from .files import FileStore, Ids, pool_path
from .grades import UnitGrades, unit_grades
from .media import Carrier
from .parts import Owner, activity_files
from .questions import number_categories
from .tar import entries, entry, gzip_member
from .units import Build, ScormPackage, fixed, unit_parts
from .xml import fragment

BLOCK = 1_000_000  # the ids of each kind one unit may take
META, MEMBER = "part.json", "member.gz"
SHARED = ("activities/", "files/", "sections/")  # folders every unit adds to


def unit_part(catalogue: Catalogue, unit: Unit, package: ScormPackage) -> dict[str, bytes]:
    """One unit's share of course.mbz (see the module's docstring)."""
    n = unit_number(catalogue, unit)
    course = fixed(catalogue, catalogue.updated)
    ids = Ids(n * BLOCK, BLOCK)
    owner = Owner(course.owner.courseid, course.owner.contextid, course.owner.userid,
                  unit.updated)
    cats = unit_categories(catalogue, unit)
    store = FileStore(ids)
    elements = number_categories(course.bank, cats, ids, owner, {(course_label(catalogue),): n - 1},
                                 Carrier(Areas.of(unit), store))
    b = Build(catalogue, (unit,), package, ids, owner, store, course.user_context, course.bank)
    sid = ids.take("course_sections")
    parts = [p for group in unit_parts(b, unit, n).values() for p in group]
    summary, rows, _ = Carrier(Areas.of(unit), store).summary(to_html(unit.synopsis),
                                                             owner.contextid, sid)
    section = Section(sid, n, moodle_name(section_name(catalogue, unit)), summary, parts, rows)
    grades = unit_grades(parts, ids, n * BLOCK + 1, owner.epoch)
    return _pack(unit, section, grades, b.store, {
        "questions": fragment(elements, 1),
        "files": fragment(b.store.elements(owner.epoch), 1),
        "completion": fragment(completion_criteria(
            parts, owner, (ids.take("completion_criteria") for _ in parts)), COMPLETION_DEPTH),
        "activities": fragment(activity_rows([section]), DEPTHS["activities"]),
        "sections": fragment(section_rows([section]), DEPTHS["sections"]),
        "settings": fragment(section_settings([section]), DEPTHS["settings"])},
        [course.bank.categories[c.path] for c in cats], unit_labels(catalogue)[unit.id])


def _pack(unit: Unit, section: Section, grades: UnitGrades, store: FileStore,
          fragments: dict[str, bytes], categories: list[int], label: str) -> dict[str, bytes]:
    """The part as task output: the metadata, the member, each fragment and pool file."""
    epoch = unit.updated
    files = section_files(section, epoch)
    for part in section.parts:
        files.update(activity_files(part, grades.items.get(part.cmid), section.id,
                                    section.number, epoch))
    listed = entries(files, set(SHARED))
    out = {MEMBER: gzip_member(b"".join(entry(path, data, epoch) for path, data in listed))}
    for name, text in fragments.items():
        out[f"fragment/{name}.gz"] = gzip_member(text)
    for digest, data in store.contents.items():
        out[f"pool/{digest}.gz"] = gzip_member(entry(pool_path(digest), data, epoch))
    meta = {"mtime": epoch, "label": label, "categories": categories,
            "entries": [[path, None if data is None else len(data)] for path, data in listed],
            "pool": [[digest, len(data)] for digest, data in store.contents.items()],
            "fragments": {name: len(text) for name, text in fragments.items()},
            "grades": [grades.category, grades.item, grades.sortorder, grades.total]}
    out[META] = json.dumps(meta, sort_keys=True).encode("utf-8")
    return out
