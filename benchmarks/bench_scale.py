"""Benchmark: validate and build a cloned catalogue: cold, parallel, cached, after one edit.

Each figure is a whole `coursepack` process, timed side by side in one run so the ratios hold on a
noisy machine. Run: .venv/bin/python benchmarks/bench_scale.py [--units 100] [--jobs 2]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from clone import clone_catalogue

COURSEPACK = [str(Path(sys.executable).parent / "coursepack")]


def timed(label: str, args: list[str], cwd: Path) -> float:
    """Run coursepack once; print and return its wall time (and the children's peak memory)."""
    start = time.perf_counter()
    subprocess.run([*COURSEPACK, *args], cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{label:<34} {wall:8.2f} s   (largest process so far {peak:7.0f} MiB)")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        clone_catalogue(work, args.units)
        unit = sorted((work / "source" / "units").iterdir())[0] / "unit.yaml"
        jobs = str(args.jobs)
        timed("validate", ["validate", "source"], work)
        one = timed("build, 1 job, no cache", ["build", "source", "-o", "a", "--no-cache",
                                               "-j", "1"], work)
        many = timed(f"build, {jobs} jobs, cold cache", ["build", "source", "-o", "b", "-j",
                                                         jobs], work)
        warm = timed(f"build, {jobs} jobs, unchanged", ["build", "source", "-o", "b", "-j", jobs],
                     work)
        unit.write_text(unit.read_text().replace("title:", "title: Edited", 1))
        edit = timed(f"build, {jobs} jobs, one unit edited", ["build", "source", "-o", "b",
                                                              "-j", jobs], work)
        print(f"ratios to 1 job: {jobs} jobs {many / one:.2f}, unchanged {warm / one:.2f}, "
              f"one edit {edit / one:.2f}")


if __name__ == "__main__":
    main()
