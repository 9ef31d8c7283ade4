"""The revision module's files: pure, self-contained, escaped, within the suspend_data budget."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from coursepack import model as m
from coursepack.source import read_source
from coursepack.writers.module.quiz import quiz_questions
from coursepack.writers.module.site import (
    SUSPEND_LIMIT_12,
    learning_object,
    section_ids,
    state_budget,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"seed": ROOT / "source", "tricky": ROOT / "tests" / "data" / "tricky" / "source",
           "minimal": ROOT / "tests" / "data" / "minimal" / "source"}


def catalogue(name: str) -> m.Catalogue:
    result = read_source(SOURCES[name])
    assert result.catalogue is not None
    return result.catalogue


@pytest.fixture(scope="module")
def seed() -> m.Catalogue:
    return catalogue("seed")


def page(files: dict[str, bytes]) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(files["index.html"])


@pytest.mark.parametrize("name", SOURCES)
def test_pure_and_self_contained(name: str) -> None:
    cat = catalogue(name)
    for unit in cat.units:
        for runtime in ("scorm12", "scorm2004", "none"):
            files = learning_object(cat, unit, runtime)
            assert files == learning_object(cat, unit, runtime)
            assert list(files)[:7] == ["index.html", "style.css", "sco.js", "marking.js",
                                      "quiz.js", "dragdrop.js", "site.js"]
            media = {f"media/{f.path}": f for f in (*unit.media, *cat.media)}
            assert set(list(files)[7:]) <= set(media)  # the media its pages name, nothing else
            for name in list(files)[7:]:
                assert files[name] == media[name].read()
                assert f'"{name.replace(" ", "%20")}' in files["index.html"].decode()
            doc = page(files)
            assert doc.get("data-runtime") == runtime
            assert doc.get("lang") == cat.language
            assert doc.get("data-mastery") == str(unit.mastery_score)
            for el in doc.xpath("//script[@src] | //link[@href] | //img[@src]"):
                ref = el.get("src") or el.get("href")
                assert ref in files or ref.startswith("data:"), ref
            assert not doc.xpath("//*[@style] | //style")
            assert not [a for el in doc.iter() if isinstance(el.tag, str)
                        for a in el.attrib if a.startswith("on")]
            ids = doc.xpath("//@id")
            assert len(ids) == len(set(ids))


def test_unknown_runtime(seed: m.Catalogue) -> None:
    with pytest.raises(ValueError, match="runtime"):
        learning_object(seed, seed.units[0], "scorm2")


def test_seed_budgets_fit_scorm12_with_room(seed: m.Catalogue) -> None:
    for unit in seed.units:
        assert state_budget(unit) < SUSPEND_LIMIT_12 / 4, unit.id


def test_pages_and_quiz(seed: m.Catalogue) -> None:
    unit = seed.units[0]
    doc = page(learning_object(seed, unit, "scorm12"))
    assert section_ids(unit) == doc.xpath("//main/section/@id") == [
        "overview", "key-concepts", "outcomes", "assessment", "mistakes", "key-terms", "quiz"]
    assert len(doc.xpath("//h1")) == 1
    markable = [q for q in unit.practice if not isinstance(q, m.Essay | m.Cloze)]
    assert quiz_questions(unit) == markable
    # The self-check is never the unit's quiz: no question is in both.
    assert markable and not {q.id for q in markable} & {q.id for q in unit.assessed}
    assert len(doc.xpath("//article[@class='question']")) == len(markable)
    assert [t.strip() for t in doc.xpath("//dl[@class='glossary']/div/dt/text()")] == [
        seed.term(t).term for t in unit.key_terms]
    data = json.loads(doc.get_element_by_id("module-data").text)
    assert data["state"]["pages"] == section_ids(unit)
    assert data["state"]["budget"] == state_budget(unit)
    assert [q["id"] for q in data["questions"]] == [q.id for q in markable]


def test_empty_pages_are_left_out(seed: m.Catalogue) -> None:
    unit = dataclasses.replace(seed.units[0], key_concepts=(), guidance=(), exam_tips=(),
                               common_mistakes=(), misconceptions=(), key_terms=(),
                               questions=(), derived=())
    assert section_ids(unit) == ["overview", "outcomes"]
    doc = page(learning_object(seed, unit, "none"))
    assert doc.xpath("//nav//a/@href") == ["#overview", "#outcomes"]
    assert state_budget(unit) == 16 + 2


def test_text_is_escaped_and_data_is_safe() -> None:
    cat = catalogue("tricky")
    files = learning_object(cat, cat.units[0], "scorm2004")
    source = files["index.html"].decode("utf-8")
    data = re.search(r'<script type="application/json" id="module-data">(.*?)</script>', source,
                     re.S)
    assert data and "<" not in data.group(1)
    doc = page(files)
    text = doc.text_content()
    assert "Question ~ = # { } : \\ [ ] ]]> & < > &&058; 💡" in text
    assert "Right ~ = # { } : \\ [ ] ]]> & < >" in text
    assert not doc.xpath("//script[not(@src) and not(@type='application/json')]")
