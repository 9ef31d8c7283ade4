"""Check the media a source's texts name: where each file is, what it holds, and its size.

A file is named by a relative address, read from the folder of the YAML file that names it, and
must stay inside the source folder. Its kind is told by its content (types.py) and must agree
with its name, since Moodle serves a file by its extension. Images need alt text (WCAG 2.2,
1.1.1) unless marked decorative. Every path looked at is recorded with its identity (size, times,
inode), found or not, so a replayed run (runs.py) knows when a file it named has changed,
appeared or gone.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import tree
from ..cache import Cache
from ..checks import Source, media_refs
from ..diagnostics import Diagnostic, Severity, quote
from ..markup import safe_link
from ..model import MediaFile
from ..output import file_identity
from ..yamlload import Document
from .links import resolve
from .refs import DECORATIVE, Ref
from .types import ALLOWED, SVG, by_extension, by_mime, sniff

MB = 1 << 20
KEPT = "media"  # a file's check, in the cache


def _without_files(path: tuple[object, ...]) -> str:
    """What a text is, when Moodle keeps it without a file area of its own ('' otherwise)."""
    if path[-1:] == ("response_template",):
        return "an essay's response template"
    if "gaps" in path and path[-1:] == ("feedback",):  # written inside the cloze text
        return "a cloze gap's feedback"
    return ""
DEFAULT_FILE_MB = 2  # PHP's default upload_max_filesize: a fresh Moodle's upload limit
DEFAULT_UNIT_MB = 8  # PHP's default post_max_size


@dataclass(frozen=True)
class Limits:
    """The most one file, and all the files of one unit, may take (bytes)."""

    file: int = DEFAULT_FILE_MB * MB
    unit: int = DEFAULT_UNIT_MB * MB


@dataclass
class Media:
    """What checking the media found: diagnostics, the good files (by path inside the source
    folder, POSIX), and every path looked at (for the run record)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: dict[str, MediaFile] = field(default_factory=dict)
    named: dict[str | None, set[str]] = field(default_factory=dict)  # by unit (None: course)
    looked: dict[str, list[int]] = field(default_factory=dict)  # identity, as before reading

    def of(self, owner: str | None) -> tuple[MediaFile, ...]:
        """The good files a unit's texts (None: the course's and glossary's) name, by path."""
        return tuple(self.files[path] for path in sorted(self.named.get(owner, ())))


def limits(src: Source) -> Limits:
    """The course's limits (course.yaml `media`), or the defaults."""
    given = src.course.data.get("media", {}) if src.course is not None else {}
    return Limits(int(given.get("max_file_mb", DEFAULT_FILE_MB) * MB),
                  int(given.get("max_unit_mb", DEFAULT_UNIT_MB) * MB))


def check(src: Source, root: Path, real_root: Path, cache: Cache | None = None) -> Media:
    """Check every image and file link in the source's documents (a file's check is kept in
    `cache` by its identity, and taken from there while the file is unchanged)."""
    checker = _Checker(src, root, real_root, limits(src), cache or Cache(None))
    for doc in (src.course, src.glossary):
        if doc is not None:
            checker.document(doc, None)
    for unit_id, doc in src.units.items():
        for found in (doc, src.questions.get(unit_id), src.lessons.get(unit_id)):
            if found is not None:
                checker.document(found, unit_id)
        total = sum(f.size for f in checker.out.of(unit_id))
        if total > checker.limits.unit:
            checker.out.diagnostics.append(doc.diag(
                ("id",), f"unit {quote(unit_id)} uses {_mb(total)} of media, more than the "
                f"{_mb(checker.limits.unit)} allowed per unit (course.yaml: media: max_unit_mb)",
                "media-too-large"))
    checker.save()
    return checker.out


def _key(cache: Cache, real_root: Path, limits: Limits) -> str:
    """The key of the checks kept for a source folder: the code, the folder and the file limit
    (each file's check is taken only while its identity is the one it was checked with)."""
    if cache.folder is None:
        return ""
    from ..tasks import code_digest

    return hashlib.sha256(f"media\x00{code_digest()}\x00{real_root}\x00{limits.file}".encode(
        "utf-8", "surrogatepass")).hexdigest()


def _mb(size: int) -> str:
    """A size as people read it: bytes, KB or MB (of 1,024 and 1,048,576 bytes, as Moodle)."""
    if size < 1024:
        return f"{size} bytes"
    if size < MB:
        return f"{size / 1024:.1f} KB"
    return f"{size / MB:.1f} MB" if size < 10 * MB else f"{size // MB:,} MB"


class _Checker:
    def __init__(self, src: Source, root: Path, real_root: Path, limits: Limits,
                 cache: Cache) -> None:
        self.src, self.root, self.real_root, self.limits = src, root, real_root, limits
        self.cache, self.key = cache, _key(cache, real_root, limits)
        self.known: dict[str, Any] = cache.get_table(self.key, KEPT)  # last run's, by path
        self.kept: dict[str, Any] = {}  # this run's
        self.out = Media()
        self.checked: dict[str, tuple[str, str] | None] = {}  # each file read: its problem
        # each content checked, by its file's extension and its SHA-256: its problem
        self.contents: dict[tuple[str | None, str], tuple[str, str] | None] = {}

    def document(self, doc: Document, owner: str | None) -> None:
        for path, ref in media_refs(doc):
            for message, code, severity in self._problems(doc, ref, owner):
                self.out.diagnostics.append(doc.diag(path, message, code, severity=severity))
            place = _without_files(path)
            if ref.path is not None and place:
                self.out.diagnostics.append(doc.diag(
                    path, f"{place} cannot carry files (Moodle keeps none for it): "
                    f"{quote(ref.shown, 60)} would show broken", "media-not-carried"))

    def _problems(self, doc: Document, ref: Ref, owner: str | None
                  ) -> Iterator[tuple[str, str, Severity]]:
        what = f"image {quote(ref.shown, 60)}" if ref.image else f"file {quote(ref.shown, 60)}"
        if ref.image and not ref.alt.strip() and not ref.decorative:
            yield (f"{what} has no alt text: describe it for people who cannot see it (WCAG "
                   f'1.1.1), or mark it decorative: ![]({ref.target} "{DECORATIVE}")',
                   "media-alt", Severity.ERROR)
        if ref.remote:
            yield (f"{what} is fetched from the web when shown: packages used offline show it "
                   "broken; keep the image in the source folder", "media-remote",
                   Severity.WARNING)
        if ref.image and ref.scheme not in ("", "http", "https"):
            if safe_link(ref.target):  # an unsafe scheme is refused already (unsafe-link)
                yield (f"{what} is not an image address: show a file in the source folder or "
                       "one on the web (http or https)", "media-path", Severity.ERROR)
            return
        if ref.path is None:
            return
        problem = self._file(doc, ref, ref.path, owner)
        if problem:
            yield f"{what} {problem[0]}", problem[1], Severity.ERROR

    def _file(self, doc: Document, ref: Ref, rel: str,
              owner: str | None) -> tuple[str, str] | None:
        """Why the file a relative address names cannot be carried, or None."""
        if "\\" in rel:
            return "uses a backslash: write paths with /", "media-path"
        if any(ord(c) < 32 or c == "\x7f" for c in rel):
            return "holds a control character; file names cannot", "media-path"
        if rel.startswith("/"):
            return (f"is an absolute path: write it relative to the folder of "
                    f"{doc.display}", "media-path")
        # the file a writer will look up for this address (links.resolve), found the same way
        base = os.path.relpath(doc.path.parent, self.root).replace(os.sep, "/")
        inside = resolve(base, ref.target)
        if inside is None:
            return "leads outside the source folder; coursepack reads nothing there", \
                "media-outside"
        joined = os.path.join(self.root, inside)
        if inside not in self.out.looked:
            self.out.looked[inside] = identity(Path(joined))
        problem = self._where(doc, rel, Path(joined)) or self._content(ref, inside, Path(joined))
        if problem is None:
            self.out.named.setdefault(owner, set()).add(inside)
        return problem

    def _where(self, doc: Document, rel: str, path: Path) -> tuple[str, str] | None:
        real = os.path.realpath(path)
        if os.path.commonpath([real, self.real_root]) != str(self.real_root):
            return ("is reached through a symbolic link that leads outside the source folder",
                    "media-outside")
        state = tree.inspect(path, self.real_root)
        if state.kind == "absent":
            folder = os.path.dirname(rel)
            names = [os.path.join(folder, n).replace(os.sep, "/") for n in _names(path.parent)]
            return (f"does not exist (looked for {quote(_shown(path))})"
                    f"{self.src.hint(rel, names)}", "media-missing")
        if state.kind == "folder":
            return "is a folder, not a file", "media-path"
        if state.kind == "bad":
            return state.message, state.code
        return None

    def _content(self, ref: Ref, inside: str, path: Path) -> tuple[str, str] | None:
        if inside not in self.checked:  # each file is read and checked once
            self.checked[inside] = self._read(inside, path)
        problem = self.checked[inside]
        found = self.out.files.get(inside)
        kind = by_mime(found.mime) if found else None
        if problem is None and kind is not None and ref.image and not kind.image:
            return (f"is {kind.a}: link it as [words](...) for Moodle to play or open it, "
                    "not as an image", "media-type")
        return problem

    def _read(self, inside: str, path: Path) -> tuple[str, str] | None:
        """Check a file, or take its check from the last run's while the file is unchanged."""
        identity = self.out.looked.get(inside, [-1])
        found = self.known.get(inside)
        if found is not None and list(found[0]) == identity:
            problem, mime, size, digest = found[1:]
            if problem is None:
                self.out.files[inside] = MediaFile(inside, mime, size, digest,
                                                   os.path.abspath(path))
        else:
            problem = self._check(inside, path)
            file = self.out.files.get(inside)
            found = (identity, problem, *((file.mime, file.size, file.sha256) if file
                                          else ("", 0, "")))
        if identity[0] >= 0:
            self.kept[inside] = found
        return None if problem is None else (str(problem[0]), str(problem[1]))

    def save(self) -> None:
        """Keep this run's checks for the next run over the same source folder."""
        if self.key and self.kept != self.known:
            self.cache.put_table(self.key, KEPT, self.kept)

    def _check(self, inside: str, path: Path) -> tuple[str, str] | None:
        """Check a file's size and content; remember it when good."""
        try:
            size = os.stat(path).st_size
            if size > self.limits.file:
                return (f"is {_mb(size)}, more than the {_mb(self.limits.file)} allowed per "
                        "file (course.yaml: media: max_file_mb)", "media-too-large")
            with open(path, "rb") as handle:
                data = handle.read(self.limits.file + 1)
        except OSError as exc:
            return f"cannot be read: {exc.strerror}", "io-error"
        digest = hashlib.sha256(data).hexdigest()
        # the same bytes with the same extension: what _kind_problem reads of the name
        seen = (path.name.rsplit(".", 1)[-1] if "." in path.name else None, digest)
        if seen not in self.contents:
            self.contents[seen] = _kind_problem(path.name, data)
        problem = self.contents[seen]
        if problem is None:
            kind = sniff(data)
            assert kind is not None
            self.out.files[inside] = MediaFile(inside, kind.mime, len(data), digest,
                                               os.path.abspath(path))
        return problem


def _kind_problem(name: str, data: bytes) -> tuple[str, str] | None:
    kind = sniff(data)
    if kind is None:
        return (f"is not a kind of file coursepack carries (by its content); allowed: "
                f"{ALLOWED}", "media-type")
    if by_extension(name) is not kind:
        named = f"is named .{name.rsplit('.', 1)[-1]}" if "." in name else "has no extension"
        return (f"holds {kind.a} but {named}: name it .{kind.extensions[0]} (Moodle serves a "
                "file as the type its extension names)", "media-type")
    if kind is SVG:
        from . import svg  # here: lxml is only needed for SVG files

        unsafe = svg.problem(data)
        if unsafe:
            return f"{unsafe}", "media-unsafe-svg"
    return None


def identity(path: Path) -> list[int]:
    """What tells a file unchanged (see output.file_identity); -1s when it is not there."""
    try:
        return file_identity(os.stat(path))
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return [-1, -1, -1, -1]


def _names(folder: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in os.scandir(folder) if entry.is_file())
    except OSError:
        return []


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)

