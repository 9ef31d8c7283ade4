"""Checking a source, with whole-run records: an unchanged validate or build is replayed.

A run over a source whose snapshot (see snapshot.py) has been seen before prints what it printed
then, from the cache, without reading a file as YAML; a build whose output folder still holds the
files that run wrote (same names, and each file's identity: size, times and inode) does no work
at all.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import Cache
from .diagnostics import Diagnostic
from .media.check import identity
from .output import file_identity, real_path
from .snapshot import source_digest, source_digests
from .yamlload import paused_gc

if TYPE_CHECKING:
    from .model import Catalogue

RECORD = "run.json"


@dataclass
class Checked:
    """A source checked: its diagnostics, the model when it could be made (not when replayed),
    and the counts line the commands print."""

    diagnostics: list[Diagnostic]
    hidden: int = 0
    counts: str | None = None
    catalogue: Catalogue | None = None
    files: dict[str, list[int]] = field(default_factory=dict)  # a build's output: file_identity
    media: dict[str, list[int]] = field(default_factory=dict)  # the media named: file_identity


def check_source(root: Path, formats: list[str] | None = None,
                 cache: Cache | None = None, jobs: int = 1,
                 seen: dict[Path, bytes] | None = None) -> Checked:
    """Read, validate and check the source at `root` for the chosen formats (None: all),
    taking the files parsed before from `cache` and parsing many new ones on `jobs` processes;
    a file whose content `seen` holds (its SHA-256 as the run's key read it) is looked up in the
    cache by it, and read only when the cache does not hold it. `seen` is emptied."""
    from .limitcheck import check
    from .source import read_source

    with paused_gc():  # the model is large and acyclic: nothing for the collector to find
        try:
            result = read_source(root, cache, jobs, seen)
            if result.ok and result.catalogue is not None:
                result.add(check(result.catalogue, formats, cache, jobs))
        finally:
            if cache is not None:
                cache.flush()
    cat = result.catalogue
    return Checked(result.diagnostics, result.hidden, _counts(cat) if cat else None, cat,
                   media=result.looked)


def _counts(cat: Catalogue) -> str:
    from .lazy import sizes

    found = [sizes(u) for u in cat.units]  # without making a unit not yet made
    questions, pages = sum(n for n, _ in found), sum(n for _, n in found)
    return (f"{len(cat.units)} units, {questions} questions, {pages} lesson pages, "
            f"{len(cat.terms)} glossary terms")


@dataclass(frozen=True)
class RunKey:
    """A run's record key (the source's snapshot and the run's options), and the fingerprint of
    the source's files taken just before it, to tell whether the run read the source it names."""

    digest: str
    files: str
    # the SHA-256 of each YAML file the digest read, by path (see check_source)
    seen: dict[Path, bytes] = field(default_factory=dict, compare=False, repr=False)


SETTLED = "settled"  # the table of a source's settled files (see snapshot.py)


def run_key(root: Path, cache: Cache, *context: str) -> RunKey:
    """The key of a run's record (see `RunKey`), reading the files `cache`'s table of settled
    files does not know, and keeping the table this walk found."""
    seen: dict[Path, bytes] = {}
    where = hashlib.sha256(f"settled files 1\0{real_path(root)}".encode(
        "utf-8", "surrogateescape")).hexdigest()
    known = cache.get_table(where, SETTLED)
    settled = dict(known)
    digest, files = source_digests(root, *context, seen=seen, settled=settled)
    if settled != known:
        cache.put_table(where, SETTLED, settled)
    return RunKey(digest, files, seen)


def replay(cache: Cache, key: RunKey, root: Path) -> Checked | None:
    """The record of an earlier run with this key, or None (also when a media file it named
    has changed, appeared or gone since)."""
    found = cache.get(key.digest)
    if found is None or RECORD not in found:
        return None
    try:
        checked = _decode(json.loads(found[RECORD]))
    except (ValueError, TypeError, KeyError):
        return None
    return checked if _media_now(root, checked.media) == checked.media else None


def _media_now(root: Path, media: dict[str, list[int]]) -> dict[str, list[int]]:
    return {name: identity(root / name) for name in media}


def remember(cache: Cache, key: RunKey, checked: Checked, root: Path, *context: str) -> None:
    """Keep a run's record (not its model) for the next run with the same key, unless a source
    file was written while the run read it (the record would then describe other content)."""
    if (source_digest(root, *context, stat_only=True) != key.files
            or _media_now(root, checked.media) != checked.media):
        return
    record = {"diagnostics": [d.row() for d in checked.diagnostics],
              "hidden": checked.hidden, "counts": checked.counts, "files": checked.files,
              "media": checked.media}
    cache.put(key.digest, {RECORD: json.dumps(record, ensure_ascii=False).encode("utf-8")})


def remember_build(cache: Cache, key: RunKey, checked: Checked, output: Path, names: list[str],
                   root: Path, *context: str) -> None:
    """Keep a build's record, with the state of each file it left in `output`."""
    checked.files = output_state(output, sorted(names))
    remember(cache, key, checked, root, *context)


def _decode(record: dict[str, Any]) -> Checked:
    diagnostics = [Diagnostic.from_row(row) for row in record["diagnostics"]]
    counts = record["counts"]
    files = {str(k): [int(n) for n in v] for k, v in dict(record["files"]).items()}
    media = {str(k): [int(n) for n in v] for k, v in dict(record["media"]).items()}
    return Checked(diagnostics, int(record["hidden"]), None if counts is None else str(counts),
                   files=files, media=media)


def output_state(output: Path, names: list[str]) -> dict[str, list[int]]:
    """The identity of each named file in the output folder (see `file_identity`; absent: -1s)."""
    found = {}
    for name in names:
        try:
            found[name] = file_identity(os.stat(output / name, follow_symlinks=False))
        except OSError:
            found[name] = [-1, -1, -1, -1]
    return found


def output_holds(output: Path, files: dict[str, list[int]]) -> bool:
    """True when the output folder still holds exactly the files a build wrote, untouched."""
    if not files or output_state(output, list(files)) != files:
        return False
    try:
        count = sum(len(names) for _, _, names in os.walk(output))
    except OSError:
        return False
    return count == len(files)
