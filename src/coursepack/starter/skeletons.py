"""`coursepack new`: a unit or a question to fill in, in house style, whose placeholders
`validate` reports as errors until they are replaced (so a skeleton is never deployed)."""

from __future__ import annotations

import re
from pathlib import Path

from ..checks import PLACEHOLDER
from ..output import BuildError
from . import schema_ref, write_whole

FILL = f'"{PLACEHOLDER}: {{}}]"'  # a placeholder in YAML: validate refuses text holding one

_UNIT = """\
# yaml-language-server: $schema={schema}
id: {id}
title: {fill_title}
assessment_route: vocational        # end-point-assessment | occupational | qcf | vocational
subject_area: {fill_subject}
synopsis: {fill_synopsis}
learning_outcomes:
  - id: {id}-lo1
    statement: {fill_statement}
    criteria:
      - id: {id}-ac1-1
        text: {fill_criterion}
"""

# Each type's keys after id and type, at the indentation of a question's keys.
_QUESTIONS = {
    "multichoice": "text: {q}\nanswers:\n  - {{text: {right}, correct: true}}\n"
                   "  - {{text: {wrong}}}\n",
    "truefalse": "text: {statement}\ncorrect: true\n",
    "shortanswer": "text: {q}\nanswers:\n  - {{text: {right}, correct: true}}\n",
    "numerical": "text: {q}\nanswers:\n  - {{value: 0, tolerance: 0, correct: true}}\n",
    "matching": "text: {q}\npairs:\n" + "".join(
        f"  - {{{{question: {FILL.format(f'item {n}')}, answer: {FILL.format(f'match {n}')}}}}}\n"
        for n in (1, 2, 3)),
    "essay": "text: {q}\ngrader_info: {guide}\n",
    "ordering": "text: {q}\nitems: [" + ", ".join(FILL.format(f"step {n}") for n in (1, 2, 3))
                + "]\n",
    "gapselect": "text: {gapped}\nchoices:\n  - {{text: {right}, group: 1}}\n"
                 "  - {{text: {wrong}, group: 1}}\n",
    "ddwtos": "text: {gapped}\nchoices:\n  - {{text: {right}, group: 1}}\n"
              "  - {{text: {wrong}, group: 1}}\n",
    "cloze": 'text: "[fill in: text with a gap] {{{{g1}}}}"\ngaps:\n  - id: g1\n'
             "    type: shortanswer\n    answers: [{{text: {right}, correct: true}}]\n",
    "description": "text: {info}\n",
}
TYPES = tuple(_QUESTIONS)
_WORDS = {"q": FILL.format("the question"), "right": FILL.format("the right answer"),
          "wrong": FILL.format("a wrong answer"), "statement": FILL.format("a true statement"),
          "guide": FILL.format("what earns the marks"), "info": FILL.format("the information"),
          "gapped": '"[fill in: text with its gap] [[1]]"'}


def new_unit(root: Path, unit: str) -> list[Path]:
    """A unit to fill in: units/<unit>/unit.yaml, and `unit` added to course.yaml's units."""
    from ..importers.run import course_with_unit

    folder = root / "units" / unit
    if folder.exists():
        raise BuildError(f"{folder} exists already: a new unit needs a new id", "new-exists",
                         usage=True)
    if not (root / "course.yaml").is_file():
        raise BuildError(f"{root} holds no course.yaml: name the source folder (--into)",
                         "new-no-source", usage=True)
    fills = {f"fill_{key}": FILL.format(text) for key, text in (
        ("title", "the unit's title"), ("subject", "the subject area"),
        ("synopsis", "what the unit is about"), ("statement", "a learning outcome"),
        ("criterion", "an assessment criterion"))}
    text = _UNIT.format(schema=schema_ref(root, folder / "unit.yaml", "unit.schema.json"),
                        id=unit, **fills)
    course = course_with_unit(root / "course.yaml", unit)
    return [write_whole(folder / "unit.yaml", text.encode("utf-8")),
            write_whole(root / "course.yaml", course)]


def new_question(root: Path, unit: str, qtype: str) -> tuple[Path, str]:
    """A question of `qtype` to fill in, added at the end of the unit's questions.yaml (made
    when missing); its id: `<unit>-q<next number>`."""
    folder = root / "units" / unit
    if not (folder / "unit.yaml").is_file():
        raise BuildError(f"{folder} holds no unit.yaml: make the unit first (coursepack new "
                         f"unit {unit})", "new-no-unit", usage=True)
    path = folder / "questions.yaml"
    text = path.read_text("utf-8") if path.exists() else (
        f"# yaml-language-server: $schema="
        f"{schema_ref(root, path, 'questions.schema.json')}\nquestions:\n")
    taken = {int(n) for n in re.findall(rf"\bid:\s*{re.escape(unit)}-q(\d+)\b", text)}
    ident = f"{unit}-q{max(taken, default=0) + 1:02d}"
    body = _QUESTIONS[qtype].format(**_WORDS)
    item = f"  - id: {ident}\n    type: {qtype}\n" + "".join(
        f"    {line}\n" for line in body.splitlines())
    if not re.search(r"^questions:[ \t]*(#.*)?$", text, re.M):
        raise BuildError(f"{path}: its questions are not written as a block list; add the "
                         "question yourself", "new-refused", usage=True)
    return write_whole(path, (text.rstrip("\n") + "\n" + item).encode("utf-8")), ident
