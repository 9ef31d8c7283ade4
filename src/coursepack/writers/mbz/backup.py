"""moodle_backup.xml: what the backup holds, and the settings a Moodle 4.5 course backup records."""

from __future__ import annotations

import hashlib

from .course import CourseInfo, Section
from .parts import Owner
from .xml import E, fields, node

MOODLE_VERSION = "2024100700"  # Moodle 4.5's $version at its release
MOODLE_RELEASE = "4.5"
BACKUP_VERSION = 2024100700
WWWROOT = "https://coursepack.invalid"
# Any site identifier that is not a real site's: restores treat the backup as from another site.
SITE_HASH = hashlib.md5(b"coursepack").hexdigest()
MODE_GENERAL, INTERACTIVE_YES, EXECUTION_INMEDIATE = 10, 1, 1
ROOT_SETTINGS: tuple[tuple[str, str | int], ...] = (
    ("imscc11", 0), ("users", 1), ("anonymize", 0), ("role_assignments", 0), ("permissions", 1),
    ("activities", 1), ("blocks", 1), ("files", 1), ("filters", 1), ("comments", 0),
    ("badges", 0), ("calendarevents", 0), ("userscompletion", 0), ("logs", 0),
    ("grade_histories", 0), ("questionbank", 1), ("groups", 0), ("competencies", 0),
    ("customfield", 0), ("contentbankcontent", 0), ("xapistate", 0), ("legacyfiles", 0))


def _setting(level: str, name: str, value: str | int, owner: tuple[str, str] | None = None) -> E:
    where = [E(owner[0], owner[1])] if owner else []
    return node("setting", [E("level", level), *where, *fields(name=name, value=value)])


def section_settings(sections: list[Section]) -> list[E]:
    """Each section's and its activities' included/userinfo settings."""
    out = []
    for section in sections:
        key = f"section_{section.id}"
        out += [_setting("section", f"{key}_{what}", 1, ("section", key))
                for what in ("included", "userinfo")]
        for part in section.parts:
            key = f"{part.modulename}_{part.cmid}"
            out += [_setting("activity", f"{key}_{what}", 1, ("activity", key))
                    for what in ("included", "userinfo")]
    return out


def activity_rows(sections: list[Section]) -> list[E]:
    """The contents' row for each activity of the sections."""
    return [node("activity", fields(
        moduleid=p.cmid, sectionid=s.id, modulename=p.modulename, title=p.title,
        directory=p.directory, insubsection="")) for s in sections for p in s.parts]


def section_rows(sections: list[Section]) -> list[E]:
    """The contents' row for each section."""
    return [node("section", fields(
        sectionid=s.id, title=s.name if s.name is not None else str(s.number),
        directory=s.directory, parentcmid="", modname="")) for s in sections]


# Where the rows and settings sit in moodle_backup.xml, for parts made apart (xml.fragment).
DEPTHS = {"activities": 4, "sections": 4, "settings": 3}
Slots = dict[str, list[E]]


def moodle_backup_xml(filename: str, info: CourseInfo, owner: Owner, sections: list[Section],
                      more: Slots | None = None) -> E:
    """The backup's description: release 4.5, a course backup, everything included; `more`
    adds elements after the sections' activities, sections and settings (by DEPTHS key)."""
    more = more or {}
    backup_id = hashlib.md5(f"{filename}\x1f{info.shortname}".encode()).hexdigest()
    detail = node("detail", fields(type="course", format="moodle2", interactive=INTERACTIVE_YES,
                                   mode=MODE_GENERAL, execution=EXECUTION_INMEDIATE,
                                   executiontime=0), backup_id=backup_id)
    contents = node("contents", [
        node("activities", [*activity_rows(sections), *more.get("activities", [])]),
        node("sections", [*section_rows(sections), *more.get("sections", [])]),
        node("course", fields(courseid=owner.courseid, title=info.shortname,
                              directory="course"))])
    settings = [_setting("root", "filename", filename),
                *(_setting("root", name, value) for name, value in ROOT_SETTINGS),
                *section_settings(sections), *more.get("settings", [])]
    information = node("information", [*fields(
        name=filename, moodle_version=MOODLE_VERSION, moodle_release=MOODLE_RELEASE,
        backup_version=BACKUP_VERSION, backup_release=MOODLE_RELEASE, backup_date=owner.epoch,
        mnet_remoteusers=0, include_files=1, include_file_references_to_external_content=0,
        original_wwwroot=WWWROOT, original_site_identifier_hash=SITE_HASH,
        original_course_id=owner.courseid, original_course_format="topics",
        original_course_fullname=info.fullname, original_course_shortname=info.shortname,
        original_course_startdate=owner.epoch, original_course_enddate=0,
        original_course_contextid=owner.contextid, original_system_contextid=1),
        node("details", [detail]), contents, node("settings", settings)])
    return node("moodle_backup", [information])
