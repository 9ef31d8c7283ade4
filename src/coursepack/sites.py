"""What the checks across files read of a unit's file: its ids, tags and references.

A unit's files are checked against each other and against every other unit's (ids are unique
in the whole source, a tag is spelt one way, glossary terms exist). Those checks read a few
values of each file, and the model's first look at a unit reads a few more (its names, key
terms and sizes): its `Sites`. They are kept with the file's parse (parsed.py), so a run after
an edit reads the sites of the files left as they were, not their data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic
from .yamlload import Path_

# Each kind's top-level list of items, and what an item's id names.
ITEMS = {"unit": "learning_outcomes", "questions": "questions", "lesson": "pages"}


@dataclass(frozen=True)
class Sites:
    """A unit's file's values the checks across files read, each with its path (only those of
    items that passed the schema)."""

    ids: tuple[tuple[Path_, str, str], ...]  # each id in document order, and what it names
    count: int  # the items of the file's list: outcomes, questions or pages
    tags: tuple[tuple[Path_, str], ...] = ()  # questions: each tag
    outcomes: tuple[tuple[int, str | None], ...] = ()  # questions: each index, its outcome
    terms: tuple[tuple[Path_, str], ...] = ()  # unit: each glossary term it names
    head: tuple[Any, ...] = ()  # unit: its id, title, awarding body and key terms
    # lesson: what its own checks found, when none of it gives a hint (see checks.py)
    local: tuple[Diagnostic, ...] | None = None

    def row(self) -> tuple[Any, ...]:
        """The sites as plain values (marshal can keep them)."""
        local = None if self.local is None else [d.row() for d in self.local]
        return (self.ids, self.count, self.tags, self.outcomes, self.terms, self.head, local)

    @classmethod
    def from_row(cls, row: Any) -> Sites:
        """The sites from `row` (ValueError or TypeError when it is not one)."""
        ids, count, tags, outcomes, terms, head, local = row
        return cls(tuple((tuple(p), i, w) for p, i, w in ids), int(count),
                   tuple((tuple(p), t) for p, t in tags), tuple((n, o) for n, o in outcomes),
                   tuple((tuple(p), t) for p, t in terms), tuple(head),
                   None if local is None else tuple(Diagnostic.from_row(r) for r in local))


def find(kind: str, data: Any, ok: Callable[[Path_], bool]) -> Sites:
    """The sites of a unit file of `kind` holding `data`, leaving out the items `ok` refuses
    (those with schema errors)."""
    items = data[ITEMS[kind]]
    if kind == "unit":
        return _unit(data)
    valid = [(i, item) for i, item in enumerate(items) if ok((ITEMS[kind], i))]
    if kind == "lesson":
        return Sites(tuple((("pages", i, "id"), p["id"], "lesson page") for i, p in valid),
                     len(items))
    return Sites(tuple((("questions", i, "id"), q["id"], "question") for i, q in valid),
                 len(items),
                 tags=tuple((("questions", i, "tags", j), tag) for i, q in valid
                            for j, tag in enumerate(q.get("tags", []))),
                 outcomes=tuple((i, q.get("outcome")) for i, q in valid))


def _unit(data: Any) -> Sites:
    ids: list[tuple[Path_, str, str]] = [(("id",), data["id"], "unit")]
    for i, lo in enumerate(data["learning_outcomes"]):
        ids.append((("learning_outcomes", i, "id"), lo["id"], "learning outcome"))
        ids += [(("learning_outcomes", i, "criteria", j, "id"), ac["id"], "criterion")
                for j, ac in enumerate(lo["criteria"])]
    terms: list[tuple[Path_, str]] = [(("key_terms", i), ref)
                                      for i, ref in enumerate(data.get("key_terms", []))]
    terms += [(("key_concepts", i, "terms", j), ref)
              for i, concept in enumerate(data.get("key_concepts", []))
              for j, ref in enumerate(concept.get("terms", []))]
    head = (data["id"], data["title"], data.get("awarding_body"),
            tuple(data.get("key_terms", ())))
    return Sites(tuple(ids), len(data["learning_outcomes"]), terms=tuple(terms), head=head)
