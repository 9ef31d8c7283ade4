"""Moodle judges the quiz marking of the revision module's scripts (marking.js, quiz.js, site.js,
dragdrop.js), as `coursepack preview` runs them: each response set is given to a question of the
preview's quiz in headless Chromium (typed, ticked, picked from a list, placed with the keyboard,
moved up), its "Check answer" pressed and "Mark X out of Y" read; the same response is graded by
Moodle 4.5 and 5.1 with their own question engine (tests/support/grade-responses.php: the built
questions.xml imported, the question started, the response cleaned as a form post and graded with
grade_response). X / Y must be Moodle's fraction; a response Moodle does not grade (nothing
answered) gets no mark, and Moodle's validation message (get_validation_error: a number with a
thousands separator, a unit where none is typed, a part left blank) is shown with it.

The cases: short answers (any and exact case, '*' wildcards, a low-graded wildcard before a better
answer, regular-expression characters, spaces Moodle keeps, look-alike and composed characters),
numbers (tolerance edges, separators, exponents, units typed, picked from a list or radio buttons,
before the number, penalties of the response or of the mark, any number), single and multiple
choice with negative grades, true/false, matching, missing words, drag and drop into text, and an
ordering question for each grading type.

Skipped where no Moodle harness is set up (see ../shared/moodle/README.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coursepack import model as m
from support.grading import moodle_grade, question_source
from support.grading import shown as mark_text
from support.moodle import require_moodle, site_params
from support.preview_server import preview
from support.sco_browser import arrange, missing_browser

REASON = missing_browser()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")
SITES = site_params()
TESTS = Path(__file__).parent
NBSP, LS = "\u00a0", "\u2028"  # a no-break space; a line separator (PCRE's '.' matches it)
GRADINGS = ("absolute_position", "all_or_nothing", "relative_next_exclude_last",
            "relative_next_include_last", "relative_one_previous_and_next",
            "relative_all_previous_and_next", "longest_ordered_subset",
            "longest_contiguous_subset", "relative_to_correct")

QUESTIONS = """\
questions:
  - {id: sa-case, type: shortanswer, text: Capital of France?, answers: [
      {text: Paris, correct: true, feedback: Yes.}, {text: école, grade: 50},
      {text: fine, grade: 10}]}
  - {id: sa-exact, type: shortanswer, case_sensitive: true, text: Exact case?, answers: [
      {text: Paris, correct: true}, {text: paris, grade: 50}, {text: Straße, grade: 20}]}
  - {id: sa-order, type: shortanswer, text: A town?, answers: [
      {text: "*ville", grade: 50, feedback: A town of some kind.},
      {text: Blackville, correct: true}, {text: "*", grade: -50, feedback: Not a town.}]}
  - {id: sa-wild, type: shortanswer, text: Spell it., answers: [
      {text: colour, correct: true}, {text: color, grade: 80}, {text: "col*r", grade: 20},
      {text: "a+b (c)?", grade: 60}, {text: 'x\\*y', grade: 40}, {text: "**z**", grade: 30}]}
  - {id: sa-space, type: shortanswer, text: A city?, answers: [{text: New York, correct: true}]}
  - {id: num-tol, type: numerical, text: Five?, answers: [
      {value: 5, tolerance: 0.5, correct: true}, {value: 10, grade: 50}, {value: -5, grade: -50}]}
  - {id: num-big, type: numerical, text: A thousand?, answers: [{value: 1000, correct: true}]}
  - {id: num-kg, type: numerical, text: Weight?, unit_graded: true,
     units: [{unit: kg}, {unit: g, multiplier: 1000}],
     answers: [{value: 1.5, tolerance: 0.05, correct: true}]}
  - {id: num-kg-optional, type: numerical, text: Weight in any unit?,
     units: [{unit: kg}, {unit: g, multiplier: 1000}],
     answers: [{value: 1.5, tolerance: 0.05, correct: true}]}
  - {id: num-kg-select, type: numerical, text: Weight and unit?, unit_graded: true,
     unit_display: select, unit_penalty: 0.25, unit_penalty_of: question,
     units: [{unit: kg}, {unit: g, multiplier: 1000}], answers: [
       {value: 1.5, tolerance: 0.05, correct: true}, {value: 1.5, tolerance: 1, grade: 50}]}
  - {id: num-money-radio, type: numerical, text: Price?, unit_graded: true, unit_display: radio,
     unit_penalty: 0.5, unit_left: true, units: [{unit: '£'}, {unit: p, multiplier: 100}],
     answers: [{value: 2.5, tolerance: 0, correct: true}]}
  - {id: num-money-left, type: numerical, text: Price typed?, unit_graded: true,
     unit_penalty: 0.2, unit_left: true, units: [{unit: '£'}, {unit: p, multiplier: 100}],
     answers: [{value: 2.5, tolerance: 0, correct: true}]}
  - {id: num-any, type: numerical, text: Pi?, answers: [
      {value: 3.14, tolerance: 0.005, correct: true}, {value: 3.1, tolerance: 0.05, grade: 50},
      {value: '*', grade: 10, feedback: Not pi.}]}
  - {id: mc-single, type: multichoice, mark: 2, text: Pick one., answers: [
      {text: Alpha, correct: true}, {text: Beta, grade: 50}, {text: Gamma, grade: -50},
      {text: Delta, grade: -100}, {text: Epsilon}]}
  - {id: mc-multi, type: multichoice, single: false, text: Pick some., answers: [
      {text: Alpha, grade: 50}, {text: Beta, grade: 50}, {text: Gamma, grade: -50},
      {text: Delta, grade: -100}, {text: Epsilon}]}
  - {id: tf, type: truefalse, text: The customer is always right., correct: false}
  - {id: match, type: matching, text: Match the numbers., distractors: ['4'], pairs: [
      {question: One, answer: '1'}, {question: Two, answer: '2'}, {question: Three, answer: '3'},
      {question: Uno, answer: '1'}]}
  - {id: gap, type: gapselect, text: 'The [[1]] model starts with [[2]] and ends with [[3]].',
     choices: [{text: LAST, group: 1}, {text: Listen, group: 2}, {text: Thank, group: 2},
               {text: RATER, group: 1}, {text: Solve, group: 2}]}
  - {id: dd, type: ddwtos, mark: 3,
     text: '[[1]] is in [[2]], [[3]] in [[4]], both on [[5]] and [[5]].',
     choices: [{text: Paris, group: 1}, {text: France, group: 2}, {text: Lima, group: 1},
               {text: Peru, group: 2}, {text: Earth, group: 3, unlimited: true},
               {text: Mars, group: 3, unlimited: true}]}
""" + "".join(f"  - {{id: ord-{g}, type: ordering, mark: 2, text: Order., grading: {g}, "
              "items: [A, B, C, D, E]}\n" for g in GRADINGS)

ORDERS = [tuple("ABCDE"), tuple("BACDE"), tuple("EDCBA"), tuple("CABED"), tuple("BCDEA"),
          tuple("AEBCD"), tuple("ACBED")]
# Each question's response sets: typed text; (text, unit picked or None); the choice(s) picked
# by their text; True/False/None; per stem or gap, the choice's text or None; the items' order.
CASES: dict[str, list[Any]] = {
    "sa-case": ["paris", "PARIS", "  Paris ", "Paris" + NBSP, "Pa ris", "ÉCOLE", "e\u0301cole",
                "Ｐａｒｉｓ", "ﬁne", "FINE", "", " ", NBSP],
    "sa-exact": ["Paris", "paris", "PARIS", "Straße", "STRASSE", "STRAẞE", "Ｐaris"],
    "sa-order": ["Blackville", "blackville", "Greenville", "Paris", "ville", "Blackville ", "x"],
    "sa-wild": ["colour", "COLOR", "colr", "col our", "col" + LS + "r", "coloured", "a+b (c)?",
                "aab (c)", "x*y", "xzy", "z", "aZa"],
    "sa-space": ["New York", "New  York", " New York ", "New\tYork", "New York" + NBSP,
                 "new york", "NewYork"],
    "num-tol": ["5", "4.5", "5.5", "5.50000000000004", "5.5000000000001", "4.4999999999", "10",
                "-5", "1,0", "5 cm", "abc", "", "+5e0", ".5", "5.", "5x10^0", "0.5E1", "1,5",
                "5,0", "5e", NBSP],
    "num-big": ["1000", "1,000", "1 000", "1.000,0", "1e3", "999.9999999999", "1000.",
                "1,000,000"],
    "num-kg": ["1.5 kg", "1500g", "1.5", "1.5 lb", "3 kg", "1500", "1,500 g", "kg 1.5", "1.5 KG"],
    "num-kg-optional": ["1.5", "1500 g", "1.5 lb", "1500", "0.0015 t"],
    "num-kg-select": [("1500", "g"), ("1500", "kg"), ("1.5", "g"), ("1.9", "kg"), ("1.5", None),
                      ("1.5 kg", None), ("1.5 kg", "g"), ("", "kg"), ("1,5", "kg")],
    "num-money-radio": [("2.5", "£"), ("250", "p"), ("2.5", None), ("£2.5", None), ("£2.5", "p"),
                        ("p250", None), ("2.50", "£"), ("", None)],
    "num-money-left": ["£2.5", "£ 2.5", "p250", "2.5", "2.5£", "250p", "£2,50", "p 250"],
    "num-any": ["3.14", "3.1", "77", "abc", "1e999", "", "-0"],
    "mc-single": ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", None],
    "mc-multi": [{"Alpha"}, {"Alpha", "Beta"}, {"Alpha", "Gamma"}, {"Alpha", "Beta", "Gamma"},
                 {"Gamma", "Delta"}, {"Epsilon"}, set(), {"Alpha", "Beta", "Epsilon"},
                 {"Beta", "Delta"}],
    "tf": [True, False, None],
    "match": [("1", "2", "3", "1"), ("1", "2", "4", "4"), ("1", None, None, None),
              (None, None, None, None), ("2", "1", "3", "1"), ("4", "4", "4", "4")],
    "gap": [("LAST", "Listen", "Thank"), ("RATER", "Listen", "Solve"), ("LAST", None, None),
            (None, None, None), ("LAST", "Thank", "Listen")],
    "dd": [("Paris", "France", "Lima", "Peru", "Earth", "Earth"),
           ("Lima", "France", "Paris", "Peru", "Earth", "Mars"),
           ("Paris", None, None, None, "Earth", None), (None,) * 6,
           ("Paris", "Peru", "Lima", "France", "Mars", "Mars")],
    **{f"ord-{g}": ORDERS for g in GRADINGS},
}
MARK = re.compile(r"Mark (-?[\d.]+) out of ([\d.]+)")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, m.Question]]:
    """The source with these questions (the unit's quiz), its questions.xml, and the questions."""
    folder = tmp_path_factory.mktemp("quiz-marking")
    catalogue = question_source(folder, QUESTIONS)
    questions = {q.id: q for q in catalogue.units[0].questions}
    assert set(CASES) <= set(questions)
    return folder, questions


def _choose(box: Any, selector: str, label: str | None) -> None:
    if label is None:
        box.locator(selector).select_option(value="")  # "Choose…"
    else:
        box.locator(selector).select_option(label=label)


def _answer(box: Any, q: m.Question, value: Any) -> None:
    """Give the question its response as a learner does."""
    if isinstance(q, m.ShortAnswer | m.Numerical):
        text, unit = value if isinstance(value, tuple) else (value, None)
        box.locator("input[type=text]").fill(text)
        if isinstance(value, tuple):
            _choose(box, "select", unit)
    elif isinstance(q, m.MultiChoice | m.TrueFalse):
        if isinstance(q, m.TrueFalse):
            picked = set() if value is None else {"True" if value else "False"}
        else:
            picked = {value} if isinstance(value, str) else set(value or ())
        for choice in box.locator(".choice").all():
            field = choice.locator("input")
            if choice.locator(".choice-text").inner_text().strip() in picked:
                field.check()
            elif field.get_attribute("type") == "checkbox":
                field.uncheck()
            else:  # a radio button cannot be unticked by a click
                field.evaluate("i => { i.checked = false; }")
    elif isinstance(q, m.DragText):  # the keyboard: a word, then its gap; a filled gap empties
        while box.locator(".drop.drop-filled").count():
            box.locator(".drop.drop-filled").first.press("Enter")
        for k, word in enumerate(value):
            if word is not None:
                box.locator(".drag-tray .drag").filter(
                    has_text=re.compile(f"^{re.escape(word)}$")).press("Enter")
                box.locator(f'.drop[data-part="{k}"]').press("Enter")
    elif isinstance(q, m.Matching | m.GapSelect):
        for k, label in enumerate(value):
            _choose(box, f'select[data-part="{k}"]', label)
    else:
        assert isinstance(q, m.Ordering)
        arrange(box, [q.items.index(item) for item in value])


@pytest.fixture(scope="module")
def preview_marks(browser: Any, course: tuple[Path, dict[str, m.Question]]
                  ) -> Iterator[dict[tuple[str, int], dict[str, Any]]]:
    """What the preview's quiz shows for each response set: the mark and the feedback."""
    folder, questions = course
    with preview(folder) as url:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url + "units/u1/quiz")
        frame = page.frame_locator("iframe.pv-quiz")
        shown: dict[tuple[str, int], dict[str, Any]] = {}
        for qid, sets in CASES.items():
            box = frame.locator(f"#q-{qid}")
            for n, value in enumerate(sets):
                _answer(box, questions[qid], value)
                box.get_by_role("button", name="Check answer").click()
                text = box.locator(".q-feedback").inner_text()
                found = MARK.search(text)
                shown[qid, n] = {"text": text, "mark": found and found.group(0),
                                 "got": float(found.group(1)) if found else None,
                                 "of": float(found.group(2)) if found else questions[qid].mark}
        page.close()
        assert errors == []
        yield shown


def _moodle_item(q: m.Question, value: Any) -> dict[str, Any]:
    """The response as Moodle's form posts it (field values, or choices named by their text)."""
    response: dict[str, str] = {}
    pick: dict[str, Any] = {}
    if isinstance(q, m.ShortAnswer | m.Numerical):
        text, unit = value if isinstance(value, tuple) else (value, None)
        response["answer"] = text
        if unit is not None or (isinstance(value, tuple) and q.unit_display == "select"):
            response["unit"] = unit or ""  # a list posts its "Choose…"; radio buttons nothing
    elif isinstance(q, m.TrueFalse):
        response.update({} if value is None else {"answer": "1" if value else "0"})
    elif isinstance(q, m.MultiChoice):
        pick = {"answer": value} if q.single else {"choices": sorted(value)}
    elif isinstance(q, m.Matching):
        pick = {"stems": {str(p.question): v for p, v in zip(q.pairs, value, strict=True)}}
    elif isinstance(q, m.GapSelect):
        pick = {"places": list(value)}
    else:
        pick = {"order": list(value)}
    return {"idnumber": q.id, "response": response, **({"pick": pick} if pick else {})}


def moodle_grades(site: Path, course: tuple[Path, dict[str, m.Question]]) -> dict[str, Any]:
    folder, questions = course
    items = [_moodle_item(questions[qid], v) for qid, sets in CASES.items() for v in sets]
    return moodle_grade(site, folder / "build" / "questions.xml", items)


def _disagreement(value: Any, shown: dict[str, Any], graded: dict[str, Any]) -> str | None:
    """What the preview shows that Moodle does not, or None."""
    message, of = graded["validation_error"], shown["of"]
    if not graded["gradable"]:
        moodle = f"not graded: '{message}'"
        if shown["got"] is None and message in shown["text"]:
            return None
    else:
        fraction = graded["fraction"]
        said = f"{'; ' * bool(message)}{message}"
        moodle = f"{mark_text(fraction * of)} (fraction {fraction:.6g}{said})"
        if shown["got"] is not None and abs(shown["got"] - fraction * of) <= 0.0051 and \
                message in shown["text"]:
            return None
    said = " ".join(shown["text"].split())[:160]
    return f"{value!r}: preview '{shown['mark'] or 'no mark'}' ({said}); Moodle {moodle}"


@pytest.mark.parametrize("site", SITES)
def test_the_preview_marks_quiz_questions_as_moodle_grades_them(
        site: Path | None, course: tuple[Path, dict[str, m.Question]],
        request: pytest.FixtureRequest) -> None:
    require_moodle()
    assert site is not None
    result = moodle_grades(site, course)
    marks = request.getfixturevalue("preview_marks")
    keys = [(qid, n) for qid, sets in CASES.items() for n in range(len(sets))]
    wrong = []
    for (qid, n), graded in zip(keys, result["grades"], strict=True):
        assert graded["idnumber"] == qid and graded["finished_fraction"] in (
            None, graded["fraction"]), graded
        if problem := _disagreement(CASES[qid][n], marks[qid, n], graded):
            wrong.append(f"{qid} {problem}")
    assert not wrong, f"{result['moodle_release']}:\n" + "\n".join(wrong)
    # The cases reach what they are for: negative, partial and full marks, responses Moodle
    # grades with a validation message, and responses it does not grade.
    graded = [g for g in result["grades"] if g["gradable"]]
    fractions = [g["fraction"] for g in graded]
    assert min(fractions) < 0 and max(fractions) == 1 and any(0 < f < 1 for f in fractions)
    assert any(g["validation_error"] and g["fraction"] > 0 for g in graded)
    assert len(graded) < len(result["grades"])
