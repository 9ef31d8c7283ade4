"""The floor of a build: deflate and write the same bytes at the same compression levels.

Each file of a built folder is read and uncompressed (not timed), then written again into OUT,
timed: gzip files (.mbz) re-gzipped at the level the build uses, zip files (SCORM, IMS CP)
re-zipped member by member with each member's method, every other file as it is. The floor is
the sum of those times divided by N processes (perfect sharing): what no build of these bytes
can go below.
Run: .venv/bin/python benchmarks/floor.py BUILT OUT [--jobs N]
"""

from __future__ import annotations

import argparse
import gzip
import io
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from coursepack.writers.zipper import COMPRESSION

Item = tuple[str, str, object]  # kind, relative path, what to compress


def _load(path: Path, rel: str) -> Item:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # read as a stream: a .mbz joined from parts has many members
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            return "gzip", rel, packed.read()
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "zip", rel, [(i, archive.read(i)) for i in archive.infolist()]
    return "raw", rel, data


def _timed(built: Path, out: Path, rel: str) -> float:
    item = _load(built / rel, rel)
    start = time.perf_counter()
    _write(out, item)
    return time.perf_counter() - start


def _write(out: Path, item: Item) -> int:
    kind, rel, content = item
    target = out / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if kind == "gzip":
        assert isinstance(content, bytes)
        data = gzip.compress(content, compresslevel=COMPRESSION, mtime=0)
    elif kind == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for info, member in content:  # type: ignore[attr-defined]
                archive.writestr(info, member, compress_type=info.compress_type,
                                 compresslevel=COMPRESSION)
        data = buffer.getvalue()
    else:
        assert isinstance(content, bytes)
        data = content
    target.write_bytes(data)
    return len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("built", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    names = [p.relative_to(args.built).as_posix() for p in sorted(args.built.rglob("*"))
             if p.is_file()]
    with ProcessPoolExecutor(args.jobs) as pool:
        spent = sum(pool.map(_timed, [args.built] * len(names), [args.out] * len(names), names))
    print(f"{spent / args.jobs:.3f}")


if __name__ == "__main__":
    main()
