"""Fuzz driver: N seeded mutated-source cases, tallied by failure class, each class shrunk."""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from .contract import Failure, check_tree
from .mutate import (
    FAMILIES,
    Change,
    Entry,
    RandomChooser,
    Tree,
    apply_changes,
    apply_sweep,
    changes,
    describe_changes,
    materialize,
    mutate_once,
    redump,
    snapshot,
    sweep_cases,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {"minimal": ROOT / "tests" / "data" / "minimal" / "source", "seed": ROOT / "source"}
MEMORY_LIMIT = 6 << 30


@dataclass(frozen=True)
class Spec:
    """How to make and run one case."""

    index: int
    seed: str
    sources: tuple[str, ...]
    families: tuple[str, ...]
    max_mutations: int
    timeout: float

    def mutation_seeds(self, count: int) -> list[str]:
        """One seed per mutation, so any subset of them can be replayed alone."""
        return [f"{self.seed}:{self.index}:{k}" for k in range(count)]


@dataclass
class CaseResult:
    """What one case did and which rules it broke."""

    index: int
    source: str
    seeds: list[str]
    mutations: list[str]
    file_args: list[str]
    failures: list[Failure]
    seconds: float
    validate_exit: int | None
    built: bool
    snapshot: dict[str, Entry] | None = None


def _init_worker() -> None:
    """Bound a worker's memory, so an explosion becomes a MemoryError, not a dead machine."""
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _apply(root: Path, seeds: Sequence[str], families: Sequence[str]) -> tuple[list[str], Tree]:
    tree = Tree(root)
    descriptions = [mutate_once(tree, RandomChooser(random.Random(s)), families) for s in seeds]
    return descriptions, tree


def run_case(spec: Spec) -> CaseResult:
    """Copy a source, mutate it, and check the contract on it."""
    rng = random.Random(f"{spec.seed}:{spec.index}")
    source = spec.sources[rng.randrange(len(spec.sources))]
    seeds = spec.mutation_seeds(rng.randint(1, spec.max_mutations))
    with tempfile.TemporaryDirectory(prefix="coursepack-fuzz-") as tmp:
        work = Path(tmp)
        root = work / "source"
        shutil.copytree(SOURCES[source], root, symlinks=True)
        try:
            mutations, tree = _apply(root, seeds, spec.families)
        except Exception as exc:  # a bug in the harness, not in coursepack
            where = traceback.extract_tb(exc.__traceback__)[-1]
            failure = Failure(f"harness error: {type(exc).__name__} at "
                              f"{Path(where.filename).name}:{where.lineno}", repr(exc)[:500])
            return CaseResult(spec.index, source, seeds, [], [], [failure], 0.0, None, False)
        file_args = []
        if rng.random() < 0.15:
            entries = tree.entries()
            if entries:
                pick = entries[rng.randrange(len(entries))]
                file_args.append((Path("source") / pick.relative_to(root)).as_posix())
        snap = snapshot(root)
        outcome = check_tree(work, timeout=spec.timeout, file_args=file_args)
    return CaseResult(spec.index, source, seeds, mutations, file_args, outcome.failures,
                      outcome.seconds, outcome.validate_exit, outcome.built,
                      snap if outcome.failures else None)


@dataclass(frozen=True)
class SweepSpec:
    """One systematic single mutation (see mutate.sweep_cases)."""

    index: int
    source: str
    kind: str
    file: str
    where: int
    what: int
    timeout: float

    @property
    def seed(self) -> str:
        """Sweep cases are not random; this names the case for replays."""
        return f"sweep:{self.kind}:{self.file}:{self.where}:{self.what}"


def run_sweep_case(spec: SweepSpec) -> CaseResult:
    """Copy a source, apply one sweep mutation, check the contract on it."""
    with tempfile.TemporaryDirectory(prefix="coursepack-fuzz-") as tmp:
        work = Path(tmp)
        root = work / "source"
        shutil.copytree(SOURCES[spec.source], root, symlinks=True)
        try:
            description, _ = apply_sweep(root, spec.kind, spec.file, spec.where, spec.what)
        except Exception as exc:  # a bug in the harness, not in coursepack
            failure = Failure(f"harness error: {type(exc).__name__}", repr(exc)[:500])
            return CaseResult(spec.index, spec.source, [], [spec.seed], [], [failure], 0.0, None,
                              False)
        snap = snapshot(root)
        outcome = check_tree(work, timeout=spec.timeout)
    return CaseResult(spec.index, spec.source, [], [description], [], outcome.failures,
                      outcome.seconds, outcome.validate_exit, outcome.built,
                      snap if outcome.failures else None)


def sweep_specs(sources: Sequence[str], count: int, seed: str, timeout: float,
                kinds: Sequence[str] = ()) -> list[SweepSpec]:
    """All sweep cases of the sources (of `kinds`), or `count` sampled with `seed` (0: all)."""
    found = [(name, *case) for name in sources for case in sweep_cases(SOURCES[name])
             if not kinds or case[0] in kinds]
    if 0 < count < len(found):
        found = sorted(random.Random(seed).sample(found, count))
    return [SweepSpec(i, name, kind, rel, where, what, timeout)
            for i, (name, kind, rel, where, what) in enumerate(found)]


def _run(spec: Spec | SweepSpec) -> CaseResult:
    return run_sweep_case(spec) if isinstance(spec, SweepSpec) else run_case(spec)


def _dead_case(spec: Spec | SweepSpec) -> CaseResult:
    if isinstance(spec, SweepSpec):
        failure = Failure("worker process died (segfault, abort or OOM kill)", spec.seed)
        return CaseResult(spec.index, spec.source, [], [spec.seed], [], [failure], 0.0, None,
                          False)
    rng = random.Random(f"{spec.seed}:{spec.index}")
    source = spec.sources[rng.randrange(len(spec.sources))]
    seeds = spec.mutation_seeds(rng.randint(1, spec.max_mutations))
    failure = Failure("worker process died (segfault, abort or OOM kill)",
                      f"case {spec.index}; replay: mutations seeded {seeds}")
    return CaseResult(spec.index, source, seeds, ["(not recorded: the worker died)"], [],
                      [failure], 0.0, None, False)


# ---------------------------------------------------------------------------------------------
# Running many cases, surviving dead workers
# ---------------------------------------------------------------------------------------------


def run_all(specs: Sequence[Spec | SweepSpec], jobs: int,
            progress: Callable[[CaseResult], None]) -> list[CaseResult]:
    """Run every case on `jobs` worker processes; a case that kills its worker is retried alone."""
    results: list[CaseResult] = []
    pending = list(reversed(specs))
    suspects: list[Spec | SweepSpec] = []
    while pending:
        with ProcessPoolExecutor(jobs, initializer=_init_worker) as pool:
            inflight: dict[Future[CaseResult], Spec | SweepSpec] = {}
            broken = False
            while (pending or inflight) and not broken:
                while pending and len(inflight) < jobs * 2:
                    spec = pending.pop()
                    inflight[pool.submit(_run, spec)] = spec
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for future in done:
                    spec = inflight.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        suspects.append(spec)
                        broken = True
                        continue
                    results.append(result)
                    progress(result)
            if broken:
                suspects.extend(inflight.values())
    for spec in sorted(suspects, key=lambda s: s.index):
        try:
            with ProcessPoolExecutor(1, initializer=_init_worker) as pool:
                result = pool.submit(_run, spec).result()
        except BrokenProcessPool:
            result = _dead_case(spec)
        results.append(result)
        progress(result)
    return sorted(results, key=lambda r: r.index)


# ---------------------------------------------------------------------------------------------
# Shrinking one example of a class: fewest mutations, then fewest changed lines.
# ---------------------------------------------------------------------------------------------


@dataclass
class Shrunk:
    """The smallest reproducer found for a class."""

    mutations: list[str]
    baseline: str
    diff: str
    tests: int
    entries: dict[str, Entry] = field(default_factory=dict)


def _reproduces(entries: dict[str, Entry], key: str, file_args: Sequence[str],
                timeout: float) -> bool:
    with tempfile.TemporaryDirectory(prefix="coursepack-shrink-") as tmp:
        materialize(entries, Path(tmp) / "source")
        args = [a for a in file_args if (Path(tmp) / a).exists() or Path(tmp, a).is_symlink()]
        outcome = check_tree(Path(tmp), timeout=timeout, file_args=args)
    return any(f.key == key for f in outcome.failures)


def ddmin(items: list[Change], test: Callable[[list[Change]], bool],
          budget: list[int]) -> list[Change]:
    """Zeller's delta debugging: a 1-minimal-ish subset of `items` for which `test` holds."""
    n = 2
    while len(items) >= 2 and budget[0] > 0:
        size = -(-len(items) // n)
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        for chunk in chunks:
            budget[0] -= 1
            if budget[0] < 0:
                return items
            if test(chunk):
                items, n = chunk, 2
                break
        else:
            for i in range(len(chunks)):
                rest = [c for j, chunk in enumerate(chunks) if j != i for c in chunk]
                if len(chunks) == 2:
                    break  # the complements are the chunks themselves
                budget[0] -= 1
                if budget[0] < 0:
                    return items
                if test(rest):
                    items, n = rest, max(n - 1, 2)
                    break
            else:
                if n >= len(items):
                    return items
                n = min(len(items), n * 2)
    return items


def shrink(example: CaseResult, key: str, families: Sequence[str], timeout: float,
           budget: int) -> Shrunk:
    """Shrink `example` for failure class `key`."""
    pristine = snapshot(SOURCES[example.source])
    used = [0]

    def replay(seeds: Sequence[str]) -> tuple[dict[str, Entry], list[str], Tree] | None:
        with tempfile.TemporaryDirectory(prefix="coursepack-shrink-") as tmp:
            root = Path(tmp) / "source"
            materialize(pristine, root)
            descriptions, tree = _apply(root, seeds, families)
            entries = snapshot(root)
        used[0] += 1
        if _reproduces(entries, key, example.file_args, timeout):
            return entries, descriptions, tree
        return None

    best: tuple[dict[str, Entry], list[str], Tree] | None = None
    seeds = example.seeds
    for size in range(1, len(seeds)):
        for subset in combinations(seeds, size):
            best = replay(subset)
            if best:
                break
        if best:
            break
    if best is None:
        assert example.snapshot is not None
        tree = Tree(Path("/nonexistent"))
        tree.redumped = _redumped_from(example.mutations)
        best = example.snapshot, example.mutations, tree
    mutated, descriptions, tree = best
    baseline, label = _baseline(pristine, tree.redumped)
    if tree.redumped and _reproduces(baseline, key, example.file_args, timeout):
        baseline, label = pristine, "the pristine source"
    found = changes(baseline, mutated)
    left = [max(budget - used[0], 0)]
    kept = ddmin(found, lambda subset: _reproduces(apply_changes(baseline, subset), key,
                                                   example.file_args, timeout), left)
    return Shrunk(descriptions, label, describe_changes(baseline, kept),
                  used[0] + budget - left[0], apply_changes(baseline, kept))


def _redumped_from(mutations: Sequence[str]) -> list[str]:
    out = []
    for text in mutations:
        m = re.match(r"\[data-[a-z-]+\] ([^:]+\.yaml):", text)
        if m and m.group(1) not in out:
            out.append(m.group(1))
    return out


def _baseline(pristine: dict[str, Entry], redumped: Sequence[str]) -> tuple[dict[str, Entry], str]:
    """The pristine tree with the files a data-level mutation rewrote re-dumped unchanged."""
    if not redumped:
        return pristine, "the pristine source"
    with tempfile.TemporaryDirectory(prefix="coursepack-base-") as tmp:
        root = Path(tmp) / "source"
        materialize(pristine, root)
        done = []
        for rel in redumped:
            try:
                redump(root / rel)
            except Exception:  # keep the file as it was
                continue
            done.append(rel)
        entries = snapshot(root)
    return entries, "the pristine source with " + ", ".join(done) + \
        " re-dumped by yaml.safe_dump (no content change)"


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Cases of one failure class."""

    key: str
    hard: bool
    count: int = 0
    examples: list[CaseResult] = field(default_factory=list)
    detail: str = ""


def tally(results: Sequence[CaseResult]) -> list[Tally]:
    """Failure classes, most frequent first."""
    found: dict[str, Tally] = {}
    for result in results:
        for failure in result.failures:
            entry = found.setdefault(failure.key, Tally(failure.key, failure.hard))
            entry.count += 1
            if len(entry.examples) < 5:
                entry.examples.append(result)
            if not entry.detail:
                entry.detail = failure.detail
    return sorted(found.values(), key=lambda t: (not t.hard, -t.count, t.key))


def _size(result: CaseResult) -> tuple[int, int]:
    snap = result.snapshot or {}
    return len(result.mutations), sum(len(data) for _, data in snap.values())


def _git_state() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"],
                              capture_output=True, text=True, check=False).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
                               capture_output=True, text=True, check=False).stdout.split("\n")
    except OSError:
        return "unknown (no git)"
    changed = [line[3:] for line in dirty if line.strip()]
    return head[:80] + (f" + uncommitted changes in {', '.join(changed)}" if changed else "")


def _example(entry: Tally) -> CaseResult:
    return min(entry.examples, key=_size)


def _shrink_job(example: CaseResult, key: str, families: Sequence[str], timeout: float,
                budget: int) -> Shrunk | str:
    try:
        return shrink(example, key, families, timeout, budget)
    except Exception as exc:  # report it with the class, go on with the others
        return f"{type(exc).__name__}: {exc}"


def shrink_all(entries: Sequence[Tally], families: Sequence[str], timeout: float, budget: int,
               jobs: int) -> dict[str, Shrunk | str]:
    """Shrink one example of each class, on worker processes."""
    out: dict[str, Shrunk | str] = {}
    try:
        with ProcessPoolExecutor(jobs, initializer=_init_worker) as pool:
            futures = {pool.submit(_shrink_job, _example(e), e.key, families, timeout, budget):
                       e.key for e in entries}
            for future, key in futures.items():
                try:
                    out[key] = future.result()
                except BrokenProcessPool:
                    out[key] = "a worker process died while shrinking"
    except BrokenProcessPool:
        pass
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fuzzer; print a table of failure classes with shrunk reproducers."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.fuzz_run",
                                     description=__doc__)
    parser.add_argument("cases", type=int, help="number of cases (N)")
    parser.add_argument("seed", help="seed (any string); a case is fixed by SEED and its index")
    parser.add_argument("--sweep", action="store_true",
                        help="instead of random cases, apply every palette entry at every place "
                        "one at a time (N sampled with SEED; N=0: all)")
    parser.add_argument("--kinds", default="",
                        help="with --sweep: only these kinds (text,data,inject,add,file)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--source", choices=["minimal", "seed", "both"], default="both")
    parser.add_argument("--families", default=",".join(FAMILIES),
                        help=f"mutation families (default: {','.join(FAMILIES)})")
    parser.add_argument("--max-mutations", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds before a command counts as hung (default 60)")
    parser.add_argument("--shrink-budget", type=int, default=60,
                        help="check runs to spend shrinking each class (0: do not shrink)")
    parser.add_argument("--soft", action="store_true",
                        help="also shrink the soft (beyond the stated contract) classes")
    parser.add_argument("--save", type=Path, help="write each class's shrunk tree here")
    parser.add_argument("--json", type=Path, help="write the tally as JSON here")
    args = parser.parse_args(argv)

    sources = ("minimal", "seed") if args.source == "both" else (args.source,)
    families = tuple(f for f in args.families.split(",") if f)
    specs: list[Spec | SweepSpec]
    if args.sweep:
        kinds = [k for k in args.kinds.split(",") if k]
        specs = list(sweep_specs(sources, args.cases, args.seed, args.timeout, kinds))
        print(f"sweep: {len(specs)} single mutations", flush=True)
    else:
        specs = [Spec(i, args.seed, sources, families, args.max_mutations, args.timeout)
                 for i in range(args.cases)]
    started = time.perf_counter()
    seen: set[str] = set()
    counter = [0]

    def progress(result: CaseResult) -> None:
        counter[0] += 1
        for failure in result.failures:
            if failure.key not in seen:
                seen.add(failure.key)
                print(f"[case {result.index}] new class: {failure.key}", file=sys.stderr,
                      flush=True)
        if counter[0] % 100 == 0:
            elapsed = time.perf_counter() - started
            print(f"... {counter[0]}/{len(specs)} cases, {elapsed:.0f}s "
                  f"({elapsed / counter[0] * 100:.1f}s per 100), {len(seen)} classes",
                  file=sys.stderr, flush=True)

    print(f"code under test: {_git_state()}", flush=True)
    for name in sources:
        with tempfile.TemporaryDirectory(prefix="coursepack-fuzz-") as tmp:
            shutil.copytree(SOURCES[name], Path(tmp) / "source", symlinks=True)
            baseline = check_tree(Path(tmp), timeout=args.timeout)
        if baseline.hard or not baseline.built:
            print(f"the unmutated {name} source already fails (is src/ mid-edit?):\n"
                  f"{baseline.report()}", file=sys.stderr)
            return 2
    results = run_all(specs, args.jobs, progress)
    elapsed = time.perf_counter() - started
    classes = tally(results)
    passed = sum(not any(f.hard for f in r.failures) for r in results)
    clean = sum(not r.failures for r in results)
    validated = sum(r.validate_exit == 0 for r in results)
    built = sum(r.built for r in results)
    slowest = max(results, key=lambda r: r.seconds, default=None)

    print(f"\n{len(specs)} cases (seed {args.seed!r}, sources {'+'.join(sources)}, "
          f"families {','.join(families)}) in {elapsed:.0f}s "
          f"= {elapsed / max(len(specs), 1) * 100:.1f}s per 100 cases, {args.jobs} job(s)")
    print(f"passed (no hard failure): {passed}; no failure at all: {clean}; "
          f"validate exit 0: {validated}; built: {built}")
    if slowest:
        print(f"slowest case: #{slowest.index} {slowest.seconds:.1f}s in the CLI "
              f"({'; '.join(slowest.mutations)[:200]})")
    print(f"\n{'count':>6}  {'kind':4}  class")
    for entry in classes:
        print(f"{entry.count:>6}  {'hard' if entry.hard else 'soft':4}  {entry.key}")

    started_shrink = time.perf_counter()
    wanted = [entry for entry in classes if _example(entry).snapshot is not None
              and args.shrink_budget > 0 and (entry.hard or args.soft)
              and not entry.key.startswith(("worker", "harness"))]
    shrunk_by_key = shrink_all(wanted, families, args.timeout, args.shrink_budget, args.jobs)
    report: list[dict[str, Any]] = []
    for number, entry in enumerate(classes, 1):
        example = _example(entry)
        item: dict[str, Any] = {"class": entry.key, "hard": entry.hard, "count": entry.count,
                                "example_case": example.index, "source": example.source,
                                "mutations": example.mutations, "detail": entry.detail,
                                "file_args": example.file_args}
        print(f"\n=== {number}. {entry.key}  ({entry.count} cases, "
              f"{'hard' if entry.hard else 'soft'})")
        print(f"example: case {example.index} on {example.source}: "
              + "; ".join(example.mutations)[:600])
        if example.file_args:
            print(f"also validated: {example.file_args}")
        print("detail: " + entry.detail.replace("\n", "\n        ")[:1200])
        shrunk = shrunk_by_key.get(entry.key)
        if isinstance(shrunk, str):
            print(f"(shrinking failed: {shrunk})")
        elif shrunk is not None:
            print(f"shrunk ({shrunk.tests} runs): mutations: " + "; ".join(shrunk.mutations))
            print(f"diff against {shrunk.baseline}:")
            print("    " + shrunk.diff.replace("\n", "\n    "))
            item.update(shrunk_mutations=shrunk.mutations, baseline=shrunk.baseline,
                        diff=shrunk.diff)
            if args.save:
                _save(args.save, number, entry, shrunk, example)
        report.append(item)
    print(f"\nshrinking took {time.perf_counter() - started_shrink:.0f}s")
    if args.json:
        args.json.write_text(json.dumps({"cases": args.cases, "seed": args.seed,
                                         "seconds": elapsed, "passed": passed,
                                         "classes": report}, indent=2, default=str))
    return 1 if any(entry.hard for entry in classes) else 0


def _save(folder: Path, number: int, entry: Tally, shrunk: Shrunk, example: CaseResult) -> None:
    slug = re.sub(r"[^a-z0-9]+", "-", entry.key.lower()).strip("-")[:60]
    target = folder / f"{number:02d}-{slug}"
    if target.exists():
        shutil.rmtree(target)
    materialize(shrunk.entries, target / "source")
    (target / "README.txt").write_text(
        f"class: {entry.key}\ncases: {entry.count}\nexample: case {example.index} "
        f"({example.source})\nmutations: {'; '.join(shrunk.mutations)}\n"
        f"file args: {example.file_args}\n\ndetail:\n{entry.detail}\n\n"
        f"diff against {shrunk.baseline}:\n{shrunk.diff}\n\n"
        f"reproduce: cd {target} && coursepack validate source && coursepack build source "
        f"-o out\n", encoding="utf-8", errors="backslashreplace")


if __name__ == "__main__":
    sys.exit(main())
