"""Files are reported relative to the working folder, wherever it is, exactly as relpath says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coursepack.cache import Cache
from coursepack.source import _Reader

INSIDE = ["", "s", "s/units", "s/units/u1", "s/units/u2/x"]


@pytest.mark.parametrize("where", INSIDE)
def test_a_path_is_shown_as_relpath_shows_it(tmp_path: Path, where: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("s/units/u1", "s/units/u2/x"):
        (tmp_path / folder).mkdir(parents=True)
    monkeypatch.chdir(tmp_path / where)
    for root in (tmp_path / "s", Path(os.path.relpath(tmp_path / "s"))):
        reader = _Reader(root, Cache(None), 1, None)
        paths = [root, root / "course.yaml", root / "units", root / "units" / "u1",
                 root / "units" / "u1" / "unit.yaml", root / "units" / "u2",
                 root / "units" / "u2" / "x", root / ".." / "s" / "units", root / "."]
        for path in paths * 2:  # the second time from what the first found
            assert reader.display(path) == os.path.relpath(path)
