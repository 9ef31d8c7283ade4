"""Each broken source under tests/broken gives exactly the diagnostics in its expected.txt."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursepack.cache import Cache
from coursepack.cli import main
from coursepack.runs import check_source

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


CONTROL = ("expected.txt", "DELETE", "ACTIONS")


def overlay(case: Path, source: Path) -> None:
    """Copy the case's files over the source, then carry out its DELETE and ACTIONS files.

    ACTIONS lines: `link PATH TARGET` (a symbolic link), `fifo PATH`, `mkdir PATH`, `rm PATH`.
    """
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if path.is_dir() or rel.name in CONTROL:
            continue
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, source / rel)
    delete = case / "DELETE"
    if delete.exists():
        for line in delete.read_text().split():
            (source / line).unlink()
    actions = case / "ACTIONS"
    for line in actions.read_text().splitlines() if actions.exists() else ():
        verb, rel, *rest = line.split()
        target = source / rel
        if verb == "rm":
            target.unlink()
        elif verb == "link":
            target.symlink_to(rest[0])
        elif verb == "fifo":
            os.mkfifo(target)
        elif verb == "mkdir":
            target.mkdir(parents=True)


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
