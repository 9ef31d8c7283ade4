"""`coursepack preview` run in a folder for a browser test: its address while it runs."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

COURSEPACK = Path(sys.executable).parent / "coursepack"


@contextmanager
def preview(folder: Path, source: str = "source") -> Iterator[str]:
    """`coursepack preview` serving `folder`/`source`; its address. Its output is read as it
    comes (warnings first), to the end, so that it never blocks on a full pipe; a traceback in
    it fails the test."""
    proc = subprocess.Popen([str(COURSEPACK), "preview", source, "--port", "0"], cwd=folder,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []

    def read() -> None:
        for line in proc.stdout or ():
            lines.put(line)
        lines.put("")  # the end

    threading.Thread(target=read, daemon=True).start()
    url, deadline = None, time.monotonic() + 60
    try:
        while url is None and time.monotonic() < deadline:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.1))
            seen.append(line)
            if not line:
                break
            if found := re.match(r"serving (http://\S+) ", line):
                url = found.group(1)
        assert url is not None, f"the preview did not start: {''.join(seen)}"
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        while not lines.empty():
            seen.append(lines.get())
        assert "Traceback" not in "".join(seen), "".join(seen)
