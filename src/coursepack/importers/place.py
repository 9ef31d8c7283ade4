"""Imported questions placed in a unit: ids that are valid and unique, categories below the
unit's, keys in the documented order, and what Moodle derives from the unit left to be derived
again."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ..derive import DERIVED_CATEGORY
from . import D, Found

ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# The keys of a question in the order the authoring guide writes them.
ORDER = ("id", "type", "name", "category", "outcome", "tags", "mark", "penalty", "practice",
         "text", "single", "correct", "case_sensitive", "shuffle", "numbering", "layout",
         "select", "select_count", "grading", "show_grading", "response_format",
         "response_required", "response_lines", "min_words", "max_words", "attachments",
         "attachments_required", "answers", "pairs", "distractors", "items", "choices", "gaps",
         "feedback_true", "feedback_false", "correct_feedback", "partially_correct_feedback",
         "incorrect_feedback", "show_num_correct", "show_instruction", "general_feedback",
         "grader_info", "response_template", "hints")


def unit_questions(found: Found, unit: str, taken: set[str]) -> list[D]:
    """The file's questions as unit `unit`'s source holds them (`taken`: the ids already in use,
    which grows with the ones given here)."""
    base = _base(found, unit)
    placed = []
    for q in found.questions:
        path = q["_category"]
        inside = path[len(base):] if path[:len(base)] == base else path
        if base and inside[:1] == [DERIVED_CATEGORY]:
            found.note(q["_line"], f"question {q['name']!r} is one coursepack derives from the "
                       "unit's content: not imported (it is made again)", "import-derived")
            continue
        placed.append(_placed(found, q, unit, inside, taken))
    return placed


def line_of(found: Found, q: D) -> int:
    """The line a placed question starts at in the imported file."""
    return int(found.lines.get(q["id"], 1))


def _base(found: Found, unit: str) -> list[str]:
    """The path of the unit's own category when the file has one (a coursepack file, or one
    whose category idnumber is the unit's id); else none: paths are taken below `top`."""
    for path, idnumber in found.categories.items():
        if idnumber == unit:
            return list(path)
    return []


def _placed(found: Found, q: D, unit: str, inside: list[str], taken: set[str]) -> D:
    ident = q.get("id", "")
    if not ID.match(ident) or ident in taken:
        given = ident
        ident = _stable_id(unit, q, taken)
        if given:
            why = "is already used" if given in taken else "is not a valid id"
            found.note(q["_line"], f"question {q['name']!r}: its idnumber {given!r} {why}; "
                       f"its id is {ident!r}", "import-id")
    taken.add(ident)
    found.lines[ident] = q["_line"]
    out: D = {**{k: v for k, v in q.items() if not k.startswith("_")}, "id": ident}
    if inside:
        if len(inside) > 1:
            found.note(q["_line"], f"question {q['name']!r}: categories nest one level below "
                       f"a unit's; {'/'.join(inside)!r} becomes one name", "import-category")
        out["category"] = " / ".join(inside)
    return {k: out[k] for k in ORDER if k in out}


def _stable_id(unit: str, q: D, taken: set[str]) -> str:
    """An id made from the question's content: the same file gives the same ids."""
    seed = f"{q['type']}\x00{q['name']}\x00{q.get('text')!r}".encode()
    digest = hashlib.sha256(seed).hexdigest()
    for size in (8, 12, 16, 64):
        ident = f"{unit[:40]}-q-{digest[:size]}"
        if ident not in taken:
            return ident
    return f"{unit[:40]}-q-{digest}-{len(taken)}"


def skeleton(unit: str, title: str) -> dict[str, Any]:
    """A unit for imported questions, valid as it stands, to be filled in."""
    return {"id": unit, "title": title, "assessment_route": "vocational",
            "subject_area": "Imported", "synopsis": f"Questions imported into {title}.",
            "learning_outcomes": [{"id": f"{unit[:56]}-lo1", "statement": "Imported questions.",
                                   "criteria": [{"id": f"{unit[:56]}-ac1",
                                                 "text": "Answer the imported questions."}]}]}
