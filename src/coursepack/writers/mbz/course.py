"""The course-level files of a backup: course/, sections/, users, roles, completion and the rest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ...dates import day_start
from ...model import Catalogue, Unit
from .parts import STUDENT_ROLE, Owner, Part, inforef_xml
from .xml import E, document, fields, node

AUTHOR = {"username": "coursepack-author", "email": "coursepack-author@example.invalid",
          "firstname": "Content", "lastname": "Author"}
COMPLETION_ACTIVITY, AGGREGATE_ALL = 4, 1


@dataclass(frozen=True)
class Section:
    """A course section: its ids, name (None: Moodle's default), summary and activities."""

    id: int
    number: int
    name: str | None
    summary: str
    parts: list[Part]
    files: list[int] = field(default_factory=list)  # the summary's files (inforef.xml)

    @property
    def directory(self) -> str:
        """The folder of the section inside the backup."""
        return f"sections/section_{self.id}"


@dataclass(frozen=True)
class CourseInfo:
    """The course row: names, summary and the category it names."""

    fullname: str
    shortname: str
    summary: str
    category: str
    startdate: int


def start_date(catalogue: Catalogue, units: tuple[Unit, ...] | None = None) -> int:
    """The course start: course.yaml's start_date, else the day the content of these units
    (default: all) last changed."""
    updated = catalogue.updated if units is None else max(u.updated for u in units)
    return day_start(catalogue.start_date or updated)


def section_files(section: Section, epoch: int) -> dict[str, bytes]:
    """section.xml and its inforef.xml (the files its summary names)."""
    root = node("section", fields(
        number=section.number, name=section.name, summary=section.summary, summaryformat=1,
        sequence=",".join(str(p.cmid) for p in section.parts), visible=1,
        availabilityjson=None, component=None, itemid=None, timemodified=epoch), id=section.id)
    return {f"{section.directory}/inforef.xml": inforef_xml([], section.files, [], []),
            f"{section.directory}/section.xml": document(root)}


def _format_options() -> E:
    return node("courseformatoptions", [
        node("courseformatoption", fields(format="topics", sectionid=0, name=name, value=value))
        for name, value in (("hiddensections", 1), ("coursedisplay", 0))])


def course_xml(info: CourseInfo, owner: Owner) -> bytes:
    """course/course.xml: topics format, completion enabled, grades shown."""
    return document(node("course", [*fields(
        shortname=info.shortname, fullname=info.fullname, idnumber="", summary=info.summary,
        summaryformat=1, format="topics", showgrades=1, newsitems=0, startdate=info.startdate,
        enddate=0, marker=0, maxbytes=0, legacyfiles=0, showreports=0, visible=1, groupmode=0,
        groupmodeforce=0, defaultgroupingid=0, lang="", theme="", timecreated=owner.epoch,
        timemodified=owner.epoch, requested=0, showactivitydates=0, showcompletionconditions=1,
        pdfexportfont=None, enablecompletion=1, completionnotify=0),
        node("category", fields(name=info.category, description=None), id=1),
        node("tags", []), node("customfields", []), _format_options()],
        id=owner.courseid, contextid=owner.contextid))


def _enrol(eid: int, method: str, status: int, roleid: int, epoch: int) -> E:
    custom: dict[str, str | int | None] = {f"customint{n}": None for n in range(1, 9)}
    custom.update({f"customchar{n}": None for n in range(1, 4)})
    custom.update({"customdec1": None, "customdec2": None})
    custom.update({f"customtext{n}": None for n in range(1, 5)})
    return node("enrol", [*fields(
        enrol=method, status=status, name=None, enrolperiod=0, enrolstartdate=0,
        enrolenddate=0, expirynotify=0, expirythreshold=86400, notifyall=0, password=None,
        cost=None, currency=None, roleid=roleid, **custom, timecreated=epoch,
        timemodified=epoch), node("user_enrolments", [])], id=eid)


def course_folder(info: CourseInfo, owner: Owner, categories: list[int],
                  files: list[int] | None = None) -> dict[str, bytes]:
    """Everything under course/: the course, its enrolment methods and the glossary filter on."""
    filters = node("filters", [node("filter_actives", [
        node("filter_active", fields(filter="glossary", active=1))]),
        node("filter_configs", [])])
    empty = {"calendar.xml": node("events", []), "comments.xml": node("comments", []),
             "competencies.xml": node("course_competencies", [
                 node("competencies", []), node("user_competencies", [])]),
             "completiondefaults.xml": node("course_completion_defaults", []),
             "contentbank.xml": node("contents", []),
             "roles.xml": node("roles", [node("role_overrides", []),
                                         node("role_assignments", [])])}
    out = {name: document(root) for name, root in empty.items()}
    out["course.xml"] = course_xml(info, owner)
    out["enrolments.xml"] = document(node("enrolments", [node("enrols", [
        _enrol(1, "manual", 0, STUDENT_ROLE, owner.epoch)])]))
    out["filters.xml"] = document(filters)
    out["inforef.xml"] = inforef_xml([], files or [], [], categories, [STUDENT_ROLE])
    return {f"course/{name}": data for name, data in sorted(out.items())}


def users_xml(owner: Owner, contextid: int) -> bytes:
    """users.xml: the one author of the glossary entries, who cannot log in (auth nologin)."""
    user = node("user", [*fields(
        username=AUTHOR["username"], idnumber="", email=AUTHOR["email"], phone1="", phone2="",
        institution="", department="", address="", city="", country="", lastip="", picture=0,
        description=None, descriptionformat=1, imagealt=None, auth="nologin",
        firstnamephonetic=None, lastnamephonetic=None, middlename=None, alternatename=None,
        firstname=AUTHOR["firstname"], lastname=AUTHOR["lastname"], confirmed=1,
        policyagreed=0, deleted=0, lang="en", theme="", timezone="99", firstaccess=0,
        lastaccess=0, lastlogin=0, currentlogin=0, mailformat=1, maildigest=0, maildisplay=2,
        autosubscribe=1, trackforums=0, timecreated=owner.epoch, timemodified=owner.epoch,
        trustbitmask=0), node("custom_fields", []), node("tags", []), node("preferences", []),
        node("roles", [node("role_overrides", []), node("role_assignments", [])])],
        id=owner.userid, contextid=contextid)
    return document(node("users", [user]))


def completion_criteria(parts: list[Part], owner: Owner, ids: Iterable[int]) -> list[E]:
    """A course completion criterion per activity (the course is complete when all are)."""
    return [node("course_completion_criteria", [*fields(
        course=owner.courseid, criteriatype=COMPLETION_ACTIVITY, module=p.modulename,
        moduleinstance=p.cmid, courseinstanceshortname=None, enrolperiod=None, timeend=None,
        gradepass=None, role=None, roleshortname=None),
        node("course_completion_crit_completions", [])], id=n)
        for n, p in zip(ids, parts, strict=False)]


COMPLETION_DEPTH = 1  # where the criteria sit in completion.xml


def completion_xml(criteria: list[E], owner: Owner) -> E:
    """completion.xml: the criteria, then the rule that all of them are needed."""
    methods = [node("course_completion_aggr_methd", fields(
        course=owner.courseid, criteriatype=kind, method=AGGREGATE_ALL, value=None), id=n)
        for n, kind in enumerate((None, COMPLETION_ACTIVITY), start=1)]
    return node("course_completion", [*criteria, *methods])


def root_files() -> dict[str, bytes]:
    """The top-level files that hold nothing here but that Moodle always writes."""
    roles = node("roles_definition", [node("role", fields(
        name="", shortname="student", nameincourse=None, description="", sortorder=5,
        archetype="student"), id=STUDENT_ROLE)])
    empty = {"badges.xml": node("badges", []),
             "grade_history.xml": node("grade_history", [node("grade_grades", [])]),
             "groups.xml": node("groups", [node("groupcustomfields", []), node(
                 "groupings", [node("groupingcustomfields", [])])]),
             "outcomes.xml": node("outcomes_definition", []), "roles.xml": roles,
             "scales.xml": node("scales_definition", [])}
    return {name: document(root) for name, root in empty.items()}
