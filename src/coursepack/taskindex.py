"""Where the cache entries of a build's tasks lie, kept as one entry for the next build.

A build of a large course takes thousands of tasks from the cache; finding each one means
opening its entry and checking its signed head. The index lists, by task key, where each entry's
files lie (offset, size, SHA-256), as the last build into the same output found or wrote them,
so the next build reads one entry instead of thousands of heads. It is only a shortcut: every
file it points to is still checked against its digest when read (or found unchanged in the
output), and a key it does not hold is looked up in the cache as before.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

from .cache import MAGIC, Cache, Listing, Located, Placed

INDEX = "index"
Row = tuple[tuple[str, int, int, str], ...]  # a Placed, flat: name, offset, size, digest


def index_key(output: Path) -> str:
    """The key of the index of the builds into `output`."""
    return hashlib.sha256(b"task-index\x00%d\x00" % marshal.version + MAGIC
                          + os.fsencode(output)).hexdigest()


class Index:
    """The cache as a build's tasks see it: entries found through the last build's index."""

    def __init__(self, cache: Cache, key: str | None) -> None:
        self.cache, self.key = cache, key
        self.known = _read(cache, key) if key and cache.folder else {}
        self.used: dict[str, Row] = {}

    @property
    def on(self) -> bool:
        """True when there is a cache to use."""
        return self.cache.folder is not None

    def _known(self, key: str) -> Placed | None:
        row = self.known.get(key)
        try:
            return None if row is None else {n: (at, size, d) for n, at, size, d in row}
        except (TypeError, ValueError):
            return None

    def locate(self, key: str) -> Located | None:
        """Where the files stored under `key` lie (see Cache.locate)."""
        placed = self._known(key)
        if placed is None:
            found = self.cache.locate(key)
            if found is None:
                return None
            placed = found[1]
        self._use(key, placed)
        return self.cache.entry_path(key), placed

    def listing(self, key: str) -> Listing | None:
        """Each file's size and digest as stored under `key` (see Cache.listing)."""
        found = self.locate(key)
        return None if found is None else _listing(found[1])

    def stored_listing(self, key: str) -> Listing | None:
        """The listing stored without its files under `key` (see Cache.put_listing)."""
        placed = self._known(key)
        listing = _listing(placed) if placed is not None else self.cache.stored_listing(key)
        if listing is not None:
            self._use(key, _unplaced(listing))
        return listing

    def carry(self, key: str) -> None:
        """Keep an entry this build did not need in the index (a share whose course files were
        kept: the next edit needs it)."""
        if key in self.known:
            self.used[key] = self.known[key]

    def get(self, key: str) -> dict[str, bytes] | None:
        """The files stored under `key` (see Cache.get)."""
        return self.cache.get(key)

    def put(self, key: str, files: dict[str, bytes]) -> None:
        """Store a task's files (see Cache.put)."""
        placed = self.cache.put(key, files)
        if placed is not None:
            self._use(key, placed)

    def put_listing(self, key: str, listing: Listing) -> None:
        """Store a listing without its files (see Cache.put_listing)."""
        self.cache.put_listing(key, listing)
        self._use(key, _unplaced(listing))

    def _use(self, key: str, placed: Placed) -> None:
        self.used[key] = tuple((name, *where) for name, where in placed.items())

    def save(self) -> None:
        """Keep what this build used as the index for the next one."""
        if self.key and self.cache.folder and self.used != self.known:
            self.cache.put(self.key, {INDEX: marshal.dumps(dict(sorted(self.used.items())))})


def _listing(placed: Placed) -> Listing:
    return {name: (size, digest) for name, (_, size, digest) in placed.items()}


def _unplaced(listing: Listing) -> Placed:
    """A listing as places: the files have none (their bytes are not kept)."""
    return {name: (0, size, digest) for name, (size, digest) in listing.items()}


def _read(cache: Cache, key: str) -> dict[str, Row]:
    found = cache.get(key)
    try:
        rows = marshal.loads(found[INDEX]) if found else {}
    except (KeyError, ValueError, EOFError, TypeError):
        return {}
    return rows if isinstance(rows, dict) else {}
