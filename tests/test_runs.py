"""Whole-run records: an unchanged validate or build is replayed exactly, anything else is not."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coursepack import runs
from coursepack.cache import Cache
from coursepack.cli import main

CACHE = ".coursepack-cache"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every real (not replayed) check of a source, in order."""
    calls: list[Path] = []
    real = runs.check_source

    def spy(root: Path, formats: list[str] | None = None, cache: Cache | None = None,
            jobs: int = 1, seen: dict[Path, bytes] | None = None) -> runs.Checked:
        calls.append(root)
        return real(root, formats, cache, jobs, seen)

    monkeypatch.setattr(runs, "check_source", spy)
    return calls


def _break(source: Path) -> None:
    path = source / "units" / "u1" / "questions.yaml"
    path.write_text(path.read_text().replace("Which step of LAST comes first?", "''"))


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_an_unchanged_validate_prints_the_same_without_reading(minimal: Path, counted: list[Path],
                                                               fmt: str) -> None:
    _break(minimal)
    first, second = run("validate", "source", "--format", fmt), run("validate", "source",
                                                                    "--format", fmt)
    assert (first.exit_code, first.stdout, first.stderr) == (1, second.stdout, second.stderr)
    assert second.exit_code == 1 and "empty-text" in first.output
    assert len(counted) == 1
    assert (minimal.parent / CACHE / ".gitignore").read_text().splitlines()[-1] == "*"


@pytest.mark.parametrize("change", ["edit", "new-file", "remove-unit", "epoch", "ignore-rule"])
def test_any_change_the_reader_would_see_is_checked_again(minimal: Path, counted: list[Path],
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          change: str) -> None:
    first = run("validate", "source")
    if change == "edit":
        _break(minimal)
    elif change == "new-file":
        (minimal / "units" / "u1" / "notes.yml").write_text("x: 1\n")
    elif change == "remove-unit":
        (minimal / "units" / "u1" / "unit.yaml").unlink()
    elif change == "epoch":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225601")
    else:
        (minimal / ".coursepackignore").write_text("*.md\n")
    second = run("validate", "source")
    assert len(counted) == 2
    assert second.output == CliRunner().invoke(main, ["validate", "source", "--no-cache"]).output
    if change != "epoch":
        assert second.output != first.output or change == "ignore-rule"


def test_without_the_epoch_a_file_s_date_is_part_of_the_run(minimal: Path, counted: list[Path],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    run("validate", "source")
    unit = minimal / "units" / "u1" / "unit.yaml"
    os.utime(unit, (1_800_000_000, 1_800_000_000))
    run("validate", "source")
    run("validate", "source")
    assert len(counted) == 2


def test_no_cache_neither_reads_nor_writes(minimal: Path, counted: list[Path]) -> None:
    run("validate", "source", "--no-cache")
    run("validate", "source", "--no-cache")
    assert len(counted) == 2 and not (minimal.parent / CACHE).exists()


def test_an_unchanged_build_does_nothing(minimal: Path, counted: list[Path]) -> None:
    first = run("build", "source", "-v")
    before = {p: p.stat().st_mtime_ns for p in Path("build").rglob("*")}
    second = run("build", "source", "-v")
    assert first.exit_code == second.exit_code == 0
    assert second.stdout.splitlines()[0] == ("build/ is up to date: the source has not changed "
                                             "since it was built")
    assert second.output.splitlines()[1:] == [line for line in first.output.splitlines()
                                              if not line.startswith("wrote ")
                                              and " tasks: " not in line]
    assert len(counted) == 1
    assert {p: p.stat().st_mtime_ns for p in Path("build").rglob("*")} == before


@pytest.mark.parametrize("damage", ["edit", "remove", "add"])
def test_a_build_whose_output_was_touched_is_checked_again(minimal: Path, counted: list[Path],
                                                           damage: str) -> None:
    run("build", "source")
    built = {p.relative_to("build"): p.read_bytes() for p in Path("build").rglob("*")
             if p.is_file()}
    gift = Path("build") / "u1" / "questions.gift.txt"
    if damage == "edit":
        gift.write_bytes(gift.read_bytes() + b"\n")
    elif damage == "remove":
        gift.unlink()
    else:
        (Path("build") / "extra.txt").write_text("mine")
    second = run("build", "source")
    if damage == "add":  # a folder holding files coursepack did not write is never replaced
        assert second.exit_code == 2 and (Path("build") / "extra.txt").exists()
        assert second.output.endswith("[output-not-ours]\n")
        return
    assert len(counted) == 2
    assert second.exit_code == 0, second.output
    assert {p.relative_to("build"): p.read_bytes() for p in Path("build").rglob("*")
            if p.is_file()} == built


def test_other_options_are_other_runs(minimal: Path, counted: list[Path]) -> None:
    run("build", "source")
    run("build", "source", "--only", "gift")
    run("build", "source", "-o", "other")
    assert len(counted) == 3
    assert sorted(p.name for p in Path("build").iterdir()) == [".coursepack-build.json",
                                                               "questions.gift.txt", "u1"]


def test_without_the_epoch_a_new_commit_is_a_new_run(minimal: Path, counted: list[Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The content's dates come from git then: the same files in a new commit are checked
    again (their dates may have changed)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-01-02T00:00:00Z",
           "GIT_COMMITTER_DATE": "2026-01-02T00:00:00Z", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid"}

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(minimal), *args], check=True, env=env,
                       capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "first")
    run("validate", "source")
    run("validate", "source")
    git("commit", "-q", "--allow-empty", "-m", "second")
    run("validate", "source")
    assert len(counted) == 2


def test_an_entry_of_units_that_turns_bad_is_seen(minimal: Path, counted: list[Path]) -> None:
    notes = minimal / "units" / "notes"
    notes.write_text("not a unit")
    first = run("validate", "source")
    notes.unlink()
    notes.symlink_to("/nonexistent/target")
    second = run("validate", "source")
    assert len(counted) == 2 and first.exit_code == 0
    assert second.exit_code == 1 and "[broken-link]" in second.output


def test_a_run_whose_source_changed_meanwhile_is_not_kept(minimal: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real = runs.check_source
    question = minimal / "units" / "u1" / "questions.yaml"
    original = question.read_text()
    broken = original.replace("Which step of LAST comes first?", "''")

    def edit_during(root: Path, formats: list[str] | None = None, cache: Cache | None = None,
                    jobs: int = 1, seen: dict[Path, bytes] | None = None) -> runs.Checked:
        question.write_text(original)  # the fix, saved after the run took its snapshot
        return real(root, formats, cache, jobs, seen)

    question.write_text(broken)
    monkeypatch.setattr(runs, "check_source", edit_during)
    run("validate", "source")
    monkeypatch.setattr(runs, "check_source", real)
    question.write_text(broken)  # the content the run began with, back again
    again = run("validate", "source")
    assert again.exit_code == 1 and "[empty-text]" in again.output


def test_a_run_takes_the_parse_of_the_content_its_key_saw(minimal: Path) -> None:
    question = minimal / "units" / "u1" / "questions.yaml"
    cache = Cache(minimal.parent / CACHE)
    runs.check_source(minimal, cache=cache)  # every file's parse kept
    key = runs.run_key(minimal, cache, "validate")
    assert question in key.seen and minimal / "course.yaml" in key.seen
    _break(minimal)  # saved after the key was taken: the run is the key's, not this
    checked = runs.check_source(minimal, cache=cache, seen=key.seen)
    assert not any(d.code == "empty-text" for d in checked.diagnostics)
    assert key.seen == {}  # taken, and what was not taken let go
    fresh = runs.run_key(minimal, cache, "validate").seen  # a key that saw the broken file
    assert any(d.code == "empty-text" for d in
               runs.check_source(minimal, cache=cache, seen=fresh).diagnostics)


def test_a_copy_that_keeps_size_and_time_is_not_taken_for_the_build(minimal: Path,
                                                                    counted: list[Path]) -> None:
    run("build", "source")
    gift = Path("build") / "u1" / "questions.gift.txt"
    original = gift.read_bytes()
    copy = Path("copy.txt")
    copy.write_bytes(original.replace(b"$CATEGORY", b"$CATEGORX"))
    info = gift.stat()
    os.utime(copy, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(copy, gift)  # same size and time, other bytes
    assert run("build", "source").exit_code == 0
    assert len(counted) == 2 and gift.read_bytes() == original


def test_one_walk_gives_the_digest_and_the_fingerprint_a_later_walk_checks(
        minimal: Path) -> None:
    from coursepack.snapshot import source_digest, source_digests

    digest, fingerprint = source_digests(minimal, "validate")
    assert fingerprint == source_digest(minimal, "validate", stat_only=True)
    assert digest == source_digest(minimal, "validate") != fingerprint
    question = minimal / "units" / "u1" / "questions.yaml"
    question.write_bytes(question.read_bytes())  # the same bytes, written again
    assert source_digest(minimal, "validate") == digest
    assert source_digest(minimal, "validate", stat_only=True) != fingerprint


def test_a_settled_file_is_known_by_its_table_entry_until_it_is_written_again(
        minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coursepack import snapshot

    monkeypatch.setattr(snapshot, "SETTLED_NS", 0)  # every file read is settled at once
    cache = Cache(minimal.parent / CACHE)
    first = runs.run_key(minimal, cache, "validate")
    cache.flush()
    question = minimal / "units" / "u1" / "questions.yaml"
    real_read = Path.open
    opened: list[Path] = []

    def spy(path: Path, *args: object, **kwargs: object) -> object:
        opened.append(path)
        return real_read(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", spy)
    again = runs.run_key(minimal, cache, "validate")
    assert again.digest == first.digest and again.seen == first.seen
    assert question not in opened and minimal / "course.yaml" not in opened  # from the table
    info = question.stat()
    text = question.read_text()
    question.write_text(text.replace("Which step", "Whose step"))  # same size
    os.utime(question, ns=(info.st_atime_ns, info.st_mtime_ns))  # and the same time
    cache.flush()
    edited = runs.run_key(minimal, cache, "validate")
    assert question in opened and edited.digest != first.digest
    assert edited.digest == snapshot.source_digest(minimal, "validate")  # as with no table


def test_a_file_written_just_before_it_is_read_is_not_settled(
        minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from coursepack import snapshot

    monkeypatch.setattr(snapshot, "SETTLED_NS", 300_000_000)
    time.sleep(0.4)  # the fixture's files are settled now
    question = minimal / "units" / "u1" / "questions.yaml"
    question.write_bytes(question.read_bytes())
    settled: snapshot.Settled = {}
    snapshot.source_digests(minimal, "validate", settled=settled)
    assert "course.yaml" in settled and "units/u1/unit.yaml" in settled
    assert "units/u1/questions.yaml" not in settled
