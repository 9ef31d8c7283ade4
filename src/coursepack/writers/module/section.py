"""The self-check quiz section: its questions in order, with what the module cannot mark shown
by the caller, an introduction, and the submit buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ... import model as m
from .quiz import Key, cmi12_ids, markable, question, quiz_items, text_box

Other = Callable[[m.Question, int, int], str]  # a question the module cannot mark: (q, n, total)


def _description(q: m.Description) -> str:
    """A description: text among the questions, neither numbered nor marked."""
    return (f'<article class="question q-info" id="q-{q.id}" aria-label="Information">\n'
            f'<p class="q-meta"><span class="q-kind">Information</span></p>\n{text_box(q)}'
            "</article>\n")


def quiz(unit: m.Unit, mastery: int, items: Sequence[m.Question] | None = None,
         other: Other | None = None) -> tuple[str, list[Key]]:
    """The quiz section's body and the answer key, one entry per marked question: the unit's
    self-check (default), or `items` in order, `other` showing those the module cannot mark."""
    shown = quiz_items(unit) if items is None else [
        q for q in items if markable(q) or other or isinstance(q, m.Description)]
    questions = [q for q in shown if markable(q)]
    total = sum(not isinstance(q, m.Description) for q in shown)
    ids = list(zip(cmi12_ids(questions), [f"urn:coursepack:{q.id}" for q in questions],
                   strict=True))
    parts: list[str] = []
    key: list[Key] = []
    n = 0
    for q in shown:
        if isinstance(q, m.Description):
            parts.append(_description(q))
            continue
        n += 1
        if not markable(q):
            assert other is not None
            parts.append(other(q, n, total))
            continue
        html, entry = question(q, n, total, ids[len(key)], len(key))
        parts.append(html)
        key.append(entry)
    return _intro(total, mastery) + "".join(parts) + _submit(total), key


def _intro(total: int, mastery: int) -> str:
    return (f'<p class="lead">{total} question{"s" if total != 1 else ""} to '
            f"check what you have learnt. Check each answer as you go, then submit the quiz: "
            f"you pass with {mastery}% or more.</p>\n"
            '<noscript><p class="note">The quiz needs JavaScript to mark your answers. '
            "You can still read the questions.</p></noscript>\n")


def _submit(total: int) -> str:
    return ('<div class="quiz-end" data-js hidden>\n'
            f'<p class="quiz-count">Answered <span data-answered>0</span> of {total}</p>\n'
            '<div class="quiz-buttons"><button type="button" class="btn btn-primary" '
            'id="quiz-submit">Submit quiz</button>'
            '<button type="button" class="btn" id="quiz-retry" hidden>Try again</button></div>\n'
            '<div class="quiz-result" id="quiz-result" role="status" aria-live="polite"></div>\n'
            "</div>\n")
