"""Round trip through real Moodle (4.5 LTS and 5.1): a Moodle XML file imported into Moodle as it
is, and imported into coursepack then built, store the same questions, field by field.

Skipped where no Moodle harness is set up (see ../shared/moodle/README.md).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from coursepack.build import plan
from coursepack.cli import main
from coursepack.runs import check_source
from support.moodle import harnesses, import_and_dump, site_params

ROOT = Path(__file__).parents[1]
MINIMAL = ROOT / "tests" / "data" / "minimal" / "source"
REFERENCE = ROOT.parent / "shared" / "moodle" / "reference" / "questions-all-types.xml"
SITES = site_params()
# What coursepack reports and leaves out of this file (tested in test_import.py): two types,
# the numerical question's units and its '*' answer.
LEFT_OUT = {"ref-ddwtos", "ref-description"}


def normal(value: Any) -> Any:
    """A stored value as it reads: white space between HTML blocks and runs of spaces made one,
    rows keyed by database id in id order, the ids themselves left out, and a plain-text answer
    as the paragraph coursepack writes it (a plain answer becomes Markdown, which renders as
    one: Moodle shows the same words)."""
    if isinstance(value, str):
        return re.sub(r">\s+<", "><", " ".join(value.split()))
    if isinstance(value, list):
        return [normal(v) for v in value]
    if not isinstance(value, dict):
        return value
    if value and all(isinstance(k, str) and k.isdigit() for k in value):
        return [normal(value[k]) for k in sorted(value, key=int)]
    found = {k: normal(v) for k, v in value.items() if k not in IDS}
    if found.get("answerformat") == "2":
        found["answer"] = f"<p>{html.escape(found['answer'], quote=False)}</p>"
        found["answerformat"] = "1"
    return found


IDS = {"trueanswer", "falseanswer"}  # database ids of the question's own answers
# What coursepack reports when it imports this file, and so stores otherwise (test_import.py):
# categories go below the unit's own (nested names joined), a numerical question's units and
# its '*' answer, and Moodle's standard instruction above multichoice answers.
KNOWN = ("/category_name", "ref-num/options/units", "ref-num/options/showunits",
         "ref-num/options/unitgradingtype", "ref-num/options/answers",
         "ref-mc-multi/options/showstandardinstruction",
         "ref-mc-single/options/showstandardinstruction")


def differences(a: Any, b: Any, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str)
                for d in differences(a.get(k), b.get(k), f"{where}/{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in differences(x, y, f"{where}/{i}")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def rebuilt(tmp: Path, original: Path) -> Path:
    """The file imported into a unit of a fresh source, then built as Moodle XML."""
    root = Path(shutil.copytree(MINIMAL, tmp / "source"))
    result = CliRunner().invoke(main, ["import", str(original), "--unit", "imp", "--into",
                                       str(root)])
    assert result.exit_code == 0, result.output
    catalogue = check_source(root).catalogue
    assert catalogue is not None
    path = tmp / "rebuilt.xml"
    path.write_bytes(plan(catalogue, ["moodle-xml"])["imp/questions.xml"])
    return path


@pytest.mark.skipif(not harnesses(), reason="no Moodle harness (../shared/moodle/README.md)")
@pytest.mark.parametrize("site", SITES)
def test_moodles_export_and_its_import_store_the_same_questions(site: Path,
                                                                tmp_path: Path) -> None:
    summary_a, first = import_and_dump(site, REFERENCE, "xml")
    summary_b, second = import_and_dump(site, rebuilt(tmp_path, REFERENCE), "xml")
    assert summary_a["ok"] and summary_b["ok"], (summary_a, summary_b)
    expected = {k: v for k, v in first.items() if k not in LEFT_OUT}
    got = {k: v for k, v in second.items() if k in expected}
    assert sorted(got) == sorted(expected)
    found = [d for ident in sorted(expected)
             for d in differences(normal(expected[ident]), normal(got[ident]), ident)]
    assert [d for d in found if not any(k in d.split(":")[0] for k in KNOWN)] == []
    assert any("ref-num/options/units" in d for d in found)  # the known ones are seen
