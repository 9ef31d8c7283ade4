"""The Lesson activity: content pages with their buttons, question pages whose answers jump."""

from __future__ import annotations

from decimal import Decimal

from ...markup import plain_html, to_html
from ...model import ContentPage, Lesson, LessonAnswer, LessonPage, QuestionPage, Unit
from ..names import moodle_name
from ..qbank import decimal
from .files import Ids
from .parts import Grading, Owner, Part, new_ids
from .xml import E, fields, flag, node

# Lesson page types (mod/lesson/pagetypes) and jump constants (mod/lesson/locallib.php).
CONTENT = 20
QTYPES = {"shortanswer": 1, "truefalse": 2, "multichoice": 3, "numerical": 8, "essay": 10}
JUMPS = {"this": 0, "next": -1, "end": -9, "previous": -40}
HTML, MOODLE = 1, 0
# lesson_add_instance() stores this serialised object when no dependency is set.
NO_CONDITIONS = ('O:8:"stdClass":3:{s:9:"timespent";i:0;s:9:"completed";i:0;'
                 's:15:"gradebetterthan";i:0;}')
MIN_ANSWER_ROWS = 4


def jump(target: str, pages: dict[str, int]) -> int:
    """A jump word as Moodle's constant, or a page id as that page's backup id."""
    return JUMPS[target] if target in JUMPS else pages[target]


def _answer(aid: int, target: int, score: int, text: str | None, text_format: int,
            response: str | None, epoch: int) -> E:
    return node("answer", [*fields(
        jumpto=target, grade=0, score=score, flags=0, timecreated=epoch, timemodified=0,
        answer_text=text, response=to_html(response) if response else None,
        answerformat=text_format, responseformat=HTML if response else MOODLE),
        node("attempts", [])], id=aid)


def _answer_text(page: QuestionPage, a: LessonAnswer) -> tuple[str | None, int]:
    if page.qtype == "essay":
        return None, MOODLE
    if page.qtype == "numerical" and a.value is not None:
        if a.tolerance:
            low, high = (Decimal(repr(a.value)) + k * Decimal(repr(a.tolerance)) for k in (-1, 1))
            return f"{decimal(float(low))}:{decimal(float(high))}", MOODLE
        return decimal(a.value), MOODLE
    if page.qtype in ("shortanswer", "numerical"):
        return a.text, MOODLE
    return plain_html(a.text), HTML


def _answers(page: LessonPage, pages: dict[str, int], ids: Ids, epoch: int,
             counted: bool) -> list[E]:
    if isinstance(page, ContentPage):
        return [_answer(ids.take("lesson_answers"), jump(b.jump, pages), 0, b.label, MOODLE,
                        None, epoch) for b in page.buttons]
    out = []
    for a in page.answers:
        text, fmt = _answer_text(page, a)
        # An essay scores only when the course counts essays: the lesson's grade must not
        # wait for a teacher. The teacher's comment reaches the learner either way.
        score = a.score if page.qtype != "essay" or counted else 0
        out.append(_answer(ids.take("lesson_answers"), jump(a.jump, pages), score, text, fmt,
                           a.response, epoch))
    return out


def _qoption(page: LessonPage) -> int:
    """Multichoice: several answers allowed; short answer: case sensitive."""
    if isinstance(page, QuestionPage) and page.qtype == "multichoice":
        return flag(page.multiple)
    if isinstance(page, QuestionPage) and page.qtype == "shortanswer":
        return flag(page.case_sensitive)
    return 0


def _page(page: LessonPage, n: int, order: list[int], pages: dict[str, int], ids: Ids,
          epoch: int, counted: bool) -> E:
    content = isinstance(page, ContentPage)
    body, qtype = (page.body, CONTENT) if isinstance(page, ContentPage) else (
        page.text, QTYPES[page.qtype])
    return node("page", [*fields(
        prevpageid=order[n - 1] if n else 0, nextpageid=order[n + 1] if n + 1 < len(order) else 0,
        qtype=qtype, qoption=_qoption(page),
        layout=flag(content), display=flag(content), timecreated=epoch, timemodified=0,
        title=moodle_name(page.title), contents=to_html(body), contentsformat=HTML),
        node("answers", _answers(page, pages, ids, epoch, counted)), node("branches", [])],
        id=order[n])


def _intro(unit: Unit, lesson: Lesson) -> str:
    """The lesson's own title when it is not the unit's, then its introduction."""
    own = f"<p><strong>{plain_html(lesson.title)}</strong></p>"
    head = "" if lesson.title == unit.title else own
    return head + (to_html(lesson.intro) if lesson.intro else "")


def _settings(unit: Unit, lesson: Lesson, title: str, rows: int, owner: Owner) -> list[E]:
    return fields(
        course=owner.courseid, name=title, intro=_intro(unit, lesson), introformat=HTML,
        practice=0,
        modattempts=0, usepassword=0, password="", dependency=0, conditions=NO_CONDITIONS,
        grade=100, custom=1, ongoing=0, usemaxgrade=0, maxanswers=rows,
        maxattempts=lesson.max_attempts, review=0, nextpagedefault=0, feedback=1,
        minquestions=0, maxpages=1, timelimit=0, retake=1, activitylink=0, mediafile="",
        mediaheight=100, mediawidth=650, mediaclose=0, slideshow=0, width=640, height=480,
        bgcolor="#FFFFFF", displayleft=1, displayleftif=0, progressbar=1, available=0,
        deadline=0, timemodified=owner.epoch, completionendreached=1, completiontimespent=0,
        allowofflineattempts=0)


def _rows(page: LessonPage) -> int:
    return len(page.buttons if isinstance(page, ContentPage) else page.answers)


def lesson(unit: Unit, lesson: Lesson, title: str, ids: Ids, owner: Owner,
           counted: bool = False) -> Part:
    """The Lesson activity, its pages linked by prevpageid/nextpageid in reading order."""
    cmid, instance, ctx = new_ids("lesson", ids)
    order = [ids.take("lesson_pages") for _ in lesson.pages]
    pages = {p.id: pid for p, pid in zip(lesson.pages, order, strict=True)}
    elements = [_page(p, n, order, pages, ids, owner.epoch, counted)
                for n, p in enumerate(lesson.pages)]
    rows = max([MIN_ANSWER_ROWS, *(_rows(p) for p in lesson.pages)])
    body = node("lesson", [*_settings(unit, lesson, title, rows, owner), node("pages", elements),
                           node("grades", []), node("timers", []), node("overrides", [])],
                id=instance)
    return Part("lesson", cmid, instance, ctx, title, f"{unit.id}-lesson", body,
                grading=Grading(100.0, float(lesson.pass_grade)))
