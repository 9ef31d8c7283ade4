"""Shared test fixtures: a minimal valid source tree, copied fresh for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
MINIMAL = TESTS / "data" / "minimal" / "source"


@pytest.fixture
def minimal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the minimal source at tmp/source, with the working directory at tmp."""
    shutil.copytree(MINIMAL, tmp_path / "source")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "source"
