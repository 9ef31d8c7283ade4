"""XML read with the importer's safe parser (no DTD, no entities), its notes as inspect's."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostic
from ..importers import Found
from ..importers.moodlexml import parsed
from .report import Report

Element = Any  # lxml's _Element

# The importer's notes that say what Moodle does with the file, by inspect's code for them;
# the others are about what coursepack's source can hold, which inspect does not judge.
KEPT = {"import-syntax": "inspect-syntax", "import-format": "inspect-format",
        "import-file-missing": "inspect-file-missing", "import-escape": "inspect-gift-escape",
        "import-number": "inspect-gift-number"}
# The importer's words for what it does, and inspect's for what Moodle does.
_REWORDED = {": the address is kept": ": Moodle shows a broken link there",
             ": imported as '*'": ""}


def adopt(report: Report, notes: list[Diagnostic]) -> None:
    """The importer's notes that say what Moodle does, as the report's diagnostics."""
    for note in notes:
        code = KEPT.get(note.code)
        if code is None:
            continue
        message = note.message
        for said, meant in _REWORDED.items():
            message = message.replace(said, meant)
        report.diagnostics.append(replace(note, code=code, message=message))


def parse(report: Report, data: bytes, what: str, tag: str | None = None,
          member: str | None = None) -> Element | None:
    """The root of `data` (a member of the file, or the file itself), when it is well-formed
    XML with no DOCTYPE (and the root `tag`); else None, with the reason reported."""
    found = Found(report.at(member))
    root = parsed(data, found, tag, what)
    adopt(report, found.notes)
    return root


def local(element: Element) -> str:
    """An element's name without its namespace ('' for a comment)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: Element, name: str) -> list[Element]:
    """The child elements of that local name, whatever their namespace."""
    return [c for c in element if local(c) == name]


def child(element: Element, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None


def text_of(element: Element | None, path: str, default: str = "") -> str:
    """The text at `path` (names split by '/', no namespaces) below `element`."""
    for name in path.split("/"):
        if element is None:
            return default
        element = child(element, name)
    return default if element is None else (element.text or "")
