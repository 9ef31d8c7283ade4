"""Many new files parsed on every core: the same diagnostics and model as one process."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from coursepack.cache import Cache
from coursepack.cli import main
from coursepack.prefetch import MIN_FILES
from coursepack.source import read_source

UNITS = MIN_FILES // 3 + 4


def many_units(source: Path) -> None:
    """The minimal unit copied UNITS times, ids renamed, some copies broken three ways."""
    seed = source / "units" / "u1"
    for n in range(2, UNITS + 1):
        shutil.copytree(seed, source / "units" / f"u{n}")
        for path in (source / "units" / f"u{n}").iterdir():
            path.write_text(re.sub(r"\bu1(?=\b|-)", f"u{n}", path.read_text()))
    course = source / "course.yaml"
    names = ", ".join(f"u{n}" for n in range(1, UNITS + 1))
    course.write_text(course.read_text().replace("units: [u1]", f"units: [{names}]"))
    (source / "units" / "u3" / "lesson.yaml").write_text("pages: [\n")  # not YAML
    questions = source / "units" / "u5" / "questions.yaml"
    questions.write_text(questions.read_text().replace("type: multichoice", "type: guess", 1))
    unit = source / "units" / "u7" / "unit.yaml"
    unit.write_text(unit.read_text().replace("synopsis: ", "synopsis: 'Spaced. ' #", 1))


def test_parsed_on_two_processes_as_on_one(minimal: Path) -> None:
    many_units(minimal)
    runs = [CliRunner().invoke(main, ["validate", "source", "--no-cache", "-j", jobs])
            for jobs in ("1", "2")]
    assert runs[0].exit_code == runs[1].exit_code == 1
    assert runs[0].output == runs[1].output
    for code in ("yaml-syntax", "trimmed-space"):
        assert f"[{code}]" in runs[0].output
    assert "source/units/u5/questions.yaml" in runs[0].output


def test_the_model_is_the_same(minimal: Path) -> None:
    many_units(minimal)
    (minimal / "units" / "u3" / "lesson.yaml").unlink()
    questions = minimal / "units" / "u5" / "questions.yaml"
    questions.write_text(questions.read_text().replace("type: guess", "type: multichoice", 1))
    one, two = read_source(minimal, jobs=1), read_source(minimal, jobs=2)
    assert one.catalogue is not None and one.catalogue == two.catalogue
    assert one.diagnostics == two.diagnostics


def test_the_workers_keep_what_they_parse_and_a_later_run_reads_it(minimal: Path) -> None:
    many_units(minimal)
    cache = Cache(minimal.parent / "cache")
    first = read_source(minimal, cache, jobs=2)
    entries = len(list((minimal.parent / "cache").glob("*/*.entry")))
    assert entries == 3 * UNITS + 2 - 2  # all but the files unparsed and off their schema
    kept = {p: p.stat().st_mtime_ns for p in (minimal.parent / "cache").glob("*/*.entry")}
    again = read_source(minimal, cache, jobs=2)  # each clean file from the cache
    fresh = read_source(minimal, jobs=1)
    assert first.diagnostics == again.diagnostics == fresh.diagnostics
    assert {p: p.stat().st_mtime_ns for p in (minimal.parent / "cache").glob("*/*.entry")} \
        == kept  # none parsed and kept again


def test_a_few_files_left_after_the_cache_are_read_here(minimal: Path) -> None:
    many_units(minimal)
    (minimal / "units" / "u3" / "lesson.yaml").unlink()
    questions = minimal / "units" / "u5" / "questions.yaml"
    questions.write_text(questions.read_text().replace("type: guess", "type: multichoice", 1))
    cache = Cache(minimal.parent / "cache")
    read_source(minimal, cache, jobs=2)
    for n in (2, 4):  # edited: two files the cache does not hold, too few for workers
        path = minimal / "units" / f"u{n}" / "unit.yaml"
        path.write_text(path.read_text().replace("synopsis: ", "synopsis: Edited. ", 1))
    again = read_source(minimal, cache, jobs=2)
    fresh = read_source(minimal, jobs=1)
    assert again.diagnostics == fresh.diagnostics and again.catalogue == fresh.catalogue
    assert again.catalogue is not None
    assert [u.synopsis.startswith("Edited.") for u in again.catalogue.units[:4]] == [
        False, True, False, True]
