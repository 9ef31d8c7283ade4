"""Question files (Moodle XML, GIFT) by type and category, read by coursepack's importers."""

from __future__ import annotations

from collections import Counter

from ..importers import gift, moodlexml
from ..importers.moodlexml import category_path
from ..importers.qtypes import string
from .report import Report, counted, plural
from .xmltree import Element, adopt

# The types question/format/xml/format.php import_question() reads itself, and those a core
# question type reads with its own import_from_xml() (ddimageortext, ddmarker, ddwtos,
# gapselect, ordering, randomsamatch), the same in Moodle 4.5 and 5.1.
XML_TYPES = {"multichoice", "truefalse", "shortanswer", "numerical", "description", "matching",
             "match", "cloze", "multianswer", "essay", "calculated", "calculatedsimple",
             "calculatedmulti", "ddimageortext", "ddmarker", "ddwtos", "gapselect", "ordering",
             "randomsamatch"}
# A type's name as Moodle stores it, where a file names it otherwise (coursepack's names too).
QTYPE = {"matching": "match", "cloze": "multianswer"}
UNSET = "(the category chosen on import)"


def category_name(path: tuple[str, ...]) -> str:
    """A category path as Moodle shows it, or what stands for the one chosen on import."""
    return " / ".join(path) if path else UNSET


def inspect_xml(report: Report, data: bytes) -> None:
    """A Moodle XML question file (question/format/xml/format.php)."""
    report.kind, report.title = "moodle-xml", "Moodle XML questions"
    found, root = moodlexml.read_tree(data, report.path)
    adopt(report, found.notes)
    if root is None:
        return
    types: Counter[str] = Counter()
    categories: dict[tuple[str, ...], int] = {}
    files = _walk(report, root, types, categories)
    if not root.findall("question"):
        report.error("There are no questions in the import file (Moodle refuses it)",
                     "inspect-empty", line=root.sourceline)
    _summarise(report, types, categories, files)


def _walk(report: Report, root: Element, types: Counter[str],
          categories: dict[tuple[str, ...], int]) -> int:
    """Count the questions Moodle would import by type and category; the files they carry."""
    current: tuple[str, ...] = ()
    files = 0
    for item in root.iterchildren("question"):
        kind = item.get("type") or ""
        if kind == "category":
            current = tuple(category_path(string(item, "category/text")))
            categories.setdefault(current, 0)
        elif kind not in XML_TYPES:
            report.error(f"Question type {kind or '(none)'} is not supported by XML import: "
                         "Moodle refuses the file", "inspect-qtype", line=item.sourceline)
        elif item.find("name/text") is None:
            report.error("Missing question name in XML file: Moodle refuses the file",
                         "inspect-no-name", line=item.sourceline)
        else:
            types[QTYPE.get(kind, kind)] += 1
            categories[current] = categories.get(current, 0) + 1
            files += sum(1 for _ in item.iter("file"))
    return files


def inspect_gift(report: Report, data: bytes) -> None:
    """A GIFT question file (question/format/gift/format.php), which holds no files."""
    report.kind, report.title = "gift", "GIFT questions"
    found = gift.read(data, report.path)
    adopt(report, found.notes)
    types: Counter[str] = Counter()
    categories: dict[tuple[str, ...], int] = {}
    for question in found.questions:
        kind = str(question["type"])
        types[QTYPE.get(kind, kind)] += 1
        path = tuple(question["_category"])
        categories[path] = categories.get(path, 0) + 1
    _summarise(report, types, categories, 0)


def _summarise(report: Report, types: Counter[str], categories: dict[tuple[str, ...], int],
               files: int) -> None:
    total = sum(types.values())
    report.facts.update(questions=total, types=dict(sorted(types.items())), files=files,
                        categories=[{"path": list(path), "questions": n}
                                    for path, n in categories.items()])
    report.say(f"{plural(total, 'question')}" + (f": {counted(types)}" if types else ""))
    for path, n in categories.items():
        report.say(f"category {category_name(path)}: {plural(n, 'question')}")
    report.say(f"{plural(files, 'embedded file')}")
