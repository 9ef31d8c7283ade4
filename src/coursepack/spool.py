"""The units' shares of joined course files, kept on disk until their join, not in memory.

A 1,000-unit course's shares are as large as the course files made from them (hundreds of
megabytes). A share just made waits in one unnamed temporary file (gone when closed, or when the
process ends however it ends); a share the cache holds is read where the cache keeps it. Either
way a join reads each piece only when it copies it out.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from .output import BuildError


class Spool:
    """Shares by (format, unit): each file's bytes appended to one temporary file."""

    def __init__(self) -> None:
        self._file: BinaryIO | None = None
        self._end = 0
        self._index: dict[tuple[str, str], dict[str, tuple[int, int]] | Stored] = {}
        self._counts: dict[str, int] = {}

    def keep(self, fmt: str, unit: str, files: Mapping[str, bytes]) -> None:
        """Keep a unit's share of the format's course files (BuildError if it cannot)."""
        try:
            self._keep(fmt, unit, files)
        except OSError as exc:
            raise _error(exc) from exc

    def _keep(self, fmt: str, unit: str, files: Mapping[str, bytes]) -> None:
        if self._file is None:
            # open across calls until `close`, which the run's `finally` calls
            self._file = tempfile.TemporaryFile(  # noqa: SIM115
                prefix="coursepack-shares-", buffering=0)
        placed = {}
        for name, data in files.items():
            written = 0
            while written < len(data):
                written += os.pwrite(self._file.fileno(), memoryview(data)[written:],
                                     self._end + written)
            placed[name] = (self._end, len(data))
            self._end += len(data)
        self._place(fmt, unit, placed)

    def refer(self, fmt: str, unit: str, share: Stored) -> None:
        """Take a unit's share as the cache holds it: read from there when it is used."""
        self._place(fmt, unit, share)

    def _place(self, fmt: str, unit: str, share: dict[str, tuple[int, int]] | Stored) -> None:
        if (fmt, unit) not in self._index:
            self._counts[fmt] = self._counts.get(fmt, 0) + 1
        self._index[fmt, unit] = share

    def count(self, fmt: str) -> int:
        """How many units' shares of `fmt` are kept."""
        return self._counts.get(fmt, 0)

    def share(self, fmt: str, unit: str) -> Mapping[str, bytes]:
        """A unit's share, read from disk file by file as it is used."""
        found = self._index[fmt, unit]
        if isinstance(found, Stored):
            return found
        assert self._file is not None
        return Share(self._file.fileno(), found)

    def close(self) -> None:
        """Drop every share."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._index.clear()
        self._counts.clear()


class Share(Mapping[str, bytes]):
    """One unit's share: its files by name, each read when it is asked for."""

    def __init__(self, fd: int, placed: dict[str, tuple[int, int]]) -> None:
        self._fd = fd
        self._placed = placed

    def __getitem__(self, name: str) -> bytes:
        offset, size = self._placed[name]
        try:
            data = os.pread(self._fd, size, offset)
            while len(data) < size:  # a short read: read on
                more = os.pread(self._fd, size - len(data), offset + len(data))
                if not more:
                    raise OSError(errno.EIO, "it ended early")
                data += more
        except OSError as exc:
            raise _error(exc) from exc
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._placed)

    def __len__(self) -> int:
        return len(self._placed)


class Stored(Mapping[str, bytes]):
    """One unit's share as a cache entry holds it: each file read from the entry when it is
    asked for, and checked against its digest; a file that fails (the entry was damaged or
    replaced since it was listed) comes from `again`, which makes the share anew."""

    def __init__(self, path: Path, placed: dict[str, tuple[int, int, str]],
                 again: Callable[[], Mapping[str, bytes]]) -> None:
        self._path, self._placed, self._again = path, placed, again
        self._made: Mapping[str, bytes] | None = None

    def __getitem__(self, name: str) -> bytes:
        offset, size, digest = self._placed[name]
        try:
            fd = os.open(self._path, os.O_RDONLY)  # no file object: a join opens thousands
            try:
                data = os.pread(fd, size, offset)
            finally:
                os.close(fd)
        except OSError:
            data = b""
        if len(data) == size and hashlib.sha256(data).hexdigest() == digest:
            return data
        if self._made is None:
            self._made = self._again()
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._placed)

    def __len__(self) -> int:
        return len(self._placed)


def _error(exc: OSError) -> BuildError:
    reason = exc.strerror or str(exc)
    return BuildError(f"cannot keep the units' shares of the course files in a temporary file in "
                      f"{tempfile.gettempdir()} (set TMPDIR to use another folder): {reason}",
                      "io-error")
