"""Round trip through real Moodle (4.5 LTS and 5.1): a Moodle XML or GIFT file imported into Moodle
as it is, and imported into coursepack then built, store the same questions, field by field.

Skipped where no Moodle harness is set up (see ../shared/moodle/README.md).
"""

from __future__ import annotations

import html
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from lxml import html as lxml_html

from coursepack.build import plan
from coursepack.importers.phptext import text_to_html
from coursepack.markup import to_html
from coursepack.runs import check_source
from support.moodle import harnesses, import_and_dump, run_and_dump, site_params
from support.reimport import reimport, run_import

ROOT = Path(__file__).parents[1]
MINIMAL = ROOT / "tests" / "data" / "minimal" / "source"
REFERENCE = ROOT.parent / "shared" / "moodle" / "reference" / "questions-all-types.xml"
# Moodle XML files not built by coursepack: Moodle's own export; files written by hand, one in
# its layout covering every option of every type coursepack holds (non-English text, HTML), one
# of what Moodle's importer reads otherwise than its export writes it (names it cleans, elements
# left to its defaults, other names for an option).
WRITTEN = {"reference": REFERENCE,
           **{name: ROOT / "tests" / "data" / "import" / f"{name}.xml"
              for name in ("every-option", "moodle-defaults")}}
SITES = site_params()


def normal(value: Any) -> Any:
    """A stored value as it reads: white space between HTML blocks and runs of spaces made one,
    files known by their content (an import names a file anew when the unit's folder has
    another of that name), rows keyed by database id in id order, the ids themselves left out,
    and a plain-text answer
    as the paragraph coursepack writes it (a plain answer becomes Markdown, which renders as
    one: Moodle shows the same words)."""
    if isinstance(value, str):  # a file's address names it by its name: its content tells
        text = re.sub(r"@@PLUGINFILE@@/[^\"'#?\s<>]+", "@@PLUGINFILE@@/(file)", value)
        return re.sub(r">\s+<", "><", " ".join(text.split()))
    if isinstance(value, list):
        return [normal(v) for v in value]
    if not isinstance(value, dict):
        return value
    if value and all(isinstance(k, str) and k.isdigit() for k in value):
        return [normal(value[k]) for k in sorted(value, key=int)]
    found = {k: normal(v) for k, v in value.items() if k not in IDS}
    if isinstance(found.get("files"), list):  # component, area, item, name, content: no name
        found["files"] = sorted(f[:3] + f[4:] for f in found["files"])
    if found.get("answerformat") == "2":
        found["answer"] = f"<p>{html.escape(found['answer'], quote=False)}</p>"
        found["answerformat"] = "1"
    return found


IDS = {"trueanswer", "falseanswer"}  # database ids of the question's own answers


def as_read(question: dict[str, Any]) -> dict[str, Any]:
    """A question as Moodle shows and marks it, where two stored forms cannot be told apart.

    A choice Moodle holds as HTML but coursepack as plain text (a matching answer, a choice of
    a select-missing-words, drag-and-drop-into-text or cloze multiple-choice gap) and a cloze
    gap's feedback are compared as a browser's parser holds them: Moodle shows each as HTML
    (through format_string or format_text, filters aside), so 'R&D' and 'R&amp;D', 'a < b' and
    'a &lt; b' show the same characters, while a tag stays a tag. (A cloze gap's answers and
    feedback are HTML whose references Moodle reads before storing them: an editor's
    'M&amp;S' arrives as 'M&S'.) A cloze gap's markup, the text Moodle reads the gap from (the
    subquestion's questiontext), is left out: what Moodle reads from it, every answer, grade
    and feedback and the gap's options and mark, is compared field by field beside it. Moodle
    decodes character references in an answer or feedback before reading it, and coursepack
    writes as a reference each character its parser treats specially (':', quotes, '%' ...),
    so one gap is written in different characters."""
    found = dict(question)
    options = dict(found.get("options") or {})
    if found.get("qtype") == "match":
        options["subquestions"] = _each(options.get("subquestions", {}), lambda sub: {
            **sub, "answertext": _dom(sub["answertext"])})
    if found.get("qtype") in ("gapselect", "ddwtos"):
        options["answers"] = _choices(options.get("answers", {}))
    if found.get("qtype") == "multianswer":
        found["subquestions"] = _each(found.get("subquestions", {}), _gap)
        options["questions"] = _each(options.get("questions", {}), _gap)
    return {**found, "options": options} if options else found


def _gap(sub: dict[str, Any]) -> dict[str, Any]:
    """A cloze gap's subquestion without its markup, its feedback (HTML, its references read
    by Moodle) and a multiple-choice gap's choices as shown."""
    found = {k: v for k, v in sub.items() if k != "questiontext"}
    answers = _each(found["options"].get("answers", {}), lambda a: {
        **a, "feedback": _dom(a["feedback"])})
    found["options"] = {**found["options"], "answers": _choices(answers)
                        if found.get("qtype") == "multichoice" else answers}
    return found


def _choices(answers: Any) -> Any:
    return _each(answers, lambda a: {**a, "answer": _dom(a["answer"])})


def _each(rows: Any, change: Any) -> Any:
    """Rows Moodle keys by id (a JSON object) or lists, each changed."""
    if isinstance(rows, dict):
        return {k: change(v) for k, v in rows.items()}
    return [change(v) for v in rows]


def _dom(text: str) -> str:
    """An HTML fragment as a browser's parser holds it (lxml's HTML parser standing in)."""
    if not text.strip():
        return text
    fragment = lxml_html.fragment_fromstring(text, create_parent="div")
    return etree.tostring(fragment, encoding="unicode", method="html")


def differences(a: Any, b: Any, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str)
                for d in differences(a.get(k), b.get(k), f"{where}/{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in differences(x, y, f"{where}/{i}")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def imported(root: Path, original: Path, unit: str) -> None:
    code, output = run_import(str(original), "--unit", unit, "--into", str(root))
    assert code == 0, output


def built(root: Path) -> dict[str, bytes]:
    catalogue = check_source(root).catalogue
    assert catalogue is not None
    return plan(catalogue, ["moodle-xml"])


def pair(name: str, tmp: Path) -> tuple[Path, Path]:
    """A file of the corpus, and the same file imported into coursepack, then built.

    A file not built by coursepack (Moodle's own export, one written by hand) goes into a new
    unit of a small source. A course file coursepack built
    from a test source (escapes, HTML, files, non-English text, every type) comes back unit by
    unit into a copy of its source whose question files are gone, as an author moving a bank in
    would do it; the course's file is then built again."""
    if name in WRITTEN:
        root = Path(shutil.copytree(MINIMAL, tmp / "source"))
        imported(root, WRITTEN[name], "imp")
        (tmp / "rebuilt.xml").write_bytes(built(root)["imp/questions.xml"])
        return WRITTEN[name], tmp / "rebuilt.xml"
    if name == "bank":  # the seed's units cloned with their ids renamed: 315 questions
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from clone import clone_catalogue

        root = clone_catalogue(tmp, 15)
    else:
        root = Path(shutil.copytree(ROOT / "tests" / "data" / name / "source", tmp / "source"))
    before = built(root)
    (tmp / "original.xml").write_bytes(before["questions.xml"])
    units = sorted(q.parent.name for q in root.glob("units/*/questions.yaml"))
    reimport(root, before, units, "questions.xml", tmp)
    (tmp / "rebuilt.xml").write_bytes(built(root)["questions.xml"])
    return tmp / "original.xml", tmp / "rebuilt.xml"


def stored(site: Path, original: Path, rebuilt: Path, fmt: str,
           left_out: frozenset[str] | set[str] = frozenset()) -> tuple[dict[str, Any],
                                                                    dict[str, Any]]:
    """What Moodle stores importing the original (in `fmt`) and coursepack's rebuilt Moodle XML:
    the original's questions (but those `left_out`, which the import reports), and the rebuilt
    file's same questions (not those coursepack makes from a unit's outline); both hold the
    same ids."""
    summary_a, first = import_and_dump(site, original, fmt)
    summary_b, second = import_and_dump(site, rebuilt, "xml")
    assert summary_a["ok"] and summary_b["ok"], (summary_a, summary_b)
    expected = {k: v for k, v in first.items() if k not in left_out}
    got = {k: v for k, v in second.items() if k in expected}
    assert sorted(got) == sorted(expected)
    return expected, got


@pytest.mark.skipif(not harnesses(), reason="no Moodle harness (../shared/moodle/README.md)")
@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("name", [*WRITTEN, "tricky", "media", "hostile", "bank"])
def test_a_file_and_its_import_store_the_same_questions(site: Path, name: str,
                                                        tmp_path: Path) -> None:
    expected, got = stored(site, *pair(name, tmp_path), "xml")  # none left out
    if name == "bank":
        assert len(expected) >= 300
    found = [d for ident in sorted(expected)
             for d in differences(normal(as_read(expected[ident])), normal(as_read(got[ident])),
                                  ident)]
    assert found == []  # every field of every question, its category's name included


def glossary_pair(tmp: Path) -> tuple[Path, Path]:
    """Moodle's own glossary export, and the same imported into a small source, then built."""
    original = REFERENCE.parent / "glossary.xml"
    root = Path(shutil.copytree(MINIMAL, tmp / "source"))
    code, output = run_import(str(original), "--into", str(root))
    assert code == 0, output
    catalogue = check_source(root).catalogue
    assert catalogue is not None
    (tmp / "rebuilt.xml").write_bytes(plan(catalogue, ["glossary"])["glossary.xml"])
    return original, tmp / "rebuilt.xml"


@pytest.mark.skipif(not harnesses(), reason="no Moodle harness (../shared/moodle/README.md)")
@pytest.mark.parametrize("site", SITES)
def test_a_glossary_and_its_import_store_the_same_entries(site: Path, tmp_path: Path) -> None:
    original, rebuilt = glossary_pair(tmp_path)
    dumps = []
    for path in (original, rebuilt):
        summary, dump = run_and_dump(site, "import-glossary.php", "dump-glossary.php",
                                     path.resolve(), "--dest=new")
        assert summary["ok"] and summary["rejections"] == [], summary
        dumps.append({c: {k: v for k, v in e.items() if k != "glossary"}  # its name: the source's
                      for c, e in dump.items()})
    first, second = dumps
    assert len(first) == 6 and first["Algorithm"]["tags"] == ["computing", "basics"]
    assert first["Café"]["categories"] == ["Biology", "Computing"]
    found = [d for concept in sorted(first)
             for d in differences(normal(first[concept]), normal(second.get(concept)), concept)]
    assert found == []


GIFTS = {"reference": REFERENCE.with_suffix(".gift"),
         "escapes": ROOT / "tests" / "data" / "import" / "escapes.gift"}
# Its image: a GIFT file carries no files, so the source refuses the question (test_import_gift).
GIFT_LEFT_OUT = {"ref-description"}
# What GIFT leaves unset (NULL) or at its reader's default and coursepack writes as Moodle's own
# form does, none of it in use: an essay's word limits and file types, a numerical question's
# unit penalty (it has no units), a description's penalty (0.3333333; a description is not
# marked); and categories below the unit's (nested names joined), reported.
GIFT_KNOWN = ("/category_name", "/options/minwordlimit", "/options/maxwordlimit",
              "/options/filetypeslist", "/options/unitpenalty", "esc-desc/penalty")


def shown(value: Any) -> Any:
    """A question Moodle stored as it shows it: each text as the HTML its format gives (an
    auto-format text's line breaks as <br>, a plain text escaped, Markdown rendered; Moodle
    renders Markdown with Markdown Extra, coursepack's renderer stands in for it here), a lone
    paragraph unwrapped, a matching answer's entities read (Moodle shows it through
    format_string), and no tolerance for the '*' answer."""
    if isinstance(value, list):
        return [shown(v) for v in value]
    if not isinstance(value, dict):
        return value
    found = {k: shown(v) for k, v in value.items()}
    for key, text in list(found.items()):
        fmt = found.get(f"{key}format")
        if isinstance(text, str) and fmt in ("0", "1", "2", "4"):
            found[key], found[f"{key}format"] = _as_html(text, fmt), "1"
    if isinstance(found.get("answertext"), str):
        found["answertext"] = html.unescape(found["answertext"])
    if found.get("answer") == "*" and "tolerance" in found:  # GIFT's '~' leaves it '', unused
        found["tolerance"] = "(any other answer)"
    return found


def _as_html(text: str, fmt: str) -> str:
    if fmt == "4":
        text = to_html(text)
    elif fmt == "0" and re.search(r"<[A-Za-z!/?]", text):
        text = text_to_html(text)
    elif fmt in ("0", "2") and text:
        text = "<p>" + html.escape(text, quote=False).replace("\n", "<br>\n") + "</p>"
    text = text.strip().replace("<br />", "<br>")
    lone = re.fullmatch(r"<p>(.*)</p>", text, re.S)
    return lone.group(1) if lone and "<p" not in lone.group(1) else text


def gift_pair(name: str, tmp: Path) -> tuple[Path, Path]:
    """A GIFT file of the corpus, and the same imported into a new unit of a small source, then
    built as Moodle XML. Both files are named .txt: Moodle takes a .gift file that holds a
    table for HTML, and its import page refuses it (coursepack's own GIFT files are .txt)."""
    original = tmp / f"{name}.gift.txt"
    shutil.copyfile(GIFTS[name], original)
    root = Path(shutil.copytree(MINIMAL, tmp / "source"))
    imported(root, original, "imp")
    (tmp / "rebuilt.xml").write_bytes(built(root)["imp/questions.xml"])
    return original, tmp / "rebuilt.xml"


@pytest.mark.skipif(not harnesses(), reason="no Moodle harness (../shared/moodle/README.md)")
@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("name", sorted(GIFTS))
def test_a_gift_file_and_its_import_store_the_same_questions(site: Path, name: str,
                                                             tmp_path: Path) -> None:
    expected, got = stored(site, *gift_pair(name, tmp_path), "gift", GIFT_LEFT_OUT)
    assert len(expected) == {"reference": 8, "escapes": 12}[name]
    found = [d for ident in sorted(expected)
             for d in differences(normal(shown(expected[ident])), normal(shown(got[ident])),
                                  ident)]
    assert [d for d in found if not any(k in d.split(":")[0] for k in GIFT_KNOWN)] == []
