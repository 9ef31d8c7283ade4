"""Bring existing question and glossary files into source: one reader per format, all giving
`Found` (source questions and terms as plain data, the files their texts name, and what could not
come with them, located in the imported file)."""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from ..diagnostics import Diagnostic, Severity

D = dict[str, Any]


@dataclass
class Found:
    """What one imported file holds, as source."""

    display: str
    questions: list[D] = field(default_factory=list)
    terms: list[D] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # by path in the unit's folder
    categories: dict[tuple[str, ...], str] = field(default_factory=dict)  # their idnumbers
    notes: list[Diagnostic] = field(default_factory=list)

    def note(self, line: int, message: str, code: str,
             severity: Severity = Severity.WARNING) -> None:
        """Report something about the imported file at `line`."""
        self.notes.append(Diagnostic(self.display, line or 1, 1, severity, message, code))

    def keep_file(self, name: str, data: bytes) -> str:
        """Keep a file a text names (by its name in Moodle): the path it gets in the unit's
        folder, `images/<name>` (a name taken by other content gets the start of its digest)."""
        safe = re.sub(r"[\x00-\x1f/\\\\]", "_", name).strip(". ") or "file"
        path = posixpath.join("images", safe)
        if path in self.files and self.files[path] != data:
            stem, dot, ext = safe.rpartition(".")
            mark = hashlib.sha256(data).hexdigest()[:8]
            path = posixpath.join("images", f"{stem}-{mark}.{ext}" if dot else f"{safe}-{mark}")
        self.files[path] = data
        return path


def relative_url(path: str) -> str:
    """A kept file's path as an address in a text (%-escaped where it must be)."""
    return quote(path, safe="/")


def plugin_name(url_name: str) -> str:
    """A file's name as Moodle's `@@PLUGINFILE@@/...` address names it."""
    return unquote(url_name)
