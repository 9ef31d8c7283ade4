"""Moodle's web UI for browser tests: start PHP's server for a harness, log in as the admin."""

from __future__ import annotations

import os
import re
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from support.moodle import KIT

ADMIN = ("admin", "Harness#2025")


def wwwroot(site: Path) -> str:
    """The site's wwwroot, read from its config.php."""
    text = (site / "moodle" / "config.php").read_text()
    match = re.search(r"\$CFG->wwwroot\s*=\s*'([^']+)'", text)
    assert match, "no wwwroot in config.php"
    return match.group(1)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/login/index.php", timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def web(site: Path) -> Iterator[str]:
    """Yield the site's wwwroot with the web UI running; stop it afterwards if we started it."""
    url = wwwroot(site)
    started = False
    if not _answers(url):
        env = {**os.environ, "MOODLE_HARNESS": str(site)}
        subprocess.run(["bash", str(KIT / "start.sh"), str(site)], env=env, check=True,
                       capture_output=True, timeout=120)
        started = True
    try:
        yield url
    finally:
        if started:
            subprocess.run(["bash", str(KIT / "stop.sh"), str(site)], check=False,
                           capture_output=True, timeout=60)


def log_in(page: Any, url: str) -> None:
    """Log the browser page in as the harness admin."""
    page.goto(url + "/login/index.php")
    page.fill("#username", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.click("#loginbtn")
    page.wait_for_url(lambda u: "/login/" not in u, timeout=90000, wait_until="domcontentloaded")
