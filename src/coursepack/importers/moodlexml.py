"""Moodle XML question files (qformat_xml) as source questions, read as Moodle's importer reads
them: categories, names, idnumbers, texts and their files, grades, feedback, hints and tags."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from ..diagnostics import Severity
from ..qchecks import answer_grades
from ..writers.names import moodle_name
from . import PLUGINFILE, D, Found, cloze
from .phptext import param_text, question_name, trim
from .qtypes import TYPES, fraction, number, ordered, string, whole
from .text import cleaned, plain_text, source_text

Element = Any  # lxml's _Element
# Moodle's question types coursepack has no model for, by the name the file gives them
UNSUPPORTED = {"calculated": "calculated", "calculatedsimple": "simple calculated",
               "calculatedmulti": "calculated multichoice", "randomsamatch":
               "random short-answer matching", "ddimageortext": "drag and drop onto image",
               "ddmarker": "drag and drop markers", "random": "random",
               "multianswer": "embedded answers (cloze)"}
_NAMES = {"match": "matching"}  # Moodle's name of a type, where coursepack's differs


def read(data: bytes, display: str, folder: Path | None = None) -> Found:
    """The questions of a Moodle XML file (a file Moodle would refuse gives one error), its
    files named for the unit folder `folder`."""
    return read_tree(data, display, folder)[0]


def read_tree(data: bytes, display: str, folder: Path | None = None
              ) -> tuple[Found, Element | None]:
    """`read`, with the file's root element (None when the file could not be read)."""
    found = Found(display, folder=folder)
    root = parsed(data, found, "quiz", "a Moodle XML question file")
    if root is not None:
        _Reader(found).questions(root)
    return found, root


def parsed(data: bytes, found: Found, tag: str | None, what: str) -> Element | None:
    """The file's root element, when it is well-formed XML with no DOCTYPE and the root `tag`
    (any root when None); else None, with the reason noted."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_blank_text=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        found.note(line, f"not well-formed XML: {exc.msg}", "import-syntax", Severity.ERROR, col)
        return None
    if root.getroottree().docinfo.internalDTD is not None:
        found.note(2, "the file declares a DOCTYPE (entities); Moodle's own exports have none, "
                   "and its entities are not read: remove it", "import-syntax", Severity.ERROR)
        return None
    if tag is not None and root.tag != tag:
        found.note(1, f"not {what}: its root is <{root.tag}>, not <{tag}>", "import-format",
                   Severity.ERROR)
        return None
    return root


class _Reader:
    """One file's questions, in order, each with the category it was in."""

    def __init__(self, found: Found) -> None:
        self.found = found
        self.category: list[str] = []
        self.name = ""

    def questions(self, root: Element) -> None:
        for item in root.iterchildren("question"):
            kind = item.get("type", "")
            if kind == "category":
                self.category = category_path(string(item, "category/text"))
                self.found.categories[tuple(self.category)] = string(item, "idnumber")
                continue
            # the name Moodle stores (tags stripped, as its importer cleans it), as it shows it
            self.name = moodle_shown(question_name(string(item, "name/text"))) or "(no name)"
            convert = TYPES.get(kind)
            if convert is None:
                what = UNSUPPORTED.get(kind, kind or "of no type")
                self.found.note(item.sourceline, f"question {self.name!r} is of type {what}, "
                                "which coursepack cannot hold: not imported", "import-unsupported")
                continue
            question = {"type": _NAMES.get(kind, kind), "_line": item.sourceline,
                        "_category": self.category, **self.common(item)}
            try:
                question.update(convert(self, item))
            except cloze.Unsupported as exc:
                self.found.note(item.sourceline, f"question {self.name!r} has a {exc} gap (several "
                                "right answers to tick), which coursepack's cloze questions "
                                "cannot hold: not imported", "import-unsupported")
                continue
            self.found.questions.append(question)

    def common(self, item: Element) -> D:
        q: D = {"name": self.name}
        idnumber = string(item, "idnumber")
        if idnumber:
            q["id"] = idnumber
        if item.get("type") != "cloze":  # a cloze's text is read with its gaps
            q["text"] = self.text(item.find("questiontext"))
        feedback = self.text(item.find("generalfeedback"))
        if feedback is not None:
            q["general_feedback"] = feedback
        if item.get("type") == "description":  # no mark, no penalty, no hints
            return {**q, **self.tags(item)}
        mark = number(item, "defaultgrade", 1.0)
        if mark != 1.0 and item.get("type") != "cloze":  # a cloze's mark is its gaps' marks
            q["mark"] = whole(mark)
        penalty = number(item, "penalty", 0.3333333)
        if abs(penalty - 0.3333333) > 1e-7 and item.get("type") != "truefalse":
            q["penalty"] = whole(penalty)
        hints = [self.hint(h, item.get("type") == "ordering") for h in item.iterchildren("hint")]
        if hints:
            q["hints"] = hints
        return {**q, **self.tags(item)}

    @staticmethod
    def tags(item: Element) -> D:
        tags = [t for t in (string(tag, "text") for tag in item.iterfind("tags/tag")) if t]
        return {"tags": tags} if tags else {}

    def hint(self, element: Element, ordering: bool) -> D:
        hint: D = {"text": self.text(element) or ""}
        if element.find("shownumcorrect") is not None:
            hint["show_num_correct"] = True
        clear = (string(element, "options") == "1") if ordering else \
            element.find("clearwrong") is not None
        if clear:
            hint["clear_wrong"] = True
        return hint

    def text(self, element: Element | None,
             transform: Callable[[str], str] | None = None) -> Any:
        """A text element's source value (None when empty), its files kept (`transform`: a
        change to its HTML first)."""
        if element is None:
            return None
        raw = string(element, "text")
        if not raw.strip():
            return None
        contents = {f.get("name", ""): f.text or "" for f in element.iterchildren("file")}
        raw = PLUGINFILE.sub(lambda m: self._file(m.group(1), contents, element), raw)
        if transform is not None:
            raw = transform(raw)
        fmt = element.get("format", "html")
        if fmt in ("plain_text", "moodle_auto_format"):
            return plain_text(raw)
        if fmt == "markdown":
            return raw.strip()
        clean, removed = cleaned(raw)
        for message in removed:
            self.found.note(element.sourceline, f"question {self.name!r}: removed from its "
                            f"text: {message}", "import-unsafe")
        return source_text(clean)

    def _file(self, url_name: str, contents: dict[str, str], element: Element) -> str:
        address = self.found.keep_encoded(url_name, contents)
        if address is None:
            self.found.note(element.sourceline, f"question {self.name!r} names the file "
                            f"{unquote(url_name)!r}, which the file does not hold: the "
                            "address is kept", "import-file-missing")
            return "@@PLUGINFILE@@/" + url_name
        return address

    def answers(self, item: Element, single: bool, text: Callable[[Element], Any]) -> list[D]:
        """Each `<answer>`: its text, grade (as `correct: true` where that is its shorthand)
        and feedback."""
        items = list(item.iterchildren("answer"))
        fractions = [fraction(a) for a in items]
        found = []
        for answer, grade in zip(items, fractions, strict=True):
            entry: D = {"text": text(answer)}
            if grade:
                entry["grade"] = grade
            feedback = self.text(answer.find("feedback"))
            if feedback is not None:
                entry["feedback"] = feedback
            found.append(entry)
        return _shorthand(found, fractions, single)


def _shorthand(answers: list[D], fractions: list[float], single: bool) -> list[D]:
    """`correct: true` for the grades it stands for, when every grade is so written."""
    short = [{**{k: v for k, v in a.items() if k != "grade"},
              **({"correct": True} if f > 0 else {})} for a, f in zip(answers, fractions,
                                                                    strict=True)]
    if answer_grades(short, single) == [float(f) for f in fractions]:
        return [ordered(a) for a in short]
    return answers


def category_path(text: str) -> list[str]:
    """A category's path as Moodle reads it (split_category_path), without its context and
    `top`: split at each lone '/', '//' in a name a '/', each name cleaned (PARAM_TEXT)."""
    parts = [param_text(trim(p.replace("//", "/"))) for p in re.split(r"(?<!/)/(?!/)", text)]
    if parts and re.fullmatch(r"\$[a-z]+\$", parts[0]):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return [moodle_shown(p) for p in parts if p]  # a name as Moodle shows it, as for questions


def moodle_shown(stored: str) -> str:
    """A name as Moodle shows it: what it stores, entities read where coursepack would write
    them again (writers/names.py)."""
    shown = html.unescape(stored)
    return shown if moodle_name(shown) == stored else stored
