"""Moodle's .mbz container: a gzip'd ustar archive whose first member is `.ARCHIVE_INDEX`."""

from __future__ import annotations

import gzip
import io
import tarfile

from ..zipper import COMPRESSION

INDEX = ".ARCHIVE_INDEX"
INDEX_PREFIX = "Moodle archive file index. Count: "
# tgz_packer::DEFAULT_TIMESTAMP (2013-01-01), stamped where Moodle knows no time: directories.
DIRECTORY_TIME = 1356998400


Entry = tuple[str, bytes | None]  # an archive path and its data (None: a directory)


def entries(files: dict[str, bytes], seen: set[str] | None = None) -> list[Entry]:
    """Each file preceded by the directories it needs (`None` marks a directory), leaving out
    the directories in `seen` (which it extends)."""
    seen = set() if seen is None else seen
    out: list[Entry] = []
    for path, data in files.items():
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth]) + "/"
            if folder not in seen:
                seen.add(folder)
                out.append((folder, None))
        out.append((path, data))
    return out


Listed = tuple[str, int | None, int]  # an entry as the index lists it: path, size, mtime


def index(listed: list[Listed]) -> bytes:
    """The index tgz_packer writes: a count line, then `path TAB d|f TAB size TAB mtime` for
    each entry (a directory: `d TAB 0 TAB ?`)."""
    lines = [f"{INDEX_PREFIX}{len(listed)}"]
    lines += [f"{path}\td\t0\t?" if size is None else f"{path}\tf\t{size}\t{mtime}"
              for path, size, mtime in listed]
    return ("\n".join(lines) + "\n").encode("utf-8")


def stored_size(size: int | None) -> int:
    """The bytes an entry takes in the archive: header, data, padding."""
    return 512 if size is None else 512 + size + len(padding(size))


def header(path: str, size: int | None, mtime: int) -> bytes:
    """The ustar header of a file of `size` bytes (None: a directory), as tarfile writes it
    (made here for the common case, a short name and numbers in range: tarfile's own way costs
    a tenth of a backup's time)."""
    name = path.encode("utf-8", "surrogateescape")
    mode, kind = (0o755, tarfile.DIRTYPE) if size is None else (0o644, tarfile.REGTYPE)
    mtime = DIRECTORY_TIME if size is None else mtime
    if (len(name) > tarfile.LENGTH_NAME or (size is None and not path.endswith("/"))
            or not 0 <= (size or 0) < _OCTAL_11 or not 0 <= mtime < _OCTAL_11):
        return _tarfile_header(path, size, mtime)
    block = b"".join((name.ljust(tarfile.LENGTH_NAME, b"\0"), b"%07o\0" % mode, _OWNER,
                      b"%011o\0" % (size or 0), b"%011o\0" % mtime, b" " * 8, kind, _REST))
    return block[:148] + b"%06o\0" % sum(block) + block[155:]


_OCTAL_11 = 8 ** 11  # the largest size or time an 11-digit octal field holds, plus one
_OWNER = b"0000000\0" * 2  # uid and gid 0
# linkname, magic and version, uname, gname, devmajor, devminor (empty), prefix, padding
_REST = b"\0" * 100 + tarfile.POSIX_MAGIC + b"\0" * (32 + 32 + 8 + 8 + 155 + 12)


def _tarfile_header(path: str, size: int | None, mtime: int) -> bytes:
    info = tarfile.TarInfo(path)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if size is None:
        info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, DIRECTORY_TIME
    else:
        info.size, info.mode, info.mtime = size, 0o644, mtime
    return info.tobuf(tarfile.USTAR_FORMAT, "utf-8", "surrogateescape")


def padding(size: int) -> bytes:
    """The zeros that fill a member's data up to the next 512-byte block."""
    return b"\0" * (-size % tarfile.BLOCKSIZE)


def entry(path: str, data: bytes | None, mtime: int) -> bytes:
    """One whole member: header, data, padding."""
    if data is None:
        return header(path, None, mtime)
    return header(path, len(data), mtime) + data + padding(len(data))


def end(length: int) -> bytes:
    """The end of an archive of `length` bytes so far: two zero blocks, then zeros up to
    tarfile's record size."""
    closing = b"\0" * (2 * tarfile.BLOCKSIZE)
    return closing + b"\0" * (-(length + len(closing)) % tarfile.RECORDSIZE)


def gzip_member(data: bytes) -> bytes:
    """`data` as one gzip member (no name, time 0): members joined are one gzip stream."""
    return gzip.compress(data, compresslevel=COMPRESSION, mtime=0)


def mbz_bytes(files: dict[str, bytes], mtime: int) -> bytes:
    """The .mbz of `files` (archive path -> content, in order): byte-identical for equal input."""
    listed = entries(files)
    sizes = [(path, None if data is None else len(data), mtime) for path, data in listed]
    out = io.BytesIO()
    # The tar goes straight into the compressor: the uncompressed archive is never held whole.
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=COMPRESSION, mtime=0) as packed:
        length = 0
        for path, data, time in [(INDEX, index(sizes), DIRECTORY_TIME),
                                 *((p, d, mtime) for p, d in listed)]:
            member = entry(path, data, time)
            packed.write(member)
            length += len(member)
        packed.write(end(length))
    return out.getvalue()
