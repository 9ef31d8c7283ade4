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


def log_in(page: Any, url: str, tries: int = 3) -> None:
    """Log the browser page in as the harness admin.

    Moodle's login page re-renders the password field once its scripts load (the show-password
    toggle), which can wipe a value typed earlier; so wait for the page to settle, check the
    fields before submitting, and try again if Moodle still says the login was invalid.
    """
    log_in_as(page, url, *ADMIN, tries=tries)


def log_in_as(page: Any, url: str, username: str, password: str, tries: int = 3) -> None:
    """Log the browser page in as any user, dropping the session of whoever was logged in.

    The same care as log_in(): wait for the login page to settle, check the typed password, retry.
    """
    for _ in range(tries):
        page.context.clear_cookies()
        page.goto(url + "/login/index.php", wait_until="networkidle")
        page.fill("#username", username)
        page.fill("#password", password)
        if page.input_value("#password") != password:
            continue
        page.click("#loginbtn")
        page.wait_for_load_state("networkidle")
        if "/login/" not in page.url:
            return
    raise AssertionError(f"could not log in to {url} as {username}")


def squash(text: str) -> str:
    """Text without whitespace, to compare what a page shows with what the source says."""
    return "".join(text.split())


def input_labels(inputs: Any) -> list[str]:
    """The label text of each input a Playwright locator matches: its aria-labelledby elements
    (Moodle's question inputs), else its <label> elements."""
    labels: list[str] = inputs.evaluate_all("""rs => rs.map(r => {
      const ids = (r.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
      const by = ids.map(id => document.getElementById(id)).filter(Boolean);
      return (by.length ? by : [...r.labels]).map(e => e.textContent).join(' ');
    })""")
    return labels
