"""Read a source tree: find its files, load them, validate them, and assemble the model."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import checks, parsed, prefetch, schemas, tree
from .assemble import assemble
from .cache import Cache
from .dates import content_dates
from .diagnostics import Diagnostic, Severity, has_errors, quote
from .media.check import Media
from .media.check import check as check_media
from .model import Catalogue
from .output import real_path
from .yamlload import Document, YamlError, content_digest, read_bytes

UNIT_FILES = (("unit.yaml", "unit", True), ("questions.yaml", "questions", False),
              ("lesson.yaml", "lesson", False))


@dataclass
class Result:
    """The outcome of reading a source tree: the model if it is clean, and every diagnostic."""

    catalogue: Catalogue | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    accepted: frozenset[str] = frozenset()
    hidden: int = 0
    looked: dict[str, list[int]] = field(default_factory=dict)  # media named (Reader.looked)

    def add(self, found: Iterable[Diagnostic]) -> None:
        """Record diagnostics, counting (not keeping) the warnings the course accepts."""
        for diag in found:
            if diag.severity is Severity.WARNING and diag.code in self.accepted:
                self.hidden += 1
            else:
                self.diagnostics.append(diag)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return self.catalogue is not None and not has_errors(self.diagnostics)


class _Reader:
    """Loads and schema-checks the files of one source tree, collecting diagnostics."""

    def __init__(self, root: Path, cache: Cache, jobs: int = 1,
                 seen: dict[Path, bytes] | None = None) -> None:
        self.root = root
        self.cache = cache
        self.jobs = jobs
        self.seen = seen if seen is not None else {}  # taken by _look, each once
        self.ahead: dict[Path, _Ahead] = {}
        self.real_root = real_path(root)
        self.found: list[Diagnostic] = []
        self.files: list[Path] = []
        self.src = checks.Source()
        self.units: set[str] = set()  # the unit folders read
        self.media = Media()  # the images and files the texts name
        self.folders: dict[Path, str] = {}  # each folder's display (see `display`)

    def display(self, path: Path) -> str:
        """How `path` is reported: relative to the working folder (as os.path.relpath gives
        it; each folder's found once, then its files' names joined to it)."""
        name = path.name
        if name in ("", ".", ".."):
            return _relative(path)
        folder = self.folders.get(path.parent)
        if folder is None:
            folder = self.folders[path.parent] = _relative(path.parent)
        if folder == ".":
            return name
        if set(folder.split(os.sep)) == {".."}:  # an ancestor of the working folder: `path`
            return _relative(path)  # may be one too
        return os.path.join(folder, name)

    def problem(self, path: Path, message: str, code: str,
                severity: Severity = Severity.ERROR) -> None:
        self.found.append(Diagnostic(self.display(path), 1, 1, severity, message, code))

    def present(self, path: Path, state: tree.State) -> bool:
        """True for a readable file or folder; report a bad one."""
        if state.kind == "bad":
            self.problem(path, f"{quote(path.name)} {state.message}", state.code)
        return state.kind in ("file", "folder")

    def read(self, path: Path, kind: str, *, partial: bool = False) -> Document | None:
        """Load and schema-check a file; with `partial`, keep it when only items are bad."""
        self.files.append(path)
        display = self.display(path)
        try:
            ahead = self.ahead.pop(path, None) or self._look(path, kind, display)
            if ahead.kept is not None:
                ahead.kept.digest = ahead.entry
                return ahead.kept  # parsed and schema-checked before, without a problem
            doc, problems = self._parse(ahead, path, display, kind)
        except YamlError as exc:
            self.found.append(exc.diagnostic)
            return None
        doc.digest = ahead.entry
        if not problems and not ahead.stored:
            parsed.put(self.cache, ahead.entry, kind, doc)
        self.found.extend(diag for _, diag in problems)
        bad = [where for where, _ in problems]
        if not bad:
            return doc
        if partial and all(len(where) >= 2 for where in bad):
            self.src.bad[id(doc)] = {where[:2] for where in bad}
            return doc
        return None

    def _look(self, path: Path, kind: str, display: str, *, read: bool = True) -> _Ahead:
        """A file's cache entry and the document kept there, or else its bytes (YamlError if
        unread; none unless `read`): looked up by the content the run's key saw, when it saw
        the file."""
        seen = self.seen.pop(path, None)
        if seen is not None and self.cache.folder:
            entry = parsed.key(kind, path, display, seen)
            kept = parsed.get(self.cache, entry, path, display)
            if kept is not None:
                return _Ahead(b"", entry, kept)
        if not read:
            return _Ahead(b"", "")
        raw = read_bytes(path, display)
        # the key is also what a unit is made from (Unit.made_from): only a cached run asks
        entry = (parsed.key(kind, path, display, content_digest(raw))
                 if self.cache.folder else "")
        return _Ahead(raw, entry, parsed.get(self.cache, entry, path, display))

    @staticmethod
    def _parse(ahead: _Ahead, path: Path, display: str,
               kind: str) -> tuple[Document, list[schemas.Problem]]:
        """The file's document and schema problems: parsed ahead on every core, or now."""
        if ahead.parsed is None:
            return prefetch.check(ahead.raw, path, display, kind)
        doc, problems, error = ahead.parsed
        if error is not None:
            raise YamlError(error)
        assert doc is not None
        return doc, problems

    def parse_ahead(self, files: list[tuple[Path, str]]) -> None:
        """Look up the files in the cache by the content the run's key saw, and parse those it
        does not hold on every core when there are many (each worker reads its files), else
        read them here; `read` takes what was found, so no file is read or looked up twice."""
        jobs: list[prefetch.Job] = []
        for path, kind in files:
            display = self.display(path)
            self.ahead[path] = ahead = self._look(path, kind, display, read=False)
            if ahead.kept is None:
                jobs.append((path, display, kind))
        if not prefetch.parallel(len(jobs), self.jobs):
            self._read_here(jobs)
            return
        self.cache.flush()  # no thread of ours runs while the workers are forked
        for path, entry, result in prefetch.parse_all(jobs, self.jobs, self.cache):
            # the worker kept the parse in the cache
            self.ahead[path] = _Ahead(b"", entry, None, result, stored=True)

    def _read_here(self, jobs: list[prefetch.Job]) -> None:
        """Files the cache does not hold, too few for workers: read now, each parsed when it
        is read."""
        for path, display, kind in jobs:
            try:
                self.ahead[path] = self._look(path, kind, display)
            except YamlError:
                del self.ahead[path]  # reported when the file is read


def source_files(root: Path) -> list[str]:
    """The YAML files a source folder holds where its reader looks (course.yaml, glossary.yaml,
    each unit's files), as diagnostics name them; for reports that list every file checked."""
    found = [root / "course.yaml", root / "glossary.yaml"]
    units = root / "units"
    try:
        if units.is_dir() and not units.is_symlink():
            for folder in sorted(units.iterdir()):
                found.extend(folder / name for name, _, _ in UNIT_FILES)
    except OSError:
        pass  # reported by the check: the files it could list are listed
    return [_relative(path) for path in found if _plain_file(path)]


def _plain_file(path: Path) -> bool:
    try:
        return path.is_file() and not path.is_symlink()
    except OSError:
        return False


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


@dataclass
class _Ahead:
    """What is known of a file before it is read: its bytes, its cache entry, and the document
    kept there or a parse made on a worker."""

    raw: bytes
    entry: str  # its cache entry's key, which is also what the document is read from
    kept: Document | None = None
    parsed: prefetch.Parsed | None = None
    stored: bool = False  # a worker parsed it, and kept the parse in the cache


def read_source(root: Path, cache: Cache | None = None, jobs: int = 1,
                seen: dict[Path, bytes] | None = None) -> Result:
    """Validate the source tree at `root` and build its model (files parsed before are taken
    from `cache`, by the content `seen` holds for them when it holds it; many new ones are
    parsed on `jobs` processes). `seen` is emptied."""
    reader = _Reader(root, cache or Cache(None), jobs, seen)
    catalogue = _read(reader)
    reader.seen.clear()
    course = reader.src.course
    result = Result(catalogue if not has_errors(reader.found) else None,
                    accepted=frozenset(course.data.get("accept_warnings", ())) if course else
                    frozenset())
    result.add(reader.found)
    result.looked = reader.media.looked
    return result


def _read(reader: _Reader) -> Catalogue | None:
    root = reader.root
    course_path = root / "course.yaml"
    state = tree.expect_folder(root, reader.real_root)
    if state.kind != "folder":
        problem = {"absent": "does not exist: expected", "bad": f"{state.message}; expected"}
        reader.problem(root, f"{quote(root)} {problem.get(state.kind, 'is a file, not')} a "
                       "source folder with course.yaml", "no-source")
        return None
    state = tree.expect_file(course_path, reader.real_root)
    if not reader.present(course_path, state):
        if state.kind == "absent":
            reader.problem(course_path, "no course.yaml: a source folder needs course.yaml, "
                           "glossary.yaml and units/<id>/unit.yaml", "no-course")
        return None
    reader.src.course = reader.read(course_path, "course")
    _read_glossary(reader)
    _read_units(reader)
    _read_media(reader)
    if reader.src.course is None:
        return None
    reader.found.extend(checks.check(reader.src))
    if has_errors(reader.found):
        return None
    return assemble(reader.src, _unit_dates(reader), reader.media)


def _unit_dates(reader: _Reader) -> dict[str, int]:
    """Each unit's date: the newest of its own files and the course-wide files."""
    dates = content_dates(reader.root, reader.files)
    units = reader.root / "units"
    shared = max((d for p, d in dates.items() if p.parent == reader.root), default=0)
    found: dict[str, int] = {}
    for path, date in dates.items():
        if path.parent.parent == units:
            found[path.parent.name] = max(found.get(path.parent.name, shared), date)
    return {unit: found.get(unit, shared) for unit in reader.src.units}


def _read_glossary(reader: _Reader) -> None:
    path = reader.root / "glossary.yaml"
    state = tree.expect_file(path, reader.real_root)
    if not reader.present(path, state):
        reader.src.glossary_ok = state.kind == "absent"
        return
    reader.src.glossary = reader.read(path, "glossary", partial=True)
    glossary = reader.src.glossary
    reader.src.glossary_ok = glossary is not None and id(glossary) not in reader.src.bad


def _read_units(reader: _Reader) -> None:
    units_dir = reader.root / "units"
    course = reader.src.course
    listed: list[str] = list(course.data["units"]) if course is not None else []
    found, bad = _unit_folders(reader, units_dir)
    for i, unit_id in enumerate(listed):
        if unit_id not in found | bad and course is not None:
            reader.found.append(course.diag(
                ("units", i), f"unit '{unit_id}' has no file units/{unit_id}/unit.yaml",
                "missing-unit"))
    missing = [u for u in listed if u not in found]
    states = {path: tree.expect_file(path, reader.real_root) for path in (
        units_dir / name / filename for name in sorted(found) if name in listed or not course
        for filename, _, _ in UNIT_FILES)}  # each looked at once, here: those read below
    reader.parse_ahead([(units_dir / name / filename, kind) for name in sorted(found)
                        if name in listed for filename, kind, _ in UNIT_FILES
                        if states[units_dir / name / filename].kind == "file"])
    for name in sorted(found):
        if course is not None and name not in listed:
            hint = reader.src.hint(name, missing)
            reader.problem(units_dir / name, f"unit folder {quote(name)} is not listed in "
                           f"course.yaml and will not be built{hint}", "unlisted-unit",
                           Severity.WARNING)
            continue
        _read_unit(reader, units_dir / name, states)
    reader.units = set(found) & set(listed)


def _read_media(reader: _Reader) -> None:
    """Check the media the texts name, then report what in the tree nothing reads."""
    media = check_media(reader.src, reader.root, reader.real_root, reader.cache)
    reader.found.extend(media.diagnostics)
    reader.media = media
    present = [path for path, identity in media.looked.items() if identity[0] >= 0]
    for path, hint in tree.unread(reader.root, reader.real_root, reader.units,
                                  reader.src.hint, present):
        reader.problem(path, f"coursepack does not read {quote(path.name)}{hint} (list it in "
                       f"{tree.IGNORE_FILE} to keep it here)", "unread-file", Severity.WARNING)


def _unit_folders(reader: _Reader, units_dir: Path) -> tuple[set[str], set[str]]:
    """The folders in units/, and the bad entries there (reported); files are left unread."""
    found: set[str] = set()
    bad: set[str] = set()
    if not reader.present(units_dir, tree.expect_folder(units_dir, reader.real_root)):
        return found, bad
    for entry in sorted(units_dir.iterdir()):
        state = tree.inspect(entry, reader.real_root)
        if entry.name.startswith(".") or state.kind == "file":
            continue
        (found if reader.present(entry, state) else bad).add(entry.name)
    return found, bad


def _read_unit(reader: _Reader, folder: Path, states: dict[Path, tree.State]) -> None:
    for filename, kind, required in UNIT_FILES:
        path = folder / filename
        state = states[path]
        if not reader.present(path, state):
            if required and state.kind == "absent":
                reader.problem(folder, f"unit folder '{folder.name}' has no {filename}",
                               "missing-file")
            continue
        doc = reader.read(path, kind, partial=kind != "unit")
        if doc is None:
            continue
        target = {"unit": reader.src.units, "questions": reader.src.questions,
                  "lesson": reader.src.lessons}[kind]
        target[folder.name] = doc
