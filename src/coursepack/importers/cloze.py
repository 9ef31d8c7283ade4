"""Moodle's embedded answers (cloze) read as its parser reads them (question/type/multianswer):
each `{mark:TYPE:answers}` of the HTML text becomes a gap, and its place `{{gN}}`."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from . import D, written_grade

_TYPES = ("NUMERICAL|NM|MULTICHOICE_VS|MCVS|MULTICHOICE_HS|MCHS|MULTICHOICE_V|MCV|"
          "MULTICHOICE_H|MCH|MULTICHOICE_S|MCS|MULTICHOICE|MC|SHORTANSWER_C|SAC|MWC|"
          "SHORTANSWER|SA|MW|MULTIRESPONSE_HS|MRHS|MULTIRESPONSE_S|MRS|MULTIRESPONSE_H|MRH|"
          "MULTIRESPONSE|MR")
_FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALTERNATIVE = rf"({_FRACTION})?({_ANSWER})(#({_FEEDBACK}))?"
GAP = re.compile(rf"\{{([0-9]*):({_TYPES}):({_ALTERNATIVE}(~{_ALTERNATIVE})*)\}}", re.S)
_ONE = re.compile(_ALTERNATIVE, re.S)
_NUMBER = re.compile(r"^(-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?)"
                     r"(?::(-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?))?$")
_KINDS: dict[str, tuple[str, dict[str, Any]]] = {
    **dict.fromkeys(("NUMERICAL", "NM"), ("numerical", {})),
    **dict.fromkeys(("SHORTANSWER", "SA", "MW"), ("shortanswer", {})),
    **dict.fromkeys(("SHORTANSWER_C", "SAC", "MWC"), ("shortanswer", {"case_sensitive": True})),
    **dict.fromkeys(("MULTICHOICE", "MC"), ("multichoice", {})),
    **dict.fromkeys(("MULTICHOICE_V", "MCV"), ("multichoice", {"display": "vertical"})),
    **dict.fromkeys(("MULTICHOICE_H", "MCH"), ("multichoice", {"display": "horizontal"})),
    **dict.fromkeys(("MULTICHOICE_S", "MCS"), ("multichoice", {"shuffle": True})),
    **dict.fromkeys(("MULTICHOICE_VS", "MCVS"),
                    ("multichoice", {"display": "vertical", "shuffle": True})),
    **dict.fromkeys(("MULTICHOICE_HS", "MCHS"),
                    ("multichoice", {"display": "horizontal", "shuffle": True})),
}


class Unsupported(Exception):
    """A gap coursepack's cloze questions cannot hold (several right answers to tick)."""


def gaps(text: str, feedback: Any,
         formatted: Callable[[str], None] = lambda choice: None) -> tuple[str, list[D]]:
    """The text with each embedded answer replaced by `{{gN}}`, and the gaps (`feedback`
    turns a feedback's HTML into a source text; `formatted` is told of each choice whose
    formatting is left out, a choice being plain text)."""
    found: list[D] = []

    def gap(match: re.Match[str]) -> str:
        found.append(_gap(match, len(found) + 1, feedback, formatted))
        return "{{" + str(found[-1]["id"]) + "}}"

    return GAP.sub(gap, text), found


def _gap(match: re.Match[str], n: int, feedback: Any, formatted: Callable[[str], None]) -> D:
    mark, name, body = match.group(1), match.group(2), match.group(3)
    if name not in _KINDS:
        raise Unsupported(name)
    kind, options = _KINDS[name]
    gap: D = {"id": f"g{n}", "type": kind}
    if mark and int(mark) != 1:
        gap["mark"] = int(mark)
    gap.update(options)
    gap["answers"] = [_answer(alt, kind, feedback, formatted) for alt in _alternatives(body)]
    return gap


def _alternatives(body: str) -> list[re.Match[str]]:
    found, at = [], 0
    while at < len(body):
        match = _ONE.match(body, at)
        if match is None or match.end() == at:
            break
        found.append(match)
        at = match.end() + 1  # past the '~'
    return found


def _answer(alt: re.Match[str], kind: str, feedback: Any,
            formatted: Callable[[str], None]) -> D:
    fraction, percent, raw, fb = alt.group(1), alt.group(2), alt.group(3), alt.group(5)
    grade = 100.0 if fraction == "=" else float(percent.replace(",", ".")) if percent else 0.0
    answer: D = {}
    number = _NUMBER.match(raw) if kind == "numerical" else None
    if kind == "numerical" and raw.strip() == "*":  # any other number
        answer["value"] = "*"
    elif number is not None:
        answer["value"] = float(number.group(1).replace(",", "."))
        if number.group(2) and float(number.group(2).replace(",", ".")):
            answer["tolerance"] = float(number.group(2).replace(",", "."))
    elif kind == "multichoice":  # Moodle holds a choice as HTML: its text is what it shows
        answer["text"] = _shown(_decoded(raw), formatted)
    else:
        answer["text"] = _decoded(raw)
    if grade == 100:
        answer["correct"] = True
    elif grade:
        answer["grade"] = written_grade(grade)
    if fb:
        value = feedback(_decoded(fb))
        if value is not None:
            answer["feedback"] = value
    return answer


def _shown(choice: str, formatted: Callable[[str], None]) -> str:
    """The text a choice Moodle holds as HTML shows: its tags (formatting a choice of
    coursepack's cannot hold) left out, and told to `formatted`; its entities read."""
    if re.search(r"<[a-zA-Z/]", choice):
        formatted(choice)
        choice = re.sub(r"<[^>]*>", "", choice)
    return html.unescape(choice).strip()


def _decoded(text: str) -> str:
    """What Moodle's parser makes of an answer or feedback: entities decoded, `\\}` and `\\#`
    unescaped."""
    return html.unescape(text).replace("\\}", "}").replace("\\#", "#")
