"""Where the source fields that end up in Moodle names are: `file:line:col` by a key per field.

Each file's are found once, where it is parsed (on a worker, for a large source), and kept with
its parse in the cache: the model is then made without indexing any file's positions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .checks import Source
from .yamlload import Document, Path_

Found = dict[str, str]
D = dict[str, Any]


def origins(src: Source) -> Found:
    """Every field's origin (and each question's own, under question/<id>); a lesson without a
    title of its own takes its unit's."""
    assert src.course is not None
    found: Found = {}
    for kind, docs in (("course", {"": src.course}), ("glossary", {"": src.glossary}),
                       ("unit", src.units), ("lesson", src.lessons),
                       ("questions", src.questions)):
        for doc in docs.values():
            if doc is not None:
                found.update(of_document(kind, doc))
    for unit_id in src.lessons:
        found.setdefault(f"lesson/{unit_id}/title", found[f"unit/{unit_id}/title"])
    return found


def of_document(kind: str, doc: Document) -> Found:
    """The origins one schema-valid file holds (`kind`: its schema; a unit's files belong to
    the unit named by their folder), found once; its index of positions is dropped after."""
    if doc.origins is None:
        doc.origins = {}
        _KINDS[kind](doc.path.parent.name, doc, doc.origins)
        doc.forget()
    return doc.origins


def _at(doc: Document, path: Path_) -> str:
    mark = doc.mark(path)
    return f"{doc.display}:{mark.line}:{mark.col}"


def _course_origins(_: str, doc: Document, found: Found) -> None:
    found.update({f"course/{key}": _at(doc, (key,)) for key in ("title", "category")})


def _glossary_origins(_: str, doc: Document, found: Found) -> None:
    found["glossary/title"] = _at(doc, ("title",))
    for i, t in enumerate(doc.data["terms"]):
        found[f"term/{t['id']}/term"] = _at(doc, ("terms", i, "term"))
        for k, _ in enumerate(t.get("aliases", ())):
            found[f"term/{t['id']}/aliases/{k}"] = _at(doc, ("terms", i, "aliases", k))


def _unit_origins(unit_id: str, doc: Document, found: Found) -> None:
    found[f"unit/{unit_id}/title"] = _at(doc, ("title",))
    for i, o in enumerate(doc.data["learning_outcomes"]):
        found[f"outcome/{o['id']}/statement"] = _at(doc, ("learning_outcomes", i, "statement"))
    for i, _ in enumerate(doc.data.get("misconceptions", ())):
        found[f"unit/{unit_id}/misconceptions/{i}"] = _at(doc, ("misconceptions", i, "claim"))


def _lesson_origins(unit_id: str, doc: Document, found: Found) -> None:
    if "title" in doc.data:
        found[f"lesson/{unit_id}/title"] = _at(doc, ("title",))
    for i, p in enumerate(doc.data["pages"]):
        found[f"page/{p['id']}/title"] = _at(doc, ("pages", i, "title"))


def _questions_origins(_: str, doc: Document, found: Found) -> None:
    for i, q in enumerate(doc.data["questions"]):
        found[f"question/{q['id']}"] = _at(doc, ("questions", i))
        found.update(_question_origins(doc, i, q))


def _question_origins(doc: Document, i: int, q: D) -> Found:
    base = ("questions", i)
    found = {f"question/{q['id']}/{key}": _at(doc, (*base, key)) for key in ("name", "category")}
    for key in ("tags", "distractors"):
        for k, _ in enumerate(q.get(key, ())):
            found[f"question/{q['id']}/{key}/{k}"] = _at(doc, (*base, key, k))
    for k, _ in enumerate(q.get("pairs", ())):
        found[f"question/{q['id']}/pairs/{k}"] = _at(doc, (*base, "pairs", k, "answer"))
    return found


_KINDS: dict[str, Callable[[str, Document, Found], None]] = {
    "course": _course_origins, "glossary": _glossary_origins, "unit": _unit_origins,
    "lesson": _lesson_origins, "questions": _questions_origins}
