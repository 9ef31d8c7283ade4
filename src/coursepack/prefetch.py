"""Many source files parsed at once on every core: what a cold run of a large source needs.

Each file is parsed, schema-checked and run through the rules for any text in a worker process;
the result comes back marshalled (a clean file as its parse-cache entry, see parsed.py; else its
data, positions and schema problems), which the main process reads back in a fraction of the
time the parse takes. The result is exactly what
parsing the file in the main process gives, diagnostics included.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Iterator
from pathlib import Path

from . import parsed
from .cache import Cache
from .diagnostics import Diagnostic
from .schemas import Problem, validate
from .yamlload import Document, YamlError, loads

MIN_FILES = 64  # fewer files parse faster than worker processes start
# The file's bytes, path, display name, schema kind, and its parse's cache entry ("": none).
Job = tuple[bytes, Path, str, str, str]
Parsed = tuple[Document | None, list[Problem], Diagnostic | None]


def check(raw: bytes, path: Path, display: str, kind: str) -> tuple[Document, list[Problem]]:
    """Parse and schema-check one file (YamlError when it cannot be parsed)."""
    doc = loads(raw, path, display)
    return doc, validate(doc, kind)


def _work(job: Job) -> bytes:
    raw, path, display, kind, entry = job
    try:
        doc, problems = check(raw, path, display, kind)
    except YamlError as exc:
        return marshal.dumps(("error", exc.diagnostic.row()))
    if problems:
        return marshal.dumps(("problems", doc.data, doc.positions.tobytes(),
                              [(where, d.row()) for where, d in problems]))
    packed = parsed.pack(kind, doc)  # findings and positions found here, on every core
    if entry and _CACHE:
        _CACHE[0].put(entry, packed)  # and kept
    return marshal.dumps(("clean", packed[parsed.ENTRY]))  # read back as the cache's are


_CACHE: list[Cache] = []  # a worker's cache, where it keeps the files it parsed


def _init(cache: Cache) -> None:
    _CACHE[:] = [cache] if cache.folder is not None else []


def _read(blob: bytes, path: Path, display: str) -> Parsed:
    found = marshal.loads(blob)
    if found[0] == "error":
        return None, [], Diagnostic.from_row(found[1])
    if found[0] == "clean":
        return parsed.unpack(found[1], path, display), [], None
    _, data, positions, problems = found
    doc = Document(path, display, data, array("Q", positions))
    return doc, [(tuple(where), Diagnostic.from_row(d)) for where, d in problems], None


def parse_all(jobs: list[Job], processes: int, cache: Cache) -> Iterator[tuple[Path, Parsed]]:
    """By path, as they are ready: the document (None when it did not parse), its schema
    problems and its parse error; nothing when there are too few files or processes to gain.
    `jobs` is emptied as the work is handed out, so each file's bytes go once parsed. Each file
    that parses cleanly is kept in `cache` by the worker that parsed it."""
    if processes <= 1 or len(jobs) < MIN_FILES:
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=processes, initializer=_init,
                             initargs=(cache,)) as pool:
        places = [(job[1], job[2]) for job in jobs]
        chunk = max(1, len(jobs) // (processes * 8))
        blobs = pool.map(_work, _handed_out(jobs), chunksize=chunk)
        for (path, display), blob in zip(places, blobs, strict=True):
            yield path, _read(blob, path, display)


def _handed_out(jobs: list[Job]) -> Iterator[Job]:
    jobs.reverse()
    while jobs:
        yield jobs.pop()
