"""Moodle's question engine as a judge of marks: a source of questions built to questions.xml,
and responses graded by grade-responses.php on a Moodle site."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from coursepack.build import build
from coursepack.model import Catalogue
from coursepack.source import read_source

TESTS = Path(__file__).resolve().parents[1]
PROBE = TESTS / "support" / "grade-responses.php"
MINIMAL = TESTS / "data" / "minimal" / "source"


def question_source(folder: Path, questions: str) -> Catalogue:
    """The minimal source in `folder`/source with these questions (YAML), built to
    `folder`/build/questions.xml; its model."""
    shutil.copytree(MINIMAL, folder / "source")
    (folder / "source" / "units" / "u1" / "questions.yaml").write_text(questions, "utf-8")
    catalogue = read_source(folder / "source").catalogue
    assert catalogue is not None
    build(catalogue, ["moodle-xml"], folder / "build")
    return catalogue


def moodle_grade(site: Path, xml: Path, responses: list[dict[str, Any]]) -> dict[str, Any]:
    """Moodle's grades for the responses to the questions in `xml` (grade-responses.php)."""
    path = xml.with_name("responses.json")
    path.write_text(json.dumps(responses, ensure_ascii=False), "utf-8")
    done = subprocess.run(["php", str(PROBE), str(xml), str(path)],
                          capture_output=True, text=True, timeout=900, check=False,
                          env={**os.environ, "MOODLE_HARNESS": str(site)})
    result: dict[str, Any] = json.loads(done.stdout)
    assert done.returncode == 0 and result["ok"], (result.get("exception"), done.stderr[-3000:])
    assert result["course"].get("deleted"), result["course"]
    return result


def shown(x: float) -> str:
    """A mark as the page shows it: two decimals at most, no trailing zeros."""
    return f"{x:.2f}".rstrip("0").rstrip(".")
