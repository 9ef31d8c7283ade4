"""GIFT question files as source questions, read as Moodle's own GIFT reader reads them."""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from ..diagnostics import Severity
from . import PLUGINFILE, D, Found, written_grade
from .giftkinds import read_answers, saving_refuses
from .giftparse import HTML, MARKDOWN, PLAIN, Parsed, Refused, Text, read_question
from .giftsrc import blocks, file_lines
from .moodlexml import _shorthand, moodle_shown
from .phptext import param_text, text_to_html, trim
from .qtypes import ordered, whole
from .text import cleaned, plain_text, source_text

_TYPES = {"match": "matching"}  # Moodle's name of a type, where coursepack's differs


def read(data: bytes, display: str, folder: Path | None = None) -> Found:
    """The questions of a GIFT file (what Moodle would refuse gives located errors), placed
    below the unit folder `folder`'s own category when the file names it as coursepack does."""
    found = Found(display, folder=folder)
    text = _decoded(data, found)
    if text is not None:
        _Reader(found, text).run()
        _own_category(found, folder)
    return found


def _decoded(data: bytes, found: Found) -> str | None:
    """The file's text (its byte order mark dropped); None, with an error, when it is not
    UTF-8, which Moodle refuses."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[:exc.start]
        breaker = b"\n" if b"\n" in data or b"\r" not in data else b"\r"
        line_start = head.rfind(breaker) + 1
        col = len(head[line_start:].decode("utf-8", "replace")) + 1
        found.note(head.count(breaker) + 1, f"not UTF-8 (byte 0x{data[exc.start]:02x}): Moodle "
                   "refuses a GIFT file in any other encoding; save it as UTF-8",
                   "import-syntax", Severity.ERROR, col)
        return None
    return text[1:] if text.startswith("\ufeff") else text


class _Reader:
    """One file's questions, in order, each with the category a $CATEGORY line put it in."""

    def __init__(self, found: Found, text: str) -> None:
        self.found, self.text = found, text
        self.starts = file_lines(text)
        self.category: list[str] = []
        self.name = ""

    def place(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def note(self, offset: int, message: str, code: str,
             severity: Severity = Severity.WARNING) -> None:
        line, col = self.place(offset)
        self.found.note(line, message, code, severity, col)

    def run(self) -> None:
        read = 0
        for lines in blocks(self.text, self.starts):
            try:
                q, block = read_question(lines)
                if q is None:
                    continue
                read += 1
                if q.qtype == "category":
                    self.category = category_path(q.category, self.category)
                    continue
                read_answers(q, block)
                refused = saving_refuses(q)
                if refused is not None:
                    raise Refused(refused[1], refused[0])
            except Refused as exc:
                self.note(exc.at, f"Moodle refuses this question: {exc}", "import-syntax",
                          Severity.ERROR)
                continue
            self.question(q)
        if not read:
            self.found.note(1, "There are no questions in the import file (Moodle refuses it)",
                            "import-syntax", Severity.ERROR)

    def question(self, q: Parsed) -> None:
        self.name = moodle_shown(q.name) or "(no name)"
        out: D = {"type": _TYPES.get(q.qtype, q.qtype), "_line": self.place(q.at)[0],
                  "_category": list(self.category), "name": self.name}
        if q.idnumber:
            out["id"] = q.idnumber
        for key, value in (("text", self.value(q.text)), ("general_feedback",
                                                           self.value(q.general))):
            if value is not None:
                out[key] = value
        tags = _tags(q.tags)
        if tags:
            out["tags"] = tags
        out.update(_SHAPES[q.qtype](self, q))
        for at, message in q.notes:
            self.note(at, f"question {self.name!r}: {message}", "import-escape")
        self.found.questions.append(out)

    def value(self, t: Text | None) -> Any:
        """A text's source value (None when empty), read by its format as Moodle shows it: an
        auto-format text holding a tag is HTML, its line breaks kept."""
        if t is None or not t.text.strip():
            return None
        for name in sorted(set(PLUGINFILE.findall(t.text))):
            self.note(t.at, f"question {self.name!r} names the file {unquote(name)!r}, which a "
                      "GIFT file cannot hold: the address is kept", "import-file-missing")
        if t.format == PLAIN or (t.format not in (HTML, MARKDOWN) and not _TAG.search(t.text)):
            return plain_text(t.text)
        if t.format == MARKDOWN:
            return t.text.strip()
        clean, removed = cleaned(t.text if t.format == HTML else text_to_html(t.text))
        for message in removed:
            self.note(t.at, f"question {self.name!r}: removed from its text: {message}",
                      "import-unsafe")
        return source_text(clean)

    def answers(self, q: Parsed, single: bool, keep: list[tuple[Any, float, Text]]) -> list[D]:
        """Answers (text or value, fraction, feedback) with their grades, written `correct:
        true` where that shorthand gives the same grades."""
        entries, grades = [], []
        for body, fraction, feedback in keep:
            grade = written_grade(fraction * 100)
            entry: D = dict(body)
            if grade:
                entry["grade"] = grade
            value = self.value(feedback)
            if value is not None:
                entry["feedback"] = value
            entries.append(entry)
            grades.append(grade)
        return [ordered(a) for a in _shorthand(entries, grades, single)]


_TAG = re.compile(r"<[A-Za-z!/?]")


def _multichoice(r: _Reader, q: Parsed) -> D:
    kept = [({"text": r.value(a.text)}, a.fraction, a.feedback) for a in q.answers
            if trim(a.text.text)]  # Moodle saves no empty answer
    out: D = {} if q.single else {"single": False}
    return {**out, "answers": r.answers(q, q.single, kept), "show_num_correct": False}


def _truefalse(r: _Reader, q: Parsed) -> D:
    out: D = {"correct": q.correct}
    for key, text in (("feedback_true", q.feedback_true), ("feedback_false", q.feedback_false)):
        value = r.value(text)
        if value is not None:
            out[key] = value
    return out


def _shortanswer(r: _Reader, q: Parsed) -> D:
    kept = [({"text": trim(a.text.text)}, a.fraction, a.feedback) for a in q.answers
            if trim(a.text.text) or a.fraction or a.feedback.text.strip()]
    return {"answers": r.answers(q, True, kept)}


def _numerical(r: _Reader, q: Parsed) -> D:
    kept = []
    for a in q.answers:
        if a.value is None and a.text.text != "*":
            r.note(a.at, f"question {r.name!r}: its answer {a.text.text!r} is not a number, "
                   "which Moodle's GIFT reader takes for '*' (any other answer): imported as "
                   "'*'", "import-number")
        body: D = {"value": "*"} if a.value is None else {
            "value": whole(a.value), **({"tolerance": whole(a.tolerance)} if a.tolerance else {})}
        kept.append((body, a.fraction, a.feedback))
    return {"answers": r.answers(q, True, kept)}


def _matching(r: _Reader, q: Parsed) -> D:
    pairs, distractors = [], []
    for text, answer, _ in q.pairs:
        shown = html.unescape(answer).strip()
        question = r.value(text)
        if question is not None:
            pairs.append({"question": question, "answer": shown})
        elif shown:
            distractors.append(shown)
    return {"pairs": pairs, **({"distractors": distractors} if distractors else {}),
            "show_num_correct": False}


def _ordering(r: _Reader, q: Parsed) -> D:
    items = [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in q.items]
    o = q.options
    out: D = {"items": items}
    defaults = {"select_count": len(items), "select": "all", "layout": "vertical",
                "grading": "absolute_position", "numbering": "none"}
    for key, default in defaults.items():
        if o[key] != default:
            out[key] = o[key]
    if not o["show_grading"]:
        out["show_grading"] = False
    return {**out, "show_num_correct": False}


def _text_only(r: _Reader, q: Parsed) -> D:
    return {}  # an essay (GIFT gives Moodle's defaults) or a description


_SHAPES: dict[str, Callable[[_Reader, Parsed], D]] = {
    "multichoice": _multichoice, "truefalse": _truefalse, "shortanswer": _shortanswer,
    "numerical": _numerical, "match": _matching, "ordering": _ordering, "essay": _text_only,
    "description": _text_only}


def _tags(raw: list[str]) -> list[str]:
    """Tags as Moodle keeps them (PARAM_TAG; one of each, whatever its case)."""
    found: dict[str, str] = {}
    for tag in raw:
        clean = re.sub(r"[ \t\n\r\x0b\x0c]+", " ", re.sub(r"[\x00-\x1f\x7f<>`]", "", tag))
        clean = trim(clean)[:255]
        if clean:
            found.setdefault(clean.lower(), clean)
    return list(found.values())


def category_path(raw: str, current: list[str]) -> list[str]:
    """A $CATEGORY path as Moodle makes it: names split at single '/' ('//' is a '/'), its
    context ('$course$') and 'top' dropped; a path naming nothing keeps `current`."""
    names = [param_text(trim(name.replace("//", "/")))
             for name in re.split(r"(?<!/)/(?!/)", raw)]
    if re.fullmatch(r"\$[a-z]+\$", names[0]):
        names = names[1:]
        if not names:
            return current
    return [moodle_shown(name) for name in names if name not in ("top", "")]


def _own_category(found: Found, folder: Path | None) -> None:
    """The unit's own category, named as coursepack names it (course, then unit), marked as
    the unit's: questions below it keep only the path under it."""
    if folder is None:
        return
    try:
        unit = yaml.safe_load((folder / "unit.yaml").read_text(encoding="utf-8"))
        course = yaml.safe_load((folder.parent.parent / "course.yaml").read_text(
            encoding="utf-8"))
        title = str(unit["title"])
        label = f"{title} ({unit['awarding_body']})" if unit.get("awarding_body") else title
        names = [str(course.get("category") or course["shortname"]), label]
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, AttributeError):
        return
    for q in found.questions:
        path = q["_category"]
        if path[:1] == names[:1] and path[1:2] in ([label], [f"{label} [{folder.name}]"]):
            found.categories[tuple(path[:2])] = folder.name
