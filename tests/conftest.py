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
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pin SOURCE_DATE_EPOCH so outputs do not depend on the checkout."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)


@pytest.fixture
def minimal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the minimal source at tmp/source, with the working directory at tmp."""
    shutil.copytree(MINIMAL, tmp_path / "source")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "source"
