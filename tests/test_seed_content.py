"""The five seed units in source/ are complete, clean and meet the catalogue's content bar."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from coursepack.model import Catalogue, ContentPage, QuestionPage, Unit
from coursepack.source import read_source

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
ALL_TYPES = {"multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay",
             "ordering", "gapselect", "cloze"}
REQUIRED_TERMS = ["RATER", "LATER", "LAST", "SERVQUAL", "KPI", "CSAT", "FCR", "NPS", "SLA", "PDCA",
                  "SMART", "RACI", "SWOT", "service-profit chain", "moments of truth", "Herzberg",
                  "balanced scorecard", "internal customer", "customer lifecycle",
                  "Consumer Rights Act 2015", "Data Protection Act 2018", "UK GDPR",
                  "Equality Act 2010", "ISO 9001", "Six Sigma"]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    result = read_source(SOURCE)
    assert result.diagnostics == []
    assert result.catalogue is not None
    return result.catalogue


def units(cat: Catalogue) -> dict[str, Unit]:
    return {u.id: u for u in cat.units}


def test_five_units_with_their_awarding_bodies(catalogue: Catalogue) -> None:
    bodies = {u.id: u.awarding_body for u in catalogue.units}
    assert bodies == {"nocn-l2": "NOCN", "core": None,
                      "icq-l3-l4": "iCan Qualifications Limited (iCQ)",
                      "highfield-l3": "Highfield Qualifications",
                      "pearson-edi-l2-l3": "Pearson EDI"}
    routes = {u.id: u.assessment_route for u in catalogue.units}
    assert routes == {"nocn-l2": "end-point-assessment", "core": "vocational",
                      "icq-l3-l4": "occupational", "highfield-l3": "end-point-assessment",
                      "pearson-edi-l2-l3": "qcf"}


@pytest.mark.parametrize("unit_id", ["nocn-l2", "core", "icq-l3-l4", "highfield-l3",
                                     "pearson-edi-l2-l3"])
def test_each_unit_meets_the_bar(catalogue: Catalogue, unit_id: str) -> None:
    unit = units(catalogue)[unit_id]
    assert len(unit.questions) >= 15
    assert len({q.qtype for q in unit.questions}) >= 6
    assert all(q.general_feedback for q in unit.questions)
    assert unit.lesson is not None
    pages = unit.lesson.pages
    assert sum(isinstance(p, ContentPage) for p in pages) >= 6
    assert sum(isinstance(p, QuestionPage) for p in pages) >= 3
    assert unit.key_concepts and unit.outcomes and unit.common_mistakes and unit.guidance
    assert all(o.criteria and all(c.marking_points for c in o.criteria) for o in unit.outcomes)
    assert len(unit.key_terms) >= 10


def test_every_question_type_is_used(catalogue: Catalogue) -> None:
    used = Counter(q.qtype for u in catalogue.units for q in u.questions)
    assert set(used) == ALL_TYPES


def test_glossary_has_the_required_terms(catalogue: Catalogue) -> None:
    assert len(catalogue.terms) >= 30
    names = " | ".join(f"{t.term} | {' | '.join(t.aliases)}" for t in catalogue.terms)
    missing = [name for name in REQUIRED_TERMS if name.casefold() not in names.casefold()]
    assert missing == []


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def test_no_scrape_noise_and_no_repeated_bullets(catalogue: Catalogue) -> None:
    for unit in catalogue.units:
        lists = [unit.guidance, unit.exam_tips, unit.common_mistakes, unit.prerequisites,
                 unit.overview, tuple(c.name for c in unit.key_concepts),
                 tuple(o.statement for o in unit.outcomes),
                 tuple(m.claim for m in unit.misconceptions)]
        for items in lists:
            normalised = [_norm(item) for item in items]
            assert len(normalised) == len(set(normalised)), (unit.id, items)
        assert not any(m.startswith("Misconception") for m in unit.common_mistakes)
    text = "".join(p.read_text(encoding="utf-8") for p in SOURCE.rglob("*.yaml"))
    for noise in ("💡", "Ready to learn", "AI-powered", "Key Terminology"):
        assert noise not in text


def test_every_file_names_its_schema() -> None:
    for path in SOURCE.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        schema = (path.parent / match.group(1)).resolve()
        kind = "course" if path.name == "course.yaml" else path.stem
        assert schema == (ROOT / "schemas" / f"{kind}.schema.json").resolve()
