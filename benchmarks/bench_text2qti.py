"""Benchmark beside an anchor: N four-option multiple-choice questions, coursepack to Moodle XML
against text2qti to QTI (the same questions), both as whole processes, side by side.

Run: .venv/bin/python benchmarks/bench_text2qti.py [--questions 1000] [--runs 5]
(text2qti comes with the project's bench extra: pip install -e '.[bench]')
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def write_sources(root: Path, count: int) -> tuple[Path, Path]:
    """A coursepack source with one unit of `count` questions, and the same quiz for text2qti."""
    source = root / "source"
    (source / "units" / "u1").mkdir(parents=True)
    (source / "course.yaml").write_text(
        "title: Bench\nshortname: BENCH\norganisation: Bench\nlanguage: en-GB\n"
        "licence: CC-BY-4.0\nunits: [u1]\n")
    (source / "glossary.yaml").write_text(
        "terms:\n  - {id: bench, term: Bench, definition: A bench.}\n")
    (source / "units" / "u1" / "unit.yaml").write_text(
        "id: u1\ntitle: Bench unit\nassessment_route: vocational\nsubject_area: Bench\n"
        "synopsis: Bench.\nlearning_outcomes:\n  - id: u1-lo1\n    statement: Bench.\n"
        "    criteria:\n      - {id: u1-ac1, text: Bench.}\n")
    lines, quiz = ["questions:"], ["Quiz title: Bench", ""]
    for n in range(1, count + 1):
        lines += [f"  - id: u1-q{n}", "    type: multichoice", f"    text: What is {n} + 1?",
                  "    answers:"] + [f"      - {{text: '{n + k}', correct: {str(k == 1).lower()}}}"
                                     for k in range(4)]
        quiz += [f"{n}.  What is {n} + 1?"] + [f"{'*' if k == 1 else ''}{'abcd'[k]})  {n + k}"
                                               for k in range(4)] + [""]
    (source / "units" / "u1" / "questions.yaml").write_text("\n".join(lines) + "\n")
    (root / "quiz.md").write_text("\n".join(quiz))
    return source, root / "quiz.md"


# Both tools as installed and used: their compiled bytecode cached (pip compiles text2qti's on
# install; coursepack's, installed editable, is compiled on its first run), whatever this shell
# says about writing bytecode.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("text2qti", path=str(BIN)) is None:
        sys.exit("text2qti is not installed: pip install -e '.[bench]'")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        write_sources(work, args.questions)
        ours = [str(BIN / "coursepack"), "build", "source", "-o", "out", "--only",
                "moodle-xml", "--no-cache", "-j", "1"]
        theirs = [str(BIN / "text2qti"), "quiz.md"]
        run(ours, work), run(theirs, work)  # warm-up: bytecode compiled, files in the page cache
        pairs = [(run(ours, work), run(theirs, work)) for _ in range(args.runs)]
    a, b = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
    ratio = statistics.median(p[0] / p[1] for p in pairs)
    print(f"{args.questions} questions: coursepack -> Moodle XML {a:.2f} s, "
          f"text2qti -> QTI {b:.2f} s, ratio {ratio:.2f} (median of {args.runs} pairs)")


if __name__ == "__main__":
    main()
