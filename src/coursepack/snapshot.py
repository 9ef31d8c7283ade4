"""A digest of everything a validate or build run reads, so an unchanged run can be replayed.

It covers what the source reader looks at, and nothing it ignores: the entries of the source
folder, of `units/` and of each unit folder (name and kind), the bytes of every file it may load
(as many as it would read), the `.coursepackignore` rules; then what the output depends on
beyond the source: the content's dates (SOURCE_DATE_EPOCH, else the git commit in force and the
files' modification times), coursepack's own files, and the working folder (diagnostics name
files relative to it). Two runs with the same digest print and write the same things.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from . import tree
from .output import MARKER, real_path
from .yamlload import MAX_FILE_BYTES, content_digest

GIT_TIMEOUT = 10.0  # seconds
KEPT = (".yaml", ".yml")  # the files whose SHA-256 a digest hands on to the reader
SETTLED_NS = 2_000_000_000  # a file unchanged this long before it was read is settled
# A settled file by its path in the source: size, mtime, ctime and inode, then its SHA-256.
Settled = dict[str, tuple[int, int, int, int, bytes]]


class _Digest:
    """Feeds the parts of a source tree into two SHA-256s: the digest (each file by its bytes)
    and the fingerprint (each file by its size, times and inode), in one walk."""

    def __init__(self, root: Path, stat_only: bool = False,
                 seen: dict[Path, bytes] | None = None, settled: Settled | None = None) -> None:
        self.root = root
        self.stat_only = stat_only
        self.seen = seen
        self.known = settled or {}
        self.settled: Settled = {}  # this walk's settled files
        self.real_root = real_path(root)
        self.dated = not os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        self.hash = hashlib.sha256()
        self.stats = hashlib.sha256()

    def add(self, *parts: object, into: tuple[Any, ...] = ()) -> None:
        """Feed parts into both (or only `into`)."""
        for part in parts:
            data = str(part).encode("utf-8", "surrogateescape") + b"\x00"
            for target in into or (self.hash, self.stats):
                target.update(data)

    def entry(self, path: Path) -> str:
        """Record what `path` is (and, for a file, its bytes); return its kind."""
        state = tree.inspect(path, self.real_root)
        name = path.relative_to(self.root).as_posix()
        self.add(name, state.kind, state.code, state.message)
        if state.kind == "file":
            self.content(path, name)
        return state.kind

    def content(self, path: Path, name: str) -> None:
        """A file: its size, times and inode into the fingerprint, its bytes (and, dated, its
        modification time) into the digest, unless only the fingerprint is asked for."""
        stats: tuple[int, int, int, int] | None = None
        try:
            info = path.stat()
            stats = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
            self.add(*stats, into=(self.stats,))
        except OSError as exc:
            info = None
            self.add("unreadable", exc.errno, into=(self.stats,))
        if self.stat_only:
            return
        content = self._sha256(path, name, stats)
        if content is None:
            return
        self.hash.update(content)
        if self.seen is not None and path.suffix in KEPT:
            self.seen[path] = content
        if self.dated:
            self.add(int(info.st_mtime) if info else "undated", into=(self.hash,))

    def _sha256(self, path: Path, name: str,
                stats: tuple[int, int, int, int] | None) -> bytes | None:
        """The file's SHA-256, from the table of settled files when it is there unchanged, else
        from its bytes (None, and noted in the digest, when they cannot be read)."""
        known = self.known.get(name)
        if stats is not None and known is not None and known[:4] == stats:
            self.settled[name] = known
            return known[4]
        read_at = time.time_ns()
        try:
            with path.open("rb") as handle:
                content = content_digest(handle.read(MAX_FILE_BYTES + 1))
        except OSError as exc:
            self.add("unreadable", exc.errno, into=(self.hash,))
            return None
        if stats is not None and stats[2] < read_at - SETTLED_NS:
            self.settled[name] = (*stats, content)
        return content

    def folder(self, folder: Path) -> list[str]:
        """Record and return the names in a folder."""
        try:
            names = sorted(entry.name for entry in os.scandir(folder))
        except OSError as exc:
            names = []
            self.add("unlistable", exc.errno)
        self.add(len(names), *names)
        return names


def source_digest(root: Path, *context: str, stat_only: bool = False) -> str:
    """The fingerprint (`stat_only`) or the digest of a run over `root`: see `source_digests`."""
    digest, fingerprint = source_digests(root, *context, stat_only=stat_only)
    return fingerprint if stat_only else digest


def source_digests(root: Path, *context: str, stat_only: bool = False,
                   seen: dict[Path, bytes] | None = None,
                   settled: Settled | None = None) -> tuple[str, str]:
    """The digest of a run over the source folder `root` (see the module's docstring), and its
    fingerprint; `context` adds what else the run depends on (the command and its options). The
    fingerprint knows each file by its size, times and inode instead of its bytes: a cheap
    check, taken again later, that changes whenever a file is written (with `stat_only`, only
    it is made: the digest returned is not the run's). `seen` receives the SHA-256 of each YAML
    file the digest read (yamlload.content_digest): a run finds the file's parse in the cache by
    it, without reading the file again, and parses the very content the digest names.
    `settled` is the table of settled files (see the module's docstring): it is read, and left
    holding the settled files this walk found."""
    from .tasks import code_digest

    digest = _Digest(root, stat_only, seen, settled)
    digest.add(code_digest(), os.getcwd(), root, digest.real_root, *context,
               os.environ.get("SOURCE_DATE_EPOCH", "").strip())
    if digest.dated:
        digest.add(_git_head(root))
    if digest.entry(root) == "folder":
        _walk(digest, root)
    if settled is not None and not stat_only:
        settled.clear()
        settled.update(digest.settled)
    return digest.hash.hexdigest(), digest.stats.hexdigest()


def _walk(digest: _Digest, root: Path) -> None:
    """The source folder's entries, then units/ and each unit folder's."""
    for name in digest.folder(root):
        kind = digest.entry(root / name)
        if kind == "folder" and name != "units":
            digest.add((root / name / MARKER).exists())
    units = root / "units"
    if tree.inspect(units, digest.real_root).kind == "folder":
        for unit in digest.folder(units):
            if digest.entry(units / unit) == "folder":  # a bad entry here is an error
                for name in digest.folder(units / unit):
                    digest.entry(units / unit / name)


def _git_head(root: Path) -> str:
    """The commit checked out where `root` is, and whether the clone is shallow (the content's
    dates come from its history, which deepening a shallow clone changes)."""
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--is-shallow-repository",
                               "HEAD"], capture_output=True, timeout=GIT_TIMEOUT, check=False,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.decode("ascii", "replace").strip() if done.returncode == 0 else ""
