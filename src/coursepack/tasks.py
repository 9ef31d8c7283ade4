"""The build as small pure tasks: one per (format, unit) and one per format's course-level files.

A task's key is a hash of exactly what it reads: the coursepack version, the format, the
SOURCE_DATE_EPOCH in force, the catalogue's course-level content (settings, glossary, and each
unit's id, title and awarding body, which name things in every unit), and the unit's own content
(for a course-level task: every unit's), which a unit read from source stands for by what it was
made from (`Unit.made_from`). The same key always gives the same bytes, so a task's
output can be taken from the cache, and tasks can run in any order on any number of processes.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from . import __version__
from .cache import Cache, Listing
from .dates import source_date_epoch
from .model import Catalogue, MediaChanged
from .output import BuildError
from .spool import Spool, Stored
from .taskindex import Index
from .writers import WRITERS
from .writers.names import units_by_id
from .yamlload import paused_gc

Content = bytes | Iterator[bytes]  # a file whole, or as successive pieces
Written = tuple[Path, int, str]  # where a file was written, its size and its digest
Emit = Callable[[str, Content], "Written | None"]  # hands a file on (None: not written to disk)
# Takes a cached task's files as the output folder already holds them, without their bytes;
# False when it does not hold them all.
Keep = Callable[[Listing], bool]
Done = Callable[[int, int], None]


@dataclass(frozen=True)
class Task:
    """One format's files for one unit, or (unit None) its course-level files; or (`part`) a
    unit's share of course-level files that are joined from the units' shares."""

    format: str
    unit: str | None = None
    part: bool = False


def plan_tasks(catalogue: Catalogue, formats: list[str] | None = None) -> list[Task]:
    """Every task of a build: course-level tasks and the units' shares first (the course files
    take longest, and wait for the shares), then each unit's own files."""
    chosen = [name for name in WRITERS if formats is None or name in formats]
    course = [Task(name) for name in chosen if WRITERS[name].course_files is not None]
    parts = [Task(name, u.id, part=True) for name in chosen
             if WRITERS[name].course_from_parts is not None for u in catalogue.units]
    return [*course, *parts, *(Task(name, u.id) for name in chosen for u in catalogue.units)]


# What else decides the bytes coursepack writes: the libraries that render and serialise, and
# zlib (a deflate stream can differ between zlib releases).
LIBRARIES = ("markdown-it-py", "lxml", "PyYAML", "jsonschema", "jsonschema-rs", "click")


@cache
def code_digest() -> str:
    """A hash of coursepack's own files (code, schemas, static files), the Python, zlib and
    library versions it runs with: a task's output is only reused by the code that made it."""
    from importlib import metadata  # here: only a cached run asks, and it takes a while

    root = Path(__file__).parent
    h = hashlib.sha256(__version__.encode())
    h.update(f"{sys.version}\x00{zlib.ZLIB_RUNTIME_VERSION}\x00".encode())
    for name in LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}\x00".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=\x00".encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".pyc"):
        h.update(path.relative_to(root).as_posix().encode() + b"\x00" + path.read_bytes())
    return h.hexdigest()


def digest(*parts: str) -> str:
    """A SHA-256 of these strings, each ended by a NUL (a cache key)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def keys(catalogue: Catalogue, tasks: list[Task]) -> dict[Task, str]:
    """Each task's cache key (see the module's docstring)."""
    context, units = unit_keys(catalogue)
    everything = digest(*units.values())
    return {t: digest(context, t.format, "part" if t.part else "",
                       units[t.unit] if t.unit else everything) for t in tasks}


def unit_keys(catalogue: Catalogue) -> tuple[str, dict[str, str]]:
    """The digest of what every unit's outputs share (the code, the date, the course's settings
    and glossary, every unit's name in order), and of what each unit is made from."""
    course = {f.name: getattr(catalogue, f.name) for f in fields(catalogue)
              if f.name not in ("units", "origins", "updated", "made_from")}  # updated: units'
    names = [(u.id, u.title, u.awarding_body) for u in catalogue.units]
    context = digest(code_digest(), str(source_date_epoch()), repr(course), repr(names))
    return context, {u.id: u.made_from or digest(repr(u)) for u in catalogue.units}


def run_task(catalogue: Catalogue, task: Task) -> dict[str, bytes]:
    """The files of one task. The cycle collector waits: a writer builds a large tree of
    short-lived, acyclic objects, and each collection would walk all of it (course.mbz at 1,000
    units took 1.7x the time with it on)."""
    writer = WRITERS[task.format]
    with paused_gc():
        if task.part:
            unit_part = writer.unit_part
            assert unit_part is not None and task.unit is not None
            return unit_part(catalogue, units_by_id(catalogue)[task.unit])
        if task.unit is None:
            course_files = writer.course_files
            assert course_files is not None
            return course_files(catalogue)
        return writer.unit_files(catalogue, units_by_id(catalogue)[task.unit])


_WORKER: dict[str, Catalogue] = {}


def _init(catalogue: Catalogue) -> None:
    _WORKER["catalogue"] = catalogue


def _work(batch: list[Task]) -> list[tuple[Task, dict[str, bytes]]]:
    return [(task, run_task(_WORKER["catalogue"], task)) for task in batch]


@dataclass
class Counts:
    """What a build did: tasks run, tasks taken from the cache."""

    built: int = 0
    cached: int = 0
    unchanged: bool = False  # the output folder already held exactly these files


class _Run:
    """One execution: counts, the files handed on, the shares kept (on disk) for their join."""

    def __init__(self, catalogue: Catalogue, tasks: list[Task], emit: Emit, cache: Index,
                 done: Done | None, keep: Keep | None = None) -> None:
        self.catalogue, self.emit, self.cache = catalogue, emit, cache
        self.keep = keep or (lambda listing: False)
        self.total, self.counts = len(tasks), Counts()
        # no cache, no keys: hashing the whole model is a good part of an uncached build's time
        self.key = keys(catalogue, tasks) if cache.on else dict.fromkeys(tasks, "")
        self.done = done or (lambda finished, total: None)
        self.joins = {t.format: t for t in tasks if t.unit is None
                      and WRITERS[t.format].course_from_parts is not None}
        self.waiting = set(self.joins)  # the joins whose course files are not yet made
        self.spool = Spool()

    def finished(self, task: Task, files: dict[str, bytes], *, cached: bool) -> None:
        """A task's files are ready: hand them on (a share is kept for its join)."""
        if cached:
            self.counts.cached += 1
        else:
            self.counts.built += 1
            self.cache.put(self.key[task], files)
        if task.part and task.unit is not None:
            self.spool.keep(task.format, task.unit, files)
        else:
            for name, data in files.items():
                self.emit(name, data)
        self.tick()
        if task.part:
            self.join(task.format)

    def tick(self) -> None:
        self.done(self.counts.cached + self.counts.built, self.total)

    def join(self, fmt: str) -> None:
        """Make the course files of `fmt` once every unit's share is in, piece by piece
        straight into the output. The cache keeps what they were, not their bytes: made
        again from the cached shares, they cost no more than a copy."""
        if fmt not in self.waiting or self.spool.count(fmt) < len(self.catalogue.units):
            return
        self.waiting.discard(fmt)
        stream = WRITERS[fmt].course_stream
        assert stream is not None
        with paused_gc():
            files = stream(self.catalogue, [self.spool.share(fmt, u.id)
                                            for u in self.catalogue.units])
            written = {name: self.emit(name, pieces) for name, pieces in files.items()}
        self.counts.built += 1
        if all(found is not None for found in written.values()):
            self.cache.put_listing(self.key[self.joins[fmt]], {
                name: (found[1], found[2]) for name, found in written.items() if found})
        self.tick()

    def take(self, task: Task) -> bool:
        """Take a task from the cache (kept as the output holds it, or read): False if absent.
        Joined course files are only kept (the cache has their listing, not their bytes); a
        share is referred to where the cache holds it, and read at its join."""
        if task.part:
            return self._refer(task)
        joined = task.unit is None and task.format in self.joins
        listing = (self.cache.stored_listing if joined else self.cache.listing)(self.key[task])
        if listing is not None and self.keep(listing):
            self.counts.cached += 1
            self.tick()
            return True
        found = None if joined or listing is None else self.cache.get(self.key[task])
        if found is not None:
            self.finished(task, found, cached=True)
        return found is not None

    def _refer(self, task: Task) -> bool:
        located = self.cache.locate(self.key[task])
        if located is None or task.unit is None:
            return False
        self.spool.refer(task.format, task.unit, Stored(*located, again=lambda: self.again(task)))
        self.counts.cached += 1
        self.tick()
        self.join(task.format)
        return True

    def again(self, task: Task) -> dict[str, bytes]:
        """Make a task's files anew, here, and store them (its cache entry failed its check)."""
        files = run_task(self.catalogue, task)
        self.cache.put(self.key[task], files)
        self.counts.cached -= 1
        self.counts.built += 1
        return files


def execute(catalogue: Catalogue, tasks: list[Task], emit: Emit, *, jobs: int = 1,
            cache: Cache | None = None, done: Done | None = None,
            keep: Keep | None = None, index: str | None = None) -> Counts:
    """Run the tasks (cached ones read back), handing each file to `emit` as it is ready and
    telling `done` (tasks finished, of how many) after each task. Course files joined from
    shares are joined here, once their shares are in; when they are cached, the shares are not
    needed (and count as cached). Cache entries are found through the index kept under
    `index` by the last run, which this run replaces (taskindex.py)."""
    run = _Run(catalogue, tasks, emit, Index(cache or Cache(None), index), done, keep)
    try:
        _run(run, catalogue, tasks, jobs)
    except MediaChanged as exc:  # a media file was edited after the check that read it
        raise BuildError(str(exc), "media-changed") from exc
    finally:
        run.spool.close()
    run.cache.save()
    return run.counts


def _run(run: _Run, catalogue: Catalogue, tasks: list[Task], jobs: int) -> None:
    for fmt, task in list(run.joins.items()):
        if run.take(task):
            run.waiting.discard(fmt)
    todo = []
    for task in tasks:
        if task.unit is None and task.format in run.joins:
            continue  # joined from its shares, or read from the cache above
        if task.part and task.format not in run.waiting:
            run.counts.cached += 1  # its course files are cached: the share is not needed
            run.cache.carry(run.key[task])
            run.tick()
            continue
        if not run.take(task):
            todo.append(task)
    for fmt in list(run.waiting):
        run.join(fmt)  # a course without units
    results = _results(catalogue, todo, jobs)
    try:
        for task, files in results:
            run.finished(task, files, cached=False)
    finally:
        results.close()  # now, not when the traceback goes: a failed build starts no more work


def _batches(todo: list[Task]) -> list[list[Task]]:
    """The tasks grouped by unit (course-level ones alone), in order: a unit's formats run one
    after another in one process, so what they share (the revision module, the SCORM 1.2
    package) is made once."""
    groups: dict[str | None, list[Task]] = {}
    alone = []
    for task in todo:
        if task.unit is None:
            alone.append([task])
        else:
            groups.setdefault(task.unit, []).append(task)
    return [*alone, *groups.values()]


# Fewer batches than this run here: starting processes (each a copy of a large model) takes
# longer than the few tasks an edit leaves to do (a unit's formats take about 0.1 s).
MIN_BATCHES = 4


def _results(catalogue: Catalogue, todo: list[Task],
             jobs: int) -> Generator[tuple[Task, dict[str, bytes]], None, None]:
    batches = _batches(todo)
    if jobs <= 1 or len(batches) < MIN_BATCHES:
        for batch in batches:
            yield from ((task, run_task(catalogue, task)) for task in batch)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    gc.freeze()  # the model is never collected: keep the workers' copies of it shared pages
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(batches)), initializer=_init,
                               initargs=(catalogue,))
    try:
        for future in as_completed([pool.submit(_work, b) for b in batches]):
            yield from future.result()
    except BaseException:  # a failure here or where the files go (a full disk, say)
        pool.shutdown(cancel_futures=True)  # ends with the batches running: none is started
        raise
    pool.shutdown()


def default_jobs() -> int:
    """The processes to use by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
