"""Moodle XML question files (qformat_xml), laid out as Moodle's own exporter writes them."""

from __future__ import annotations

import base64
import html as htmllib
from collections.abc import Callable

from .. import model as m
from ..grades import fraction_text
from ..markup import plain_html
from . import every_file
from .cloze import cloze_text
from .embed import NONE, Areas, Named
from .names import moodle_name
from .qbank import Category, LineBank, answer_value, decimal, html, unit_options

Lines = list[str]


def escape(text: str) -> str:
    """Moodle's xml_escape: CDATA when HTML escaping would change the text; ']]>' split."""
    if (text and htmllib.escape(text, quote=False) != text) or '"' in text:
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return text


def _text(tag: str, content: str, fmt: str | None, pad: int, a: Areas = NONE) -> Lines:
    """A text element; in an area `a` that carries files, with the files its HTML names."""
    sp = " " * pad
    attr = f' format="{fmt}"' if fmt else ""
    body, files = a.embed(content)
    return [f"{sp}<{tag}{attr}>", f"{sp}  <text>{escape(body)}</text>", *_files(files),
            f"{sp}</{tag}>"]


def _files(files: Named) -> Lines:
    """Moodle's `<file>` elements (its exporter writes them unindented, one a line)."""
    return [f'<file name="{htmllib.escape(name)}" path="/" encoding="base64">'
            f"{base64.b64encode(file.read()).decode('ascii')}</file>" for name, file in files]


def _flag(tag: str, value: str, pad: int = 4) -> str:
    return f"{' ' * pad}<{tag}>{value}</{tag}>"


def _number(value: float) -> str:
    return f"{value:.7f}"


def _category(cat: Category) -> Lines:
    return ["  <question type=\"category\">", "    <category>",
            f"      <text>{escape(cat.moodle_path())}</text>", "    </category>",
            *_text("info", cat.info, "html", 4),
            f"    <idnumber>{htmllib.escape(cat.idnumber)}</idnumber>", "  </question>", ""]


def _head(q: m.Question, qtype: str, a: Areas, *, grade: bool = True) -> Lines:
    lines = [f'  <question type="{qtype}">', *_text("name", moodle_name(q.name), None, 4),
             *_text("questiontext", _question_html(q), "html", 4, a),
             *_text("generalfeedback", html(q.general_feedback), "html", 4, a)]
    if grade:
        lines.append(_flag("defaultgrade", _number(q.mark)))
    penalty = 1.0 if isinstance(q, m.TrueFalse) else q.penalty
    lines += [_flag("penalty", _number(penalty)), _flag("hidden", "0"),
              _flag("idnumber", htmllib.escape(q.id))]
    return lines


def _question_html(q: m.Question) -> str:
    return cloze_text(q) if isinstance(q, m.Cloze) else html(q.text)


def _tail(q: m.Question, a: Areas, *, ordering: bool = False) -> Lines:
    lines: Lines = []
    for hint in q.hints:
        text, files = a.embed(html(hint.text))
        lines += ['    <hint format="html">', f"      <text>{escape(text)}</text>", *_files(files)]
        lines += ["      <shownumcorrect/>"] if hint.show_num_correct else []
        if hint.clear_wrong:
            lines.append("      <options>1</options>" if ordering else "      <clearwrong/>")
        lines.append("    </hint>")
    if q.tags:
        lines.append("    <tags>")
        lines += [f"      <tag><text>{escape(tag)}</text>\n</tag>" for tag in q.tags]
        lines.append("    </tags>")
    return [*lines, "  </question>", ""]


def _feedbacks(c: m.CombinedFeedback, a: Areas) -> Lines:
    return [*_text("correctfeedback", html(c.correct), "html", 4, a),
            *_text("partiallycorrectfeedback", html(c.partially_correct), "html", 4, a),
            *_text("incorrectfeedback", html(c.incorrect), "html", 4, a)]


def _combined(c: m.CombinedFeedback, a: Areas) -> Lines:
    return _feedbacks(c, a) + (["    <shownumcorrect/>"] if c.show_num_correct else [])


def _answer(fraction: float, text: str, fmt: str, feedback: str | None, a: Areas,
            extra: tuple[str, ...] = ()) -> Lines:
    body, files = a.embed(text) if fmt == "html" else (text, [])
    return [f'    <answer fraction="{fraction_text(fraction)}" format="{fmt}">',
            f"      <text>{escape(body)}</text>", *_files(files),
            *_text("feedback", html(feedback), "html", 6, a), *extra, "    </answer>"]


def _multichoice(q: m.MultiChoice, a: Areas) -> Lines:
    lines = [_flag("single", str(q.single).lower()),
             _flag("shuffleanswers", str(q.shuffle).lower()),
             _flag("answernumbering", q.numbering),
             _flag("showstandardinstruction", "1" if q.show_instruction else "0"),
             *_combined(q.combined, a)]
    for answer in q.answers:
        lines += _answer(answer.grade, html(answer.text), "html", answer.feedback, a)
    return lines


def _truefalse(q: m.TrueFalse, a: Areas) -> Lines:
    return [*_answer(100.0 if q.correct else 0.0, "true", "moodle_auto_format", q.feedback_true,
                     a),
            *_answer(0.0 if q.correct else 100.0, "false", "moodle_auto_format",
                     q.feedback_false, a)]


def _shortanswer(q: m.ShortAnswer, a: Areas) -> Lines:
    lines = [_flag("usecase", "1" if q.case_sensitive else "0")]
    for answer in q.answers:
        lines += _answer(answer.grade, answer.text, "moodle_auto_format", answer.feedback, a)
    return lines


def _numerical(q: m.Numerical, a: Areas) -> Lines:
    lines: Lines = []
    for answer in q.answers:
        tolerance = f"      <tolerance>{decimal(answer.tolerance)}</tolerance>"
        lines += _answer(answer.grade, answer_value(answer), "moodle_auto_format",
                         answer.feedback, a, (tolerance,))
    if q.units:  # unindented, as Moodle's exporter writes them
        lines += ["<units>", *(line for u in q.units for line in (
            "  <unit>", f"    <multiplier>{decimal(u.multiplier)}</multiplier>",
            f"    <unit_name>{escape(u.name)}</unit_name>", "  </unit>")), "</units>"]
    grading, show = unit_options(q)
    return [*lines, _flag("unitgradingtype", str(grading)),
            _flag("unitpenalty", _number(q.unit_penalty)), _flag("showunits", str(show)),
            _flag("unitsleft", "1" if q.unit_left else "0")]


def _matching(q: m.Matching, a: Areas) -> Lines:
    lines = [_flag("shuffleanswers", str(q.shuffle).lower()), *_combined(q.combined, a)]
    pairs = [(html(p.question), p.answer) for p in q.pairs] + [("", d) for d in q.distractors]
    for question, answer in pairs:
        text, files = a.embed(question)
        lines += ['    <subquestion format="html">', f"      <text>{escape(text)}</text>",
                  *_files(files), "      <answer>",
                  f"        <text>{escape(plain_html(answer))}</text>", "      </answer>",
                  "    </subquestion>"]
    return lines


def _essay(q: m.Essay, a: Areas) -> Lines:
    return [_flag("responseformat", q.response_format),
            _flag("responserequired", "1" if q.response_required else "0"),
            _flag("responsefieldlines", str(q.response_lines)),
            _flag("minwordlimit", str(q.min_words or "")),
            _flag("maxwordlimit", str(q.max_words or "")),
            _flag("attachments", str(q.attachments)),
            _flag("attachmentsrequired", str(q.attachments_required)),
            _flag("maxbytes", "0"), _flag("filetypeslist", ""),
            *_text("graderinfo", html(q.grader_info), "html", 4, a),
            *_text("responsetemplate", html(q.response_template), "html", 4)]


def _ordering(q: m.Ordering, a: Areas) -> Lines:
    lines = [_flag("layouttype", q.layout.upper()), _flag("selecttype", q.select.upper()),
             _flag("selectcount", str(q.select_count)), _flag("gradingtype", q.grading.upper()),
             _flag("showgrading", "SHOW" if q.show_grading else "HIDE"),
             _flag("numberingstyle", q.numbering), *_feedbacks(q.combined, a),
             _flag("shownumcorrect", "1" if q.combined.show_num_correct else "0")]
    for position, item in enumerate(q.items, start=1):
        lines += [f'    <answer fraction="{position}" format="html">',
                  f"      <text>{escape(htmllib.escape(item, quote=False))}</text>",
                  "    </answer>"]
    return lines


def _gapselect(q: m.GapSelect, a: Areas) -> Lines:
    lines = [_flag("shuffleanswers", "1" if q.shuffle else "0"), *_combined(q.combined, a)]
    for choice in q.choices:
        lines += ["    <selectoption>", f"      <text>{escape(plain_html(choice.text))}</text>",
                  f"      <group>{choice.group}</group>", "    </selectoption>"]
    return lines


def _ddwtos(q: m.DragText, a: Areas) -> Lines:
    lines = [_flag("shuffleanswers", "1" if q.shuffle else "0"), *_combined(q.combined, a)]
    for choice in q.choices:
        lines += ["    <dragbox>", f"      <text>{escape(plain_html(choice.text))}</text>",
                  f"      <group>{choice.group}</group>",
                  *(["      <infinite/>"] if choice.unlimited else []), "    </dragbox>"]
    return lines


_BODY: dict[type, tuple[str, Callable[..., Lines]]] = {
    m.MultiChoice: ("multichoice", _multichoice), m.TrueFalse: ("truefalse", _truefalse),
    m.ShortAnswer: ("shortanswer", _shortanswer), m.Numerical: ("numerical", _numerical),
    m.Matching: ("matching", _matching), m.Essay: ("essay", _essay),
    m.Ordering: ("ordering", _ordering), m.GapSelect: ("gapselect", _gapselect),
    m.Cloze: ("cloze", lambda q, a: []), m.DragText: ("ddwtos", _ddwtos),
    m.Description: ("description", lambda q, a: []),
}


def question_xml(q: m.Question, a: Areas = NONE) -> Lines:
    """The `<question>` element of one question, as lines (with the files it names in `a`)."""
    qtype, body = _BODY[type(q)]
    cloze = isinstance(q, m.Cloze)
    return [*_head(q, qtype, a, grade=not cloze), *body(q, a),
            *_tail(q, a, ordering=isinstance(q, m.Ordering))]


def _lines(categories: list[Category], a: Areas) -> list[str]:
    """Each category item followed by its questions."""
    lines: list[str] = []
    for cat in categories:
        lines += _category(cat)
        for q in cat.questions:
            lines += question_xml(q, a)
    return lines


# `<unit>/questions.xml`, the unit's bank, and `questions.xml`, the whole course's
FILES = LineBank("questions.xml", _lines, ('<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"),
                 "\n</quiz>")
unit_files, unit_part = FILES.unit_files, FILES.unit_part
course_from_parts, course_files = FILES.course_from_parts, FILES.course_files
course_stream = FILES.course_stream


def write(catalogue: m.Catalogue) -> dict[str, bytes]:
    """`<unit>/questions.xml` for each unit and `questions.xml` for the whole course."""
    return every_file(catalogue, unit_files, course_files)
