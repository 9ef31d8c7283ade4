"""The output formats: each writer maps the model to `{path in build/: bytes}`; one registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..model import Catalogue
from . import gift, glossary, imscp, mbz, moodlexml, scorm


def _none(catalogue: Catalogue) -> Iterable[Diagnostic]:
    return ()


@dataclass(frozen=True)
class Writer:
    """An output format: a pure function to files, and its check of what it cannot hold.

    The check yields warnings (content left out) and errors (the format cannot be written).
    """

    description: str
    write: Callable[[Catalogue], dict[str, bytes]]
    check: Callable[[Catalogue], Iterable[Diagnostic]] = _none


WRITERS: dict[str, Writer] = {
    "moodle-xml": Writer("Moodle XML question bank", moodlexml.write),
    "gift": Writer("GIFT question bank", gift.write, gift.warnings),
    "glossary": Writer("Moodle glossary of key terms", glossary.write),
    "scorm": Writer("SCORM 1.2 and SCORM 2004 packages", scorm.write, scorm.check),
    "imscp": Writer("IMS content packages", imscp.write),
    "mbz": Writer("Moodle course backups", mbz.write),
}
