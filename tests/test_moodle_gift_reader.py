"""Moodle's own GIFT reader (4.5 LTS and 5.1) and coursepack's read the same files alike, question
by question: made-up files mixing every escape, format, type and malformation (seeded), and the
GIFT files the other tests import. Nothing is saved in Moodle. Skipped where no Moodle harness is
set up (see ../shared/moodle/README.md)."""

from __future__ import annotations

import json
import os
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest

from coursepack.importers.giftkinds import read_answers
from coursepack.importers.giftparse import Parsed, Refused, read_question
from coursepack.importers.giftsrc import blocks, file_lines
from coursepack.importers.phptext import stored_number
from support.moodle import harnesses, site_params

ROOT = Path(__file__).parents[1]
PROBE = ROOT / "tests" / "support" / "gift-parse.php"
FILES = [ROOT.parent / "shared" / "moodle" / "reference" / "questions-all-types.gift",
         ROOT / "tests" / "data" / "import" / "escapes.gift"]
PIECES = [
    "::", "::N::", "{", "}", "=", "~", "#", "####", "->", " -> ", "%50%", "%-33.33333%", "%100%",
    "%--5%", "%5.5.5%", "\\:", "\\#", "\\=", "\\{", "\\}", "\\~", "\\\\", "\\n", "\\", "[html]",
    "[plain]", "[markdown]", "[moodle]", "[x]", "[", "]", "<b>", "</b>", "<p>", "T", "TRUE", "F",
    "FALSE", "1", "2.5", "..", ":", "0.1", "-3", "abc", " ", "\t", "\n", "\n\n", "\n0\n", "//c\n",
    "// [id:x\\]y] [tag:t1] [tag:]\n", "$CATEGORY: a//b/top/c\n", "é", "💡", "中",
    ">2 ALL VERTICAL ABS SHOW 123\n", ">3 RANDOM\nx\ny\nz", "&&058;", "&&092;", "&&010", "*",
    "\r\n", "\r", "0", "_"]
ORDER_CUT = "Ordering questions must have more than 2 answers."  # refused when Moodle saves it


def corpus(folder: Path, count: int = 400) -> list[Path]:
    rng = random.Random(20261207)
    paths = list(FILES)
    for n in range(count):
        path = folder / f"{n}.gift"
        path.write_bytes("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
                         .encode("utf-8"))
        paths.append(path)
    return paths


def ours(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """coursepack's reading of a file, in the probe's terms, and what it refuses."""
    text = text.removeprefix("\ufeff")
    found, refused = [], []
    for lines in blocks(text, file_lines(text)):
        try:
            q, block = read_question(lines)
            if q is not None and q.qtype != "category":
                read_answers(q, block)
        except Refused as exc:
            refused.append(str(exc))
            continue
        if q is not None:
            found.append(_as_moodle(q))
    return found, refused


def _as_moodle(q: Parsed) -> dict[str, Any]:
    if q.qtype == "category":
        return {"qtype": "category", "category": q.category}
    out: dict[str, Any] = {"qtype": q.qtype, "name": q.name, "idnumber": q.idnumber,
                           "tags": q.tags, "text": [q.text.text, q.text.format],
                           "general": [q.general.text, q.general.format]}
    if q.qtype in ("multichoice", "shortanswer", "numerical"):
        out["fraction"] = [a.fraction for a in q.answers]
        out["feedback"] = [[a.feedback.text, a.feedback.format] for a in q.answers]
        out["answer"] = {"multichoice": [[a.text.text, a.text.format] for a in q.answers],
                         "shortanswer": [a.text.text for a in q.answers],
                         "numerical": [a.value for a in q.answers]}[q.qtype]
    if q.qtype == "numerical":
        out["tolerance"] = [a.tolerance if a.value is not None else None for a in q.answers]
    if q.qtype == "multichoice":
        out["single"] = int(q.single)
    if q.qtype == "match":
        out["subquestions"] = [[t.text, t.format] for t, _, _ in q.pairs]
        out["subanswers"] = [answer for _, answer, _ in q.pairs]
    if q.qtype == "truefalse" and q.feedback_true and q.feedback_false:
        out.update(correctanswer=int(q.correct),
                   feedbacktrue=[q.feedback_true.text, q.feedback_true.format],
                   feedbackfalse=[q.feedback_false.text, q.feedback_false.format])
    if q.qtype == "ordering":
        out.update(answer=q.items, options=q.options)
    return out


_LAYOUTS, _SELECTS = ("vertical", "horizontal"), ("all", "random", "contiguous")
_GRADINGS = {-1: "all_or_nothing", 0: "absolute_position", 1: "relative_next_exclude_last",
             2: "relative_next_include_last", 3: "relative_one_previous_and_next",
             4: "relative_all_previous_and_next", 5: "longest_ordered_subset",
             6: "longest_contiguous_subset", 7: "relative_to_correct"}
_KEPT = {"multichoice": {"answer", "fraction", "feedback", "single"},
         "shortanswer": {"answer", "fraction", "feedback"},
         "numerical": {"answer", "fraction", "feedback", "tolerance"},
         "match": {"subquestions", "subanswers"},
         "truefalse": {"correctanswer", "feedbacktrue", "feedbackfalse"},
         "ordering": {"answer", "options"}}


def theirs(q: dict[str, Any]) -> dict[str, Any]:
    """Moodle's reading of a question, numbers as Moodle saves them."""
    if q["qtype"] == "category":
        return q
    if q["qtype"] in ("multichoice", "shortanswer", "numerical"):
        q["fraction"] = [float(f) for f in q["fraction"]]
    if q["qtype"] == "numerical":
        q["answer"] = [None if a == "*" else stored_number(float(a)) for a in q["answer"]]
        q["tolerance"] = [None if a is None else stored_number(float(t))
                          for a, t in zip(q["answer"], q["tolerance"], strict=True)]
    if q["qtype"] == "ordering":
        q["options"] = {"select_count": q["selectcount"], "select": _SELECTS[q["selecttype"]],
                        "layout": _LAYOUTS[q["layouttype"]],
                        "grading": _GRADINGS[q["gradingtype"]], "show_grading": q["showgrading"],
                        "numbering": q["numberingstyle"]}
    keep = {"qtype", "name", "idnumber", "tags", "text", "general"} | _KEPT.get(q["qtype"], set())
    return {k: v for k, v in q.items() if k in keep}


def disagreement(path: Path, result: dict[str, Any]) -> str | None:
    mine, refused = ours(path.read_bytes().decode("utf-8"))
    if result["exception"]:  # Moodle's import stops (a PHP TypeError): we refuse a question
        return None if refused else f"{path.name}: Moodle fails ({result['exception']})"
    # a question whose text Moodle would cut inside a character: its database refuses it
    cut = [q for q in result["questions"] if "\ufffd" in json.dumps(q, ensure_ascii=False)]
    kept = [q for q in result["questions"] if q not in cut]
    moodle = [theirs(q) for q in kept
              if not (q["qtype"] == "ordering" and len(q["answer"]) < 2)]
    errors = result["errors"] + len(cut)
    if len(refused) - refused.count(ORDER_CUT) != errors or mine != moodle:
        return f"{path.name}: Moodle {errors} errors, {moodle}; coursepack {refused}, {mine}"
    return None


@pytest.mark.skipif(not harnesses(), reason="no Moodle harness (../shared/moodle/README.md)")
@pytest.mark.parametrize("site", site_params())
def test_coursepack_reads_gift_files_as_moodle_does(site: Path, tmp_path: Path) -> None:
    paths = corpus(tmp_path)
    done = subprocess.run(["php", str(PROBE)], input=json.dumps([str(p) for p in paths]),
                          capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, "MOODLE_HARNESS": str(site)})
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)
    assert len(results) == len(paths)
    assert sum(len(r["questions"]) for r in results) > 300  # the corpus is not all refusals
    found = [d for path, result in zip(paths, results, strict=True)
             if (d := disagreement(path, result)) is not None]
    assert found == []
