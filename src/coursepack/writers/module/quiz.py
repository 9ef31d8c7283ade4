"""The revision module's self-check quiz: question HTML, its answer key and its state budget."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape
from typing import Any

from ... import model as m
from ...markup import to_html, to_inline_html
from ...qchecks import GAPSELECT_MARK
from ..qbank import decimal, unit_options

SHORT_MAXLENGTH = 80  # characters a learner may type for a short answer
NUMBER_MAXLENGTH = 24  # ... and for a number
ESCAPED = 3  # a typed character takes at most this many characters in suspend_data ('%' -> '%25')
IDS = "abcdefghijklmnopqrstuvwxyz0123456789"  # one character per option, item or gap
MARKABLE = (m.MultiChoice, m.TrueFalse, m.ShortAnswer, m.Numerical, m.Matching, m.Ordering,
            m.GapSelect)
GAP = GAPSELECT_MARK
Key = dict[str, Any]


def _parts(q: m.Question) -> int:
    """How many options, items or gaps the question needs one identifier character for."""
    if isinstance(q, m.MultiChoice):
        return len(q.answers)
    if isinstance(q, m.Matching):
        return max(len(q.pairs), len(match_options(q)))
    if isinstance(q, m.Ordering):
        return len(q.items)
    if isinstance(q, m.GapSelect):
        return max(len(GAP.findall(q.text)), len(q.choices))
    if isinstance(q, m.Numerical):
        return len(q.units)
    return 0


def quiz_questions(unit: m.Unit) -> list[m.Question]:
    """The self-check's questions (`Unit.practice`, never the quiz's) that a browser can mark:
    cloze is left out, and so is a question with more options, items or gaps than one
    character can number."""
    return [q for q in unit.practice if isinstance(q, MARKABLE) and _parts(q) <= len(IDS)]


def quiz_items(unit: m.Unit) -> list[m.Question]:
    """What the self-check shows, in order: its questions and the descriptions among them."""
    marked = set(map(id, quiz_questions(unit)))
    return [q for q in unit.practice if id(q) in marked or isinstance(q, m.Description)]


def answer_budget(q: m.Question) -> int:
    """The longest encoding of one question's answer in suspend_data."""
    if isinstance(q, m.ShortAnswer):
        return ESCAPED * SHORT_MAXLENGTH
    if isinstance(q, m.Numerical):
        return ESCAPED * number_length(q) + (1 if unit_options(q)[1] in (1, 2) else 0)
    if isinstance(q, m.MultiChoice) and not q.single:
        return len(q.answers)
    if isinstance(q, m.Matching):
        return len(q.pairs)
    if isinstance(q, m.Ordering):
        return len(q.items)
    if isinstance(q, m.GapSelect):
        return len(GAP.findall(q.text))
    return 1


def fingerprint(section_ids: Sequence[str], questions: Sequence[m.Question]) -> str:
    """Four characters that change when a saved state would no longer fit the module."""
    shape = [*section_ids, *(f"{q.id}:{q.qtype}:{_parts(q)}" for q in questions)]
    return hashlib.sha256("\n".join(shape).encode("utf-8")).hexdigest()[:4]


def _mixed(qid: str, texts: Sequence[str]) -> list[int]:
    """A fixed, shuffled-looking order of indexes: the same question always gives the same."""
    def digest(i: int) -> str:
        return hashlib.sha256(f"{qid}\x1f{i}\x1f{texts[i]}".encode()).hexdigest()
    return sorted(range(len(texts)), key=digest)


def _alphabetical(texts: Sequence[str]) -> list[int]:
    return sorted(range(len(texts)), key=lambda i: (texts[i].casefold(), i))


def match_options(q: m.Matching) -> list[str]:
    """The answers a matching question offers: each pair's answer once, then the distractors."""
    return list(dict.fromkeys([p.answer for p in q.pairs] + list(q.distractors)))


def _html(text: str | None) -> str:
    return to_html(text) if text else ""


def _numbering(style: str, n: int) -> str:
    """The label Moodle shows before the n-th (0-based) choice in a numbering style."""
    romans = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
    labels = {"abc": IDS[n] if n < 26 else str(n + 1), "ABCD": IDS[n].upper() if n < 26 else
              str(n + 1), "123": str(n + 1), "iii": romans[n] if n < 12 else str(n + 1),
              "IIII": romans[n].upper() if n < 12 else str(n + 1)}
    return f"{labels[style]}." if style in labels else ""


def cmi12_ids(questions: Sequence[m.Question]) -> list[str]:
    """A SCORM 1.2 CMIIdentifier (letters, digits, '-', '_') per question, distinct."""
    found: list[str] = []
    for q in questions:
        base = re.sub(r"[^A-Za-z0-9_-]", "_", q.id)
        ident, n = base, 2
        while ident in found:
            ident, n = f"{base}-{n}", n + 1
        found.append(ident)
    return found


def _combined(c: m.CombinedFeedback) -> Key:
    return {"cf": [_html(c.correct), _html(c.partially_correct), _html(c.incorrect)],
            "num": c.show_num_correct}


def head(q: m.Question, n: int, total: int, kind: str, qi: int | None = None) -> str:
    """A question box's opening and heading: "Question n of total", its kind and mark; `qi`,
    its place in the answer key (default n - 1), or None for a question the key leaves out."""
    mark = f"{q.mark:g} mark" + ("" if q.mark == 1 else "s")
    data = f' data-qi="{n - 1 if qi is None else qi}"' if qi != -1 else ""
    return (f'<article class="question" id="q-{q.id}"{data} '
            f'aria-labelledby="q-{q.id}-h">\n<div class="q-head"><h3 id="q-{q.id}-h">'
            f'Question {n} <span class="q-of">of {total}</span></h3>'
            f'<p class="q-meta"><span class="q-kind">{kind}</span> '
            f'<span class="q-mark">{mark}</span></p></div>\n')


def text_box(q: m.Question, body: str | None = None) -> str:
    """The question's text (or `body`, its HTML made otherwise)."""
    html = body if body is not None else to_html(q.text)
    return f'<div class="q-text" id="q-{q.id}-t">{html}</div>\n'


def _tail(q: m.Question) -> str:
    return ('<div class="q-actions" data-js hidden><button type="button" class="btn q-check">'
            'Check answer</button></div>\n'
            f'<div class="q-feedback" id="q-{q.id}-fb" aria-live="polite"></div>\n</article>\n')


def _choice(q: m.Question, n: int, kind: str, value: str, label: str, number: str = "") -> str:
    ident = f"q{n}-{value}"
    num = f'<span class="choice-num">{escape(number)}</span> ' if number else ""
    return (f'<div class="choice"><input type="{kind}" name="q{n}" id="{ident}" value="{value}">'
            f'<label for="{ident}">{num}<span class="choice-text">{label}</span></label>'
            f'<span class="mark" data-mark="{value}"></span></div>\n')


def _fieldset(q: m.Question, n: int, legend: str, rows: str, cls: str = "choices") -> str:
    described = "" if cls.startswith("gapselect") else f' aria-describedby="q-{q.id}-t"'
    return (f'<fieldset class="{cls}"{described}>'
            f'<legend><span class="sr-only">Question {n}: </span>{legend}</legend>\n{rows}'
            '</fieldset>\n')


def _multichoice(q: m.MultiChoice, n: int) -> tuple[str, Key]:
    texts = [a.text for a in q.answers]
    order = _mixed(q.id, texts) if q.shuffle else list(range(len(texts)))
    kind = "radio" if q.single else "checkbox"
    rows = "".join(_choice(q, n, kind, str(i), to_inline_html(q.answers[i].text),
                           _numbering(q.numbering, pos)) for pos, i in enumerate(order))
    legend = "Choose one answer" if q.single else "Choose one or more answers"
    best = max(a.grade for a in q.answers)
    right = [a for a in q.answers if (a.grade == best if q.single else a.grade > 0)]
    key = {"single": q.single, "g": [a.grade for a in q.answers],
           "fb": [_html(a.feedback) for a in q.answers],
           "c": [IDS[i] for i, a in enumerate(q.answers) if a in right],
           "right": "; ".join(to_inline_html(a.text) for a in right), **_combined(q.combined)}
    return _fieldset(q, n, legend, rows), key


def _truefalse(q: m.TrueFalse, n: int) -> tuple[str, Key]:
    rows = _choice(q, n, "radio", "t", "True") + _choice(q, n, "radio", "f", "False")
    key = {"c": q.correct, "fbt": _html(q.feedback_true), "fbf": _html(q.feedback_false),
           "right": "True" if q.correct else "False"}
    return _fieldset(q, n, "Choose true or false", rows), key


def _typed(q: m.Question, n: int, label: str, maxlength: int, extra: str) -> str:
    return (f'<div class="typed"><label for="q{n}-in">{label}</label>'
            f'<input type="text" id="q{n}-in" name="q{n}" maxlength="{maxlength}" '
            f'autocomplete="off" spellcheck="false" aria-describedby="q-{q.id}-t"{extra}>'
            '<span class="mark" data-mark="in"></span></div>\n')


def _shortanswer(q: m.ShortAnswer, n: int) -> tuple[str, Key]:
    best = max(q.answers, key=lambda a: a.grade)
    pattern = best.text.replace("\\*", "*")
    key = {"ans": [{"p": a.text, "g": a.grade, "fb": _html(a.feedback)} for a in q.answers],
           "cs": q.case_sensitive, "cr": pattern, "right": escape(pattern)}
    html = _typed(q, n, "Your answer", SHORT_MAXLENGTH, ' autocapitalize="off"')
    return html, key


def _numerical(q: m.Numerical, n: int) -> tuple[str, Key]:
    best = max((a for a in q.answers if a.value is not None), key=lambda a: a.grade)
    assert best.value is not None
    value, tol = Decimal(repr(best.value)), Decimal(repr(best.tolerance))
    key: Key = {"ans": [{"v": a.value, "tol": a.tolerance, "g": a.grade,
                         "fb": _html(a.feedback)} for a in q.answers],
           "cr": {"v": decimal(best.value), "lo": decimal(float(value - tol)),
                  "hi": decimal(float(value + tol))},
           "right": escape(decimal(best.value) + (f" (± {decimal(best.tolerance)})"
                                                  if best.tolerance else ""))}
    grading, show = unit_options(q)
    if not q.units:
        html = _typed(q, n, "Your answer (a number)", NUMBER_MAXLENGTH, ' inputmode="decimal"')
        return html, {**key, "sep": False, "typed": False}
    first = q.units[0].name
    shown = f"{first} {decimal(best.value)}" if q.unit_left else f"{decimal(best.value)} {first}"
    key |= {"units": [[u.name, u.multiplier] for u in q.units], "ug": grading,
            "up": q.unit_penalty, "ul": q.unit_left, "sep": show in (1, 2), "typed": show == 0,
            "radio": show == 1,  # radio buttons post no unit when none is picked, a list ""
            "right": escape(shown + (f" (± {decimal(best.tolerance)})" if best.tolerance else ""))}
    if show == 0:
        label = "Your answer (a number and its unit)" if q.unit_graded else \
            "Your answer (a number; its unit if you like)"
        return _typed(q, n, label, number_length(q), ""), key
    options = "".join(f'<option value="{i}">{escape(u.name)}</option>'
                      for i, u in enumerate(q.units))
    html = _typed(q, n, "Your answer (a number)", NUMBER_MAXLENGTH, ' inputmode="decimal"')
    unit = (f'<div class="typed"><label for="q{n}-unit">Unit</label><select id="q{n}-unit" '
            f'name="q{n}-unit"><option value="">Choose…</option>{options}</select></div>\n')
    return html + unit, {**key, "t": "numu"}


def number_length(q: m.Numerical) -> int:
    """The characters a learner may type for a number, and its unit if typed with it."""
    typed = q.units and unit_options(q)[1] == 0
    return NUMBER_MAXLENGTH + (1 + max(len(u.name) for u in q.units) if typed else 0)


def _select(n: int, part: int, options: str) -> str:
    return (f'<select id="q{n}-{part}" name="q{n}-{part}" data-part="{part}">'
            f'<option value="">Choose…</option>{options}</select>'
            f'<span class="mark" data-mark="p{part}"></span>')


def _option_list(texts: Sequence[str], order: Sequence[int]) -> str:
    return "".join(f'<option value="{i}">{escape(texts[i])}</option>' for i in order)


def _matching(q: m.Matching, n: int) -> tuple[str, Key]:
    options = match_options(q)
    opts = _option_list(options, _alphabetical(options))
    stems = [p.question for p in q.pairs]
    order = _mixed(q.id, stems) if q.shuffle else list(range(len(stems)))
    rows = "".join(f'<div class="match-row"><label for="q{n}-{i}">{to_inline_html(stems[i])}'
                   f"</label>{_select(n, i, opts)}</div>\n" for i in order)
    right = "".join(f"<li>{to_inline_html(p.question)} → {escape(p.answer)}</li>"
                    for p in q.pairs)
    key = {"c": [options.index(p.answer) for p in q.pairs], "right": f"<ul>{right}</ul>",
           **_combined(q.combined)}
    return _fieldset(q, n, "Match each item to an answer", rows, "matching"), key


def _ordering(q: m.Ordering, n: int) -> tuple[str, Key]:
    start = _mixed(q.id, q.items)
    if start == list(range(len(q.items))):
        start = start[1:] + start[:1]
    rows = "".join(
        f'<li class="order-item" data-item="{i}"><span class="order-text" id="q{n}-o{i}">'
        f'{escape(q.items[i])}</span><span class="order-moves" data-js hidden>'
        f'<button type="button" class="btn-icon order-up" aria-label="Move up: '
        f'{escape(q.items[i])}"><span aria-hidden="true">↑</span></button>'
        f'<button type="button" class="btn-icon order-down" aria-label="Move down: '
        f'{escape(q.items[i])}"><span aria-hidden="true">↓</span></button></span>'
        f'<span class="mark" data-mark="{i}"></span></li>\n' for i in start)
    html = (f'<div class="ordering" role="group" aria-labelledby="q{n}-ol" '
            f'aria-describedby="q-{q.id}-t"><p class="legend" id="q{n}-ol"><span class="sr-only">'
            f"Question {n}: </span>Put the items in order, first at the top</p>\n"
            f'<ol class="order-list">\n{rows}</ol>\n'
            f'<p class="sr-only" aria-live="polite" data-moved></p></div>\n')
    right = "".join(f"<li>{escape(item)}</li>" for item in q.items)
    key = {"n": len(q.items), "grading": q.grading, "init": start, "right": f"<ol>{right}</ol>",
           **_combined(q.combined)}
    return html, key


def _gapped(q: m.GapSelect, gap: Callable[[int, int], str]) -> tuple[str, str, list[int]]:
    """The question's HTML with `gap(k, right choice)` in each gap, the same with each gap's
    right choice in bold, and each gap's right choice (from 0)."""
    texts = [c.text for c in q.choices]
    answers = [int(g) - 1 for g in GAP.findall(q.text)]
    source = q.text
    for k in range(len(answers)):
        source = GAP.sub(f"CPGAPSLOT{k}X", source, count=1)
    body, filled = to_html(source), to_html(source)
    for k, right in enumerate(answers):
        body = body.replace(f"CPGAPSLOT{k}X", gap(k, right), 1)
        filled = filled.replace(f"CPGAPSLOT{k}X", f"<strong>{escape(texts[right])}</strong>", 1)
    return body, filled, answers


def _gapselect(q: m.GapSelect, n: int) -> tuple[str, Key]:
    texts = [c.text for c in q.choices]
    count = len(GAP.findall(q.text))

    def select(k: int, right: int) -> str:
        group = [i for i, c in enumerate(q.choices) if c.group == q.choices[right].group]
        order = sorted(group, key=lambda i: (texts[i].casefold(), i)) if q.shuffle else group
        return (f'<span class="gap"><label class="sr-only" for="q{n}-{k}">Gap {k + 1} of '
                f'{count}</label>{_select(n, k, _option_list(texts, order))}</span>')

    body, filled, answers = _gapped(q, select)
    key = {"c": answers, "right": filled, **_combined(q.combined)}
    return _fieldset(q, n, "Choose the missing words", text_box(q, body), "gapselect"), key


def _ddwtos(q: m.DragText, n: int) -> tuple[str, Key]:
    count = len(GAP.findall(q.text))

    def drop(k: int, right: int) -> str:
        group = q.choices[right].group
        return (f'<span class="gap"><button type="button" class="drop group-{group % 8}" '
                f'id="q{n}-{k}" data-part="{k}" data-group="{group}" aria-label="Gap {k + 1} of '
                f'{count}: empty"></button><span class="mark" data-mark="p{k}"></span></span>')

    body, filled, answers = _gapped(q, drop)
    texts = [c.text for c in q.choices]
    order = _mixed(q.id, texts) if q.shuffle else list(range(len(texts)))
    unlimited = ' data-unlimited="1"'
    tray = "".join(
        f'<button type="button" class="drag group-{q.choices[i].group % 8}" draggable="true" '
        f'data-choice="{i}" data-group="{q.choices[i].group}"'
        f'{unlimited if q.choices[i].unlimited else ""} aria-pressed="false">'
        f"{escape(texts[i])}</button>" for i in order)
    rows = (text_box(q, body) + f'<div class="drag-tray" role="group" aria-label="Words to place, '
            f'question {n}">{tray}</div>\n<p class="sr-only" aria-live="polite" data-placed></p>\n')
    key = {"c": answers, "right": filled, **_combined(q.combined)}
    legend = "Drag each word into its gap, or choose a word and then a gap"
    return _fieldset(q, n, legend, rows, "gapselect ddwtos"), key


_TYPES: dict[type, tuple[str, str, Callable[..., tuple[str, Key]]]] = {
    m.MultiChoice: ("mc", "", _multichoice), m.TrueFalse: ("tf", "True or false", _truefalse),
    m.ShortAnswer: ("sa", "Short answer", _shortanswer),
    m.Numerical: ("num", "Number", _numerical), m.Matching: ("match", "Matching", _matching),
    m.Ordering: ("ord", "Ordering", _ordering), m.GapSelect: ("gap", "Missing words", _gapselect),
    m.DragText: ("drag", "Drag and drop", _ddwtos),
}


def _kind(q: m.Question) -> str:
    if isinstance(q, m.MultiChoice):
        return "Single choice" if q.single else "Multiple choice"
    return _TYPES[type(q)][1]


def question(q: m.Question, n: int, total: int, ids: tuple[str, str],
             qi: int | None = None) -> tuple[str, Key]:
    """One question's HTML (n counts from 1; `qi` its place in the key, default n - 1) and its
    answer-key entry."""
    code, _, build = _TYPES[type(q)]
    body, key = build(q, n)
    text = "" if isinstance(q, m.GapSelect) else text_box(q)
    html = head(q, n, total, _kind(q), qi) + text + body + _tail(q)
    entry = {"id": q.id, "t": code, "mark": q.mark, "i12": ids[0], "i04": ids[1],
             "gen": _html(q.general_feedback), **key}
    return html, entry


def markable(q: m.Question) -> bool:
    """True when the module's scripts can mark the question."""
    return isinstance(q, MARKABLE) and _parts(q) <= len(IDS)
