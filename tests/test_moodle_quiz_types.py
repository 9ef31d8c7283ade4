"""A description and a drag-and-drop-into-text question work in a restored course, in Moodle 4.5
and 5.1: an enrolled student opens the unit's quiz in Moodle's web UI (headless Chromium), reads
the description as unnumbered information, drags each word into its gap with the mouse, answers
the rest, submits, and the review gives full marks: the description carries no mark.

Skipped without a Moodle harness or a browser.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coursepack.build import plan
from coursepack.runs import check_source
from support.moodle import checker, require_moodle, site_params
from support.moodle_users import delete_courses, delete_user, enrol_student, probe
from support.moodle_web import log_in_as, web
from support.sco_browser import missing_browser

ROOT = Path(__file__).parents[1]
QUESTIONS = """\
# yaml-language-server: $schema=../../../../../../schemas/questions.schema.json
questions:
  - id: u1-info
    type: description
    name: Case study
    text: Read the case study **first**, then answer the questions.
  - id: u1-drag
    type: ddwtos
    mark: 3
    shuffle: false
    text: '[[1]] is the capital of [[2]]; both are in [[3]], and so is Berlin: [[3]].'
    choices:
      - {text: Paris, group: 1}
      - {text: France, group: 2}
      - {text: Europe, group: 3, unlimited: true}
      - {text: Rome, group: 1}
      - {text: Italy, group: 2}
  - id: u1-tf
    type: truefalse
    text: Paris is in France.
    correct: true
"""
PLACES = [("Paris", 1), ("France", 2), ("Europe", 3), ("Europe", 4)]  # word, gap


@pytest.fixture(scope="module")
def backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_moodle()
    if reason := missing_browser():
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("quiz-types")
    root = Path(shutil.copytree(ROOT / "tests" / "data" / "minimal" / "source", tmp / "source"))
    (root / "units" / "u1" / "questions.yaml").write_text(QUESTIONS, "utf-8")
    catalogue = check_source(root).catalogue
    assert catalogue is not None
    (tmp / "u1.mbz").write_bytes(plan(catalogue, ["mbz"])["u1/u1.mbz"])
    return tmp / "u1.mbz"


@pytest.fixture(params=[p.values[0] for p in site_params()],
                ids=[str(p.id) for p in site_params()])
def course(request: pytest.FixtureRequest, backup: Path) -> Iterator[tuple[Path, int, Any]]:
    site: Path = request.param
    result = checker(site, "restore.php", backup.resolve(), "--keep")
    courseid = result.get("course", {}).get("id")
    student = None
    try:
        assert result["ok"], result.get("exception")
        student = enrol_student(site, courseid)
        yield site, courseid, student
    finally:
        if student:
            delete_user(site, student)
        if courseid:
            delete_courses(site, courseid)


def test_a_student_takes_a_quiz_with_a_description_and_drag_and_drop(
        course: tuple[Path, int, Any], browser: Any) -> None:
    site, courseid, student = course
    quiz = next(m for m in probe(site, "map-course.php", courseid)["modules"]
                if m["type"] == "quiz" and m["slots"] == 3)
    context = browser.new_context()
    page = context.new_page()
    try:
        with web(site) as url:
            log_in_as(page, url, student.username, student.password)
            page.goto(f"{url}/mod/quiz/view.php?id={quiz['cmid']}", wait_until="networkidle")
            page.locator("#region-main form[action*='startattempt.php'] button[type=submit]"
                         ).click()
            page.wait_for_load_state("networkidle")
            info = page.locator(".que.description")
            assert "Read the case study first" in info.locator(".qtext").inner_text()
            assert info.locator(".qtext strong").inner_text() == "first"
            assert "Information" in info.locator(".info").inner_text()
            _next(page)
            _drag(page)
            _next(page)
            page.locator(".que").first.get_by_role("radio", name="True", exact=True).check()
            _next(page)
            page.locator("#region-main form[action*='processattempt.php'] button[type=submit]"
                         ).last.click()
            page.locator(".modal-dialog button[data-action=save]").click()
            page.wait_for_load_state("networkidle")
            review = page.locator("#region-main").inner_text()
    finally:
        context.close()
    assert re.search(r"Marks\s+4\.00/4\.00\s+Grade\s+100\.00 out of 100\.00", review), \
        review[:800]
    assert re.search(r"Information\s+Flag question\s+Information text", review), review[:800]
    assert re.search(r"Mark 3(\.0+)? out of 3(\.0+)?", review), review[:800]


def _next(page: Any) -> None:
    page.locator("#mod_quiz-next-nav").click()
    page.wait_for_load_state("networkidle")


def _drag(page: Any) -> None:
    """Each word dragged with the mouse onto its gap, as a student does it."""
    que = page.locator(".que.ddwtos")
    que.locator(".drop").first.wait_for()
    for word, gap in PLACES:
        source = que.locator(".draghome.unplaced", has_text=word).first
        source.drag_to(que.locator(f".drop.place{gap}"))
        field = que.locator(f"input.placeinput.place{gap}")
        page.wait_for_function("el => el.value !== '' && el.value !== '0'",
                               arg=field.element_handle())
