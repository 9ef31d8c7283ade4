"""Moodle's limits: content at each limit validates; one character over is a located error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coursepack import origins
from coursepack.cli import main
from coursepack.limitcheck import check
from coursepack.source import read_source
from support.limits import FIELDS, limit_source, text


def test_text_lengths_are_characters() -> None:
    assert len(text(255, "Tag")) == 255
    assert len(text(255, "Tag").encode("utf-16-le")) > 2 * 255  # the emoji is two UTF-16 units


def test_everything_at_its_limit_validates() -> None:
    result = read_source(Path(__file__).parent / "data" / "limits" / "source")
    assert result.ok, [d.text() for d in result.diagnostics]
    assert result.catalogue is not None
    assert check(result.catalogue, []) == []


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_one_character_over_is_one_located_error(tmp_path: Path, field: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    limit_source(tmp_path / "source", over=field)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "source"])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.output
    limit, column = FIELDS[field][1:]
    assert f"Moodle's {column}" in errors[0], errors[0]
    assert errors[0].split("[")[-2].endswith("255 ") or f"at most {limit} " in errors[0]
    assert errors[0].endswith("[moodle-limit]") or errors[0].endswith("[too-long]")
    value = text(limit + 1, field.capitalize())
    place = errors[0].split(": error: ")[0]
    path, line, col = place.rsplit(":", 2)
    raw = (Path(path)).read_text().splitlines()[int(line) - 1]
    assert value[:20] in raw[int(col) - 1:], (place, raw[:80])


def test_the_committed_limits_source_is_the_generators(tmp_path: Path) -> None:
    """tests/data/limits/source (used by the Moodle tests) is what support.limits writes."""
    committed = Path(__file__).parent / "data" / "limits" / "source"
    fresh = limit_source(tmp_path / "source")
    files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert all((fresh / f).read_bytes() == (committed / f).read_bytes() for f in files)


def test_origins_are_found_when_asked_and_only_then(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = origins.load

    def spy(path: Path, display: str) -> object:
        read.append(path.name)
        return real(path, display)

    monkeypatch.setattr(origins, "load", spy)
    source = Path(__file__).parent / "data" / "limits" / "source"
    result = read_source(source)
    assert result.catalogue is not None and check(result.catalogue, []) == []
    assert read == []  # nothing over a limit: no file read again
    found = dict(result.catalogue.origins)
    assert len(read) == len(set(read)) > 0  # each file once
    for key, where in found.items():
        path, line, col = where.rsplit(":", 2)
        assert Path(path).is_file() and int(line) >= 1 and int(col) >= 1, key
    assert {k.split("/")[0] for k in found} >= {"course", "unit", "outcome", "question", "term"}
    assert result.catalogue.origins.get("question/no-such-id/name") is None
