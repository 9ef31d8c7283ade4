"""Questions derived from a unit's content: misconceptions, key terms and assessment criteria."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from .markup import to_plain
from .model import (
    Essay,
    Hint,
    Html,
    Matching,
    MatchPair,
    Question,
    Term,
    TrueFalse,
    Unit,
)
from .qchecks import CLOZE_MARK, GAPSELECT_MARK

DERIVED_CATEGORY = "Derived from the unit content"
DERIVED_TAG = "derived"
MIN_PAIRS, MAX_PAIRS = 3, 8


def default_name(text: str, limit: int = 80) -> str:
    """A question name from the start of its text: the words a reader sees, gaps as ___."""
    marked = GAPSELECT_MARK.sub("___", CLOZE_MARK.sub("___", text))
    plain = to_plain(Html(marked) if isinstance(text, Html) else marked)
    if len(plain) <= limit:
        return plain
    cut = plain[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut).rstrip(" ,;:") + "…"


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]


def derived_questions(unit: Unit, terms: Mapping[str, Term]) -> tuple[Question, ...]:
    """Every derived question of a unit, in a stable order."""
    return (*_misconceptions(unit), *_key_terms(unit, terms), *_criteria(unit))


_NOT_WORD = re.compile(r"[\W_]+")


def _words(text: str) -> str:
    return _NOT_WORD.sub(" ", text.casefold()).strip()


class _Asked:
    """Whether an authored question already asks about a misconception: its name is the claim,
    or its text states the claim (letters and digits compared, case ignored).

    A text is normalised only when it holds the claim's longest word: each word of a normalised
    text is a run of word characters of the casefolded text, so a text without that word cannot
    state the claim, and most texts are never normalised."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self.names = {_words(q.name) for q in questions}
        self.plain = [to_plain(q.text) for q in questions]
        self.folded = [text.casefold() for text in self.plain]
        self.normalised: dict[int, str] = {}

    def __call__(self, claim: str) -> bool:
        want = _words(claim)
        if want in self.names:
            return True
        longest = max(want.split(), key=len, default="")
        return any(self._states(n, want) for n, folded in enumerate(self.folded)
                   if longest in folded)

    def _states(self, n: int, want: str) -> bool:
        if n not in self.normalised:
            self.normalised[n] = f" {_words(self.plain[n])} "
        return f" {want} " in self.normalised[n]


def _misconceptions(unit: Unit) -> list[Question]:
    if not unit.misconceptions:
        return []
    asked = _Asked(unit.questions)
    return [TrueFalse(
        id=f"{unit.id}-misconception-{_digest(m.claim)}",
        name=f"Misconception: {default_name(m.claim)}",
        text=f"True or false? {m.claim}",
        category=(DERIVED_CATEGORY,), correct=False,
        feedback_true=f"Not so. {m.correction}", feedback_false=f"Right. {m.correction}",
        general_feedback=m.correction, penalty=1.0,
        tags=(DERIVED_TAG, "misconception"), derived=True) for m in unit.misconceptions
        if not asked(m.claim)]


def chunk(items: Sequence[str], low: int = MIN_PAIRS, high: int = MAX_PAIRS) -> list[list[str]]:
    """Split items into as few groups of `low` to `high` as possible, sizes as even as possible."""
    if len(items) < low:
        return []
    groups = -(-len(items) // high)
    size, extra = divmod(len(items), groups)
    out, start = [], 0
    for n in range(groups):
        end = start + size + (n < extra)
        out.append(list(items[start:end]))
        start = end
    return out


def _key_terms(unit: Unit, lookup: Mapping[str, Term]) -> list[Question]:
    groups = chunk(unit.key_terms)
    questions: list[Question] = []
    for n, ids in enumerate(groups, start=1):
        terms = [lookup[t] for t in ids]
        label = f" ({n} of {len(groups)})" if len(groups) > 1 else ""
        questions.append(Matching(
            id=f"{unit.id}-terms-{_digest(*ids)}", name=f"Key terms{label}",
            text="Match each definition with its key term.",
            category=(DERIVED_CATEGORY,), mark=float(len(terms)),
            pairs=tuple(MatchPair(prompt(t), t.term) for t in terms),
            general_feedback="\n".join(_feedback_line(t) for t in terms),
            hints=(Hint("Start with the terms you are sure of; the rest narrow down.",
                        show_num_correct=True),),
            tags=(DERIVED_TAG, "key-terms"), derived=True))
    return questions


PROMPT_LIMIT = 160
MASK = "(this term)"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'‘“(])")
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+!|<>~-"})


_BLOCK_END = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")


@lru_cache(maxsize=4096, typed=True)  # a glossary's definitions, asked for by every unit
def _first_sentence(markdown: str) -> str:
    """The first sentence of a definition's first paragraph; a lead-in to a list ends it (the
    first sentence of its words, for a definition written as HTML)."""
    block = markdown if isinstance(markdown, Html) else \
        _BLOCK_END.split(markdown.strip(), maxsplit=1)[0]
    flat = " ".join(to_plain(block).split())
    sentence = _SENTENCE_END.split(flat, maxsplit=1)[0]
    return sentence[:-1] + "." if sentence.endswith(":") else sentence


@lru_cache(maxsize=4096)  # a glossary's terms, asked for by every unit that uses them
def _feedback_line(term: Term) -> str:
    """A key term and its definition's first sentence, as a Markdown list item."""
    return (f"- **{_markdown_text(term.term)}**: "
            f"{_markdown_text(_first_sentence(term.definition))}")


def _markdown_text(text: str) -> str:
    """Plain text as Markdown that shows exactly these characters."""
    return text.translate(_MARKDOWN)


@lru_cache(maxsize=4096)
def prompt(term: Term) -> str:
    """A key-term matching prompt: the definition's first sentence, never naming the term.

    The term and its aliases are masked wherever they appear, and a long sentence is cut at a
    word boundary, so the prompt neither gives the answer away nor fills the screen.
    """
    text = _first_sentence(term.definition)
    for name in sorted({term.term, *term.aliases}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", MASK, text, flags=re.IGNORECASE)
    if len(text) > PROMPT_LIMIT:
        text = text[: PROMPT_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return _markdown_text(text)


def _criteria(unit: Unit) -> list[Question]:
    questions: list[Question] = []
    for n, outcome in enumerate(unit.outcomes, start=1):
        for k, criterion in enumerate(outcome.criteria, start=1):
            points = "\n".join(f"- {p}" for p in criterion.marking_points)
            questions.append(Essay(
                id=f"{criterion.id}-essay",
                name=f"Criterion {n}.{k}: {default_name(criterion.text, 60)}",
                text=(f"**Learning outcome:** {outcome.statement}\n\n{criterion.text}\n\n"
                      "Use a real or realistic example from your own work to support your answer."),
                outcome=outcome.id, category=(DERIVED_CATEGORY,), mark=10.0, penalty=0.0,
                grader_info=(f"Marking points for criterion {criterion.id}:\n\n{points}"
                             if points else f"Credit answers that meet: {criterion.text}"),
                response_template="Situation:\n\nWhat I did:\n\nWhy I did it:\n\nOutcome:",
                response_format="editor", min_words=150, max_words=800,
                tags=(DERIVED_TAG, "criterion"), derived=True))
    return questions
