"""A backup's parts: each activity's own counts, the question bank, and the file pool."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .archive import Listing, Member
from .report import Report, counted, plural
from .xmltree import Element, parse, text_of

FILES = "files.xml"
QUESTIONS = "questions.xml"
NULL = "$@NULL@$"  # how a backup writes a database NULL
SHOWN = 20  # missing files listed one by one at most
# What each activity's own XML holds that is cheap to count, and what it is called.
COUNTED = {"book": ("book/chapters/chapter", "chapters"),
           "lesson": ("lesson/pages/page", "pages"),
           "quiz": ("quiz/question_instances/question_instance", "question slots"),
           "glossary": ("glossary/entries/entry", "entries"),
           "scorm": ("scorm/scoes/sco[scormtype='sco']", "SCOs")}


@dataclass
class Stored:
    """One file record of files.xml."""

    contenthash: str
    component: str
    filearea: str
    contextid: str
    filepath: str
    filename: str
    external: bool  # held by a repository, not in the backup
    line: int


def file_records(report: Report, listing: Listing) -> list[Stored]:
    """files.xml's records (none when it is missing or cannot be read)."""
    member = listing.get(FILES)
    if member is None or member.data is None:
        return []
    root = parse(report, member.data, "a backup's file list", "files", FILES)
    if root is None:
        return []
    return [Stored(text_of(f, "contenthash").strip(), text_of(f, "component"),
                   text_of(f, "filearea"), text_of(f, "contextid").strip(),
                   text_of(f, "filepath"), text_of(f, "filename"),
                   text_of(f, "repositoryid").strip() not in ("", NULL), f.sourceline or 1)
            for f in root.iterfind("file")]


def activity_counts(report: Report, module: str, member: Member,
                    records: list[Stored]) -> dict[str, int | str]:
    """What the activity's own XML holds (chapters, pages, slots, entries, SCOs)."""
    if member.data is None or module not in COUNTED:
        return {}
    root = parse(report, member.data, f"an activity's {module}.xml", "activity", member.path)
    if root is None:
        return {}
    path, what = COUNTED[module]
    counts: dict[str, int | str] = {what: len(root.findall(path))}
    if module == "scorm":
        counts.update(_scorm(report, root, member, records))
    return counts


def _scorm(report: Report, root: Element, member: Member,
           records: list[Stored]) -> dict[str, int | str]:
    """The package a SCORM activity restores from: its mod_scorm/package file."""
    reference = text_of(root, "scorm/reference")
    local = text_of(root, "scorm/scormtype").strip() in ("local", "localsync")
    stored = [r for r in records if (r.component, r.filearea, r.filename, r.contextid)
              == ("mod_scorm", "package", reference, root.get("contextid", ""))]
    if local and not stored:
        report.warn(f"its package {reference!r} is not in files.xml: Moodle restores the "
                    "activity with no package", "inspect-mbz-scorm-package",
                    line=root.sourceline, member=member.path)
    return {"version": text_of(root, "scorm/version").strip(), "package": reference}


def bank(report: Report, listing: Listing) -> None:
    """questions.xml: the bank's questions by type (each question once, its latest version;
    a cloze's parts are not questions of their own) and its categories."""
    member = listing.get(QUESTIONS)
    if member is None or member.data is None:
        return
    root = parse(report, member.data, "a backup's question bank", "question_categories",
                 QUESTIONS)
    if root is None:
        return
    types: Counter[str] = Counter()
    entries = root.findall(".//question_bank_entry")
    for group in entries or [root]:
        latest = [q for q in group.iter("question") if _own(q)]
        for question in latest[-1:] if entries else latest:
            types[text_of(question, "qtype").strip()] += 1
    categories = [c for c in root.iterfind("question_category")
                  if not (text_of(c, "name") == "top" and text_of(c, "parent").strip() == "0")]
    total = sum(types.values())
    report.facts.update(questions=total, question_types=dict(sorted(types.items())),
                        question_categories=len(categories))
    report.say(f"question bank: {plural(total, 'question')} in "
               f"{plural(len(categories), 'category', 'categories')}"
               + (f": {counted(types)}" if types else ""))


def _own(question: Element) -> bool:
    """A question record of its own (not a cloze's part, whose parent is the cloze)."""
    parent = question.getparent()
    return (parent is not None and parent.tag == "questions"
            and text_of(question, "parent").strip() in ("", "0"))


def pool(report: Report, listing: Listing, records: list[Stored], included: bool) -> None:
    """Every file files.xml lists should be in files/ by its content hash; Moodle restores
    without the missing ones and logs a warning (restore_dbops::send_files_to_pool)."""
    paths = listing.paths()
    files = [r for r in records if r.filename != "."]
    missing = []
    for record in files:
        if record.external:
            continue
        if not record.contenthash:
            report.warn(f"missing file ({record.filename}) contenthash in backup for component "
                        f"{record.component}", "inspect-mbz-file-missing", line=record.line,
                        member=FILES)
        elif included and _pooled(record.contenthash) not in paths:
            missing.append(record)
    for record in missing[:SHOWN]:
        report.warn(f"Missing file in backup: {record.filepath}{record.filename} (component "
                    f"{record.component}, filearea {record.filearea}, content "
                    f"{_pooled(record.contenthash)}): Moodle restores without it",
                    "inspect-mbz-file-missing", line=record.line, member=FILES)
    if len(missing) > SHOWN:
        report.warn(f"... and {len(missing) - SHOWN} more files files.xml lists are missing "
                    "from files/", "inspect-mbz-file-missing", member=FILES)
    contents = {r.contenthash for r in files}
    report.facts.update(files=len(files), file_contents=len(contents), files_missing=len(missing))
    report.say(f"{plural(len(files), 'file')} in files.xml ({len(contents)} distinct contents)"
               + (f", {len(missing)} missing from files/" if missing else ", all in files/"
                  if included else ", not included in the backup"))


def _pooled(contenthash: str) -> str:
    return f"files/{contenthash[:2]}/{contenthash}"
