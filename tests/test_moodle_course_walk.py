"""A restored course works as a course: an enrolled student goes through it in Moodle 4.5 and 5.1.

The seed's unit backup (nocn-l2) and the course backup are restored into each site. A new student,
enrolled in both, uses Moodle's web UI in headless Chromium, as a learner would:
  * the course page shows the sections and short activity names the model gives;
  * every activity opens (no error page), and no page a learner sees holds assessor-only text
    (criteria marking points, essay grader information);
  * the lesson: each question page answered wrong first, then right; the lesson ends with full
    credit (Moodle's lesson grade 100) and is complete;
  * the quiz: every question answered right in one attempt; the quiz is passed and complete, with
    no grade set by anyone but the student;
  * the written-answers quiz opens and its attempt shows the essays, without grader information.
Skipped without a Moodle harness or a browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from coursepack import model as m
from coursepack.markup import to_plain
from coursepack.writers.names import activity_names, moodle_name, section_name, unit_number
from support import mbz_expect as want
from support.moodle import SOURCES, build_sources, checker, require_moodle, site_params
from support.moodle_users import Student, delete_courses, delete_user, enrol_student, probe
from support.moodle_web import input_labels, log_in_as, squash, web
from support.sco_browser import missing_browser

# (backup, the unit walked through in it)
CASES = [("nocn-l2/nocn-l2.mbz", "nocn-l2"), ("course.mbz", "core")]
CASE_IDS = ["unit-backup", "course-backup"]
COMPLETE, COMPLETE_PASS = 1, 2
ESSAY = "In my last job a customer asked for help; I listened, checked and followed up."


@dataclass
class Site:
    """One Moodle site with both backups restored, its web UI running, and a student."""

    path: Path
    url: str
    catalogue: m.Catalogue
    courses: dict[str, int]  # backup -> course id
    maps: dict[str, dict[str, Any]]  # backup -> map-course.php
    student: Student


@dataclass
class Walk:
    """One browser page logged in as the student; the text of every page it saw."""

    page: Any
    url: str
    texts: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def go(self, label: str, path: str) -> str:
        self.page.goto(self.url + path, wait_until="networkidle")
        return self.look(label)

    def after(self, label: str, action: Any) -> str:
        action()
        self.page.wait_for_load_state("networkidle")
        return self.look(label)

    def look(self, label: str) -> str:
        text: str = self.page.locator("body").inner_text()
        if self.page.locator(".errorbox, .alert-danger[role=alert]").count() or \
                "Exception -" in text or "error/moodle" in self.page.url:
            self.problems.append(f"{label}: error page at {self.page.url}: {text[:300]!r}")
        self.texts[label] = text
        return text


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[m.Catalogue, Path]:
    require_moodle()
    if reason := missing_browser():
        pytest.skip(reason)
    return build_sources(tmp_path_factory, ["scorm", "mbz"], {"seed": SOURCES["seed"]})["seed"]


@pytest.fixture(scope="module", params=[p.values[0] for p in site_params()],
                ids=[str(p.id) for p in site_params()])
def site(request: pytest.FixtureRequest, seed: tuple[m.Catalogue, Path]) -> Iterator[Site]:
    """Both backups restored in one site, a student enrolled; all deleted again afterwards."""
    path: Path = request.param
    catalogue, folder = seed
    courses: dict[str, int] = {}
    student: Student | None = None
    try:
        for backup, _ in CASES:
            result = checker(path, "restore.php", (folder / backup).resolve(), "--keep")
            if course := result.get("course", {}).get("id"):
                courses[backup] = course
            assert result["ok"], (backup, result.get("exception"), result.get("problems"))
        student = enrol_student(path, *courses.values())
        maps = {b: probe(path, "map-course.php", c) for b, c in courses.items()}
        with web(path) as url:
            yield Site(path, url, catalogue, courses, maps, student)
    finally:
        if student:
            delete_user(path, student)
        delete_courses(path, *courses.values())


def assessor_only(unit: m.Unit) -> list[str]:
    """What only assessors may read: each criterion's marking points, each essay's grader
    information (authored and derived)."""
    points = [p for o in unit.outcomes for c in o.criteria for p in c.marking_points]
    info = [to_plain(q.grader_info) for q in (*unit.questions, *unit.derived)
            if isinstance(q, m.Essay) and q.grader_info]
    return [t for t in (*points, *info) if len(t.split()) >= 4]


@pytest.mark.parametrize(("backup", "unit_id"), CASES, ids=CASE_IDS)
def test_a_student_goes_through_the_course(site: Site, browser: Any, backup: str,
                                           unit_id: str) -> None:
    cat = site.catalogue
    unit = next(u for u in cat.units if u.id == unit_id)
    number = unit_number(cat, unit) if backup == "course.mbz" else None
    # Moodle 5.1 keeps the restored question bank in a mod_qbank module no learner sees.
    modules = [x for x in site.maps[backup]["modules"] if x["type"] != "qbank"]
    mine = [x for x in modules if backup != "course.mbz" or x["section"] == number]
    context = browser.new_context()
    walk = Walk(context.new_page(), site.url)
    try:
        log_in_as(walk.page, site.url, site.student.username, site.student.password)
        _course_page(walk, site, backup, unit, number)
        for mod in modules:
            where = f"/mod/{mod['type']}/view.php?id={mod['cmid']}"
            walk.go(f"open/{mod['type']}/{mod['cmid']}", where)
            chapters = mod.get("chapters", ()) if mod in mine else ()
            for chapter in chapters:  # a book is done once read to its end
                walk.go(f"open/book/{mod['cmid']}/{chapter['id']}",
                        f"{where}&chapterid={chapter['id']}")
        lesson = next(x for x in mine if x["type"] == "lesson")
        _lesson(walk, unit, lesson)
        quizzes = [x for x in mine if x["type"] == "quiz"]
        _quiz(walk, cat, unit, quizzes[0]["cmid"])
        _written(walk, quizzes[1]["cmid"])
    finally:
        context.close()
    assert walk.problems == []
    seen = squash("\n".join(walk.texts.values()))
    leaked = [t for t in assessor_only(unit) if squash(t) in seen]
    assert leaked == [], f"assessor-only text on a learner's page: {leaked}"
    _progress(site, backup, unit)


def _course_page(walk: Walk, site: Site, backup: str, unit: m.Unit, number: int | None) -> None:
    cat = site.catalogue
    text = walk.go("course", f"/course/view.php?id={site.courses[backup]}")
    names = activity_names(cat, unit, number)
    if backup == "course.mbz":
        headings = [section_name(cat, u) for u in cat.units]
    else:
        headings = [name for name, _ in want.sections(cat, unit)]
    kept = set(want.idnumbers(cat, unit))
    shown = [names[k] for k in names if {"book": "guide"}.get(k, k) in kept]
    for expected in (*headings, *shown):
        if squash(moodle_name(expected).replace("&amp;", "&")) not in squash(text):
            walk.problems.append(f"course page: {expected!r} is not shown")
    # The index holds every section, collapsed ones too (their text is in the page, hidden).
    index = walk.page.locator("#courseindex").text_content() or "" if walk.page.locator(
        "#courseindex").count() else ""
    for name in shown:  # short names fit the course index whole
        if name not in index:
            walk.problems.append(f"course index: {name!r} is not shown whole")


def _lesson(walk: Walk, unit: m.Unit, mod: dict[str, Any]) -> None:
    """Every question page answered wrong first (where an answer can be wrong), then right."""
    lesson = unit.lesson
    assert lesson is not None
    page, main = walk.page, walk.page.locator("#region-main")
    walk.go("lesson/0", f"/mod/lesson/view.php?id={mod['cmid']}")
    wrong_done: set[str] = set()
    for step in range(1, 4 * len(lesson.pages)):
        label = f"lesson/{step}"
        current = next((p for p in lesson.pages if squash(p.title) in squash(page.title())), None)
        submit = main.locator("#id_submitbutton")
        if main.locator("a[href*='startlastseen=no']").count():
            walk.after(label, main.locator("a[href*='startlastseen=no']").click)
        elif isinstance(current, m.QuestionPage) and submit.count():
            wrong = current.id not in wrong_done and current.qtype != "essay"
            wrong_done.add(current.id)
            _lesson_answer(page, current, wrong)
            shown = walk.after(label, submit.click)
            if "Maximum number of attempts" in shown:
                walk.problems.append(f"lesson page {current.title!r}: attempts ran out")
            if wrong and "correct answer" in shown.lower() and "wrong" not in shown.lower():
                walk.problems.append(f"lesson page {current.title!r}: the wrong answer was "
                                     "taken as right")
        elif isinstance(current, m.ContentPage) and main.locator(
                "form[action*='continue.php'] button[type=submit]").count():
            forward = _forward_button(current, lesson)
            walk.after(label, main.locator("form[action*='continue.php'] button[type=submit]",
                                           has_text=forward).first.click)
        elif main.locator("form[action*='continue.php'] button[type=submit]").count():
            walk.after(label, main.locator("form[action*='continue.php'] button").first.click)
        elif main.locator("form[action*='view.php'] button[type=submit]").count():
            walk.after(label, main.locator("form[action*='view.php'] button").first.click)
        else:
            break
    text = walk.look("lesson/end")
    if "end of lesson" not in text.lower():
        walk.problems.append(f"lesson: did not reach its end: {text[-300:]!r}")


def _forward_button(page: m.ContentPage, lesson: m.Lesson) -> str:
    """The label of the button that goes on through the lesson (next, a later page, or end)."""
    order = [p.id for p in lesson.pages]
    for button in page.buttons:
        target = button.jump
        if target in ("next", "end") or (target in order and
                                         order.index(target) > order.index(page.id)):
            return button.label
    return page.buttons[0].label


def _lesson_answer(page: Any, current: m.QuestionPage, wrong: bool) -> None:
    main = page.locator("#region-main")
    if current.qtype == "essay":
        page.wait_for_function("() => !window.tinymce || window.tinymce.get('id_answer_editor')",
                               timeout=15000)
        page.evaluate("""text => {
          const ta = document.getElementById('id_answer_editor');
          ta.value = '<p>' + text + '</p>';
          const ed = window.tinymce && window.tinymce.get('id_answer_editor');
          if (ed) { ed.setContent('<p>' + text + '</p>'); ed.save(); }
        }""", ESSAY)
        return
    right = [a for a in current.answers if a.correct]
    others = [a for a in current.answers if not a.correct]
    if main.locator("input[type=radio][name=answerid], input[type=checkbox]").count():
        chosen = others[:1] if wrong and others else right
        for box in main.locator("input[type=checkbox]").all():
            box.set_checked(False)
        for a in chosen:
            label = "True" if a.text == "True" else "False" if a.text == "False" else \
                to_plain(a.text)
            main.locator("label", has_text=label).first.locator("input").check()
        return
    if current.qtype == "numerical":
        value = right[0].value if right[0].value is not None else 0
        main.locator("input[name=answer]").fill("-987654" if wrong else f"{value:g}")
    else:
        main.locator("input[name=answer]").fill("zzzz" if wrong else right[0].text)


def _quiz(walk: Walk, cat: m.Catalogue, unit: m.Unit, cmid: int) -> None:
    """One attempt with every question answered right, submitted."""
    page = walk.page
    questions = want.quiz_questions(cat, unit, written=False)
    walk.go("quiz", f"/mod/quiz/view.php?id={cmid}")
    walk.after("quiz/1", page.locator(
        "#region-main form[action*='startattempt.php'] button[type=submit]").click)
    for n, q in enumerate(questions, start=1):
        if "/mod/quiz/attempt.php" not in page.url:
            walk.problems.append(f"quiz: question {n} not reached ({page.url})")
            return
        _answer(page.locator(".que").first, q)
        walk.after(f"quiz/{n + 1}", page.locator("#mod_quiz-next-nav").click)
    page.locator("#region-main form[action*='processattempt.php'] button[type=submit]").last.click()
    walk.after("quiz/review", page.locator(".modal-dialog button[data-action=save]").click)
    text = walk.texts["quiz/review"]
    if "/mod/quiz/review.php" not in page.url or not re.search(r"100(\.0+)? out of 100", text):
        walk.problems.append(f"quiz: the review does not show full marks: {text[:600]!r}")
    view = walk.go("quiz/after", f"/mod/quiz/view.php?id={cmid}")
    if "Done" not in view:
        walk.problems.append(f"quiz: the page does not show the activity done: {view[:600]!r}")


def _answer(que: Any, q: m.Question) -> None:
    """Answer one question right in Moodle's attempt page."""
    if isinstance(q, m.MultiChoice):
        best = max(a.grade for a in q.answers)
        for a in q.answers:
            if (a.grade == best) if q.single else a.grade > 0:
                _labelled(que, "input[type=radio], input[type=checkbox]", to_plain(a.text)).check()
    elif isinstance(q, m.TrueFalse):
        que.get_by_role("radio", name="True" if q.correct else "False", exact=True).check()
    elif isinstance(q, m.ShortAnswer):
        best = max(q.answers, key=lambda a: a.grade)
        que.locator("input[type=text]").first.fill(best.text.replace("*", ""))
    elif isinstance(q, m.Numerical):
        best = max(q.answers, key=lambda a: a.grade)
        que.locator("input[type=text]").first.fill(f"{best.value:g}")
    elif isinstance(q, m.Matching):
        for row in que.locator("table.answer tr").all():
            prompt = squash(row.locator("td.text").inner_text())
            pair = next(p for p in q.pairs if squash(to_plain(p.question)) == prompt)
            row.locator("select").select_option(label=pair.answer)
    elif isinstance(q, m.GapSelect):
        gaps = [int(n) for n in re.findall(r"\[\[(\d+)\]\]", q.text)]
        for select, n in zip(que.locator("select").all(), gaps, strict=True):
            select.select_option(label=q.choices[n - 1].text)
    elif isinstance(q, m.Ordering):
        que.evaluate("""(que, items) => {
          const squash = s => s.replace(/\\s+/g, '');
          const lis = [...que.querySelectorAll('ul.sortablelist li')];
          const ids = items.map(t => lis.find(li => squash(li.textContent) === squash(t)).id);
          que.querySelector('input[type=hidden][name*="_response_"]').value = ids.join(',');
        }""", [to_plain(i) for i in q.items])
    elif isinstance(q, m.Cloze):
        _cloze(que, q)


def _labelled(que: Any, selector: str, text: str) -> Any:
    """The input whose label (or aria-labelledby element) reads `text`."""
    inputs = que.locator(selector)
    labels = input_labels(inputs)
    for i, label in enumerate(labels):
        if squash(text) in squash(label):
            return inputs.nth(i)
    raise AssertionError(f"no input labelled {text!r} among {labels!r}")


def _cloze(que: Any, q: m.Cloze) -> None:
    order = re.findall(r"\{\{([^}]+)\}\}", q.text)
    slots = que.locator(".formulation span.subquestion, .formulation fieldset.answer").all()
    gaps = {g.id: g for g in q.gaps}
    for slot, gap_id in zip(slots, order, strict=True):
        gap = gaps[gap_id]
        best = max(gap.answers, key=lambda a: a.grade)
        if gap.kind == "multichoice" and isinstance(best, m.Answer):
            if slot.locator("select").count():
                slot.locator("select").select_option(label=to_plain(best.text))
            else:
                _labelled(slot, "input[type=radio]", to_plain(best.text)).check()
        elif isinstance(best, m.NumericAnswer):
            slot.locator("input[type=text]").fill(f"{best.value:g}")
        else:
            slot.locator("input[type=text]").fill(best.text.replace("*", ""))


def _written(walk: Walk, cmid: int) -> None:
    """Open the written-answers quiz and look at each essay of an attempt (not submitted)."""
    page = walk.page
    walk.go("written", f"/mod/quiz/view.php?id={cmid}")
    walk.after("written/1", page.locator(
        "#region-main form[action*='startattempt.php'] button[type=submit]").click)
    for n in range(2, 40):
        if "/mod/quiz/attempt.php" not in page.url or not page.locator(
                "#mod_quiz-next-nav").count():
            break
        walk.after(f"written/{n}", page.locator("#mod_quiz-next-nav").click)


def _progress(site: Site, backup: str, unit: m.Unit) -> None:
    """What Moodle recorded, with no teacher action: lesson full credit and complete, the quiz
    passed and complete."""
    found = probe(site.path, "progress.php", site.courses[backup], site.student.id)
    by_id = {x["idnumber"]: x for x in found["modules"]}
    lesson, quiz = by_id[f"{unit.id}-lesson"], by_id[f"{unit.id}-quiz"]
    assert lesson["grade"] == pytest.approx(100.0), lesson
    assert lesson["completionstate"] == COMPLETE, lesson
    assert quiz["grade"] == pytest.approx(quiz["grademax"]), quiz
    assert quiz["grade"] >= quiz["gradepass"] > 0, quiz
    assert quiz["completionstate"] == COMPLETE_PASS, quiz
    opened = [by_id[f"{unit.id}-{kind}"] for kind in ("guide", "glossary", "written")
              if f"{unit.id}-{kind}" in by_id]
    assert [x["completionstate"] for x in opened] == [COMPLETE] * len(opened), opened
    assert found["graded_by_others"] == 0
