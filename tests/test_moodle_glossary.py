"""Real Moodle imports every glossary file: every entry, alias and category, definitions exact.

Skipped where no Moodle harness is set up (see ../shared/moodle/README.md).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from coursepack import model as m
from coursepack.writers.embed import Areas
from coursepack.writers.glossary import course_entries, definition_html, unit_entries
from coursepack.writers.names import moodle_name
from support.moodle import SOURCES, build_sources, harnesses, run_and_dump, site_params

SITES = site_params()
MEDIA = Path(__file__).parent / "data" / "media" / "source"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[m.Catalogue, Path]]:
    return build_sources(tmp_path_factory, ["glossary"])


def want(catalogue: m.Catalogue, entries: list[tuple[m.Term, list[str]]]) -> dict[str, Any]:
    present = {term.id for term, _ in entries}
    area = Areas.course(catalogue)
    embedded = {term.id: area.embed(definition_html(term, catalogue, present))
                for term, _ in entries}
    return {moodle_name(term.term): {"definition": embedded[term.id][0],
                        "definitionformat": 1, "usedynalink": int(term.autolink),
                        "casesensitive": int(term.case_sensitive),
                        "fullmatch": int(term.full_match), "approved": 1,
                        "aliases": [moodle_name(a) for a in term.aliases],
                        "categories": sorted(moodle_name(c) for c in categories),
                        "tags": list(term.tags),
                        "files": sorted(["entry", "/", name, hashlib.sha1(file.read()).hexdigest()]
                                        for name, file in embedded[term.id][1])}
            for term, categories in entries}


def check(site: Path, path: Path, expected: dict[str, Any]) -> None:
    summary, dump = run_and_dump(site, "import-glossary.php", "dump-glossary.php",
                                 path.resolve(), "--dest=new")
    assert summary["ok"] and summary["exit_code"] == 0
    assert summary["rejections"] == [] and summary["php_warnings"] == []
    assert summary["counts"]["entries_imported"] == len(expected)
    got = {concept: {k: v for k, v in entry.items() if k != "glossary"}
           for concept, entry in dump.items()}
    assert got == expected


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("source", sorted(SOURCES))
def test_course_glossary_arrives_exactly(built: dict[str, Any], site: Path, source: str) -> None:
    catalogue, folder = built[source]
    check(site, folder / "glossary.xml", want(catalogue, course_entries(catalogue)))


@pytest.mark.parametrize("site", SITES)
def test_entry_files_arrive_in_the_entry_area(tmp_path_factory: pytest.TempPathFactory,
                                              site: Path) -> None:
    catalogue, folder = build_sources(tmp_path_factory, ["glossary"], {"media": MEDIA})["media"]
    expected = want(catalogue, course_entries(catalogue))
    assert [len(e["files"]) for e in expected.values()] == [0, 1, 1]  # the fixture's
    check(site, folder / "glossary.xml", expected)


def test_every_unit_glossary_arrives(built: dict[str, Any]) -> None:
    catalogue, folder = built["seed"]
    for unit in catalogue.units:
        check(harnesses()[0], folder / unit.id / "glossary.xml",
              want(catalogue, unit_entries(catalogue, unit)))
