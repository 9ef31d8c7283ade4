"""The media a backup's texts name, stored in the file areas Moodle keeps them in.

A text is written with `@@PLUGINFILE@@/name` (writers/embed.py) and its files are stored in the
area of the record that holds it: a question's text and feedback, an answer, a hint, a book
chapter, a lesson page, a glossary entry. Question files need no inforef.xml (restore loads the
`question` and `qtype_*` components whole); an activity lists its own files in its inforef.xml.
"""

from __future__ import annotations

from ..embed import Areas
from .files import Area, FileStore
from .parts import Part
from .xml import E

# (element, field) -> (component, file area, whose id is the item: "own" element's or "question")
QUESTION_AREAS = {
    ("question", "questiontext"): ("question", "questiontext", "own"),
    ("question", "generalfeedback"): ("question", "generalfeedback", "own"),
    ("answer", "answertext"): ("question", "answer", "own"),
    ("answer", "feedback"): ("question", "answerfeedback", "own"),
    ("question_hint", "hint"): ("question", "hint", "own"),
    ("match", "questiontext"): ("qtype_match", "subquestion", "own"),
    ("essay", "graderinfo"): ("qtype_essay", "graderinfo", "question"),
    **{(options, feedback): ("question", feedback, "question")
       for options in ("multichoice", "matchoptions", "ordering", "gapselect", "ddwtos")
       for feedback in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")},
}


# An activity's texts: (module, element, field) -> (component, file area); the item is the id
# of the element that holds the text (the chapter, page, answer or entry), 0 for an intro.
ACTIVITY_AREAS = {
    ("book", "chapter", "content"): ("mod_book", "chapter"),
    ("lesson", "page", "contents"): ("mod_lesson", "page_contents"),
    ("lesson", "answer", "answer_text"): ("mod_lesson", "page_answers"),
    ("lesson", "answer", "response"): ("mod_lesson", "page_responses"),
    ("glossary", "entry", "definition"): ("mod_glossary", "entry"),
    ("lesson", "lesson", "intro"): ("mod_lesson", "intro"),  # item 0: the activity's own
}


class Carrier:
    """Stores the files a unit's texts name in a backup's pool, area by area."""

    def __init__(self, areas: Areas, store: FileStore) -> None:
        self.areas, self.store = areas, store

    def text(self, html: str, area: Area) -> tuple[str, list[int]]:
        """The text naming its files in `area`, and the ids of the file rows it added."""
        body, files = self.areas.embed(html)
        rows: list[int] = []
        for name, file in files:
            rows += self.store.add(area, name, file.read())
        return body, rows

    def question(self, element: E, contextid: int) -> E:
        """A question bank entry (or any element under one) with its texts' files stored."""
        if not self.areas.files or not isinstance(element.body, list):
            return element
        return self._walk(element, contextid, None)

    def summary(self, html: str, contextid: int, sectionid: int, *,
                course: bool = False) -> tuple[str, list[int], list[int]]:
        """A section summary (and, with `course`, the course summary: the same text) naming
        its files: the text, the section's file rows and the course's."""
        body, rows = self.text(html, Area(contextid, "course", "section", sectionid))
        _, own = self.text(html, Area(contextid, "course", "summary", 0)) if course else ("", [])
        return body, rows, own

    def activity(self, part: Part) -> Part:
        """An activity with its texts' files stored in its areas and listed in its inforef."""
        if self.areas.files:
            part.body = self._activity(part, part.body)
        return part

    def _activity(self, part: Part, element: E) -> E:
        if not isinstance(element.body, list):
            return element
        own = element.attrs.get("id") if element.attrs else None
        children = []
        for child in element.body:
            where = ACTIVITY_AREAS.get((part.modulename, element.tag, child.tag))
            if where and isinstance(child.body, str) and child.body and isinstance(own, int):
                item = 0 if where[1] == "intro" else own
                body, rows = self.text(child.body, Area(part.contextid, *where, item))
                part.files += rows
                child = child._replace(body=body)
            children.append(self._activity(part, child))
        return element._replace(body=children)

    def _walk(self, element: E, contextid: int, qid: int | None) -> E:
        """The element with the files of its texts stored (itself when it names none)."""
        body = element.body
        assert isinstance(body, list)
        own = element.attrs.get("id") if element.attrs else None
        if element.tag == "question" and isinstance(own, int):
            qid = own
        children = []
        for child in body:
            if isinstance(child.body, list):
                child = self._walk(child, contextid, qid)
            elif child.body:
                where = QUESTION_AREAS.get((element.tag, child.tag))
                if where and isinstance(child.body, str):
                    component, filearea, item = where
                    itemid = own if item == "own" else qid
                    assert isinstance(itemid, int), (element.tag, child.tag)
                    text, _ = self.text(child.body, Area(contextid, component, filearea,
                                                         itemid))
                    if text != child.body:
                        child = child._replace(body=text)
            children.append(child)
        changed = any(new is not old for new, old in zip(children, body, strict=True))
        return element._replace(body=children) if changed else element
