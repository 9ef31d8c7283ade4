"""Imported questions placed in a unit: ids that are valid and unique, categories below the
unit's, keys in the documented order, and what Moodle derives from the unit left to be derived
again."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ..derive import DERIVED_CATEGORY
from ..writers.qbank import category_idnumber
from . import D, Found

ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
# The keys of a question in the order the authoring guide writes them.
ORDER = ("id", "type", "name", "category", "outcome", "tags", "mark", "penalty", "practice",
         "text", "single", "correct", "case_sensitive", "shuffle", "numbering", "layout",
         "select", "select_count", "grading", "show_grading", "response_format",
         "response_required", "response_lines", "min_words", "max_words", "attachments",
         "attachments_required", "answers", "units", "unit_graded", "unit_penalty",
         "unit_penalty_of", "unit_display", "unit_left", "pairs", "distractors", "items",
         "choices", "gaps",
         "feedback_true", "feedback_false", "correct_feedback", "partially_correct_feedback",
         "incorrect_feedback", "show_num_correct", "show_instruction", "general_feedback",
         "grader_info", "response_template", "hints")


def unit_questions(found: Found, unit: str, taken: set[str]) -> list[D]:
    """The file's questions as unit `unit`'s source holds them (`taken`: the ids already in use,
    which grows with the ones given here)."""
    base = _base(found, unit)
    placed = []
    reported: set[tuple[str, ...]] = set()
    for q in found.questions:
        path = q["_category"]
        inside = path[len(base):] if path[:len(base)] == base else path
        if base and inside[:1] == [DERIVED_CATEGORY]:
            found.note(q["_line"], f"question {q['name']!r} is one coursepack derives from the "
                       "unit's content: not imported (it is made again)", "import-derived")
            continue
        _idnumber_note(found, q, unit, path, inside, reported)
        placed.append(_placed(found, q, unit, inside, taken))
    return placed


def _idnumber_note(found: Found, q: D, unit: str, path: list[str], inside: list[str],
                   reported: set[tuple[str, ...]]) -> None:
    """Report, once, a category idnumber the rebuilt file will not carry (coursepack gives a
    category the idnumber of its path)."""
    given = found.categories.get(tuple(path), "")
    if not given or tuple(path) in reported or given == unit or (
            inside and given == category_idnumber(unit, tuple(inside))):
        return
    reported.add(tuple(path))
    found.note(q["_line"], f"category {' > '.join(path)!r}: its idnumber {given!r} is not kept "
               "(coursepack gives a category the idnumber of its path below the unit's)",
               "import-dropped")


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
    if inside:  # one name, or the names of nested categories
        out["category"] = inside[0] if len(inside) == 1 else list(inside)
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


# The keys of a glossary term in the order the authoring guide writes them.
TERM_ORDER = ("id", "term", "aliases", "definition", "related", "categories", "tags",
              "case_sensitive", "full_match", "autolink")


def glossary_terms(found: Found, taken: set[str], known: dict[str, str]) -> list[D]:
    """The file's entries as glossary.yaml's terms: an id each (from the term, unique in the
    source), related terms by id; a term the glossary has already (`known`: ids by folded
    name) is left as it is there."""
    ids = dict(known)
    placed = []
    for term in found.terms:
        key = term["term"].casefold()
        if key in ids:
            found.note(term["_line"], f"entry {term['term']!r} is in glossary.yaml already "
                       f"(as {ids[key]!r}): not imported", "import-exists")
            continue
        ident = _term_id(term["term"], taken)
        taken.add(ident)
        ids[key] = ident
        found.lines[ident] = term["_line"]
        placed.append({**term, "id": ident})
    return [_with_related(found, t, ids) for t in placed]


def _with_related(found: Found, term: D, ids: dict[str, str]) -> D:
    listed = term.get("_related") or ""
    related = _names(listed.casefold(), ids) if listed else []
    out = {k: v for k, v in term.items() if not k.startswith("_")}
    if related:
        out["related"] = related
    elif listed:
        found.note(term["_line"], f"entry {term['term']!r}: its 'See also' line ({listed!r}) "
                   "names terms the glossary does not hold: left out", "import-dropped")
    return {k: out[k] for k in TERM_ORDER if k in out}


def _names(listed: str, ids: dict[str, str]) -> list[str] | None:
    """The ids of the terms `listed` names, ', ' between them (a name may hold ', ' too: the
    longest known name at each place is taken); None when one is not known."""
    found: list[str] = []
    at = 0
    while at < len(listed):
        name = max((n for n in ids if listed.startswith(n, at)
                    and listed[at + len(n):at + len(n) + 2] in (", ", "")), key=len, default=None)
        if name is None:
            return None
        found.append(ids[name])
        at += len(name) + 2
    return found


def _term_id(name: str, taken: set[str]) -> str:
    from ..writers.qbank import slug

    base = slug(name)[:60].strip("._-") or "term"
    if not ID.match(base):
        base = "term-" + hashlib.sha256(name.encode()).hexdigest()[:8]
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def skeleton(unit: str, title: str) -> dict[str, Any]:
    """A unit for imported questions, valid as it stands, to be filled in."""
    return {"id": unit, "title": title, "assessment_route": "vocational",
            "subject_area": "Imported", "synopsis": f"Questions imported into {title}.",
            "learning_outcomes": [{"id": f"{unit[:56]}-lo1", "statement": "Imported questions.",
                                   "criteria": [{"id": f"{unit[:56]}-ac1",
                                                 "text": "Answer the imported questions."}]}]}
