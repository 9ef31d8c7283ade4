"""Diagnostic helpers: quoting user values and bounded did-you-mean hints."""

from __future__ import annotations

from coursepack.diagnostics import Hints, quote


def test_hint_names_the_closest_candidate() -> None:
    hints = Hints()
    assert hints("glosary.yaml", ["course.yaml", "glossary.yaml", "units"]) == \
        "; did you mean 'glossary.yaml'?"
    assert hints("zzz", ["course.yaml"]) == ""
    assert hints("x", []) == ""


def test_hints_stop_when_the_budget_is_spent() -> None:
    # A flood of unknown references must not cost (references x candidates) comparisons.
    known = [f"page-{n}" for n in range(1000)]
    hints = Hints(budget=2500)
    found = [hints(f"page-{n}x", known) for n in range(5)]
    assert found[:2] == ["; did you mean 'page-0'?", "; did you mean 'page-1'?"]
    assert found[2:] == ["", "", ""]
    # What is left still pays for hints among a few candidates.
    assert hints("glosary", ["glossary"]) == "; did you mean 'glossary'?"


def test_hint_candidates_are_quoted_on_one_line() -> None:
    assert Hints()("a\nb", ["a\nb"]) == f"; did you mean {quote('a' + chr(10) + 'b')}?"
    assert "\n" not in quote("a\nb")
