"""`coursepack preview`: a local web server showing each unit as Moodle will show it, checked
again and reloaded whenever a source file is saved."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable
from pathlib import Path

from ..cache import Cache
from ..diagnostics import quote
from ..output import BuildError
from .live import Live, Snapshot
from .server import PreviewServer

__all__ = ["Preview", "Snapshot"]


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Preview:
    """The preview of one source folder: its live source, its server and its watcher."""

    def __init__(self, root: Path, cache: Cache, host: str = "127.0.0.1", port: int = 8000) -> None:
        if not root.is_dir():
            raise BuildError(f"{quote(root, 200)} is not a folder: give the source folder, which "
                             "holds course.yaml", "no-source", usage=True)
        self.live = Live(root, cache)
        try:
            self.server = PreviewServer((host, port), self.live, None)
        except OSError as exc:
            raise BuildError(f"cannot serve on {quote(host)} port {port}: {exc.strerror}; choose "
                             "another --port or --host", "preview-port", usage=True) from exc
        bound = self.server.server_address[1]
        if _loopback(host):  # a page of another site cannot reach it under another name
            self.server.hosts = {f"{name}:{bound}" for name in (host, "localhost", "127.0.0.1",
                                                                "[::1]")}
        name = "localhost" if _loopback(host) else f"[{host}]" if ":" in host else host
        self.url = f"http://{name}:{bound}/"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self, on_check: Callable[[Snapshot], None] | None = None) -> Snapshot:
        """Check the source, then serve and watch it in background threads."""
        if on_check is not None:
            self.live.listeners.append(on_check)
        first = self.live.refresh()
        for target in (self.server.serve_forever, lambda: self.live.watch(self._stop)):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return first

    def stop(self) -> None:
        """Stop watching and serving."""
        self._stop.set()
        self.server.stopping.set()
        self.live.wake()
        if self._threads:  # serve_forever runs: shutdown waits for it to return
            self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
