"""Diagnostics: located error and warning messages, and their text, JSON and GitHub renderings."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"


Row = tuple[str, int, int, str, str, str]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One message about a place in a source file."""

    file: str
    line: int
    col: int
    severity: Severity
    message: str
    code: str

    def text(self) -> str:
        """Render as `path:line:col: error: message [code]`."""
        place = f"{one_line(self.file)}:{self.line}:{self.col}"
        return f"{place}: {self.severity.value}: {one_line(self.message)} [{self.code}]"

    def row(self) -> Row:
        """The diagnostic as plain values (file, line, col, severity, message, code), for the
        cache: `from_row` reads it back."""
        return (self.file, self.line, self.col, self.severity.value, self.message, self.code)

    @classmethod
    def from_row(cls, row: Sequence[object]) -> Diagnostic:
        """A diagnostic from `row()`'s values (ValueError or TypeError when they are not)."""
        file, line, col, severity, message, code = row
        if not (isinstance(line, int) and isinstance(col, int)):
            raise TypeError("line and col must be whole numbers")
        return cls(str(file), line, col, Severity(str(severity)), str(message), str(code))

    def github(self) -> str:
        """Render as a GitHub Actions workflow command (an annotation)."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        message = _gh_escape(one_line(self.message) + f" [{self.code}]", data=True)
        file = _gh_escape(one_line(self.file), data=False)
        return f"::{kind} file={file},line={self.line},col={self.col},title={self.code}::{message}"


# Characters that would break a one-line message or hide what it says: controls, line and
# paragraph separators, lone surrogates, and bidirectional overrides.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")


def _escape_char(found: re.Match[str]) -> str:
    char = found.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return named.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100
                               else f"\\u{ord(char):04x}")


def one_line(text: str) -> str:
    """`text` with every character that could break or disguise a diagnostic line escaped."""
    return _UNSAFE.sub(_escape_char, text)


def quote(value: object, limit: int = 60) -> str:
    """A short, escaped, quoted excerpt of a user's value for a message."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{one_line(text)}'"


class Hints:
    """'Did you mean' hints within a budget of comparisons, so many typos stay linear."""

    def __init__(self, budget: int = 200_000) -> None:
        self.left = budget

    def __call__(self, name: str, known: Iterable[str], cutoff: float = 0.6) -> str:
        """'; did you mean ...?' for the closest of `known`; '' when none or over budget."""
        candidates = sorted(known)
        if not candidates or len(candidates) > self.left:
            return ""
        self.left -= len(candidates)
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=cutoff)
        return f"; did you mean {quote(close[0])}?" if close else ""


def _gh_escape(value: str, *, data: bool) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if not data:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def located(origin: str, severity: Severity, message: str, code: str) -> Diagnostic:
    """A diagnostic at a model object's origin, written `path:line:col`."""
    file, line, col = origin.rsplit(":", 2) if origin.count(":") >= 2 else (origin, "1", "1")
    return Diagnostic(file or "source", int(line), int(col), severity, message, code)


class CoursepackError(Exception):
    """Raised when source content has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} error(s)")
        self.diagnostics = diagnostics


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def render(diagnostics: list[Diagnostic], fmt: str) -> str:
    """Render diagnostics in one of the formats `text`, `json` or `github`."""
    ordered = sorted(diagnostics)
    if fmt == "json":
        rows = [{**asdict(d), "severity": d.severity.value, "file": one_line(d.file),
                 "message": one_line(d.message)} for d in ordered]
        return json.dumps(rows, indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(d.github() for d in ordered)
    return "\n".join(d.text() for d in ordered)


def summary(diagnostics: list[Diagnostic], accepted: int = 0) -> str:
    """One line that counts errors and warnings (and the accepted warnings not listed)."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    tail = f" ({accepted} accepted warning{'s' * (accepted != 1)} not listed)" if accepted else ""
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}{tail}"
