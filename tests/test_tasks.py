"""The build as tasks: byte-identical whatever the jobs or the cache, incremental, cache-safe."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest

from coursepack import output, parsed, tasks
from coursepack.build import build, plan
from coursepack.cache import TAG_NAME, Cache
from coursepack.model import Catalogue
from coursepack.output import BuildError
from coursepack.source import read_source
from coursepack.spool import Spool
from coursepack.taskindex import INDEX, Index, index_key
from coursepack.tasks import keys, plan_tasks
from coursepack.writers import WRITERS
from coursepack.yamlload import content_digest

SEED = Path(__file__).resolve().parent.parent / "source"


def catalogue(root: Path) -> Catalogue:
    found = read_source(root).catalogue
    assert found is not None
    return found


def folder(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes()
            for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    shutil.copytree(SEED, tmp_path / "source")
    return tmp_path / "source"


def test_the_same_bytes_whatever_the_jobs_and_the_cache(seed: Path, tmp_path: Path) -> None:
    cat = catalogue(seed)
    build(cat, None, tmp_path / "one", jobs=1)
    build(cat, None, tmp_path / "two", jobs=2, cache=Cache(tmp_path / "cache"))
    build(cat, None, tmp_path / "three", jobs=2, cache=Cache(tmp_path / "cache"))
    one = folder(tmp_path / "one")
    assert one == folder(tmp_path / "two") == folder(tmp_path / "three")
    assert {k: v for k, v in one.items() if k != ".coursepack-build.json"} == plan(cat)


def test_an_unchanged_source_writes_nothing(seed: Path, tmp_path: Path) -> None:
    cat, cache, out = catalogue(seed), Cache(tmp_path / "cache"), tmp_path / "build"
    first = build(cat, None, out, jobs=2, cache=cache)
    assert (first.built, first.cached, first.unchanged) == (len(plan_tasks(cat)), 0, False)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    again = build(cat, None, out, jobs=2, cache=cache)
    assert (again.built, again.cached, again.unchanged) == (0, len(plan_tasks(cat)), True)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    assert not [p for p in tmp_path.iterdir() if "coursepack-new" in p.name]


def test_an_edit_to_one_unit_rebuilds_that_unit_and_the_course_files(seed: Path,
                                                                      tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    build(catalogue(seed), None, tmp_path / "build", jobs=2, cache=cache)
    unit = seed / "units" / "core" / "unit.yaml"
    unit.write_text(unit.read_text().replace("This unit", "This revised unit", 1))
    cat = catalogue(seed)
    counts = build(cat, None, tmp_path / "build", jobs=2, cache=cache)
    course_tasks = sum(WRITERS[f].course_files is not None for f in WRITERS)
    shares = sum(WRITERS[f].course_from_parts is not None for f in WRITERS)  # course.mbz's
    assert counts.built == len(WRITERS) + shares + course_tasks
    assert folder(tmp_path / "build") == {**plan(cat), ".coursepack-build.json": folder(
        tmp_path / "build")[".coursepack-build.json"]}


def test_keys_follow_what_a_task_reads(seed: Path) -> None:
    before = catalogue(seed)
    lesson = seed / "units" / "nocn-l2" / "lesson.yaml"
    lesson.write_text(lesson.read_text().replace("LAST", "LAST ", 1))
    after = catalogue(seed)
    a, b = keys(before, plan_tasks(before)), keys(after, plan_tasks(after))
    changed = {t for t in a if a[t] != b[t]}
    assert {t.unit for t in changed} == {"nocn-l2", None}


def unit_keys(cat: Catalogue) -> dict[str | None, str]:
    return {t.unit: k for t, k in keys(cat, plan_tasks(cat, ["gift"])).items() if not t.part}


def test_a_units_key_stands_for_its_files_its_date_and_the_pass_mark(
        seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def catalogue(root: Path) -> Catalogue:
        found = read_source(root, Cache(tmp_path / "cache")).catalogue
        assert found is not None
        return found

    first = catalogue(seed)
    assert all(len(u.made_from) == 64 for u in first.units)
    assert unit_keys(catalogue(seed)) == unit_keys(first)
    assert not replace(first.units[0], title="Changed").made_from  # then keyed by content
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    for path in seed.rglob("*"):
        os.utime(path, (1_760_000_000, 1_760_000_000))
    dated = unit_keys(catalogue(seed))
    os.utime(seed / "units" / "core" / "lesson.yaml", (1_770_000_000, 1_770_000_000))
    later = unit_keys(catalogue(seed))
    assert {u for u in dated if dated[u] != later[u]} == {"core", None}
    course = seed / "course.yaml"
    course.write_text(course.read_text() + "pass_mark: 70\n")
    os.utime(course, (1_760_000_000, 1_760_000_000))
    marked = unit_keys(catalogue(seed))
    assert not {u for u in later if later[u] == marked[u]}


def test_a_damaged_or_foreign_cache_is_never_trusted(seed: Path, tmp_path: Path) -> None:
    cat, root = catalogue(seed), tmp_path / "cache"
    build(cat, ["moodle-xml"], tmp_path / "a", jobs=1, cache=Cache(root))
    entries = sorted(root.rglob("*.entry"))
    for n, entry in enumerate(entries):  # truncated, flipped, emptied
        data = entry.read_bytes()
        entry.write_bytes([data[:-7], data[:-1] + b"?", b""][n % 3])
    counts = build(cat, ["moodle-xml"], tmp_path / "b", jobs=1, cache=Cache(root))
    assert counts.built == len(plan_tasks(cat, ["moodle-xml"])) and counts.cached == 0
    assert folder(tmp_path / "b") == folder(tmp_path / "a")
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep")
    build(cat, ["gift"], tmp_path / "c", jobs=1, cache=Cache(foreign))
    assert folder(foreign) == {"notes.txt": b"keep"}
    assert not (foreign / TAG_NAME).exists()


def test_unchanged_outputs_are_linked_not_written_again(seed: Path, tmp_path: Path) -> None:
    cache, out = Cache(tmp_path / "cache"), tmp_path / "build"
    build(catalogue(seed), None, out, jobs=1, cache=cache)
    before = {p.relative_to(out): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    (out / "core" / "questions.xml").write_bytes(b"edited by hand")  # known no longer
    unit = seed / "units" / "nocn-l2" / "unit.yaml"
    unit.write_text(unit.read_text().replace("This unit", "This revised unit", 1))
    cat = catalogue(seed)
    build(cat, None, out, jobs=1, cache=cache)
    after = {p.relative_to(out): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    kept = {name for name in after if before.get(name) == after[name]}
    assert Path("core/questions.xml") not in kept and Path("nocn-l2/questions.xml") not in kept
    assert Path("highfield-l3/questions.xml") in kept and len(kept) > len(after) // 2
    assert folder(out) == {**plan(cat), ".coursepack-build.json": folder(out)[
        ".coursepack-build.json"]}


def test_a_unit_edit_changes_that_units_date_alone(seed: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    for path in seed.rglob("*"):
        os.utime(path, (1_760_000_000, 1_760_000_000))
    os.utime(seed / "units" / "core" / "questions.yaml", (1_770_000_000, 1_770_000_000))
    cat = catalogue(seed)
    assert {u.id: u.updated for u in cat.units} == {
        u.id: 1_770_000_000 if u.id == "core" else 1_760_000_000 for u in cat.units}
    assert cat.updated == 1_770_000_000
    os.utime(seed / "glossary.yaml", (1_780_000_000, 1_780_000_000))
    assert {u.updated for u in catalogue(seed).units} == {1_780_000_000}


def test_a_cache_that_arrives_with_the_content_is_ignored(seed: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries are signed with this machine's secret: a cache folder written elsewhere (shipped
    in a repository, say) cannot put its files into a build, even under the right keys."""
    cat, shipped = catalogue(seed), tmp_path / "shipped"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    build(cat, ["gift"], tmp_path / "a", jobs=1, cache=Cache(shipped))
    assert build(cat, ["gift"], tmp_path / "a", jobs=1, cache=Cache(shipped)).cached > 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "here"))
    counts = build(cat, ["gift"], tmp_path / "b", jobs=1, cache=Cache(shipped))
    assert counts.cached == 0 and counts.built == len(plan_tasks(cat, ["gift"]))
    assert (tmp_path / "here" / "coursepack" / "secret").stat().st_mode & 0o777 == 0o600


def test_shares_wait_on_disk_and_read_back_exactly() -> None:
    spool = Spool()
    files = {"a": b"one", "b": bytes(range(256)) * 5000, "empty": b""}
    spool.keep("mbz", "u1", files)
    spool.keep("mbz", "u2", {"a": b"two"})
    spool.keep("gift", "u1", {"share": b"\n::q::x{}"})
    assert (spool.count("mbz"), spool.count("gift"), spool.count("xml")) == (2, 1, 0)
    share = spool.share("mbz", "u1")
    assert dict(share) == files and list(share) == ["a", "b", "empty"] and len(share) == 3
    assert spool.share("mbz", "u2")["a"] == b"two"
    spool.keep("mbz", "u2", {"a": b"again"})  # a unit's share given again replaces it
    assert spool.count("mbz") == 2 and spool.share("mbz", "u2")["a"] == b"again"
    spool.close()
    assert spool.count("mbz") == 0


def test_an_entry_is_located_and_a_listing_stored_without_bytes(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    files = {"course.mbz": b"\x1f\x8b" + os.urandom(3_000_000), "q.xml": "<q>é</q>".encode()}
    listing = {name: (len(data), hashlib.sha256(data).hexdigest()) for name, data in files.items()}
    cache.put("k" * 64, files)
    path, placed = cache.locate("k" * 64) or (Path(), {})
    blob = path.read_bytes()
    assert {name: blob[at:at + size] for name, (at, size, _) in placed.items()} == files
    assert {name: (size, digest) for name, (_, size, digest) in placed.items()} == listing
    assert cache.listing("k" * 64) == listing and cache.stored_listing("k" * 64) is None
    cache.put_listing("j" * 64, listing)
    assert cache.stored_listing("j" * 64) == listing and cache.get("j" * 64) is None
    assert cache.locate("m" * 64) is None


def test_a_share_whose_entry_changed_is_made_again(seed: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cache, out = Cache(tmp_path / "cache"), tmp_path / "build"
    cat = catalogue(seed)
    build(cat, None, out, jobs=1, cache=cache)
    shares = [t for t in plan_tasks(cat) if t.part]
    for n, task in enumerate(shares):  # one flipped at its end (its listing holds), one emptied
        entry = cache.locate(keys(cat, [task])[task])
        assert entry is not None
        blob = entry[0].read_bytes()
        entry[0].write_bytes([blob[:-1] + bytes([blob[-1] ^ 1]), b"", blob][n % 3])
    unit = seed / "units" / "nocn-l2" / "unit.yaml"
    unit.write_text(unit.read_text().replace("This unit", "This revised unit", 1))
    cat = catalogue(seed)
    made: list[tuple[str, str | None]] = []
    real = tasks.run_task

    def spy(catalogue: Catalogue, task: tasks.Task) -> dict[str, bytes]:
        made.append((task.format, task.unit))
        return real(catalogue, task)

    monkeypatch.setattr(tasks, "run_task", spy)
    counts = build(cat, None, out, jobs=1, cache=cache)
    again = {(t.format, t.unit) for n, t in enumerate(shares) if n % 3 < 2 or t.unit == "nocn-l2"}
    assert {(t.format, t.unit) for t in shares} & set(made) == again
    assert counts.cached + counts.built == len(plan_tasks(cat))
    assert folder(out) == {**plan(cat), ".coursepack-build.json": folder(out)[
        ".coursepack-build.json"]}
    assert cache.get(keys(cat, [shares[0]])[shares[0]]) is not None  # the entry made again


def test_entries_gone_since_the_index_was_kept_are_made_again(seed: Path,
                                                              tmp_path: Path) -> None:
    cache, out = Cache(tmp_path / "cache"), tmp_path / "build"
    build(catalogue(seed), None, out, jobs=1, cache=cache)
    index = cache.entry_path(index_key(out))
    known = index.read_bytes()
    for entry in (tmp_path / "cache").glob("*/*.entry"):
        if entry != index and len(entry.read_bytes()) > 2000:  # every task's, not the records
            entry.unlink()
    unit = seed / "units" / "core" / "unit.yaml"
    unit.write_text(unit.read_text().replace("This unit", "This revised unit", 1))
    (out / "nocn-l2" / "gift.txt").unlink(missing_ok=True)
    cat = catalogue(seed)
    counts = build(cat, None, out, jobs=2, cache=cache)
    assert index.read_bytes() != known and counts.built > len(WRITERS)
    assert folder(out) == {**plan(cat), ".coursepack-build.json": folder(out)[
        ".coursepack-build.json"]}


def test_the_index_keeps_the_shares_a_build_did_not_need(seed: Path, tmp_path: Path) -> None:
    cache, out = Cache(tmp_path / "cache"), tmp_path / "build"
    cat = catalogue(seed)
    build(cat, None, out, jobs=1, cache=cache)
    assert build(cat, None, out, jobs=1, cache=cache).unchanged  # the course files kept
    shares = {k for t, k in keys(cat, plan_tasks(cat)).items() if t.part}
    assert shares and shares <= set(Index(cache, index_key(out)).known)


def test_an_entry_whose_bytes_or_head_were_changed_is_not_taken(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    cache.put("k" * 64, {"a.txt": b"alpha", "b.txt": b"beta"})
    entry = next((tmp_path / "cache").glob("*/*.entry"))
    blob = entry.read_bytes()
    entry.write_bytes(blob[:-1] + b"A")  # a byte of a file: the listing holds, the bytes do not
    assert cache.listing("k" * 64) is not None and cache.get("k" * 64) is None
    entry.write_bytes(blob.replace(b'"a.txt"', b'"c.txt"'))  # the head: not ours any more
    assert cache.listing("k" * 64) is None and cache.get("k" * 64) is None
    entry.write_bytes(blob + b"x")  # grown: neither
    assert cache.listing("k" * 64) is None and cache.get("k" * 64) is None
    entry.write_bytes(blob)
    assert cache.get("k" * 64) == {"a.txt": b"alpha", "b.txt": b"beta"}


def test_files_the_output_still_holds_are_linked_without_reading_the_cache(
        seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cat, cache, out = catalogue(seed), Cache(tmp_path / "cache"), tmp_path / "build"
    build(cat, None, out, jobs=1, cache=cache)
    before = folder(out)
    inodes = {p: p.stat().st_ino for p in out.rglob("*.zip")}
    (out / "core" / "glossary.xml").write_bytes(b"changed by hand")
    read: list[str] = []
    real = Cache.get

    def spy(self: Cache, key: str) -> dict[str, bytes] | None:
        found = real(self, key)
        read.extend(found or ())
        return found

    located: list[str] = []
    monkeypatch.setattr(Cache, "get", spy)
    monkeypatch.setattr(Cache, "locate", lambda self, key: located.append(key))
    counts = build(cat, None, out, jobs=1, cache=cache)
    assert counts.built == 0 and folder(out) == before
    # the file changed by hand alone is read back (with the record of what the output holds,
    # and the index of the entries, so that no entry's head is read)
    assert read == ["known", INDEX, "core/glossary.xml"] and located == []
    assert {p: p.stat().st_ino for p in out.rglob("*.zip")} == inodes


def test_a_long_head_is_read_whole_whatever_its_length(tmp_path: Path) -> None:
    for length in [*range(4_000, 4_140, 7), 70_000]:  # either side of the first read
        cache = Cache(tmp_path / str(length))
        name = "n" * (length - 100)
        cache.put("k" * 64, {name: b"x"})
        assert cache.listing("k" * 64) == {name: (1, hashlib.sha256(b"x").hexdigest())}, length


def test_a_parse_is_kept_for_its_folder(tmp_path: Path) -> None:
    raw = b"title: Same bytes\npages: []\n"
    one = parsed.key("lesson", tmp_path / "u1" / "lesson.yaml", "lesson.yaml",
                     content_digest(raw))
    two = parsed.key("lesson", tmp_path / "u2" / "lesson.yaml", "lesson.yaml",
                     content_digest(raw))
    assert one != two  # the folder names the unit its origins belong to


def test_an_unchanged_build_does_not_hash_the_files_it_linked(
        seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cat, cache, out = catalogue(seed), Cache(tmp_path / "cache"), tmp_path / "build"
    build(cat, None, out, jobs=1, cache=cache)
    hashed: list[Path] = []
    real = output._file_digest

    def spy(path: Path) -> str | None:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(output, "_file_digest", spy)
    assert build(cat, None, out, jobs=1, cache=cache).unchanged
    assert hashed == []


def test_shares_that_cannot_be_kept_stop_the_build_and_leave_the_output(
        seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cat, out = catalogue(seed), tmp_path / "build"
    build(cat, None, out, jobs=1)
    before = folder(out)

    def full(fd: int, data: bytes, offset: int) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "pwrite", full)
    with pytest.raises(BuildError) as caught:
        build(cat, None, out, jobs=1)
    assert caught.value.code == "io-error" and "No space left on device" in str(caught.value)
    assert "temporary file" in str(caught.value) and folder(out) == before


def test_a_build_that_fails_midway_starts_no_more_tasks(seed: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cat, ran = catalogue(seed), tmp_path / "ran"
    ran.mkdir()
    real = tasks.run_task

    def slow(catalogue: Catalogue, task: tasks.Task) -> dict[str, bytes]:
        (ran / f"{task.format}-{task.unit}-{task.part}").touch()  # seen from the workers too
        time.sleep(0.1)
        return real(catalogue, task)

    def full(self: output.Staging, name: str, data: object) -> object:
        raise BuildError("cannot write: No space left on device", "io-error")

    monkeypatch.setattr(tasks, "run_task", slow)
    monkeypatch.setattr(output.Staging, "write", full)
    # a batch per task: more than the workers and their queue hold (as a large catalogue has)
    monkeypatch.setattr(tasks, "_batches", lambda todo: [[task] for task in todo])
    with pytest.raises(BuildError):
        build(cat, None, tmp_path / "build", jobs=2)
    # the first file written fails: the batches queued after it never start
    run = [t for t in plan_tasks(cat) if t.unit or WRITERS[t.format].course_from_parts is None]
    assert 0 < len(list(ran.iterdir())) < len(run)
    assert not (tmp_path / "build").exists()
