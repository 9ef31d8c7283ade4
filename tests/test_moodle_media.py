"""Real Moodle (4.5 LTS and 5.1) stores every file a Moodle XML question embeds, in the area
and item Moodle expects it, content exact, and every @@PLUGINFILE@@ name in the stored HTML
finds its file.

Skipped where no Moodle harness is set up (see ../shared/moodle/README.md).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from coursepack import model as m
from support.mbz_moodle import probe
from support.moodle import build_sources, checker, import_and_dump, site_params

MEDIA = Path(__file__).parent / "data" / "media" / "source"
SITES = site_params()


def sha1(path: str) -> str:
    return hashlib.sha1((MEDIA / path).read_bytes()).hexdigest()


WET, STEPS = sha1("units/u1/images/wet floor.png"), sha1("units/u1/images/steps.svg")
TICK, CROSS = sha1("units/u1/icons/tick.png"), sha1("units/u1/images/tick.png")
FORM = sha1("files/complaint-form.pdf")
# Each file, in the area and item Moodle keeps it (the fixture's questions name them so).
EXPECTED = {
    "u1-q01": sorted([
        ["question", "questiontext", "question", "wet floor.png", WET],
        ["question", "questiontext", "question", "steps.svg", STEPS],
        ["question", "generalfeedback", "question", "complaint-form.pdf", FORM],
        ["question", "answer", "answer:0", "tick.png", TICK],
        ["question", "answerfeedback", "answer:0", "tick.png", TICK],
        ["question", "answerfeedback", "answer:1", "tick.png", CROSS],
        ["question", "hint", "hint:0", "steps.svg", STEPS]]),
    "u1-q05": [["qtype_match", "subquestion", "subquestion:0", "wet floor.png", WET]],
    "u1-q06": [["qtype_essay", "graderinfo", "question", "steps.svg", STEPS]],
    # written as HTML: an image whose alt comes first, a link in single quotes
    "u1-html": sorted([
        ["question", "questiontext", "question", "wet floor.png", WET],
        ["question", "questiontext", "question", "complaint-form.pdf", FORM],
        ["question", "answer", "answer:0", "tick.png", TICK]]),
    # derived from the unit's misconception, whose correction shows the sign
    "u1-misconception-029c4c860f": sorted([
        ["question", "generalfeedback", "question", "wet floor.png", WET],
        ["question", "answerfeedback", "answer:0", "wet floor.png", WET],
        ["question", "answerfeedback", "answer:1", "wet floor.png", WET]]),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[m.Catalogue, Path]:
    return build_sources(tmp_path_factory, ["moodle-xml"], {"media": MEDIA})["media"]


def _html_areas(entry: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Each stored HTML text of a question with the area and item its files are in."""
    options = entry.get("options", {})
    found = [(entry.get("questiontext", ""), "questiontext", "question"),
             (entry.get("generalfeedback", ""), "generalfeedback", "question"),
             (options.get("graderinfo") or "", "graderinfo", "question")]
    for n, answer in enumerate(_by_id(options.get("answers"))):
        found += [(answer.get("answer", ""), "answer", f"answer:{n}"),
                  (answer.get("feedback", ""), "answerfeedback", f"answer:{n}")]
    found += [(hint.get("hint", ""), "hint", f"hint:{n}")
              for n, hint in enumerate(entry.get("hints", []))]
    found += [(sub.get("questiontext", ""), "subquestion", f"subquestion:{n}")
              for n, sub in enumerate(_by_id(options.get("subquestions")))]
    return found


def _by_id(rows: dict[str, Any] | list[Any] | None) -> list[Any]:
    """Rows Moodle keys by id (an empty PHP array comes as a list), in id order."""
    if not isinstance(rows, dict):
        return list(rows or [])
    return [rows[key] for key in sorted(rows, key=int)]


@pytest.mark.parametrize("site", SITES)
def test_every_embedded_file_is_stored_where_moodle_expects_it(built: tuple[m.Catalogue, Path],
                                                              site: Path) -> None:
    catalogue, folder = built
    summary, dump = import_and_dump(site, folder / "u1" / "questions.xml", "xml")
    assert summary["ok"] and summary["php_warnings"] == [], summary.get("exception")
    assert len(dump) == sum(len(u.questions) + len(u.derived) for u in catalogue.units)
    stored = {qid: dump[qid]["files"] for qid in dump if dump[qid]["files"]}
    assert stored == EXPECTED
    named = 0
    for qid, entry in dump.items():
        areas: dict[tuple[str, str], set[str]] = {(f[1], f[2]): set() for f in entry["files"]}
        for f in entry["files"]:
            areas[f[1], f[2]].add(f[3])
        for text, area, item in _html_areas(entry):
            for name in re.findall(r'@@PLUGINFILE@@/([^"\'#?]+)', text or ""):
                assert unquote(name) in areas.get((area, item), set()), (qid, area, item, name)
                named += 1
    assert named == sum(len(files) for files in EXPECTED.values())  # each name found, once
    assert 'alt="A yellow wet floor sign"' in dump["u1-q01"]["questiontext"]
    assert '<img src="@@PLUGINFILE@@/steps.svg" alt="" />' in dump["u1-q01"]["questiontext"]


ACTIVITY_FILES = sorted([  # what the fixture's activities name, by area
    ["mod_book", "chapter", "steps.svg", STEPS], ["mod_book", "chapter", "wet floor.png", WET],
    ["mod_glossary", "entry", "handshake.png", sha1("media/handshake.png")],
    ["mod_lesson", "page_contents", "complaint-form.pdf", FORM],
    ["mod_lesson", "page_contents", "steps.svg", STEPS],
    ["mod_lesson", "page_contents", "wet floor.png", WET],
    ["mod_lesson", "page_responses", "tick.png", TICK],
    ["mod_lesson", "intro", "tick.png", TICK]])


HANDSHAKE = sha1("media/handshake.png")
SUMMARY_FILES = {  # a unit backup's course summary is the unit's synopsis; course.mbz's its own
    "u1/u1.mbz": [["course", "summary", "steps.svg", STEPS], ["course", "section", "steps.svg",
                                                                STEPS]],
    "course.mbz": [["course", "summary", "handshake.png", HANDSHAKE],
                   ["course", "section", "handshake.png", HANDSHAKE],
                   ["course", "section", "steps.svg", STEPS]]}


@pytest.fixture(scope="module")
def backups(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sources(tmp_path_factory, ["mbz"], {"media": MEDIA})["media"][1]


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("backup", ["u1/u1.mbz", "course.mbz"])
def test_a_restored_backup_keeps_every_file_where_moodle_expects_it(backups: Path, site: Path,
                                                                     backup: str) -> None:
    summary = checker(site, "restore.php", (backups / backup).resolve(), "--keep")
    assert summary["ok"] and summary["php_warnings"] == [], summary.get("exception")
    course = summary["course"]["id"]
    try:
        holders = probe(site, "dump-course-media.php", course)
    finally:
        questions = probe(site, "dump-questions.php", course, "--delete")
    stored = sorted([h["component"], h["filearea"], *f] for h in holders for f in h["files"])
    assert stored == sorted(ACTIVITY_FILES + SUMMARY_FILES[backup])
    named = set()
    for holder in holders:  # every name in a text finds its file in that text's own area
        for name in re.findall(r'@@PLUGINFILE@@/([^"\'#?]+)', holder["text"]):
            assert unquote(name) in [f[0] for f in holder["files"]], (holder["where"], name)
            named.add((holder["where"], unquote(name)))
    assert len(named) == len(ACTIVITY_FILES) + len(SUMMARY_FILES[backup])
    assert {qid: e["files"] for qid, e in questions.items() if e["files"]} == EXPECTED
