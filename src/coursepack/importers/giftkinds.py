"""GIFT answer blocks read type by type as Moodle reads them, and what saving them refuses."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..grades import ALLOWED
from .giftparse import Answer, Parsed, Refused, Text, comment, kind, with_format
from .giftsrc import Src, unescaped
from .phptext import arithmetic, empty, is_numeric, stored_number, trim

TOO_FEW = "There is an error in the question. There are not enough answers for this question type"
_WEIGHT = re.compile(r"%-*([0-9]{1,2})\.?([0-9]*)%")


def read_answers(q: Parsed, block: Src) -> None:
    """The question's type and answers from its answer block."""
    if q.qtype == "description" or (not empty(block.text) and _ordering(q, block)):
        return
    q.qtype = kind(block)
    if q.qtype != "essay":
        _READERS[q.qtype](q, block)


def _parts(block: Src, sep: str) -> list[Src]:
    """The block split at `sep`, less an empty (or '0') first part."""
    parts = block.split(sep)
    parts[0] = parts[0].trim()
    return parts[1:] if empty(parts[0].text) else parts


def _weight(part: Src, default: float) -> tuple[float, Src]:
    """A '%n%' weight in front of an answer, as a fraction, and the rest; `default` when none."""
    if not _WEIGHT.match(part.text):
        return default, part
    body = part.cut(1)
    end = body.find("%")
    value = arithmetic(body.text[:end])
    if value is None:
        raise Refused(f"the weight '%{body.text[:end]}%' is not a number: Moodle's reader "
                      "stops on it (a PHP TypeError)", part.pos())
    return value / 100, body.cut(end + 1)


def _multichoice(q: Parsed, block: Src) -> None:
    q.single = "=" in block.text
    parts = _parts(block.replace("=", "~="), "~")
    if len(parts) < 2:
        raise Refused(TOO_FEW, block.pos())
    for part in parts:
        part = part.trim()
        if part.text[:1] == "=":
            fraction, rest = 1.0, part.cut(1)
        else:
            fraction, rest = _weight(part, 0.0)
        text, feedback = comment(rest, q.text.format)
        q.answers.append(Answer(text, fraction, feedback, part.pos()))


def _match(q: Parsed, block: Src) -> None:
    parts = _parts(block, "=")
    if len(parts) < 2:
        raise Refused(TOO_FEW, block.pos())
    for part in parts:
        part = part.trim()
        marker = part.find("->")
        if marker < 0:
            raise Refused("Matching question answers are improperly formatted", part.pos())
        answer = unescaped(part.cut(marker + 2)).trim().text
        q.pairs.append((with_format(part.cut(0, marker), q.text.format), answer, part.pos()))


def _truefalse(q: Parsed, block: Src) -> None:
    answer, wrong, right = comment(block, q.text.format, 3)
    q.correct = answer.text in ("T", "TRUE")
    q.feedback_true, q.feedback_false = (right, wrong) if q.correct else (wrong, right)


def _shortanswer(q: Parsed, block: Src) -> None:
    parts = _parts(block, "=")
    if not parts:
        raise Refused(TOO_FEW, block.pos())
    for part in parts:
        part = part.trim()
        fraction, rest = _weight(part, 1.0)
        text, feedback = comment(rest, q.text.format)
        q.answers.append(Answer(text, fraction, feedback, part.pos()))


def _numerical(q: Parsed, block: Src) -> None:
    body = block.cut(1)
    tilde = body.find("~")
    wrong = body.cut(tilde) if tilde >= 0 else None
    parts = _parts(body.cut(0, tilde) if tilde >= 0 else body, "=")
    if not parts:
        raise Refused("No answers found for numerical question", block.pos())
    for part in parts:
        part = part.trim()
        fraction, rest = _weight(part, 1.0)
        text, feedback = comment(rest, q.text.format)
        value, tolerance = _number(text.text, part.pos())
        q.answers.append(Answer(text, fraction, feedback, part.pos(), value, tolerance))
    if wrong is not None:
        _, feedback = comment(wrong, q.text.format)
        q.answers.append(Answer(Text("*", q.text.format, wrong.pos()), 0.0, feedback,
                                wrong.pos()))


def _number(answer: str, at: int) -> tuple[float | None, float]:
    """A numerical answer's value (None for '*': Moodle takes any answer that is not a
    number as '*') and tolerance: 'value', 'value:tolerance' or 'min..max'."""
    dots = answer.find("..")
    if dots > 0:
        high, low = arithmetic(trim(answer[dots + 2:])), arithmetic(trim(answer[:dots]))
        if high is None or low is None:
            raise Refused(f"the range '{answer}' is not two numbers: Moodle's reader stops on "
                          "it (a PHP TypeError)", at)
        middle = (high + low) / 2
        return stored_number(middle), stored_number(high - middle)
    colon = answer.find(":")
    value, tolerance = (trim(answer[:colon]), trim(answer[colon + 1:])) if colon > 0 \
        else (trim(answer), "0")
    if not is_numeric(tolerance):
        raise Refused(f"the answer '{answer}' has a tolerance that is not a number", at)
    number = stored_number(float(value)) if is_numeric(value) else None
    return number, stored_number(float(tolerance))


_SPACE = r"[ \t\n\x0b\x0c\r]*"
_ORDERING = re.compile(
    rf"{_SPACE}>{_SPACE}([0-9]+){_SPACE}(ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)?{_SPACE}"
    rf"(HORIZONTAL|HORI|H|1|VERTICAL|VERT|V|0)?{_SPACE}"
    r"(ALL_OR_NOTHING|ABSOLUTE_POSITION|ABSOLUTE|ABS|RELATIVE_NEXT_EXCLUDE_LAST|"
    r"RELATIVE_NEXT_INCLUDE_LAST|RELATIVE_ONE_PREVIOUS_AND_NEXT|RELATIVE_ALL_PREVIOUS_AND_NEXT|"
    r"RELATIVE_TO_CORRECT|RELATIVE|RELLONGEST_ORDERED_SUBSET|LONGEST_CONTIGUOUS_SUBSET)?"
    rf"{_SPACE}(SHOW|TRUE|YES|1|HIDE|FALSE|NO|0)?{_SPACE}(none|123|abc|ABCD|iii|IIII)?"
    rf"{_SPACE}(.*?){_SPACE}$", re.S)
# qtype_ordering's names of its grading types (set_options_for_import), as coursepack's
GRADINGS = {"ALL_OR_NOTHING": "all_or_nothing", "ABS": "absolute_position",
            "ABSOLUTE": "absolute_position", "ABSOLUTE_POSITION": "absolute_position",
            **{g: g.lower() for g in ("RELATIVE_NEXT_INCLUDE_LAST",
                                      "RELATIVE_ONE_PREVIOUS_AND_NEXT",
                                      "RELATIVE_ALL_PREVIOUS_AND_NEXT", "LONGEST_ORDERED_SUBSET",
                                      "LONGEST_CONTIGUOUS_SUBSET", "RELATIVE_TO_CORRECT")}}


def _ordering(q: Parsed, block: Src) -> bool:
    """qtype_ordering's GIFT reader: '>count SELECT LAYOUT GRADING SHOW numbering', then one
    item a line (its escapes left unread); False when the block is not of that form."""
    found = _ORDERING.match(block.text)
    if found is None:
        return False
    count, select, layout, grading, show, numbering, rest = (g or "" for g in found.groups())
    lines = [line for line in re.split(r"[\r\n]+", rest) if not empty(line)]
    size = int(count) if 2 <= int(count) <= len(lines) else min(6, len(lines))
    q.qtype = "ordering"
    q.options = {
        "select_count": max(size, 2),
        "select": {"ALL": "all", "EXACT": "all", "CONTIGUOUS": "contiguous",
                   "CONTIG": "contiguous"}.get(select, "random"),
        "layout": "horizontal" if layout in ("HORIZONTAL", "HORI", "H", "1") else "vertical",
        "grading": GRADINGS.get(grading, "relative_next_exclude_last"),
        "show_grading": 0 if show in ("HIDE", "FALSE", "NO") else 1,
        "numbering": numbering or "none"}
    kept = [trim(line) for line in lines if not empty(trim(line))]
    if len(kept) < 2:  # saving stops the import with a notice
        raise Refused("Ordering questions must have more than 2 answers.", block.pos())
    q.items = [item for item in map(_item, kept) if item]
    offset = block.pos(found.start(7))
    q.notes += [(offset, f"ordering item {item!r} holds an escape, which Moodle's reader of "
                 "ordering items leaves unread ('&&0..;')") for item in q.items if "&&0" in item]
    return True


def _item(text: str) -> str:
    """An ordering item as Moodle saves it: a lone paragraph unwrapped, images aligned."""
    if text.count("<p>") == 1:
        text = re.sub(r"^[ \t\n\x0b\x0c\r]*<p>[ \t\n\x0b\x0c\r]*(.*?)"
                      r"([ \t\n\x0b\x0c\r]*<br[ \t\n\x0b\x0c\r]*/?>)*[ \t\n\x0b\x0c\r]*</p>"
                      r"[ \t\n\x0b\x0c\r]*$", r"\1", text)
    text = trim(text)
    return re.sub(r"(<img[^>]*)\bvertical-align:[ \t\n\x0b\x0c\r]*[a-zA-Z0-9_-]+([^>]*>)",
                  r"\1vertical-align:text-top\2", text)


_READERS: dict[str, Callable[[Parsed, Src], None]] = {
    "multichoice": _multichoice, "match": _match, "truefalse": _truefalse,
    "shortanswer": _shortanswer, "numerical": _numerical}


def saving_refuses(q: Parsed) -> tuple[int, str] | None:
    """What Moodle's import refuses in a question it read (a grade off its list), or where its
    saving stops the import (no 100 % short answer, a pair without its answer), with the
    place; None when it stores the question."""
    bad = [a for a in q.answers if not any(abs(a.fraction - g / 100) < 0.00001 for g in ALLOWED)]
    if bad:
        grades = ", ".join(f"{a.fraction:g}" for a in bad)
        return bad[0].at, (f"Grades ({grades}) do not match grade options - question "
                           f"'{q.name}' skipped.")
    if q.qtype == "shortanswer" and max(a.fraction for a in q.answers) != 1:
        return q.at, ("One of the answers should have a score of 100% so it is possible to get "
                      "full marks for this question.")
    for text, answer, at in q.pairs:
        if text.text != "" and trim(answer) == "":
            return at, f"You must specify an answer matching the question '{text.text}'."
    return None
