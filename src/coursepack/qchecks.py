"""Per-question semantic rules: grades Moodle accepts, a right answer, gaps that resolve."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from . import grades
from .diagnostics import quote
from .markup import ENTITY_LIKE, TAG_LIKE

Problem = tuple[tuple[str | int, ...], str, str]
GAPSELECT_MARK = re.compile(r"\[\[(\d+)\]\]")
CLOZE_MARK = re.compile(r"\{\{\s*([^{}\s]*)\s*\}\}")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")  # what PHP's is_numeric takes


def _text(value: Any) -> str:
    """A text field's characters, whether Markdown or written as HTML (`{html: ...}`)."""
    return str(value["html"]) if isinstance(value, dict) else str(value)


def answer_grades(answers: list[dict[str, Any]], single: bool) -> list[float]:
    """Each answer's grade in percent, with `correct: true` expanded as documented."""
    marked = sum(1 for a in answers if a.get("correct") and "grade" not in a)
    share = 100.0 if single else grades.share(marked) or 0.0
    result = []
    for a in answers:
        if "grade" in a:
            result.append(float(a["grade"]))
        elif a.get("correct"):
            result.append(share)
        elif not single and marked:
            result.append(-share)
        else:
            result.append(0.0)
    return result


def _grade_rules(answers: list[dict[str, Any]], base: tuple[str | int, ...],
                 single: bool = True) -> Iterator[Problem]:
    for i, a in enumerate(answers):
        if "grade" in a and "correct" in a:
            yield (*base, i), "give either 'correct' or 'grade', not both", "grade-and-correct"
        elif "grade" in a and (problem := grades.problem(float(a["grade"]))):
            yield (*base, i, "grade"), problem, "bad-grade"
    values = answer_grades(answers, single)
    if single and max(values, default=0.0) < 99.99:
        yield base, "no answer is fully correct: mark one with 'correct: true' or grade 100", \
            "no-correct-answer"
    elif not single:
        total = round(sum(v for v in values if v > 0) / 100, 2)
        if total != 1:
            yield base, (f"the positive grades add up to {total * 100:g}%, but a multiple-answer "
                         "question needs exactly 100%"), "grades-sum"


def _multichoice(q: dict[str, Any]) -> Iterator[Problem]:
    single = q.get("single", True)
    if not single:
        marked = sum(1 for a in q["answers"] if a.get("correct") and "grade" not in a)
        if marked and grades.share(marked) is None:
            yield ("answers",), (f"{marked} correct answers cannot share 100% in grades Moodle "
                                 "accepts; give explicit grades"), "bad-grade"
            return
    yield from _grade_rules(q["answers"], ("answers",), single)
    yield from _distinct([_text(a["text"]) for a in q["answers"]], ("answers",), "answer")


def _distinct(texts: list[str], base: tuple[str | int, ...], what: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, text in enumerate(texts):
        if text.strip() in seen:
            yield (*base, i), f"duplicate {what} {quote(text.strip())}", "duplicate-answer"
        seen.add(text.strip())


def _numerical(q: dict[str, Any]) -> Iterator[Problem]:
    yield from _grade_rules(q["answers"], ("answers",))
    anything = [i for i, a in enumerate(q["answers"]) if a["value"] == "*"]
    if len(anything) == len(q["answers"]):
        yield ("answers",), "every answer is '*': give the right number", "no-correct-answer"
    elif anything and anything[0] < len(q["answers"]) - 1:
        yield ("answers", anything[0] + 1), "Moodle marks a number with the first answer that " \
            "takes it, and '*' takes any: the answers after it are never reached", \
            "unreachable-answer"
    units = q.get("units", [])
    needs = ("unit_graded", "unit_left") if not units else ()
    graded = ("unit_penalty", "unit_penalty_of", "unit_display") if not q.get("unit_graded") \
        else ()
    for key in (*needs, *graded):
        if key in q:
            yield (key,), f"'{key}' needs {'units' if key in needs else 'unit_graded: true'}", \
                "unit-option"
    picked = bool(q.get("unit_graded")) and q.get("unit_display") in ("radio", "select")
    yield from _units(units, picked)


def _units(units: list[dict[str, Any]], picked: bool) -> Iterator[Problem]:
    """Moodle's own rules for units: distinct, not numbers, the first with multiplier 1, and
    (when a learner types them: Moodle removes every space from a typed answer) no spaces."""
    seen: set[str] = set()
    for i, unit in enumerate(units):
        name = unit["unit"]
        if name in seen:
            yield ("units", i, "unit"), f"unit {quote(name)} is listed twice", "duplicate-unit"
        seen.add(name)
        if NUMBER.fullmatch(name.strip()):
            yield ("units", i, "unit"), f"unit {quote(name)} is a number", "bad-unit"
        elif not picked and any(ch.isspace() for ch in name):
            yield ("units", i, "unit"), f"unit {quote(name)} holds a space, which Moodle " \
                "removes from a typed answer, so it could never match: write it without, or " \
                "let learners pick the unit (unit_display: select)", "bad-unit"
    if units and float(units[0].get("multiplier", 1)) != 1:
        yield ("units", 0, "multiplier"), "the first unit is the one the answers are in: its " \
            "multiplier is 1", "bad-unit"


def _matching(q: dict[str, Any]) -> Iterator[Problem]:
    yield from _distinct([_text(p["question"]) for p in q["pairs"]], ("pairs",), "item")
    answers = {p["answer"] for p in q["pairs"]}
    for i, d in enumerate(q.get("distractors", [])):
        if d in answers:
            yield ("distractors", i), f"distractor {quote(d)} is also a right answer", \
                "duplicate-answer"


def _essay(q: dict[str, Any]) -> Iterator[Problem]:
    if q.get("min_words", 0) > q.get("max_words", 10**9):
        yield ("min_words",), "min_words is more than max_words", "bad-range"
    attachments = q.get("attachments", 0)
    if attachments != -1 and q.get("attachments_required", 0) > attachments:
        yield ("attachments_required",), "more attachments required than allowed", "bad-range"
    if q.get("response_format") == "noinline" and not attachments:
        yield ("response_format",), "'noinline' needs attachments", "bad-range"


def _ordering(q: dict[str, Any]) -> Iterator[Problem]:
    yield from _distinct(q["items"], ("items",), "item")
    count = q.get("select_count")
    if count is not None and count > len(q["items"]):
        yield ("select_count",), f"select_count {count} is more than the {len(q['items'])} " \
            "items", "bad-range"


def _gapselect(q: dict[str, Any]) -> Iterator[Problem]:
    used = [int(n) for n in GAPSELECT_MARK.findall(_text(q["text"]))]
    if not used:
        yield ("text",), "the text has no gaps: write [[1]], [[2]] ... where choices go", "no-gaps"
    for n in used:
        if not 1 <= n <= len(q["choices"]):
            yield ("text",), f"gap [[{n}]] names choice {n}, but there are only " \
                f"{len(q['choices'])} choices", "unknown-gap"
    yield from _distinct([c["text"] for c in q["choices"]], ("choices",), "choice")


def _ddwtos(q: dict[str, Any]) -> Iterator[Problem]:
    yield from _gapselect(q)
    used = [int(n) for n in GAPSELECT_MARK.findall(_text(q["text"]))]
    for n in sorted({n for n in used if used.count(n) > 1 and 1 <= n <= len(q["choices"])}):
        if not q["choices"][n - 1].get("unlimited"):
            yield ("choices", n - 1), f"choice {n} is the right answer of {used.count(n)} gaps, " \
                "but can be dragged into one only: set 'unlimited: true'", "limited-choice"


def _description(q: dict[str, Any]) -> Iterator[Problem]:
    for key in ("mark", "penalty", "hints"):
        if key in q:
            yield (key,), f"a description carries no mark and takes no answer, so no '{key}'", \
                "description-key"


def _cloze(q: dict[str, Any]) -> Iterator[Problem]:
    used = CLOZE_MARK.findall(_text(q["text"]))
    ids = [g["id"] for g in q["gaps"]]
    for name in used:
        if name not in ids:
            yield ("text",), f"gap {{{{{name}}}}} is not defined in 'gaps'", "unknown-gap"
    for i, g in enumerate(q["gaps"]):
        if g["id"] not in used:
            yield ("gaps", i, "id"), f"gap '{g['id']}' is not used in the text", "unused-gap"
        elif used.count(g["id"]) > 1:
            yield ("gaps", i, "id"), f"gap '{g['id']}' is used more than once", "duplicate-gap"
        yield from _grade_rules(g["answers"], ("gaps", i, "answers"))
        for k, answer in enumerate(g["answers"]):
            if answer.get("value") == "*":
                yield ("gaps", i, "answers", k, "value"), "Moodle's embedded answers cannot " \
                    "store '*' (any other number) in a numerical gap", "cloze-any-number"
    yield from _distinct(ids, ("gaps",), "gap id")


RULES: dict[str, Callable[[dict[str, Any]], Iterator[Problem]]] = {
    "multichoice": _multichoice, "shortanswer": lambda q: _grade_rules(q["answers"], ("answers",)),
    "numerical": _numerical, "matching": _matching, "essay": _essay, "ordering": _ordering,
    "gapselect": _gapselect, "cloze": _cloze, "ddwtos": _ddwtos, "description": _description,
}


def _hints(q: dict[str, Any]) -> Iterator[Problem]:
    """Moodle keeps no hints for true/false and essay, and no hint options for typed answers."""
    if q["type"] in ("truefalse", "essay") and q.get("hints"):
        yield ("hints",), f"Moodle keeps no hints for {q['type']} questions", "hints-unsupported"
    if q["type"] in ("shortanswer", "numerical"):
        for i, hint in enumerate(q.get("hints", [])):
            for key in ("show_num_correct", "clear_wrong"):
                if hint.get(key):
                    yield ("hints", i, key), (f"Moodle ignores '{key}' on {q['type']} hints"), \
                        "hint-option-unsupported"


def check_question(q: dict[str, Any]) -> Iterator[Problem]:
    """Problems with one schema-valid question."""
    yield from _hints(q)
    rule = RULES.get(q["type"])
    if rule is not None:
        yield from rule(q)


def check_content_page(page: dict[str, Any]) -> Iterator[Problem]:
    """Problems with one schema-valid lesson content page: its buttons."""
    for i, button in enumerate(page.get("buttons", [])):
        if TAG_LIKE.search(button["label"]) or ENTITY_LIKE.search(button["label"]):
            yield ("buttons", i, "label"), ("Moodle strips tags from lesson buttons and shows "
                                            "entities as written; write the label without '<' "
                                            "or '&...;'"), "lesson-button-text"


def check_lesson_page(page: dict[str, Any]) -> Iterator[Problem]:
    """Problems with one schema-valid lesson question page."""
    qtype, answers = page["qtype"], page.get("answers", [])
    if qtype in ("truefalse", "essay"):
        if answers:
            yield ("answers",), f"a {qtype} page takes no 'answers'", "unexpected-key"
        if qtype == "truefalse" and "correct" not in page:
            yield (), "missing required key 'correct'", "missing-key"
        return
    if not answers:
        yield (), "missing required key 'answers'", "missing-key"
        return
    need = "value" if qtype == "numerical" else "text"
    for i, a in enumerate(answers):
        if need not in a:
            yield ("answers", i), f"missing required key '{need}'", "missing-key"
        elif qtype == "shortanswer" and TAG_LIKE.search(a["text"]):
            yield ("answers", i, "text"), ("Moodle's lesson strips tags from a typed answer "
                                           "before comparing, so this answer could never be "
                                           "given; write it without '<'"), "lesson-answer-tag"
    if not any(a.get("correct") for a in answers):
        yield ("answers",), "no answer is marked 'correct: true'", "no-correct-answer"
