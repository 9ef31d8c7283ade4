"""Run the writers over the model and swap in the output folder atomically (the only writer)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from .cache import Cache, Listing
from .dates import source_date_epoch
from .model import Catalogue
from .output import BuildError, Known, Staging, check_output, clean_stale
from .taskindex import index_key
from .tasks import Content, Counts, Done, Written, execute, plan_tasks
from .yamlload import paused_gc


def plan(catalogue: Catalogue, formats: list[str] | None = None) -> dict[str, bytes]:
    """Every output file, by path relative to the output folder, in a stable order (made here,
    in this process, uncached: for tests and dry runs)."""
    files: dict[str, bytes] = {}

    def keep(name: str, data: Content) -> None:
        files[name] = data if isinstance(data, bytes) else b"".join(data)

    execute(catalogue, plan_tasks(catalogue, formats), keep)
    return dict(sorted(files.items()))


def build(catalogue: Catalogue, formats: list[str] | None, output: Path, *, jobs: int = 1,
          cache: Cache | None = None, report: Callable[[str, int], None] | None = None,
          done: Done | None = None) -> Counts:
    """Run the build's tasks on `jobs` processes, writing each file into a new folder as it is
    ready, then swap that folder in for `output`, unless it holds exactly what `output` holds
    (then `output` is not touched). On failure `output` stays as it was.

    Raises BuildError when the folder cannot be written (disk full, read-only, permissions).
    """
    output = Path(os.path.abspath(output))
    clean_stale(output)
    with paused_gc():  # the model is large and acyclic: each collection would walk all of it
        return _build(catalogue, formats, output, jobs, cache or Cache(None), report, done)


def _build(catalogue: Catalogue, formats: list[str] | None, output: Path, jobs: int,
           cache: Cache, report: Callable[[str, int], None] | None, done: Done | None) -> Counts:
    staging = Staging(output, _known(cache, output))
    try:
        def emit(name: str, data: Content) -> Written:
            written = staging.write(name, data)
            if report is not None:
                report(name, written[1])
            return written

        def keep(listing: Listing) -> bool:
            if not staging.keep({name: digest for name, (_, digest) in listing.items()}):
                return False
            if report is not None:
                for name, (size, _) in listing.items():
                    report(name, size)
            return True

        counts = execute(catalogue, plan_tasks(catalogue, formats), emit, jobs=jobs,
                         cache=cache, done=done, keep=keep, index=index_key(output))
        counts.unchanged = staging.same_as_output()
        if counts.unchanged:
            staging.abort()
        else:
            staging.commit()
    except BaseException:
        staging.abort()
        raise
    cache.put(_known_key(output), {"known": json.dumps(staging.state()).encode("utf-8")})
    return counts


def _known_key(output: Path) -> str:
    return hashlib.sha256(b"output-state\x00" + os.fsencode(output)).hexdigest()


def _known(cache: Cache, output: Path) -> Known:
    """What the last build left in `output` (each file's digest and identity), if recorded."""
    found = cache.get(_known_key(output))
    try:
        known = json.loads(found["known"]) if found else {}
    except (KeyError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def preflight(source: Path, output: Path | None) -> None:
    """Refuse, before any work, an unsafe output folder or a bad SOURCE_DATE_EPOCH."""
    try:
        source_date_epoch()
    except ValueError as exc:
        raise BuildError(str(exc), "bad-environment", usage=True) from exc
    if output is not None:
        check_output(output, source)
