"""GIFT files read back by an independent parser (npm gift-pegjs) hold exactly the model."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from coursepack import model as m
from coursepack.build import plan
from coursepack.limitcheck import check
from coursepack.markup import plain_html, to_html
from coursepack.source import read_source
from coursepack.writers.gift import FILENAME, escape, problems
from coursepack.writers.qbank import bank

ROOT = Path(__file__).resolve().parent.parent
PARSER = ROOT / "tests" / "support" / "giftparse.js"
SOURCES = {"seed": ROOT / "source", "tricky": ROOT / "tests" / "data" / "tricky" / "source",
           "minimal": ROOT / "tests" / "data" / "minimal" / "source"}
needs_node = pytest.mark.skipif(
    not shutil.which("node") or not (ROOT / "node_modules" / "gift-pegjs").exists(),
    reason="gift-pegjs is not installed (run scripts/test.sh, which runs npm ci)")


def h(text: str | None) -> str | None:
    return to_html(text) if text else None


def parse(data: bytes, tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "q.gift"
    path.write_bytes(data)
    out = subprocess.run(["node", str(PARSER), str(path)], capture_output=True, text=True,
                         check=False)
    parsed = json.loads(out.stdout)
    assert out.returncode == 0, parsed
    return list(parsed)


def _text(node: dict[str, Any] | None) -> str | None:
    return None if node is None else node["text"]


def _choices(q: m.MultiChoice) -> list[tuple[Any, ...]]:
    def weight(grade: float) -> float | None:
        return None if (q.single and grade == 100) or grade == 0 else grade
    return [(to_html(a.text), weight(a.grade), h(a.feedback)) for a in q.answers]


def expected(q: m.Question) -> dict[str, Any]:
    """What gift-pegjs must report for a question, in its own vocabulary."""
    out: dict[str, Any] = {"id": q.id, "title": q.name, "stem": to_html(q.text),
                           "globalFeedback": h(q.general_feedback)}
    if isinstance(q, m.MultiChoice):
        out |= {"type": "MC", "choices": _choices(q)}
    elif isinstance(q, m.TrueFalse):
        wrong, right = ((q.feedback_false, q.feedback_true) if q.correct
                        else (q.feedback_true, q.feedback_false))
        out |= {"type": "TF", "isTrue": q.correct, "first": h(wrong), "second": h(right)}
    elif isinstance(q, m.ShortAnswer):
        out |= {"type": "Short", "choices": [(a.text, a.grade, h(a.feedback)) for a in q.answers]}
    elif isinstance(q, m.Numerical):
        out |= {"type": "Numerical",
                "choices": [("*" if a.value is None else a.value, a.tolerance, a.grade,
                             h(a.feedback)) for a in q.answers]}
    elif isinstance(q, m.Matching):
        pairs = [(to_html(p.question), plain_html(p.answer)) for p in q.pairs]
        out |= {"type": "Matching",
                "pairs": pairs + [("", plain_html(d)) for d in q.distractors]}
    elif isinstance(q, m.Essay):
        out |= {"type": "Essay"}
    elif isinstance(q, m.Description):
        out |= {"type": "Description"}
    elif isinstance(q, m.Ordering):
        head = (f">{q.select_count} {q.select.upper()} {q.layout.upper()} {q.grading.upper()} "
                f"{'SHOW' if q.show_grading else 'HIDE'} {q.numbering}")
        items = "\n".join(html.escape(i, quote=False) for i in q.items)
        out |= {"type": "Short", "globalFeedback": None, "ordering": f"{head}\n{items}"}
    return out


_PLACEHOLDERS = {"&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{", "&&125;": "}",
                 "&&126;": "~", "&&092;": "\\"}


def _placeholders(text: str) -> str:
    """gift-pegjs leaves Moodle's escape placeholders in matching answers; undo them."""
    for run, char in _PLACEHOLDERS.items():
        text = text.replace(run, char)
    return text


def observed(p: dict[str, Any]) -> dict[str, Any]:
    """The same view of a gift-pegjs question."""
    out: dict[str, Any] = {"id": p.get("id"), "title": p["title"], "stem": p["stem"]["text"],
                           "globalFeedback": _text(p.get("globalFeedback")), "type": p["type"]}
    kind = p["type"]
    if kind == "MC":
        out["choices"] = [(c["text"]["text"], c["weight"], _text(c["feedback"]))
                          for c in p["choices"]]
    elif kind == "TF":
        out |= {"isTrue": p["isTrue"], "first": _text(p["trueFeedback"]),
                "second": _text(p["falseFeedback"])}
    elif kind == "Short" and p["choices"][0]["text"]["text"].startswith(">"):
        out["ordering"] = p["choices"][0]["text"]["text"]
    elif kind == "Short":
        out["choices"] = [(c["text"]["text"], c["weight"], _text(c["feedback"]))
                          for c in p["choices"]]
    elif kind == "Numerical":
        out["choices"] = [(c["text"]["number"], c["text"]["range"], c["weight"],  # '*': '~'
                           _text(c["feedback"])) if "number" in c["text"] else
                          (c["text"]["text"], 0, c["weight"] or 0, _text(c["feedback"]))
                          for c in p["choices"]]
    elif kind == "Matching":
        out["pairs"] = [(s["subquestion"]["text"], _placeholders(s["subanswer"]))
                        for s in p["matchPairs"]]
    return out


@needs_node
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_gift_file_reads_back_exactly(name: str, tmp_path: Path) -> None:
    catalogue = read_source(SOURCES[name]).catalogue
    assert catalogue is not None
    files = plan(catalogue, ["gift"])
    for unit in catalogue.units:
        parsed = parse(files[f"{unit.id}/{FILENAME}"], tmp_path)
        categories = list(bank(catalogue, (unit,)))
        assert [p["title"] for p in parsed if p["type"] == "Category"] == [
            c.moodle_path() for c in categories]
        questions = [q for c in categories for q in c.questions if not problems(q)]
        got = [observed(p) for p in parsed if p["type"] != "Category"]
        assert got == [expected(q) for q in questions]
        tagged = [(p.get("tags") or [], list(q.tags)) for p, q in zip(
            [p for p in parsed if p["type"] != "Category"], questions, strict=True)]
        assert all(seen == want for seen, want in tagged if not any("]" in t for t in want))


def test_the_course_file_holds_every_unit(tmp_path: Path) -> None:
    catalogue = read_source(SOURCES["seed"]).catalogue
    assert catalogue is not None
    files = plan(catalogue, ["gift"])
    whole = files[FILENAME].decode()
    for unit in catalogue.units:
        body = files[f"{unit.id}/{FILENAME}"].decode()
        assert body.split("\n", 2)[2] in whole


def test_left_out_questions_are_named_in_warnings() -> None:
    catalogue = read_source(SOURCES["tricky"]).catalogue
    assert catalogue is not None
    found = {(w.message.split("'")[1], w.code) for w in check(catalogue, ["gift"])}
    # t1-ac1-essay is derived from a criterion whose text holds '&&058;', which GIFT cannot
    # carry in the question's name.
    assert found == {("t1-sa-placeholder", "gift-omitted"), ("t1-gap", "gift-omitted"),
                     ("t1-cloze", "gift-omitted"), ("t1-order-special", "gift-omitted"),
                     ("t1-ac1-essay", "gift-omitted"), ("t1-ddwtos", "gift-omitted"),
                     ("t1-num-units", "gift-omitted"), ("t1-num-optional", "gift-omitted")}


@pytest.mark.parametrize(("raw", "escaped"), [
    ("a~b=c#d{e}f:g\\h", "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h"),
    ("line\nnext", "line\\nnext"),
    ("[ ] & < > 💡", "[ ] & < > 💡"),
])
def test_escape(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped
