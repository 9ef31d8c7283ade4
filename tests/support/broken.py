"""The broken sources under tests/broken: each a few files laid over the minimal source."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

BROKEN = Path(__file__).resolve().parents[1] / "broken"
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
