"""The build cache: each task's output files stored under the hash of what the task read.

A folder (default `.coursepack-cache/` in the working folder) that coursepack alone writes: it
carries a CACHEDIR.TAG, each entry is signed and written in place, and an entry that is damaged,
truncated or not ours is ignored (and rebuilt). Deleting the folder is always safe. A folder of
that name without our tag is never written to: the build runs uncached.

Entries are signed (HMAC-SHA256) with a secret kept outside any repository, in
`$XDG_CACHE_HOME/coursepack/secret` (default `~/.cache/coursepack/secret`, made on first use), so a
cache folder that arrives with the content (committed to a repository, say) can never put its files
into a build: entries this machine did not write are ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MAGIC = b"coursepack-cache 3\n"
SECRET_BYTES = 32
TAG_NAME = "CACHEDIR.TAG"
TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
       b"# This folder is coursepack's build cache; it is safe to delete.\n")
DEFAULT = Path(".coursepack-cache")


class Cache:
    """Task outputs by key; `None` as the folder means no cache at all."""

    def __init__(self, folder: Path | None) -> None:
        secret = _secret() if folder is not None else None
        self.secret = secret or b""
        # A cache made by this run: a first run (a fresh CI checkout, say) has nothing to reuse.
        self.fresh = folder is not None and not folder.exists()
        self.folder = folder if folder is not None and secret and _ours(folder) else None
        self._writer: ThreadPoolExecutor | None = None
        self._folders: set[Path] = set()

    def put_soon(self, key: str, files: dict[str, bytes]) -> None:
        """`put`, on a thread of its own: creating many small files overlaps the work that
        makes them (call `flush` before relying on the entries)."""
        if self.folder is None:
            return
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cache")
        self._writer.submit(self.put, key, files)

    def flush(self) -> None:
        """Wait for the entries `put_soon` was given."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None

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
        return _decode(blob, self._sign(key, blob[:-32]), blob[-32:])

    def _sign(self, key: str, body: bytes) -> bytes:
        return hmac.new(self.secret, key.encode() + b"\x00" + body, hashlib.sha256).digest()

    def put(self, key: str, files: dict[str, bytes]) -> None:
        """Store `files` under `key`; a cache that cannot be written is quietly skipped."""
        if self.folder is None:
            return
        path = self._path(key)
        body = _encode(files)
        try:
            if path.parent not in self._folders:
                path.parent.mkdir(exist_ok=True)
                self._folders.add(path.parent)
            # Written in place: an entry read half-written (or left so by a crash) fails its
            # signature and is ignored; two processes writing one key write the same bytes.
            with open(path, "wb") as handle:
                handle.write(body + self._sign(key, body))
        except OSError:
            return


    def put_files(self, key: str, paths: dict[str, Path]) -> None:
        """`put` for files on disk (a large course's, say), copied a piece at a time; a file
        that cannot be read, or a cache that cannot be written, is quietly skipped."""
        if self.folder is None:
            return
        path = self._path(key)
        try:
            sizes = {name: os.stat(source).st_size for name, source in paths.items()}
            path.parent.mkdir(exist_ok=True)
            with open(path, "wb") as handle:
                sign = hmac.new(self.secret, key.encode() + b"\x00", hashlib.sha256)
                for piece in _pieces(sizes, paths):
                    handle.write(piece)
                    sign.update(piece)
                handle.write(sign.digest())
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                path.unlink()  # ours: an entry half-written
            return


def _pieces(sizes: dict[str, int], paths: dict[str, Path]) -> Iterator[bytes]:
    """An entry's bytes (see `_encode`) with the files read from disk a piece at a time."""
    yield _head(sizes)
    for name, source in paths.items():
        copied = 0
        with open(source, "rb") as handle:
            while piece := handle.read(PIECE):
                copied += len(piece)
                yield piece
        if copied != sizes[name]:
            raise ValueError(f"{source} changed while it was copied")


PIECE = 1 << 20


def _secret() -> bytes | None:
    """This machine's signing secret, made on first use; None when it cannot be kept."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coursepack"
    try:
        return _read_secret(home / "secret") or _make_secret(home)
    except OSError:
        return None


def _read_secret(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return data if len(data) == SECRET_BYTES else None


def _make_secret(home: Path) -> bytes | None:
    """Create the secret once: linked into place, so racing processes agree and none overwrites."""
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=home, prefix=".secret-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(SECRET_BYTES))
        os.link(tmp, home / "secret")
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)
    return _read_secret(home / "secret")


def _ours(folder: Path) -> bool:
    """True when the folder is (or has just been made) coursepack's cache."""
    tag = folder / TAG_NAME
    try:
        if folder.is_symlink() or tag.is_symlink():
            return False
        if not folder.exists():
            folder.mkdir(parents=True)
            tag.write_bytes(TAG)
            (folder / ".gitignore").write_bytes(b"# coursepack's cache: never committed\n*\n")
        return tag.is_file() and tag.read_bytes() == TAG
    except OSError:
        return False


def _head(sizes: dict[str, int]) -> bytes:
    index = [[name, size] for name, size in sizes.items()]
    return MAGIC + json.dumps(index, ensure_ascii=False).encode("utf-8") + b"\n"


def _encode(files: dict[str, bytes]) -> bytes:
    return _head({name: len(data) for name, data in files.items()}) + b"".join(files.values())


def _decode(blob: bytes, signature: bytes, given: bytes) -> dict[str, bytes] | None:
    """The files of an entry whose signature (over its key and every byte) is ours."""
    if len(blob) < 32 or not hmac.compare_digest(signature, given):
        return None
    blob = blob[:-32]
    if not blob.startswith(MAGIC):
        return None
    head, sep, body = blob[len(MAGIC):].partition(b"\n")
    try:
        index = json.loads(head)
        files, offset = {}, 0
        for name, size in index:
            data = body[offset:offset + size]
            if len(data) != size:
                return None
            files[str(name)] = data
            offset += size
    except (ValueError, TypeError):
        return None
    return files if sep and offset == len(body) else None
