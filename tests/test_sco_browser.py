"""The revision module in headless Chromium, with npm scorm-again as a strict SCORM 1.2 / 2004 LMS.

A learner visits every page, passes or fails the quiz, or leaves halfway and comes back; the LMS
must hold the right status, score, interactions and saved state, with no call to the other SCORM
version's API and no console error. Opened from disk with no LMS, the module still works.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coursepack import model as m
from coursepack.source import read_source
from coursepack.writers.module.quiz import NUMBER_MAXLENGTH, SHORT_MAXLENGTH, quiz_questions
from coursepack.writers.module.site import SUSPEND_LIMIT_12, learning_object, state_budget
from support.sco_browser import (
    FORM_STATE,
    ROOT,
    UNLABELLED,
    answer,
    answer_all,
    arrange,
    missing_tools,
    serve,
)

REASON = missing_tools()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")
UNIT = "nocn-l2"
RUNTIMES = ("scorm12", "scorm2004")
CMI12_ID = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
TIMESPAN_12 = re.compile(r"^\d{2,4}:\d\d:\d\d(\.\d{1,2})?$")
DURATION_2004 = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)$")
NAMES_12 = {"LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit"}
NAMES_2004 = {"Initialize", "Terminate", "GetValue", "SetValue", "Commit"}


@pytest.fixture(scope="module")
def unit_and_catalogue() -> tuple[m.Unit, m.Catalogue]:
    catalogue = read_source(ROOT / "source").catalogue
    assert catalogue is not None
    return next(u for u in catalogue.units if u.id == UNIT), catalogue


@pytest.fixture(scope="module")
def unit(unit_and_catalogue: tuple[m.Unit, m.Catalogue]) -> m.Unit:
    return unit_and_catalogue[0]


@pytest.fixture(scope="module")
def base_url(unit_and_catalogue: tuple[m.Unit, m.Catalogue]) -> Iterator[str]:
    unit, catalogue = unit_and_catalogue
    modules = {rt: learning_object(catalogue, unit, rt) for rt in (*RUNTIMES, "none")}
    with serve(modules) as url:
        yield url


class Learner:
    """One browser page: the test LMS host with the module in its iframe."""

    def __init__(self, browser: Any, base_url: str, width: int = 1100) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.page.set_default_timeout(10_000)
        self.base_url = base_url
        self.errors: list[str] = []
        self.page.on("console", lambda msg: self.errors.append(msg.text)
                     if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def launch(self, runtime: str, saved: dict[str, Any] | None = None,
               mastery: float | None = None) -> Any:
        self.runtime = runtime
        self.page.goto(f"{self.base_url}/host.html")
        self.page.evaluate("o => launch(o)", {"runtime": runtime, "sco": f"/{runtime}/index.html",
                                              "saved": saved, "mastery": mastery})
        self.page.wait_for_function("""() => { const f = document.getElementById('sco');
            return f && f.contentDocument &&
                   f.contentDocument.querySelector('.page.is-current'); }""")
        self.frame = self.page.locator("#sco").element_handle().content_frame()
        return self.frame

    def leave(self) -> dict[str, Any]:
        """Close the module (its page is unloaded) and return the CMI data the LMS keeps."""
        self.page.evaluate("leave()")
        cmi: dict[str, Any] = self.page.evaluate("snapshot()")["cmi"]
        return cmi

    def calls(self) -> list[list[Any]]:
        calls: list[list[Any]] = self.page.evaluate("lms.calls")
        return calls

    def check_clean(self) -> None:
        """No console error, no call to the other version's API, each call allowed for the
        runtime, Initialize first and Finish/Terminate once and last."""
        assert self.errors == []
        assert self.page.evaluate("lms.violations") == []
        names = [c[0] for c in self.calls()]
        allowed = NAMES_12 if self.runtime == "scorm12" else NAMES_2004
        assert set(names) <= allowed
        init, finish = (("LMSInitialize", "LMSFinish") if self.runtime == "scorm12"
                        else ("Initialize", "Terminate"))
        assert names[0] == init and names.count(init) == 1
        assert names[-1] == finish and names.count(finish) == 1
        assert all(c[3] == "true" for c in self.calls() if c[0] not in ("LMSGetValue", "GetValue"))

    def visit_every_page(self) -> None:
        nxt = self.frame.locator(".pager-next")
        while nxt.is_enabled():
            nxt.click()

    def set_value(self, element: str) -> str:
        """The last value the module set for an element."""
        values = [c[2] for c in self.calls()
                  if c[0] in ("LMSSetValue", "SetValue") and c[1] == element]
        assert values, element
        return str(values[-1])

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def learner(browser: Any, base_url: str) -> Iterator[Learner]:
    one = Learner(browser, base_url)
    yield one
    one.close()


def _expected_score(unit: m.Unit, answered: set[int]) -> float:
    questions = quiz_questions(unit)
    got = sum(q.mark for n, q in enumerate(questions, start=1) if n in answered)
    return round(100 * got / sum(q.mark for q in questions), 2)


def _fail_set(unit: m.Unit) -> set[int]:
    """Questions answered right in a failing attempt: the first ones until they hold half the
    marks, and every ordering question (an untouched one still earns partial marks)."""
    questions = quiz_questions(unit)
    total, got, chosen = sum(q.mark for q in questions), 0.0, set()
    for n, q in enumerate(questions, start=1):
        if got < total / 2 or isinstance(q, m.Ordering):
            chosen.add(n)
            got += q.mark
    return chosen


def _interactions(cmi: dict[str, Any], runtime: str, unit: m.Unit) -> list[dict[str, Any]]:
    found = [cmi["interactions"][k] for k in sorted(cmi["interactions"], key=int)]
    questions = quiz_questions(unit)
    assert len(found) == len(questions)
    for it, q in zip(found, questions, strict=True):
        if runtime == "scorm12":
            assert CMI12_ID.match(it["id"]), it["id"]
            assert it["type"] in {"choice", "true-false", "fill-in", "numeric", "matching",
                                  "sequencing"}
        else:
            assert it["id"] == f"urn:coursepack:{q.id}"
        assert it["weighting"] == f"{q.mark:g}"
        assert it["correct_responses"]["0"]["pattern"]
    return found


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_visit_all_and_pass(learner: Learner, unit: m.Unit, runtime: str) -> None:
    frame = learner.launch(runtime)
    learner.visit_every_page()
    assert frame.locator("[data-seen-count]").inner_text() == "7"
    answer_all(frame, unit)
    frame.locator("#quiz-submit").click()
    assert "Your score: 100%" in frame.locator("#quiz-result").inner_text()
    cmi = learner.leave()
    learner.check_clean()
    if runtime == "scorm12":
        assert cmi["core"]["lesson_status"] == "passed"
        assert cmi["core"]["score"] == {"raw": "100", "min": "0", "max": "100"}
        assert cmi["core"]["exit"] == "suspend"
        assert cmi["core"]["lesson_location"] == "quiz"
        assert TIMESPAN_12.match(learner.set_value("cmi.core.session_time"))
        assert len(learner.set_value("cmi.core.session_time").split(":")[0]) == 4
        results = {"correct"}
    else:
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
        assert (cmi["score"]["scaled"], cmi["score"]["raw"]) == ("1", "100")
        assert (cmi["score"]["min"], cmi["score"]["max"]) == ("0", "100")
        assert (cmi["exit"], cmi["location"]) == ("suspend", "quiz")
        assert DURATION_2004.match(learner.set_value("cmi.session_time"))
        results = {"correct"}
    found = _interactions(cmi, runtime, unit)
    assert {it["result"] for it in found} == results
    assert len(cmi["suspend_data"]) <= state_budget(unit)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_fail(learner: Learner, unit: m.Unit, runtime: str) -> None:
    answered = _fail_set(unit)
    score = _expected_score(unit, answered)
    assert score < unit.mastery_score
    frame = learner.launch(runtime)
    learner.visit_every_page()
    answer_all(frame, unit, answered)
    frame.locator("#quiz-submit").click()
    assert f"Your score: {score:g}%" in frame.locator("#quiz-result").inner_text()
    cmi = learner.leave()
    learner.check_clean()
    wrong = "wrong" if runtime == "scorm12" else "incorrect"
    results = [it["result"] for it in _interactions(cmi, runtime, unit)]
    assert results == ["correct" if n in answered else wrong for n in range(1, len(results) + 1)]
    if runtime == "scorm12":
        assert cmi["core"]["lesson_status"] == "failed"
        assert float(cmi["core"]["score"]["raw"]) == score
    else:
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "failed")
        assert float(cmi["score"]["raw"]) == score
        assert float(cmi["score"]["scaled"]) == pytest.approx(score / 100, abs=1e-6)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_mastery_score_from_the_lms(learner: Learner, unit: m.Unit, runtime: str) -> None:
    answered = _fail_set(unit)
    frame = learner.launch(runtime, mastery=40)
    frame.locator('.toc a[data-page="quiz"]').click()
    answer_all(frame, unit, answered)
    frame.locator("#quiz-submit").click()
    assert "pass mark is 40%" in frame.locator("#quiz-result").inner_text()
    cmi = learner.leave()
    learner.check_clean()
    status = (cmi["core"]["lesson_status"] if runtime == "scorm12" else cmi["success_status"])
    assert status == "passed"


def _first_of_each_type(unit: m.Unit) -> set[int]:
    seen: dict[type, int] = {}
    for n, q in enumerate(quiz_questions(unit), start=1):
        seen.setdefault(type(q), n)
    return set(seen.values())


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_leave_halfway_and_resume(browser: Any, base_url: str, unit: m.Unit,
                                  runtime: str) -> None:
    first = Learner(browser, base_url)
    frame = first.launch(runtime)
    frame.locator('.toc a[data-page="quiz"]').click()
    some = _first_of_each_type(unit)
    answer_all(frame, unit, some)
    before = frame.evaluate(FORM_STATE)
    saved = first.leave()
    first.check_clean()
    first.close()
    if runtime == "scorm12":
        assert (saved["core"]["lesson_status"], saved["core"]["lesson_location"]) == (
            "incomplete", "quiz")
    else:
        assert (saved["completion_status"], saved["success_status"]) == ("incomplete", "unknown")
        assert saved["location"] == "quiz"
    assert saved["interactions"] == {}

    again = Learner(browser, base_url)
    frame = again.launch(runtime, saved={"cmi": saved})
    assert frame.locator(".page.is-current").get_attribute("id") == "quiz"
    assert frame.locator("[data-seen-count]").inner_text() == "2"
    assert frame.evaluate(FORM_STATE) == before
    assert frame.locator("[data-answered]").inner_text() == str(len(some))
    rest = set(range(1, len(quiz_questions(unit)) + 1)) - some
    answer_all(frame, unit, rest)
    frame.locator("#quiz-submit").click()
    assert "Your score: 100%" in frame.locator("#quiz-result").inner_text()
    cmi = again.leave()
    again.check_clean()
    status = cmi["core"]["lesson_status"] if runtime == "scorm12" else cmi["success_status"]
    assert status == "passed"
    again.close()


def _worst_case(frame: Any, unit: m.Unit) -> None:
    """Every answer as long as it can be in suspend_data."""
    for n, q in enumerate(quiz_questions(unit), start=1):
        box = frame.locator(f'article.question[data-qi="{n - 1}"]')
        if isinstance(q, m.MultiChoice) and not q.single:
            for i in range(len(q.answers)):
                box.locator(f"#q{n}-{i}").check()
        elif isinstance(q, m.ShortAnswer | m.Numerical):
            limit = SHORT_MAXLENGTH if isinstance(q, m.ShortAnswer) else NUMBER_MAXLENGTH
            box.locator(f"#q{n}-in").fill("%|~" * limit)
            assert len(box.locator(f"#q{n}-in").input_value()) == limit
        elif isinstance(q, m.Ordering):
            box.locator(".order-list li").last.locator(".order-up").click()
        else:
            answer(frame, q, n)


def test_worst_case_state_is_the_budget(browser: Any, base_url: str, unit: m.Unit) -> None:
    first = Learner(browser, base_url)
    frame = first.launch("scorm12")
    frame.locator('.toc a[data-page="quiz"]').click()
    _worst_case(frame, unit)
    frame.locator("#quiz-submit").click()
    before = frame.evaluate(FORM_STATE)
    saved = first.leave()
    first.check_clean()
    first.close()
    assert len(saved["suspend_data"]) == state_budget(unit) < SUSPEND_LIMIT_12

    again = Learner(browser, base_url)
    frame = again.launch("scorm12", saved={"cmi": saved})
    assert frame.evaluate(FORM_STATE) == before
    assert frame.locator("#quiz-submit").is_hidden()
    assert frame.locator("#quiz-retry").is_visible()
    again.leave()
    again.check_clean()
    again.close()


def _file_page(browser: Any, tmp_path: Path, runtime: str,
               unit_and_catalogue: tuple[m.Unit, m.Catalogue]) -> tuple[Any, list[str]]:
    unit, catalogue = unit_and_catalogue
    for name, body in learning_object(catalogue, unit, runtime).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(body)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    page.goto((tmp_path / "index.html").as_uri())
    page.wait_for_selector(".page.is-current")
    return page, messages


@pytest.mark.parametrize("runtime", ["none", "scorm12", "scorm2004"])
def test_from_disk_without_an_lms(browser: Any, tmp_path: Path, runtime: str,
                                  unit_and_catalogue: tuple[m.Unit, m.Catalogue]) -> None:
    unit = unit_and_catalogue[0]
    page, messages = _file_page(browser, tmp_path, runtime, unit_and_catalogue)
    questions = quiz_questions(unit)
    page.locator('.toc a[data-page="quiz"]').click()
    answer(page, questions[0], 1)
    page.locator('article.question[data-qi="0"] .q-check').click()
    assert "Correct" in page.locator("#q-nocn-l2-q01-fb").inner_text()
    wrong = next(i for i, a in enumerate(questions[0].answers) if a.grade <= 0)
    page.locator(f"#q1-{wrong}").check()
    assert page.locator("#q-nocn-l2-q01-fb").inner_text() == ""
    page.locator('article.question[data-qi="0"] .q-check').click()
    text = page.locator("#q-nocn-l2-q01-fb").inner_text()
    assert "Not quite" in text and "The correct answer" in text
    ordering = next(n for n, q in enumerate(questions, start=1) if isinstance(q, m.Ordering))
    arrange(page.locator(f'article.question[data-qi="{ordering - 1}"]'),
            list(range(len(questions[ordering - 1].items))))  # type: ignore[attr-defined]
    page.locator("#quiz-submit").click()
    assert "Your score:" in page.locator("#quiz-result").inner_text()
    assert page.locator("#quiz-retry").is_visible()
    page.locator("#quiz-retry").click()
    assert page.locator("#quiz-result").inner_text() == ""
    assert messages == []
    page.close()


def test_accessibility_smoke(browser: Any, tmp_path: Path,
                             unit_and_catalogue: tuple[m.Unit, m.Catalogue]) -> None:
    page, messages = _file_page(browser, tmp_path, "none", unit_and_catalogue)
    assert page.evaluate(UNLABELLED) == []
    assert page.locator("h1").count() == 1
    assert page.get_attribute("html", "lang") == "en-GB"
    for landmark in ("header", "nav", "main", "footer"):
        assert page.locator(f"body > {landmark}, body > .layout > {landmark}").count() == 1
    levels = page.evaluate("() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
                           ".map(h => Number(h.tagName[1]))")
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert messages == []
    page.close()


def test_deep_links(browser: Any, tmp_path: Path,
                    unit_and_catalogue: tuple[m.Unit, m.Catalogue]) -> None:
    page, messages = _file_page(browser, tmp_path, "none", unit_and_catalogue)
    url = (tmp_path / "index.html").as_uri()
    page.goto(url + "#key-terms")
    assert page.locator(".page.is-current").get_attribute("id") == "key-terms"
    page.goto(url + "#key-concepts")
    page.locator('#key-concepts a.chip[href="#term-last"]').click()
    assert page.locator(".page.is-current").get_attribute("id") == "key-terms"
    assert page.evaluate("document.activeElement.id") == "term-last"
    page.locator(".pager-prev").click()
    assert page.locator(".page.is-current").get_attribute("id") == "mistakes"
    assert page.locator("[data-page-number]").inner_text() == "5"
    assert messages == []
    page.close()


GRADINGS = {  # response C, A, B, D or B, A, C, D of items A B C D: the fraction Moodle gives
    "absolute_position": ([1, 0, 2, 3], "0.5"), "all_or_nothing": ([1, 0, 2, 3], "0"),
    "relative_next_exclude_last": ([1, 0, 2, 3], "0.33"),
    "relative_next_include_last": ([1, 0, 2, 3], "0.5"),
    "relative_one_previous_and_next": ([1, 0, 2, 3], "0.38"),
    "relative_all_previous_and_next": ([1, 0, 2, 3], "0.83"),
    "longest_ordered_subset": ([2, 0, 1, 3], "0.75"),
    "longest_contiguous_subset": ([2, 0, 1, 3], "0.5"),
    "relative_to_correct": ([1, 0, 2, 3], "0.83"),  # (2 + 2 + 3 + 3) of 4 x 3
}


KG = (m.NumUnit("kg"), m.NumUnit("g", 1000))


def _marking_unit(unit: m.Unit) -> m.Unit:
    """A unit whose quiz exercises each marking rule."""
    a = m.Answer
    questions: list[m.Question] = [
        m.MultiChoice(id="x-mc", name="mc", text="Pick", single=False, shuffle=False,
                      answers=(a("A", 50), a("B", 50), a("C", -50), a("D", -50))),
        m.ShortAnswer(id="x-sa", name="sa", text="Spell it",
                      answers=(a("colo*r", 100), a("*", 0, "Any other answer"))),
        m.ShortAnswer(id="x-sa-case", name="sa2", text="Acronym", case_sensitive=True,
                      answers=(a("NPS", 100), a("nps", 50))),
        m.Numerical(id="x-num", name="num", text="How many?",
                    answers=(m.NumericAnswer(75, 0.5, 100), m.NumericAnswer(75, 5, 50))),
        m.Matching(id="x-match", name="match", text="Match", shuffle=False,
                   pairs=(m.MatchPair("One", "1"), m.MatchPair("Two", "2"),
                          m.MatchPair("Three", "3")), distractors=("4",)),
        m.GapSelect(id="x-gap", name="gap", text="[[1]] then [[2]]", shuffle=False,
                    choices=(m.Choice("x", 1), m.Choice("y", 2), m.Choice("z", 1))),
        *(m.Ordering(id=f"x-ord-{g}", name=g, text=g, items=("A", "B", "C", "D"), grading=g)
          for g in GRADINGS),
        m.Numerical(id="x-kg", name="kg", text="Weight?", units=KG, unit_graded=True,
                    answers=(m.NumericAnswer(1.5, 0.05, 100, "Right weight."),)),
        m.Numerical(id="x-kg-pick", name="kg2", text="Weight?", units=KG, unit_graded=True,
                    unit_display="select", unit_penalty=0.25, unit_penalty_of="question",
                    answers=(m.NumericAnswer(1.5, 0.05, 100), m.NumericAnswer(1.5, 1, 50))),
        m.Numerical(id="x-kg-optional", name="kg3", text="Weight?", units=KG,
                    answers=(m.NumericAnswer(1.5, 0.05, 100),)),
    ]
    return dataclasses.replace(unit, id="x", derived=(), questions=tuple(
        dataclasses.replace(q, practice=True) for q in questions))


def test_marking_rules(browser: Any, tmp_path: Path,
                       unit_and_catalogue: tuple[m.Unit, m.Catalogue]) -> None:
    unit = _marking_unit(unit_and_catalogue[0])
    page, messages = _file_page(browser, tmp_path, "none", (unit, unit_and_catalogue[1]))
    page.locator('.toc a[data-page="quiz"]').click()

    def mark(n: int) -> str:
        page.locator(f'article.question[data-qi="{n - 1}"] .q-check').click()
        text: str = page.locator(f'article.question[data-qi="{n - 1}"] .fb-mark').inner_text()
        return text.removeprefix("Mark ").removesuffix(" out of 1")

    def pick(n: int, chosen: set[int]) -> str:
        for i in range(4):
            page.locator(f"#q{n}-{i}").set_checked(i in chosen)
        return mark(n)

    assert [pick(1, s) for s in ({0}, {0, 1}, {0, 2}, {0, 1, 2}, {2, 3})] == [
        "0.5", "1", "0", "0.5", "0"]

    def typed(n: int, text: str) -> str:
        page.locator(f"#q{n}-in").fill(text)
        return mark(n)

    assert [typed(2, t) for t in ("  Colour ", "COLOR", "colo*r", "colr")] == ["1", "1", "1", "0"]
    assert "Any other answer" in page.locator("#q-x-sa-fb").inner_text()
    assert [typed(3, t) for t in ("NPS", "nps", "Nps")] == ["1", "0.5", "0"]
    assert [typed(4, t) for t in ("75.4", "78", "7.54x10^1", "abc")] == ["1", "0.5", "1", "0"]
    assert "You must enter a valid number." in page.locator("#q-x-num-fb").inner_text()
    assert typed(4, "1,075") == "0"  # Moodle's reasons, as its own page gives them
    assert "without using the thousand separator" in page.locator("#q-x-num-fb").inner_text()
    assert typed(4, "75 %") == "1"  # Moodle refuses it on "Check" but grades the number
    assert "Do not include a unit" in page.locator("#q-x-num-fb").inner_text()
    units = 7 + len(GRADINGS)  # typed and marked: a wrong or missing unit loses 10% of the grade
    assert [typed(units, t) for t in ("1.5 kg", "1500g", "1.5", "1.5 lb", "3 kg")] == [
        "1", "1", "0.9", "0.9", "0"]
    assert typed(units, "1.5kg") == "1" and "Right weight." in page.locator(
        "#q-x-kg-fb").inner_text()
    page.locator(f"#q{units + 1}-in").fill("1500")  # picked from a list: 0.25 of the mark lost
    assert mark(units + 1) == "0"
    assert "You must select a unit." in page.locator("#q-x-kg-pick-fb").inner_text()
    for unit, value, got in (("1", "1500", "1"), ("0", "1500", "0"), ("1", "1.5", "0.75"),
                             ("0", "1.9", "0.5")):
        page.locator(f"#q{units + 1}-unit").select_option(unit)
        page.locator(f"#q{units + 1}-in").fill(value)
        assert mark(units + 1) == got, (unit, value)
    assert [typed(units + 2, t) for t in ("1.5", "1500 g", "1.5 lb")] == ["1", "1", "1"]
    for i, value in enumerate(("0", "1", "3")):
        page.locator(f"#q5-{i}").select_option(value)
    assert mark(5) == "0.67"
    assert "You have 2 parts right." in page.locator("#q-x-match-fb").inner_text()
    page.locator("#q6-0").select_option("0")
    assert page.locator("#q6-1 option").all_inner_texts() == ["Choose…", "y"]
    assert mark(6) == "0.5"
    for n, (grading, (response, expected)) in enumerate(GRADINGS.items(), start=7):
        arrange(page.locator(f'article.question[data-qi="{n - 1}"]'), response)
        assert mark(n) == expected, grading
    assert messages == []
    page.close()
