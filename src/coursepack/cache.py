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
import marshal
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

MAGIC = b"coursepack-cache 4\n"
HEAD_LIMIT = 1 << 20  # the most an entry's head (each file's name, size and digest) may take
HEAD_READ = 4096  # what is read first: a head is a few hundred bytes
SECRET_BYTES = 32
TAG_NAME = "CACHEDIR.TAG"
TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
       b"# This folder is coursepack's build cache; it is safe to delete.\n")
DEFAULT = Path(".coursepack-cache")
Listing = dict[str, tuple[int, str]]  # each stored file's size and SHA-256 (hex), by name
Placed = dict[str, tuple[int, int, str]]  # where each file lies in an entry: offset, size, SHA-256
Located = tuple[Path, Placed]  # an entry's path, and where its files lie in it


class Cache:
    """Task outputs by key; `None` as the folder means no cache at all."""

    def __init__(self, folder: Path | None) -> None:
        secret = _secret() if folder is not None else None
        self.secret = secret or b""
        self.folder = folder if folder is not None and secret and _ours(folder) else None
        self._writer: ThreadPoolExecutor | None = None
        self._folders: set[Path] = set()

    def put_soon(self, key: str, files: dict[str, bytes]) -> None:
        """`put`, on a thread of its own: creating many small files overlaps the work that
        makes them (call `flush` before relying on the entries)."""
        if self.folder is None:
            return
        if self._writer is None:
            from concurrent.futures import ThreadPoolExecutor

            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cache")
        self._writer.submit(self.put, key, files)

    def flush(self) -> None:
        """Wait for the entries `put_soon` was given."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None

    def entry_path(self, key: str) -> Path:
        """Where the entry of `key` is (or would be) kept."""
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.entry"

    def get(self, key: str) -> dict[str, bytes] | None:
        """The files stored under `key`, or None (absent, damaged or foreign)."""
        if self.folder is None:
            return None
        try:
            blob = self.entry_path(key).read_bytes()
        except OSError:
            return None
        listing, offset = self._listing(key, blob)
        files = {}
        for name, (size, digest) in (listing or {}).items():
            data = blob[offset:offset + size]
            if hashlib.sha256(data).hexdigest() != digest:
                return None
            files[name] = data
            offset += size
        return files if listing is not None and offset == len(blob) else None

    def get_table(self, key: str, name: str) -> dict[Any, Any]:
        """The table (a marshalled dict) kept as file `name` under `key` by `put_table`; empty
        when there is none or it does not read. Only for entries this machine signed."""
        found = self.get(key) if key else None
        try:
            table = marshal.loads(found[name]) if found and name in found else {}
        except (ValueError, EOFError, TypeError):
            return {}
        return table if isinstance(table, dict) else {}

    def put_table(self, key: str, name: str, table: dict[Any, Any]) -> None:
        """Keep a table of plain values (see `get_table`), on the cache's own thread."""
        self.put_soon(key, {name: marshal.dumps(table)})

    def listing(self, key: str) -> Listing | None:
        """Each file's size and digest as stored under `key`, read without the files' bytes
        (None: absent, damaged or foreign; `get` checks the bytes against the digests)."""
        found = self.locate(key)
        return None if found is None else {name: (size, digest)
                                           for name, (_, size, digest) in found[1].items()}

    def locate(self, key: str) -> Located | None:
        """Where each file stored under `key` lies in its entry, read without the files' bytes
        (None: absent, damaged or foreign); a reader checks the bytes against the digest."""
        if self.folder is None:
            return None
        path = self.entry_path(key)
        try:
            with open(path, "rb") as handle:
                head = handle.read(HEAD_READ)
                end = head.find(b"\n", len(MAGIC))
                if end < 0 or len(head) <= end + SIGNATURE:  # the head or its signature runs on
                    head += handle.read(HEAD_LIMIT)
                size = os.fstat(handle.fileno()).st_size
        except OSError:
            return None
        listing, offset = self._listing(key, head)
        if listing is None:
            return None
        placed = _placed(listing, offset)
        return (path, placed) if offset + sum(n for n, _ in listing.values()) == size else None

    def _listing(self, key: str, blob: bytes) -> tuple[Listing | None, int]:
        """An entry's listing, if its head is ours, and where its files start."""
        end = blob.find(b"\n", len(MAGIC))
        if not blob.startswith(MAGIC) or end < 0:
            return None, 0
        head, signature = blob[:end + 1], blob[end + 1:end + 1 + SIGNATURE]
        if not hmac.compare_digest(self._sign(key, head), signature):
            return None, 0
        try:
            index = json.loads(head[len(MAGIC):])
            listing = {str(name): (int(size), str(digest)) for name, size, digest in index}
            return listing, end + 1 + SIGNATURE
        except (ValueError, TypeError):
            return None, 0

    def _sign(self, key: str, head: bytes) -> bytes:
        return hmac.new(self.secret, key.encode() + b"\x00" + head, hashlib.sha256).digest()

    def put(self, key: str, files: dict[str, bytes]) -> Placed | None:
        """Store `files` under `key`: where each lies in the entry (as `locate` gives it), or
        None when the cache cannot be written (quietly skipped)."""
        listing = {name: (len(data), hashlib.sha256(data).hexdigest())
                   for name, data in files.items()}
        start = self._write(key, listing, files.values())
        return None if start is None else _placed(listing, start)

    def put_listing(self, key: str, listing: Listing) -> None:
        """Store what files `key` names (each one's size and digest) without their bytes: for
        files that are cheaper to make again than to store, and are kept where they were
        written (`stored_listing` reads it back)."""
        self.put(_listing_key(key), {LISTING: json.dumps(sorted(
            [name, size, digest] for name, (size, digest) in listing.items())).encode()})

    def stored_listing(self, key: str) -> Listing | None:
        """The listing `put_listing` stored under `key`, or None."""
        found = self.get(_listing_key(key))
        try:
            rows = json.loads(found[LISTING]) if found else None
            return None if rows is None else {str(n): (int(s), str(d)) for n, s, d in rows}
        except (KeyError, ValueError, TypeError):
            return None

    def _write(self, key: str, listing: Listing, pieces: Iterable[bytes]) -> int | None:
        """Write an entry: its signed head, then the files' bytes (where they start, or None
        when not written). Written in place: an entry read half-written (or left so by a
        crash) fails its check and is ignored; two processes writing one key write the same
        bytes."""
        if self.folder is None:
            return None
        path = self.entry_path(key)
        head = _head(listing)
        try:
            if path.parent not in self._folders:
                path.parent.mkdir(exist_ok=True)
                self._folders.add(path.parent)
            with open(path, "wb") as handle:
                handle.write(head + self._sign(key, head))
                for piece in pieces:
                    handle.write(piece)
        except OSError:
            with contextlib.suppress(OSError):
                path.unlink()  # ours: an entry half-written
            return None
        return len(head) + SIGNATURE


LISTING = "listing.json"
SIGNATURE = 32  # bytes of HMAC-SHA256 after the head


def _placed(listing: Listing, start: int) -> Placed:
    """Where each listed file lies in an entry whose files start at `start`."""
    placed = {}
    for name, (size, digest) in listing.items():
        placed[name] = (start, size, digest)
        start += size
    return placed


def _listing_key(key: str) -> str:
    return hashlib.sha256(b"listing\x00" + key.encode()).hexdigest()


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


def _head(listing: Listing) -> bytes:
    index = [[name, size, digest] for name, (size, digest) in listing.items()]
    return MAGIC + json.dumps(index, ensure_ascii=False).encode("utf-8") + b"\n"
