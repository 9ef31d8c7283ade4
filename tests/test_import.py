"""`coursepack import` of Moodle XML: coursepack's own files come back as source that builds the
same bytes, Moodle's own export arrives type by type, and a file Moodle would refuse writes
nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from coursepack.build import plan
from coursepack.importers.text import source_text
from coursepack.markup import to_html
from coursepack.runs import check_source
from support.reimport import reimport, run_import

ROOT = Path(__file__).parents[1]
SEED = ROOT / "source"
MINIMAL = ROOT / "tests" / "data" / "minimal" / "source"
REFERENCE = ROOT.parent / "shared" / "moodle" / "reference" / "questions-all-types.xml"
UNITS = sorted(p.name for p in (SEED / "units").iterdir())


def built(root: Path) -> dict[str, bytes]:
    catalogue = check_source(root).catalogue
    assert catalogue is not None
    return plan(catalogue, ["moodle-xml", "gift"])


run = run_import


def test_the_seeds_question_files_come_back_as_source_that_builds_them(tmp_path: Path,
                                                                        monkeypatch:
                                                                        pytest.MonkeyPatch
                                                                        ) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    before = built(SEED)
    root = Path(shutil.copytree(SEED, tmp_path / "source"))
    reimport(root, before, UNITS, "questions.xml", tmp_path)
    for unit in UNITS:
        written = (root / "units" / unit / "questions.yaml").read_text(encoding="utf-8")
        assert written.startswith("# yaml-language-server: $schema=../../../schemas/")
    after = built(root)
    for name in ("questions.xml", "questions.gift.txt",
                 *(f"{u}/{f}" for u in UNITS for f in ("questions.xml", "questions.gift.txt"))):
        assert after[name] == before[name], name


def test_moodles_own_export_arrives_type_by_type(tmp_path: Path) -> None:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "source"))
    code, output = run(str(REFERENCE), "--unit", "ref", "--into", str(root))
    assert code == 0, output
    data = yaml.safe_load((root / "units" / "ref" / "questions.yaml").read_text("utf-8"))
    types = sorted(q["type"] for q in data["questions"])
    assert types == ["cloze", "ddwtos", "description", "essay", "gapselect", "matching",
                     "multichoice", "multichoice", "numerical", "ordering", "shortanswer",
                     "truefalse"]
    drag = next(q for q in data["questions"] if q["type"] == "ddwtos")
    assert drag["choices"][3] == {"text": "Italy", "group": 2, "unlimited": True}
    assert drag["shuffle"] is False and drag["mark"] == 4
    info = next(q for q in data["questions"] if q["type"] == "description")
    assert not {"mark", "penalty", "hints"} & set(info)
    num = next(q for q in data["questions"] if q["type"] == "numerical")
    assert num["units"] == [{"unit": "kg"}, {"unit": "g", "multiplier": 1000}]
    assert num["unit_graded"] is True and num["answers"][-1] == {"value": "*",
                                                                 "feedback": "Wrong value."}
    course = yaml.safe_load((root / "course.yaml").read_text("utf-8"))
    assert course["units"][-1] == "ref"
    checked = check_source(root)
    assert not [d for d in checked.diagnostics if d.severity.value == "error"]
    tricky = next(q for q in data["questions"] if q["name"].startswith("MC single answer"))
    assert "~ = # { } : \\ [ ] ]]> & < > 💡" in tricky["name"]


OTHER_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="calculated"><name><text>Area</text></name>
    <questiontext format="html"><text>{r}</text></questiontext></question>
  <question type="random"><name><text>Any</text></name>
    <questiontext format="html"><text>0</text></questiontext></question>
  <question type="ddimageortext"><name><text>Map</text></name>
    <questiontext format="html"><text>Drag</text></questiontext></question>
  <question type="truefalse"><name><text>Kept</text></name>
    <questiontext format="html"><text>Yes?</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer></question>
</quiz>
"""


def test_types_coursepack_cannot_hold_are_reported_one_by_one(tmp_path: Path) -> None:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "source"))
    (tmp_path / "bank.xml").write_text(OTHER_TYPES, "utf-8")
    code, output = run(str(tmp_path / "bank.xml"), "--unit", "other", "--into", str(root))
    assert code == 0, output
    for line, name, kind in ((3, "Area", "calculated"), (5, "Any", "random"),
                             (7, "Map", "drag and drop onto image")):
        assert f"bank.xml:{line}:1: warning: question '{name}' is of type {kind}, which " \
            "coursepack cannot hold: not imported [import-unsupported]" in output
    data = yaml.safe_load((root / "units" / "other" / "questions.yaml").read_text("utf-8"))
    assert [q["name"] for q in data["questions"]] == ["Kept"]


def test_a_file_moodle_would_refuse_writes_nothing(tmp_path: Path) -> None:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "source"))
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    broken = tmp_path / "broken.xml"
    broken.write_text('<?xml version="1.0"?>\n<quiz>\n  <question type="truefalse">\n</quiz>\n')
    code, output = run(str(broken), "--unit", "new", "--into", str(root))
    assert code == 1
    assert f"{broken}:4:" in output and "[import-syntax]" in output
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_questions_join_a_unit_without_changing_what_is_there(tmp_path: Path) -> None:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "source"))
    questions = root / "units" / "u1" / "questions.yaml"
    old = questions.read_bytes()
    code, output = run(str(REFERENCE), "--unit", "u1", "--into", str(root))
    assert code == 0, output
    assert questions.read_bytes().startswith(old)
    again_code, again = run(str(REFERENCE), "--unit", "u1", "--into", str(root))
    assert again_code == 0 and "is already used; its id is" in again  # fresh, stable ids
    ids = [q["id"] for q in yaml.safe_load(questions.read_text("utf-8"))["questions"]]
    assert len(ids) == len(set(ids))


def test_unsafe_html_is_removed_and_reported_by_question(tmp_path: Path) -> None:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "source"))
    bank = tmp_path / "bank.xml"
    bank.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="truefalse">'
        "<name><text>Risky</text></name><questiontext format=\"html\"><text><![CDATA["
        '<p onclick="x()">Is <u>this</u> safe?<script>alert(1)</script></p>]]></text>'
        "</questiontext><answer fraction=\"100\"><text>true</text></answer>"
        "<answer fraction=\"0\"><text>false</text></answer></question>\n</quiz>\n")
    code, output = run(str(bank), "--unit", "u1", "--into", str(root))
    assert code == 0, output
    assert "question 'Risky': removed from its text: HTML <script>" in output
    text = yaml.safe_load((root / "units" / "u1" / "questions.yaml").read_text("utf-8"))
    assert text["questions"][-1]["text"] == {"html": "<p>Is <u>this</u> safe?</p>"}


MARKDOWN = st.lists(st.sampled_from(["word", "**bold**", "*em*", "`code`", "a < b", "R&D",
                                     "[link](https://example.org)", "- item", "1. first",
                                     "# Head", "\n\n", "\n", "~", "#", "_", "\\"]),
                    min_size=1, max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWN)
def test_a_text_comes_back_as_markdown_only_when_it_renders_the_same(markdown: str) -> None:
    held = to_html(markdown)
    found = source_text(held)
    if isinstance(found, str):
        assert " ".join(to_html(found).split()) == " ".join(held.split())
    else:
        assert found == {"html": held.strip()}


def test_a_file_in_the_unit_folder_is_never_overwritten(tmp_path: Path) -> None:
    from coursepack.importers import Found

    folder = tmp_path / "u1"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "tick.png").write_bytes(b"theirs")
    (folder / "images" / "same.png").write_bytes(b"same")
    found = Found("x.xml", folder=folder)
    assert found.keep_file("same.png", b"same") == "images/same.png"  # the very bytes: shared
    other = found.keep_file("tick.png", b"ours")
    assert other.startswith("images/tick-") and other.endswith(".png")
    assert found.keep_file("tick.png", b"ours") == other  # one name for one content
    assert found.keep_file("tick.png", b"third") not in (other, "images/tick.png")
    assert (folder / "images" / "tick.png").read_bytes() == b"theirs"


QUESTION_XML = st.builds(
    lambda kind, body, text: (f'<question type="{kind}"><name><text>{text}</text></name>'
                              f"<questiontext format=\"html\"><text>{text}</text></questiontext>"
                              f"{body}</question>"),
    st.sampled_from(["multichoice", "truefalse", "shortanswer", "numerical", "matching",
                     "match", "essay", "ordering", "gapselect", "cloze", "category", "x", ""]),
    st.lists(st.sampled_from([
        '<answer fraction="100"><text>a</text></answer>', '<answer fraction="x"><text/></answer>',
        "<answer><text>*</text><tolerance>q</tolerance></answer>", "<single>maybe</single>",
        "<subquestion><text>&lt;p&gt;x&lt;/p&gt;</text><answer><text>y</text></answer>"
        "</subquestion>", "<selectoption><text>s</text><group>z</group></selectoption>",
        "<hint><text>h</text><options>1</options></hint>", "<defaultgrade>n</defaultgrade>",
        '<file name="a.png" encoding="base64">!!</file>', "<tags><tag><text>t</text></tag></tags>",
        "<category><text>$course$/top/A//B</text></category>", "<idnumber>Bad Id</idnumber>"]),
        max_size=6).map("".join),
    st.sampled_from(["x", "{1:MULTICHOICE:=a~b}", "{2:MR:=a~=b}", "{:SA:}", "@@PLUGINFILE@@/a.png",
                     "&lt;script&gt;", "<![CDATA[<p onclick=x>y</p>]]>", ""]))


@settings(max_examples=300, deadline=None)
@given(st.lists(QUESTION_XML, max_size=5), st.binary(max_size=40))
def test_any_question_file_is_read_or_refused_without_failing(items: list[str],
                                                               noise: bytes) -> None:
    from coursepack.importers import moodlexml
    from coursepack.importers.place import unit_questions

    for data in (f"<quiz>{''.join(items)}</quiz>".encode(), noise,
                 b"<quiz>" + noise + b"</quiz>"):
        found = moodlexml.read(data, "bank.xml")
        unit_questions(found, "u1", set())
        assert all(n.file == "bank.xml" and n.line >= 1 for n in found.notes)


def test_a_file_too_large_to_import_is_refused_unread(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from coursepack.importers import run as importing

    monkeypatch.setattr(importing, "MAX_BYTES", 100)
    bank = tmp_path / "bank.xml"
    bank.write_bytes(b"<quiz>" + b" " * 200 + b"</quiz>")
    found = importing.read(bank, "bank.xml", None)
    assert [(d.code, d.severity.value) for d in found.notes] == [("import-too-large", "error")]


def test_a_question_the_source_refuses_is_left_out_and_the_rest_imported(tmp_path: Path) -> None:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "source"))
    bank = tmp_path / "bank.xml"
    one = ('<question type="multichoice"><name><text>{name}</text></name><questiontext '
           'format="html"><text>&lt;p&gt;Pick.&lt;/p&gt;</text></questiontext>'
           '<single>true</single>{answers}</question>\n')
    good = '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text>' \
           "</answer>"
    bank.write_text('<?xml version="1.0"?>\n<quiz>\n'
                    + one.format(name="Fine", answers=good)
                    + one.format(name="One answer only", answers=good[:good.index("</answer>")
                                                                      + 9])
                    + one.format(name="Also fine", answers=good) + "</quiz>\n")
    code, output = run(str(bank), "--unit", "u1", "--into", str(root))
    assert code == 0, output
    assert f"{bank}:4:1: warning: question 'One answer only' is not imported:" in output
    names = [q.get("name") for q in yaml.safe_load(
        (root / "units" / "u1" / "questions.yaml").read_text("utf-8"))["questions"]]
    assert names[-2:] == ["Fine", "Also fine"] and "One answer only" not in names
    assert "imported 2 questions into unit u1" in output
    assert not [d for d in check_source(root).diagnostics if d.severity.value == "error"]


def test_a_file_declaring_entities_is_refused_and_reads_nothing_outside(tmp_path: Path) -> None:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "source"))
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    bank = tmp_path / "bank.xml"
    bank.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM "{secret.as_uri()}">'
                    "]>\n<quiz><question type=\"truefalse\"><name><text>X</text></name>"
                    '<questiontext format="html"><text>a &x; b</text></questiontext>'
                    "</question></quiz>\n")
    before = (root / "units" / "u1" / "questions.yaml").read_bytes()
    code, output = run(str(bank), "--unit", "u1", "--into", str(root))
    assert code == 1 and "[import-syntax]" in output and "SECRET" not in output
    assert (root / "units" / "u1" / "questions.yaml").read_bytes() == before


def without_key_terms(root: Path) -> None:
    """The source's units naming no glossary term (so the glossary can be replaced)."""
    for path in root.glob("units/*/unit.yaml"):
        data = yaml.safe_load(path.read_text("utf-8"))
        data.pop("key_terms", None)
        for concept in data.get("key_concepts", []):
            concept.pop("terms", None)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.mark.parametrize("source", [SEED, ROOT / "tests" / "data" / "tricky" / "source"])
def test_a_glossary_comes_back_as_terms_that_build_it(source: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = Path(shutil.copytree(source, tmp_path / "source"))
    without_key_terms(root)
    before = built_glossary(root)
    exported = tmp_path / "glossary.xml"
    exported.write_bytes(before)
    (root / "glossary.yaml").unlink()
    code, output = run(str(exported), "--into", str(root))
    assert code == 0, output
    assert (root / "glossary.yaml").read_text("utf-8").startswith(
        "# yaml-language-server: $schema=../schemas/glossary.schema.json\n")
    assert built_glossary(root) == before
    again_code, again = run(str(exported), "--into", str(root))  # all there already
    assert again_code == 0 and "is in glossary.yaml already" in again


def built_glossary(root: Path) -> bytes:
    catalogue = check_source(root).catalogue
    assert catalogue is not None
    return plan(catalogue, ["glossary"])["glossary.xml"]


def test_moodles_glossary_export_arrives_entry_by_entry(tmp_path: Path) -> None:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "source"))
    glossary = REFERENCE.parent / "glossary.xml"
    code, output = run(str(glossary), "--into", str(root))
    assert code == 0, output
    terms = yaml.safe_load((root / "glossary.yaml").read_text("utf-8"))["terms"]
    assert [t["term"] for t in terms][-6:] == ["Algorithm", "API", "Photosynthesis", "Osmosis",
                                              "Q&A", "Café"]
    assert (root / "media" / "lightbulb.png").exists()
    by_term = {t["term"]: t for t in terms}
    assert [t.get("categories") for t in terms][-6:] == [
        ["Computing"], ["Computing"], ["Biology"], ["Biology"], None, ["Computing", "Biology"]]
    assert by_term["Algorithm"]["tags"] == ["computing", "basics"]
    assert "its category 'Biology' is not auto-linked" in output
    assert not [d for d in check_source(root).diagnostics if d.severity.value == "error"]
