"""Shared test fixtures: a minimal valid source tree, copied fresh for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

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
