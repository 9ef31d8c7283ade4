"""Moodle judges the preview's cloze marking: each response set is typed into the preview's
quiz (`coursepack preview`, headless Chromium) and checked there, and the same responses are
graded by real Moodle (4.5 LTS and 5.1) through its question engine (tests/support/
grade-responses.php: the questions.xml the build writes, imported, each response cleaned as a
form post is, the question started and grade_response called). The preview's "Mark X out of Y"
must be Moodle's whole-question fraction: X / Y.

The cases: typed gaps (any case and exact case, '*' wildcards, partial and negative credit, a
low-graded wildcard before a better answer, regex characters, spacing Moodle does not fold),
numerical gaps (tolerance edges, thousands separators, a unit typed, a blank), choice gaps
(dropdown, vertical, horizontal, partial and negative grades) and gap weights. A numerical gap
with Moodle's '*' (any number) is refused by `coursepack validate`, so it cannot reach the
preview from a source; its box is made by the preview's own code (clozeview.py) and marked by
the preview's scripts on a page of its own.

Skipped where no Moodle harness is set up (see ../shared/moodle/README.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coursepack import model as m
from coursepack.preview.clozeview import cloze_box
from coursepack.writers.moodlexml import question_xml
from support.grading import moodle_grade, question_source
from support.moodle import require_moodle, site_params
from support.preview_server import preview
from support.sco_browser import missing_browser

REASON = missing_browser()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")
SITES = site_params()
TESTS = Path(__file__).parent
STATIC = TESTS.parent / "src" / "coursepack"

QUESTIONS = """\
questions:
  - id: cz-case
    type: cloze
    text: "Any case {{ci}}, exact case {{cs}}."
    gaps:
      - id: ci
        type: shortanswer
        answers: [{text: Paris, correct: true}, {text: école, grade: 50}]
      - id: cs
        type: shortanswer
        case_sensitive: true
        answers: [{text: Paris, correct: true}, {text: paris, grade: 50}]
  - id: cz-wild
    type: cloze
    text: "Town {{town}}, spelling {{spell}}, sum {{sym}}, city {{city}}."
    gaps:
      - id: town
        type: shortanswer
        answers:
          - {text: "*ville", grade: 50, feedback: A town of some kind.}
          - {text: Blackville, correct: true}
          - {text: "*", grade: -50, feedback: Not a town.}
      - id: spell
        type: shortanswer
        answers: [{text: colour, correct: true}, {text: color, grade: 80},
                  {text: "col*r", grade: 20}]
      - id: sym
        type: shortanswer
        answers: [{text: "a+b (c)?", correct: true}]
      - id: city
        type: shortanswer
        answers: [{text: New York, correct: true}]
  - id: cz-num
    type: cloze
    text: "Five {{n1}}, a thousand {{n2}}."
    gaps:
      - id: n1
        type: numerical
        answers: [{value: 5, tolerance: 0.5, correct: true}, {value: 10, grade: 50},
                  {value: -5, grade: -50}]
      - id: n2
        type: numerical
        answers: [{value: 1000, correct: true}]
  - id: cz-choice
    type: cloze
    text: "Dropdown {{dd}} vertical {{vert}} horizontal {{hor}}"
    gaps:
      - id: dd
        type: multichoice
        answers: [{text: escalation, correct: true}, {text: a discount, grade: 50},
                  {text: nothing, grade: -50}]
      - id: vert
        type: multichoice
        display: vertical
        answers: [{text: x}, {text: y, correct: true}, {text: z, grade: 33.33333}]
      - id: hor
        type: multichoice
        display: horizontal
        answers: [{text: p, correct: true}, {text: q, grade: 50}, {text: r, grade: -33.33333}]
  - id: cz-weights
    type: cloze
    text: "Light {{a}} heavy {{b}}"
    gaps:
      - id: a
        type: shortanswer
        answers: [{text: "yes", correct: true}]
      - id: b
        type: numerical
        mark: 2
        answers: [{value: 3, correct: true}, {value: 4, grade: 50}]
"""

# Moodle's '*' in a numerical gap, which validate refuses: made in the model directly.
ANY_NUMBER = m.Cloze(id="cz-any", name="Any number", text="Exactly five {{n}}, a word {{w}}",
                     gaps=(m.Gap("n", "numerical", (m.NumericAnswer(5.0, 0.0, 100.0),
                                                    m.NumericAnswer(None, 0.0, 50.0, "Close."))),
                           m.Gap("w", "shortanswer", (m.Answer("five", 100.0),))))

# Each response set: a value per gap in the order of the text; a typed gap takes text, a choice
# gap the index of its choice as written (None: nothing chosen).
CASES: dict[str, list[tuple[Any, ...]]] = {
    "cz-case": [("paris", "Paris"), ("PARIS", "paris"), ("  Paris ", "PARIS"),
                ("ÉCOLE", ""), ("Pa ris", "Paris\u00a0"), ("", "")],
    "cz-wild": [
        ("Blackville", "colour", "a+b (c)?", "new york"),  # *ville (50%) is met first
        ("Greenville", "COLOR", "aab (c)", "New  York"),  # regex characters; two spaces
        ("Paris", "colr", "a+b c", "NEW YORK"),  # '*' at -50%; col*r
        ("ville", "col our", "", "New York\u00a0"),
        ("blackville", "ﬁne", "A+B (C)?", " New York "),
    ],
    "cz-num": [("5", "1000"), ("4.5", "1000.0"), ("5.5", "1 000"), ("5.51", "1,000"),
               ("4.49", "1x10^3"), ("5.5000000001", "1e3"), ("4.4999999999", "999.9999999999"),
               ("10", "1000 m"), ("1,0", "1.000,0"), ("5 cm", "abc"), ("-5", ""),
               ("5,0", "1000."), ("", ""), ("+5e0", ".5")],
    "cz-choice": [(0, 1, 0), (1, 2, 1), (2, None, None), (None, 0, 2), (2, 0, 2), (1, 1, 1),
                  (None, None, None)],
    "cz-weights": [("yes", ""), ("", "3"), ("yes", "3"), ("no", "4"), ("YES", "4.0")],
    "cz-any": [("5", "five"), ("77", "five"), ("abc", ""), ("", "Five"), ("-1e9", "")],
}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A source with the cloze questions, and questions.xml (built, plus '*', appended)."""
    folder = tmp_path_factory.mktemp("cloze-marking")
    question_source(folder, QUESTIONS)
    xml = (folder / "build" / "questions.xml").read_text("utf-8")
    extra = "\n".join(question_xml(ANY_NUMBER))
    (folder / "questions.xml").write_text(xml.replace("</quiz>", extra + "\n</quiz>"), "utf-8")
    return folder


@pytest.fixture(scope="module")
def server(course: Path) -> Iterator[str]:
    """`coursepack preview` serving the source; its address."""
    with preview(course) as url:
        yield url


CHOICES = """els => els.map(e => e.tagName === "INPUT" ? null : Array.from(e.querySelectorAll(
    e.tagName === "SELECT" ? 'option:not([value=""])' : "label")).map(o => o.textContent.trim()))"""


def _fill(box: Any, values: tuple[Any, ...]) -> None:
    """Type, select or click each gap's answer (a radio group with none picked is cleared)."""
    tags = box.locator("[data-gap]").evaluate_all("els => els.map(e => e.tagName)")
    for k, (tag, value) in enumerate(zip(tags, values, strict=True)):
        gap = box.locator(f'[data-gap="{k}"]')
        if tag == "INPUT":
            gap.fill(value)
        elif tag == "SELECT":
            gap.select_option(value="" if value is None else str(value))
        elif value is None:
            gap.evaluate("e => e.querySelectorAll('input').forEach(i => { i.checked = false; })")
        else:
            gap.locator(f'input[value="{value}"]').check()


def _check(box: Any, values: tuple[Any, ...]) -> dict[str, Any]:
    """Fill the gaps, press "Check answer": the mark shown."""
    _fill(box, values)
    box.get_by_role("button", name="Check answer").click()
    text = box.locator(".q-feedback").inner_text()
    found = re.search(r"Mark (-?[\d.]+) out of ([\d.]+)", text)
    assert found, text
    return {"mark": found.group(0), "got": float(found.group(1)), "of": float(found.group(2))}


def _any_number_page() -> str:
    """A page with the '*' question's box as the preview shows it, and the preview's scripts."""
    marking = (STATIC / "writers" / "module" / "static" / "marking.js").read_text("utf-8")
    cloze = (STATIC / "preview" / "static" / "cloze.js").read_text("utf-8")
    return (f"<!doctype html><html><head><meta charset='utf-8'><script>{marking}</script>"
            f"<script>{cloze}</script></head><body>{cloze_box(ANY_NUMBER, 1, 1)}</body></html>")


@pytest.fixture(scope="module")
def preview_marks(browser: Any, server: str) -> dict[Any, Any]:
    """What the preview shows for each response set (by question and number), and each
    question's choice gaps' choices (by question)."""
    context = browser.new_context()
    tab, blank = context.new_page(), context.new_page()  # blank: no preview's CSP
    errors: list[str] = []
    for each in (tab, blank):
        each.on("pageerror", lambda exc: errors.append(str(exc)))
    marks: dict[Any, Any] = {}
    for qid, sets in CASES.items():
        if qid == ANY_NUMBER.id:
            blank.bring_to_front()  # a tab behind another is slowed down
            blank.set_content(_any_number_page())
            box = blank.locator(f"#q-{qid}")
        else:
            tab.bring_to_front()
            tab.goto(server + "units/u1/quiz")
            box = tab.frame_locator("iframe.pv-quiz").locator(f"#q-{qid}")
        marks[qid] = box.locator("[data-gap]").evaluate_all(CHOICES)
        for n, values in enumerate(sets):
            marks[qid, n] = _check(box, values)
    context.close()
    assert errors == []
    return marks


def _moodle_response(values: tuple[Any, ...]) -> dict[str, str]:
    """The form fields Moodle's cloze posts: subN_answer, the text or the choice's index."""
    return {f"sub{k + 1}_answer": str(v) for k, v in enumerate(values) if v is not None}


def moodle_grades(site: Path, course: Path) -> dict[str, Any]:
    responses = [{"idnumber": qid, "response": _moodle_response(values)}
                 for qid, sets in CASES.items() for values in sets]
    return moodle_grade(site, course / "questions.xml", responses)


@pytest.mark.parametrize("site", SITES)
def test_the_preview_marks_cloze_gaps_as_moodle_grades_them(
        site: Path | None, course: Path, request: pytest.FixtureRequest) -> None:
    require_moodle()
    assert site is not None
    result = moodle_grades(site, course)
    marks = request.getfixturevalue("preview_marks")
    # Moodle numbers the gaps in text order, as the preview does, and lists a choice gap's
    # choices in the order they are written (no shuffle): the index means the same choice.
    for qid, question in result["questions"].items():
        shown = marks[qid]
        assert question["qtype"] == "multianswer" and len(question["gaps"]) == len(shown)
        for k, gap in enumerate(question["gaps"].values()):
            assert gap.get("choices") == shown[k], (qid, k, gap, shown[k])
    wrong = []
    keys = [(qid, n) for qid, sets in CASES.items() for n in range(len(sets))]
    for (qid, n), graded in zip(keys, result["grades"], strict=True):
        shown = marks[qid, n]
        fraction = graded["fraction"] or 0.0
        assert graded["finished_fraction"] in (None, graded["fraction"]), graded
        if abs(shown["got"] - fraction * shown["of"]) > 0.0051:
            gaps = {k: g["fraction"] for k, g in graded.get("gaps", {}).items()}
            wrong.append(f"{qid} {CASES[qid][n]!r}: preview '{shown['mark']}', Moodle "
                         f"{shown(fraction * shown['of'])} (fraction {fraction:.6g}; gaps {gaps}; "
                         f"{graded['validation_error'] or 'valid'})")
    assert not wrong, f"{result['moodle_release']}:\n" + "\n".join(wrong)
    # The cases reach what they are for: negative, partial and full marks, and Moodle's
    # "Please answer all parts" for responses it still grades.
    fractions = [g["fraction"] or 0.0 for g in result["grades"]]
    assert min(fractions) < 0 and max(fractions) == 1 and any(0 < f < 1 for f in fractions)
    assert any(g["validation_error"] and g["fraction"] for g in result["grades"])
