"""When the content last changed: the one date behind every timestamp a course backup holds.

Reproducible on every machine: SOURCE_DATE_EPOCH when set, else the time of the source
folder's last git commit, else the newest modification time of the files coursepack reads.
Never the clock, so the same source gives the same bytes.
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


def _git_epoch(root: Path) -> int | None:
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct", "--", "."],
                              capture_output=True, timeout=GIT_TIMEOUT, check=False,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    text = done.stdout.decode("ascii", "replace").strip()
    return int(text) if done.returncode == 0 and text.isdigit() else None


def _newest(files: Iterable[Path]) -> int | None:
    times = []
    for path in files:
        try:
            times.append(int(path.stat().st_mtime))
        except OSError:
            continue
    return max(times, default=None)


def content_epoch(root: Path, files: Iterable[Path]) -> int:
    """Seconds since 1970 of the content's last change (see the module's docstring)."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return source_date_epoch()
    found = _git_epoch(root) or _newest(files) or DEFAULT_EPOCH
    return min(max(found, DEFAULT_EPOCH), LATEST_EPOCH)


def day_start(value: int | str) -> int:
    """Midnight UTC of a date given as YYYY-MM-DD or of the day holding an epoch time."""
    if isinstance(value, str):
        day = datetime.date.fromisoformat(value)
    else:
        day = datetime.datetime.fromtimestamp(value, datetime.UTC).date()
    return calendar.timegm(day.timetuple())
