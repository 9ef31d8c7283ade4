"""Benchmark: time and peak memory to validate the seed source and a large synthetic one.

Run: .venv/bin/python benchmarks/bench_validate.py [--units N] [--questions N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

from coursepack.source import read_source

ROOT = Path(__file__).resolve().parent.parent


def synthesise(target: Path, units: int, questions: int) -> None:
    """Copy source/ and replicate its first unit until there are `units` of `questions` each."""
    shutil.copytree(ROOT / "source", target)
    template = target / "units" / "nocn-l2"
    qdata = yaml.safe_load((template / "questions.yaml").read_text(encoding="utf-8"))
    course = yaml.safe_load((target / "course.yaml").read_text(encoding="utf-8"))
    for n in range(units):
        uid = f"bench-{n:03d}"
        folder = target / "units" / uid
        shutil.copytree(template, folder)
        for name in ("unit.yaml", "lesson.yaml"):
            path = folder / name
            path.write_text(path.read_text(encoding="utf-8").replace("nocn-l2", uid),
                            encoding="utf-8")
        repeats = qdata["questions"] * (questions // len(qdata["questions"]) + 1)
        items = [dict(q, id=f"{uid}-q{i:04d}", outcome=f"{uid}-lo1")
                 for i, q in enumerate(repeats)]
        (folder / "questions.yaml").write_text(
            yaml.safe_dump({"questions": items[:questions]}, allow_unicode=True), encoding="utf-8")
        course["units"].append(uid)
    (target / "course.yaml").write_text(yaml.safe_dump(course, allow_unicode=True),
                                        encoding="utf-8")


def measure(label: str, root: Path) -> None:
    """Time a run on its own, then a second run under tracemalloc for the memory peak."""
    start = time.perf_counter()
    result = read_source(root)
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    read_source(root)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.ok, result.diagnostics[:5]
    cat = result.catalogue
    assert cat is not None
    count = sum(len(u.questions) for u in cat.units)
    print(f"{label}: {len(cat.units)} units, {count} questions: {elapsed:.2f} s, "
          f"peak {peak / 2**20:.1f} MiB (tracemalloc)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--questions", type=int, default=100)
    args = parser.parse_args()
    measure("seed source", ROOT / "source")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "source"
        synthesise(big, args.units, args.questions)
        measure("synthetic source", big)


if __name__ == "__main__":
    main()
