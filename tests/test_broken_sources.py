"""Each broken source under tests/broken gives exactly the diagnostics in its expected.txt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursepack.cache import Cache
from coursepack.cli import main
from coursepack.runs import check_source
from support.broken import BROKEN, overlay

CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", CASES)
def test_broken_source(name: str, minimal: Path) -> None:
    case = BROKEN / name
    overlay(case, minimal)
    result = CliRunner().invoke(main, ["validate", "source"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    expected_file = case / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(result.output)
    assert result.output == expected_file.read_text()
    assert result.exit_code == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", CASES)
def test_kept_parses_give_the_same_diagnostics(name: str, minimal: Path, tmp_path: Path) -> None:
    """Read again with every clean file's parse (and sites) kept, a broken source gives the
    diagnostics it gives when read afresh."""
    overlay(BROKEN / name, minimal)
    fresh = [d.text() for d in check_source(minimal).diagnostics]
    for _ in range(2):  # the first run keeps the parses, the second reads them back
        kept = check_source(minimal, cache=Cache(tmp_path / "cache"))
        assert [d.text() for d in kept.diagnostics] == fresh
