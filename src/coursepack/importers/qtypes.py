"""The question types of a Moodle XML file, each read as Moodle's importer reads it, and the
field readers they share with the file's reader (moodlexml.py)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lxml import etree

from . import D, cloze, written_grade
from .giftkinds import GRADINGS
from .text import cleaned, source_text

if TYPE_CHECKING:
    from .moodlexml import _Reader

Element = Any  # lxml's _Element


def string(element: Element, path: str) -> str:
    """An element's text; HTML written into the file as elements (not escaped, not in CDATA)
    is kept as the HTML it is."""
    found = element.find(path)
    if found is None:
        return ""
    if len(found) == 0:
        return str(found.text or "")
    return (found.text or "") + "".join(etree.tostring(child, encoding="unicode", with_tail=True)
                                        for child in found)


def number(element: Element, path: str, default: float) -> float:
    try:
        return float(string(element, path) or default)
    except ValueError:
        return default


def flag(element: Element, path: str, default: bool) -> bool:
    value = string(element, path).strip().lower()
    return default if not value else value in ("1", "true", "yes")


def single(element: Element, path: str, default: str) -> bool:
    """A yes or no as Moodle's trans_single() reads it: 'false', '0' and nothing are no, anything
    else yes; `default` when the element is absent."""
    found = element.find(path)
    value = (string(element, path) if found is not None else default).strip()
    return value not in ("false", "0", "")


def fraction(answer: Element) -> float:
    try:
        value = float(answer.get("fraction", "0"))
    except ValueError:
        value = 0.0
    return written_grade(value)


def whole(value: float) -> float | int:
    """A number as an author writes it: 1000, not 1000.0."""
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def ordered(answer: D) -> D:
    order = ("text", "value", "tolerance", "correct", "grade", "feedback")
    return {k: answer[k] for k in order if k in answer}



def _multichoice(r: _Reader, item: Element) -> D:
    one = single(item, "single", "true")
    q: D = {"single": one} if not one else {}
    if not single(item, "shuffleanswers", "false"):  # Moodle's default when it is absent
        q["shuffle"] = False
    numbering = string(item, "answernumbering") or "abc"
    if numbering != "abc":
        q["numbering"] = numbering
    q["answers"] = r.answers(item, one, lambda a: r.text(a) or "")
    shown = int(number(item, "showstandardinstruction", 1)) != 0  # Moodle's default: shown
    return {**q, **_combined(r, item), **({"show_instruction": True} if shown else {})}


def _combined(r: _Reader, item: Element, *, shown: bool | None = None) -> D:
    q: D = {}
    for tag, key in (("correctfeedback", "correct_feedback"),
                     ("partiallycorrectfeedback", "partially_correct_feedback"),
                     ("incorrectfeedback", "incorrect_feedback")):
        value = r.text(item.find(tag))
        if value is not None:
            q[key] = value
    show = shown if shown is not None else item.find("shownumcorrect") is not None
    if not show:
        q["show_num_correct"] = False
    return q


def _truefalse(r: _Reader, item: Element) -> D:
    q: D = {"correct": True}
    for answer in item.iterchildren("answer"):
        which = string(answer, "text").strip().lower()
        feedback = r.text(answer.find("feedback"))
        if which == "true":
            q["correct"] = fraction(answer) > 0
            if feedback is not None:
                q["feedback_true"] = feedback
        elif which == "false" and feedback is not None:
            q["feedback_false"] = feedback
    return q


def _shortanswer(r: _Reader, item: Element) -> D:
    q: D = {"case_sensitive": True} if flag(item, "usecase", False) else {}
    q["answers"] = r.answers(item, True, lambda a: string(a, "text").strip())
    return q


def _numerical(r: _Reader, item: Element) -> D:
    answers = []
    for entry, answer in zip(r.answers(item, True, lambda a: string(a, "text").strip()),
                             item.iterchildren("answer"), strict=True):
        value = entry.pop("text")
        try:
            entry["value"] = "*" if value == "*" else whole(float(value.replace(",", ".")))
        except ValueError:
            r.found.note(answer.sourceline, f"question {r.name!r}: its answer {value!r} is not "
                         "a number, which Moodle's numerical questions cannot hold: not "
                         "imported", "import-dropped")
            continue
        tolerance = number(answer, "tolerance", 0.0)
        if tolerance:
            entry["tolerance"] = tolerance
        answers.append(entry)
    return {"answers": [ordered(a) for a in answers], **_units(r, item)}


_DISPLAY = {0: "text", 1: "radio", 2: "select"}


def _units(r: _Reader, item: Element) -> D:
    """A numerical question's units and how Moodle marks them."""
    units = [{"unit": string(u, "unit_name").strip(),
              **({} if number(u, "multiplier", 1.0) == 1 else
                 {"multiplier": whole(number(u, "multiplier", 1.0))})}
             for u in item.iterfind("units/unit")]
    show = int(number(item, "showunits", 0 if units else 3))
    grading = int(number(item, "unitgradingtype", 0))
    if not units or show == 3:
        if units:
            r.found.note(item.sourceline, f"question {r.name!r}: its units are not used "
                         "(units: not used at all), so they are not imported", "import-dropped")
        return {}
    q: D = {"units": units}
    if grading in (1, 2):
        q["unit_graded"] = True
        penalty = number(item, "unitpenalty", 0.1)
        if abs(penalty - 0.1) > 1e-7:
            q["unit_penalty"] = penalty
        if grading == 2:
            q["unit_penalty_of"] = "question"
        if show in (1, 2):
            q["unit_display"] = _DISPLAY[show]
    if flag(item, "unitsleft", False):
        q["unit_left"] = True
    return q


def _matching(r: _Reader, item: Element) -> D:
    q: D = {} if single(item, "shuffleanswers", "1") else {"shuffle": False}
    pairs, distractors = [], []
    for sub in item.iterchildren("subquestion"):
        answer = _choice(r, string(sub, "answer/text"), sub)
        question = r.text(sub)
        if question is None:
            distractors.append(answer)
        else:
            pairs.append({"question": question, "answer": answer})
    q["pairs"] = pairs
    if distractors:
        q["distractors"] = distractors
    return {**q, **_combined(r, item)}


def _plain(text: str) -> str:
    """A plain text Moodle holds as HTML-escaped text."""
    return html.unescape(text).strip()


def _choice(r: _Reader, raw: str, element: Element) -> str:
    """A choice's text, which coursepack holds as plain text: HTML tags in it (its formatting)
    are left out, and reported."""
    if re.search(r"<[a-zA-Z/]", raw):
        formatted(r, raw, element)
        raw = re.sub(r"<[^>]*>", "", raw)
    return _plain(raw)


def formatted(r: _Reader, choice: str, element: Element) -> None:
    """Report a choice whose formatting is left out."""
    r.found.note(element.sourceline, f"question {r.name!r}: the formatting of its choice "
                 f"{choice!r} is not imported (choices are plain text)", "import-dropped")


def _essay(r: _Reader, item: Element) -> D:
    q: D = {}
    fmt = string(item, "responseformat") or "editor"
    if fmt != "editor":
        q["response_format"] = fmt
    if not flag(item, "responserequired", True):
        q["response_required"] = False
    for tag, key, default in (("responsefieldlines", "response_lines", 15),
                              ("minwordlimit", "min_words", 0), ("maxwordlimit", "max_words", 0),
                              ("attachments", "attachments", 0),
                              ("attachmentsrequired", "attachments_required", 0)):
        value = int(number(item, tag, default))
        if value != default:
            q[key] = value
    for tag, key in (("graderinfo", "grader_info"), ("responsetemplate", "response_template")):
        text = r.text(item.find(tag))
        if text is not None:
            q[key] = text
    for tag, what in (("maxbytes", "largest attachment"), ("filetypeslist", "file types")):
        limit = string(item, tag).strip()
        if limit not in ("", "0"):
            r.found.note(item.sourceline, f"question {r.name!r}: its {what} ({tag} {limit!r}) "
                         "cannot be held by coursepack, which leaves it to the site's limits: "
                         "not imported", "import-dropped")
    return q


def _ordering(r: _Reader, item: Element) -> D:
    """qtype_ordering's options read as its importer reads them: the names it takes for each,
    its defaults for those absent (a random selection, graded relative to the next item)."""
    q: D = {}
    found = _ordering_options(*(string(item, tag) if item.find(tag) is not None else None
                                for tag in ("layouttype", "selecttype", "gradingtype",
                                            "showgrading", "numberingstyle")))
    for key, default in (("layout", "vertical"), ("select", "all"),
                         ("grading", "absolute_position"), ("show_grading", True),
                         ("numbering", "none")):
        if found[key] != default:
            q[key] = found[key]
    answers = sorted(item.iterchildren("answer"), key=fraction)
    q["items"] = [_choice(r, string(a, "text"), a) for a in answers]
    count = min(_select_count(item), len(answers))  # more than there are: all of them
    if count != len(answers):
        q["select_count"] = count
    return {**q, **_combined(r, item, shown=string(item, "shownumcorrect") != "0")}


def _select_count(item: Element) -> int:
    """How many items qtype_ordering's importer selects: 6 when not given, at least 2."""
    raw = string(item, "selectcount") if item.find("selectcount") is not None else "6"
    try:
        count = int(float(raw))
    except (ValueError, OverflowError):
        return 2
    return max(count, 2)


def _ordering_options(layout: str | None, select: str | None, grading: str | None,
                      show: str | None, numbering: str | None) -> D:
    """qtype_ordering's set_options_for_import(): each option from any name it takes (None:
    the element is absent, and its importer's default applies)."""
    select = "RANDOM" if select is None else select.upper()
    return {"layout": "horizontal" if (layout or "").upper() in ("HORIZONTAL", "HORI", "H", "1")
            else "vertical",
            "select": {"ALL": "all", "EXACT": "all", "CONTIGUOUS": "contiguous",
                       "CONTIG": "contiguous"}.get(select, "random"),
            "grading": GRADINGS.get((grading or "").upper(), "relative_next_exclude_last"),
            "show_grading": (show or "1").upper() not in ("HIDE", "FALSE", "NO"),
            "numbering": numbering if numbering in ("none", "123", "abc", "ABCD", "iii", "IIII")
            else "none"}


def _gapselect(r: _Reader, item: Element) -> D:
    return _choices(r, item, "selectoption")


def _ddwtos(r: _Reader, item: Element) -> D:
    return _choices(r, item, "dragbox")


def _choices(r: _Reader, item: Element, tag: str) -> D:
    """A select-missing-words or drag-and-drop question's choices (`tag`), each with its group
    and (dragged) whether it is unlimited, then its shuffle and combined feedback."""
    q: D = {} if single(item, "shuffleanswers", "1") else {"shuffle": False}
    choices = []
    for box in item.iterchildren(tag):
        choice: D = {"text": _choice(r, string(box, "text"), box)}
        group = int(number(box, "group", 1))
        if group != 1:
            choice["group"] = group
        if tag == "dragbox" and box.find("infinite") is not None:
            choice["unlimited"] = True
        choices.append(choice)
    q["choices"] = choices
    return {**q, **_combined(r, item)}


def _cloze(r: _Reader, item: Element) -> D:
    found: list[D] = []

    def marked(raw: str) -> str:
        text, gaps = cloze.gaps(raw, lambda fb: source_text(cleaned(fb)[0]) if fb.strip()
                                else None, lambda choice: formatted(r, choice, item))
        found.extend(gaps)
        return text.replace("&#123;", "{")  # a brace written so that Moodle takes no gap

    text = r.text(item.find("questiontext"), marked)
    return {"text": text, "gaps": found}


TYPES: dict[str, Callable[[_Reader, Element], D]] = {
    "multichoice": _multichoice, "truefalse": _truefalse, "shortanswer": _shortanswer,
    "numerical": _numerical, "matching": _matching, "match": _matching, "essay": _essay,
    "ordering": _ordering, "cloze": _cloze,
    "gapselect": _gapselect, "ddwtos": _ddwtos, "description": lambda r, item: {},
}
