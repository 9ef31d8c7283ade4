"""Moodle's limits on what it stores, checked before anything is written.

Lengths are those of Moodle 4.5's install.xml where 5.1 allows more (5.1 widened several
names to 1333), counted as Moodle counts them: characters (code points) of the value as stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ..diagnostics import Diagnostic, Severity, located, quote
from ..markup import plain_html
from ..model import Catalogue, Matching, Question, Unit
from .names import Stored, course_names, moodle_name, unit_names
from .qbank import Category, course_category, unit_categories

# Column -> the most characters Moodle 4.5 and 5.1 both store there.
LIMITS = {
    "course.fullname": 254, "course_sections.name": 255, "book.name": 255,
    "book_chapters.title": 255, "glossary.name": 255, "glossary_entries.concept": 255,
    "glossary_alias.alias": 255, "glossary_categories.name": 255, "lesson.name": 255,
    "lesson_pages.title": 255, "quiz.name": 255, "scorm.name": 255, "scorm_scoes.title": 255,
    "grade_items.itemname": 255, "question.name": 255, "question_categories.name": 255,
    "question_categories.idnumber": 100, "tag.name": 255,
    "qtype_match_subquestions.answertext": 255,
}
# How a value is stored: as written (an idnumber, a tag), as escaped HTML (a match answer,
# which Moodle shows as HTML), or as a name (see names.moodle_name).
_STORED: dict[str, Callable[[str], str]] = {
    "question_categories.idnumber": str, "tag.name": str,
           "qtype_match_subquestions.answertext": plain_html}


def _questions(catalogue: Catalogue, categories: Iterable[Category]
               ) -> Iterator[tuple[Stored, Question | None]]:
    """The names a question bank stores, each with its question (None for a category)."""
    for cat in categories:
        where = _category_field(cat)
        yield Stored("question_categories.name", cat.path[-1], where), None
        yield Stored("question_categories.idnumber", cat.idnumber, where), None
        for q in cat.questions:
            yield from ((s, q) for s in _question_names(q))


def _category_field(cat: Category) -> str:
    """The source field a category's name comes from: course category, unit title, or a question's
    category."""
    if len(cat.path) == 1:
        return "course/category"
    if len(cat.path) == 2:
        return f"unit/{cat.idnumber}/title"
    return f"question/{cat.named_by}/category" if cat.named_by else ""


def _question_names(q: Question) -> Iterator[Stored]:
    base = f"question/{q.id}"
    yield Stored("question.name", q.name, f"{base}/name")
    for i, tag in enumerate(q.tags):
        yield Stored("tag.name", tag, f"{base}/tags/{i}")
    if isinstance(q, Matching):
        for i, pair in enumerate(q.pairs):
            yield Stored("qtype_match_subquestions.answertext", pair.answer, f"{base}/pairs/{i}")
        for i, extra in enumerate(q.distractors):
            yield Stored("qtype_match_subquestions.answertext", extra,
                         f"{base}/distractors/{i}")


def _glossary(catalogue: Catalogue) -> Iterator[Stored]:
    for term in catalogue.terms:
        yield Stored("glossary_entries.concept", term.term, f"term/{term.id}/term")
        for i, alias in enumerate(term.aliases):
            yield Stored("glossary_alias.alias", alias, f"term/{term.id}/aliases/{i}")
        for i, name in enumerate(term.categories):
            yield Stored("glossary_categories.name", name, f"term/{term.id}/categories/{i}")


def _where(catalogue: Catalogue, stored: Stored, q: Question | None, unit: Unit | None) -> str:
    """The source field behind a stored name, else its question's, else its unit's (the first
    unit's for the course's own names). A derived question is never looked up by its id: the
    id is made up, and may be one that a question elsewhere has."""
    placed = None if q is not None and q.derived else catalogue.origins.get(stored.where)
    return placed or (q.origin if q else "") or (unit.origin if unit else "") or (
        catalogue.units[0].origin if catalogue.units else "")


Found = tuple[str, Diagnostic]  # a diagnostic and the source field it is about


def once(found: Iterable[Found]) -> Iterator[Found]:
    """Each source field's first diagnostic of each code."""
    reported: set[tuple[str, str]] = set()
    for where, d in found:
        if (where, d.code) not in reported:
            reported.add((where, d.code))
            yield where, d


def course_head(catalogue: Catalogue) -> Iterator[Found]:
    """The course's own names, and its question category (before any unit's)."""
    yield from _found(catalogue, ((s, None) for s in course_names(catalogue)))
    yield from _found(catalogue, _questions(catalogue, [course_category(catalogue)]))


def unit_found(catalogue: Catalogue, unit: Unit) -> Iterator[Found]:
    """The names of one unit: its activities, pages, categories and questions (a function of
    the unit and the course, so it can be kept per unit)."""
    yield from _found(catalogue, ((s, None) for s in unit_names(catalogue, unit)), unit)
    yield from _found(catalogue, _questions(catalogue, unit_categories(catalogue, unit)), unit)


def course_tail(catalogue: Catalogue) -> Iterator[Found]:
    """The glossary's names (after every unit's)."""
    yield from _found(catalogue, ((s, None) for s in _glossary(catalogue)))


def _found(catalogue: Catalogue, stored: Iterable[tuple[Stored, Question | None]],
           unit: Unit | None = None
           ) -> Iterator[Found]:  # one at a time: 150,000 at 1,000 units
    for item, q in stored:
        for severity, message, code in _problems(item):
            where = _where(catalogue, item, q, unit)
            yield where, located(where, severity, message, code)


def _problems(stored: Stored) -> Iterator[tuple[Severity, str, str]]:
    value = _STORED.get(stored.column, moodle_name)(stored.text)
    limit = LIMITS.get(stored.column)
    if limit is not None and len(value) > limit:
        yield (Severity.ERROR, f"becomes {quote(value, 40)} in Moodle's {stored.column}: "
               f"{len(value):,} characters, but it holds at most {limit}", "moodle-limit")
    if value.strip() == "0" and stored.column in ("glossary_entries.concept",
                                                  "glossary_alias.alias", "scorm_scoes.title"):
        yield Severity.ERROR, f"Moodle drops the value '0' in {stored.column}", "moodle-zero"
    if stored.column == "tag.name":
        yield from _tag_problems(stored.text)


def _tag_problems(tag: str) -> Iterator[tuple[Severity, str, str]]:
    """The schema refuses < > ` & and commas in tags; Moodle also folds spaces and lower-cases."""
    if " ".join(tag.split()) != tag.strip():
        yield (Severity.WARNING, f"tag {quote(tag, 40)}: Moodle folds runs of spaces into one",
               "tag-changed")
    if len(tag.lower()) > LIMITS["tag.name"]:
        yield (Severity.ERROR, f"tag {quote(tag, 40)} is {len(tag.lower()):,} characters in "
               f"lower case; Moodle's tag.name holds at most 255", "moodle-limit")


Idnumber = tuple[str, tuple[str, ...], str]  # a category's idnumber, path, field of its name


def unit_idnumbers(catalogue: Catalogue, unit: Unit) -> list[Idnumber]:
    """The idnumber, path and name's source field of each of the unit's categories."""
    return [(cat.idnumber, cat.path, _category_field(cat))
            for cat in unit_categories(catalogue, unit)]


def duplicate_idnumbers(catalogue: Catalogue, units: Iterable[list[Idnumber]]
                        ) -> Iterator[Diagnostic]:
    """Two categories with one idnumber stop Moodle's import (a unique index): each clash,
    wherever it is, among the course's category and the units' (`unit_idnumbers` of each unit,
    in unit order)."""
    course = course_category(catalogue)
    seen: dict[str, tuple[str, ...]] = {course.idnumber: course.path}
    for idnumber, path, where in (found for unit in units for found in unit):
        first = seen.setdefault(idnumber, path)
        if first != path:
            yield located(catalogue.origins.get(where, ""), Severity.ERROR,
                          f"category {quote(path[-1], 40)} gets the idnumber "
                          f"{quote(idnumber)}, already that of {quote(first[-1], 40)}; "
                          "rename one", "duplicate-idnumber")
