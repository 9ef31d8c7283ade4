"""Read a .mbz back and list every way it breaks the rules Moodle's restore relies on."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

INDEX = ".ARCHIVE_INDEX"
NULL = "$@NULL@$"
ACTIVITY_FILES = ("module.xml", "inforef.xml", "grades.xml", "grade_history.xml", "roles.xml",
                  "filters.xml", "calendar.xml", "competencies.xml", "completion.xml")
ROOT_FILES = ("moodle_backup.xml", "files.xml", "questions.xml", "gradebook.xml", "users.xml",
              "roles.xml", "completion.xml", "course/course.xml", "course/inforef.xml")


@dataclass
class Archive:
    """The members of a .mbz, in archive order, with their tar types."""

    order: list[str]
    kinds: dict[str, str]
    data: dict[str, bytes]

    def xml(self, path: str) -> etree._Element:
        """A member parsed as XML."""
        return etree.fromstring(self.data[path])


def read(blob: bytes) -> Archive:
    """Unpack a .mbz (gzip'd tar) in memory."""
    order, kinds, data = [], {}, {}
    with tarfile.open(fileobj=gzip.GzipFile(fileobj=io.BytesIO(blob)), mode="r:") as tar:
        for member in tar.getmembers():
            name = member.name + ("/" if member.isdir() else "")
            order.append(name)
            kinds[name] = "d" if member.isdir() else "f"
            if member.isfile():
                extracted = tar.extractfile(member)
                assert extracted is not None
                data[name] = extracted.read()
    return Archive(order, kinds, data)


def index_problems(a: Archive) -> Iterator[str]:
    """The index comes first and lists exactly the other members, with their types and sizes."""
    if not a.order or a.order[0] != INDEX:
        yield f"first member is {a.order[:1]}, not {INDEX}"
        return
    lines = a.data[INDEX].decode().splitlines()
    members = a.order[1:]
    if lines[0] != f"Moodle archive file index. Count: {len(members)}":
        yield f"index header {lines[0]!r} for {len(members)} members"
    listed = [line.split("\t") for line in lines[1:]]
    if [row[0] for row in listed] != members:
        yield "index paths differ from the archive's members"
    for path, kind, size, _ in listed:
        if a.kinds.get(path) != kind or (kind == "f" and int(size) != len(a.data[path])):
            yield f"index entry for {path} says {kind} {size}"


def xml_problems(a: Archive) -> Iterator[str]:
    """Every .xml member parses."""
    for path, data in a.data.items():
        if path.endswith(".xml"):
            try:
                etree.fromstring(data)
            except etree.XMLSyntaxError as error:
                yield f"{path}: {error}"


def named_problems(a: Archive) -> Iterator[str]:
    """Every folder and file moodle_backup.xml names is there, with each part's usual files."""
    yield from (f"missing {p}" for p in ROOT_FILES if p not in a.data)
    info = a.xml("moodle_backup.xml").find("information")
    assert info is not None
    for act in info.iterfind("contents/activities/activity"):
        folder, mod = act.findtext("directory"), act.findtext("modulename")
        for name in (*ACTIVITY_FILES, f"{mod}.xml"):
            if f"{folder}/{name}" not in a.data:
                yield f"missing {folder}/{name}"
    for section in info.iterfind("contents/sections/section"):
        for name in ("section.xml", "inforef.xml"):
            if f"{section.findtext('directory')}/{name}" not in a.data:
                yield f"missing {section.findtext('directory')}/{name}"
    settings = {s.findtext("name") for s in info.iterfind("settings/setting")}
    for act in info.iterfind("contents/activities/activity"):
        key = f"{act.findtext('modulename')}_{act.findtext('moduleid')}"
        if not {f"{key}_included", f"{key}_userinfo"} <= settings:
            yield f"no settings for {key}"


def file_problems(a: Archive) -> Iterator[str]:
    """files.xml rows match the pool: content hash = SHA-1 = pool name, sizes, each content used."""
    used = set()
    for row in a.xml("files.xml").iterfind("file"):
        digest, name = row.findtext("contenthash") or "", row.findtext("filename")
        if name == ".":
            if digest != hashlib.sha1(b"").hexdigest():
                yield f"directory entry {row.get('id')} has hash {digest}"
            continue
        path = f"files/{digest[:2]}/{digest}"
        used.add(path)
        content = a.data.get(path)
        if content is None:
            yield f"file {row.get('id')} ({name}): no {path}"
        elif hashlib.sha1(content).hexdigest() != digest or len(content) != int(
                row.findtext("filesize") or -1):
            yield f"file {row.get('id')} ({name}): content does not match hash or size"
    pool = {p for p in a.data if p.startswith("files/")}
    yield from (f"unused pool file {p}" for p in sorted(pool - used))


def _ids(root: etree._Element | None, tag: str) -> set[str]:
    return set() if root is None else {el.get("id") or "" for el in root.iter(tag)}


def reference_problems(a: Archive) -> Iterator[str]:
    """Every id an inforef.xml names exists: files, grade items, categories, users, roles."""
    grade_items = _ids(a.xml("gradebook.xml"), "grade_item")
    for path in a.data:
        if path.endswith("/grades.xml"):
            grade_items |= _ids(a.xml(path), "grade_item")
    known = {"file": _ids(a.xml("files.xml"), "file"), "grade_item": grade_items,
             "question_category": _ids(a.xml("questions.xml"), "question_category"),
             "user": _ids(a.xml("users.xml") if "users.xml" in a.data else None, "user"),
             "role": _ids(a.xml("roles.xml"), "role")}
    for path in a.data:
        if path.endswith("inforef.xml"):
            for group in a.xml(path):
                kind = group[0].tag if len(group) else ""
                for ref in group:
                    if ref.findtext("id") not in known.get(kind, set()):
                        yield f"{path}: unknown {kind} {ref.findtext('id')}"


def question_problems(a: Archive) -> Iterator[str]:
    """Quiz slots name existing bank entries; cloze sequences name this question's children."""
    root = a.xml("questions.xml")
    entries = _ids(root, "question_bank_entry")
    parents = {q.get("id"): q.findtext("parent") for q in root.iter("question")}
    for path in a.data:
        if path.endswith("/quiz.xml"):
            for ref in a.xml(path).iter("question_reference"):
                if ref.findtext("questionbankentryid") not in entries:
                    yield f"{path}: slot refers to a missing entry"
    for multi in root.iter("multianswer"):
        for sub in (multi.findtext("sequence") or "").split(","):
            if parents.get(sub) != multi.findtext("question"):
                yield f"cloze {multi.findtext('question')}: subquestion {sub} is not its child"
    tops = [c for c in root.iter("question_category") if c.findtext("parent") == "0"]
    if len(tops) != 1:
        yield f"{len(tops)} top categories in the course context"


def lesson_problems(a: Archive) -> Iterator[str]:
    """Lesson jumps land on pages of the same lesson; prev/next links chain every page once."""
    for path in (p for p in a.data if p.endswith("/lesson.xml")):
        pages = list(a.xml(path).iter("page"))
        ids = [p.get("id") or "" for p in pages]
        for page in pages:
            for jump in page.iter("jumpto"):
                if int(jump.text or 0) > 0 and jump.text not in ids:
                    yield f"{path}: jump to missing page {jump.text}"
        links = {p.findtext("prevpageid"): p.get("id") for p in pages}
        chain: list[str] = []
        at: str | None = "0"
        while at in links and len(chain) <= len(pages):
            at = links[at] or ""
            chain.append(at)
        if sorted(chain) != sorted(ids):
            yield f"{path}: prevpageid links give {chain}, pages are {ids}"


def scorm_problems(a: Archive) -> Iterator[str]:
    """The SCORM sha1hash is the package's content hash; the launch SCO exists and launches."""
    packages = {r.findtext("contextid"): r.findtext("contenthash")
                for r in a.xml("files.xml").iterfind("file")
                if r.findtext("filearea") == "package" and r.findtext("filename") != "."}
    for path in (p for p in a.data if p.endswith("/scorm.xml")):
        root = a.xml(path)
        scorm = root.find("scorm")
        assert scorm is not None
        if packages.get(root.get("contextid")) != scorm.findtext("sha1hash"):
            yield f"{path}: sha1hash is not the package's content hash"
        launch = [s for s in scorm.iter("sco") if s.get("id") == scorm.findtext("launch")]
        if not launch or not launch[0].findtext("launch"):
            yield f"{path}: launch SCO {scorm.findtext('launch')} missing or not launchable"


def id_problems(a: Archive) -> Iterator[str]:
    """Ids are unique within each kind of record."""
    kinds = {"questions.xml": ("question_category", "question", "answer", "question_hint"),
             "files.xml": ("file",)}
    for path, tags in kinds.items():
        for tag in tags:
            counts = Counter(el.get("id") for el in a.xml(path).iter(tag) if el.get("id"))
            yield from (f"{path}: {tag} id {i} used {n} times" for i, n in counts.items() if n > 1)


def problems(blob: bytes) -> list[str]:
    """Every structural problem of a .mbz (empty when it is sound)."""
    a = read(blob)
    found = list(index_problems(a)) + list(xml_problems(a))
    if found:
        return found
    for check in (named_problems, file_problems, reference_problems, question_problems,
                  lesson_problems, scorm_problems, id_problems):
        found += check(a)
    return found
