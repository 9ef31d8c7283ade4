"""Moodle backups (.mbz: gzip tar or zip) as moodle_backup.xml describes them, checked."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .archive import Listing
from .backupparts import Stored, activity_counts, bank, file_records, pool
from .report import Report, counted, plural
from .xmltree import Element, parse, text_of

INFO = "moodle_backup.xml"
ROOT_FILES = ("files.xml", "questions.xml")  # read by restore_root_task's steps, always
OLDEST = 2010072300  # restore_prechecks_helper: $min20version, the same in 4.5 and 5.1
NEWEST = (2025100600.02, "5.1+ (Build: 20251017)")  # version.php of the Moodle 5.1 checked
MODULES_45 = {"assign", "bigbluebuttonbn", "book", "chat", "choice", "data", "feedback",
              "folder", "forum", "glossary", "h5pactivity", "imscp", "label", "lesson", "lti",
              "page", "quiz", "resource", "scorm", "subsection", "survey", "url", "wiki",
              "workshop"}
MODULES_51 = (MODULES_45 - {"chat", "survey"}) | {"qbank"}
SHOWN = 100  # activities listed by name at most


def wanted(path: str) -> bool:
    """The members a backup's report reads: its description, question bank and file list,
    and each activity's own XML (activities/book_12/book.xml)."""
    return path in (INFO, "questions.xml", "files.xml") or bool(
        re.fullmatch(r"activities/([a-z0-9]+)_\d+/\1\.xml", path))


def inspect_backup(report: Report, listing: Listing) -> None:
    """A course, section or activity backup."""
    report.kind, report.title = "mbz", "Moodle backup"
    member = listing.get(INFO)
    if member is None:
        where = "root" if listing.complete else "root, as far as it could be read"
        report.error(f"Unknown backup format: there is no moodle_backup.xml at the archive's "
                     f"{where}", "inspect-mbz-format")
        return
    if member.data is None:
        return
    _detected(report, member.data)
    root = parse(report, member.data, "a Moodle backup description", "moodle_backup", INFO)
    info = None if root is None else root.find("information")
    if root is not None and info is None:
        report.error("moodle_backup.xml has no <information>", "inspect-mbz-format",
                     line=root.sourceline, member=INFO)
    if info is None:
        return
    _describe(report, info)
    # what is not in an archive read only in part may be in the rest of it
    paths = listing.paths() if listing.complete else None
    if paths is not None:
        _required(report, info, paths)
    records = file_records(report, listing)
    _activities(report, info, listing, paths, records)
    bank(report, listing)
    if paths is not None:
        pool(report, listing, records, text_of(info, "include_files").strip() == "1")


def _detected(report: Report, data: bytes) -> None:
    """convert_helper::detect_moodle2_format(): Moodle knows a backup by the first 200 bytes
    of its moodle_backup.xml."""
    head = data[:200].decode("utf-8", "replace")
    if not ('<?xml version="1.0" encoding="utf-8"?>' in head.lower()
            and "<moodle_backup>" in head and "<information>" in head):
        report.error("Unknown backup format: the first 200 bytes of moodle_backup.xml must hold "
                     "'<?xml version=\"1.0\" encoding=\"UTF-8\"?>', '<moodle_backup>' and "
                     "'<information>'", "inspect-mbz-format", member=INFO)


def _describe(report: Report, info: Element) -> None:
    facts: dict[str, Any] = {key: text_of(info, key).strip() for key in (
        "moodle_version", "moodle_release", "backup_version", "backup_release",
        "original_course_fullname", "original_course_shortname", "original_course_format")}
    facts.update(type=text_of(info, "details/detail/type").strip(),
                 format=text_of(info, "details/detail/format").strip(),
                 users=_setting(info, "users") == "1",
                 include_files=text_of(info, "include_files").strip() == "1")
    report.facts.update(facts)
    if facts["type"]:
        report.title = f"Moodle {facts['type']} backup"
    report.say(f"made by Moodle {facts['moodle_release'] or '?'} ({facts['moodle_version']}), "
               f"backup {facts['backup_version']}, format {facts['format'] or '?'}")
    report.say(f"course {facts['original_course_fullname']!r} "
               f"({facts['original_course_shortname']}, {facts['original_course_format']} "
               f"format), user data {'included' if facts['users'] else 'not included'}")
    _versions(report, info, facts["moodle_version"], facts["backup_version"])


def _setting(info: Element, name: str) -> str:
    for setting in info.iterfind("settings/setting"):
        if text_of(setting, "level") == "root" and text_of(setting, "name") == name:
            return text_of(setting, "value").strip()
    return ""


def _versions(report: Report, info: Element, moodle: str, backup: str) -> None:
    """restore_prechecks_helper::execute_prechecks(): a backup older than 2.0's is refused, one
    from a newer Moodle than the site's gets a warning."""
    line = _line(info, "backup_version")
    if not re.fullmatch(r"\d+(\.\d+)?", backup) or float(backup) < OLDEST:
        report.error(f"This backup file has been created with one development version of Moodle "
                     f"backup ({backup or 'none'}). Minimum required is {OLDEST}. Cannot be "
                     "restored.", "inspect-mbz-version", line=line, member=INFO)
    if not re.fullmatch(r"\d+(\.\d+)?", moodle):
        report.warn(f"its moodle_version {moodle!r} is not a number", "inspect-mbz-version",
                    line=_line(info, "moodle_version"), member=INFO)
    elif float(moodle) > NEWEST[0]:
        report.warn(f"made by a newer Moodle ({moodle}) than Moodle {NEWEST[1]} ({NEWEST[0]}): "
                    "Moodle warns that backwards compatibility of backup files cannot be "
                    "guaranteed", "inspect-mbz-newer", line=_line(info, "moodle_version"),
                    member=INFO)


def _line(parent: Element, tag: str) -> int:
    found = parent.find(tag)
    return int(found.sourceline or 1) if found is not None else int(parent.sourceline or 1)


def _required(report: Report, info: Element, paths: set[str]) -> None:
    """The files restore reads with no check that they exist: it stops when one is missing
    (restore_structure_step: missing_moodle_backup_xml_file)."""
    kind = text_of(info, "details/detail/type").strip()
    needed = [(name, info) for name in ROOT_FILES]
    if kind in ("course", "section"):
        needed += [(f"{text_of(s, 'directory').strip()}/section.xml", s)
                   for s in info.iterfind("contents/sections/section")]
    course = info.find("contents/course")
    if course is not None and kind == "course":
        needed.append((f"{text_of(course, 'directory').strip()}/course.xml", course))
    for name, element in needed:
        if name not in paths:
            report.error(f"{name} is missing: Moodle's restore stops "
                         "(missing_moodle_backup_xml_file)", "inspect-mbz-missing",
                         line=element.sourceline, member=INFO)


def _activities(report: Report, info: Element, listing: Listing, paths: set[str] | None,
                records: list[Stored]) -> None:
    sections = {text_of(s, "sectionid").strip(): text_of(s, "title").strip()
                for s in info.iterfind("contents/sections/section")}
    found, modules = [], Counter[str]()
    for element in info.iterfind("contents/activities/activity"):
        activity = _activity(report, element, listing, paths, records)
        activity["section"] = sections.get(text_of(element, "sectionid").strip(), "?")
        modules[activity["module"]] += 1
        found.append(activity)
    report.facts.update(sections=len(sections), modules=dict(sorted(modules.items())),
                        activities=found)
    report.say(f"{plural(len(sections), 'section')}, {plural(len(found), 'activity', 'activities')}"
               + (f": {counted(modules)}" if modules else ""))
    for activity in found[:SHOWN]:
        counts = ", ".join(f"{n} {what}" if isinstance(n, int) else f"{what} {n}"
                           for what, n in activity["counts"].items())
        report.say(f"{activity['module']} {activity['title']!r} in section "
                   f"{activity['section']!r}" + (f": {counts}" if counts else ""))
    if len(found) > SHOWN:
        report.say(f"... and {len(found) - SHOWN} more")


def _activity(report: Report, element: Element, listing: Listing, paths: set[str] | None,
              records: list[Stored]) -> dict[str, Any]:
    module = text_of(element, "modulename").strip()
    folder = text_of(element, "directory").strip().rstrip("/")
    title = text_of(element, "title").strip()
    for name in ("module.xml", f"{module}.xml"):
        if paths is not None and f"{folder}/{name}" not in paths:
            report.error(f"activity {title!r} ({module}): {folder}/{name} is missing: Moodle's "
                         "restore stops (missing_moodle_backup_xml_file)", "inspect-mbz-missing",
                         line=element.sourceline, member=INFO)
    _module_known(report, module, element)
    own = listing.get(f"{folder}/{module}.xml")
    counts = activity_counts(report, module, own, records) if own else {}
    return {"module": module, "title": title, "directory": folder, "counts": counts}


def _module_known(report: Report, module: str, element: Element) -> None:
    """restore_plan_builder::build_activity_plan(): an activity whose module the site does
    not have is skipped."""
    missing = [name for name, known in (("4.5", MODULES_45), ("5.1", MODULES_51))
               if module not in known]
    if missing:
        report.warn(f"the module {module!r} is not in Moodle {' or '.join(missing)}: a site "
                    "without it skips the activity", "inspect-mbz-module",
                    line=element.sourceline, member=INFO)
