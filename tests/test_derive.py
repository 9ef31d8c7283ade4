"""Derived questions: key-term prompts never name the term they ask for, and stay short."""

from __future__ import annotations

from pathlib import Path

from coursepack.derive import MASK, PROMPT_LIMIT, prompt
from coursepack.markup import to_plain
from coursepack.model import Matching, Term
from coursepack.source import read_source

ROOT = Path(__file__).resolve().parent.parent


def test_a_prompt_masks_the_term_and_its_aliases() -> None:
    term = Term("nps", "Net Promoter Score", "The **Net Promoter Score** (NPS) asks how likely a "
                "customer is to recommend you; nps ranges from -100 to 100. A second sentence.",
                aliases=("NPS",))
    assert to_plain(prompt(term)) == (f"The {MASK} ({MASK}) asks how likely a customer is to "
                                      f"recommend you; {MASK} ranges from -100 to 100.")


def test_seed_prompts_never_name_their_term_and_are_short() -> None:
    catalogue = read_source(ROOT / "source").catalogue
    assert catalogue is not None
    for unit in catalogue.units:
        for q in unit.derived:
            if not isinstance(q, Matching):
                continue
            for pair in q.pairs:
                shown = to_plain(pair.question).casefold()
                term = next(t for t in catalogue.terms if t.term == pair.answer)
                assert len(shown) <= PROMPT_LIMIT
                assert all(name.casefold() not in shown for name in (term.term, *term.aliases))


def test_a_list_lead_in_is_the_prompt_and_the_list_is_not() -> None:
    term = Term("last", "LAST (Listen, Apologise, Solve, Thank)", "A simple four-step model for "
                "handling complaints:\n\n- **Listen** – let the customer explain.\n- **Apologise** "
                "– say sorry.\n\nFollowing up afterwards shows commitment.", aliases=("LAST",))
    assert to_plain(prompt(term)) == "A simple four-step model for handling complaints."
