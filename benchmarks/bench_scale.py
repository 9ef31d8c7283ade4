"""Benchmark: the scale table. Validate and build cloned catalogues of N units, side by side.

For each size: validate cold and unchanged; build with 1 job and no cache, with J jobs cold,
unchanged, and after one question of one unit is edited; the floor (deflating and writing the
same bytes at the same levels on J processes, benchmarks/floor.py). Each figure is a whole
`coursepack` process (its wall time, and the peak memory of the largest process in its tree).
With two sizes, the growth exponent of the cold build between them. With --repeat N, each warm
case (validate and build unchanged, one question edited: a new edit each time) is the median of N
runs, for a shared machine's noise.
Run: .venv/bin/python benchmarks/bench_scale.py [--units 100,1000] [--jobs 2] [--skip-one-job]
     [--repeat 1]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from clone import clone_catalogue

BIN = Path(sys.executable).parent
FLOOR = Path(__file__).parent / "floor.py"


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak MiB (largest process of the tree) of one command."""
    start = time.perf_counter()
    child = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        error = child.stderr.read().decode() if child.stderr else ""
        sys.exit(f"failed: {' '.join(args)}: {error}")
    return wall, usage.ru_maxrss / 1024


def edit_one_question(source: Path) -> None:
    """Change the text of the first question of the first unit (a folded block in the seed)."""
    path = sorted((source / "units").iterdir())[0] / "questions.yaml"
    text = path.read_text()
    at = text.index("    text: >-\n") + len("    text: >-\n")
    path.write_text(text[:at] + "      (Edited.)\n" + text[at:])


def median_of(runs: int, once: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    """The median wall time of `runs` runs, and the largest peak memory among them."""
    found = [once() for _ in range(runs)]
    return statistics.median(w for w, _ in found), max(m for _, m in found)


def measure(units: int, jobs: int, one_job: bool,
            repeat: int = 1) -> dict[str, tuple[float, float]]:
    """Every row of the table for one size."""
    cp = [str(BIN / "coursepack")]
    rows: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = clone_catalogue(work, units)
        rows["validate, cold"] = timed([*cp, "validate", "source"], work)
        rows["validate, unchanged"] = median_of(
            repeat, lambda: timed([*cp, "validate", "source"], work))
        if one_job:
            rows["build, 1 job, no cache"] = timed(
                [*cp, "build", "source", "-o", "one", "--no-cache", "-j", "1"], work)
        build = [*cp, "build", "source", "-o", "out", "-j", str(jobs)]
        rows[f"build, {jobs} jobs, cold"] = timed(build, work)
        rows["floor (deflate + write)"] = (_floor(work, jobs), 0.0)
        rows[f"build, {jobs} jobs, unchanged"] = median_of(repeat, lambda: timed(build, work))

        def edited() -> tuple[float, float]:
            edit_one_question(source)
            return timed(build, work)

        rows[f"build, {jobs} jobs, one question edited"] = median_of(repeat, edited)
    return rows


def _floor(work: Path, jobs: int) -> float:
    done = subprocess.run([sys.executable, str(FLOOR), "out", "floor", "--jobs", str(jobs)],
                          cwd=work, check=True, capture_output=True, text=True)
    return float(done.stdout.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", default="100")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-one-job", action="store_true")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each warm case, their median reported")
    args = parser.parse_args()
    sizes = [int(n) for n in args.units.split(",")]
    table = {n: measure(n, args.jobs, not args.skip_one_job, args.repeat) for n in sizes}
    names = list(table[sizes[0]])
    print(f"| case | {' | '.join(f'{n} units: s (peak MiB)' for n in sizes)} |")
    print(f"|---|{'---|' * len(sizes)}")
    for name in names:
        cells = [f"{table[n][name][0]:.2f}" + (f" ({table[n][name][1]:.0f})"
                                                if table[n][name][1] else "") for n in sizes]
        print(f"| {name} | {' | '.join(cells)} |")
    cold = f"build, {args.jobs} jobs, cold"
    ratios = [f"{table[n][cold][0] / table[n]['floor (deflate + write)'][0]:.2f}" for n in sizes]
    print(f"| cold build / floor | {' | '.join(ratios)} |")
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        growth = math.log(table[b][cold][0] / table[a][cold][0]) / math.log(b / a)
        print(f"\ncold build time grows as N^{growth:.2f} from {a} to {b} units")


if __name__ == "__main__":
    main()
