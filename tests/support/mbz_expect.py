"""What a restored course must hold, computed from the model (the other side: dump-course.php)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coursepack import model as m
from coursepack.markup import plain_html
from coursepack.writers.glossary import definition_html
from coursepack.writers.mbz.book import chapters
from coursepack.writers.names import moodle_name, unit_labels
from coursepack.writers.qbank import bank
from support.expect import carried, h

JUMPS = {"this": 0, "next": -1, "end": -9, "previous": -40}
LESSON_QTYPE = {"shortanswer": "1", "truefalse": "2", "multichoice": "3", "numerical": "8",
                "essay": "10"}
MOODLE_QTYPE = {"matching": "match", "cloze": "multianswer"}


def questions(catalogue: m.Catalogue, units: tuple[m.Unit, ...]) -> list[m.Question]:
    """Every question of the units' bank (authored and derived)."""
    return [q for c in bank(catalogue, units) for q in c.questions]


def quiz_questions(catalogue: m.Catalogue, unit: m.Unit, *, written: bool) -> list[m.Question]:
    """The questions of the unit's quiz (`Unit.assessed`, marked by Moodle) or of the
    written-answers quiz (every essay, authored or derived), in the bank's order."""
    assessed = {q.id for q in unit.assessed}
    return [q for q in questions(catalogue, (unit,))
            if (q.manual if written else q.id in assessed)]


THEMES = (("Learn", ("guide", "glossary")), ("Practise", ("lesson", "scorm")),
          ("Check your understanding", ("quiz",)), ("Written answers", ("written",)))


def sections(catalogue: m.Catalogue, unit: m.Unit) -> list[tuple[str, list[str]]]:
    """A unit backup's sections after the first: each theme that holds activities, with the
    idnumber suffixes of its activities."""
    held = idnumbers(catalogue, unit)
    found = [(name, [k for k in held if k in kinds]) for name, kinds in THEMES]
    return [(name, kinds) for name, kinds in found if kinds]


def activities(catalogue: m.Catalogue, unit: m.Unit) -> list[tuple[str, str]]:
    """(module, idnumber suffix) of each of the unit's activities, in section order."""
    return [("book", "guide"), *([("glossary", "glossary")] if unit.key_terms else []),
            *([("lesson", "lesson")] if unit.lesson else []), ("scorm", "scorm"),
            *([("quiz", "quiz")] if quiz_questions(catalogue, unit, written=False) else []),
            *([("quiz", "written")] if quiz_questions(catalogue, unit, written=True) else [])]


def modules(catalogue: m.Catalogue, unit: m.Unit) -> list[str]:
    """The unit's activity types in section order."""
    return [module for module, _ in activities(catalogue, unit)]


def idnumbers(catalogue: m.Catalogue, unit: m.Unit) -> list[str]:
    """The idnumber suffix of each of the unit's activities, in section order."""
    return [suffix for _, suffix in activities(catalogue, unit)]


def book(unit: m.Unit) -> list[dict[str, Any]]:
    """The unit guide's chapters as Moodle stores them."""
    return [{"pagenum": str(n), "subchapter": str(int(c.sub)), "title": moodle_name(c.title),
             "content": carried(c.content), "contentformat": "1", "hidden": "0"}
            for n, c in enumerate(chapters(unit), start=1)]


def entry_place(unit: m.Unit) -> Callable[[str], str]:
    """'#entry:N' for a related term, N its entry's place in the glossary (dump-course.php)."""
    return lambda term_id: f"#entry:{unit.key_terms.index(term_id) + 1}"


def glossary(catalogue: m.Catalogue, unit: m.Unit) -> list[dict[str, Any]]:
    """One approved entry per key term, by the backup's author, in the unit's category; 'See
    also' links to the related entries of the same glossary."""
    label = moodle_name(unit_labels(catalogue)[unit.id])
    out = []
    for term in (catalogue.term(t) for t in unit.key_terms):
        out.append({"concept": moodle_name(term.term),
                    "definition": definition_html(term, catalogue, unit.key_terms,
                                                  entry_place(unit)),
                    "definitionformat": "1", "usedynalink": str(int(term.autolink)),
                    "timemodified": str(unit.updated),
                    "casesensitive": str(int(term.case_sensitive)),
                    "fullmatch": str(int(term.full_match)), "approved": "1",
                    "teacherentry": "1", "author": "coursepack-author",
                    "aliases": [moodle_name(a) for a in term.aliases],
                    "categories": sorted({label, *map(moodle_name, term.categories)})})
    return out


def _answer_text(page: m.QuestionPage, a: m.LessonAnswer) -> str | None:
    if page.qtype == "essay":
        return None
    if page.qtype == "numerical" and a.value is not None:
        low, high = a.value - a.tolerance, a.value + a.tolerance
        return f"{low:g}:{high:g}" if a.tolerance else f"{a.value:g}"
    return a.text if page.qtype == "shortanswer" else plain_html(a.text)


def _answers(page: m.LessonPage, titles: dict[str, str], counted: bool) -> list[dict[str, Any]]:
    def jump(target: str) -> str | int:
        return JUMPS[target] if target in JUMPS else titles[target]

    if isinstance(page, m.ContentPage):
        return [{"answer": b.label, "response": None, "score": "0",
                 "jumpto": jump(b.jump)} for b in page.buttons]
    # An essay page scores nothing unless the course counts essays (no waiting for a teacher).
    essay = page.qtype == "essay" and not counted
    return [{"answer": _answer_text(page, a), "score": "0" if essay else str(a.score),
             "jumpto": jump(a.jump),
             "response": h(a.response) if a.response else None} for a in page.answers]


def lesson(lesson: m.Lesson, counted: bool = False) -> dict[str, Any]:
    """The lesson's pages in reading order, each answer's jump resolved to a page title."""
    titles = {p.id: moodle_name(p.title) for p in lesson.pages}
    pages = [{"title": moodle_name(p.title),
              "qtype": "20" if isinstance(p, m.ContentPage) else LESSON_QTYPE[p.qtype],
              "contents": h(p.body if isinstance(p, m.ContentPage) else p.text),
              "answers": _answers(p, titles, counted)} for p in lesson.pages]
    return {"page_count": len(lesson.pages), "pages": pages, "grade": "100",
            "maxattempts": str(lesson.max_attempts), "completionendreached": "1"}


def quiz(catalogue: m.Catalogue, unit: m.Unit, *, written: bool = False) -> dict[str, Any]:
    """One slot per question of the quiz, its mark as the slot's maximum; the unit's quiz is
    graded with a pass grade, the written-answers quiz is not graded and completes on viewing."""
    qs = quiz_questions(catalogue, unit, written=written)
    marks = [float(sum(g.mark for g in q.gaps)) if isinstance(q, m.Cloze) else q.mark for q in qs]
    return {"slots": [{"slot": str(n), "idnumber": q.id, "maxmark": mark, "version": None}
                      for n, (q, mark) in enumerate(zip(qs, marks, strict=True), start=1)],
            "sumgrades": sum(marks),
            "grade": 0.0 if written and not catalogue.essays_count else 100.0,
            "preferredbehaviour": "interactive", "completionpassgrade": 0 if written else 1,
            "completiongradeitemnumber": None if written else "0"}


def grade_passes(catalogue: m.Catalogue, units: tuple[m.Unit, ...]) -> dict[str, float]:
    """The pass grade of each graded activity, by its idnumber."""
    out: dict[str, float] = {}
    for unit in units:
        if unit.lesson:
            out[f"{unit.id}-lesson"] = float(unit.lesson.pass_grade)
        out[f"{unit.id}-scorm"] = float(unit.mastery_score)
        if quiz_questions(catalogue, unit, written=False):
            out[f"{unit.id}-quiz"] = float(unit.mastery_score)
    return out


def qtype_counts(catalogue: m.Catalogue, units: tuple[m.Unit, ...]) -> dict[str, int]:
    """Questions per Moodle qtype name."""
    counts: dict[str, int] = {}
    for q in questions(catalogue, units):
        name = MOODLE_QTYPE.get(q.qtype, q.qtype)
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))
