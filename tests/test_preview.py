"""`coursepack preview` in headless Chromium, the whole path a new user takes: init, new unit,
validate, build, then the preview: pages load, a question answered shows Moodle's feedback and
mark, the lesson follows its jumps, the SCORM runtime shows what the package reports, an edit
appears after the reload, and a broken edit shows its diagnostic instead of a stale page."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from coursepack.cli import main
from support.preview_server import preview
from support.sco_browser import missing_browser

REASON = missing_browser()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")
RELOAD = 15_000  # ms a reload may take, however busy the machine


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository made as a new user makes one: init, then a unit of their own filled in."""
    monkeypatch.chdir(tmp_path)
    assert run("init", "course")[0] == 0
    monkeypatch.chdir(tmp_path / "course")
    assert run("new", "unit", "u9")[0] == 0
    code, out = run("validate")
    assert code == 1 and out.count("[placeholder]") == 5
    unit = Path("source/units/u9/unit.yaml")
    unit.write_text(re.sub(r"\[fill in: ([^\]]*)\]", r"Filled: \1", unit.read_text("utf-8")),
                    "utf-8")
    code, out = run("validate", "--strict")
    assert code == 0, out
    code, out = run("build")
    assert code == 0 and Path("build/u9/u9.mbz").is_file(), out
    return tmp_path / "course"


@pytest.fixture
def server(repo: Path) -> Iterator[str]:
    """`coursepack preview` running in the repository; its address."""
    with preview(repo) as url:
        yield url


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.base = server
    yield tab
    context.close()
    assert errors == []


def test_quiz_question_answered_shows_moodle_feedback_and_mark(page: Any) -> None:
    page.goto(page.base + "units/example/quiz")
    quiz = page.frame_locator("iframe.pv-quiz")
    box = quiz.locator("article.question", has_text="Sam is angry")
    box.get_by_label("Offer a discount").check()
    box.get_by_role("button", name="Check answer").click()
    feedback = box.locator(".q-feedback")
    assert "Too soon: you do not know the whole problem yet." in feedback.inner_text()
    assert "Mark 0 out of 1" in feedback.inner_text()
    box.get_by_label("Listen without interrupting").check()
    box.get_by_role("button", name="Check answer").click()
    assert "Right: listening comes first." in feedback.inner_text()
    assert "Mark 1 out of 1" in feedback.inner_text()


def test_cloze_gaps_are_marked_as_moodle_marks_them(page: Any) -> None:
    page.goto(page.base + "units/example/quiz")
    cloze = page.frame_locator("iframe.pv-quiz").locator("article.pv-cloze")
    feedback = cloze.locator(".q-feedback")
    cloze.get_by_role("button", name="Check answer").click()
    assert "Mark 0 out of 2" in feedback.inner_text()
    cloze.get_by_label("Gap 1").select_option(label="escalation")
    cloze.get_by_label("Gap 2").fill("3")
    cloze.get_by_role("button", name="Check answer").click()
    assert "Partly correct" in feedback.inner_text()
    assert "Mark 1 out of 2" in feedback.inner_text()
    assert "The correct answer is: 2" in feedback.inner_text()
    cloze.get_by_label("Gap 2").fill("2.0")
    cloze.get_by_role("button", name="Check answer").click()
    assert "Mark 2 out of 2" in feedback.inner_text()


def test_an_essay_is_checked_as_moodle_checks_it_on_submission(page: Any) -> None:
    page.goto(page.base + "units/example/written")
    essays = page.frame_locator("iframe.pv-quiz").locator("article.pv-essay")
    expect(essays).to_have_count(3)  # as the backup's written quiz: one authored, two derived
    essay = essays.filter(has_text="follow up with Sam")
    feedback = essay.locator(".q-feedback")
    essay.locator("textarea").fill("I would listen, apologise and then solve it.")
    essay.get_by_role("button", name="Check answer").click()
    assert ("This question requires a response of at least 50 words and you are attempting to "
            "submit 8 words.") in feedback.inner_text()
    essay.locator("textarea").fill("word " * 301)
    essay.get_by_role("button", name="Check answer").click()
    assert "The word limit for this question is 300 words" in feedback.inner_text()
    essay.locator("textarea").fill("word " * 60)
    essay.get_by_role("button", name="Check answer").click()
    assert "60 words. A teacher grades this answer in Moodle." in feedback.inner_text()


def test_every_page_of_each_unit_loads(page: Any) -> None:
    page.goto(page.base)
    units = page.locator(".pv-units a")
    assert units.count() == 2
    for name in ("Example: Handling customer complaints", "Filled: the unit's title"):
        page.goto(page.base)
        page.get_by_role("link", name=name).click()
        tabs = page.locator(".pv-tabs a")
        labels = tabs.all_inner_texts()
        assert labels[0] == "Unit guide" and "Interactive revision" in labels, labels
        for link in tabs.all():
            href = link.get_attribute("href")
            response = page.goto(page.base.rstrip("/") + href)
            assert response is not None and response.ok, href
            assert page.locator("main > *").count() and "Not found" not in page.content()
            frame = page.locator("main iframe")
            if frame.count():
                inner = frame.get_attribute("src")
                assert page.request.get(page.base.rstrip("/") + inner).ok, inner


def test_lesson_follows_its_jumps(page: Any) -> None:
    page.goto(page.base + "units/example/lesson")
    lesson = page.locator("#lesson")
    assert "Listen before you act" in lesson.inner_text()
    lesson.get_by_role("button").first.click()
    lesson.get_by_label("Offer a refund").check()
    lesson.get_by_role("button", name="Submit").click()
    assert "Not yet: you do not know the problem." in lesson.inner_text()
    lesson.get_by_role("button", name="Continue").click()
    assert "Listen before you act" in lesson.inner_text()  # the wrong answer's jump
    lesson.get_by_role("button").first.click()
    lesson.get_by_label("Listen to the whole complaint").check()
    lesson.get_by_role("button", name="Submit").click()
    assert "Right: listening comes first." in lesson.inner_text()
    lesson.get_by_role("button", name="Continue").click()
    lesson.get_by_role("button", name="Finish").click()
    text = lesson.inner_text()
    assert "Congratulations - end of lesson reached" in text
    assert "Your score is 1 (out of 1)." in text  # the last attempt counts, as lesson_grade()


def test_scorm_runtime_shows_what_the_package_reports(page: Any) -> None:
    page.goto(page.base + "units/example/scorm")
    panel = page.locator(".pv-runtime")
    sco = page.frame_locator("iframe.pv-sco")
    sco.locator(".toc-list a").last.click()
    expect(panel.locator('[data-show="status"]')).to_have_text("incomplete")
    sco.locator("#quiz-submit").click()
    expect(panel.locator('[data-show="status"]')).to_have_text("failed")
    assert panel.locator('[data-show="score"]').inner_text().startswith("0 (mastery ")
    size = panel.locator('[data-show="suspend"]').inner_text()
    assert re.fullmatch(r"\d+ of 4096 characters", size) and not size.startswith("0 ")
    assert int(panel.locator('[data-show="interactions"]').inner_text()) >= 1
    page.reload()
    assert "LMSGetValue(\"cmi.core.entry\") → \"resume\"" in page.locator(
        ".pv-calls").text_content()


def test_an_edit_appears_and_a_broken_edit_shows_its_diagnostic(page: Any, repo: Path) -> None:
    page.goto(page.base + "units/example/")
    assert "An example unit" in page.locator("article").inner_text()
    unit = repo / "source/units/example/unit.yaml"
    text = unit.read_text("utf-8")
    began = time.monotonic()
    unit.write_text(text.replace("An example unit:", "An edited unit:"), "utf-8")
    expect(page.locator("article")).to_contain_text("An edited unit:", timeout=RELOAD)
    edited = time.monotonic() - began
    unit.write_text(text.replace("assessment_route: vocational", "assessment_route: nope"),
                    "utf-8")
    page.wait_for_selector(".pv-problems", timeout=RELOAD)
    problem = page.locator(".pv-problems li").first.inner_text()
    assert re.match(r"source/units/example/unit\.yaml:\d+:\d+ error: ", problem), problem
    assert "[bad-enum]" in problem or "[" in problem
    unit.write_text(text, "utf-8")
    page.wait_for_selector("article", timeout=RELOAD)
    assert "An example unit" in page.locator("article").inner_text()
    print(f"save to reloaded page: {edited:.2f} s")


def test_the_scorm_12_runtime_refuses_what_moodle_refuses(browser: Any, server: str) -> None:
    """The runtime answers calls as Moodle's scorm_12.js does, error codes included."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.route("**/sco/**", lambda route: route.abort())  # no package: the test calls the API
    page.goto(server + "units/example/scorm")
    calls = [("LMSGetValue", ["cmi.core.lesson_status"], "", "301"),
             ("LMSInitialize", [""], "true", "0"),
             ("LMSSetValue", ["cmi.core.lesson_status", "not attempted"], "false", "405"),
             ("LMSSetValue", ["cmi.core.student_id", "x"], "false", "403"),
             ("LMSSetValue", ["cmi.core._children", "x"], "false", "402"),
             ("LMSGetValue", ["cmi.core.exit"], "", "404"),
             ("LMSSetValue", ["cmi.core.score.raw", "101"], "false", "405"),
             ("LMSSetValue", ["cmi.core.score.raw", "80"], "true", "0"),
             ("LMSSetValue", ["cmi.interactions.1.id", "q1"], "false", "201"),
             ("LMSSetValue", ["cmi.interactions.0.id", "q1"], "true", "0"),
             ("LMSGetValue", ["cmi.interactions._count"], "1", "0"),
             ("LMSGetValue", ["cmi.nothing"], "", "401"),
             ("LMSFinish", [""], "true", "0"),
             ("LMSSetValue", ["cmi.core.lesson_location", "x"], "false", "301")]
    for name, args, result, code in calls:
        got = page.evaluate("([n, a]) => [window.API[n](...a), window.API.LMSGetLastError()]",
                            [name, args])
        assert got == [result, code], (name, args)
    assert page.locator('[data-show="status"]').inner_text() == "passed"  # 80 against 80
    context.close()


LESSON = """\
title: Rules
max_attempts: 2
pages:
  - id: u9-p1
    type: question
    qtype: multichoice
    multiple: true
    title: Pick both
    text: Which two?
    answers:
      - {text: One, correct: true, jump: u9-p2}
      - {text: Two, correct: true, jump: u9-p2}
      - {text: Three, jump: this}
  - id: u9-p2
    type: question
    qtype: numerical
    title: A number
    text: How many?
    answers:
      - {value: 1234567.5, tolerance: 0.25, correct: true}
  - id: u9-p3
    type: question
    qtype: essay
    title: Tell us
    text: Why?
"""


def test_lesson_attempts_numbers_and_essays_as_moodle(page: Any, repo: Path) -> None:
    (repo / "source/units/u9/lesson.yaml").write_text(LESSON, "utf-8")
    page.goto(page.base + "units/u9/")
    expect(page.locator(".pv-tabs")).to_contain_text("Guided lesson", timeout=RELOAD)
    page.goto(page.base + "units/u9/lesson")
    lesson = page.locator("#lesson")
    lesson.get_by_label("One").check()  # right, but not all of the right ones
    lesson.get_by_role("button", name="Submit").click()
    assert "That's the wrong answer" in lesson.inner_text()
    assert "You have 1 attempt(s) remaining" in lesson.inner_text()
    lesson.get_by_role("button", name="Continue").click()
    assert "Pick both" in lesson.inner_text()  # no answer taken: the same page
    lesson.get_by_label("Three").check()
    lesson.get_by_role("button", name="Submit").click()
    assert "Maximum number of attempts reached - Moving to next page" in lesson.inner_text()
    lesson.get_by_role("button", name="Continue").click()
    lesson.get_by_label("Your answer").fill("1234567,6")  # not a number Moodle's field takes
    lesson.get_by_role("button", name="Submit").click()
    assert "no answer given" in lesson.inner_text()
    lesson.get_by_label("Your answer").fill("1234567.7")
    lesson.get_by_role("button", name="Submit").click()
    assert "That's the correct answer" in lesson.inner_text()
    lesson.get_by_role("button", name="Continue").click()
    lesson.get_by_label("Your answer").fill("Because.")
    lesson.get_by_role("button", name="Submit").click()
    assert "Your essay will be graded by your teacher." in lesson.inner_text()
    lesson.get_by_role("button", name="Continue").click()
    text = lesson.inner_text()
    assert "You earned 1 out of 2 for the automatically graded questions." in text
    assert "Your 1 essay question(s) will be graded" in text
    assert "Your current grade is 50.0 out of 100" in text


def test_odd_requests_get_answers_not_tracebacks(server: str) -> None:
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(server)
    for path, status in [("/units/example/?chapter=%C2%B2", 200),
                         ("/units/example/?chapter=9999", 200), ("/units/nope/", 404),
                         ("/units/example/sco/scorm12/../../x", 404),
                         ("/media/%2e%2e/course.yaml", 404),
                         ("/static/../preview/__init__.py", 404),
                         ("/units/example/quiz/nothing.js", 404)]:
        conn = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
        conn.request("GET", path)
        assert conn.getresponse().status == status, path
        conn.close()
    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    conn.request("GET", "/", headers={"Host": f"attacker.example:{where.port}"})
    assert conn.getresponse().status == 421  # a page of another site cannot read the preview
    conn.close()
    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    conn.request("GET", "/events?since=%C2%B2")
    response = conn.getresponse()
    assert response.status == 200 and response.readline().startswith(b"data: ")
    conn.close()


def test_preview_of_a_missing_folder_is_a_usage_error(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["preview", "nothing-here", "--port", "0"])
    assert result.exit_code == 2 and "[no-source]" in result.output
