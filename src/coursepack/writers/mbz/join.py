"""course.mbz joined from the units' parts (assembly.py): course-level files around them.

The archive is a sequence of gzip members: those this module compresses (the index, the
course-level files, the text around each unit's lines) and the units' own, copied as they are.
Every entry is listed in `.ARCHIVE_INDEX`, each pool file is stored once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...markup import to_html
from ...model import Catalogue
from ..embed import Areas
from ..names import moodle_name
from .assembly import MEMBER, META, SHARED
from .backup import DEPTHS, moodle_backup_xml
from .course import (
    CourseInfo,
    Section,
    completion_xml,
    course_folder,
    root_files,
    section_files,
    start_date,
    users_xml,
)
from .files import FileStore, pool_path
from .grades import UnitGrades, course_gradebook
from .media import Carrier
from .tar import (
    DIRECTORY_TIME,
    INDEX,
    Entry,
    end,
    entries,
    entry,
    gzip_member,
    header,
    index,
    padding,
    stored_size,
)
from .units import Fixed, fixed
from .xml import E, node, pieces, slot

Part = Mapping[str, bytes]  # a unit's share: read from disk piece by piece, during a build


@dataclass
class _Stream:
    """The archive being joined: raw tar bytes gathered into members, parts' members copied;
    `take` hands on what is ready, so the archive is never whole in memory."""

    out: list[bytes] = field(default_factory=list)
    pending: list[bytes] = field(default_factory=list)
    length: int = 0

    def raw(self, data: bytes) -> None:
        self.pending.append(data)
        self.length += len(data)

    def member(self, packed: bytes, size: int) -> None:
        self.flush()
        self.out.append(packed)
        self.length += size

    def flush(self) -> None:
        if self.pending:
            self.out.append(gzip_member(b"".join(self.pending)))
            self.pending = []

    def take(self) -> Iterator[bytes]:
        out, self.out = self.out, []
        return iter(out)


@dataclass(frozen=True)
class _Shared:
    """A file every unit adds lines to: its own text cut at the slots the units fill."""

    path: str
    cut: list[bytes | str]


def course_mbz(catalogue: Catalogue, parts: Sequence[Part]) -> bytes:
    """course.mbz from each unit's part, in unit order."""
    return b"".join(course_mbz_stream(catalogue, parts))


def course_mbz_stream(catalogue: Catalogue, parts: Sequence[Part]) -> Iterator[bytes]:
    """course.mbz from each unit's part, in unit order, as successive pieces of the file."""
    course = fixed(catalogue, catalogue.updated)
    metas = [json.loads(p[META]) for p in parts]
    sid, store = course.ids.take("course_sections"), FileStore(course.ids)
    summary, rows, course_rows = Carrier(Areas.course(catalogue), store).summary(
        to_html(catalogue.summary) if catalogue.summary else "", course.owner.contextid, sid,
        course=True)
    section0 = Section(sid, 0, None, summary, [], rows)
    info = CourseInfo(moodle_name(catalogue.title), catalogue.shortname, section0.summary,
                      moodle_name(catalogue.organisation), start_date(catalogue))
    own, shared = _course_files(catalogue, course, info, section0, metas, store, course_rows)
    pool = _pool(metas)
    own.update({path: data for path, data in store.pool().items()  # the summary's files,
                if path.rsplit("/", 1)[-1] not in pool})  # unless a unit's pool has them
    epoch = course.owner.epoch
    head = _own_entries(own, pool)
    listed = [*((path, None if data is None else len(data), epoch) for path, data in head),
              *((item.path, _size(item, metas), epoch) for item in shared),
              *((path, size, m["mtime"]) for m in metas for path, size in m["entries"]),
              *((pool_path(digest), size, mtime) for digest, (_, size, mtime) in pool.items())]
    stream = _Stream()
    stream.raw(entry(INDEX, index(listed), DIRECTORY_TIME))
    for path, data in head:
        stream.raw(entry(path, data, epoch))
    for item in shared:
        yield from _shared(stream, item, parts, metas, epoch)
    for part, meta in zip(parts, metas, strict=True):
        stream.member(part[MEMBER], sum(stored_size(size) for _, size in meta["entries"]))
        yield from stream.take()
    for digest, (unit, size, _) in pool.items():
        stream.member(parts[unit][f"pool/{digest}.gz"], stored_size(size))
        yield from stream.take()
    stream.raw(end(stream.length))
    stream.flush()
    yield from stream.take()


def _own_entries(own: dict[str, bytes], pool: dict[str, tuple[int, int, int]]
                 ) -> list[Entry]:
    """The folders every unit adds to (pool folders included), then the course's own files."""
    folders = sorted({*SHARED, *(pool_path(digest).rsplit("/", 1)[0] + "/" for digest in pool)})
    return [*((folder, None) for folder in folders), *entries(own, set(folders))]


def _course_files(catalogue: Catalogue, course: Fixed, info: CourseInfo, section0: Section,
                  metas: list[dict[str, Any]], store: FileStore,
                  course_rows: list[int]) -> tuple[dict[str, bytes], list[_Shared]]:
    """The course-level files: whole ones, and the shared ones cut at the units' slots."""
    owner = course.owner
    grades = [(moodle_name(m["label"]), UnitGrades(*m["grades"])) for m in metas]
    categories = sorted([*course.bank.categories.values(),
                         *(c for m in metas for c in m["categories"])])
    own = {"moodle_backup.log": b"",
           "gradebook.xml": course_gradebook(grades, course.ids, owner.epoch),
           "users.xml": users_xml(owner, course.user_context), **root_files(),
           **course_folder(info, owner, categories, course_rows),
           **section_files(section0, owner.epoch)}
    slots: dict[str, list[E]] = {name: [slot(name)] for name in DEPTHS}
    shared = [
        _Shared("completion.xml", pieces(completion_xml([slot("completion")], owner))),
        _Shared("files.xml", pieces(node("files", [*store.elements(owner.epoch),
                                                   slot("files")]))),
        _Shared("moodle_backup.xml", pieces(moodle_backup_xml(
            "course.mbz", info, owner, [section0], slots))),
        _Shared("questions.xml", pieces(node("question_categories",
                                             [*course.categories, slot("questions")])))]
    return dict(sorted(own.items())), shared


def _size(item: _Shared, metas: list[dict[str, Any]]) -> int:
    return sum(len(p) if isinstance(p, bytes) else sum(m["fragments"][p] for m in metas)
               for p in item.cut)


def _shared(stream: _Stream, item: _Shared, parts: Sequence[Part],
            metas: list[dict[str, Any]], epoch: int) -> Iterator[bytes]:
    """One shared file: its header, its own text, and each unit's lines in their slots."""
    size = _size(item, metas)
    stream.raw(header(item.path, size, epoch))
    for piece in item.cut:
        if isinstance(piece, bytes):
            stream.raw(piece)
            continue
        for part, meta in zip(parts, metas, strict=True):
            if meta["fragments"][piece]:
                stream.member(part[f"fragment/{piece}.gz"], meta["fragments"][piece])
                yield from stream.take()
    stream.raw(padding(size))


def _pool(metas: list[dict[str, Any]]) -> dict[str, tuple[int, int, int]]:
    """Each distinct pool file once, from the first unit that has it: that unit's place, the
    file's size and its mtime."""
    found: dict[str, tuple[int, int, int]] = {}
    for n, meta in enumerate(metas):
        for digest, size in meta["pool"]:
            found.setdefault(digest, (n, size, meta["mtime"]))
    return found
