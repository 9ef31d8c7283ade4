"""Benchmark: the worst inputs validate and build in bounded time and memory.

Each case is a copy of the minimal test source with one hostile file; each command runs as its
own process, so its peak resident memory is its own. Run:
    .venv/bin/python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "minimal" / "source"
COURSEPACK = [str(Path(sys.executable).with_name("coursepack"))]
MAX_BYTES = 4 * 1024 * 1024


def _questions(source: Path, body: str) -> None:
    (source / "units" / "u1" / "questions.yaml").write_text(body, encoding="utf-8")


def alias_bomb(source: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    (source / "glossary.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def invalid_items(source: Path) -> None:
    items = [f"  - {{id: q{i}, type: multichoice, text: T, answers: 5}}" for i in range(20_000)]
    _questions(source, "questions:\n" + "\n".join(items) + "\n")


def largest_file(source: Path) -> None:
    item = ("  - {{id: u1-b{n}, type: multichoice, text: 'Question {n} on the **LAST** model', "
            "answers: [{{text: Listen {n}, correct: true}}, {{text: Solve {n}}}]}}\n")
    body, n = "questions:\n", 0
    while len(body) < MAX_BYTES - 200:
        body += item.format(n=n)
        n += 1
    _questions(source, body)


def longest_texts(source: Path) -> None:
    text = ("Customer service " * 11_700)[:199_999]
    items = [f"  - {{id: u1-l{i}, type: essay, text: '{text}'}}" for i in range(20)]
    _questions(source, "questions:\n" + "\n".join(items) + "\n")


def deep_nesting(source: Path) -> None:
    _questions(source, "questions: " + "[" * 999 + "]" * 999 + "\n")


CASES: dict[str, Callable[[Path], None]] = {
    "alias bomb 10 deep x 9 wide": alias_bomb, "20,000 schema-invalid items": invalid_items,
    "4 MiB questions.yaml (valid)": largest_file, "20 texts of 199,999 characters": longest_texts,
    "flow nesting 999 deep": deep_nesting,
}


def run(args: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB, and exit code of one command in its own process."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL).returncode; "
             "print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r)")
    out = subprocess.run([sys.executable, "-c", probe, *args], cwd=cwd, capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2])


def main() -> None:
    print(f"{'case':34} {'MiB in':>7} {'validate':>9} {'RSS':>8} {'build':>9} {'RSS':>8}")
    for name, make in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "source"
            shutil.copytree(MINIMAL, source)
            make(source)
            size = sum(p.stat().st_size for p in source.rglob("*") if p.is_file()) / 2**20
            v_time, v_rss, v_code = run([*COURSEPACK, "validate", "source"], Path(tmp))
            b_time, b_rss, b_code = run([*COURSEPACK, "build", "source", "-o", "out"],
                                        Path(tmp))
            print(f"{name:34} {size:7.2f} {v_time:7.2f} s {v_rss:5.0f} MB {b_time:7.2f} s "
                  f"{b_rss:5.0f} MB   exit {v_code}/{b_code}")
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this script itself: {usage:.0f} MB)")


if __name__ == "__main__":
    main()
