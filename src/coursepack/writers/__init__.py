"""The output formats: each writer maps the model to `{path in build/: bytes}`; one registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..diagnostics import Diagnostic
from ..model import Catalogue
from . import gift, glossary, moodlexml


def _none(catalogue: Catalogue) -> Iterable[Diagnostic]:
    return ()


@dataclass(frozen=True)
class Writer:
    """An output format: a pure function to files, and the warnings about what it cannot hold."""

    description: str
    write: Callable[[Catalogue], dict[str, bytes]]
    warnings: Callable[[Catalogue], Iterable[Diagnostic]] = _none


WRITERS: dict[str, Writer] = {
    "moodle-xml": Writer("Moodle XML question bank", moodlexml.write),
    "gift": Writer("GIFT question bank", gift.write, gift.warnings),
    "glossary": Writer("Moodle glossary of key terms", glossary.write),
}
