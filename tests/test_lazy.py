"""Units made when first read: the same units as made at once, and an edit makes one unit."""

from __future__ import annotations

import pickle
import shutil
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from coursepack.cache import Cache
from coursepack.lazy import EAGER, LazyUnit, sizes
from coursepack.model import Catalogue, Unit
from coursepack.runs import check_source
from coursepack.yamlload import Document

SEED = Path(__file__).parents[1] / "source"
TRICKY = Path(__file__).parent / "data" / "tricky" / "source"


def made(unit: Unit) -> bool:
    """Whether a unit's content has been made (a LazyUnit not yet read is not)."""
    return not (isinstance(unit, LazyUnit) and hasattr(unit, "_make"))


def catalogue(root: Path, cache: Path) -> Catalogue:
    """The source's model, read again with every unit's findings kept: no unit made yet."""
    check_source(root, cache=Cache(cache))
    found = check_source(root, cache=Cache(cache)).catalogue
    assert found is not None
    return found


def test_a_lazy_unit_is_the_unit_it_makes(tmp_path: Path) -> None:
    for root in (SEED, TRICKY):
        cache = tmp_path / root.parent.name
        lazy, other = catalogue(root, cache).units, catalogue(root, cache).units
        assert not any(made(u) for u in (*lazy, *other))
        eager = {u.id: {name: getattr(u, name) for name in EAGER} for u in lazy}
        plain = [pickle.loads(pickle.dumps(u)) for u in lazy]  # made, and pickled as a Unit
        assert all(made(u) for u in lazy) and all(type(p) is Unit for p in plain)
        for a, b, p in zip(lazy, other, plain, strict=True):
            assert {name: getattr(a, name) for name in EAGER} == eager[a.id]  # as made
            assert a == b and b == p and p == a and hash(a) == hash(p) and repr(a) == repr(p)
            assert a.made_from == p.made_from != ""
            assert all(getattr(a, f.name) == getattr(p, f.name) for f in fields(Unit))
            assert replace(p, title="Changed") != a and a != replace(p, title="Changed")
            assert sizes(a) == (len(p.questions), len(p.lesson.pages) if p.lesson else 0)


def test_sizes_do_not_make_the_unit(tmp_path: Path) -> None:
    units = catalogue(TRICKY, tmp_path / "cache").units
    counted = [sizes(u) for u in units]
    assert not any(made(u) for u in units)
    assert counted == [(len(u.questions), len(u.lesson.pages) if u.lesson else 0)
                       for u in units]
    assert all(made(u) for u in units)


def test_an_edit_makes_the_edited_unit_alone(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit, the model makes the edited unit alone, and no other unit's files have
    their data read (the checks read their sites, kept with their parses)."""
    root = Path(shutil.copytree(SEED, tmp_path / "source"))
    cache = Cache(tmp_path / "cache")
    first = check_source(root, cache=cache)
    edited = sorted((root / "units").iterdir())[0]
    questions = edited / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    at = text.index("    text: >-\n") + len("    text: >-\n")
    questions.write_text(text[:at] + "      (Edited.)\n" + text[at:], encoding="utf-8")
    read: list[Path] = []
    data = Document.data

    def spy(doc: Document) -> Any:
        if doc.packed is not None:
            read.append(doc.path)
        return data.fget(doc)  # type: ignore[misc]

    with monkeypatch.context() as patch:
        patch.setattr(Document, "data", property(spy, data.fset))
        again = check_source(root, cache=cache)
    assert again.catalogue is not None
    assert [u.id for u in again.catalogue.units if made(u)] == [edited.name]
    assert {p.parent for p in read} == {root, edited}  # course.yaml, glossary.yaml, the unit's
    fresh = check_source(root)
    assert again.counts == fresh.counts == first.counts
    assert [d.text() for d in again.diagnostics] == [d.text() for d in fresh.diagnostics]
