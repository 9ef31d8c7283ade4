"""The themed sections of a unit's backup: what each holds and what it tells the learner."""

from __future__ import annotations

from html import escape

from ...model import Unit
from .parts import Part
from .quiz import ATTEMPTS

# Section order and names; a theme without activities gets no section.
THEMES = {"learn": "Learn", "practise": "Practise", "check": "Check your understanding",
          "written": "Written answers"}


def _learn(unit: Unit, parts: list[Part]) -> str:
    outcomes = "".join(f"<li>{escape(o.statement, quote=False)}</li>" for o in unit.outcomes)
    what = "the guide" if len(parts) == 1 else "the guide, with the key terms beside it"
    return (f"<p>Start here: read {what}. By the end of this unit you will:</p>"
            f"<ol>{outcomes}</ol>")


def _practise(parts: list[Part]) -> str:
    says = {"lesson": "The guided lesson teaches in short steps and asks as it goes; after a "
                      "wrong answer it shows why and lets you try again.",
            "scorm": "The interactive revision module sums the unit up and ends with a "
                     "self-check; it remembers where you stopped."}
    return "".join(f"<p>{says[p.modulename]}</p>" for p in parts if p.modulename in says)


def _check(unit: Unit) -> str:
    return (f"<p>The quiz is marked as you answer. Reach {unit.mastery_score}% to pass the "
            f"unit; you have {ATTEMPTS} attempts and your highest grade counts.</p>")


def _written(counted: bool) -> str:
    weight = ("They count towards your course grade." if counted else
              "They do not count towards your grade, and nothing waits for them.")
    return (f"<p>Questions your teacher reads and marks, with feedback. {weight}</p>")


def theme_section(theme: str, unit: Unit, parts: list[Part], counted: bool) -> tuple[str, str]:
    """The section's name and its summary (HTML) for a theme of the unit."""
    summary = {"learn": lambda: _learn(unit, parts), "practise": lambda: _practise(parts),
               "check": lambda: _check(unit), "written": lambda: _written(counted)}[theme]()
    return THEMES[theme], summary
