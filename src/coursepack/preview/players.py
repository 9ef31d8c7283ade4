"""The preview's activities to work through: the lesson (its pages, answers and jumps, played
as Moodle's lesson plays them), the quizzes (answerable, marked as Moodle marks) and the SCORM
module inside a runtime that shows what it reports."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import quote

from .. import model as m
from ..htmltext import plain
from ..markup import plain_html, to_html
from ..writers.mbz.units import unit_quizzes
from ..writers.module.quiz import head, text_box
from ..writers.module.site import quiz_page
from ..writers.names import activity_names
from .clozeview import cloze_box
from .live import Snapshot
from .pages import frame, json_attr, pointer

SUSPEND_LIMITS = {"scorm12": 4096, "scorm2004": 64000}


def _lesson_page(cat: m.Catalogue, page: m.LessonPage,
                 pointed: Callable[[str], str]) -> dict[str, Any]:
    if isinstance(page, m.ContentPage):
        return {"id": page.id, "title": page.title, "kind": "content",
                "html": pointed(to_html(page.body)),
                "buttons": [{"label": b.label, "to": b.jump} for b in page.buttons]}
    # an essay scores only when the course counts essays, as the backup writes it
    counted = page.qtype != "essay" or cat.essays_count
    answers = [{"html": plain_html(a.text), "text": a.text, "to": a.jump,
                "score": a.score if counted else 0,
                "correct": a.correct,
                "response": pointed(to_html(a.response)) if a.response else "",
                "value": a.value, "tol": a.tolerance} for a in page.answers]
    return {"id": page.id, "title": page.title, "kind": page.qtype,
            "html": pointed(to_html(page.text)), "answers": answers,
            "multiple": page.multiple, "cs": page.case_sensitive}


def lesson(snap: Snapshot, unit: m.Unit) -> str:
    """The lesson player: its pages as data, played by lesson.js as Moodle plays them."""
    cat = snap.catalogue
    assert cat is not None and unit.lesson is not None
    les, pointed = unit.lesson, pointer(cat, unit)
    data = {"title": les.title, "maxAttempts": les.max_attempts, "passGrade": les.pass_grade,
            "intro": pointed(to_html(les.intro)) if les.intro else "",
            "pages": [_lesson_page(cat, p, pointed) for p in les.pages]}
    title = activity_names(cat, unit)["lesson"]
    intro = f'<div class="pv-lintro">{data["intro"]}</div>\n' if data["intro"] else ""
    body = (f"<h1>{escape(title)}</h1>\n{intro}<div class=\"pv-lesson\" id=\"lesson\" "
            f'data-lesson="{json_attr(data)}"><p>Loading the lesson…</p></div>\n'
            '<script src="/static/lesson.js" defer></script>\n')
    return frame(snap, title, body, unit=unit, active="lesson")


def quiz_items(cat: m.Catalogue, unit: m.Unit, written: bool) -> list[m.Question]:
    """A quiz's questions in the order the backup places them: the marked quiz's, or the
    written-answers quiz's."""
    return unit_quizzes(cat, unit)[written]


def quiz_files(snap: Snapshot, unit: m.Unit, written: bool) -> dict[str, bytes]:
    """A quiz as a one-page module: the questions its scripts mark, and the others (cloze,
    essay) shown and marked by the preview's own script."""
    cat = snap.catalogue
    assert cat is not None
    title = activity_names(cat, unit)["written" if written else "quiz"]
    files = quiz_page(cat, unit, quiz_items(cat, unit, written), _other, title)
    page = files["index.html"].decode("utf-8").replace(
        "</head>", '<script src="/static/cloze.js"></script>\n'
        '<link rel="stylesheet" href="/static/inquiz.css">\n</head>', 1)
    return {**files, "index.html": page.encode("utf-8")}


def _other(q: m.Question, n: int, total: int) -> str:
    """A question the module's scripts do not mark: a cloze (marked here), an essay (graded by a
    teacher), or one with more parts than the module numbers."""
    if isinstance(q, m.Cloze):
        return cloze_box(q, n, total)
    if isinstance(q, m.Essay):
        return _essay(q, n, total)
    return (head(q, n, total, "Question", -1) + text_box(q) +
            '<p class="pv-note">The preview cannot mark this question: it has more parts than '
            "it numbers. Moodle shows and marks it.</p></article>\n")


def _essay(q: m.Essay, n: int, total: int) -> str:
    limits = {"min": q.min_words, "max": q.max_words}
    template = to_html(q.response_template) if q.response_template else ""
    box = "" if q.response_format == "noinline" else (
        f'<textarea class="pv-essay-text" rows="{min(q.response_lines, 30)}" '
        f'aria-label="Answer text, question {n}">{escape(_plain(template))}</textarea>')
    files = (f'<p class="pv-muted">Files: up to {q.attachments if q.attachments > 0 else "any"}'
             f', {q.attachments_required} required (uploaded in Moodle).</p>'
             if q.attachments else "")
    return (head(q, n, total, "Essay", -1).replace('class="question"',
                                                   'class="question pv-essay"', 1)
            + text_box(q) + f'<div data-limits="{json_attr(limits)}" '
            f'data-required="{int(q.response_required)}">{box}{files}</div>'
            '<div class="q-actions"><button type="button" class="btn pv-essay-check">'
            'Check answer</button></div><div class="q-feedback" aria-live="polite"></div>'
            "</article>\n")


def _plain(html: str) -> str:
    """A response template's text for a plain text box: its paragraphs, a blank line apart."""
    words = (plain(m.Html(part)) for part in re.split(r"</p>|<br\s*/?>", html))
    return "\n\n".join(w for w in words if w)


def scorm(snap: Snapshot, unit: m.Unit, runtime: str) -> str:
    """The unit's SCORM package in a runtime that shows what it reports to Moodle."""
    cat = snap.catalogue
    assert cat is not None
    title = activity_names(cat, unit)["scorm"]
    other = "scorm2004" if runtime == "scorm12" else "scorm12"
    labels = {"scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004"}
    src = f"/units/{quote(unit.id)}/sco/{runtime}/index.html"
    body = ('<script src="/static/runtime.js"></script>\n'
            f"<h1>{escape(title)}</h1>\n<p class=\"pv-muted\">Playing the {labels[runtime]} "
            f'package. <a href="?runtime={other}">Play the {labels[other]} package</a>. The '
            "panel shows what Moodle would record.</p>\n"
            f'<div class="pv-scorm" data-runtime="{runtime}" '
            f'data-limit="{SUSPEND_LIMITS[runtime]}" data-mastery="{unit.mastery_score}">'
            '<aside class="pv-runtime" aria-label="What the package reports"><dl>'
            '<dt>Status</dt><dd data-show="status">not attempted</dd>'
            '<dt>Score</dt><dd data-show="score">none</dd>'
            '<dt>Resume state</dt><dd data-show="suspend">0 characters</dd>'
            '<dt>Location</dt><dd data-show="location">none</dd>'
            '<dt>Interactions</dt><dd data-show="interactions">0</dd></dl>'
            '<ol class="pv-interactions"></ol><details><summary>Calls</summary>'
            '<ol class="pv-calls"></ol></details></aside>'
            f'<iframe class="pv-sco" title="{escape(title)}" src="{src}"></iframe></div>\n')
    return frame(snap, title, body, unit=unit, active="scorm")


def quiz(snap: Snapshot, unit: m.Unit, written: bool) -> str:
    """A quiz tab: the quiz, answerable in a frame."""
    cat = snap.catalogue
    assert cat is not None
    module = "written" if written else "quiz"
    title = activity_names(cat, unit)[module]
    src = f"/units/{quote(unit.id)}/{module}/index.html"
    body = f'<iframe class="pv-quiz" title="{escape(title)}" src="{src}"></iframe>\n'
    return frame(snap, title, body, unit=unit, active=module)
