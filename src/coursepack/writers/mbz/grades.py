"""gradebook.xml: the course grade category (one sub-category per unit in a course backup)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .files import Ids
from .parts import GradeItem, Part, grade_item
from .xml import E, document, fields, node

NATURAL = 13  # GRADE_AGGREGATE_SUM: Moodle's default "Natural" aggregation


@dataclass(frozen=True)
class Group:
    """A grade category to make (None: the course category itself) and its graded activities."""

    name: str | None
    parts: list[Part]


@dataclass(frozen=True)
class Gradebook:
    """The gradebook file and each activity's grade item, by course-module id."""

    xml: bytes
    items: dict[int, GradeItem]


def _category(catid: int, parent: int | None, path: str, name: str, epoch: int) -> E:
    return node("grade_category", fields(
        parent=parent, depth=path.count("/") - 1, path=path, fullname=name,
        aggregation=NATURAL, keephigh=0, droplow=0, aggregateonlygraded=1, aggregateoutcomes=0,
        timecreated=epoch, timemodified=epoch, hidden=0), id=catid)


def _total(parts: list[Part]) -> float:
    return sum(p.grading.grademax for p in parts if p.grading)


@dataclass
class _Sheet:
    """The gradebook being numbered: categories, course and category items, module items."""

    ids: Ids
    epoch: int
    course_cat: int
    total: float
    cats: list[E] = field(default_factory=list)
    listed: list[GradeItem] = field(default_factory=list)
    by_module: dict[int, GradeItem] = field(default_factory=dict)
    sortorder: int = 0

    def next_sortorder(self) -> int:
        """The next place in the gradebook's order."""
        self.sortorder += 1
        return self.sortorder


def _unit_category(sheet: _Sheet, name: str, parts: list[Part]) -> int:
    """A sub-category of the course category and its category item, weighted in the course."""
    catid = sheet.ids.take("grade_categories")
    sheet.cats.append(_category(catid, sheet.course_cat, f"/{sheet.course_cat}/{catid}/", name,
                                sheet.epoch))
    sheet.listed.append(GradeItem(
        sheet.ids.take("grade_items"), None, None, "category", None, catid, None, None,
        _total(parts), 0.0, _total(parts) / (sheet.total or 1.0), sheet.next_sortorder()))
    return catid


def _module_items(sheet: _Sheet, parts: list[Part], catid: int) -> None:
    """Each graded activity's item, weighted within its category (natural weights)."""
    total = _total(parts) or 1.0
    for p in parts:
        if p.grading:
            sheet.by_module[p.cmid] = GradeItem(
                sheet.ids.take("grade_items"), catid, p.title, "mod", p.modulename, p.instance,
                0, p.idnumber, p.grading.grademax, p.grading.gradepass,
                p.grading.grademax / total, sheet.next_sortorder())


def _document(sheet: _Sheet) -> bytes:
    root = node("gradebook", [
        node("attributes", []), node("grade_categories", sheet.cats),
        node("grade_items", [grade_item(i, sheet.epoch) for i in sheet.listed]),
        node("grade_letters", []),
        node("grade_settings", [node("grade_setting", fields(name="minmaxtouse", value=1),
                                     id="")])])
    return document(root)


def _course(ids: Ids, epoch: int, total: float) -> _Sheet:
    """A gradebook begun: the course category and the course item."""
    course_cat = ids.take("grade_categories")
    sheet = _Sheet(ids, epoch, course_cat, total)
    sheet.cats.append(_category(course_cat, None, f"/{course_cat}/", "?", epoch))
    sheet.listed.append(GradeItem(ids.take("grade_items"), None, None, "course", None,
                                  course_cat, None, None, total, 0.0, 0.0,
                                  sheet.next_sortorder()))
    return sheet


def gradebook(groups: list[Group], ids: Ids, epoch: int) -> Gradebook:
    """The course category and item, a category per named group, an item per graded activity."""
    sheet = _course(ids, epoch, sum(_total(g.parts) for g in groups))
    for group in groups:
        catid = sheet.course_cat if group.name is None else _unit_category(
            sheet, group.name, group.parts)
        _module_items(sheet, group.parts, catid)
    return Gradebook(_document(sheet), sheet.by_module)


@dataclass(frozen=True)
class UnitGrades:
    """One unit's share of a course gradebook, made apart from the others: its category,
    that category's item (first in the unit's range of sortorders) and its activities' items."""

    category: int
    item: int
    sortorder: int
    total: float
    items: dict[int, GradeItem] = field(default_factory=dict)


def unit_grades(parts: list[Part], ids: Ids, first: int, epoch: int) -> UnitGrades:
    """A unit's category and items, with sortorders from `first` up."""
    sheet = _Sheet(ids, epoch, 0, 0.0, sortorder=first - 1)
    catid, item = ids.take("grade_categories"), ids.take("grade_items")
    sortorder = sheet.next_sortorder()
    _module_items(sheet, parts, catid)
    return UnitGrades(catid, item, sortorder, _total(parts), sheet.by_module)


def course_gradebook(units: list[tuple[str, UnitGrades]], ids: Ids, epoch: int) -> bytes:
    """gradebook.xml of a course whose units' grades were made apart: the course category and
    item, then each unit's category and its item, weighted in the course."""
    total = sum(u.total for _, u in units)
    sheet = _course(ids, epoch, total)
    for name, u in units:
        sheet.cats.append(_category(u.category, sheet.course_cat,
                                    f"/{sheet.course_cat}/{u.category}/", name, epoch))
        sheet.listed.append(GradeItem(u.item, None, None, "category", None, u.category, None,
                                      None, u.total, 0.0, u.total / (total or 1.0), u.sortorder))
    return _document(sheet)
