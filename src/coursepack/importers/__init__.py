"""Bring existing question and glossary files into source: one reader per format, all giving
`Found` (source questions and terms as plain data, the files their texts name, and what could not
come with them, located in the imported file)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from ..diagnostics import Diagnostic, Severity
from ..grades import canonical

D = dict[str, Any]


@dataclass
class Found:
    """What one imported file holds, as source."""

    display: str
    questions: list[D] = field(default_factory=list)
    terms: list[D] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # by path in the unit's folder
    categories: dict[tuple[str, ...], str] = field(default_factory=dict)  # their idnumbers
    folder: Path | None = None  # the unit's folder, whose files are never overwritten
    lines: dict[str, int] = field(default_factory=dict)  # where each placed question was, by id
    title: str = ""  # a glossary's name
    notes: list[Diagnostic] = field(default_factory=list)

    def note(self, line: int, message: str, code: str,
             severity: Severity = Severity.WARNING, col: int = 1) -> None:
        """Report something about the imported file at `line` (and `col`)."""
        self.notes.append(Diagnostic(self.display, line or 1, max(col, 1), severity, message,
                                     code))

    def keep_file(self, name: str, data: bytes, under: str = "images") -> str:
        """Keep a file a text names (by its name in Moodle): the path it gets in `folder`,
        `<under>/<name>`; a name another content has (here, or in the folder on disk, which is
        never overwritten) gets the start of its digest."""
        safe = re.sub(r"[\x00-\x1f/\\\\]", "_", name).strip(". ") or "file"
        stem, dot, ext = safe.rpartition(".")
        digest = hashlib.sha256(data).hexdigest()
        for size in (0, 8, 16, 64):
            mark = f"-{digest[:size]}" if size else ""
            path = posixpath.join(under, f"{stem}{mark}.{ext}" if dot else f"{safe}{mark}")
            if self._free(path, data):
                break
        self.files[path] = data
        return path

    def _free(self, path: str, data: bytes) -> bool:
        """True when `path` holds nothing yet, or these very bytes."""
        if path in self.files:
            return self.files[path] == data
        if self.folder is None or not (self.folder / path).exists():
            return True
        try:
            return (self.folder / path).read_bytes() == data
        except OSError:
            return False


    def keep_encoded(self, url_name: str, contents: dict[str, str], under: str = "images"
                     ) -> str | None:
        """The address a text gets for the file its `@@PLUGINFILE@@/<url_name>` names, kept
        from `contents` (base64 by name; an undecodable one is kept empty); None when
        `contents` does not hold it."""
        name = unquote(url_name)
        if name not in contents:
            return None
        try:
            data = base64.b64decode(contents[name], validate=False)
        except (binascii.Error, ValueError):
            data = b""
        return quote(self.keep_file(name, data, under), safe="/")


# A file a Moodle text names: `@@PLUGINFILE@@/<name, %-escaped>`.
PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'#?<>\s]+)")


def written_grade(value: float) -> float:
    """A grade as a source writes it: Moodle's value for it, a whole number without '.0'."""
    found = canonical(value) or value
    return int(found) if float(found).is_integer() else found
