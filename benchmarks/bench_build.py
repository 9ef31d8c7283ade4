"""Benchmark: time and peak memory of every writer, on the seed source and a large synthetic one.

Run: .venv/bin/python benchmarks/bench_build.py [--units N] [--questions N]
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from coursepack.model import Catalogue
from coursepack.source import read_source
from coursepack.writers import WRITERS

sys.path.insert(0, str(Path(__file__).parent))
from bench_validate import ROOT, synthesise


def measure(label: str, catalogue: Catalogue) -> None:
    """Each writer timed on its own, then under tracemalloc for its memory peak."""
    for name, writer in WRITERS.items():
        start = time.perf_counter()
        files = writer.write(catalogue)
        elapsed = time.perf_counter() - start
        tracemalloc.start()
        writer.write(catalogue)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = sum(len(data) for data in files.values())
        print(f"{label:>9} {name:<10} {len(files):>4} files {size / 2**20:8.1f} MiB "
              f"{elapsed:7.2f} s  peak {peak / 2**20:7.1f} MiB")


def compression(catalogue: Catalogue) -> None:
    """Deflate levels side by side, as ratios to 9: gzip on the course backup's tar, and the
    members of every SCORM and IMS package (raw deflate, as zip stores them)."""
    import zipfile
    import zlib

    from coursepack.writers import imscp, mbz, scorm

    raw = gzip.decompress(mbz.write(catalogue)["course.mbz"])
    packages = {**scorm.write(catalogue), **imscp.write(catalogue)}
    members = [archive.read(info) for data in packages.values()
               for archive in [zipfile.ZipFile(io.BytesIO(data))] for info in archive.infolist()]

    def deflated(data: bytes, level: int) -> int:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return len(packer.compress(data) + packer.flush())

    for label, compress in (("gzip, course.mbz", lambda level: len(gzip.compress(
            raw, compresslevel=level, mtime=0))), ("deflate, packages", lambda level: sum(
            deflated(member, level) for member in members))):
        sizes, times = {}, {}
        for level in (1, 4, 6, 9):
            start = time.perf_counter()
            for _ in range(3):
                sizes[level] = compress(level)
            times[level] = (time.perf_counter() - start) / 3
        for level in sizes:
            print(f"{label} {level}: {sizes[level]:>10,} bytes ({sizes[level] / sizes[9]:.3f}x) "
                  f"{times[level] * 1000:7.1f} ms ({times[level] / times[9]:.2f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--compression", action="store_true",
                        help="compare gzip levels on the seed's course backup, then stop")
    args = parser.parse_args()
    seed = read_source(ROOT / "source").catalogue
    assert seed is not None
    if args.compression:
        compression(seed)
        return
    measure("seed", seed)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "source"
        synthesise(big, args.units, args.questions)
        catalogue = read_source(big).catalogue
        assert catalogue is not None
        measure("synthetic", catalogue)


if __name__ == "__main__":
    main()
