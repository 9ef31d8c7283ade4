"""A source's units sent through `coursepack import` again: each unit's built question file
exported, its questions.yaml removed, the file imported back in its place."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from coursepack.cli import main


def run_import(*args: str) -> tuple[int, str]:
    """`coursepack import ARGS`: its exit code and output (never a traceback)."""
    result = CliRunner().invoke(main, ["import", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def reimport(root: Path, before: dict[str, bytes], units: list[str], name: str,
             folder: Path) -> dict[str, str]:
    """Each unit's built `<unit>/<name>` (from `before`) imported into the source `root` in
    place of its questions (the exported file kept in `folder`); what each import said."""
    said = {}
    for unit in units:
        exported = folder / f"{unit}.{name}"
        exported.write_bytes(before[f"{unit}/{name}"])
        (root / "units" / unit / "questions.yaml").unlink()
        code, output = run_import(str(exported), "--unit", unit, "--into", str(root))
        assert code == 0, output
        said[unit] = output
    return said
