"""The preview's source: checked again whenever one of its files changes, each check a new
generation that pages wait for."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import Cache
from ..diagnostics import Diagnostic, Severity, has_errors
from ..model import Catalogue


@dataclass(frozen=True)
class Snapshot:
    """One check of the source: the model when it has no errors, every diagnostic, how long the
    check took, and when it finished (time.monotonic)."""

    generation: int
    catalogue: Catalogue | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    took: float = 0.0
    at: float = 0.0
    token: str = ""  # the process's (see Live.token)

    @property
    def stamp(self) -> str:
        """The snapshot's name in pages and change events: its process's token, its number."""
        return f"{self.token}.{self.generation}"

    @property
    def ok(self) -> bool:
        """True when the pages can show the content: a model and no errors."""
        return self.catalogue is not None and not has_errors(self.diagnostics)


class Live:
    """The source folder as the preview last checked it; `watch` keeps it current."""

    def __init__(self, root: Path, cache: Cache) -> None:
        self.root = root
        self.cache = cache
        self._changed = threading.Condition()
        self._checking = threading.Lock()
        self.snapshot = Snapshot(0, None)
        self.listeners: list[Callable[[Snapshot], None]] = []
        self.token = secrets.token_hex(4)  # this process's: a page from an earlier one reloads
        self.jobs = 0  # processes for the next check; 0: every core (the first check only)

    def refresh(self) -> Snapshot:
        """Check the source again (the cache keeps what did not change) and publish it."""
        from ..runs import check_source
        from ..tasks import default_jobs

        with self._checking:
            start = time.monotonic()
            try:
                # a later check runs beside the server's threads: it must not fork
                checked = check_source(self.root, None, self.cache, self.jobs or default_jobs())
                found, catalogue = checked.diagnostics, checked.catalogue
            except (OSError, RecursionError, MemoryError) as exc:
                found = [self._problem(f"the source could not be read: {exc}", "preview-read")]
                catalogue = None
            self.jobs = 1
            self._publish(catalogue, found, start)
        for listener in list(self.listeners):
            try:
                listener(self.snapshot)
            except (OSError, ValueError):  # the terminal went away: the preview goes on
                self.listeners.remove(listener)
        return self.snapshot

    def wake(self) -> None:
        """Wake everything waiting for a change (the server is stopping)."""
        with self._changed:
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> Snapshot:
        """The snapshot after generation `seen`, or the current one after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self.snapshot.generation != seen, timeout)
            return self.snapshot

    def watch(self, stop: threading.Event) -> None:
        """Check the source again after each change to its files, until `stop` is set."""
        from watchfiles import watch

        for _ in watch(self.root, stop_event=stop, debounce=400, step=30, rust_timeout=500,
                       yield_on_timeout=False, recursive=True, raise_interrupt=False):
            try:
                self.refresh()
            except Exception as exc:
                self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        """Publish a check that failed unexpectedly as an error the pages show."""
        self._publish(None, [self._problem(f"the source could not be checked: "
                                           f"{type(exc).__name__}: {exc}", "preview-failed")],
                      time.monotonic())

    def _problem(self, message: str, code: str) -> Diagnostic:
        return Diagnostic(str(self.root), 1, 1, Severity.ERROR, message, code)

    def _publish(self, catalogue: Catalogue | None, found: list[Diagnostic],
                 start: float) -> None:
        """The next snapshot, from a check begun at `start`; those waiting for it wake."""
        end = time.monotonic()
        with self._changed:
            self.snapshot = Snapshot(self.snapshot.generation + 1, catalogue, found,
                                     end - start, end, self.token)
            self._changed.notify_all()
