"""One inspected file's report: its kind, summary, diagnostics, and their text and JSON forms."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic, Severity, has_errors, one_line, summary


@dataclass
class Report:
    """What one file holds (`facts`, and as lines for people) and what Moodle would refuse."""

    path: str
    kind: str = "unknown"  # a short id: moodle-xml, gift, glossary, scorm12, ..., mbz
    title: str = "a file inspect does not understand"  # the kind, as people say it
    facts: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def at(self, member: str | None) -> str:
        """The name a diagnostic gives for `member` of this file (the file itself for None)."""
        return f"{self.path}!{member}" if member else self.path

    def error(self, message: str, code: str, *, line: int | None = 1, col: int = 1,
              member: str | None = None) -> None:
        """Report something Moodle refuses (or that inspect cannot read)."""
        self.note(message, code, Severity.ERROR, line=line, col=col, member=member)

    def warn(self, message: str, code: str, *, line: int | None = 1, col: int = 1,
             member: str | None = None) -> None:
        """Report something Moodle takes, but not as it looks."""
        self.note(message, code, Severity.WARNING, line=line, col=col, member=member)

    def note(self, message: str, code: str, severity: Severity, *, line: int | None = 1,
             col: int = 1, member: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(self.at(member), max(line or 1, 1), max(col, 1),
                                           severity, message, code))

    def say(self, line: str) -> None:
        """Add one line of the summary people read."""
        self.lines.append(line)

    def json(self) -> dict[str, Any]:
        """The report as plain data."""
        rows = [{"file": one_line(d.file), "line": d.line, "col": d.col,
                 "severity": d.severity.value, "message": one_line(d.message), "code": d.code}
                for d in sorted(self.diagnostics)]
        return {"path": one_line(self.path), "kind": self.kind, "title": self.title,
                "summary": self.facts, "diagnostics": rows}


def counted(counts: Counter[str] | dict[str, int]) -> str:
    """`a 2, b 1`: counts by name, largest first, then by name."""
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items(),
                                                          key=lambda kv: (-kv[1], kv[0])))


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 question`, `2 questions`."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def text(reports: list[Report]) -> str:
    """Every report as text: a header line, the summary indented, the diagnostics, and one
    line counting the files, errors and warnings."""
    blocks = []
    for report in reports:
        lines = [f"{one_line(report.path)}: {report.title}"]
        lines += [f"  {one_line(line)}" for line in report.lines]
        lines += [d.text() for d in sorted(report.diagnostics)]
        blocks.append("\n".join(lines))
    every = all_diagnostics(reports)
    tail = f"inspected {plural(len(reports), 'file')}: {summary(every)}"
    return "\n\n".join([*blocks, tail])


def as_json(reports: list[Report]) -> str:
    """Every report as a JSON list."""
    return json.dumps([r.json() for r in reports], indent=2, ensure_ascii=False)


def all_diagnostics(reports: Iterable[Report]) -> list[Diagnostic]:
    return [d for r in reports for d in r.diagnostics]


def failed(reports: Iterable[Report]) -> bool:
    """True when any report holds an error."""
    return has_errors(all_diagnostics(reports))
