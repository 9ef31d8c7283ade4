"""Moodle's embedded-answers (cloze) syntax, encoded so that Moodle's parser reads it back."""

from __future__ import annotations

import re

from .. import model as m
from ..grades import fraction_text
from ..markup import plain_html, to_html
from ..qchecks import CLOZE_MARK
from .qbank import answer_value, decimal

_KIND = {("shortanswer", False): "SHORTANSWER", ("shortanswer", True): "SHORTANSWER_C",
         ("numerical", False): "NUMERICAL", ("numerical", True): "NUMERICAL"}
_CHOICE = {"dropdown": "MULTICHOICE", "vertical": "MULTICHOICE_V",
           "horizontal": "MULTICHOICE_H"}


def _entities(text: str) -> str:
    """Encode every character the cloze parser treats specially as an HTML entity.

    Moodle html_entity_decode()s each answer and feedback after splitting on ~ # } (never on an
    entity's '#'), so entities come back as the exact characters.
    """
    out = []
    for ch in text:
        if ch in '&<>"\'~#{}\\%=:':
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def _feedback(markdown: str | None) -> str:
    return "#" + _entities(to_html(markdown)) if markdown else ""


def gap_syntax(gap: m.Gap) -> str:
    """One gap as `{mark:TYPE:=answer#feedback~%50%other#feedback}`."""
    if gap.kind == "multichoice":
        kind = _CHOICE[gap.display] + ("S" if gap.shuffle else "")
        kind = kind.replace("MULTICHOICES", "MULTICHOICE_S")
    else:
        kind = _KIND[(gap.kind, gap.case_sensitive)]
    parts = []
    for a in gap.answers:
        # as Moodle's own export writes it: '=' for full marks, nothing for none
        weight = "=" if a.grade == 100 else "" if a.grade == 0 else f"%{fraction_text(a.grade)}%"
        if isinstance(a, m.NumericAnswer):
            body = answer_value(a) if a.value is None else \
                f"{answer_value(a)}:{decimal(a.tolerance)}"
        elif gap.kind == "multichoice":  # Moodle shows choices as HTML
            body = _entities(plain_html(a.text))
        else:  # typed answers are compared with what the learner types, as text
            body = _entities(a.text)
        parts.append(weight + body + _feedback(a.feedback))
    return "{" + f"{gap.mark}:{kind}:" + "~".join(parts) + "}"


# Text Moodle would take for an embedded answer of its own: '{', digits, ':', a type name, ':'.
_LOOKS_LIKE_GAP = re.compile(r"\{(?=[0-9]*:[A-Z_]+:)")


def cloze_text(q: m.Cloze) -> str:
    """The question text as HTML with each `{{gap}}` replaced by its embedded answer."""
    gaps = {g.id: g for g in q.gaps}
    rendered = _LOOKS_LIKE_GAP.sub("&#123;", to_html(q.text))
    return CLOZE_MARK.sub(lambda match: gap_syntax(gaps[match.group(1)]), rendered)
