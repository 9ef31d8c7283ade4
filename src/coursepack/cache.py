"""The build cache: each task's output files stored under the hash of what the task read.

A folder (default `.coursepack-cache/` in the working folder) that coursepack alone writes: it
carries a CACHEDIR.TAG, each entry is written to a temporary name and renamed into place, and an
entry that is damaged, truncated or not ours is ignored (and rebuilt). Deleting the folder is always
safe. A folder of that name without our tag is never written to: the build runs uncached.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

MAGIC = b"coursepack-cache 1\n"
TAG_NAME = "CACHEDIR.TAG"
TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
       b"# This folder is coursepack's build cache; it is safe to delete.\n")
DEFAULT = Path(".coursepack-cache")


class Cache:
    """Task outputs by key; `None` as the folder means no cache at all."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder if folder is not None and _ours(folder) else None

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.entry"

    def get(self, key: str) -> dict[str, bytes] | None:
        """The files stored under `key`, or None (absent, damaged or foreign)."""
        if self.folder is None:
            return None
        try:
            blob = self._path(key).read_bytes()
        except OSError:
            return None
        return _decode(blob)

    def put(self, key: str, files: dict[str, bytes]) -> None:
        """Store `files` under `key`; a cache that cannot be written is quietly skipped."""
        if self.folder is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".entry-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(_encode(files))
            os.replace(tmp, path)
        except OSError:
            return


def _ours(folder: Path) -> bool:
    """True when the folder is (or has just been made) coursepack's cache."""
    tag = folder / TAG_NAME
    try:
        if folder.is_symlink() or tag.is_symlink():
            return False
        if not folder.exists():
            folder.mkdir(parents=True)
            tag.write_bytes(TAG)
        return tag.is_file() and tag.read_bytes() == TAG
    except OSError:
        return False


def _encode(files: dict[str, bytes]) -> bytes:
    index = [[name, len(data), hashlib.sha256(data).hexdigest()] for name, data in files.items()]
    head = json.dumps(index, ensure_ascii=False).encode("utf-8")
    return MAGIC + head + b"\n" + b"".join(files.values())


def _decode(blob: bytes) -> dict[str, bytes] | None:
    if not blob.startswith(MAGIC):
        return None
    head, sep, body = blob[len(MAGIC):].partition(b"\n")
    try:
        index = json.loads(head)
        files, offset = {}, 0
        for name, size, digest in index:
            data = body[offset:offset + size]
            if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
                return None
            files[str(name)] = data
            offset += size
    except (ValueError, TypeError):
        return None
    return files if sep and offset == len(body) else None
