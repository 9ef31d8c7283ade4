"""The output formats: each writer maps the model to `{path in build/: bytes}`; one registry."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..model import Catalogue, Unit


def _none(catalogue: Catalogue, unit: Unit) -> Iterable[Diagnostic]:
    return ()


UnitCheck = Callable[["Catalogue", "Unit"], Iterable["Diagnostic"]]
UnitFiles = Callable[["Catalogue", "Unit"], dict[str, bytes]]
CourseFiles = Callable[["Catalogue"], dict[str, bytes]]
Parts = Sequence[Mapping[str, bytes]]  # each unit's share, in unit order
CourseFromParts = Callable[["Catalogue", Parts], dict[str, bytes]]
# The same files as successive pieces: a large course's are never whole in memory.
CourseStream = Callable[["Catalogue", Parts], dict[str, Iterator[bytes]]]


def every_file(catalogue: Catalogue, unit_files: UnitFiles,
               course_files: CourseFiles | None = None) -> dict[str, bytes]:
    """A format's whole output: each unit's files, then the course-level files."""
    files = {name: data for unit in catalogue.units
             for name, data in unit_files(catalogue, unit).items()}
    if course_files is not None:
        files.update(course_files(catalogue))
    return files


@dataclass(frozen=True)
class Writer:
    """An output format: a pure function to files, and its check of what it cannot hold.

    The check of each unit yields warnings (content left out) and errors (the format cannot be
    written); formats hold nothing course-wide that a check could refuse. The format's module
    is imported when first used, so the command line starts fast.
    """

    description: str
    module: str
    check_name: str | None = None
    files: str = ""  # a pattern every file of the format's name matches (re.search)
    codes: tuple[str, ...] = ()  # the diagnostics its check gives

    def _module(self) -> Any:
        return import_module(f"{__name__}.{self.module}")

    @property
    def write(self) -> Callable[[Catalogue], dict[str, bytes]]:
        """The writer: the model in, `{path in build/: bytes}` out."""
        found: Callable[[Catalogue], dict[str, bytes]] = self._module().write
        return found

    @property
    def unit_files(self) -> UnitFiles:
        """One unit's files."""
        found: UnitFiles = self._module().unit_files
        return found

    @property
    def course_files(self) -> CourseFiles | None:
        """The course-level files (None for a format made of units only)."""
        found: CourseFiles | None = getattr(self._module(), "course_files", None)
        return found

    @property
    def unit_part(self) -> UnitFiles | None:
        """A unit's share of course files joined from shares (not written out), or None."""
        found: UnitFiles | None = getattr(self._module(), "unit_part", None)
        return found

    @property
    def course_from_parts(self) -> CourseFromParts | None:
        """The course files joined from every unit's share, in unit order, or None."""
        found: CourseFromParts | None = getattr(self._module(), "course_from_parts", None)
        return found

    @property
    def course_stream(self) -> CourseStream | None:
        """`course_from_parts`, each file as successive pieces; None where there is none."""
        found: CourseStream | None = getattr(self._module(), "course_stream", None)
        return found

    @property
    def unit_check(self) -> UnitCheck:
        """What the format cannot hold of one unit, as diagnostics."""
        if self.check_name is None:
            return _none
        found: UnitCheck = getattr(self._module(), self.check_name)
        return found


WRITERS: dict[str, Writer] = {
    "moodle-xml": Writer("Moodle XML question bank", "moodlexml", None,
                         r"(^|/)questions\.xml$"),
    "gift": Writer("GIFT question bank", "gift", "unit_warnings", r"\.gift\.txt$",
                   ("gift-omitted",)),
    "glossary": Writer("Moodle glossary of key terms", "glossary", None, r"(^|/)glossary\.xml$"),
    "scorm": Writer("SCORM 1.2 and SCORM 2004 packages", "scorm", "unit_check",
                    r"\.scorm(12|2004)\.zip$", ("suspend-data-budget",)),
    "imscp": Writer("IMS content packages", "imscp", None, r"\.imscp\.zip$"),
    "mbz": Writer("Moodle course backups", "mbz", None, r"\.mbz$"),
}


def format_of(name: str) -> str | None:
    """The format that writes a file of this name in build/ (None for another file)."""
    return next((key for key, w in WRITERS.items() if re.search(w.files, name)), None)
