"""A source whose every Moodle-limited field sits exactly at Moodle's limit (or one over).

Texts mix ASCII, accented letters and an emoji (one code point, two UTF-16 units) so that
lengths are counted as Moodle counts them, in characters.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from coursepack.yamlload import loads

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "minimal" / "source"
PATTERN = "Limité 😀 text "
# 255 less "Interactive revision: " (the longest activity prefix) and " (Test Body)".
UNIT_TITLE = 255 - len("Unit 1: ") - len(" (Test Body)")

Docs = dict[str, Any]
Setter = Callable[[Docs, str], None]


def text(length: int, start: str = "") -> str:
    """A text of exactly `length` characters, starting with `start`, ending in a letter."""
    out = (start + " " + PATTERN * (length // len(PATTERN) + 1))[: length - 1] + "z"
    return out[:length]


def _question(docs: Docs, qtype: str) -> dict[str, Any]:
    return next(q for q in docs["questions"]["questions"] if q["type"] == qtype)


def _set(path: tuple[Any, ...]) -> Setter:
    def setter(docs: Docs, value: str) -> None:
        node = docs
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return setter


def _tag(docs: Docs, value: str) -> None:
    _question(docs, "multichoice")["tags"] = [value]


def _question_key(qtype: str, key: str) -> Setter:
    return lambda docs, value: _question(docs, qtype).__setitem__(key, value)


def _pair(docs: Docs, value: str) -> None:
    _question(docs, "matching")["pairs"][0]["answer"] = value


def _distractor(docs: Docs, value: str) -> None:
    _question(docs, "matching")["distractors"] = [value]


def _alias(docs: Docs, value: str) -> None:
    docs["glossary"]["terms"][2]["aliases"] = [value]


# field -> (how to set it, Moodle's limit for it, the column the error must name)
FIELDS: dict[str, tuple[Setter, int, str]] = {
    "course title": (_set(("course", "title")), 254, "course.fullname"),
    "course category": (_set(("course", "category")), 255, "question_categories.name"),
    "unit title": (_set(("unit", "title")), UNIT_TITLE, "course_sections.name"),
    "outcome statement": (_set(("unit", "learning_outcomes", 0, "statement")),
                          255 - len("Outcome 1: "), "book_chapters.title"),
    "question name": (_question_key("multichoice", "name"), 255, "question.name"),
    "question category": (_question_key("truefalse", "category"), 255,
                          "question_categories.name"),
    "tag": (_tag, 255, "tag.name"),
    "matching answer": (_pair, 255, "qtype_match_subquestions.answertext"),
    "distractor": (_distractor, 255, "qtype_match_subquestions.answertext"),
    "glossary term": (_set(("glossary", "terms", 1, "term")), 255, "glossary_entries.concept"),
    "glossary alias": (_alias, 255, "glossary_alias.alias"),
    "lesson page title": (_set(("lesson", "pages", 0, "title")), 255, "lesson_pages.title"),
}
FILES = {"course": "course.yaml", "glossary": "glossary.yaml", "unit": "units/u1/unit.yaml",
         "questions": "units/u1/questions.yaml", "lesson": "units/u1/lesson.yaml"}


def limit_source(dest: Path, over: str | None = None) -> Path:
    """Write the source at `dest`: every field at its limit, `over` one character longer."""
    shutil.copytree(MINIMAL, dest)
    docs = {key: loads((dest / name).read_bytes(), dest / name, name).data
            for key, name in FILES.items()}
    for field, (setter, limit, _) in FIELDS.items():
        setter(docs, text(limit + (field == over), field.capitalize()))
    for key, name in FILES.items():
        (dest / name).write_text(yaml.safe_dump(docs[key], allow_unicode=True, sort_keys=False,
                                                width=10_000))
    return dest
