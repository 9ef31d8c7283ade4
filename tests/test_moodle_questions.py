"""Real Moodle (4.5 LTS and 5.1) imports every question file with nothing lost, text exact.

Skipped where no Moodle harness is set up (see ../shared/moodle/README.md).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from coursepack import model as m
from coursepack.writers.gift import FILENAME, problems
from coursepack.writers.names import moodle_name
from coursepack.writers.qbank import bank
from support.expect import compare, expected
from support.moodle import SOURCES, build_sources, checker, harnesses, import_and_dump, site_params

MOODLE_QTYPE = {"matching": "match", "cloze": "multianswer"}
SITES = site_params()
NAMES = {"xml": "questions.xml", "gift": FILENAME}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[m.Catalogue, Path]]:
    return build_sources(tmp_path_factory, ["moodle-xml", "gift"])


def questions(catalogue: m.Catalogue, units: tuple[m.Unit, ...], fmt: str) -> list[m.Question]:
    found = [q for c in bank(catalogue, units) for q in c.questions]
    return [q for q in found if fmt == "xml" or not problems(q)]


def by_qtype(qs: list[m.Question]) -> dict[str, int]:
    return dict(Counter(MOODLE_QTYPE.get(q.qtype, q.qtype) for q in qs))


def _check(summary: dict[str, Any], dump: dict[str, Any], want: list[m.Question],
           fmt: str) -> None:
    assert summary["ok"] and summary["exit_code"] == 0, summary.get("exception")
    assert summary["stage_reached"] == "done"
    assert summary["parse_errors_counted"] == 0
    assert summary["php_warnings"] == []
    assert summary["questions_by_qtype"] == by_qtype(want)
    problems_found = [p for q in want
                      for p in compare(expected(q, gift=fmt == "gift"), dump.get(q.id), q.id)]
    assert problems_found == []


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("fmt", ["xml", "gift"])
@pytest.mark.parametrize("source", sorted(SOURCES))
def test_course_file_arrives_exactly(built: dict[str, Any], site: Path, fmt: str,
                                     source: str) -> None:
    catalogue, folder = built[source]
    summary, dump = import_and_dump(site, folder / NAMES[fmt], fmt)
    _check(summary, dump, questions(catalogue, catalogue.units, fmt), fmt)
    if fmt == "xml":
        ids = {c["path"]: c["idnumber"] for c in summary["categories"]}
        for cat in bank(catalogue, catalogue.units):
            assert ids.get("top/" + "/".join(map(moodle_name, cat.path))) == cat.idnumber


@pytest.mark.parametrize("fmt", ["xml", "gift"])
def test_every_unit_file_imports(built: dict[str, Any], fmt: str) -> None:
    catalogue, folder = built["seed"]
    site = harnesses()[0]
    for unit in catalogue.units:
        summary = checker(site, "import-questions.php", folder / unit.id / NAMES[fmt],
                          fmt)
        assert summary["ok"] and summary["parse_errors_counted"] == 0
        assert summary["questions_by_qtype"] == by_qtype(questions(catalogue, (unit,), fmt))
