"""Each unit's findings are kept: a kept finding is the finding, an edited unit is checked again."""

from __future__ import annotations

import marshal
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from coursepack import limitcheck
from coursepack.cache import Cache
from coursepack.diagnostics import Diagnostic
from coursepack.runs import check_source
from coursepack.writers import WRITERS, limits
from support.limits import limit_source

TRICKY = Path(__file__).parent / "data" / "tricky" / "source"
SEED = Path(__file__).parents[1] / "source"


def texts(found: list[Diagnostic]) -> list[str]:
    return [d.text() for d in found]


def source(kind: str, dest: Path) -> Path:
    """A source with findings of `kind`: formats' warnings, or a unit name over Moodle's limit."""
    if kind == "formats":
        return Path(shutil.copytree(TRICKY, dest))
    return limit_source(dest, over=kind)


def no_unit_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make checking a unit fail, so that a run can only take its findings from the cache."""
    def fail(*_: object) -> object:
        raise AssertionError("a unit was checked again")

    monkeypatch.setattr(limits, "unit_found", fail)
    for writer in WRITERS.values():
        if writer.check_name is not None:
            monkeypatch.setattr(writer._module(), writer.check_name, fail)


@pytest.mark.parametrize("kind", ["formats", "question name", "tag", "matching answer"])
def test_kept_findings_are_the_findings(kind: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(kind, tmp_path / "source")
    fresh = check_source(root).diagnostics
    assert any(d.code in ("gift-omitted", "moodle-limit", "too-long") for d in fresh)
    cold = check_source(root, cache=Cache(tmp_path / "cache")).diagnostics
    no_unit_checks(monkeypatch)
    warm = check_source(root, cache=Cache(tmp_path / "cache")).diagnostics
    assert texts(cold) == texts(fresh)
    assert texts(warm) == texts(fresh)


def test_an_edited_unit_is_checked_again(tmp_path: Path) -> None:
    root = limit_source(tmp_path / "source", over="question name")
    cache = tmp_path / "cache"
    assert any(d.code in ("moodle-limit", "too-long") for d in
               check_source(root, cache=Cache(cache)).diagnostics)
    questions = root / "units" / "u1" / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    long = next(line for line in text.splitlines() if len(line) > 255)
    questions.write_text(text.replace(long, long[:200]), encoding="utf-8")
    edited = check_source(root, cache=Cache(cache)).diagnostics
    assert texts(edited) == texts(check_source(root).diagnostics)
    assert not any(d.code in ("moodle-limit", "too-long") for d in edited)


def test_a_course_edit_checks_every_unit_again(tmp_path: Path) -> None:
    root = source("formats", tmp_path / "source")
    cache = tmp_path / "cache"
    check_source(root, cache=Cache(cache))
    course = root / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    called: list[str] = []
    real = limits.unit_found

    def spy(catalogue, unit):  # type: ignore[no-untyped-def]
        called.append(unit.id)
        return real(catalogue, unit)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(limits, "unit_found", spy)
        check_source(root, cache=Cache(cache))
    catalogue = check_source(root).catalogue
    assert catalogue is not None
    assert called == [u.id for u in catalogue.units]


@pytest.mark.parametrize("damage", [
    lambda kept: kept[:-7],  # cut short
    lambda kept: marshal.dumps({k: ("x", [1]) for k in marshal.loads(kept)}),  # misshapen
    lambda kept: marshal.dumps({k: ([], [("f", "1", 1, "error", "m", "c")])  # a bad row
                                for k in marshal.loads(kept)}),
])
def test_a_damaged_entry_is_checked_again(damage: Callable[[bytes], bytes], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    root = source("formats", tmp_path / "source")
    fresh = texts(check_source(root).diagnostics)
    check_source(root, cache=Cache(tmp_path / "cache"))
    real = Cache.get

    def damaged(self: Cache, key: str) -> dict[str, bytes] | None:
        files = real(self, key)
        if files is not None and "checks" in files:
            return {"checks": damage(files["checks"])}
        return files

    monkeypatch.setattr(Cache, "get", damaged)
    assert texts(check_source(root, cache=Cache(tmp_path / "cache")).diagnostics) == fresh


@pytest.mark.parametrize("kind", ["formats", "question name"])
def test_many_units_are_checked_alike_on_many_processes(kind: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = source(kind, tmp_path / "source")
    alone = texts(check_source(root, jobs=1).diagnostics)
    pids = tmp_path / "pids"
    real = limitcheck._unit

    def spy(*args: Any) -> Any:
        with pids.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return real(*args)

    monkeypatch.setattr(limitcheck, "MIN_UNITS", 1)
    monkeypatch.setattr(limitcheck, "_unit", spy)
    assert texts(check_source(root, jobs=2).diagnostics) == alone
    assert str(os.getpid()) not in pids.read_text().split()  # checked on the workers


def test_every_shared_idnumber_is_reported(tmp_path: Path) -> None:
    """Categories whose names differ only in punctuation share an idnumber: each clash is an
    error of its own, in whichever unit it is, cached or not."""
    root = Path(shutil.copytree(SEED, tmp_path / "source"))
    units = sorted(p.name for p in (root / "units").iterdir())[:2]
    for unit, names in zip(units, (["Pricing", "pricing!"], ["Refunds", "refunds?"]),
                           strict=True):
        path = root / "units" / unit / "questions.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for question, name in zip(data["questions"], names, strict=False):
            question["category"] = name
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    for cache in (None, Cache(tmp_path / "cache"), Cache(tmp_path / "cache")):
        found = [d for d in check_source(root, cache=cache).diagnostics
                 if d.code == "duplicate-idnumber"]
        assert sorted(Path(d.file).parent.name for d in found) == units, texts(found)


def test_a_derived_questions_finding_stays_with_its_unit(tmp_path: Path) -> None:
    """A question elsewhere may have the id a derived question is given: the derived one's
    findings are placed where it is derived from, so editing the other file changes nothing."""
    root = Path(shutil.copytree(SEED, tmp_path / "source"))
    glossary = yaml.safe_load((root / "glossary.yaml").read_text(encoding="utf-8"))
    glossary["terms"].append({"id": "amps", "term": "&" * 60, "definition": "Ampersands."})
    (root / "glossary.yaml").write_text(yaml.safe_dump(glossary, sort_keys=False))
    first, other = sorted(p.name for p in (root / "units").iterdir())[:2]
    unit_file = root / "units" / first / "unit.yaml"
    unit = yaml.safe_load(unit_file.read_text(encoding="utf-8"))
    unit["key_terms"] = ["amps", *unit["key_terms"][:2]]
    unit_file.write_text(yaml.safe_dump(unit, allow_unicode=True, sort_keys=False))
    catalogue = check_source(root).catalogue
    assert catalogue is not None
    derived = next(q for u in catalogue.units if u.id == first for q in u.derived
                   if q.id.startswith(f"{first}-terms-"))
    questions = root / "units" / other / "questions.yaml"
    data = yaml.safe_load(questions.read_text(encoding="utf-8"))
    data["questions"].append({"id": derived.id, "type": "matching", "name": "Clash",
                              "text": "Match.", "pairs": [{"question": q, "answer": q.lower()}
                                                          for q in "ABC"]})
    questions.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    cache = Cache(tmp_path / "cache")
    before = texts(check_source(root, cache=cache).diagnostics)
    assert any("moodle-limit" in line and f"units/{first}/" in line for line in before), before
    questions.write_text("# a comment line\n" + questions.read_text(encoding="utf-8"))
    assert texts(check_source(root, cache=Cache(tmp_path / "cache")).diagnostics) == \
        texts(check_source(root).diagnostics)
