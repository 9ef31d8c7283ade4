"""Each broken source under tests/broken gives exactly the diagnostics in its expected.txt."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursepack.cli import main

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def overlay(case: Path, source: Path) -> None:
    """Copy the case's files over the source; delete the paths listed in its DELETE file."""
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if path.is_dir() or rel.name in ("expected.txt", "DELETE"):
            continue
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, source / rel)
    delete = case / "DELETE"
    if delete.exists():
        for line in delete.read_text().split():
            (source / line).unlink()


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
