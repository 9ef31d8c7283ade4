"""A one-line progress bar for builds that take more than a second, on a terminal only."""

from __future__ import annotations

import os
import time
from typing import TextIO

DELAY = 1.0  # seconds before the bar first shows: quick builds print nothing extra
WIDTH = 30
INTERVAL = 0.1  # seconds between redraws


class Progress:
    """Counts finished tasks and written files; draws `[####....] 120/600 tasks, 80 files`."""

    def __init__(self, stream: TextIO, *, enabled: bool | None = None) -> None:
        self.stream = stream
        self.enabled = wanted(stream) if enabled is None else enabled
        self.start = time.monotonic()
        self.drawn = 0.0
        self.files = 0
        self.shown = False

    def file(self, name: str, size: int) -> None:
        """One output file written."""
        self.files += 1

    def task(self, finished: int, total: int) -> None:
        """`finished` of `total` tasks done: redraw when it is time to."""
        now = time.monotonic()
        if not self.enabled or now - self.start < DELAY or (
                now - self.drawn < INTERVAL and finished < total):
            return
        self.drawn = now
        filled = WIDTH * finished // max(total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {finished}/{total} "
                          f"tasks, {self.files} files written")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Clear the bar, leaving the line free for what follows."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def wanted(stream: TextIO) -> bool:
    """A bar only on a terminal, and never in CI (where `CI` is set) or with TERM=dumb."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"
