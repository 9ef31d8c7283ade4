"""Semantic checks on schema-valid source: unique ids, references, Moodle's grade rules, jumps."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from . import htmltext
from .diagnostics import Diagnostic, Hints, Severity, quote
from .markup import unsafe_links
from .media.refs import Ref, refs
from .model import Html
from .qchecks import check_content_page, check_lesson_page, check_question
from .sites import Sites, find
from .yamlload import Document, Path_

JUMP_WORDS = ("next", "this", "previous", "end")
UNKNOWN_JUMP = "unknown-jump"  # the one finding of a lesson's own checks that gives a hint
PLACEHOLDER = "[fill in"  # how a skeleton's placeholders start (starter/skeletons.py)


@dataclass
class Source:
    """The schema-valid documents of a source tree, by role."""

    course: Document | None = None
    glossary: Document | None = None
    units: dict[str, Document] = field(default_factory=dict)
    questions: dict[str, Document] = field(default_factory=dict)
    lessons: dict[str, Document] = field(default_factory=dict)
    glossary_ok: bool = True
    bad: dict[int, set[Path_]] = field(default_factory=dict)
    hint: Hints = field(default_factory=Hints)

    def ok(self, doc: Document, path: Path_) -> bool:
        """True when no schema error lies in the top-level item at `path` (key, index)."""
        return path[:2] not in self.bad.get(id(doc), ())

    def documents(self) -> Iterator[Document]:
        """Every loaded document."""
        for doc in (self.course, self.glossary):
            if doc is not None:
                yield doc
        for docs in (self.units, self.questions, self.lessons):
            yield from docs.values()

    def items(self, doc: Document, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """The schema-valid items of a document's top-level list."""
        for i, item in enumerate(doc.data[key]):
            if self.ok(doc, (key, i)):
                yield i, item


def check(src: Source) -> list[Diagnostic]:
    """Every semantic problem in the source."""
    found = list(_unique_ids(src))
    for doc in src.documents():
        found += text_findings(doc)
    found += _tag_spellings(src)
    found += _course(src)
    terms = _term_ids(src)
    if src.glossary is not None:
        found += _glossary_refs(src, src.glossary, terms)
    for unit_id, doc in src.units.items():
        found += _unit_refs(src, doc, terms if src.glossary_ok else None)
        outcomes = {ident for _, ident, what in sites(src, "unit", doc).ids
                    if what == "learning outcome"}
        if unit_id in src.questions:
            found += _questions(src, src.questions[unit_id], outcomes)
        if unit_id in src.lessons:
            lesson = src.lessons[unit_id]
            local = sites(src, "lesson", lesson).local
            found += _lesson(src, lesson) if local is None else local
    return found


def sites(src: Source, kind: str, doc: Document) -> Sites:
    """What the checks across files read of a unit's file of `kind` (unit, questions or
    lesson): kept with its parse, else found now in the items that passed the schema."""
    if doc.sites is None:
        doc.sites = find(kind, doc.data, lambda path: src.ok(doc, path))
    return doc.sites


def kept_sites(kind: str, doc: Document) -> Sites | None:
    """The sites to keep with the parse of a file that passed its schema `kind` (None for the
    course's files), a lesson's with what its own checks found when none of that gives a hint
    (a hint's budget is the whole run's)."""
    if kind not in ("unit", "questions", "lesson"):
        return None
    src = Source()
    found = find(kind, doc.data, lambda path: True)
    if kind == "lesson":
        local = list(_lesson(src, doc))
        if not any(d.code == UNKNOWN_JUMP for d in local):
            found = replace(found, local=tuple(local))
    return found


def text_findings(doc: Document) -> list[Diagnostic]:
    """What the rules for any text find in a document (kept with its parse: see parsed.py)."""
    if doc.findings is None:
        found: list[Diagnostic] = []
        media: list[tuple[Path_, Ref]] = []
        _scan(doc, doc.data, (), found, media)
        doc.findings, doc.media = found, media
    return doc.findings


def media_refs(doc: Document) -> list[tuple[Path_, Ref]]:
    """The images and file links in a document's texts, each with its text's path (found with
    the text rules, and kept with them)."""
    text_findings(doc)
    return doc.media or []


def _course(src: Source) -> Iterator[Diagnostic]:
    course = src.course
    if (course is None or not isinstance(course.data.get("start_date"), str)
            or not src.ok(course, ("start_date",))):
        return
    try:
        datetime.date.fromisoformat(course.data["start_date"])
    except ValueError:
        yield course.diag(("start_date",), f"{quote(course.data['start_date'])} is not a date "
                          "in the calendar", "bad-date")


def _scan(doc: Document, data: Any, path: Path_, found: list[Diagnostic],
          media: list[tuple[Path_, Ref]]) -> None:
    """The text rules over every text value under `data`, in document order, and the media its
    texts name; a value's path is made only when a rule may apply to it (a text holding none of
    ] < $@ and no space at either end cannot break one, nor name a file)."""
    if isinstance(data, str):
        _text(doc, path, data, found, media)
        return
    pairs = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(
        data, list) else ()
    for key, value in pairs:
        if type(value) is dict and len(value) == 1 and isinstance(value.get("html"), str):
            _html(doc, (*path, key, "html"), Html(value["html"]), found, media)
        elif isinstance(value, str):
            if ("]" in value or "<" in value or "$@" in value or value[:1].isspace()
                    or value[-1:].isspace()):
                _text(doc, (*path, key), value, found, media)
        elif isinstance(value, dict | list):
            _scan(doc, value, (*path, key), found, media)


def _text(doc: Document, path: Path_, text: str, found: list[Diagnostic],
          media: list[tuple[Path_, Ref]]) -> None:
    found.extend(_text_rules(doc, path, text))
    if "]" in text:
        media.extend((path, ref) for ref in refs(text) if ref.image or ref.path)


def _html(doc: Document, path: Path_, text: Html, found: list[Diagnostic],
          media: list[tuple[Path_, Ref]]) -> None:
    """A text written as HTML: what it may not hold, and the media it names."""
    found.extend(doc.diag(path, message, code) for message, code in htmltext.problems(text))
    found.extend(_marker(doc, path, text))
    media.extend((path, ref) for ref in refs(text) if ref.image or ref.path)


# Moodle's restore rewrites these wherever they stand: $@NULL@$, $@FILEPHP@$, link tokens.
RESTORE_MARKER = re.compile(r"\$@[A-Z0-9_]+(?:\*[^@]*)?@\$")


def _marker(doc: Document, path: Path_, text: str) -> Iterator[Diagnostic]:
    if marker := RESTORE_MARKER.search(text):
        yield doc.diag(path, f"{quote(marker.group(), 30)} is a marker Moodle's restore "
                       "rewrites; write it differently", "restore-marker")


def _text_rules(doc: Document, path: Path_, text: str) -> Iterator[Diagnostic]:
    """Rules for any text: safe links, nothing Moodle's importers trim or rewrite."""
    for url in unsafe_links(text):
        yield doc.diag(path, f"link to {quote(url, 40)}: only http, https, mailto and "
                       "relative addresses are allowed", "unsafe-link")
    yield from _marker(doc, path, text)
    if PLACEHOLDER in text:
        start = text.index(PLACEHOLDER)
        shown = text[start:text.find("]", start) + 1 or len(text)]
        yield doc.diag(path, f"placeholder {quote(shown)} is left: write the real text",
                       "placeholder")
    if "\n" not in text and text.strip() and text != text.strip():
        yield doc.diag(path, "leading or trailing spaces: Moodle trims them on import",
                       "trimmed-space", severity=Severity.WARNING)


def _id_sites(src: Source) -> Iterator[tuple[Document, Path_, str, str]]:
    if src.glossary is not None:
        for i, t in src.items(src.glossary, "terms"):
            yield src.glossary, ("terms", i, "id"), t["id"], "glossary term"
    for kind, docs in (("unit", src.units), ("questions", src.questions),
                       ("lesson", src.lessons)):
        for doc in docs.values():
            yield from ((doc, *site) for site in sites(src, kind, doc).ids)


def _unique_ids(src: Source) -> Iterator[Diagnostic]:
    seen: dict[str, tuple[Document, Path_, str]] = {}
    for doc, path, ident, kind in _id_sites(src):
        if ident in seen:
            first_doc, first_path, first_kind = seen[ident]
            mark = first_doc.mark(first_path)
            yield doc.diag(path, f"duplicate id {quote(ident)}: already used by a {first_kind} at "
                           f"{first_doc.display}:{mark.line}:{mark.col}", "duplicate-id")
        else:
            seen[ident] = (doc, path, kind)


def _tag_spellings(src: Source) -> Iterator[Diagnostic]:
    """Moodle tags ignore case (questions and glossary entries share them): one tag spelt two
    ways would come back with one spelling."""
    seen: dict[str, tuple[str, Document, Path_]] = {}
    for doc, path, tag in _tags(src):
        first = seen.setdefault(tag.casefold(), (tag, doc, path))
        if first[0] != tag:
            mark = first[1].mark(first[2])
            yield doc.diag(path, f"tag {quote(tag)} differs only in case from "
                           f"{quote(first[0])} at {first[1].display}:{mark.line}:"
                           f"{mark.col}; Moodle treats tags case-insensitively and "
                           "would keep one spelling", "tag-case")


def _tags(src: Source) -> Iterator[tuple[Document, Path_, str]]:
    """Every tag of the source, where it is: the questions', then the glossary entries'."""
    for doc in src.questions.values():
        for path, tag in sites(src, "questions", doc).tags:
            yield doc, path, tag
    if src.glossary:
        for i, term in src.items(src.glossary, "terms"):
            for k, tag in enumerate(term.get("tags", ())):
                yield src.glossary, ("terms", i, "tags", k), tag


def _term_ids(src: Source) -> set[str]:
    return {t["id"] for _, t in src.items(src.glossary, "terms")} if src.glossary else set()


def _unknown(src: Source, doc: Document, path: Path_, ref: str, known: set[str], what: str,
             code: str) -> Diagnostic:
    return doc.diag(path, f"unknown {what} {quote(ref)}{src.hint(ref, known)}", code)


def _glossary_refs(src: Source, doc: Document, terms: set[str]) -> Iterator[Diagnostic]:
    names: dict[str, str] = {}
    for i, t in src.items(doc, "terms"):
        for j, rel in enumerate(t.get("related", [])):
            if rel == t["id"]:
                yield doc.diag(("terms", i, "related", j),
                               f"term {quote(rel)} lists itself as related", "self-reference")
            elif rel not in terms:
                yield _unknown(src, doc, ("terms", i, "related", j), rel, terms, "glossary term",
                               "unknown-term")
        labels = [("term", t["term"])] + [(("aliases", k), a)
                                            for k, a in enumerate(t.get("aliases", []))]
        for where, label in labels:
            key = label.casefold()
            path = ("terms", i, *((where,) if isinstance(where, str) else where))
            if key in names and names[key] != t["id"]:
                yield doc.diag(path, f"{quote(label)} already names glossary term '{names[key]}'",
                               "duplicate-term")
            names.setdefault(key, t["id"])


def _unit_refs(src: Source, doc: Document, terms: set[str] | None) -> Iterator[Diagnostic]:
    folder = doc.path.parent.name
    found = sites(src, "unit", doc)
    if found.head[0] != folder:
        yield doc.diag(("id",), f"unit id '{found.head[0]}' must equal its folder name "
                       f"'{folder}'", "unit-id-mismatch")
    if terms is None:
        return
    for path, ref in found.terms:
        if ref not in terms:
            yield _unknown(src, doc, path, ref, terms, "glossary term", "unknown-term")


def _questions(src: Source, doc: Document, outcomes: set[str]) -> Iterator[Diagnostic]:
    whole = id(doc) not in src.bad  # every question schema-valid: its rules' findings kept
    for i, outcome in sites(src, "questions", doc).outcomes:
        if outcome is not None and outcome not in outcomes:
            yield _unknown(src, doc, ("questions", i, "outcome"), outcome, outcomes,
                           "learning outcome of this unit", "unknown-outcome")
        yield from (question_rules(doc)[i] if whole else
                    _question_rules(doc, i, doc.data["questions"][i]))


def question_rules(doc: Document) -> list[list[Diagnostic]]:
    """What each question's own rules find in a questions file whose every question is
    schema-valid (kept with its parse: see parsed.py)."""
    if doc.rules is None:
        doc.rules = [_question_rules(doc, i, q) for i, q in enumerate(doc.data["questions"])]
    return doc.rules


def _question_rules(doc: Document, i: int, q: dict[str, Any]) -> list[Diagnostic]:
    where = f"{q['type']} question '{q['id']}': "
    return [doc.diag(("questions", i, *path), where + message, code)
            for path, message, code in check_question(q)]


def _lesson(src: Source, doc: Document) -> Iterator[Diagnostic]:
    pages = doc.data["pages"]
    order = {p["id"]: n for n, p in enumerate(pages)
             if isinstance(p, dict) and isinstance(p.get("id"), str)}
    for n, page in src.items(doc, "pages"):
        noun = f"{page['qtype']} question page" if page["type"] == "question" else "content page"
        where = f"{noun} '{page['id']}': "
        if page["id"] in JUMP_WORDS:
            yield doc.diag(("pages", n, "id"), f"'{page['id']}' is a jump word and cannot be a "
                           "page id", "reserved-id")
        for path, jump, correct in _jumps(page):
            if jump not in JUMP_WORDS and jump not in order:
                yield _unknown(src, doc, ("pages", n, *path), jump, set(order), "lesson page",
                               UNKNOWN_JUMP)
            elif correct and (jump in ("this", "previous") or order.get(jump, n + 1) <= n):
                yield doc.diag(("pages", n, *path), where + f"a correct answer must move the "
                               f"learner on, but jumps to {quote(jump)}", "backward-jump")
        rules = check_lesson_page if page["type"] == "question" else check_content_page
        for path, message, code in rules(page):
            yield doc.diag(("pages", n, *path), where + message, code)


def _jumps(page: dict[str, Any]) -> Iterator[tuple[Path_, str, bool]]:
    for i, button in enumerate(page.get("buttons", [])):
        yield ("buttons", i, "jump"), button.get("jump", "next"), False
    for i, answer in enumerate(page.get("answers", [])):
        if "jump" in answer:
            yield ("answers", i, "jump"), answer["jump"], bool(answer.get("correct"))
    if "correct_jump" in page:
        yield ("correct_jump",), page["correct_jump"], True
    if "wrong_jump" in page:
        yield ("wrong_jump",), page["wrong_jump"], False
