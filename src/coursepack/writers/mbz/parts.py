"""What every activity folder of a backup holds: module.xml, grades.xml, inforef.xml, ..."""

from __future__ import annotations

from dataclasses import dataclass, field

from .files import Area, FileStore, Ids
from .xml import E, dec, document, fields, node

MODULE_VERSION = 2024100700  # every core activity's version.php in Moodle 4.5
COMPLETION_AUTOMATIC = 2


@dataclass(frozen=True)
class Owner:
    """Where and by whom: the course, its context, the author user and the fixed time."""

    courseid: int
    contextid: int
    userid: int
    epoch: int


@dataclass(frozen=True)
class Completion:
    """The module's own completion rules (type rules live in the activity's XML)."""

    graded: bool = False  # completion needs a grade (item 0) at or above the pass grade


STUDENT_ROLE = 5  # the id of the student role in the backup's roles.xml
PREVENT = -1  # CAP_PREVENT


@dataclass(frozen=True)
class Grading:
    """What the activity's grade item holds."""

    grademax: float
    gradepass: float


@dataclass
class Part:
    """One activity: ids, where it sits, its own XML and what its inforef.xml must list."""

    modulename: str
    cmid: int
    instance: int
    contextid: int
    title: str
    idnumber: str
    body: E
    completion: Completion = field(default_factory=Completion)
    grading: Grading | None = None
    files: list[int] = field(default_factory=list)
    categories: list[int] = field(default_factory=list)
    users: list[int] = field(default_factory=list)
    # Capability overrides for the student role in the activity: (capability, permission).
    overrides: tuple[tuple[str, int], ...] = ()

    @property
    def directory(self) -> str:
        """The folder of the activity inside the backup."""
        return f"activities/{self.modulename}_{self.cmid}"


def new_ids(modulename: str, ids: Ids) -> tuple[int, int, int]:
    """Fresh course-module, instance and context ids for an activity."""
    return ids.take("course_module"), ids.take(modulename), ids.take("context")


def add_files(store: FileStore, part: Part, component: str, filearea: str,
              files: dict[str, bytes]) -> None:
    """Store files in one of the activity's areas and list them in its inforef."""
    for path, data in files.items():
        part.files += store.add(Area(part.contextid, component, filearea), path, data)


def activity_xml(part: Part) -> bytes:
    """<activity> wrapping the module's own element, as <modname>.xml."""
    return document(node("activity", [part.body], id=part.instance, moduleid=part.cmid,
                         modulename=part.modulename, contextid=part.contextid))


def module_xml(part: Part, sectionid: int, sectionnumber: int, epoch: int) -> bytes:
    """module.xml: the course module row, with automatic completion and 'view' required."""
    return document(node("module", [*fields(
        modulename=part.modulename, sectionid=sectionid, sectionnumber=sectionnumber,
        idnumber=part.idnumber, added=epoch, score=0, indent=0, visible=1,
        visibleoncoursepage=1, visibleold=1, groupmode=0, groupingid=0,
        completion=COMPLETION_AUTOMATIC,
        completiongradeitemnumber=0 if part.completion.graded else None,
        completionpassgrade=1 if part.completion.graded else 0, completionview=1,
        completionexpected=0, availability=None, showdescription=0, downloadcontent=1,
        lang=None), node("tags", [])], id=part.cmid, version=MODULE_VERSION))


@dataclass(frozen=True)
class GradeItem:
    """A row of grade_items as gradebook.xml and grades.xml write it."""

    id: int
    categoryid: int | None
    itemname: str | None
    itemtype: str
    itemmodule: str | None
    iteminstance: int
    itemnumber: int | None
    idnumber: str | None
    grademax: float
    gradepass: float
    weight: float
    sortorder: int


def grade_item(item: GradeItem, epoch: int) -> E:
    """One <grade_item> with no grades."""
    return node("grade_item", [*fields(
        categoryid=item.categoryid, itemname=item.itemname, itemtype=item.itemtype,
        itemmodule=item.itemmodule, iteminstance=item.iteminstance, itemnumber=item.itemnumber,
        iteminfo=None, idnumber=item.idnumber, calculation=None, gradetype=1,
        grademax=dec(item.grademax, 5), grademin=dec(0, 5), scaleid=None, outcomeid=None,
        gradepass=dec(item.gradepass, 5), multfactor=dec(1, 5), plusfactor=dec(0, 5),
        aggregationcoef=dec(0, 5), aggregationcoef2=dec(item.weight, 5), weightoverride=0,
        sortorder=item.sortorder, display=0, decimals=None, hidden=0, locked=0, locktime=0,
        needsupdate=0, timecreated=epoch, timemodified=epoch), node("grade_grades", [])],
        id=item.id)


def grades_xml(items: list[GradeItem], epoch: int) -> bytes:
    """An activity's grades.xml."""
    return document(node("activity_gradebook", [
        node("grade_items", [grade_item(i, epoch) for i in items]), node("grade_letters", [])]))


def _refs(group: str, name: str, ids: list[int]) -> list[E]:
    if not ids:
        return []
    return [node(group, [node(name, [E("id", i)]) for i in ids])]


def inforef_xml(users: list[int], files: list[int], grade_items: list[int],
                categories: list[int], roles: list[int] | None = None) -> bytes:
    """inforef.xml: the users, files, grade items and categories a part refers to."""
    return document(node("inforef", [
        *_refs("userref", "user", users), *_refs("roleref", "role", roles or []),
        *_refs("fileref", "file", files), *_refs("grade_itemref", "grade_item", grade_items),
        *_refs("question_categoryref", "question_category", categories)]))


def roles_xml(part: Part, epoch: int) -> bytes:
    """roles.xml: the activity's capability overrides for the student role."""
    overrides = [node("override", fields(
        roleid=STUDENT_ROLE, capability=capability, permission=permission, timemodified=epoch,
        modifierid=0), id=n) for n, (capability, permission) in enumerate(part.overrides, 1)]
    return document(node("roles", [node("role_overrides", overrides),
                                   node("role_assignments", [])]))


def empty_parts() -> dict[str, bytes]:
    """The activity files that carry nothing here but that Moodle always writes."""
    empty = {"calendar.xml": node("events", []), "comments.xml": node("comments", []),
             "competencies.xml": node("course_module_competencies", [node("competencies", [])]),
             "completion.xml": node("completions", [node("completionviews", [])]),
             "filters.xml": node("filters", [node("filter_actives", []),
                                             node("filter_configs", [])]),
             "grade_history.xml": node("grade_history", [node("grade_grades", [])]),
             "xapistate.xml": node("states", [])}
    return {name: document(root) for name, root in empty.items()}


def activity_files(part: Part, item: GradeItem | None, sectionid: int, sectionnumber: int,
                   epoch: int) -> dict[str, bytes]:
    """Every file of the activity's folder, by path inside the backup."""
    own = {f"{part.modulename}.xml": activity_xml(part),
           "module.xml": module_xml(part, sectionid, sectionnumber, epoch),
           "grades.xml": grades_xml([item] if item else [], epoch),
           "inforef.xml": inforef_xml(part.users, part.files, [item.id] if item else [],
                                      part.categories,
                                      [STUDENT_ROLE] if part.overrides else []),
           "roles.xml": roles_xml(part, epoch), **empty_parts()}
    return {f"{part.directory}/{name}": data for name, data in sorted(own.items())}
