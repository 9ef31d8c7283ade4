"""`coursepack import` of GIFT files: Moodle's own GIFT export arrives type by type, escapes and
text formats are read as Moodle reads them, a file Moodle would refuse writes nothing and says
where, any bytes are read or refused, and coursepack's own GIFT comes back as the same bytes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from coursepack.build import plan
from coursepack.importers import gift
from coursepack.importers.place import unit_questions
from coursepack.runs import check_source
from support.reimport import reimport, run_import

ROOT = Path(__file__).parents[1]
SEED = ROOT / "source"
MINIMAL = ROOT / "tests" / "data" / "minimal" / "source"
REFERENCE = ROOT.parent / "shared" / "moodle" / "reference" / "questions-all-types.gift"
ESCAPES = ROOT / "tests" / "data" / "import" / "escapes.gift"


run = run_import


def files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_moodles_own_gift_export_arrives_type_by_type(tmp_path: Path) -> None:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "source"))
    code, output = run(str(REFERENCE), "--unit", "ref", "--into", str(root), "--format", "gift")
    assert code == 0, output
    data = yaml.safe_load((root / "units" / "ref" / "questions.yaml").read_text("utf-8"))
    by_id = {q["id"]: q for q in data["questions"]}
    assert sorted(q["type"] for q in data["questions"]) == [
        "essay", "matching", "multichoice", "multichoice", "numerical", "ordering",
        "shortanswer", "truefalse"]  # GIFT holds no cloze, gapselect or ddwtos question
    # the description names an image a GIFT file cannot carry: reported, and the source
    # refuses the missing file
    assert "question 'Description' names the file 'lightbulb.png'" in output
    assert f"{REFERENCE}:15:1: warning: question 'Description' is not imported" in output
    assert by_id["ref-num"]["answers"] == [
        {"value": 1.5, "tolerance": 0.05, "grade": 100, "feedback": "Correct."},
        {"value": 1.5, "tolerance": 0.5, "grade": 50, "feedback": "Close, within 0.5 kg."},
        {"value": "*", "feedback": "Wrong value."}]  # '~' in GIFT: Moodle's '*'
    assert "[import-number]" not in output
    assert by_id["ref-ordering"]["items"] == ["Mercury", "Venus", "Earth", "Mars"]
    assert by_id["ref-ordering"]["select_count"] == 2
    assert by_id["ref-tf"]["feedback_false"] == "Wrong: it does orbit the Sun."
    assert by_id["ref-mc-multi"]["single"] is False
    assert by_id["ref-match"]["pairs"][0] == {"question": "France", "answer": "Paris"}
    assert by_id["ref-essay"]["general_feedback"] == (
        "Rayleigh scattering: shorter wavelengths scatter more.")
    assert all(q["category"] == ["Reference", "Unit 1"] for q in data["questions"])
    tricky = by_id["ref-mc-single"]
    assert tricky["name"].startswith("MC single answer — tricky ~ = # { } : \\ [ ] ]]> & < > 💡")
    assert tricky["answers"][1]["text"] == (
        "\\~ = \\# { } : \\\\ \\[ \\] \\]\\]\\> & \\< \\> 💡 ’ “ ” ŵ ŷ مرحبا بالعالم")
    assert tricky["answers"][1]["grade"] == -33.33333
    assert not [d for d in check_source(root).diagnostics if d.severity.value == "error"]


ESCAPED = {
    "esc-mc": {
        "type": "multichoice", "name": "Escapes ~ = # { } : \\ in a name",
        "text": "Pick the one with *every* escape: ~ = # { } \\ and a line\nbreak.",
        "general_feedback": "General feedback: [a link](https://example.org/a?b=c).",
        "tags": ["escapes", "multichoice"],
        "answers": [
            {"text": "All of ~ = # { } : \\", "grade": 100, "feedback": "Right: **all** of them."},
            {"text": "A plain answer: a \\< b & c \\> d, \\*not\\* emphasis", "grade": -50,
             "feedback": "Plain is shown as typed."},
            # feedback takes the question text's format ([html]), not its answer's
            {"text": "A **Markdown** answer", "feedback": {"html": "Markdown *feedback*"}},
            {"text": {"html": "An auto-format answer with <b>bold</b>"}}],
        "show_num_correct": False},
    "esc-tf": {
        "type": "truefalse", "name": "Auto-format text",
        "text": {"html": "Is 2 = 2 in Moodle's auto-format? It keeps <b>bold</b>,<br />\n"
                         "a line break and 50% {braces}."},
        "general_feedback": "General: yes.", "tags": ["escapes"], "correct": True,
        "feedback_true": "Right, it is.", "feedback_false": "Wrong: it is."},
    "esc-false": {
        "type": "truefalse", "name": "False, written F",
        "text": "Is 1 = 2? Le résumé dit « non ».", "correct": False,
        "feedback_true": "Faux.", "feedback_false": "Vrai: 1 ≠ 2."},
    "esc-sa": {
        "type": "shortanswer", "name": "Short answer in Welsh",
        "text": "Beth yw enw’r ddraig goch? Ŵ ŷ — “curly” quotes.", "tags": ["welsh"],
        "answers": [{"text": "Y Ddraig Goch", "grade": 100, "feedback": "Cywir!"},
                    {"text": "draig", "grade": 50, "feedback": "Bron."},
                    {"text": "a\\b", "feedback": "A backslash: \\ and \\n stays two characters."}]},
    "esc-num": {
        "type": "numerical", "name": "Numerical range and tolerance",
        "text": "Give a number between 1 and 2 (français: « nombre »).",
        "general_feedback": "Ranges become a value and a tolerance.",
        "answers": [{"value": 1.5, "tolerance": 0.5, "grade": 100, "feedback": "In the range."},
                    {"value": 1.5, "tolerance": 0.75, "grade": 50, "feedback": "Within 0.75."},
                    {"value": "*", "feedback": "Any other number."}]},
    "esc-match": {
        "type": "matching", "name": "Table, lists and matching",
        "text": {"html": "<table><thead><tr><th>Term</th><th>Meaning</th></tr></thead><tbody>"
                         "<tr><td>Ŵ</td><td>Welsh w</td></tr></tbody></table><ul><li>first</li>"
                         "<li><strong>second</strong></li></ul><ol><li>one</li><li><a href="
                         '"https://example.org">a link</a></li></ol>'},
        "general_feedback": "Tables, lists, emphasis and links are HTML.", "tags": ["html"],
        "pairs": [{"question": "Œuvre", "answer": "Work (French)"},
                  {"question": "Straße", "answer": "Street (German)"},
                  {"question": "*Ἀθῆναι*", "answer": "Athens (Greek)"}],
        "distractors": ["A distractor & more"], "show_num_correct": False},
    "esc-order": {
        "type": "ordering", "name": "Ordering in Japanese",
        "text": "Order these (日本語: 一、二、三).", "tags": ["ordering"],
        "items": ["一", "二", "三", "四"], "select_count": 3,
        "layout": "horizontal", "grading": "all_or_nothing", "numbering": "abc",
        "show_grading": False, "show_num_correct": False},
    "esc-missing": {  # the answer block's place in the text becomes '_____'
        "type": "multichoice", "name": "Missing word",
        "text": "The capital of Cymru is \\_\\_\\_\\_\\_ in Wales.",
        "answers": [{"text": "Caerdydd", "correct": True}, {"text": "Abertawe"},
                    {"text": "Bangor"}],
        "show_num_correct": False},
    "esc-essay": {
        "type": "essay", "name": "Markdown essay",
        "text": "Write about *Markdown*:\n\n- its lists\n- its [links](https://example.org)",
        "general_feedback": "Markdown general **feedback**."},
    "esc-plain": {
        "type": "shortanswer", "name": "Plain text",
        "text": "Plain text keeps \\<tags\\> & \\*stars\\* as typed.",
        "general_feedback": "General, plain too.",
        "answers": [{"text": "yes", "correct": True}, {"text": "oui", "correct": True}]},
    "esc-noname": {  # Moodle names it from its text (shorten_text, 80 characters)
        "type": "shortanswer",
        "name": 'What is "hello" in Arabic and in Chinese? مرحبا — 你好. This text is long ...',
        "text": {"html": '<p>What is "hello" in Arabic and in Chinese? مرحبا — 你好. This text is '
                         "long enough for Moodle to shorten it into the name.</p>"},
        "answers": [{"text": "مرحبا", "correct": True}, {"text": "你好", "correct": True}]},
    "esc-desc": {
        "type": "description", "name": "Instructions",
        "text": "Read carefully — [the guide](https://example.org/guide) has *everything*.",
        "tags": ["description"]},
}


def test_escapes_and_text_formats_are_read_as_moodle_reads_them() -> None:
    found = gift.read(ESCAPES.read_bytes(), "escapes.gift")
    assert found.notes == []
    got = {q["id"]: {k: v for k, v in q.items() if k != "id" and not k.startswith("_")}
           for q in found.questions}
    assert list(got) == list(ESCAPED)
    for ident, question in ESCAPED.items():
        assert got[ident] == question, ident
    assert {tuple(q["_category"]) for q in found.questions} == {("Escapes/Formats", "Sub")}
    assert [q["_line"] for q in found.questions][:3] == [6, 15, 18]


def test_the_escapes_file_imports_and_validates(tmp_path: Path) -> None:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "source"))
    code, output = run(str(ESCAPES), "--unit", "esc", "--into", str(root))
    assert code == 0, output
    assert "imported 12 questions into unit esc" in output
    assert not [d for d in check_source(root).diagnostics if d.severity.value == "error"]


BAD = """// Each question here is one Moodle's GIFT import refuses.
::No closing brace::What is this{=a

::Matching::Match{=a -> b =c}

::Weight::Pick{~%--5%a =b}

::Grade::Pick{=a ~%33%b}

::Tolerance::How many?{#5:x}

::Half::Which?{=%50%half}

::Too few::Which?{~only}

::Ordering::Order{>2 ALL
one}

::Range::Range{#1..}

::Pair::Match{=a -> b =c -> }

::Fine::This one Moodle would take.{T}
"""


def _at(snippet: str, occurrence: int = 0) -> str:
    """'line:col' of a snippet in BAD."""
    lines = BAD.splitlines()
    found = [(n, line.index(snippet)) for n, line in enumerate(lines, start=1) if snippet in line]
    n, col = found[occurrence]
    return f"{n}:{col + 1}"


def test_what_moodle_refuses_is_located_and_nothing_is_written(tmp_path: Path) -> None:
    root = Path(shutil.copytree(MINIMAL, tmp_path / "source"))
    before = files(root)
    bad = tmp_path / "bad.gift"
    bad.write_text(BAD, encoding="utf-8")
    code, output = run(str(bad), "--unit", "new", "--into", str(root))
    assert code == 1
    expected = [
        (_at("{=a"), "Could not find {...} around answers"),
        (_at("c}"), "Matching question answers are improperly formatted"),
        (_at("%--5%"), "the weight '%--5%' is not a number"),
        (_at("%33%"), "Grades (0.33) do not match grade options - question 'Grade' skipped."),
        (_at("5:x"), "the answer '5:x' has a tolerance that is not a number"),
        (_at("::Half"), "One of the answers should have a score of 100%"),
        (_at("~only"), "not enough answers for this question type"),
        (_at(">2 ALL"), "Ordering questions must have more than 2 answers."),
        (_at("1.."), "the range '1..' is not two numbers"),
        (_at("c -> "), "You must specify an answer matching the question 'c'."),
    ]
    errors = [line for line in output.splitlines() if ": error: " in line]
    assert len(errors) == len(expected), output
    for (place, message), line in zip(expected, errors, strict=True):
        assert line.startswith(f"{bad}:{place}: error: Moodle refuses this question: "), line
        assert message in line and line.endswith("[import-syntax]"), line
    assert "nothing imported" in output
    assert files(root) == before


@pytest.mark.parametrize(("data", "place", "message"), [
    (b"::Q::Caf\xe9?{T}\n", (1, 9), "not UTF-8 (byte 0xe9)"),
    (b"// a\n\n::Q::ok{T}\n::R::\xff{T}", (4, 6), "not UTF-8 (byte 0xff)"),
    (b"", (1, 1), "There are no questions in the import file"),
    (b"// only a comment\n\n\n", (1, 1), "There are no questions in the import file"),
])
def test_a_file_moodle_cannot_read_is_refused(data: bytes, place: tuple[int, int],
                                              message: str) -> None:
    found = gift.read(data, "bank.gift")
    assert [((d.line, d.col), d.severity.value, d.code) for d in found.notes] == [
        (place, "error", "import-syntax")]
    assert message in found.notes[0].message
    assert found.questions == []


def test_a_gift_file_starting_with_html_is_told_from_xml(tmp_path: Path) -> None:
    from coursepack.importers.run import detect

    assert detect(b"<p>Is <b>this</b> GIFT?</p>{T}") == "gift"
    assert detect(b"<?xml version='1.0'?><quiz/>") == detect(b"<quiz></quiz>") == "xml"
    assert detect(b"<GLOSSARY><INFO/></GLOSSARY>") == "glossary"
    root = Path(shutil.copytree(MINIMAL, tmp_path / "source"))
    bank = tmp_path / "bank.txt"
    bank.write_text("<p>Is the sky <b>blue</b>?</p>{T}\n", encoding="utf-8")
    code, output = run(str(bank), "--unit", "u1", "--into", str(root))
    assert code == 0 and "imported 1 questions into unit u1" in output, output


def test_a_numerical_answer_that_is_not_a_number_is_moodles_star() -> None:
    found = gift.read(b"::N::How many?{#=%50%abc =3 =1..2}", "n.gift")
    assert found.questions[0]["answers"] == [{"value": "*", "grade": 50},
                                             {"value": 3, "grade": 100},
                                             {"value": 1.5, "tolerance": 0.5, "grade": 100}]
    assert [(n.line, n.col, n.code) for n in found.notes] == [(1, 18, "import-number")]


def test_windows_and_old_mac_line_ends_and_a_byte_order_mark_are_read() -> None:
    text = "\ufeff// [id:a]\n::A::One?{T}\n\n::B::Two?{F}\n"
    for data in (text.encode(), text.replace("\n", "\r\n").encode(),
                 text.replace("\n", "\r").encode()):
        found = gift.read(data, "bank.gift")
        assert [(q["name"], q["correct"], q["_line"]) for q in found.questions] == [
            ("A", True, 2), ("B", False, 4)]
        assert found.questions[0]["id"] == "a"


GIFT_PIECES = st.lists(st.sampled_from([
    "::", "::Name::", "{", "}", "=", "~", "#", "####", "->", " -> ", "%50%", "%-33.33333%",
    "%100%", "%--5%", "%33%", "\\:", "\\#", "\\=", "\\{", "\\}", "\\~", "\\\\", "\\n", "\\",
    "[html]", "[plain]", "[markdown]", "[moodle]", "[x]", "[", "]", "<b>", "</b>", "<p>",
    "<script>x</script>", "T", "TRUE", "F", "FALSE", "1", "2.5", "..", ":", "-3", "abc", " ",
    "\t", "\n", "\n\n", "\n0\n", "// c\n", "// [id:x\\]y] [tag:t1] [tag:]\n",
    "$CATEGORY: $course$/top/a//b/c\n", "é", "💡", "中", ">2 ALL VERTICAL ABS SHOW 123\n",
    ">3 RANDOM\nx\ny\nz", "&&058;", "&&092;", "@@PLUGINFILE@@/a.png", "*", "\r\n", "\r", "0"]),
    max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(GIFT_PIECES, st.binary(max_size=60))
def test_any_file_is_read_or_refused_with_located_notes(text: str, noise: bytes) -> None:
    for data in (text.encode("utf-8"), noise, text.encode("utf-8") + noise):
        found = gift.read(data, "bank.gift")
        unit_questions(found, "u1", set())
        assert all(n.file == "bank.gift" and n.line >= 1 and n.col >= 1 for n in found.notes)
        lines = data.replace(b"\r\n", b"\n").count(b"\n") + data.count(b"\r") + 1
        assert all(n.line <= lines for n in found.notes)
        if any(n.severity.value == "error" for n in found.notes):
            assert all(re.search(r"\[import-syntax\]$", n.text()) for n in found.notes
                       if n.severity.value == "error")


def built(root: Path) -> dict[str, bytes]:
    catalogue = check_source(root).catalogue
    assert catalogue is not None
    return plan(catalogue, ["gift"])


@pytest.mark.parametrize("source", [SEED, *(ROOT / "tests" / "data" / name / "source"
                                             for name in ("tricky", "hostile"))],
                         ids=["seed", "tricky", "hostile"])
def test_coursepacks_own_gift_files_come_back_as_source_that_builds_them(
        source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each unit's GIFT file, imported into the unit in place of its questions, builds the same
    GIFT bytes (escapes, HTML, non-English and hostile text included). Only the GIFT files
    compare: what GIFT cannot hold (cloze, gapselect and drag-and-drop questions, questions
    naming files, marks, penalties, hints, combined feedback, outcomes) is not in them to come
    back, and the unit's derived questions are recognised by their category (named as
    coursepack names the unit's) and made again."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    before = built(source)
    root = Path(shutil.copytree(source, tmp_path / "source"))
    units = sorted(p.name for p in (source / "units").iterdir())
    for output in reimport(root, before, units, "questions.gift.txt", tmp_path).values():
        assert "[import-derived]" in output and "[import-category]" not in output
    after = built(root)
    for name in ("questions.gift.txt", *(f"{u}/questions.gift.txt" for u in units)):
        assert after[name] == before[name], name
