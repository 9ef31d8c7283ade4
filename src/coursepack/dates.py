"""When the content last changed: the dates behind every timestamp a course backup holds.

Reproducible on every machine: SOURCE_DATE_EPOCH when set; else, for each source file, the time
of the last git commit that touched it (or, for a file git does not know, its modification
time). Never the clock, so the same source gives the same bytes. A unit's date is the newest of
its own files and the course-wide ones (course.yaml, glossary.yaml), so an edit to one unit
changes the dates of that unit alone.
"""

from __future__ import annotations

import calendar
import datetime
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

GIT_TIMEOUT = 10.0  # seconds
# 1980-01-01T00:00:00Z, the earliest time a zip can hold; SOURCE_DATE_EPOCH overrides it.
DEFAULT_EPOCH = 315532800
# 2107-12-31T23:59:58Z, the latest time a zip can hold.
LATEST_EPOCH = 4354819198


def source_date_epoch() -> int:
    """SOURCE_DATE_EPOCH (unset or empty: 1980-01-01); ValueError when it is not a valid time."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return DEFAULT_EPOCH
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        raise ValueError(f"SOURCE_DATE_EPOCH={raw[:20]!r} is not a whole number of seconds "
                         "since 1970-01-01")
    if int(raw) > LATEST_EPOCH:
        raise ValueError(f"SOURCE_DATE_EPOCH={raw} is after 2107-12-31, the latest date a zip "
                         "file can hold")
    return max(int(raw), DEFAULT_EPOCH)


def _git_dates(root: Path) -> dict[str, int]:
    """The time of the last commit that touched each file below `root` (paths relative to it)."""
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "--format=%x00%ct", "--name-only",
                               "--relative", "--no-renames", "--", "."], capture_output=True,
                              timeout=GIT_TIMEOUT, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:
        return {}
    found: dict[str, int] = {}
    when = 0
    for line in done.stdout.decode("utf-8", "surrogateescape").splitlines():
        if line.startswith("\x00"):
            when = int(line[1:]) if line[1:].isdigit() else 0
        elif line and when:
            found.setdefault(line, when)
    return found


def _mtime(path: Path) -> int | None:
    try:
        return int(path.stat().st_mtime)
    except OSError:
        return None


def content_dates(root: Path, files: Iterable[Path]) -> dict[Path, int]:
    """When each file last changed (see the module's docstring), as seconds since 1970."""
    files = list(files)
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return dict.fromkeys(files, source_date_epoch())
    committed = _git_dates(root)
    out = {}
    for path in files:
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        found = committed.get(rel) or _mtime(path) or DEFAULT_EPOCH
        out[path] = min(max(found, DEFAULT_EPOCH), LATEST_EPOCH)
    return out


def day_start(value: int | str) -> int:
    """Midnight UTC of a date given as YYYY-MM-DD or of the day holding an epoch time."""
    if isinstance(value, str):
        day = datetime.date.fromisoformat(value)
    else:
        day = datetime.datetime.fromtimestamp(value, datetime.UTC).date()
    return calendar.timegm(day.timetuple())
