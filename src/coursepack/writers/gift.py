"""GIFT question files (qformat_gift): all GIFT can express; the rest left out, with a warning."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass

from .. import model as m
from ..diagnostics import Diagnostic, Severity, located, quote
from ..grades import fraction_text
from ..markup import plain_html
from ..media.refs import refs
from . import every_file
from .embed import Areas
from .names import moodle_name
from .qbank import Category, LineBank, answer_value, bank, decimal, html

# Moodle's GIFT reader turns these placeholder runs into characters whatever surrounds them.
_PLACEHOLDER = re.compile(r"&&0(?:58;|35;|61;|123;|125;|126;|10)")

# Moodle decides an uploaded file's type by its extension, or else by its content: a GIFT file
# named .gift whose questions hold HTML such as a table or a link is taken for text/html, and the
# import page refuses it. Moodle's own GIFT export writes .txt, which is always text/plain.
FILENAME = "questions.gift.txt"


_SPECIALS = "~=#{}:\\"


def escape(text: str) -> str:
    """Escape GIFT's special characters with a backslash; newlines become \\n."""
    out = text.replace("\\", "\\\\")
    for ch in "~=#{}:":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def _feedback(markdown: str | None) -> str:
    return "#" + escape(html(markdown)) if markdown else ""


def _general(q: m.Question) -> list[str]:
    return [f"\t####{escape(html(q.general_feedback))}"] if q.general_feedback else []


def _weight(grade: float) -> str:
    return f"%{fraction_text(grade)}%"


def _multichoice(q: m.MultiChoice) -> list[str]:
    lines = []
    for a in q.answers:
        if q.single and a.grade == 100:
            mark = "="
        elif a.grade == 0:
            mark = "~"
        else:
            mark = "~" + _weight(a.grade)
        lines.append(f"\t{mark}{escape(html(a.text))}{_feedback(a.feedback)}")
    return ["{", *lines, *_general(q), "}"]


def _truefalse(q: m.TrueFalse) -> list[str]:
    """`{TRUE#feedback if answered wrongly#feedback if answered rightly####general}`."""
    wrong, right = ((q.feedback_false, q.feedback_true) if q.correct
                    else (q.feedback_true, q.feedback_false))
    feedback = ""
    if wrong or right:
        feedback = "#" + escape(html(wrong)) + ("#" + escape(html(right)) if right else "")
    general = f"####{escape(html(q.general_feedback))}" if q.general_feedback else ""
    return ["{" + ("TRUE" if q.correct else "FALSE") + feedback + general + "}"]


def _shortanswer(q: m.ShortAnswer) -> list[str]:
    lines = [f"\t={_weight(a.grade)}{escape(a.text)}{_feedback(a.feedback)}" for a in q.answers]
    return ["{", *lines, *_general(q), "}"]


def _numerical(q: m.Numerical) -> list[str]:
    lines = [f"\t~{_feedback(a.feedback) or '#'}" if a.value is None else
             f"\t={_weight(a.grade)}{answer_value(a)}:{decimal(a.tolerance)}"
             f"{_feedback(a.feedback)}" for a in q.answers]
    return ["{#", *lines, *_general(q), "}"]


def _matching(q: m.Matching) -> list[str]:
    pairs = [(escape(html(p.question)), p.answer) for p in q.pairs]
    pairs += [("", d) for d in q.distractors]
    lines = [f"\t={left} -> {escape(plain_html(right))}" for left, right in pairs]
    return ["{", *lines, *_general(q), "}"]


def _essay(q: m.Essay) -> list[str]:
    return ["{" + (f"####{escape(html(q.general_feedback))}" if q.general_feedback else "")
            + "}"]


def _ordering(q: m.Ordering) -> list[str]:
    head = (f">{q.select_count} {q.select.upper()} {q.layout.upper()} {q.grading.upper()} "
            f"{'SHOW' if q.show_grading else 'HIDE'} {q.numbering}")
    return ["{" + head, *(htmllib.escape(item, quote=False) for item in q.items), "}"]


_BODY: dict[type, Callable[..., list[str]]] = {
    m.MultiChoice: _multichoice, m.TrueFalse: _truefalse, m.ShortAnswer: _shortanswer,
    m.Numerical: _numerical, m.Matching: _matching, m.Essay: _essay, m.Ordering: _ordering,
    m.Description: lambda q: [""],  # text and no answers: Moodle's GIFT reader's description
}


def _plain_fields(q: m.Question) -> list[str]:
    fields = [q.name]
    if isinstance(q, m.ShortAnswer):
        fields += [a.text for a in q.answers]
    if isinstance(q, m.Matching):
        fields += [p.answer for p in q.pairs] + list(q.distractors)
    return fields


def problems(q: m.Question) -> list[str]:
    """Why a question cannot be written to GIFT exactly (empty when it can)."""
    if type(q) not in _BODY:
        return [f"GIFT has no syntax for {q.qtype} questions"]
    found = [f"{quote(text)} holds '{run}', which Moodle's GIFT reader turns into another character"
             for text in _plain_fields(q) for run in _PLACEHOLDER.findall(text)]
    if isinstance(q, m.Numerical) and any(a.value is None and (a.grade or a is not q.answers[-1])
                                          for a in q.answers):
        found.append("GIFT's '*' answer (any other number) comes last and carries no grade")
    if isinstance(q, m.Numerical) and q.units:
        found.append("GIFT has no syntax for a numerical question's units")
    if isinstance(q, m.Description) and q.general_feedback:
        found.append("GIFT cannot carry a description's general feedback")
    if isinstance(q, m.ShortAnswer) and q.case_sensitive:
        found.append("GIFT cannot mark a short answer as case-sensitive")
    if isinstance(q, m.Ordering):
        found += [f"ordering item {quote(item)} holds one of ~ = # {{ }} : \\, which GIFT ordering "
                  "items cannot escape" for item in q.items if set(item) & set(_SPECIALS)]
    if isinstance(q, m.Ordering) and q.grading == "longest_ordered_subset":
        found.append("Moodle's GIFT reader cannot read the grading type LONGEST_ORDERED_SUBSET")
    named = sorted({ref.shown for text in _texts(q) for ref in refs(text) if ref.path})
    if named:
        found.append(f"GIFT cannot carry the files it names ({', '.join(map(quote, named))})")
    return found


def _texts(item: object) -> list[str]:
    """Every text of a model object and the objects it holds (names, Markdown, plain): for
    rules about what any text may name."""
    found: list[str] = []
    stack = [item]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is str:
            found.append(value)  # type: ignore[arg-type]
        elif kind is tuple:
            stack.extend(value)  # type: ignore[arg-type]
        elif kind not in _SCALARS:
            stack.extend([getattr(value, name) for name in _compared(kind)])
    return found


_SCALARS = frozenset({int, float, bool, type(None)})
_COMPARED: dict[type, tuple[str, ...]] = {}


def _compared(kind: type) -> tuple[str, ...]:
    """The fields of a dataclass that are part of its value (none for any other type)."""
    found = _COMPARED.get(kind)
    if found is None:
        found = _COMPARED[kind] = tuple(f.name for f in fields(kind) if f.compare) \
            if is_dataclass(kind) else ()
    return found


def question_gift(q: m.Question) -> list[str]:
    """One question in GIFT: its id and tags comment, then name, text and answers."""
    meta = " ".join([f"[id:{q.id.replace(']', chr(92) + ']')}]"] +
                    [f"[tag:{t.replace(']', chr(92) + ']')}]" for t in q.tags])
    body = _BODY[type(q)](q)
    first = f"::{escape(moodle_name(q.name))}::[html]{escape(html(q.text))}{body[0]}"
    return [f"// {meta}", first, *body[1:], ""]


def _lines(categories: list[Category], a: Areas) -> list[str]:
    """A $CATEGORY line before each category's questions (those GIFT can hold: none that
    names a file, whatever the area `a` carries)."""
    lines: list[str] = []
    for cat in categories:
        lines += [f"$CATEGORY: {cat.moodle_path()}", ""]
        for q in cat.questions:
            if not problems(q):
                lines += question_gift(q)
    return lines


# `<unit>/questions.gift.txt` and `questions.gift.txt`: the questions GIFT can hold
FILES = LineBank(FILENAME, _lines)
unit_files, unit_part = FILES.unit_files, FILES.unit_part
course_from_parts, course_files = FILES.course_from_parts, FILES.course_files
course_stream = FILES.course_stream


def write(catalogue: m.Catalogue) -> dict[str, bytes]:
    """`<unit>/questions.gift.txt` for each unit and `questions.gift.txt` for the whole course."""
    return every_file(catalogue, unit_files, course_files)


def unit_warnings(catalogue: m.Catalogue, unit: m.Unit) -> Iterator[Diagnostic]:
    """A warning for each of the unit's questions left out of the GIFT files, with the reason."""
    for cat in bank(catalogue, (unit,)):
        for q in cat.questions:
            for reason in problems(q):
                message = (f"{q.qtype} question '{q.id}' is left out of "
                           f"{unit.id}/{FILENAME}: {reason}; it is in questions.xml")
                yield located(q.origin, Severity.WARNING, message, "gift-omitted")
