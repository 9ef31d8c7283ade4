"""Benchmark: time and peak memory of every writer, on the seed source and a large synthetic one.

Run: .venv/bin/python benchmarks/bench_build.py [--units N] [--questions N]
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--questions", type=int, default=60)
    args = parser.parse_args()
    seed = read_source(ROOT / "source").catalogue
    assert seed is not None
    measure("seed", seed)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "source"
        synthesise(big, args.units, args.questions)
        catalogue = read_source(big).catalogue
        assert catalogue is not None
        measure("synthetic", catalogue)


if __name__ == "__main__":
    main()
