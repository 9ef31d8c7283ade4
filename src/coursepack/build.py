"""Run the writers over the model and swap in the output folder atomically (the only writer)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .diagnostics import Diagnostic
from .model import Catalogue
from .writers import WRITERS


def plan(catalogue: Catalogue, formats: list[str] | None = None) -> dict[str, bytes]:
    """Every output file, by path relative to the output folder, in a stable order."""
    files: dict[str, bytes] = {}
    for name, writer in WRITERS.items():
        if formats is None or name in formats:
            files.update(writer.write(catalogue))
    return dict(sorted(files.items()))


def check(catalogue: Catalogue, formats: list[str] | None = None) -> list[Diagnostic]:
    """What the chosen formats cannot hold: warnings, and errors that stop the build."""
    return [d for name, writer in WRITERS.items() if formats is None or name in formats
            for d in writer.check(catalogue)]


def build_all(files: dict[str, bytes], output: Path) -> None:
    """Write `files` into a new folder, then swap it in for `output`; on failure `output` stays."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        os.replace(staging, output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.replace(output, retired / output.name)
    try:
        os.replace(staging, output)
    except BaseException:
        os.replace(retired / output.name, output)
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)
