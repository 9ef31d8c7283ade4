"""The fast schema check (jsonschema-rs) and the reporting one (jsonschema) always agree."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursepack import schemas
from coursepack.yamlload import load

ROOT = Path(__file__).resolve().parent.parent
FILES = {"course": ["source/course.yaml"], "glossary": ["source/glossary.yaml"],
         "unit": ["source/units/nocn-l2/unit.yaml"],
         "questions": ["source/units/nocn-l2/questions.yaml", "tests/data/tricky/source/units/"
                       "t1/questions.yaml", "tests/data/hostile/source/units/h1/questions.yaml"],
         "lesson": ["source/units/nocn-l2/lesson.yaml"]}
EXAMPLES = int(os.environ.get("COURSEPACK_FUZZ_EXAMPLES", "60"))
CASES = [(kind, path) for kind, paths in FILES.items() for path in paths]
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.sampled_from(["", " ", "a\n", "x\n", "true", "1.0", "-33.33333",
                                             "multichoice", "next", "u1-q01", "abc\n"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=3), max_leaves=6)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _paths(value, (*path, i))
    return found


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


@pytest.mark.parametrize(("kind", "path"), CASES)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_and_full_validators_agree(kind: str, path: str, data: st.DataObject) -> None:
    doc = load(ROOT / path, path)
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(_paths(doc.data)))
        doc.data = _set(copy.deepcopy(doc.data), where, data.draw(VALUES))
    fast = schemas._fast(kind).is_valid(doc.data)
    full = not list(schemas._validator(kind).iter_errors(doc.data))
    assert fast == full


BLANKISH = ["\x1c", "\x1f", "\x85", "\ufeff", " \u3000\t", "a\x1f", "\ufeffé"]


@pytest.mark.parametrize("name", BLANKISH)
def test_the_validators_agree_on_what_is_blank(name: str) -> None:
    """Python, Rust and ECMAScript (editors) disagree on what \\s holds: no pattern leans on it."""
    path = "source/units/nocn-l2/questions.yaml"
    doc = load(ROOT / path, path)
    doc.data["questions"][0]["name"] = name
    fast = schemas._fast("questions").is_valid(doc.data)
    full = not list(schemas._validator("questions").iter_errors(doc.data))
    assert fast == full == (name in ("a\x1f", "\ufeffé"))
