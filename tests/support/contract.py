"""The CLI contract, checked in-process: exit codes, diagnostic lines, builds, well-formed XML."""

from __future__ import annotations

import contextlib
import io
import json
import re
import signal
import tarfile
import threading
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from click.testing import CliRunner, Result
from lxml import etree

from coursepack.cli import main

DIAG_RE = re.compile(r"^(?P<file>.+?):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): "
                     r"(?P<severity>error|warning): (?P<message>.*) "
                     r"\[(?P<code>[a-z0-9][a-z0-9-]*)\]$")
SUMMARY_RE = re.compile(r"^(?P<what>.+): (?P<errors>[0-9]+) errors?, "
                        r"(?P<warnings>[0-9]+) warnings?(?: \([^()\n]*\))?$")
WROTE_RE = re.compile(r"^wrote .+ \([0-9,]+ bytes\)$")
TASKS_RE = re.compile(r"^[0-9]+ tasks: [0-9]+ built, [0-9]+ from the cache$")
UP_TO_DATE_RE = re.compile(r"^.+/ is up to date: it holds these [0-9]+ files already$")
FAILED_RE = re.compile(r"^build failed; .*$")
GITHUB_RE = re.compile(r"^::(?:error|warning) file=[^,]*,line=[1-9][0-9]*,col=[1-9][0-9]*,"
                       r"title=[a-z0-9][a-z0-9-]*::.*$")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Characters that split or garble a line on a terminal or in a CI log (tab, newline excluded).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
SLOW_SECONDS = 10.0  # one command taking longer is recorded (soft), never skipped
JSON_KEYS = {"file", "line", "col", "severity", "code", "message"}


class Hang(BaseException):
    """A command ran past its deadline (a BaseException, so click's runner lets it through)."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise Hang in the main thread after `seconds` (a no-op elsewhere or when 0)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds:g}s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@dataclass(frozen=True)
class Failure:
    """One broken rule: `key` names its class (for tallying), `detail` says what happened."""

    key: str
    detail: str
    hard: bool = True


@dataclass
class Outcome:
    """Everything one case showed: broken rules, exit codes, and how long each command took."""

    failures: list[Failure] = field(default_factory=list)
    validate_exit: int | None = None
    build_exit: int | None = None
    built: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def hard(self) -> list[Failure]:
        """The failures that break the stated contract."""
        return [f for f in self.failures if f.hard]

    @property
    def seconds(self) -> float:
        """Total time spent in the CLI."""
        return sum(self.timings.values())

    def report(self) -> str:
        """A readable account of the failures."""
        return "\n\n".join(f"{'' if f.hard else '(soft) '}{f.key}\n{f.detail}"
                           for f in self.failures)


@dataclass
class Run:
    """One CLI invocation."""

    args: list[str]
    result: Result | None
    seconds: float
    hang: str | None = None

    @property
    def name(self) -> str:
        """The command, for messages."""
        return " ".join(a if len(a) < 40 else a[:37] + "..." for a in self.args)


def invoke(args: Sequence[str], timeout: float) -> Run:
    """Run `coursepack ARGS` in-process under a deadline."""
    start = time.perf_counter()
    try:
        with deadline(timeout):
            result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    except Hang as exc:
        return Run(list(args), None, time.perf_counter() - start, str(exc))
    return Run(list(args), result, time.perf_counter() - start)


def crash_site(exc_info: tuple[type[BaseException], BaseException, TracebackType | None] | None
               ) -> str:
    """Where an exception came from: the innermost coursepack frame (and the innermost one)."""
    if exc_info is None:
        return "?"
    frames = traceback.extract_tb(exc_info[2])
    ours = [f for f in frames if _ours(f.filename)]
    if isinstance(exc_info[1], RecursionError) and ours:
        (file, func), _ = Counter((_short(f.filename), f.name) for f in ours).most_common(1)[0]
        return f"{file} ({func}, recursing)"
    if not ours:
        last = frames[-1] if frames else None
        return f"{_short(last.filename)}:{last.lineno} ({last.name})" if last else "?"
    here = ours[-1]
    where = f"{_short(here.filename)}:{here.lineno} ({here.name})"
    last = frames[-1]
    if last is not here:
        where += f" via {_short(last.filename)}:{last.lineno}"
    return where


def _ours(filename: str) -> bool:
    parts = Path(filename).parts
    return "coursepack" in parts and "tests" not in parts


def _short(filename: str) -> str:
    parts = Path(filename).parts
    for marker in ("coursepack", "site-packages"):
        if marker in parts:
            i = len(parts) - 1 - parts[::-1].index(marker)
            prefix = "src/" if marker == "coursepack" and "site-packages" not in parts else ""
            return prefix + "/".join(parts[i if marker == "coursepack" else i + 1:])
    return Path(filename).name


def _lines(text: str) -> list[str]:
    """Lines, split at \\n, \\r\\n and a lone \\r (a terminal breaks the line at each)."""
    parts = LINE_BREAK.split(text)
    if parts and parts[-1] == "":
        parts.pop()
    return parts


def _sample(lines: Sequence[str], limit: int = 6) -> str:
    shown = [repr(line) if len(line) < 300 else repr(line[:300]) + "..." for line in lines[:limit]]
    return "\n".join(shown) + (f"\n... ({len(lines) - limit} more)" if len(lines) > limit else "")


def _code_near(lines: Sequence[str], index: int) -> str:
    """The [code] of the diagnostic a broken line belongs to (the next line that has one)."""
    for line in lines[index:index + 40]:
        m = re.search(r"\[([a-z0-9-]+)\]$", line)
        if m:
            return m.group(1)
    return "?"


class Checker:
    """Runs the commands for one source tree and records every broken rule."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.outcome = Outcome()

    def fail(self, key: str, detail: str, *, hard: bool = True) -> None:
        """Record a broken rule (once per key)."""
        if all(f.key != key for f in self.outcome.failures):
            self.outcome.failures.append(Failure(key, detail, hard))

    def run(self, *args: str) -> Result | None:
        """Invoke the CLI and check what holds for every command; None when it did not finish."""
        run = invoke(args, self.timeout)
        label = args[0] + (f" --format {args[args.index('--format') + 1]}"
                           if "--format" in args else "")
        self.outcome.timings[run.name] = run.seconds
        if run.seconds > SLOW_SECONDS and run.result is not None:
            self.fail(f"slow: {label} over {SLOW_SECONDS:g}s", f"{run.name}: {run.seconds:.1f}s",
                      hard=False)
        if run.result is None:
            self.fail(f"hang: {label} ran over {self.timeout:g}s", f"{run.name}: {run.hang}")
            return None
        result = run.result
        exc = result.exception
        if exc is not None and not isinstance(exc, SystemExit):
            site = crash_site(result.exc_info)
            message = str(exc).splitlines()[0][:200] if str(exc) else ""
            self.fail(f"crash: {type(exc).__name__} at {site}",
                      f"{run.name}: {type(exc).__name__}: {message}")
            return None
        if result.exit_code not in (0, 1, 2):
            self.fail(f"exit code {result.exit_code} ({label})", f"{run.name}")
        if "Traceback" in result.output:
            self.fail(f"traceback in output ({label})", _sample(_lines(result.output)))
        controls = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(result.output)})
        if controls:
            self.fail(f"control characters in output ({label})",
                      f"{', '.join(controls)}: "
                      f"{_sample([x for x in _lines(result.output) if CONTROL.search(x)], 2)}",
                      hard=False)
        return result

    def text_lines(self, result: Result, label: str, allowed: Sequence[re.Pattern[str]] = (),
                   trailing: Sequence[re.Pattern[str]] = ()) -> list[re.Match[str]]:
        """Check text output: diagnostic (or `allowed`) lines, a summary, `trailing` lines."""
        lines = _lines(result.output)
        while lines and any(p.match(lines[-1]) for p in trailing):
            lines.pop()
        if not lines:
            self.fail(f"no summary line ({label})", "empty output")
            return []
        *body, last = lines
        if not SUMMARY_RE.match(last):
            self.fail(f"last line is not a summary ({label})", _sample(lines[-3:]))
        diags: list[re.Match[str]] = []
        bad: list[int] = []
        for i, line in enumerate(body):
            m = DIAG_RE.match(line)
            if m:
                diags.append(m)
            elif not any(p.match(line) for p in allowed):
                bad.append(i)
        if bad:
            code = _code_near(body, bad[0])
            self.fail(f"malformed output line ({label}) [{code}]",
                      _sample([body[i] for i in bad]))
        summary = SUMMARY_RE.match(last)
        if summary and not bad:
            errors = sum(m["severity"] == "error" for m in diags)
            counted = (int(summary["errors"]), int(summary["warnings"]))
            if counted != (errors, len(diags) - errors):
                self.fail(f"summary counts differ from the lines ({label})",
                          f"{last!r} but {errors} error and {len(diags) - errors} warning lines",
                          hard=False)
        return diags


def check_tree(workdir: Path, *, timeout: float = 60.0, build: bool = True,
               file_args: Sequence[str] = ()) -> Outcome:
    """Run validate (text, json --strict, github) and build on `workdir`/source; check it all."""
    checker = Checker(timeout)
    outcome = checker.outcome
    with contextlib.chdir(workdir):
        _check_validate(checker)
        for arg in file_args:
            result = checker.run("validate", arg)
            if result is not None:
                checker.text_lines(result, "validate FILE")
        if build:
            _check_build(checker, workdir / "out")
    return outcome


def _check_validate(checker: Checker) -> None:
    outcome = checker.outcome
    text = checker.run("validate", "source")
    text_rows: list[tuple[Any, ...]] | None = None
    if text is not None:
        outcome.validate_exit = text.exit_code
        diags = checker.text_lines(text, "validate")
        errors = sum(m["severity"] == "error" for m in diags)
        if text.exit_code in (0, 1) and (text.exit_code == 1) != (errors > 0):
            checker.fail("exit code disagrees with the errors shown (validate)",
                         f"exit {text.exit_code} with {errors} error lines", hard=False)
        # Paths are compared loosely: text escapes control characters that JSON keeps raw.
        text_rows = sorted((int(m["line"]), int(m["col"]), m["severity"], m["code"])
                           for m in diags)
    strict = checker.run("validate", "source", "--format", "json", "--strict")
    if strict is not None:
        rows = _json_rows(checker, strict.stdout)
        if rows is not None:
            if strict.exit_code in (0, 1) and (strict.exit_code == 1) != bool(rows):
                checker.fail("--strict exit code disagrees with the diagnostics",
                             f"exit {strict.exit_code} with {len(rows)} diagnostics", hard=False)
            mine = sorted((r["line"], r["col"], r["severity"], r["code"]) for r in rows)
            if text_rows is not None and mine != text_rows and not _any_multiline(rows):
                checker.fail("text and json report different diagnostics",
                             f"text {text_rows[:3]}... json {mine[:3]}...", hard=False)
    github = checker.run("validate", "source", "--format", "github")
    if github is not None:
        bad = [line for line in _lines(github.stdout) if not GITHUB_RE.match(line)]
        if bad:
            checker.fail("malformed github annotation line", _sample(bad))


def _any_multiline(rows: list[dict[str, Any]]) -> bool:
    return any(LINE_BREAK.search(str(r.get("message", "")) + str(r.get("file", "")))
               for r in rows)


def _json_rows(checker: Checker, stdout: str) -> list[dict[str, Any]] | None:
    try:
        rows = json.loads(stdout)
    except ValueError as exc:
        checker.fail("--format json output is not JSON", f"{exc}: {stdout[:300]!r}")
        return None
    if not isinstance(rows, list) or not all(
            isinstance(r, dict) and set(r) == JSON_KEYS and r["severity"] in ("error", "warning")
            and isinstance(r["line"], int) and isinstance(r["col"], int)
            and r["line"] >= 1 and r["col"] >= 1 for r in rows):
        checker.fail("--format json rows malformed", f"{stdout[:300]!r}")
        return None
    return rows


def _check_build(checker: Checker, out: Path) -> None:
    outcome = checker.outcome
    result = checker.run("build", "source", "-v", "-o", str(out.name))
    if result is None:
        return
    outcome.build_exit = result.exit_code
    checker.text_lines(result, "build", allowed=(WROTE_RE, TASKS_RE, UP_TO_DATE_RE),
                        trailing=(FAILED_RE,))
    if outcome.validate_exit == 0 and result.exit_code != 0:
        codes = sorted({m["code"] for m in map(DIAG_RE.match, _lines(result.output))
                        if m and m["severity"] == "error"})
        checker.fail(f"validate passes but build fails [{', '.join(codes) or '?'}]",
                     _sample([x for x in _lines(result.output) if " error: " in x]))
    if outcome.validate_exit == 1 and result.exit_code == 0:
        checker.fail("build succeeds where validate fails", "", hard=False)
    if result.exit_code == 0:
        outcome.built = out.is_dir()
        if not outcome.built:
            checker.fail("build exited 0 but wrote no folder", str(out))
            return
        found: dict[str, list[str]] = {}
        for where, message in xml_problems(out):
            found.setdefault(message, []).append(where)
        for message, wheres in found.items():
            checker.fail(f"malformed XML: {message}", _sample(wheres, 4))


def _generic(message: str) -> str:
    message = re.sub(r", line \d+, column \d+", "", message)
    return re.sub(r"\d+", "N", message)


def xml_problems(out: Path) -> list[tuple[str, str]]:
    """Every .xml file in `out` (also inside .zip and .mbz archives) that is not well-formed."""
    problems: list[tuple[str, str]] = []
    for path in sorted(out.rglob("*")):
        if path.is_file():
            _check_blob(path.relative_to(out).as_posix(), path.read_bytes(), problems, 0)
    return problems


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _check_blob(name: str, data: bytes, problems: list[tuple[str, str]], depth: int) -> None:
    if name.lower().endswith(".xml"):
        try:
            etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            problems.append((name, _generic(str(exc))))
    if depth > 3:
        return
    if data[:4] == b"PK\x03\x04" or name.endswith(".zip"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for info in zf.infolist():
                    if not info.is_dir():
                        _check_blob(f"{name}!{info.filename}", zf.read(info), problems,
                                    depth + 1)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            problems.append((name, f"unreadable zip: {type(exc).__name__}"))
    elif data[:2] == b"\x1f\x8b" or name.endswith(".mbz"):
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tf:
                for member in tf.getmembers():
                    handle = tf.extractfile(member) if member.isfile() else None
                    if handle is not None:
                        _check_blob(f"{name}!{member.name}", handle.read(), problems, depth + 1)
        except (tarfile.TarError, OSError, EOFError) as exc:
            problems.append((name, f"unreadable archive: {type(exc).__name__}"))
