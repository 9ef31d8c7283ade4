"""Parsed files in the cache: unchanged files are not parsed again, diagnostics stay exact."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coursepack import prefetch, yamlload
from coursepack.cli import main

CACHE = ".coursepack-cache"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed from their bytes, in order."""
    seen: list[str] = []
    real = yamlload.loads

    def spy(raw: bytes, path: Path, display: str) -> yamlload.Document:
        seen.append(Path(display).name)
        return real(raw, path, display)

    monkeypatch.setattr(prefetch, "loads", spy)
    return seen


def validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", "source", *args])
    return result.exit_code, result.output


def test_a_run_keeps_its_parses_and_later_runs_use_them(minimal: Path,
                                                        parses: list[str]) -> None:
    validate()  # makes the cache and keeps every file's parse
    first = len(parses)
    question = minimal / "units" / "u1" / "questions.yaml"
    question.write_text(question.read_text() + "\n")
    validate()  # the changed file alone is parsed
    assert parses[first:] == ["questions.yaml"]
    question.write_text(question.read_text() + "\n")
    assert validate() == validate("--no-cache")
    assert parses[first + 1:].count("questions.yaml") == 2  # this run's, and --no-cache's
    assert parses[first + 1:].count("unit.yaml") == 1  # the --no-cache run only
    assert len(parses) == first + 1 + 1 + first


def test_a_file_made_bad_is_parsed_and_reported_exactly(minimal: Path, parses: list[str]) -> None:
    validate()
    validate("--strict")
    question = minimal / "units" / "u1" / "questions.yaml"
    question.write_text(question.read_text().replace("Which step of LAST comes first?", "''"))
    assert validate() == validate("--no-cache")
    assert validate()[0] == 1


def test_a_damaged_or_foreign_entry_is_parsed_again(minimal: Path, parses: list[str]) -> None:
    validate()
    files = len(parses)
    unit = minimal / "units" / "u1" / "unit.yaml"
    unit.write_text(unit.read_text() + "\n")
    validate()
    entries = sorted((minimal.parent / CACHE).rglob("*.entry"))
    for entry in entries:
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 1
        entry.write_bytes(bytes(data))
    unit.write_text(unit.read_text() + "\n")
    before = len(parses)
    assert validate() == validate("--no-cache")
    assert len(parses) - before == 2 * files  # every entry refused: both runs parse all


def test_warnings_of_a_kept_file_are_kept_with_it(minimal: Path, parses: list[str]) -> None:
    unit = minimal / "units" / "u1" / "unit.yaml"
    unit.write_text(unit.read_text().replace("synopsis: ", "synopsis: 'Spaced. ' #", 1))
    validate()
    glossary = minimal / "glossary.yaml"
    glossary.write_text(glossary.read_text() + "\n")
    first = validate()  # keeps the parses, the unit's warning with them
    glossary.write_text(glossary.read_text() + "\n")
    before = len(parses)
    again = validate()  # the unit is not parsed again: its warning comes from the cache
    assert parses[before:] == ["glossary.yaml"]
    assert again == first == validate("--no-cache")
    assert "[trimmed-space]" in again[1]


def test_each_questions_own_rules_are_kept_with_its_parse(minimal: Path, parses: list[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from coursepack import checks

    questions = minimal / "units" / "u1" / "questions.yaml"
    questions.write_text(questions.read_text().replace(
        "    text: Explain follow-up.\n",
        "    text: Explain follow-up.\n    min_words: 50\n    max_words: 10\n").replace(
        "      - {text: Solve, feedback: No.}\n",
        "      - {text: Solve, feedback: No.}\n      - {text: Solve, feedback: Again.}\n"))
    fresh = validate("--no-cache")
    assert fresh[0] == 1 and "[bad-range]" in fresh[1] and "[duplicate-answer]" in fresh[1]
    assert validate() == fresh and "questions.yaml" in parses
    parses.clear()
    asked: list[object] = []
    real = checks.check_question
    monkeypatch.setattr(checks, "check_question", lambda q: asked.append(q) or real(q))
    unit = minimal / "units" / "u1" / "unit.yaml"
    unit.write_text(unit.read_text().replace("synopsis: ", "synopsis: Edited. ", 1))
    again = validate()  # a new run: the questions' parse, with its rules' findings, kept
    assert "questions.yaml" not in parses and "unit.yaml" in parses and asked == []
    assert again == fresh
