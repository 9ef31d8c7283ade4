"""Property-based fuzzing: mutated copies of the sources keep the command line's contract."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from support.contract import Outcome, check_tree
from support.mutate import FAMILIES, DataChooser, mutate_tree, pick

MINIMAL = Path(__file__).parent / "data" / "minimal" / "source"
SEED = Path(__file__).parents[1] / "source"
EXAMPLES = int(os.environ.get("COURSEPACK_FUZZ_EXAMPLES", "60"))
TIMEOUT = float(os.environ.get("COURSEPACK_FUZZ_TIMEOUT", "60"))
SCHEMA_AWARE = ("data-schema-value", "data-inject", "data-list-edit", "data-retarget",
                "data-change-type", "data-graft")
SLOW = 10.0  # seconds in the CLI for one case: recorded as an event, never skipped

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much, HealthCheck.large_base_example],
)


def fuzz(source: Path, data: st.DataObject, families: Sequence[str] = FAMILIES,
         max_mutations: int = 3) -> Outcome:
    """Copy `source`, apply 1..max_mutations drawn mutations, check the contract on it."""
    chooser = DataChooser(data)
    with tempfile.TemporaryDirectory(prefix="coursepack-fuzz-") as tmp:
        work = Path(tmp)
        shutil.copytree(source, work / "source", symlinks=True)
        count = chooser.integer(1, max_mutations)
        for description in mutate_tree(work / "source", chooser, count, families):
            note(description)
        inside = sorted(str(p.relative_to(work)) for p in (work / "source").rglob("*"))
        file_args = [pick(chooser, inside)] if inside else []
        note(f"validate {file_args}")
        outcome = check_tree(work, timeout=TIMEOUT, file_args=file_args)
    event(f"validate exit {outcome.validate_exit}")
    event("built" if outcome.built else "not built")
    if outcome.seconds > SLOW:
        event(f"slow case (over {SLOW:g}s in the CLI)")
    note("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in outcome.timings.items()))
    for failure in outcome.failures:
        if not failure.hard:
            event(f"soft: {failure.key}")
    assert not outcome.hard, outcome.report()
    return outcome


@pytest.mark.parametrize("source", [MINIMAL, SEED], ids=["minimal", "seed"])
def test_unmutated_sources_validate_and_build(source: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="coursepack-fuzz-") as tmp:
        shutil.copytree(source, Path(tmp) / "source", symlinks=True)
        outcome = check_tree(Path(tmp), timeout=TIMEOUT)
    assert not outcome.failures, outcome.report()
    assert outcome.validate_exit == 0
    assert outcome.built


@FUZZ
@given(data=st.data())
def test_mutated_minimal_source_keeps_the_contract(data: st.DataObject) -> None:
    fuzz(MINIMAL, data)


@FUZZ
@given(data=st.data())
def test_mutated_seed_source_keeps_the_contract(data: st.DataObject) -> None:
    fuzz(SEED, data)


@FUZZ
@given(data=st.data())
def test_schema_aware_edits_that_validate_also_build(data: st.DataObject) -> None:
    # Data-level edits keep the YAML loadable and often schema-valid, so more cases reach build.
    fuzz(MINIMAL, data, families=SCHEMA_AWARE)


@FUZZ
@given(data=st.data())
def test_file_and_yaml_edits_of_the_seed_keep_the_contract(data: st.DataObject) -> None:
    fuzz(SEED, data, families=("file", "yaml"), max_mutations=2)
