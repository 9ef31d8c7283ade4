"""The output folder: builds never destroy what they did not write, and fail cleanly."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coursepack.cli import main
from coursepack.output import MARKER


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _refused(result: Result, code: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("coursepack: error: "), result.output
    assert lines[0].endswith(f"[{code}]")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_a_marker_listing_every_file(minimal: Path) -> None:
    assert run("build", "source", "--only", "gift").exit_code == 0
    build = minimal.parent / "build"
    record = json.loads((build / MARKER).read_text())
    assert record["generator"] == "coursepack"
    assert record["files"] == sorted(_tree(build))


@pytest.mark.parametrize(("output", "code"), [
    (".", "output-unsafe"), ("source", "output-holds-source"), ("..", "output-holds-source"),
    ("source/units", "output-not-ours"), ("NOTES.md", "output-not-folder"),
    ("repo", "output-unsafe"), ("mine", "output-not-ours"), ("link", "output-link"),
    ("NOTES.md/build", "output-not-folder"),
])
def test_unsafe_output_folders_are_refused_untouched(minimal: Path, output: str,
                                                     code: str) -> None:
    work = minimal.parent
    (work / "NOTES.md").write_text("my notes")
    (work / "repo" / ".git").mkdir(parents=True)
    (work / "mine").mkdir()
    (work / "mine" / "draft.txt").write_text("draft")
    (work / "link").symlink_to("mine")
    before = _tree(work)
    _refused(run("build", "source", "-o", output), code)
    assert _tree(work) == before


def test_home_folder_is_refused(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(minimal.parent / "home"))
    (minimal.parent / "home").mkdir()
    _refused(run("build", "source", "-o", "home"), "output-unsafe")


def test_a_file_added_to_a_build_folder_stops_the_next_build(minimal: Path) -> None:
    assert run("build", "source", "--only", "gift").exit_code == 0
    build = minimal.parent / "build"
    (build / "u1" / "notes.txt").write_text("keep me")
    before = _tree(build)
    _refused(run("build", "source", "--only", "gift"), "output-not-ours")
    assert _tree(build) == before
    (build / "u1" / "notes.txt").unlink()
    assert run("build", "source").exit_code == 0
    assert "u1/questions.xml" in _tree(build)


def test_an_empty_folder_and_a_dedicated_folder_inside_the_source_are_used(
        minimal: Path) -> None:
    (minimal.parent / "out").mkdir()
    assert run("build", "source", "--only", "gift", "-o", "out").exit_code == 0
    result = run("build", "source", "--only", "gift", "-o", "source/build")
    assert result.exit_code == 0, result.output
    assert run("validate", "source", "--strict").output.count("[unread-file]") == 0


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_staging_left_by_a_killed_build_is_removed(minimal: Path) -> None:
    work = minimal.parent
    stale = work / f".build.coursepack-new-{_dead_pid()}-x1"
    (stale / "u1").mkdir(parents=True)
    (stale / "u1" / "questions.xml").write_text("partial")
    alive = work / f".build.coursepack-new-{os.getppid()}-x2"
    alive.mkdir()
    other = work / ".build.new-user-folder"
    other.mkdir()
    assert run("build", "source", "--only", "gift").exit_code == 0
    assert not stale.exists()
    assert alive.exists() and other.exists()
    assert sorted(p.name for p in work.iterdir() if "coursepack-new" in p.name) == [alive.name]


def test_folders_follow_the_umask(minimal: Path) -> None:
    old = os.umask(0o002)
    try:
        assert run("build", "source", "--only", "gift").exit_code == 0
    finally:
        os.umask(old)
    build = minimal.parent / "build"
    assert build.stat().st_mode & 0o777 == 0o775
    assert (build / "u1").stat().st_mode & 0o777 == 0o775
    assert (build / "u1" / "questions.gift.txt").stat().st_mode & 0o777 == 0o664


def test_disk_full_leaves_the_previous_build(minimal: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build", "source", "--only", "gift").exit_code == 0
    build = minimal.parent / "build"
    before = _tree(build)
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.name == "questions.xml":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    result = run("build", "source")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].endswith("No space left on device [io-error]")
    assert "Traceback" not in result.output
    assert _tree(build) == before
    assert [p.name for p in minimal.parent.iterdir() if "coursepack-new" in p.name] == []


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "4354819199", "1" * 40, "١٢٣"])
def test_bad_source_date_epoch_is_a_usage_error(minimal: Path, value: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    _refused(run("build", "source"), "bad-environment")
    assert not (minimal.parent / "build").exists()


@pytest.mark.parametrize("value", ["", "0", "4354819198", " 1700000000 "])
def test_good_or_empty_source_date_epoch_builds(minimal: Path, value: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert run("build", "source", "--only", "imscp").exit_code == 0


def test_a_rebuild_leaves_the_new_output_alone_and_the_old_one_removed(minimal: Path) -> None:
    assert run("build", "source").exit_code == 0
    questions = minimal / "units" / "u1" / "questions.yaml"
    questions.write_text(questions.read_text().replace("Which step", "Whose step"))
    old = {(p.stat().st_ino, p.name) for p in (minimal.parent / "build").rglob("*")}
    assert run("build", "source").exit_code == 0
    assert [p.name for p in minimal.parent.iterdir() if "coursepack-new" in p.name] == []
    new = {(p.stat().st_ino, p.name) for p in (minimal.parent / "build").rglob("*")}
    assert new != old and b"Whose step" in (minimal.parent / "build" / "questions.xml").read_bytes()

