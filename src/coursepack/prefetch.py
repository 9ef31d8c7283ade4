"""Many source files parsed at once on every core: what a cold run of a large source needs.

Each file is read, parsed, schema-checked and run through the rules for any text in a worker
process; the result comes back marshalled (a clean file as its parse-cache entry, see parsed.py;
else its data, positions and schema problems), which the main process reads back in a fraction
of the time the parse takes. The result is exactly what reading and parsing the file in the main
process gives, diagnostics included.
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
from .yamlload import Document, YamlError, content_digest, loads, read_bytes

MIN_FILES = 64  # fewer files parse faster than worker processes start
Job = tuple[Path, str, str]  # the file's path, display name and schema kind
Parsed = tuple[Document | None, list[Problem], Diagnostic | None]


def parallel(files: int, processes: int) -> bool:
    """True when `parse_all` parses this many files on workers."""
    return processes > 1 and files >= MIN_FILES


def check(raw: bytes, path: Path, display: str, kind: str) -> tuple[Document, list[Problem]]:
    """Parse and schema-check one file (YamlError when it cannot be parsed)."""
    doc = loads(raw, path, display)
    return doc, validate(doc, kind)


def _work(job: Job) -> bytes:
    """Read, parse and check one file: its parse's cache entry ("" uncached) and the result."""
    path, display, kind = job
    entry = ""
    try:
        raw = read_bytes(path, display)
        if _CACHE:  # kept before (by a run that had not seen it)? Then not parsed again.
            entry = parsed.key(kind, path, display, content_digest(raw))
            kept = _CACHE[0].get(entry)
            if kept is not None and parsed.ENTRY in kept:
                return marshal.dumps((entry, "clean", kept[parsed.ENTRY]))
        doc, problems = check(raw, path, display, kind)
    except YamlError as exc:
        return marshal.dumps((entry, "error", exc.diagnostic.row()))
    if problems:
        return marshal.dumps((entry, "problems", doc.data, doc.positions.tobytes(),
                              [(where, d.row()) for where, d in problems]))
    packed = parsed.pack(kind, doc)  # findings and positions found here, on every core
    if entry:
        _CACHE[0].put(entry, packed)  # and kept
    return marshal.dumps((entry, "clean", packed[parsed.ENTRY]))  # read back as the cache's


_CACHE: list[Cache] = []  # a worker's cache, where it keeps the files it parsed


def _init(cache: Cache) -> None:
    _CACHE[:] = [cache] if cache.folder is not None else []


def _read(blob: bytes, path: Path, display: str) -> tuple[str, Parsed]:
    entry, *found = marshal.loads(blob)
    if found[0] == "error":
        return entry, (None, [], Diagnostic.from_row(found[1]))
    if found[0] == "clean":
        return entry, (parsed.unpack(found[1], path, display), [], None)
    _, data, positions, problems = found
    doc = Document(path, display, data, array("Q", positions))
    return entry, (doc, [(tuple(where), Diagnostic.from_row(d)) for where, d in problems], None)


def parse_all(jobs: list[Job], processes: int,
              cache: Cache) -> Iterator[tuple[Path, str, Parsed]]:
    """By path, as they are ready: the parse's cache entry ("" uncached), the document (None
    when it did not parse), its schema problems and its parse error; nothing when there are
    too few files or processes to gain (see `parallel`). Each worker reads the files it is
    given (the bytes never pass through this process), and keeps in `cache` each file that
    parses cleanly."""
    if not parallel(len(jobs), processes):
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=processes, initializer=_init,
                             initargs=(cache,)) as pool:
        chunk = max(1, len(jobs) // (processes * 8))
        blobs = pool.map(_work, jobs, chunksize=chunk)
        for (path, display, _), blob in zip(jobs, blobs, strict=True):
            yield (path, *_read(blob, path, display))
