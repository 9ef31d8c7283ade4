"""What the question-bank writers share: categories, the questions of each, HTML of each field."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..derive import DERIVED_CATEGORY
from ..markup import to_html
from ..model import Catalogue, Numerical, NumericAnswer, Question, Unit
from . import Parts
from .embed import NONE, Areas
from .names import moodle_name, per_unit, unit_labels


@dataclass(frozen=True)
class Category:
    """A question category: its path below `top`, its description and idnumber, its questions."""

    path: tuple[str, ...]
    info: str
    idnumber: str
    questions: tuple[Question, ...] = ()
    named_by: str = ""  # the first question whose category names it (below a unit's)

    def moodle_path(self) -> str:
        """The path as Moodle writes it, with the course context and '/' inside names doubled."""
        return "$course$/top/" + "/".join(moodle_name(part).replace("/", "//")
                                          for part in self.path)


def course_label(catalogue: Catalogue) -> str:
    """The name of the course's own category."""
    return catalogue.category or catalogue.shortname


def course_category(catalogue: Catalogue) -> Category:
    """The course's category: the parent of every unit's, holding no questions itself."""
    info = Areas.course(catalogue).strip(html(catalogue.summary or catalogue.title))
    return Category((course_label(catalogue),), info, catalogue.shortname.lower())


def unit_categories(catalogue: Catalogue, unit: Unit) -> list[Category]:
    """The unit's category, then one per category below it that its questions use (and each
    one's parents), parents first, in order of first use."""
    base = (course_label(catalogue), unit_labels(catalogue)[unit.id])
    subs: dict[tuple[str, ...], list[Question]] = {(): []}
    named: dict[tuple[str, ...], str] = {}
    for q in (*unit.questions, *unit.derived):
        for depth in range(1, len(q.category)):
            subs.setdefault(q.category[:depth], [])
            named.setdefault(q.category[:depth], q.id)
        subs.setdefault(q.category, []).append(q)
        named.setdefault(q.category, q.id)
    # a category's description has no file area: its images show as their alt text
    found = [Category(base, Areas.of(unit).strip(html(unit.synopsis)), unit.id, tuple(subs[()]))]
    for sub, members in subs.items():
        if sub:
            info = ("Questions generated from the unit's misconceptions, key terms and "
                    "assessment criteria." if sub == (DERIVED_CATEGORY,) else sub[-1])
            found.append(Category((*base, *sub), html(info), category_idnumber(unit.id, sub),
                                  tuple(members), named[sub]))
    return found


def bank(catalogue: Catalogue, units: tuple[Unit, ...]) -> Iterator[Category]:
    """Every category of a question file for these units, parents first."""
    yield course_category(catalogue)
    for unit in units:
        yield from unit_categories(catalogue, unit)


IDNUMBER_LIMIT = 100  # question_categories.idnumber


def category_idnumber(unit_id: str, sub: tuple[str, ...]) -> str:
    """`<unit>.<slug of each name in the path below the unit's category>`, shortened with a
    digest to fit Moodle's 100."""
    whole = ".".join((unit_id, *map(slug, sub)))
    if len(whole) <= IDNUMBER_LIMIT:
        return whole
    digest = hashlib.sha1("\x00".join(sub).encode("utf-8")).hexdigest()[:10]
    return f"{whole[: IDNUMBER_LIMIT - 11].rstrip('-')}-{digest}"


def slug(text: str) -> str:
    """A lower-case id fragment from a name."""
    out = "".join(c if c.isalnum() else "-" for c in text.casefold())
    return "-".join(part for part in out.split("-") if part)


def html(markdown: str | None) -> str:
    """A Markdown field as HTML; empty for a missing field."""
    return to_html(markdown) if markdown else ""


Render = Callable[[list[Category], Areas], list[str]]  # the lines of categories, with media


# Moodle's numerical unit options: showunits for each display, unitgradingtype for each penalty
SHOW_UNITS = {"text": 0, "radio": 1, "select": 2}
UNIT_GRADING = {"response": 1, "question": 2}


def unit_options(q: Numerical) -> tuple[int, int]:
    """A numerical question's unitgradingtype and showunits as Moodle stores them: units not
    used (0, 3), the number alone marked with a unit optional (0, 0), or the unit marked."""
    if not q.units:
        return 0, 3
    if not q.unit_graded:
        return 0, 0
    return UNIT_GRADING[q.unit_penalty_of], SHOW_UNITS[q.unit_display]


def decimal(value: float) -> str:
    """A number as a plain decimal string (no exponent), exact."""
    text = format(Decimal(repr(value)).normalize(), "f")
    return "0" if text in ("-0", "") else text


def answer_value(answer: NumericAnswer) -> str:
    """A numerical answer's value as Moodle stores it: the number, exact, or '*'."""
    return "*" if answer.value is None else decimal(answer.value)


@per_unit
def unit_lines(catalogue: Catalogue, unit: Unit, render: Render) -> list[str]:
    """The unit's categories and questions as `render` writes them: made once for the unit's
    own file and its share of the course's."""
    return render(unit_categories(catalogue, unit), Areas.of(unit))


@dataclass(frozen=True)
class LineBank:
    """A question-bank format whose files are lines: `head`, the course's category, the
    categories and questions of a unit (or of every unit), then `tail`. The course's file is
    joined from each unit's lines, which a task makes apart (its share)."""

    name: str
    render: Render
    head: tuple[str, ...] = ()
    tail: str = ""

    def _head(self, catalogue: Catalogue) -> list[str]:
        return [*self.head, *self.render([course_category(catalogue)], NONE)]

    def unit_files(self, catalogue: Catalogue, unit: Unit) -> dict[str, bytes]:
        """`<unit>/<name>`: the unit's bank."""
        lines = [*self._head(catalogue), *unit_lines(catalogue, unit, self.render)]
        return {f"{unit.id}/{self.name}": ("\n".join(lines) + self.tail).encode("utf-8")}

    def unit_part(self, catalogue: Catalogue, unit: Unit) -> dict[str, bytes]:
        """The unit's lines of the course's file, each led by a newline."""
        lines = unit_lines(catalogue, unit, self.render)
        return {SHARE: "".join("\n" + line for line in lines).encode("utf-8")}

    def course_from_parts(self, catalogue: Catalogue, parts: Parts) -> dict[str, bytes]:
        """`<name>`: the whole course's bank, joined from the units' lines (the same bytes as
        all the lines joined with newlines)."""
        return {name: b"".join(pieces)
                for name, pieces in self.course_stream(catalogue, parts).items()}

    def course_stream(self, catalogue: Catalogue, parts: Parts) -> dict[str, Iterator[bytes]]:
        """`course_from_parts`, as successive pieces of the file."""
        return {self.name: self._pieces(catalogue, parts)}

    def _pieces(self, catalogue: Catalogue, parts: Parts) -> Iterator[bytes]:
        yield "\n".join(self._head(catalogue)).encode("utf-8")
        yield from (p[SHARE] for p in parts)
        yield self.tail.encode("utf-8")

    def course_files(self, catalogue: Catalogue) -> dict[str, bytes]:
        """`<name>`: the whole course's bank."""
        return self.course_from_parts(catalogue, [self.unit_part(catalogue, u)
                                                  for u in catalogue.units])


SHARE = "share"  # a unit's lines in its share
