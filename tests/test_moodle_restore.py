"""Real Moodle (4.5 LTS and 5.1) restores every course backup with nothing lost, content exact.

Each backup is restored into a new course with the checker kit's bin/restore.php; then
tests/support/dump-course.php and dump-questions.php read back what Moodle stored. Skipped where no
Moodle harness is set up (see ../shared/moodle/README.md).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from coursepack import model as m
from coursepack.markup import to_html
from coursepack.source import read_source
from coursepack.writers import mbz
from coursepack.writers.names import moodle_name, section_name, unit_labels
from support import mbz_expect as want
from support.expect import compare, expected
from support.mbz_moodle import restore_and_dump
from support.moodle import SOURCES, checker, harnesses, require_moodle

ROOT = Path(__file__).resolve().parent.parent
SEED_UNITS = [u.id for u in read_source(SOURCES["seed"]).catalogue.units]  # type: ignore[union-attr]
# Every seed backup; the tricky-text course (escaping in names, texts and glossary entries); the
# hostile-text and at-the-limits courses and units.
CASES = [("seed", "course.mbz"), *(("seed", f"{u}/{u}.mbz") for u in SEED_UNITS),
         ("tricky", "course.mbz"), ("hostile", "course.mbz"), ("hostile", "h1/h1.mbz"),
         ("limits", "course.mbz"), ("limits", "u1/u1.mbz"), ("starter", "course.mbz")]
CASE_IDS = [f"{source}:{backup}" for source, backup in CASES]
SITES = [pytest.param(site, id=site.name) for site in harnesses()] or [
    pytest.param(None, id="no-moodle")]
QBANK_WARNING = re.compile(r'The questions category ".*", originally at system\|course\|'
                           r"course_category context in backup file, will be created at a "
                           r"question bank module context by restore")


class Built:
    """A source's backups on disk, and the SCORM package each unit got."""

    def __init__(self, source: Path, folder: Path) -> None:
        found = read_source(source).catalogue
        assert found is not None
        self.catalogue: m.Catalogue = found
        self.folder = folder
        self.packages: dict[str, bytes] = {}

        def package(catalogue: m.Catalogue, unit: m.Unit) -> bytes:
            self.packages[unit.id] = mbz.scorm12(catalogue, unit)
            return self.packages[unit.id]

        for name, data in mbz.write(self.catalogue, package).items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)

    def units(self, backup: str) -> tuple[m.Unit, ...]:
        if backup == "course.mbz":
            return self.catalogue.units
        return tuple(u for u in self.catalogue.units if backup.startswith(f"{u.id}/"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    require_moodle()
    return {name: Built(path, tmp_path_factory.mktemp(name)) for name, path in SOURCES.items()}


@pytest.fixture(scope="module")
def restored(built: dict[str, Built]) -> dict[tuple[str, str, str], tuple[dict[str, Any], ...]]:
    """Each backup restored once on each site: (summary, course dump, question dump)."""
    return {(site.name, source, backup): restore_and_dump(site, built[source].folder / backup)
            for site in harnesses() for source, backup in CASES}


def _is_51(site: Path) -> bool:
    return site.name != harnesses()[0].name


def _check_summary(summary: dict[str, Any], built: Built, backup: str, site: Path) -> None:
    assert summary["ok"] and summary["exit_code"] == 0, summary.get("exception")
    assert summary["precheck"]["errors"] == []
    assert summary["restore_log_problems"] == []
    assert summary["php_warnings"] == []
    warnings = summary["precheck"]["warnings"]
    if _is_51(site):
        assert warnings and all(QBANK_WARNING.fullmatch(w) for w in warnings), warnings
    else:
        assert warnings == []
    units = built.units(backup)
    counts: dict[str, int] = {}
    for unit in units:
        for mod in want.modules(built.catalogue, unit):
            counts[mod] = counts.get(mod, 0) + 1
    if _is_51(site):
        counts["qbank"] = 1
    assert summary["modules_by_type"] == dict(sorted(counts.items()))
    assert summary["questions"]["by_qtype"] == want.qtype_counts(built.catalogue, units)


Restored = dict[tuple[str, str, str], tuple[dict[str, Any], ...]]


def _case(restored: Restored, built: dict[str, Built], site: Path,
          case: tuple[str, str]) -> tuple[Built, str, tuple[dict[str, Any], ...]]:
    source, backup = case
    return built[source], backup, restored[(site.name, source, backup)]


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_restores_without_loss(restored: Restored, built: dict[str, Built], site: Path,
                               case: tuple[str, str]) -> None:
    b, backup, (summary, _, questions) = _case(restored, built, site, case)
    _check_summary(summary, b, backup, site)
    units = b.units(backup)
    problems = [p for q in want.questions(b.catalogue, units)
                for p in compare(expected(q), questions.get(q.id), q.id)]
    assert problems == []
    details = summary["activity_details"]

    def counted(kind: str, key: str) -> list[int]:
        return sorted(d[key] for d in details if d["type"] == kind)

    assert counted("quiz", "slots") == sorted(
        len(want.quiz_questions(b.catalogue, u, written=written)) for u in units
        for written in (False, True) if want.quiz_questions(b.catalogue, u, written=written))
    assert counted("glossary", "entries") == sorted(len(u.key_terms) for u in units)
    assert counted("lesson", "pages") == sorted(len(u.lesson.pages) for u in units if u.lesson)
    assert counted("book", "chapters") == sorted(len(want.book(u)) for u in units)
    assert counted("scorm", "scoes") == [1] * len(units)


def _modules(stored: dict[str, Any], backup: str, b: Built) -> dict[str, list[Any]]:
    """The restored activities of each unit, by unit id."""
    sections = stored["sections"]
    if backup == "course.mbz":
        return {u.id: s["modules"] for u, s in zip(b.catalogue.units, sections[1:], strict=True)}
    return {b.units(backup)[0].id: [mod for s in sections for mod in s["modules"]]}


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_sections_and_activities_arrive_exactly(restored: Restored, built: dict[str, Built],
                                                site: Path, case: tuple[str, str]) -> None:
    b, backup, (_, stored, _) = _case(restored, built, site, case)
    cat = b.catalogue
    if backup == "course.mbz":
        assert [(s["name"], s["summary"]) for s in stored["sections"]] == [
            (None, to_html(cat.summary) if cat.summary else ""),
            *((moodle_name(section_name(cat, u)), to_html(u.synopsis)) for u in cat.units)]
    else:
        unit = b.units(backup)[0]
        themes = want.sections(cat, unit)
        assert [s["name"] for s in stored["sections"]] == [None, *(n for n, _ in themes)]
        assert stored["sections"][0]["summary"] == to_html(unit.synopsis)
        learn = stored["sections"][1]["summary"]
        assert all(html.escape(o.statement, quote=False) in learn for o in unit.outcomes)
        assert [len(s["modules"]) for s in stored["sections"]] == [0, *(len(k) for _, k in themes)]
    for unit_id, modules in _modules(stored, backup, b).items():
        unit = next(u for u in cat.units if u.id == unit_id)
        assert [mod["type"] for mod in modules] == want.modules(cat, unit)
        quizzes = [mod for mod in modules if mod["type"] == "quiz"]
        _check_activities(cat, unit, {mod["type"]: mod for mod in modules})
        assert [compare(want.quiz(cat, unit, written=written), mod, "quiz") for mod, written
                in zip(quizzes, (False, True), strict=False)] == [[]] * len(quizzes)


def _check_activities(cat: m.Catalogue, unit: m.Unit, mods: dict[str, Any]) -> None:
    assert all(mod["completion"] == 2 and mod["completionview"] == 1 for mod in mods.values())
    assert mods["book"]["chapters"] == want.book(unit)
    if unit.key_terms:
        glossary = mods["glossary"]
        assert compare(want.glossary(cat, unit), glossary["entries"], "glossary") == []
        assert glossary["defaultapproval"] == "0"
        assert glossary["student_overrides"] == (
            {} if cat.learners_add_entries else {"mod/glossary:write": "-1"})
    if unit.lesson:
        assert compare(want.lesson(unit.lesson, cat.essays_count), mods["lesson"],
                       "lesson") == []
    scorm = mods["scorm"]
    assert (scorm["version"], scorm["maxgrade"], scorm["grademethod"], scorm["whatgrade"]) == (
        "SCORM_1.2", "100", "1", "0")
    assert scorm["completionstatusrequired"] == "6"
    assert scorm["completionscorerequired"] == str(unit.mastery_score)
    assert scorm["sha1hash"] == scorm["package_hash"]


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_gradebook_completion_and_filter(restored: Restored, built: dict[str, Built],
                                         site: Path, case: tuple[str, str]) -> None:
    b, backup, (_, stored, _) = _case(restored, built, site, case)
    units = b.units(backup)
    passes = {i["idnumber"]: i["gradepass"] for i in stored["grade_items"]
              if i["itemtype"] == "mod"}
    assert passes == want.grade_passes(b.catalogue, units)
    labels = unit_labels(b.catalogue)
    names = [moodle_name(labels[u.id]) for u in units] if backup == "course.mbz" else []
    # Moodle's restore creates the grade categories in no fixed order: compare them as a set.
    assert sorted(stored["grade_categories"]) == sorted(["(course)", *names])
    assert stored["course"]["enablecompletion"] == "1"
    assert stored["course"]["startdate"] == str(mbz.start_date(b.catalogue, units))
    assert [c["idnumber"] for c in stored["completion_criteria"]] == [
        f"{u.id}-{kind}" for u in units for kind in want.idnumbers(b.catalogue, u)]
    filters = {"glossary": "1"} if stored["glossary_filter_available"] else {}
    assert (stored["filters"] or {}) == filters


@pytest.mark.parametrize("site", SITES)
def test_scorm_scoes_are_what_moodle_parses(restored: Restored, built: dict[str, Built],
                                            site: Path, tmp_path: Path) -> None:
    b, _, (_, stored, _) = _case(restored, built, site, ("seed", "course.mbz"))
    for unit_id, modules in _modules(stored, "course.mbz", b).items():
        scorm = next(mod for mod in modules if mod["type"] == "scorm")
        package = tmp_path / f"{unit_id}.scorm12.zip"
        package.write_bytes(b.packages[unit_id])
        parsed = checker(site, "add-scorm.php", package)
        assert parsed["ok"] and parsed["problems"] == []
        fields = ("identifier", "title", "scormtype", "launch", "parent", "organization")
        assert [{k: s[k] for k in fields} | {"data": s.get("data") or []}
                for s in parsed["scoes"]] == [
            {k: s[k] for k in fields} | {"data": s["data"] or []} for s in scorm["scoes"]]
        assert scorm["launch"] == next(s["identifier"] for s in parsed["scoes"]
                                       if s.get("is_launch"))
