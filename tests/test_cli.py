"""The command line: exit codes, output formats, and no traceback whatever the input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursepack.cli import main


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def test_clean_source_exits_zero(minimal: Path) -> None:
    result = run("validate", "source")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == ("1 units, 9 questions, 3 lesson pages, "
                                              "3 glossary terms: 0 errors, 2 warnings")


def test_validate_reports_what_build_reports(minimal: Path) -> None:
    """validate runs the writers' checks: GIFT's omissions show before anyone builds."""
    validated = run("validate", "source").output.splitlines()[:-1]
    built = [line for line in run("build", "source", "-v").output.splitlines()
             if not line.startswith("wrote ") and " tasks: " not in line][:-1]
    assert validated == built
    assert [line.rsplit(" ", 1)[-1] for line in validated] == ["[gift-omitted]"] * 2


def test_build_prints_a_table_per_format_or_each_file_or_nothing(minimal: Path) -> None:
    rows = run("build", "source", "--no-cache").output.splitlines()
    assert rows[0] == "wrote build/:" and rows[1].split() == ["format", "files", "size",
                                                              "warnings"]
    table = {row.split()[0]: row.split()[1:] for row in rows[2:9]}
    assert list(table) == ["moodle-xml", "gift", "glossary", "scorm", "imscp", "mbz", "total"]
    assert table["gift"][0] == "2" and table["gift"][-1] == "2"  # 2 files; 2 left-out warnings
    assert table["total"][0] == str(sum(1 for p in Path("build").rglob("*") if p.is_file()) - 1)
    verbose = run("build", "source", "-v", "--no-cache", "-o", "other").output
    assert "wrote other/u1/u1.mbz (" in verbose and "format" not in verbose
    quiet = run("build", "source", "-q", "--no-cache", "-o", "third")
    assert quiet.exit_code == 0
    assert [line.rsplit(" ", 1)[-1] for line in quiet.output.splitlines()] == [
        "[gift-omitted]"] * 2


def test_accepted_warnings_are_counted_not_listed(minimal: Path) -> None:
    course = minimal / "course.yaml"
    course.write_text(course.read_text() + "accept_warnings: [gift-omitted]\n")
    result = run("validate", "source", "--strict")
    assert result.exit_code == 0, result.output
    assert result.output == ("1 units, 9 questions, 3 lesson pages, 3 glossary terms: "
                             "0 errors, 0 warnings (2 accepted warnings not listed)\n")


def test_default_path_is_source(minimal: Path) -> None:
    assert run("validate").exit_code == 0


def _break(minimal: Path) -> None:
    path = minimal / "units" / "u1" / "questions.yaml"
    path.write_text(path.read_text().replace("Which step of LAST comes first?", "''"))


def test_json_format(minimal: Path) -> None:
    _break(minimal)
    result = run("validate", "source", "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert rows == [{"file": "source/units/u1/questions.yaml", "line": 5, "col": 11,
                     "severity": "error", "code": "empty-text",
                     "message": "multichoice question 'u1-q01': must not be empty"}]


def test_github_format(minimal: Path) -> None:
    _break(minimal)
    result = run("validate", "source", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=source/units/u1/questions.yaml,line=5,col=11,title=empty-text::"
        "multichoice question 'u1-q01': must not be empty [empty-text]\n")


def test_a_file_argument_reports_only_that_file(minimal: Path) -> None:
    _break(minimal)
    (minimal / "units" / "u1" / "lesson.yaml").write_text("pages: []\n")
    result = run("validate", "source/units/u1/lesson.yaml")
    assert result.exit_code == 1
    assert "questions.yaml" not in result.output
    assert "source/units/u1/lesson.yaml:1:8: error: needs at least 1 item, has 0" in result.output


def test_strict_makes_warnings_fail(minimal: Path) -> None:
    (minimal / "units" / "spare").mkdir()
    assert run("validate", "source").exit_code == 0
    result = run("validate", "source", "--strict")
    assert result.exit_code == 1
    assert "warning: unit folder 'spare' is not listed" in result.output


def test_usage_error_exits_two(minimal: Path) -> None:
    assert run("validate", "--format", "xml").exit_code == 2
    assert run("frobnicate").exit_code == 2


@pytest.mark.parametrize("setup", ["missing", "empty-dir", "a-file", "link-loop", "newline"])
def test_hopeless_paths_are_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               setup: str) -> None:
    monkeypatch.chdir(tmp_path)
    if setup == "empty-dir":
        (tmp_path / "source").mkdir()
    if setup == "a-file":
        (tmp_path / "source").write_bytes(b"\x89PNG\x00\x00")
    if setup == "link-loop":
        (tmp_path / "source").symlink_to("loop")
        (tmp_path / "loop").symlink_to("source")
    name = "sou\nrce" if setup == "newline" else "source"
    for args in (["validate", name], ["validate", f"{name}/course.yaml"],
                 ["build", name, "-o", "out"]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        lines = result.output.splitlines()
        assert ": error: " in lines[0], lines
        assert all(line.startswith(("sou", "build failed")) for line in lines), lines


def test_build_refuses_bad_source_and_keeps_old_output(minimal: Path) -> None:
    assert run("build", "source", "--only", "gift").exit_code == 0
    old = minimal.parent / "build"
    before = {p: p.read_bytes() for p in old.rglob("*") if p.is_file()}
    _break(minimal)
    result = run("build", "source")
    assert result.exit_code == 1
    assert "build failed; build/ was left as it was" in result.output
    assert {p: p.read_bytes() for p in old.rglob("*") if p.is_file()} == before


def test_version() -> None:
    assert run("--version").output.startswith("coursepack, version ")
