"""Moodle course backups: sound structure, the model's content, byte-identical builds, goldens."""

from __future__ import annotations

import functools
import html
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXED_EPOCH
from coursepack import model as m
from coursepack.source import read_source
from coursepack.writers import WRITERS, mbz
from coursepack.writers.glossary import definition_html
from coursepack.writers.mbz.book import chapters, entry_link
from coursepack.writers.names import section_name
from coursepack.writers.qbank import bank
from support import mbz_expect
from support.mbz_check import Archive, problems, read
from support.mbz_fake import fake_scorm

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"seed": ROOT / "source", "minimal": ROOT / "tests" / "data" / "minimal" / "source",
           "tricky": ROOT / "tests" / "data" / "tricky" / "source"}
GOLDEN = ROOT / "tests" / "golden" / "mbz" / "minimal"
REFERENCE = ROOT.parent / "shared" / "moodle" / "reference" / "reference-course-users.mbz"
MOODLE_QTYPE = {"matching": "match", "cloze": "multianswer"}


def catalogue(name: str) -> m.Catalogue:
    found = read_source(SOURCES[name]).catalogue
    assert found is not None
    return found


@pytest.fixture(scope="module")
def built() -> dict[str, tuple[m.Catalogue, dict[str, bytes]]]:
    out = {}
    for name in SOURCES:
        cat = catalogue(name)
        out[name] = (cat, mbz.write(cat))
    return out


def archives(built: dict[str, tuple[m.Catalogue, dict[str, bytes]]]) -> list[tuple[str, str]]:
    return [(source, path) for source, (_, files) in built.items() for path in files]


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_backup_is_sound(built: dict[str, tuple[m.Catalogue, dict[str, bytes]]],
                               source: str) -> None:
    cat, files = built[source]
    assert sorted(files) == sorted([f"{u.id}/{u.id}.mbz" for u in cat.units] + ["course.mbz"])
    for path, blob in files.items():
        assert problems(blob) == [], path


@pytest.mark.skipif(not REFERENCE.exists(), reason="no reference backup beside the project")
def test_the_checker_passes_moodles_own_backup() -> None:
    assert problems(REFERENCE.read_bytes()) == []


def test_the_writer_is_registered() -> None:
    assert WRITERS["mbz"].write is mbz.write


def test_same_source_same_bytes() -> None:
    cat = catalogue("seed")
    assert mbz.write(cat) == mbz.write(cat)


def test_source_date_epoch_sets_every_timestamp(monkeypatch: pytest.MonkeyPatch) -> None:
    default = mbz.write(catalogue("minimal"), fake_scorm)["course.mbz"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    cat = catalogue("minimal")
    stamped = mbz.write(cat, fake_scorm)["course.mbz"]
    assert stamped == mbz.write(cat, fake_scorm)["course.mbz"] != default
    a = read(stamped)
    times = {el.text for path in a.data if path.endswith(".xml")
             for el in a.xml(path).iter("timecreated", "timemodified", "added", "backup_date")}
    assert times <= {"1700000000", "0"}
    assert "1700000000" in a.data[".ARCHIVE_INDEX"].decode()
    # The course starts at midnight UTC of that day (2023-11-14).
    assert a.xml("course/course.xml").findtext(".//startdate") == "1699920000"


def test_start_date_from_course_yaml(minimal: Path) -> None:
    course = minimal / "course.yaml"
    course.write_text(course.read_text() + "start_date: 2027-09-06\n")
    a = read(mbz.write(catalogue_at(minimal), fake_scorm)["course.mbz"])
    assert a.xml("course/course.xml").findtext(".//startdate") == "1820188800"
    times = {el.text for path in a.data if path.endswith(".xml")
             for el in a.xml(path).iter("timecreated", "timemodified")}
    assert times <= {FIXED_EPOCH, "0"}  # the content's date stays the content's


def test_without_source_date_epoch_the_date_is_the_last_commit(
        minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    for path in minimal.rglob("*"):
        os.utime(path, (1_750_000_000, 1_750_000_000))
    assert catalogue_at(minimal).updated == 1_750_000_000  # no git: the newest file
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-C", str(minimal)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    env = {**os.environ, "GIT_COMMITTER_DATE": "2026-03-01T12:00:00Z"}
    subprocess.run([*git, "commit", "-q", "-m", "c"], check=True, env=env)
    assert catalogue_at(minimal).updated == 1772366400
    a = read(mbz.write(catalogue_at(minimal), fake_scorm)["course.mbz"])
    assert a.xml("course/course.xml").findtext(".//startdate") == "1772323200"


def catalogue_at(root: Path) -> m.Catalogue:
    found = read_source(root).catalogue
    assert found is not None
    return found


def _write_golden(members: dict[str, bytes], folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for name, data in members.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


@pytest.mark.parametrize("name", ["course.mbz", "u1/u1.mbz"])
def test_golden_minimal(name: str) -> None:
    members = read(mbz.write(catalogue("minimal"), fake_scorm)[name]).data
    folder = GOLDEN / Path(name).stem
    if os.environ.get("UPDATE_GOLDEN"):
        _write_golden(members, folder)
    golden = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
              if p.is_file()}
    assert sorted(members) == sorted(golden)
    for member, data in members.items():
        assert data == golden[member], member


def activities(a: Archive) -> list[tuple[str, str]]:
    """(section title, module name) per activity, in backup order."""
    info = a.xml("moodle_backup.xml")
    titles = {s.findtext("sectionid"): s.findtext("title")
              for s in info.iterfind(".//contents/sections/section")}
    return [(titles[x.findtext("sectionid")] or "", x.findtext("modulename") or "")
            for x in info.iterfind(".//contents/activities/activity")]


def expected_modules(unit: m.Unit, cat: m.Catalogue) -> list[str]:
    return mbz_expect.modules(cat, unit)


def _cmid(path: str) -> int:
    """The course module id in an activity's path (activities/quiz_12/quiz.xml -> 12)."""
    return int(path.split("/")[1].rsplit("_", 1)[1])


def test_course_backup_has_a_section_per_unit(
        built: dict[str, tuple[m.Catalogue, dict[str, bytes]]]) -> None:
    cat, files = built["seed"]
    a = read(files["course.mbz"])
    names = [section_name(cat, u) for u in cat.units]
    sections = [s.findtext("title") for s in
                a.xml("moodle_backup.xml").iterfind(".//contents/sections/section")]
    assert sections == ["0", *names]
    assert activities(a) == [(name, mod) for u, name in zip(cat.units, names, strict=True)
                             for mod in expected_modules(u, cat)]
    titles = [x.findtext("title") for x in a.xml("moodle_backup.xml").iterfind(
        ".//contents/activities/activity")]
    assert len(set(titles)) == len(titles)  # every activity's name is distinct in the course
    assert all(t.startswith("Unit ") and len(t) <= 40 for t in titles if t)


def test_unit_backup_has_a_section_per_theme(
        built: dict[str, tuple[m.Catalogue, dict[str, bytes]]]) -> None:
    cat, files = built["seed"]
    for unit in cat.units:
        a = read(files[f"{unit.id}/{unit.id}.mbz"])
        sections = [s.findtext("title") for s in
                    a.xml("moodle_backup.xml").iterfind(".//contents/sections/section")]
        themes = mbz_expect.sections(cat, unit)
        assert sections == ["0", *(name for name, _ in themes)]
        assert [m for _, m in activities(a)] == expected_modules(unit, cat)
        assert [t for t, _ in activities(a)] == [name for name, kinds in themes for _ in kinds]
        titles = [x.findtext("title") or "" for x in a.xml("moodle_backup.xml").iterfind(
            ".//contents/activities/activity")]
        assert len(set(titles)) == len(titles) and max(map(len, titles)) <= 30
        assert unit.title not in titles


def one(a: Archive, suffix: str) -> etree._Element:
    found = [p for p in a.data if p.endswith(suffix)]
    assert len(found) == 1, found
    return a.xml(found[0])


def test_questions_and_quiz_hold_the_units_bank(
        built: dict[str, tuple[m.Catalogue, dict[str, bytes]]]) -> None:
    cat, files = built["seed"]
    for unit in cat.units:
        a = read(files[f"{unit.id}/{unit.id}.mbz"])
        want = [q for c in bank(cat, (unit,)) for q in c.questions]
        top = [q for q in a.xml("questions.xml").iter("question") if q.findtext("parent") == "0"]
        assert Counter(q.findtext("qtype") for q in top) == Counter(
            MOODLE_QTYPE.get(q.qtype, q.qtype) for q in want)
        entry_of = {e.get("id"): e.findtext("idnumber")
                    for e in a.xml("questions.xml").iter("question_bank_entry")}
        quizzes = [a.xml(p) for p in sorted((p for p in a.data if p.endswith("/quiz.xml")),
                                            key=_cmid)]
        groups = [mbz_expect.quiz_questions(cat, unit, written=written)
                  for written in (False, True)]
        assert len(quizzes) == len([g for g in groups if g])
        for quiz, group in zip(quizzes, [g for g in groups if g], strict=True):
            slots = [entry_of[r.findtext("questionbankentryid")]
                     for r in quiz.iter("question_reference")]
            assert slots == [q.id for q in group]
            assert float(quiz.findtext(".//sumgrades") or 0) == pytest.approx(sum(
                sum(g.mark for g in q.gaps) if isinstance(q, m.Cloze) else q.mark
                for q in group))
        assert all(not q.manual for q in groups[0]) and groups[1]


def test_lesson_pages_follow_reading_order_and_jumps(
        built: dict[str, tuple[m.Catalogue, dict[str, bytes]]]) -> None:
    cat, files = built["seed"]
    words = {"next": "-1", "this": "0", "end": "-9", "previous": "-40"}
    for unit in cat.units:
        assert unit.lesson is not None
        pages = list(one(read(files[f"{unit.id}/{unit.id}.mbz"]), "/lesson.xml").iter("page"))
        assert [p.findtext("title") for p in pages] == [p.title for p in unit.lesson.pages]
        ids = {page.id: el.get("id") for page, el in zip(unit.lesson.pages, pages, strict=True)}
        for page, el in zip(unit.lesson.pages, pages, strict=True):
            jumps = [b.jump for b in page.buttons] if isinstance(page, m.ContentPage) else [
                a.jump for a in page.answers]
            assert [j.text for j in el.iter("jumpto")] == [words.get(j) or ids[j] for j in jumps]


def _entry_link(courseid: int, eids: dict[str, int], term_id: str) -> str:
    return entry_link(courseid, eids[term_id])


def test_glossary_entries_are_the_key_terms(
        built: dict[str, tuple[m.Catalogue, dict[str, bytes]]]) -> None:
    cat, files = built["seed"]
    for unit in cat.units:
        a = read(files[f"{unit.id}/{unit.id}.mbz"])
        entries = list(one(a, "/glossary.xml").iter("entry"))
        terms = [cat.term(t) for t in unit.key_terms]
        assert [e.findtext("concept") for e in entries] == [t.term for t in terms]
        courseid = int(a.xml("course/course.xml").get("id") or 0)
        eids = {t.id: int(e.get("id") or 0) for t, e in zip(terms, entries, strict=True)}
        link = functools.partial(_entry_link, courseid, eids)
        for entry, term in zip(entries, terms, strict=True):
            assert entry.findtext("definition") == definition_html(term, cat, unit.key_terms, link)
            assert [x.text for x in entry.iter("alias_text")] == list(term.aliases)
            assert (entry.findtext("usedynalink"), entry.findtext("casesensitive"),
                    entry.findtext("fullmatch")) == tuple(
                str(int(v)) for v in (term.autolink, term.case_sensitive, term.full_match))
        author = a.xml("users.xml").find("user")
        assert author is not None and author.findtext("username") != "admin"
        assert {e.findtext("userid") for e in entries} == {author.get("id")}
        filters = a.xml("course/filters.xml")
        assert [(f.findtext("filter"), f.findtext("active"))
                for f in filters.iter("filter_active")] == [("glossary", "1")]


def test_book_and_completion_and_grades(
        built: dict[str, tuple[m.Catalogue, dict[str, bytes]]]) -> None:
    cat, files = built["seed"]
    for unit in cat.units:
        a = read(files[f"{unit.id}/{unit.id}.mbz"])
        book = one(a, "/book.xml")
        assert [c.findtext("title") for c in book.iter("chapter")] == [
            c.title for c in chapters(unit)]
        assert len(chapters(unit)) == 2 + len(unit.outcomes) + sum(map(bool, (
            unit.key_concepts, unit.guidance, unit.exam_tips,
            unit.common_mistakes or unit.misconceptions)))
        assert {x.text for x in a.xml("course/course.xml").iter("enablecompletion")} == {"1"}
        for path in (p for p in a.data if p.endswith("/module.xml")):
            assert a.xml(path).findtext("completion") == "2"
        assert one(a, "/lesson.xml").findtext(".//completionendreached") == "1"
        scorm = one(a, "/scorm.xml")
        assert scorm.findtext(".//completionstatusrequired") == "6"
        assert scorm.findtext(".//completionscorerequired") == str(unit.mastery_score)
        passes = {el.findtext("itemmodule"): float(el.findtext("gradepass") or 0)
                  for p in a.data if p.endswith("/grades.xml")
                  for el in a.xml(p).iter("grade_item")}
        assert unit.lesson is not None
        assert passes == {"quiz": unit.mastery_score, "scorm": unit.mastery_score,
                          "lesson": unit.lesson.pass_grade}


def test_see_also_names_only_entries_of_the_same_glossary(
        built: dict[str, tuple[m.Catalogue, dict[str, bytes]]]) -> None:
    cat, files = built["seed"]
    dropped = 0
    for unit in cat.units:
        a = read(files[f"{unit.id}/{unit.id}.mbz"])
        for entry, term_id in zip(one(a, "/glossary.xml").iter("entry"), unit.key_terms,
                                  strict=True):
            see_also = (entry.findtext("definition") or "").partition("<em>See also:</em>")[2]
            for related in cat.term(term_id).related:
                name = html.escape(cat.term(related).term, quote=False)
                assert (name in see_also) == (related in unit.key_terms), (term_id, related)
                dropped += related not in unit.key_terms
    assert dropped > 0  # the seed relates terms across units: those were left out


def test_lesson_numerical_answers_are_exact_numbers() -> None:
    """A lesson's numerical answer reaches Moodle as the exact number, or the exact range
    'low:high' (never rounded to six digits or written with an exponent)."""
    from coursepack.model import LessonAnswer, QuestionPage
    from coursepack.writers.mbz.lesson import _answer_text

    page = QuestionPage("p", "t", "numerical", "How many?", ())
    assert _answer_text(page, LessonAnswer("", "next", value=1234567.5))[0] == "1234567.5"
    assert _answer_text(page, LessonAnswer("", "next", value=1234567.5, tolerance=0.25))[0] == \
        "1234567.25:1234567.75"
    assert _answer_text(page, LessonAnswer("", "next", value=0.1, tolerance=0.2))[0] == \
        "-0.1:0.3"
    assert _answer_text(page, LessonAnswer("", "next", value=1e-7))[0] == "0.0000001"
