"""Moodle's .mbz container: a gzip'd ustar archive whose first member is `.ARCHIVE_INDEX`."""

from __future__ import annotations

import gzip
import io
import tarfile

INDEX = ".ARCHIVE_INDEX"
INDEX_PREFIX = "Moodle archive file index. Count: "
# tgz_packer::DEFAULT_TIMESTAMP (2013-01-01), stamped where Moodle knows no time: directories.
DIRECTORY_TIME = 1356998400

# zlib's default: on the seed's course.mbz 1% larger than level 9 in 0.7x the time (level 1:
# 20% larger); measured in benchmarks/bench_build.py --compression.
COMPRESSION = 6


def _entries(files: dict[str, bytes]) -> list[tuple[str, bytes | None]]:
    """Each file preceded by the directories it needs (`None` marks a directory)."""
    seen: set[str] = set()
    out: list[tuple[str, bytes | None]] = []
    for path, data in files.items():
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth]) + "/"
            if folder not in seen:
                seen.add(folder)
                out.append((folder, None))
        out.append((path, data))
    return out


def index(entries: list[tuple[str, bytes | None]], mtime: int) -> bytes:
    """The index tgz_packer writes: a count line, then `path TAB d|f TAB size TAB mtime` lines."""
    lines = [f"{INDEX_PREFIX}{len(entries)}"]
    for path, data in entries:
        lines.append(f"{path}\td\t0\t?" if data is None else f"{path}\tf\t{len(data)}\t{mtime}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _add(archive: tarfile.TarFile, path: str, data: bytes | None, mtime: int) -> None:
    info = tarfile.TarInfo(path)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if data is None:
        info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, DIRECTORY_TIME
        archive.addfile(info)
        return
    info.size, info.mode, info.mtime = len(data), 0o644, mtime
    archive.addfile(info, io.BytesIO(data))


def mbz_bytes(files: dict[str, bytes], mtime: int) -> bytes:
    """The .mbz of `files` (archive path -> content, in order): byte-identical for equal input."""
    entries = _entries(files)
    out = io.BytesIO()
    # The tar goes straight into the compressor: the uncompressed archive is never held whole.
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=COMPRESSION, mtime=0) as packed, \
            tarfile.open(fileobj=packed, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        _add(archive, INDEX, index(entries, mtime), DIRECTORY_TIME)
        for path, data in entries:
            _add(archive, path, data, mtime)
    return out.getvalue()
