"""Where the source fields that end up in Moodle names are: `file:line:col` by a key per field.

A question's own position is found where its file is parsed (on a worker, for a large source)
and kept with the parse in the cache. The rest (150,000 fields in a 1,000-unit catalogue, and
needed only for a diagnostic) are found when first asked for: the file that holds the field is
read again and its fields located (`Origins`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .checks import Source, sites
from .sites import Sites
from .yamlload import Document, Path_, YamlError, load

Found = dict[str, str]
# What a unit's file of each kind owns, and what its sites call it.
_OWNED = {"unit": ("outcome", "learning outcome"), "lesson": ("page", "lesson page"),
          "questions": ("question", "question")}
D = dict[str, Any]


def of_document(kind: str, doc: Document) -> Found:
    """The positions a schema-valid file's questions start at, by question id (none but in a
    questions file), found once; its index of positions is dropped after."""
    if doc.origins is None:
        doc.origins = {q["id"]: _at(doc, ("questions", i))
                       for i, q in enumerate(doc.data["questions"])} if kind == "questions" else {}
        doc.forget()
    return doc.origins


class Origins(Mapping[str, str]):
    """Every field's origin by its key (course/title, unit/<id>/title, question/<id>/name, ...;
    see the functions below), found when asked for by reading the field's file again; a lesson
    without a title of its own takes its unit's. A file that no longer reads places nothing."""

    def __init__(self, src: Source) -> None:
        self._files: dict[str, tuple[str, Path, str]] = {}
        self._owners: dict[str, dict[str, str]] = {"outcome": {}, "page": {}, "question": {}}
        self._found: dict[str, Found] = {}
        for kind, docs in (("course", {"": src.course}), ("glossary", {"": src.glossary}),
                           ("unit", src.units), ("lesson", src.lessons),
                           ("questions", src.questions)):
            for unit_id, doc in docs.items():
                if doc is not None:
                    self._files[f"{kind}/{unit_id}"] = (kind, doc.path, doc.display)
                    if kind in _OWNED:
                        self._own(kind, unit_id, sites(src, kind, doc))

    def _own(self, kind: str, unit_id: str, found: Sites) -> None:
        """Note which unit each outcome, page and question belongs to (from the file's sites:
        a source that reaches the model has every item schema-valid)."""
        owner, named = _OWNED[kind]
        self._owners[owner].update((ident, unit_id) for _, ident, what in found.ids
                                   if what == named)

    def _file(self, key: str) -> str:
        """The file (kind/unit) that holds the field `key`."""
        what, _, rest = key.partition("/")
        ident = rest.split("/", 1)[0]
        if what in ("course", "glossary", "term"):
            return "course/" if what == "course" else "glossary/"
        if what in self._owners:
            unit_id = self._owners[what].get(ident, "")
            return {"outcome": "unit", "page": "lesson", "question": "questions"}[what] + \
                "/" + unit_id
        return f"{what}/{ident}"

    def __getitem__(self, key: str) -> str:
        file = self._file(key)
        if file not in self._found:
            self._found[file] = self._read(file)
        found = self._found[file].get(key)
        if found is None and key.startswith("lesson/") and key.endswith("/title"):
            return self[f"unit/{key.split('/')[1]}/title"]
        if found is None:
            raise KeyError(key)
        return found

    def _read(self, file: str) -> Found:
        if file not in self._files:
            return {}
        kind, path, display = self._files[file]
        found: Found = {}
        try:
            _KINDS[kind](path.parent.name, load(path, display), found)
        except (YamlError, LookupError, TypeError, AttributeError):
            return {}  # changed since it was read: nothing placed
        return found

    def __iter__(self) -> Iterator[str]:
        for file in self._files:
            if file not in self._found:
                self._found[file] = self._read(file)
            yield from self._found[file]

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _at(doc: Document, path: Path_) -> str:
    mark = doc.mark(path)
    return f"{doc.display}:{mark.line}:{mark.col}"


def _course_origins(_: str, doc: Document, found: Found) -> None:
    found.update({f"course/{key}": _at(doc, (key,)) for key in ("title", "category")})


def _glossary_origins(_: str, doc: Document, found: Found) -> None:
    found["glossary/title"] = _at(doc, ("title",))
    for i, t in enumerate(doc.data["terms"]):
        found[f"term/{t['id']}/term"] = _at(doc, ("terms", i, "term"))
        for key in ("aliases", "categories"):
            for k, _ in enumerate(t.get(key, ())):
                found[f"term/{t['id']}/{key}/{k}"] = _at(doc, ("terms", i, key, k))


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
