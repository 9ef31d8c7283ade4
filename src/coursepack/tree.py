"""The source tree on disk: what each path is, what stays inside the tree, and what is not read."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Hints
from .output import MARKER

IGNORE_FILE = ".coursepackignore"
# Files a content repository keeps beside its source that coursepack never reads (documented).
DEFAULT_IGNORED = ("*.md", "*.txt", "*.rst", "LICENSE*", "LICENCE*", "COPYING*",
                   "AUTHORS*", "CODEOWNERS", "Makefile", "build")
ROOT_FILES = ("course.yaml", "glossary.yaml")
UNIT_FILES = ("unit.yaml", "questions.yaml", "lesson.yaml")


@dataclass(frozen=True)
class State:
    """What a path is: `absent`, `file`, `folder`, or `bad` with a message and code."""

    kind: str
    message: str = ""
    code: str = ""


def _target(path: Path, real_root: Path) -> State | Path:
    """Where a symbolic link leads, or why it cannot be followed."""
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        return State("bad", "is a symbolic link to nothing (its target does not exist)",
                     "broken-link")
    except (RuntimeError, OSError):
        return State("bad", "is a symbolic link that loops back on itself", "broken-link")
    if real != real_root and real_root not in real.parents:
        return State("bad", "is a symbolic link that leads outside the source folder; "
                     "coursepack reads nothing outside it", "link-outside")
    return real


def inspect(path: Path, real_root: Path) -> State:
    """What `path` is, following a symbolic link only when it stays inside the source tree."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return State("absent")
    except OSError as exc:
        return State("bad", f"cannot be read: {exc.strerror}", "io-error")
    if stat.S_ISLNK(info.st_mode):
        real = _target(path, real_root)
        if isinstance(real, State):
            return real
        info = real.stat()
    if stat.S_ISDIR(info.st_mode):
        return State("folder")
    if stat.S_ISREG(info.st_mode):
        return State("file")
    return State("bad", "is not a regular file (a FIFO, socket or device)", "not-a-file")


def expect_file(path: Path, real_root: Path) -> State:
    """The state of a path that must be a file when present."""
    state = inspect(path, real_root)
    if state.kind == "folder":
        return State("bad", "is a folder, not a file", "not-a-file")
    return state


def expect_folder(path: Path, real_root: Path) -> State:
    """The state of a path that must be a folder when present."""
    state = inspect(path, real_root)
    if state.kind == "file":
        return State("bad", "is a file, not a folder", "not-a-folder")
    return state


class Ignore:
    """The documented defaults plus the patterns of the source's `.coursepackignore`."""

    def __init__(self, root: Path, real_root: Path) -> None:
        self.patterns = list(DEFAULT_IGNORED)
        path = root / IGNORE_FILE
        if expect_file(path, real_root).kind == "file":
            text = path.read_bytes()[:100_000].decode("utf-8", "replace")
            self.patterns += [line.strip().rstrip("/") for line in text.splitlines()
                              if line.strip() and not line.lstrip().startswith("#")]

    def __call__(self, rel: str) -> bool:
        name = rel.rsplit("/", 1)[-1]
        return name.startswith(".") or any(
            fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in self.patterns)


def _entries(folder: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in os.scandir(folder))
    except OSError:
        return []


def unread(root: Path, real_root: Path, units: set[str], hint: Hints,
           media: Collection[str] = ()) -> Iterator[tuple[Path, str]]:
    """Each path in the tree coursepack does not read, with a did-you-mean hint when one fits;
    `media` names the files the texts embed or link (paths inside the tree), and what holds
    one of them is read."""
    ignore = Ignore(root, real_root)
    holders = {"/".join(p.split("/")[:n]) for p in media for n in range(1, p.count("/") + 2)}
    for name in _entries(root):
        if (name in (*ROOT_FILES, "units") or ignore(name) or name in holders
                or (root / name / MARKER).exists()):
            continue
        yield root / name, hint(name, [*ROOT_FILES, "units"])
    if inspect(root / "units", real_root).kind != "folder":
        return
    for unit in sorted(units):
        folder = root / "units" / unit
        for name in _entries(folder):
            rel = f"units/{unit}/{name}"
            if name not in UNIT_FILES and not ignore(rel) and rel not in holders:
                yield folder / name, hint(name, UNIT_FILES)


