"""Turn validated source documents into the frozen content model, filling in defaults."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from . import grades, model
from .checks import Source, sites
from .dates import DEFAULT_EPOCH
from .derive import default_name, derived_questions
from .htmltext import given as _t  # a text written {html: ...} becomes model.Html
from .lazy import lazy_unit
from .media.check import Media
from .origins import Origins, of_document
from .qchecks import answer_grades
from .yamlload import Document

D = dict[str, Any]


def assemble(src: Source, dates: Mapping[str, int], media: Media | None = None
             ) -> model.Catalogue:
    """Build the catalogue from a source that passed every check (its unit files are taken out
    of `src` as the units are made), with the media its texts name."""
    media = media or Media()
    assert src.course is not None
    course = src.course.data
    terms = tuple(_term(t) for t in src.glossary.data["terms"]) if src.glossary else ()
    pass_mark = course.get("pass_mark", 80)
    by_id = {t.id: t for t in terms}
    where = Origins(src)
    units = tuple(_take_unit(src, unit_id, pass_mark, by_id, dates[unit_id], media.of(unit_id))
                  for unit_id in course["units"])
    updated = max((u.updated for u in units), default=DEFAULT_EPOCH)
    return model.Catalogue(
        title=course["title"], shortname=course["shortname"],
        organisation=course["organisation"], language=course["language"],
        licence=course["licence"], units=units, terms=terms,
        glossary_title=src.glossary.data.get("title", "Key terms") if src.glossary else "Key terms",
        summary=course.get("summary"), category=course.get("category"), updated=updated,
        start_date=course.get("start_date"), essays_count=course.get("essays_count", False),
        learners_add_entries=course.get("learners_add_glossary_entries", False),
        media=media.of(None), origins=where, made_from=_course_made_from(src))


def _course_made_from(src: Source) -> str:
    """What the course's own settings and glossary are made from (model.Catalogue.made_from):
    course.yaml and glossary.yaml as read. Empty when a reading is not known."""
    read = _readings((src.course, src.glossary))
    return "" if read is None else hashlib.sha256(read.encode()).hexdigest()


def _readings(docs: Sequence[Document | None]) -> str | None:
    """What each document was read from (its parse's key; '-' for none), or None when one
    reading is not known (a source read without a cache)."""
    if any(doc is not None and not doc.digest for doc in docs):
        return None
    return "".join(f"{doc.digest if doc else '-'}\x00" for doc in docs)


def _term(t: D) -> model.Term:
    return model.Term(id=t["id"], term=t["term"], definition=_t(t["definition"]),
                      aliases=tuple(t.get("aliases", ())), related=tuple(t.get("related", ())),
                      case_sensitive=t.get("case_sensitive", False),
                      autolink=t.get("autolink", True), full_match=t.get("full_match", True),
                      categories=tuple(t.get("categories", ())), tags=tuple(t.get("tags", ())))


def _take_unit(src: Source, unit_id: str, pass_mark: int, terms: dict[str, model.Term],
               date: int, media: tuple[model.MediaFile, ...]) -> model.Unit:
    """A unit of the model, made when first read (lazy.py), its files taken out of `src`: the
    unit holds them until it is made, so the source and the model are never whole in memory
    together."""
    docs = _Docs(src.units.pop(unit_id), src.questions.pop(unit_id, None),
                 src.lessons.pop(unit_id, None))
    made_from = _made_from(docs, pass_mark, date, media)
    for doc in docs:
        if doc is not None:
            doc.forget()  # positions found by the checks: found again if the unit needs them
    ident, title, body, key_terms = sites(src, "unit", docs.unit).head

    def make() -> model.Unit:
        unit = _unit(docs, pass_mark)
        unit = replace(unit, derived=derived_questions(unit, terms), updated=date, media=media)
        object.__setattr__(unit, "made_from", made_from)
        return unit

    eager = {"id": ident, "title": title, "awarding_body": body, "key_terms": key_terms,
             "media": media, "updated": date, "origin": _origin(docs.unit),
             "made_from": made_from}
    return lazy_unit(eager, (sites(src, "questions", docs.questions).count if docs.questions
                             else 0, sites(src, "lesson", docs.lesson).count if docs.lesson
                             else 0), make)


class _Docs(NamedTuple):
    """A unit's documents."""

    unit: Document
    questions: Document | None
    lesson: Document | None


def _origin(doc: Document) -> str:
    return f"{doc.display}:1:1"


def _made_from(docs: _Docs, pass_mark: int, date: int,
               media: tuple[model.MediaFile, ...]) -> str:
    """What the unit is made from (model.Unit.made_from): its documents, as read, the media
    they name, the course's pass mark and its date; the glossary's terms, which derived
    questions use, are the course's and keyed with it. Empty when a document's reading is not
    known."""
    read = _readings(docs)
    if read is None:
        return ""
    made = hashlib.sha256(f"unit\x00{pass_mark}\x00{date}\x00{read}".encode())
    for file in media:
        made.update(f"{file.path}\x00{file.mime}\x00{file.sha256}\x00".encode())
    return made.hexdigest()


def _unit(docs: _Docs, pass_mark: int) -> model.Unit:
    u = docs.unit.data
    return model.Unit(
        id=u["id"], title=u["title"], assessment_route=u["assessment_route"],
        subject_area=u["subject_area"], synopsis=u["synopsis"],
        outcomes=tuple(_outcome(o) for o in u["learning_outcomes"]),
        awarding_body=u.get("awarding_body"),
        qualifications=tuple(model.Qualification(q["title"], q["level"], q["framework"])
                             for q in u.get("qualifications", ())),
        overview=tuple(u.get("overview", ())),
        key_concepts=tuple(model.Concept(c["name"], c["explanation"], tuple(c.get("terms", ())))
                           for c in u.get("key_concepts", ())),
        guidance=tuple(u.get("guidance", ())), exam_tips=tuple(u.get("exam_tips", ())),
        common_mistakes=tuple(u.get("common_mistakes", ())),
        misconceptions=tuple(model.Misconception(m["claim"], m["correction"])
                             for m in u.get("misconceptions", ())),
        prerequisites=tuple(u.get("prerequisites", ())), key_terms=tuple(u.get("key_terms", ())),
        mastery_score=u.get("mastery_score", pass_mark),
        questions=_questions(docs.questions) if docs.questions else (),
        lesson=_lesson(docs.lesson.data, u["title"]) if docs.lesson else None,
        origin=_origin(docs.unit))


def _questions(doc: Document) -> tuple[model.Question, ...]:
    origins = of_document("questions", doc)
    return tuple(question(q, origins[q["id"]]) for q in doc.data["questions"])


def _outcome(o: D) -> model.Outcome:
    return model.Outcome(o["id"], o["statement"], tuple(
        model.Criterion(c["id"], c["text"], tuple(c.get("marking_points", ())))
        for c in o["criteria"]))


def _common(q: D, origin: str) -> D:
    return dict(origin=origin,
        id=q["id"], name=q.get("name") or default_name(_t(q["text"])), text=_t(q["text"]),
        category=_path(q.get("category")), outcome=q.get("outcome"), mark=float(q.get("mark", 1)),
        penalty=float(q.get("penalty", 0.3333333)), general_feedback=_t(q.get("general_feedback")),
        practice=q.get("practice", False),
        hints=tuple(model.Hint(_t(h["text"]), h.get("show_num_correct", False),
                               h.get("clear_wrong", False)) for h in q.get("hints", ())),
        tags=tuple(q.get("tags", ())))


def _path(category: str | list[str] | None) -> tuple[str, ...]:
    """A question's category path: one name, or a list of names nested one in the next."""
    if category is None:
        return ()
    return (category,) if isinstance(category, str) else tuple(category)


def _combined(q: D) -> model.CombinedFeedback:
    return model.CombinedFeedback(_t(q.get("correct_feedback")),
                                  _t(q.get("partially_correct_feedback")),
                                  _t(q.get("incorrect_feedback")), q.get("show_num_correct", True))


def _grade(value: float) -> float:
    found = grades.canonical(value)
    assert found is not None, value
    return found


def _answers(items: list[D], single: bool = True) -> tuple[model.Answer, ...]:
    return tuple(model.Answer(_t(a["text"]), _grade(g), _t(a.get("feedback")))
                 for a, g in zip(items, answer_grades(items, single), strict=True))


def _numeric(items: list[D]) -> tuple[model.NumericAnswer, ...]:
    return tuple(model.NumericAnswer(None if a["value"] == "*" else float(a["value"]),
                                     float(a.get("tolerance", 0)), _grade(g),
                                     _t(a.get("feedback")))
                 for a, g in zip(items, answer_grades(items, True), strict=True))


def _choices(q: D) -> tuple[model.Choice, ...]:
    return tuple(model.Choice(ch["text"], ch.get("group", 1), ch.get("unlimited", False))
                 for ch in q["choices"])


def _gap(g: D) -> model.Gap:
    answers = _numeric(g["answers"]) if g["type"] == "numerical" else _answers(g["answers"])
    return model.Gap(g["id"], g["type"], answers, g.get("mark", 1), g.get("display", "dropdown"),
                     g.get("shuffle", False), g.get("case_sensitive", False))


_BUILDERS: dict[str, Callable[[D, D], model.Question]] = {
    "multichoice": lambda q, c: model.MultiChoice(
        **c, answers=_answers(q["answers"], q.get("single", True)),
        single=q.get("single", True), shuffle=q.get("shuffle", True),
        numbering=q.get("numbering", "abc"), combined=_combined(q),
        show_instruction=q.get("show_instruction", False)),
    "truefalse": lambda q, c: model.TrueFalse(
        **c, correct=q["correct"], feedback_true=_t(q.get("feedback_true")),
        feedback_false=_t(q.get("feedback_false"))),
    "shortanswer": lambda q, c: model.ShortAnswer(
        **c, answers=_answers(q["answers"]), case_sensitive=q.get("case_sensitive", False)),
    "numerical": lambda q, c: model.Numerical(
        **c, answers=_numeric(q["answers"]), units=tuple(
            model.NumUnit(u["unit"], float(u.get("multiplier", 1))) for u in q.get("units", ())),
        unit_graded=q.get("unit_graded", False), unit_penalty=float(q.get("unit_penalty", 0.1)),
        unit_penalty_of=q.get("unit_penalty_of", "response"),
        unit_display=q.get("unit_display", "text"), unit_left=q.get("unit_left", False)),
    "matching": lambda q, c: model.Matching(
        **c, pairs=tuple(model.MatchPair(_t(p["question"]), p["answer"]) for p in q["pairs"]),
        distractors=tuple(q.get("distractors", ())), shuffle=q.get("shuffle", True),
        combined=_combined(q)),
    "essay": lambda q, c: model.Essay(
        **c, response_format=q.get("response_format", "editor"),
        response_required=q.get("response_required", True),
        response_lines=q.get("response_lines", 15), min_words=q.get("min_words"),
        max_words=q.get("max_words"), attachments=q.get("attachments", 0),
        attachments_required=q.get("attachments_required", 0),
        grader_info=_t(q.get("grader_info")),
        response_template=_t(q.get("response_template"))),
    "ordering": lambda q, c: model.Ordering(
        **c, items=tuple(q["items"]), layout=q.get("layout", "vertical"),
        select=q.get("select", "all"), select_count=q.get("select_count", len(q["items"])),
        grading=q.get("grading", "absolute_position"), show_grading=q.get("show_grading", True),
        numbering=q.get("numbering", "none"), combined=_combined(q)),
    "gapselect": lambda q, c: model.GapSelect(
        **c, choices=_choices(q), shuffle=q.get("shuffle", True), combined=_combined(q)),
    "ddwtos": lambda q, c: model.DragText(
        **c, choices=_choices(q), shuffle=q.get("shuffle", True), combined=_combined(q)),
    "description": lambda q, c: model.Description(**{**c, "mark": 0.0, "penalty": 0.0}),
    "cloze": lambda q, c: model.Cloze(**c, gaps=tuple(_gap(g) for g in q["gaps"])),
}


def question(q: D, origin: str = "") -> model.Question:
    """One question of the model from its validated source mapping (and where it lies)."""
    return _BUILDERS[q["type"]](q, _common(q, origin))


def _lesson(data: D, unit_title: str) -> model.Lesson:
    return model.Lesson(
        title=data.get("title", unit_title), pages=tuple(_page(p) for p in data["pages"]),
        intro=data.get("intro"), max_attempts=data.get("max_attempts", 3),
        pass_grade=data.get("pass_grade", 60))


def _page(p: D) -> model.LessonPage:
    if p["type"] == "content":
        buttons = p.get("buttons") or [{"label": "Continue"}]
        return model.ContentPage(p["id"], p["title"], p["body"], tuple(
            model.Button(b["label"], b.get("jump", "next")) for b in buttons))
    return model.QuestionPage(p["id"], p["title"], p["qtype"], p["text"], _lesson_answers(p),
                              p.get("multiple", False), p.get("case_sensitive", False))


def _lesson_answers(p: D) -> tuple[model.LessonAnswer, ...]:
    right, wrong = p.get("correct_jump", "next"), p.get("wrong_jump", "this")
    if p["qtype"] == "truefalse":
        return tuple(model.LessonAnswer(label, right if value == p["correct"] else wrong,
                                        value == p["correct"], p.get(f"feedback_{label.lower()}"),
                                        int(value == p["correct"]))
                     for label, value in (("True", True), ("False", False)))
    if p["qtype"] == "essay":
        return (model.LessonAnswer("", right, True, None, 1),)
    return tuple(model.LessonAnswer(
        str(a.get("text", "")), a.get("jump", right if a.get("correct") else wrong),
        a.get("correct", False), a.get("response"), a.get("score", int(a.get("correct", False))),
        a.get("value"), float(a.get("tolerance", 0))) for a in p.get("answers", ()))

