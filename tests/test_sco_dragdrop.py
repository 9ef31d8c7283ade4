"""Drag and drop into text and descriptions in the revision module's self-check, in headless
Debian Chromium: words placed with a mouse and with a keyboard, groups and unlimited words kept
as Moodle keeps them, marks, the state saved and resumed through a SCORM runtime, and the
interaction reported."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coursepack import model as m
from coursepack.source import read_source
from coursepack.writers.module.site import learning_object
from support.sco_browser import FORM_STATE, UNLABELLED, missing_tools, serve

REASON = missing_tools()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")
ROOT = Path(__file__).parents[1]
C = m.Choice
# Gaps 1-4 take group 1 (cities) and 2 (countries); gaps 5 and 6 both take 'Europe', which may
# fill any number of gaps; 'Lima' and 'Peru' are distractors.
DRAG = m.DragText(
    id="x-drag", name="capitals", mark=6, shuffle=False,
    text="[[1]] is the capital of [[2]]; [[3]] is the capital of [[4]]. Both are in [[5]], "
         "and so is Berlin: [[5]].",
    choices=(C("Paris", 1), C("France", 2), C("Rome", 1), C("Italy", 2),
             C("Europe", 3, unlimited=True), C("Lima", 1), C("Peru", 2)),
    combined=m.CombinedFeedback(correct="All in place."))
INFO = m.Description(id="x-info", name="case", text="Read the **case study** first.", mark=0,
                     penalty=0)
TRUE = m.TrueFalse(id="x-tf", name="tf", text="Paris is in France.", correct=True)


@pytest.fixture(scope="module")
def module() -> tuple[m.Unit, m.Catalogue]:
    catalogue = read_source(ROOT / "source").catalogue
    assert catalogue is not None
    unit = dataclasses.replace(catalogue.units[0], id="x", derived=(), questions=tuple(
        dataclasses.replace(q, practice=True) for q in (INFO, DRAG, TRUE)))
    return unit, catalogue


@pytest.fixture(scope="module")
def base_url(module: tuple[m.Unit, m.Catalogue]) -> Iterator[str]:
    unit, catalogue = module
    with serve({rt: learning_object(catalogue, unit, rt) for rt in ("none", "scorm2004")}) as url:
        yield url


def open_quiz(browser: Any, url: str) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # a page of its own
    page.goto(url)
    page.wait_for_selector(".page.is-current")
    page.locator('.toc a[data-page="quiz"]').click()
    return page, errors


def placed(page: Any) -> list[str]:
    return [page.locator(f"#q1-{k}").inner_text() for k in range(6)]


def tray(page: Any) -> list[str]:
    return page.locator(".drag:visible").all_inner_texts()


def test_a_description_is_shown_unnumbered_and_unmarked(browser: Any, base_url: str) -> None:
    page, errors = open_quiz(browser, f"{base_url}/none/index.html")
    info = page.locator("#q-x-info")
    assert "case study" in info.locator("strong").inner_text()
    assert info.get_attribute("data-qi") is None and info.locator(".q-check").count() == 0
    assert page.locator("article.question[data-qi] h3").all_inner_texts() == [
        "Question 1 of 2", "Question 2 of 2"]
    assert page.evaluate(UNLABELLED) == []
    assert errors == []
    page.close()


def test_words_go_into_gaps_as_moodle_allows(browser: Any, base_url: str) -> None:
    page, errors = open_quiz(browser, f"{base_url}/none/index.html")
    box = page.locator('article.question[data-qi="0"]')
    box.locator('.drag[data-choice="0"]').drag_to(page.locator("#q1-0"))  # a mouse: Paris
    assert placed(page)[0] == "Paris" and "Paris" not in tray(page)
    box.locator('.drag[data-choice="1"]').click()  # a keyboard: France, then a city's gap
    page.locator("#q1-2").click()
    assert placed(page)[2] == "" and "does not go in this gap" in box.inner_text()
    page.locator("#q1-1").click()
    assert placed(page)[:2] == ["Paris", "France"]
    page.locator("#q1-0").drag_to(page.locator("#q1-2"))  # Paris moves to gap 3
    assert placed(page)[:3] == ["", "France", "Paris"]
    for gap in (4, 5):  # Europe fills both its gaps and stays in the tray
        box.locator('.drag[data-choice="4"]').click()
        page.locator(f"#q1-{gap}").click()
    assert placed(page)[4:] == ["Europe", "Europe"] and "Europe" in tray(page)
    box.locator(".q-check").click()
    assert box.locator(".fb-mark").inner_text() == "Mark 3 out of 6"
    page.locator("#q1-2").click()  # a filled gap chosen with no word: the word goes back
    assert placed(page)[2] == "" and "Paris" in tray(page)
    for word, gap in ((0, 0), (2, 2), (3, 3)):
        box.locator(f'.drag[data-choice="{word}"]').click()
        page.locator(f"#q1-{gap}").click()
    box.locator(".q-check").click()
    assert box.locator(".fb-mark").inner_text() == "Mark 6 out of 6"
    assert "All in place." in box.locator(".q-feedback").inner_text()
    assert tray(page) == ["Europe", "Lima", "Peru"]
    assert errors == []
    page.close()


def test_placed_words_are_saved_resumed_and_reported(browser: Any, base_url: str) -> None:
    def launch(saved: dict[str, Any] | None) -> tuple[Any, Any]:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(f"{base_url}/host.html")
        page.evaluate("o => launch(o)", {"runtime": "scorm2004", "sco": "/scorm2004/index.html",
                                         "saved": saved, "mastery": None})
        page.wait_for_function("""() => { const f = document.getElementById('sco');
            return f && f.contentDocument &&
                   f.contentDocument.querySelector('.page.is-current'); }""")
        frame = page.locator("#sco").element_handle().content_frame()
        frame.locator('.toc a[data-page="quiz"]').click()
        return page, frame

    page, frame = launch(None)
    for word, gap in ((0, 0), (1, 1), (5, 2)):
        frame.locator(f'.drag[data-choice="{word}"]').click()
        frame.locator(f"#q1-{gap}").click()
    before = frame.evaluate(FORM_STATE)
    page.evaluate("leave()")
    saved = page.evaluate("snapshot()")["cmi"]
    page.close()
    page, frame = launch({"cmi": saved})
    assert frame.evaluate(FORM_STATE) == before
    assert frame.locator(".drag:visible").all_inner_texts() == ["Rome", "Italy", "Europe", "Peru"]
    frame.locator("#q2-t").check()
    frame.locator("#quiz-submit").click()
    assert "Your score: 42.86%" in frame.locator("#quiz-result").inner_text()  # (2 + 1) of 7
    assert frame.locator(".drop:disabled").count() == 6
    page.evaluate("leave()")
    cmi = page.evaluate("snapshot()")["cmi"]
    drag = cmi["interactions"]["0"]
    assert (drag["id"], drag["type"], drag["weighting"]) == ("urn:coursepack:x-drag", "matching",
                                                             "6")
    assert drag["learner_response"] == "a[.]a[,]b[.]b[,]c[.]f"
    page.close()
