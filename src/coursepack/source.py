"""Read a source tree: find its files, load them, validate them, and assemble the model."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import checks, schemas
from .assemble import assemble
from .diagnostics import Diagnostic, Severity, has_errors
from .model import Catalogue
from .yamlload import Document, YamlError, load

UNIT_FILES = (("unit.yaml", "unit", True), ("questions.yaml", "questions", False),
              ("lesson.yaml", "lesson", False))


@dataclass
class Result:
    """The outcome of reading a source tree: the model if it is clean, and every diagnostic."""

    catalogue: Catalogue | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return self.catalogue is not None and not has_errors(self.diagnostics)


class _Reader:
    """Loads and schema-checks the files of one source tree, collecting diagnostics."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.found: list[Diagnostic] = []
        self.src = checks.Source()

    def display(self, path: Path) -> str:
        try:
            return os.path.relpath(path)
        except ValueError:
            return str(path)

    def read(self, path: Path, kind: str, *, partial: bool = False) -> Document | None:
        """Load and schema-check a file; with `partial`, keep it when only items are bad."""
        try:
            doc = load(path, self.display(path))
        except YamlError as exc:
            self.found.append(exc.diagnostic)
            return None
        problems = schemas.validate(doc, kind)
        self.found.extend(diag for _, diag in problems)
        bad = [where for where, _ in problems]
        if not bad:
            return doc
        if partial and all(len(where) >= 2 for where in bad):
            self.src.bad[id(doc)] = bad
            return doc
        return None

    def missing(self, path: Path, message: str, code: str, at: Path | None = None) -> None:
        self.found.append(Diagnostic(self.display(at or path), 1, 1, Severity.ERROR, message,
                                     code))


def read_source(root: Path) -> Result:
    """Validate the source tree at `root` and build its model."""
    reader = _Reader(root)
    course_path = root / "course.yaml"
    if not root.is_dir():
        problem = "is a file, not" if root.exists() else "does not exist: expected"
        reader.missing(root, f"'{root}' {problem} a source folder with course.yaml",
                       "no-source")
        return Result(None, reader.found)
    if not course_path.is_file():
        reader.missing(course_path, "no course.yaml: a source folder needs course.yaml, "
                       "glossary.yaml and units/<id>/unit.yaml", "no-course")
        return Result(None, reader.found)
    reader.src.course = reader.read(course_path, "course")
    _read_glossary(reader)
    _read_units(reader)
    if reader.src.course is None:
        return Result(None, reader.found)
    reader.found.extend(checks.check(reader.src))
    if has_errors(reader.found):
        return Result(None, reader.found)
    return Result(assemble(reader.src), reader.found)


def _read_glossary(reader: _Reader) -> None:
    path = reader.root / "glossary.yaml"
    if not path.is_file():
        reader.src.glossary_ok = True
        return
    reader.src.glossary = reader.read(path, "glossary", partial=True)
    glossary = reader.src.glossary
    reader.src.glossary_ok = glossary is not None and id(glossary) not in reader.src.bad


def _read_units(reader: _Reader) -> None:
    units_dir = reader.root / "units"
    listed: list[str] = []
    course = reader.src.course
    if course is not None:
        listed = list(course.data["units"])
        for i, unit_id in enumerate(listed):
            if not (units_dir / unit_id / "unit.yaml").is_file():
                reader.found.append(course.diag(
                    ("units", i), f"unit '{unit_id}' has no file units/{unit_id}/unit.yaml",
                    "missing-unit"))
    folders = sorted(p.name for p in units_dir.iterdir() if p.is_dir()) \
        if units_dir.is_dir() else []
    for name in folders:
        if course is not None and name not in listed:
            reader.found.append(Diagnostic(reader.display(units_dir / name), 1, 1,
                                           Severity.WARNING, f"unit folder '{name}' is not "
                                           "listed in course.yaml and will not be built",
                                           "unlisted-unit"))
            continue
        _read_unit(reader, units_dir / name)


def _read_unit(reader: _Reader, folder: Path) -> None:
    for filename, kind, required in UNIT_FILES:
        path = folder / filename
        if not path.is_file():
            if required:
                reader.missing(path, f"unit folder '{folder.name}' has no {filename}",
                               "missing-file", at=folder)
            continue
        doc = reader.read(path, kind, partial=kind != "unit")
        if doc is None:
            continue
        target = {"unit": reader.src.units, "questions": reader.src.questions,
                  "lesson": reader.src.lessons}[kind]
        target[folder.name] = doc
