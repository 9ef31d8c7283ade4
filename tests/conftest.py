"""Shared test fixtures: a minimal valid source tree, copied fresh for each test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
MINIMAL = TESTS / "data" / "minimal" / "source"
# Every test builds as of one fixed date (2026-01-01), whatever git or the file times say;
# tests of the date itself unset or change it.
FIXED_EPOCH = "1767225600"


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Pin SOURCE_DATE_EPOCH so outputs do not depend on the checkout; keep the build cache's
    signing secret in a folder of the test session's, not the user's."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture
def minimal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the minimal source at tmp/source, with the working directory at tmp."""
    shutil.copytree(MINIMAL, tmp_path / "source")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "source"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium, driven by Playwright, for one test module."""
    from playwright.sync_api import sync_playwright

    from support.sco_browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
