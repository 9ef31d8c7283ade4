"""Moodle XML files: structure per question type, exact escaping, golden files, determinism."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree

from coursepack import grades
from coursepack.build import plan
from coursepack.source import read_source
from coursepack.writers.moodlexml import escape

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
HEAD = ["name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber"]
OWN = {
    "multichoice": ["single", "shuffleanswers", "answernumbering", "showstandardinstruction",
                    "correctfeedback", "partiallycorrectfeedback", "incorrectfeedback", "answer"],
    "truefalse": ["answer"], "shortanswer": ["usecase", "answer"],
    "numerical": ["answer", "unitgradingtype", "unitpenalty", "showunits", "unitsleft"],
    "matching": ["shuffleanswers", "correctfeedback", "partiallycorrectfeedback",
                 "incorrectfeedback", "subquestion"],
    "essay": ["responseformat", "responserequired", "responsefieldlines", "minwordlimit",
              "maxwordlimit", "attachments", "attachmentsrequired", "maxbytes", "filetypeslist",
              "graderinfo", "responsetemplate"],
    "ordering": ["layouttype", "selecttype", "selectcount", "gradingtype", "showgrading",
                 "numberingstyle", "correctfeedback", "partiallycorrectfeedback",
                 "incorrectfeedback", "shownumcorrect", "answer"],
    "gapselect": ["shuffleanswers", "correctfeedback", "partiallycorrectfeedback",
                  "incorrectfeedback", "selectoption"],
    "cloze": [],
}


def files(source: Path) -> dict[str, bytes]:
    catalogue = read_source(source).catalogue
    assert catalogue is not None
    return plan(catalogue, ["moodle-xml", "gift"])


@pytest.fixture(scope="module")
def seed_xml() -> etree._Element:
    data = files(ROOT / "source")["questions.xml"]
    return etree.fromstring(data)


def test_every_type_has_moodles_element_order(seed_xml: etree._Element) -> None:
    seen = set()
    for q in seed_xml.iterfind("question"):
        qtype = q.get("type")
        tags = [child.tag for child in q]
        if qtype == "category":
            assert tags == ["category", "info", "idnumber"]
            continue
        seen.add(qtype)
        head = [t for t in HEAD if not (qtype == "cloze" and t == "defaultgrade")]
        assert tags[: len(head)] == head, q.findtext("idnumber")
        rest = [t for t in tags[len(head):] if t not in ("hint", "tags", "shownumcorrect")]
        own = [t for t in OWN[qtype] if t != "shownumcorrect"]
        assert sorted(set(rest), key=rest.index) == sorted(set(own), key=own.index)
    assert seen == set(OWN)


def test_fractions_are_on_moodles_list(seed_xml: etree._Element) -> None:
    for answer in seed_xml.iter("answer"):
        if answer.get("fraction") is None or answer.getparent().get("type") == "ordering":
            continue
        assert grades.canonical(float(answer.get("fraction"))) is not None


def test_idnumbers_are_unique_per_category(seed_xml: etree._Element) -> None:
    ids = [q.findtext("idnumber") for q in seed_xml.iterfind("question")]
    assert len(ids) == len(set(ids))


def test_categories_use_the_course_context_and_double_slashes() -> None:
    root = etree.fromstring(files(ROOT / "tests" / "data" / "tricky" / "source")["questions.xml"])
    paths = [c.findtext("category/text") for c in root.iterfind("question[@type='category']")]
    assert paths[0] == "$course$/top/Tricky // slash"
    assert all(p.startswith("$course$/top/Tricky // slash") for p in paths)


@pytest.mark.parametrize(("raw", "written"), [
    ("plain", "plain"),
    ("a ]]> b", "<![CDATA[a ]]]]><![CDATA[> b]]>"),
    ("<p>x</p>", "<![CDATA[<p>x</p>]]>"),
    ('say "hi"', '<![CDATA[say "hi"]]>'),
    ("it’s 💡", "it’s 💡"),
])
def test_escape_matches_moodles_xml_escape(raw: str, written: str) -> None:
    assert escape(raw) == written


def test_cdata_split_reads_back_exactly() -> None:
    root = etree.fromstring(files(ROOT / "tests" / "data" / "tricky" / "source")["questions.xml"])
    names = [q.findtext("name/text") for q in root.iterfind("question")]
    assert "MC ~ = # { } : \\ [ ] ]]> & < > 💡 ‘’ “” ŵ ŷ مرحبا" in names


@pytest.mark.parametrize("name", ["questions.xml", "questions.gift.txt", "u1/questions.xml",
                                  "u1/questions.gift.txt"])
def test_golden_minimal(name: str) -> None:
    written = files(ROOT / "tests" / "data" / "minimal" / "source")[name]
    golden = GOLDEN / "minimal" / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(written)
    assert written == golden.read_bytes()


def test_same_source_same_bytes() -> None:
    assert files(ROOT / "source") == files(ROOT / "source")
