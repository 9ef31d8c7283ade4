"""A unit's self-contained HTML5 revision module (one SCO): its pages, quiz, styles and runtime."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from html import escape
from importlib import resources
from string import Template
from typing import Any
from urllib.parse import quote

from ...markup import to_html
from ...media.links import point
from ...model import Catalogue, MediaFile, Question, Unit
from ..names import per_unit, route_label
from .quiz import answer_budget, fingerprint, markable, quiz_questions
from .section import Other, quiz

SUSPEND_LIMIT_12 = 4096
RUNTIMES = ("scorm12", "scorm2004", "none")
# the module's files, the scripts in load order
STATIC = ("style.css", "sco.js", "marking.js", "quiz.js", "dragdrop.js", "site.js")
# suspend_data (written by static/site.js) is "1|fp|p|seen|score|s|a~a~...": version 1; fp, four
# hex characters of the pages' and questions' shape (a changed module starts afresh); p, the
# current page's index as one character; seen, one 0/1 per page; score, hundredths of a percent in
# three base-36 digits (empty before the first submission); s, 1 while the submitted quiz is
# shown; then one answer per quiz question, each at most quiz.answer_budget() long.
_STATE_FIXED = 1 + 4 + 1 + 3 + 1 + 6  # the fixed fields and the six '|' between the seven fields
SectionBody = Callable[[Catalogue, Unit], str]


def _items(texts: tuple[str, ...], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{to_html(t)}</li>" for t in texts) + "</ul>\n"


def _about(catalogue: Catalogue, unit: Unit) -> str:
    rows = []
    if unit.awarding_body:
        rows.append(("Awarding body", escape(unit.awarding_body)))
    for q in unit.qualifications:
        rows.append(("Qualification", f"{escape(q.title)} <span class=\"muted\">(Level {q.level}, "
                                      f"{escape(q.framework)})</span>"))
    rows.append(("Assessment", escape(route_label(unit.assessment_route))))
    rows.append(("Subject area", escape(unit.subject_area)))
    cells = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in rows)
    return f'<dl class="facts">{cells}</dl>\n'


def _overview(catalogue: Catalogue, unit: Unit) -> str:
    html = f'<div class="lead">{to_html(unit.synopsis)}</div>\n' + _about(catalogue, unit)
    html += "".join(f"{to_html(p)}\n" for p in unit.overview)
    if unit.prerequisites:
        html += '<h3 id="before-you-start">Before you start</h3>\n' + _items(unit.prerequisites)
    return html


def _term_link(catalogue: Catalogue, unit: Unit, term_id: str) -> str:
    name = escape(catalogue.term(term_id).term)
    if term_id in unit.key_terms:
        return f'<li><a class="chip" href="#term-{term_id}">{name}</a></li>'
    return f'<li><span class="chip">{name}</span></li>'


def _concepts(catalogue: Catalogue, unit: Unit) -> str:
    parts = []
    for n, c in enumerate(unit.key_concepts, start=1):
        terms = "".join(_term_link(catalogue, unit, t) for t in c.terms)
        chips = (f'<p class="chips-label" id="concept-{n}-terms">Key terms</p>'
                 f'<ul class="chips" aria-labelledby="concept-{n}-terms">{terms}</ul>'
                 if terms else "")
        parts.append(f'<div class="card" id="concept-{n}"><h3>{escape(c.name)}</h3>\n'
                     f"{to_html(c.explanation)}\n{chips}</div>\n")
    return "".join(parts)


def _outcomes(catalogue: Catalogue, unit: Unit) -> str:
    parts = ['<p class="lead">What you must know and be able to do.</p>\n']
    for n, lo in enumerate(unit.outcomes, start=1):
        rows = []
        for k, ac in enumerate(lo.criteria, start=1):
            rows.append(f'<li class="criterion" id="ac-{ac.id}"><span class="ac-num">{n}.{k}'
                        f'</span><div class="ac-body">{to_html(ac.text)}</div></li>\n')
        parts.append(f'<div class="card outcome" id="lo-{lo.id}"><h3><span class="lo-num">'
                     f"Learning outcome {n}</span> {escape(lo.statement)}</h3>\n"
                     f'<ol class="criteria">\n{"".join(rows)}</ol></div>\n')
    return "".join(parts)


def _assessment(catalogue: Catalogue, unit: Unit) -> str:
    html = ""
    if unit.guidance:
        html += '<h3 id="guidance">Assessment guidance</h3>\n' + _items(unit.guidance, "tips")
    if unit.exam_tips:
        html += '<h3 id="exam-tips">Exam tips</h3>\n' + _items(unit.exam_tips, "tips")
    return html


def _mistakes(catalogue: Catalogue, unit: Unit) -> str:
    html = ""
    if unit.common_mistakes:
        html += '<h3 id="common-mistakes">Common mistakes</h3>\n' + _items(unit.common_mistakes,
                                                                           "mistakes")
    if unit.misconceptions:
        cards = "".join(
            f'<div class="myth"><p class="myth-claim"><span class="tag tag-myth">Myth</span> '
            f'{escape(mc.claim)}</p><div class="myth-fix"><span class="tag tag-fact">In fact'
            f"</span> {to_html(mc.correction)}</div></div>\n" for mc in unit.misconceptions)
        html += '<h3 id="misconceptions">Misconceptions</h3>\n' + cards
    return html


def _terms(catalogue: Catalogue, unit: Unit) -> str:
    rows = []
    for term_id in unit.key_terms:
        t = catalogue.term(term_id)
        aliases = (f'<p class="aliases">Also called: {escape(", ".join(t.aliases))}</p>'
                   if t.aliases else "")
        definition = point(to_html(t.definition), "", _files(catalogue.media), address)[0]
        rows.append(f'<div class="term" id="term-{t.id}"><dt>{escape(t.term)}</dt>'
                    f"<dd>{definition}{aliases}</dd></div>\n")
    return f'<dl class="glossary">\n{"".join(rows)}</dl>\n'


_SECTIONS: tuple[tuple[str, str, str, Callable[[Unit], bool], SectionBody], ...] = (
    ("overview", "Overview", "Overview", lambda u: True, _overview),
    ("key-concepts", "Key concepts", "Key concepts", lambda u: bool(u.key_concepts), _concepts),
    ("outcomes", "Learning outcomes", "Learning outcomes and assessment criteria",
     lambda u: bool(u.outcomes), _outcomes),
    ("assessment", "Assessment tips", "Assessment guidance and exam tips",
     lambda u: bool(u.guidance or u.exam_tips), _assessment),
    ("mistakes", "Mistakes to avoid", "Common mistakes and misconceptions",
     lambda u: bool(u.common_mistakes or u.misconceptions), _mistakes),
    ("key-terms", "Key terms", "Key terms", lambda u: bool(u.key_terms), _terms),
)
_QUIZ = ("quiz", "Self-check quiz", "Self-check quiz")


def section_ids(unit: Unit) -> list[str]:
    """The ids of the module's pages, in reading order; a page with nothing to show is left out."""
    ids = [sid for sid, _, _, present, _ in _SECTIONS if present(unit)]
    return ids + ([_QUIZ[0]] if quiz_questions(unit) else [])


def state_budget(unit: Unit) -> int:
    """The longest suspend_data string the module can ever write for this unit (worst case)."""
    questions = quiz_questions(unit)
    answers = sum(answer_budget(q) for q in questions) + max(len(questions) - 1, 0)
    return _STATE_FIXED + len(section_ids(unit)) + answers


def _section(sid: str, title: str, body: str) -> str:
    return (f'<section class="page" id="{sid}" aria-labelledby="{sid}-title">\n'
            f'<h2 id="{sid}-title" tabindex="-1">{escape(title)}</h2>\n{body}</section>\n')


@per_unit
def _pages(catalogue: Catalogue, unit: Unit) -> tuple[list[tuple[str, str]], str, list[object]]:
    """(id, contents label) per page, the pages' HTML and the quiz's answer key."""
    toc, html = [], []
    for sid, nav, title, present, body in _SECTIONS:
        if present(unit):
            toc.append((sid, nav))
            html.append(_section(sid, title, body(catalogue, unit)))
    key: list[object] = []
    if quiz_questions(unit):
        quiz_html, entries = quiz(unit, unit.mastery_score)
        key = list(entries)
        toc.append(_QUIZ[:2])
        html.append(_section(_QUIZ[0], _QUIZ[2], quiz_html))
    return toc, "".join(html), key


def _toc(toc: list[tuple[str, str]]) -> str:
    return "".join(f'<li><a href="#{sid}" data-page="{sid}"><span class="toc-n">{n}</span>'
                   f'<span class="toc-label">{escape(label)}</span><span class="toc-seen" '
                   f'hidden><span aria-hidden="true">✓</span><span class="sr-only"> (seen)'
                   f"</span></span></a></li>\n" for n, (sid, label) in enumerate(toc, start=1))


def _json(data: object) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _static(name: str) -> bytes:
    return (resources.files(__package__ or "") / "static" / name).read_bytes()


def learning_object(catalogue: Catalogue, unit: Unit, runtime: str) -> dict[str, bytes]:
    """The files of the unit's self-contained HTML5 revision module, by path, 'index.html' first.

    runtime: 'scorm12', 'scorm2004' or 'none' (no tracking: an IMS content package or a file on
    disk)."""
    if runtime not in RUNTIMES:
        raise ValueError(f"unknown runtime {runtime!r}: expected one of {', '.join(RUNTIMES)}")
    toc, pages, key = _pages(catalogue, unit)
    state = {"version": "1", "fp": fingerprint([sid for sid, _ in toc], quiz_questions(unit)),
             "pages": [sid for sid, _ in toc], "budget": state_budget(unit)}
    return _module(catalogue, unit, runtime, (toc, pages, key), state)


def quiz_page(catalogue: Catalogue, unit: Unit, items: Sequence[Question], other: Other,
              title: str) -> dict[str, bytes]:
    """The module's files with one page, `title`: `items` as a quiz to answer, untracked (the
    module's scripts mark what they can; `other` shows the rest)."""
    html, key = quiz(unit, unit.mastery_score, items, other)
    toc = [(_QUIZ[0], title)]
    state = {"version": "1", "fp": fingerprint([_QUIZ[0]], [q for q in items if markable(q)]),
             "pages": [_QUIZ[0]], "budget": 0}
    return _module(catalogue, unit, "none", (toc, _section(_QUIZ[0], title, html), key), state)


def _module(catalogue: Catalogue, unit: Unit, runtime: str,
            made: tuple[list[tuple[str, str]], str, Sequence[object]],
            state: dict[str, object]) -> dict[str, bytes]:
    """The module's files: its page (with the pages, contents and key `made`), scripts, media."""
    toc, pages, key = made
    base, files = f"units/{unit.id}", _files(unit.media)
    pages, key = point(pages, base, files, address)[0], _pointed(key, base, files)
    page = Template((resources.files(__package__ or "") / "templates" / "sco-page.html")
                    .read_text(encoding="utf-8")).substitute(
        lang=escape(catalogue.language), runtime=runtime, mastery=unit.mastery_score,
        title=escape(unit.title), course=escape(catalogue.title),
        body_label=escape(unit.awarding_body or catalogue.organisation),
        toc=_toc(toc), total=len(toc), pages=pages, organisation=escape(catalogue.organisation),
        licence=escape(catalogue.licence), key=_json({"state": state, "questions": key}))
    carried = {f"{MEDIA}/{f.path}": f.read() for f in (*unit.media, *catalogue.media)
               if _named(page, address(f))}
    return {"index.html": page.encode("utf-8"), **{name: _static(name) for name in STATIC},
            **dict(sorted(carried.items()))}


MEDIA = "media"  # the package's folder of media files, each at its path in the source folder


def address(file: MediaFile) -> str:
    """Where the module's pages find a media file: inside the package."""
    return f"{MEDIA}/{quote(file.path)}"


def _named(page: str, found: str) -> bool:
    """True when the page names the address: in an attribute, or in the quiz key's JSON."""
    return any(f'"{found}{end}' in page for end in ('"', "#", "\\"))  # \\: JSON's \\"


def _files(media: tuple[MediaFile, ...]) -> dict[str, MediaFile]:
    return {f.path: f for f in media}


def _pointed(value: Any, base: str, files: dict[str, MediaFile]) -> Any:
    """The quiz key with the media addresses in its HTML pointed into the package."""
    if isinstance(value, str):
        return point(value, base, files, address)[0] if files else value
    if isinstance(value, list):
        return [_pointed(item, base, files) for item in value]
    if isinstance(value, dict):
        return {k: _pointed(item, base, files) for k, item in value.items()}
    return value
