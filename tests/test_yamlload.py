"""The YAML loader keeps positions, reads YAML 1.2 booleans and refuses what it cannot trust."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from coursepack import checks
from coursepack.yamlload import Document, Mark, YamlError, loads


def load(text: str | bytes):  # type: ignore[no-untyped-def]
    raw = text.encode() if isinstance(text, str) else text
    return loads(raw, Path("f.yaml"), "f.yaml")


def test_positions_of_values_and_keys() -> None:
    doc = load("a: 1\nlist:\n  - x: hello\n    y: [1, 2]\n")
    assert doc.marks[("a",)] == Mark(1, 4)
    assert doc.marks[("list", 0, "x")] == Mark(3, 8)
    assert doc.marks[("list", 0, "y", 1)] == Mark(4, 12)
    assert doc.key_marks[("list", 0, "y")] == Mark(4, 5)
    assert doc.mark(("list", 0, "missing")) == Mark(3, 5)


def test_only_true_and_false_are_booleans() -> None:
    doc = load("a: no\nb: yes\nc: on\nd: true\ne: False\n")
    assert doc.data == {"a": "no", "b": "yes", "c": "on", "d": True, "e": False}


def test_dates_stay_text_and_numbers_stay_numbers() -> None:
    doc = load("d: 2025-01-31\nn: 12\nf: 0.5\nz: ~\n")
    assert doc.data == {"d": "2025-01-31", "n": 12, "f": 0.5, "z": None}


def test_unicode_survives() -> None:
    doc = load("t: \"‘quoted’ 💡 ŵŷ مرحبا\"\n")
    assert doc.data["t"] == "‘quoted’ 💡 ŵŷ مرحبا"


def test_byte_order_mark_is_accepted() -> None:
    assert load(b"\xef\xbb\xbfa: 1\n").data == {"a": 1}


@pytest.mark.parametrize(("text", "code", "line"), [
    ("a: 1\na: 2\n", "duplicate-key", 2),
    ("", "empty-file", 1),
    ("# nothing\n", "empty-file", 1),
    ("a: [1, 2\n", "yaml-syntax", 2),
    ("a: 1\n---\nb: 2\n", "yaml-syntax", 2),
    ("a: &x [*x]\n", "yaml-recursion", 1),
    ("? [1, 2]\n: v\n", "yaml-key", 1),
    (b"a: \x00\n", "not-text", 1),
    (b"a: 1\nb: \xff\n", "encoding", 2),
])
def test_refusals(text: str | bytes, code: str, line: int) -> None:
    with pytest.raises(YamlError) as caught:
        load(text)
    assert caught.value.diagnostic.code == code
    assert caught.value.diagnostic.line == line


def test_merge_keys_work() -> None:
    doc = load("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert doc.data["other"] == {"x": 1, "y": 2}


def _error(text: str | bytes) -> tuple[str, int, int]:
    with pytest.raises(YamlError) as caught:
        load(text)
    d = caught.value.diagnostic
    return d.code, d.line, d.col


def test_node_count_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from coursepack import yamlload

    monkeypatch.setattr(yamlload, "MAX_NODES", 1000)
    assert _error("a: [" + ", ".join(["0"] * 999) + "]\n") == ("yaml-too-large", 1, 2999)
    assert load("a: [" + ", ".join(["0"] * 998) + "]\n").data["a"][-1] == 0


def test_limits_are_located_errors() -> None:
    from coursepack import yamlload

    assert _error(b"a: " + b"x" * (yamlload.MAX_FILE_BYTES)) == ("file-too-large", 1, 1)
    assert _error("a: b\nc: " + "x" * (yamlload.MAX_TEXT + 1)) == ("text-too-long", 2, 4)
    wide = "[" + ", ".join(["0"] * 1000) + "]"
    many = "a: &a " + wide + "\nb: [" + ", ".join(["*a"] * 101) + "]\n"
    assert _error(many)[0] == "yaml-alias-limit"
    assert _error("a: " + "[" * 65 + "]" * 65) == ("yaml-too-deep", 1, 68)


def test_a_value_exactly_at_each_limit_loads() -> None:
    from coursepack import yamlload

    assert len(load("a: " + "x" * yamlload.MAX_TEXT).data["a"]) == yamlload.MAX_TEXT
    assert load("a: " + "[" * 63 + "]" * 63).data["a"] is not None


@pytest.mark.parametrize(("text", "code"), [
    ("a: !!float x", "yaml-value"), ("a: !!int x", "yaml-value"), ("<<: x", "yaml-merge"),
    ("a: 1" + "0" * 400, "yaml-value"), ("a: -1.0e+16", "yaml-value"),
    ("a: !!binary aGk=", "yaml-tag"), ("a: !!timestamp 2020-01-01", "yaml-tag"),
    ("a: !custom x", "yaml-tag"), ("a: .nan", "yaml-value"), ("a: !!float 1e999", "yaml-value"),
    ('a: "x\\x01"', "bad-character"), ('a: "\\uFFFE"', "bad-character"),
    ("a: &x [*x]", "yaml-recursion"), ("? [a]\n: b", "yaml-key"),
])
def test_hostile_scalars_are_located_errors(text: str, code: str) -> None:
    assert _error(text)[0] == code


def test_merge_keys_still_work() -> None:
    assert load("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n").data["c"] == {"x": 1, "y": 2}


_KEYS = st.text(alphabet="abcxyz_-", min_size=1, max_size=6)
_DATA = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000)
    | st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=30)


def _paths(value: object, path: tuple[str | int, ...] = ()) -> set[tuple[str | int, ...]]:
    found = {path}
    if isinstance(value, dict):
        for key, item in value.items():
            found |= _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found |= _paths(item, (*path, i))
    return found


@settings(max_examples=150, deadline=None)
@given(_DATA, st.sampled_from([False, True]))
def test_every_value_and_key_is_placed_where_it_starts(data: object, flow: bool) -> None:
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, allow_unicode=True)
    doc = load(text)
    paths = _paths(doc.data)
    assert set(doc.marks) == paths
    assert set(doc.key_marks) == {p for p in paths if p and isinstance(p[-1], str)}
    lines = text.split("\n")
    for path, (line, col) in doc.key_marks.items():
        assert lines[line - 1][col - 1:].lstrip("'\"").startswith(str(path[-1])[:1]), path
    assert [doc.marks[p] for p in sorted(paths, key=lambda p: doc.marks[p])] == sorted(
        doc.marks.values())  # positions only grow in document order


def test_the_index_of_positions_is_made_when_asked_for_and_can_be_dropped() -> None:
    doc = load("a:\n  - 1\n  - b: 2\n")
    assert doc.positions.itemsize == 8 and len(doc.positions) == 7  # 5 values, 2 keys
    assert doc.mark(("a", 1, "b")) == Mark(3, 8)
    doc.forget()
    assert doc.mark(("a", 1, "b"), key=True) == Mark(3, 5)


_PIECES = [*"ab :/[]()<>$@*\t\n", "javascript:", "<javascript:", "](", "$@NULL@$"]
_RISKY = st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)
_TEXTS = st.recursive(_RISKY, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(_KEYS, inner, max_size=3), max_leaves=12)


def _every_text(data: object, path: tuple[str | int, ...] = ()) -> list[tuple[object, str]]:
    if isinstance(data, str):
        return [(path, data)]
    items = data.items() if isinstance(data, dict) else enumerate(data)  # type: ignore[attr-defined]
    return [found for key, value in items for found in _every_text(value, (*path, key))]


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
@example({"a": ["<javascript:alert(1)>", "[x](javascript:y)", " $@NULL@$", "a\t"]})
def test_the_text_rules_skip_only_texts_they_cannot_apply_to(data: object) -> None:
    doc = Document(Path("f.yaml"), "f.yaml", data)
    every = [d for path, text in _every_text(data)
             for d in checks._text_rules(doc, path, text)]  # type: ignore[arg-type]
    assert checks.text_findings(doc) == every


@pytest.mark.parametrize("text", ["a: [1, {b: c}]\nd: e\n", "a: &x [1, {b: c}]\nd: *x\n"])
def test_a_load_leaves_no_cycles_behind(text: str) -> None:
    import gc

    from coursepack import yamlload

    gc.collect()
    with yamlload.paused_gc():  # as every run loads: what is dropped must go by refcount alone
        for _ in range(20):
            yamlload.loads(text.encode(), Path("x.yaml"), "x.yaml")
        assert gc.collect() == 0
