"""`coursepack import` of Moodle XML written by hand: every option of every type coursepack holds
arrives type by type (tests/data/import/every-option.xml, which the Moodle round trip in
test_moodle_import.py also proves), and what Moodle reads otherwise than an export lays it out
(names it cleans, options it defaults, names it takes for an option) arrives as Moodle reads it,
what coursepack cannot hold reported."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from coursepack.cli import main

EVERY = Path(__file__).parent / "data" / "import" / "every-option.xml"
D = dict[str, Any]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def imported(root: Path, path: Path, unit: str = "every") -> tuple[dict[str, D], str]:
    """The file imported into `unit`: its questions by id, and what the import said."""
    code, output = run("import", str(path), "--unit", unit, "--into", str(root))
    assert code == 0, output
    data = yaml.safe_load((root / "units" / unit / "questions.yaml").read_text("utf-8"))
    return {q["id"]: q for q in data["questions"]}, output


@pytest.fixture
def every(minimal: Path) -> dict[str, D]:
    questions, output = imported(minimal, EVERY)
    assert "imported 36 questions into unit every: 0 errors, 6 warnings" in output
    # the six categories' own idnumbers are reported: coursepack gives each its path's
    assert output.count("its idnumber 'eo-cat-") == 6 and "[import-dropped]" in output
    code, said = run("validate", str(minimal))
    assert code == 0 and " 0 errors" in said, said
    return questions


def test_every_type_arrives_in_its_category(every: dict[str, D], minimal: Path) -> None:
    kinds = [q["type"] for q in every.values()]
    assert {k: kinds.count(k) for k in set(kinds)} == {
        "multichoice": 6, "truefalse": 2, "shortanswer": 2, "numerical": 5, "matching": 2,
        "essay": 5, "ordering": 8, "gapselect": 2, "ddwtos": 2, "cloze": 1, "description": 1}
    assert every["eo-mc-single-abc"]["category"] == ["Every option", "Choice/Text"]
    assert every["eo-match"]["category"] == ["Every option", "Choice/Text", "Cymraeg ŵ ŷ"]
    assert every["eo-num-kg"]["category"] == ["Every option", "Numbers & units"]
    first = every["eo-mc-single-abc"]
    assert first["tags"] == ["every-option", "Cymraeg", "level 2"]
    assert (first["mark"], first["penalty"]) == (2, 0.1) and isinstance(first["mark"], int)
    assert every["eo-mc-upper-iiii"]["tags"] == ["every-option", "emoji 😀"]
    pictures = minimal / "units" / "every" / "images"
    assert (pictures / "eo-blue.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert base64.b64encode((pictures / "eo-red.png").read_bytes()).startswith(b"iVBORw0KGgo")
    assert '<img src="images/eo-blue.png" alt="a blue square"' in first["text"]["html"]
    assert '<a href="mailto:ymholiadau@example.org">' in first["text"]["html"]
    assert "<table" in every["eo-description"]["text"]["html"]


def test_multichoice_options_and_grades(every: dict[str, D]) -> None:
    single = every["eo-mc-single-abc"]
    assert [a.get("grade") for a in single["answers"]] == [100, -33.33333, None, None]
    assert single["answers"][0] == {"text": "Caerdydd", "grade": 100,
                                    "feedback": "Cywir! ✅ Cardiff it is."}
    assert single["correct_feedback"] == "Da iawn! **Correct.**"
    assert "show_num_correct" not in single and "show_instruction" not in single
    assert [(h.get("show_num_correct"), h.get("clear_wrong")) for h in single["hints"]] == [
        (True, None), (True, True)]
    multi = every["eo-mc-multi-upper-abcd"]
    assert (multi["single"], multi["shuffle"], multi["numbering"]) == (False, False, "ABCD")
    assert multi["show_instruction"] is True and multi["show_num_correct"] is False
    assert [a["grade"] for a in multi["answers"]] == [60, 40, -25, -75]
    assert {every[i].get("numbering", "abc") for i in every if i.startswith("eo-mc-")} == {
        "abc", "ABCD", "123", "iii", "IIII", "none"}
    assert every["eo-mc-123"]["answers"][0]["text"] == {"html": "Abertawe"}  # no paragraph
    tricky = every["eo-mc-none"]
    assert tricky["name"] == "MC single (none) — special characters & < > ]]> in a name"
    assert tricky["text"].startswith("Which reads `a < b && c > d`? The sequence ]]> ends")
    assert tricky["answers"][1]["text"] == "a \\< b & c \\> d \\]\\]\\>"  # plain text, escaped
    assert [a["grade"] for a in tricky["answers"]] == [100, 14.28571, 12.5, 11.11111, -5]


def test_truefalse_shortanswer_and_numerical(every: dict[str, D]) -> None:
    false = every["eo-tf-false"]
    assert false["correct"] is False and false["feedback_false"] == "Cywir — it is 260 m lower."
    assert every["eo-tf-true"]["correct"] is True and "feedback_true" not in every["eo-tf-true"]
    nocase = every["eo-sa-nocase"]
    assert "case_sensitive" not in nocase
    assert [(a["text"], a.get("grade", 0)) for a in nocase["answers"]] == [
        ("Caerdydd", 100), ("Cardiff", 90), ("Caerdyd", 80), ("Cardif", 66.66667),
        ("Caer*", 50), ("*", 0)]
    assert every["eo-sa-case"]["case_sensitive"] is True
    kg = every["eo-num-kg"]
    assert kg["units"] == [{"unit": "kg"}, {"unit": "g", "multiplier": 1000},
                           {"unit": "t", "multiplier": 0.001}]
    assert (kg["unit_graded"], kg["unit_penalty"]) == (True, 0.2)
    assert kg["answers"][-1] == {"value": "*", "feedback": "Divide by 1000."}
    pounds = every["eo-num-pounds"]
    assert {k: pounds[k] for k in ("unit_penalty", "unit_penalty_of", "unit_display",
                                   "unit_left")} == {"unit_penalty": 0.5,
                                                     "unit_penalty_of": "question",
                                                     "unit_display": "radio", "unit_left": True}
    assert every["eo-num-select"]["unit_display"] == "select"
    optional = every["eo-num-optional"]
    assert len(optional["units"]) == 3 and "unit_graded" not in optional
    plain = every["eo-num-plain"]
    assert "units" not in plain and plain["answers"][0] == {
        "value": -273.15, "tolerance": 0.5, "grade": 100}
    assert [a.get("grade") for a in plain["answers"][1:]] == [70, 30, 20, 10, None]


def test_matching_and_essays(every: dict[str, D]) -> None:
    match = every["eo-match"]
    assert match["shuffle"] is False and match["distractors"] == ["goat", "sheep"]
    assert [p["answer"] for p in match["pairs"]] == ["cat", "dog", "horse", "red"]
    assert match["pairs"][0]["question"] == "**Cath**"
    assert 'src="images/eo-red.png"' in match["pairs"][3]["question"]["html"]
    shuffled = every["eo-match-shuffled"]
    assert [p["answer"] for p in shuffled["pairs"]] == ["and (&)", "less than (<)",
                                                        "greater than (>)"]
    assert shuffled["show_num_correct"] is False and "shuffle" not in shuffled
    essays = {i: q for i, q in every.items() if q["type"] == "essay"}
    assert [q.get("response_format", "editor") for q in essays.values()] == [
        "editor", "editorfilepicker", "plain", "monospaced", "noinline"]
    editor = essays["eo-essay-editor"]
    assert (editor["min_words"], editor["max_words"], editor["response_lines"]) == (50, 300, 10)
    assert editor["response_template"] == "- Situation: …\n- Action: …"
    assert 'src="images/eo-blue.png"' in editor["grader_info"]["html"]
    picker = essays["eo-essay-filepicker"]
    assert (picker["attachments"], picker["attachments_required"]) == (-1, 1)
    assert essays["eo-essay-plain"]["response_required"] is False
    noinline = essays["eo-essay-noinline"]
    assert (noinline["attachments"], noinline["attachments_required"]) == (3, 2)


def test_ordering_and_gaps(every: dict[str, D]) -> None:
    ordering = [q for q in every.values() if q["type"] == "ordering"]
    assert {q.get("grading", "absolute_position") for q in ordering} == {
        "absolute_position", "relative_next_exclude_last", "relative_next_include_last",
        "relative_one_previous_and_next", "relative_all_previous_and_next",
        "longest_ordered_subset", "longest_contiguous_subset", "all_or_nothing"}
    assert {q.get("select", "all") for q in ordering} == {"all", "random", "contiguous"}
    assert {q.get("numbering", "none") for q in ordering} == {
        "none", "123", "abc", "ABCD", "iii", "IIII"}
    subset = every["eo-ord-next-exclude"]
    assert (subset["layout"], subset["select"], subset["select_count"]) == (
        "horizontal", "random", 3)
    assert subset["show_grading"] is False and subset["show_num_correct"] is False
    assert every["eo-ord-next-include"]["items"][3:] == ["Pour & wait", "Add milk <or not>"]
    assert [h.get("clear_wrong") for h in every["eo-ord-absolute"]["hints"]] == [
        True, None, True]
    gaps = every["eo-gapselect"]
    assert gaps["name"] == "Select missing words — three groups, shuffled"  # as Moodle cleans it
    assert [c.get("group", 1) for c in gaps["choices"]] == [1, 2, 3, 1, 2, 3]
    assert every["eo-gapselect-fixed"]["choices"][1] == {"text": "nine & no more"}
    drag = every["eo-ddwtos"]
    assert drag["shuffle"] is False and drag["choices"][4] == {
        "text": "Asia & Oceania", "group": 3, "unlimited": True}


def test_cloze_gaps_of_every_kind(every: dict[str, D]) -> None:
    cloze = every["eo-cloze"]
    assert [(g["type"], g.get("display"), g.get("shuffle"), g.get("case_sensitive"),
             g.get("mark", 1)) for g in cloze["gaps"]] == [
        ("shortanswer", None, None, None, 1), ("shortanswer", None, None, True, 2),
        ("numerical", None, None, None, 1), ("shortanswer", None, None, None, 1),
        ("multichoice", None, None, None, 1), ("multichoice", None, True, None, 1),
        ("multichoice", "vertical", None, None, 2), ("multichoice", "horizontal", None, None, 1),
        ("multichoice", "vertical", True, None, 1), ("multichoice", "horizontal", True, None, 3)]
    assert cloze["gaps"][2]["answers"][1] == {"value": 3.1, "tolerance": 0.05, "grade": 50,
                                              "feedback": {"html": "Close enough."}}
    assert cloze["gaps"][3]["answers"][0]["text"] == "M&S"
    assert [a["text"] for a in cloze["gaps"][5]["answers"]] == ["un & dau", "tri < pedwar",
                                                                "pump"]
    assert cloze["gaps"][7]["answers"][2] == {"text": "Pluto", "grade": -50,
                                              "feedback": {"html": "Not a planet now!"}}
    assert [a.get("grade") for a in cloze["gaps"][8]["answers"]] == [
        None, None, 33.33333, 16.66667]
    assert "{{g10}}" in cloze["text"]["html"] and "mark" not in cloze
    assert not {"mark", "penalty", "hints"} & set(every["eo-description"])


def test_what_moodle_reads_otherwise_arrives_as_it_reads_it(minimal: Path) -> None:
    found, output = imported(minimal, EVERY.with_name("moodle-defaults.xml"), "defaults")
    assert "0 errors, 2 warnings" in output and output.count("its idnumber") == 2
    choice = found["md-mc"]
    assert (choice["name"], choice["category"]) == ("A bold name", "Shop floor")  # tags stripped
    assert choice["shuffle"] is False and choice["show_instruction"] is True  # left out
    usual = found["md-ord-defaults"]
    assert usual["category"] == ["Shop floor", "Before//after"]  # '///': one name
    assert {k: usual.get(k) for k in ("select", "select_count", "grading")} == {
        "select": "random", "select_count": 6, "grading": "relative_next_exclude_last"}
    named = found["md-ord-names"]
    assert {k: named.get(k) for k in ("layout", "select", "select_count", "grading",
                                      "show_grading", "numbering")} == {
        "layout": "horizontal", "select": None, "select_count": 2, "grading": None,
        "show_grading": False, "numbering": None}  # all, absolute position, no numbering
    assert "shuffle" not in found["md-match"]  # Moodle reads only 'false' and '0' as no
    assert not [d for d in run("validate", str(minimal))[1].splitlines() if ": error:" in d]


QUESTION = """<question type="{kind}"><name><text>{name}</text></name>
<questiontext format="html"><text>{text}</text></questiontext>{body}</question>
"""


def bank(tmp: Path, *questions: str) -> Path:
    path = tmp / "bank.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "".join(questions)
                    + "</quiz>\n", "utf-8")
    return path


def test_formatting_a_choice_cannot_hold_is_left_out_and_reported(minimal: Path,
                                                                   tmp_path: Path) -> None:
    bold = "&lt;b&gt;{}&lt;/b&gt;"
    pairs = "".join(f'<subquestion format="html"><text>{q}</text><answer><text>{a}</text>'
                    "</answer></subquestion>" for q, a in (("1", bold.format("one")),
                                                           ("2", "two"), ("3", "three")))
    path = bank(tmp_path, QUESTION.format(kind="matching", name="Pairs", text="Match.",
                                          body=pairs),
                QUESTION.format(kind="gapselect", name="Gaps", text="[[1]] [[2]]", body="".join(
                    f"<selectoption><text>{t}</text><group>1</group></selectoption>"
                    for t in (bold.format("x"), "y"))),
                QUESTION.format(kind="ordering", name="Order", text="Order.", body="".join(
                    f'<answer fraction="{n}" format="html"><text>{t}</text></answer>'
                    for n, t in enumerate((bold.format("a"), "b", "c"), start=1))),
                QUESTION.format(kind="cloze", name="Gap", body="", text=(
                    "{1:MULTICHOICE:=&amp;lt;b&amp;gt;blue&amp;lt;/b&amp;gt;~red}")))
    found, output = imported(minimal, path, "choices")
    for name, choice in (("Pairs", "<b>one</b>"), ("Gaps", "<b>x</b>"), ("Order", "<b>a</b>"),
                         ("Gap", "<b>blue</b>")):
        assert f"warning: question {name!r}: the formatting of its choice {choice!r} is not " \
            "imported (choices are plain text) [import-dropped]" in output
    by_name = {q["name"]: q for q in found.values()}
    assert by_name["Pairs"]["pairs"][0]["answer"] == "one"
    assert by_name["Gaps"]["choices"][0] == {"text": "x"}
    assert by_name["Order"]["items"] == ["a", "b", "c"]
    assert by_name["Gap"]["gaps"][0]["answers"][0] == {"text": "blue", "correct": True}


def test_an_essays_file_limits_are_reported(minimal: Path, tmp_path: Path) -> None:
    path = bank(tmp_path, QUESTION.format(
        kind="essay", name="Upload", text="Attach it.",
        body="<responseformat>editor</responseformat><attachments>1</attachments>"
             "<maxbytes>1048576</maxbytes><filetypeslist>.pdf,.png</filetypeslist>"))
    found, output = imported(minimal, path, "limits")
    for what in ("largest attachment (maxbytes '1048576')", "file types (filetypeslist "
                 "'.pdf,.png')"):
        assert f"warning: question 'Upload': its {what} cannot be held by coursepack" in output
    assert [q["attachments"] for q in found.values()] == [1]
