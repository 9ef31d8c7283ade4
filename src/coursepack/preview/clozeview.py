"""A cloze question in the preview's quiz: its text with a control in each gap, as Moodle's
embedded-answers question shows it, and the key cloze.js marks it by."""

from __future__ import annotations

from dataclasses import replace
from html import escape
from typing import Any

from .. import model as m
from ..markup import plain_html, to_html, to_inline_html
from ..qchecks import CLOZE_MARK
from ..writers.module.quiz import head
from .pages import json_attr


def _of(gap: m.Gap) -> tuple[m.Answer | m.NumericAnswer, ...]:
    return gap.answers


def _answers(gap: m.Gap) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for a in _of(gap):
        fb = to_html(a.feedback) if a.feedback else ""
        if isinstance(a, m.NumericAnswer):
            out.append({"v": a.value, "tol": a.tolerance, "g": a.grade, "fb": fb})
        else:
            out.append({"p": a.text, "g": a.grade, "fb": fb, "html": to_inline_html(a.text)})
    return out


def _text(a: m.Answer | m.NumericAnswer) -> str:
    return a.text if isinstance(a, m.Answer) else f"{a.value:g}" if a.value is not None else "*"


def _right(gap: m.Gap) -> str:
    best = max(_of(gap), key=lambda a: a.grade)
    if isinstance(best, m.NumericAnswer):
        return "any number" if best.value is None else f"{best.value:g}"
    return plain_html(best.text) if gap.kind == "multichoice" else escape(best.text)


def _control(gap: m.Gap, n: int, k: int) -> str:
    label = f'aria-label="Gap {k + 1}"'
    mark = f'<span class="mark" data-gapmark="{k}"></span>'
    if gap.kind != "multichoice":
        size = max([len(a.text if isinstance(a, m.Answer) else f"{a.value or 0:g}")
                    for a in _of(gap)] + [5]) + 2
        return (f'<input type="text" class="pv-gap" data-gap="{k}" size="{min(size, 40)}" '
                f'autocomplete="off" spellcheck="false" {label}>{mark}')
    if gap.display == "dropdown":
        options = "".join(f'<option value="{i}">{escape(_text(a))}</option>'
                          for i, a in enumerate(_of(gap)))
        return (f'<select class="pv-gap" data-gap="{k}" {label}><option value=""></option>'
                f"{options}</select>{mark}")
    cls = "pv-radios-v" if gap.display == "vertical" else "pv-radios-h"
    rows = "".join(f'<label><input type="radio" name="q{n}-g{k}" value="{i}"> '
                   f'{to_inline_html(_text(a))}</label>' for i, a in enumerate(_of(gap)))
    return (f'<span class="pv-gap {cls}" data-gap="{k}" role="radiogroup" {label}>{rows}'
            f"</span>{mark}")


def cloze_box(q: m.Cloze, n: int, total: int) -> str:
    """The question's box: heading, text with its gaps, check button and feedback."""
    gaps = {g.id: g for g in q.gaps}
    order: list[m.Gap] = []

    def gap(found: Any) -> str:
        order.append(gaps[found.group(1)])
        return _control(order[-1], n, len(order) - 1)

    body = CLOZE_MARK.sub(gap, to_html(q.text))
    q = replace(q, mark=sum(g.mark for g in q.gaps))  # Moodle's mark: the gaps' weights
    key = {"mark": q.mark, "gen": to_html(q.general_feedback) if q.general_feedback else "",
           "gaps": [{"kind": g.kind, "mark": g.mark, "cs": g.case_sensitive,
                     "ans": _answers(g), "right": _right(g)} for g in order]}
    data = json_attr(key)
    return (head(q, n, total, "Embedded answers", -1).replace(
        'class="question"', f'class="question pv-cloze" data-key="{data}"', 1)
        + f'<div class="q-text" id="q-{q.id}-t">{body}</div>\n'
        '<div class="q-actions"><button type="button" class="btn pv-cloze-check">Check answer'
        '</button></div><div class="q-feedback" aria-live="polite"></div></article>\n')
