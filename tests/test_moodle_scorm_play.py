"""Learners play the SCORM packages in real Moodle: passed, failed and incomplete come out right.

Moodle's player runs in headless Chromium against the harness's web UI; a probe then reads what
Moodle tracked and graded, on Moodle 4.5 and 5.1. Both SCORM versions, with 'mastery score
overrides status' on (Moodle's default) and off: the package declares the mastery score and
applies the same rule itself, so the outcome is the same either way. Skipped without a Moodle
harness or a browser.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coursepack import model as m
from coursepack.build import build
from coursepack.source import read_source
from coursepack.writers.module.quiz import quiz_questions
from support.moodle import checker, require_moodle, site_params
from support.moodle_web import log_in, web
from support.sco_browser import CHROMIUM, CHROMIUM_ARGS, answer_all, missing_tools

ROOT = Path(__file__).resolve().parent.parent
UNIT = "nocn-l2"
PROBE = Path(__file__).parent / "support" / "dump-scorm.php"


@pytest.fixture(scope="module")
def unit_and_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[m.Unit, Path]:
    require_moodle()
    if reason := missing_tools():
        pytest.skip(reason)
    catalogue = read_source(ROOT / "source").catalogue
    assert catalogue is not None
    folder = tmp_path_factory.mktemp("play") / "build"
    build(catalogue, ["scorm"], folder)
    return next(u for u in catalogue.units if u.id == UNIT), folder


@pytest.fixture(scope="module", params=[p.values[0] for p in site_params()],
                ids=[str(p.id) for p in site_params()])
def moodle(request: pytest.FixtureRequest, unit_and_build: Any) -> Iterator[tuple[Path, str]]:
    """Each Moodle site's web UI in turn (4.5, then 5.1 when installed)."""
    site: Path = request.param
    with web(site) as url:
        yield site, url


@pytest.fixture(scope="module")
def page(moodle: tuple[Path, str]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1200, "height": 900})
        log_in(tab, moodle[1])
        yield tab
        browser.close()


def _configure(site: Path, cmid: int, override: int) -> None:
    """Grade by the highest score out of 100, as the course backup sets it; set the override."""
    code = (f"require('{site}/moodle/config.php');"
            "require_once($CFG->dirroot . '/mod/scorm/lib.php');"
            f"$cm = get_coursemodule_from_id('scorm', {cmid});"
            "$scorm = $DB->get_record('scorm', ['id' => $cm->instance]);"
            f"$scorm->masteryoverride = {override}; $scorm->grademethod = 1;"
            "$scorm->maxgrade = 100; $DB->update_record('scorm', $scorm);"
            "$scorm->cmidnumber = ''; scorm_grade_item_update($scorm);")
    subprocess.run(["php", "-r", "define('CLI_SCRIPT', true);" + code], check=True, timeout=60)


def _play(page: Any, url: str, cmid: int, course: int, unit: m.Unit,
          outcome: str) -> float | None:
    """Play the SCO as a learner; return the score the module showed (None if not submitted)."""
    page.goto(f"{url}/mod/scorm/view.php?id={cmid}")
    page.locator("#scormviewform [name=mode][value=normal]").click()
    frame = page.frame_locator("#scorm_object")
    frame.locator(".pager-next").wait_for(timeout=30000)
    shown = None
    if outcome == "incomplete":
        frame.locator(".pager-next").click()
    else:
        nxt = frame.locator(".pager-next")
        while nxt.is_enabled():
            nxt.click()
        if outcome == "passed":
            answer_all(frame, unit)
        else:
            answer_all(frame, unit, {1})
        frame.locator("#quiz-submit").click()
        text = frame.locator("#quiz-result").inner_text()
        shown = float(re.search(r"Your score: ([0-9.]+)%", text).group(1))  # type: ignore[union-attr]
    page.goto(f"{url}/course/view.php?id={course}", wait_until="domcontentloaded")
    return shown


def _tracked(site: Path, course: int) -> dict[str, Any]:
    done = subprocess.run(["php", str(PROBE), str(course), "--delete"], capture_output=True,
                          text=True, env={**os.environ, "MOODLE_HARNESS": str(site)},
                          timeout=300, check=True)
    activity: dict[str, Any] = next(iter(json.loads(done.stdout).values()))
    return activity


@pytest.mark.parametrize("override", [1, 0], ids=["override-on", "override-off"])
@pytest.mark.parametrize("outcome", ["passed", "failed", "incomplete"])
@pytest.mark.parametrize("version", ["scorm12", "scorm2004"])
def test_moodle_tracks_the_outcome(unit_and_build: tuple[m.Unit, Path],
                                   moodle: tuple[Path, str], page: Any, version: str,
                                   outcome: str, override: int) -> None:
    unit, folder = unit_and_build
    site, url = moodle
    result = checker(site, "add-scorm.php", (folder / UNIT / f"{UNIT}.{version}.zip").resolve(),
                     "--keep")
    assert result["ok"], result.get("exception")
    cmid = result["scorm"]["cmid"]
    _configure(site, cmid, override)
    shown = _play(page, url, cmid, result["course"]["id"], unit, outcome)
    tracked = _tracked(site, result["course"]["id"])
    tracks = next(iter(tracked["tracks"].values()))
    if version == "scorm12":
        assert tracks["cmi.core.lesson_status"] == outcome
    else:
        completion = "completed" if outcome != "incomplete" else "incomplete"
        success = {"passed": "passed", "failed": "failed", "incomplete": "unknown"}[outcome]
        assert tracks["cmi.completion_status"] == completion
        assert tracks.get("cmi.success_status", "unknown") == success
    if outcome == "incomplete":
        assert tracked["grade"] in (None, 0.0)
    else:
        assert shown is not None
        assert (shown == 100.0) if outcome == "passed" else (shown < unit.mastery_score)
        assert float(tracks["score_raw"]) == pytest.approx(shown, abs=0.01)
        assert float(tracked["grade"]) == pytest.approx(shown, abs=0.01)
        assert tracks["interaction_count"] == len(quiz_questions(unit))
