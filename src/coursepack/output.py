"""The output folder: which folders a build may replace, staging, the marker and the atomic swap."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import __version__
from .diagnostics import quote

MARKER = ".coursepack-build.json"
_STAGING = re.compile(r"^\.(?P<name>.+)\.coursepack-(?:new|old)-(?P<pid>\d+)-[^/]+$")


class BuildError(Exception):
    """The build cannot go on (output folder, environment); `usage` marks a refusal (exit 2)."""

    def __init__(self, message: str, code: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.usage = usage


def marker_bytes(names: Iterable[str], digests: dict[str, str] | None = None) -> bytes:
    """The marker a build leaves in its folder: what wrote it, every file it wrote, and the
    SHA-256 of each (so the next build can tell the folder already holds what it would write)."""
    record: dict[str, object] = {"generator": "coursepack", "version": __version__,
                                 "files": sorted(set(names) | {MARKER})}
    if digests is not None:
        record["sha256"] = dict(sorted(digests.items()))
    return (json.dumps(record, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _file_digest(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _marked_files(folder: Path) -> set[str] | None:
    """The files a coursepack marker in `folder` lists, or None when there is no valid marker."""
    path = folder / MARKER
    if path.is_symlink() or not path.is_file():
        return None
    try:
        record = json.loads(path.read_bytes()[:10_000_000])
    except (OSError, ValueError):
        return None
    files = record.get("files") if isinstance(record, dict) else None
    if record.get("generator") != "coursepack" or not isinstance(files, list):
        return None
    return {f for f in files if isinstance(f, str)}


def _foreign_file(folder: Path, ours: set[str]) -> str | None:
    """The first file or folder below `folder` that is not one of `ours`, if any."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        base = Path(dirpath).relative_to(folder)
        for name in sorted(filenames):
            rel = (base / name).as_posix()
            if rel not in ours:
                return rel
        for name in dirnames:
            if (Path(dirpath) / name).is_symlink():
                return (base / name).as_posix()
    return None


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def real_path(path: Path) -> Path:
    """`path` with symbolic links resolved, or made absolute when they cannot be (a loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def check_output(output: Path, source: Path) -> None:
    """Refuse (BuildError, usage) any output folder whose replacement could lose someone's work."""
    shown = quote(output, 200)
    if output.is_symlink():
        raise BuildError(f"{shown} is a symbolic link; give the real folder", "output-link",
                         usage=True)
    if output.exists() and not output.is_dir():
        raise BuildError(f"{shown} is a file, not a build folder", "output-not-folder",
                         usage=True)
    target, src = real_path(Path(os.path.abspath(output))), real_path(source)
    for place, what in ((real_path(Path.cwd()), "the current folder"),
                        (real_path(Path.home()), "your home folder"), (Path("/"), "the root")):
        if target == place:
            raise BuildError(f"{shown} is {what}; builds go in a folder of their own such as "
                             "'build'", "output-unsafe", usage=True)
    if _within(src, target):
        raise BuildError(f"{shown} holds the source folder {quote(source, 200)}; choose a folder "
                         "outside it, such as 'build'", "output-holds-source", usage=True)
    if not target.is_dir():
        _check_parents(output, target)
        return
    if (target / ".git").exists():
        raise BuildError(f"{shown} holds a .git repository; choose another folder",
                         "output-unsafe", usage=True)
    ours = _marked_files(target)
    foreign = _foreign_file(target, ours or set())
    if foreign is not None:
        raise BuildError(f"{shown} holds files coursepack did not write (for example "
                         f"{quote(foreign)}); move them, or choose another folder",
                         "output-not-ours", usage=True)


def _check_parents(output: Path, target: Path) -> None:
    """The nearest existing folder above a new output must be a folder."""
    above = target.parent
    while not above.exists() and above != above.parent:
        above = above.parent
    if not above.is_dir():
        raise BuildError(f"{quote(output, 200)} cannot be made: {quote(above, 200)} is a file, "
                         "not a folder", "output-not-folder", usage=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_stale(output: Path) -> None:
    """Remove staging folders that interrupted builds into `output` left beside it."""
    parent = output.parent
    try:
        entries = list(parent.iterdir())
    except OSError:
        return
    for entry in entries:
        found = _STAGING.match(entry.name)
        if found is None or found["name"] != output.name or int(found["pid"]) == os.getpid():
            continue
        if entry.is_dir() and not entry.is_symlink() and not _pid_alive(int(found["pid"])):
            shutil.rmtree(entry, ignore_errors=True)


# name -> [sha256, *file_identity] of each file as the last build left it
Known = dict[str, list[object]]


def _write_pieces(target: Path, pieces: Iterator[bytes]) -> tuple[str, int]:
    """Write a file from its pieces: its digest and size."""
    digest, size = hashlib.sha256(), 0
    with open(target, "wb") as handle:
        for piece in pieces:
            handle.write(piece)
            digest.update(piece)
            size += len(piece)
    return digest.hexdigest(), size


class Staging:
    """A new folder beside the output that receives the files, then replaces the output.

    A file the output already holds unchanged (same digest as the last build recorded in
    `known`, and the same `file_identity` on disk) is linked, not written again.
    """

    def __init__(self, output: Path, known: Known | None = None) -> None:
        self.output = output
        self.known = known or {}
        self.written: list[str] = []
        self.digests: dict[str, str] = {}
        # Files linked from the output (each the output's own file, found unchanged): linking
        # changes a file's ctime, so they are known by name, not by their identity on disk.
        self.linked: set[str] = set()
        self.folders: set[str] = set()  # made in the staging folder
        parent = output.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.path = Path(tempfile.mkdtemp(
                prefix=f".{output.name}.coursepack-new-{os.getpid()}-", dir=parent))
            self.path.chmod(0o777 & ~_umask())
        except OSError as exc:
            raise _io_error(exc, parent) from exc

    def _unchanged(self, name: str, digest: str) -> bool:
        """True when the output holds `name` as the last build wrote it, with this digest."""
        known = self.known.get(name)
        if known is None or known[0] != digest:
            return False
        try:
            info = os.stat(os.path.join(self.output, name), follow_symlinks=False)
        except OSError:
            return False
        return stat.S_ISREG(info.st_mode) and file_identity(info) == known[1:]

    def write(self, name: str, data: bytes | Iterator[bytes]) -> tuple[Path, int, str]:
        """Write one output file (a relative POSIX path) into the staging folder, whole or from
        successive pieces; where it was written, its size and its digest."""
        target = self.path / name
        if isinstance(data, bytes):
            digest, size = hashlib.sha256(data).hexdigest(), len(data)
            if self.keep({name: digest}):
                return target, size, digest
        self._folder(str(target.parent), name)
        try:
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                digest, size = _write_pieces(target, data)
        except OSError as exc:
            raise _io_error(exc, self.output / name) from exc
        self.written.append(name)
        self.digests[name] = digest
        return target, size, digest

    def _folder(self, folder: str, name: str) -> None:
        """Make the folder a file goes in (once per folder)."""
        if folder in self.folders:
            return
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise _io_error(exc, self.output / name) from exc
        self.folders.add(folder)

    def keep(self, files: dict[str, str]) -> bool:
        """Link each named file (a relative path, with its digest) from the output, when the
        output holds them all as the last build wrote them; False (nothing kept) otherwise."""
        if not all(self._unchanged(name, digest) for name, digest in files.items()):
            return False
        linked: list[str] = []
        for name in files:
            target = os.path.join(self.path, name)
            self._folder(os.path.dirname(target), name)
            if not _link(os.path.join(self.output, name), target):
                for path in linked:  # unlinked, never written through: they are the output's
                    os.unlink(path)
                return False
            linked.append(target)
        self.written += files
        self.digests.update(files)
        self.linked.update(files)
        return True

    def same_as_output(self) -> bool:
        """True when the output folder's marker lists exactly these files with these digests,
        and every one of them still has its digest on disk (known unchanged, or hashed)."""
        try:
            record = json.loads((self.output / MARKER).read_bytes()[:50_000_000])
        except (OSError, ValueError):
            return False
        if not isinstance(record, dict) or record.get("sha256") != self.digests:
            return False
        return all(name in self.linked or self._unchanged(name, digest)
                   or _file_digest(self.output / name) == digest
                   for name, digest in self.digests.items())

    def state(self) -> Known:
        """What the output folder holds now, for the next build's `known`."""
        found: Known = {}
        for name, digest in self.digests.items():
            try:
                info = os.stat(self.output / name, follow_symlinks=False)
            except OSError:
                continue
            found[name] = [digest, *file_identity(info)]
        return found

    def commit(self) -> None:
        """Write the marker and swap the staging folder in for the output folder."""
        self.write(MARKER, marker_bytes(self.written, dict(self.digests)))
        try:
            _swap(self.path, self.output)
        except OSError as exc:
            raise _io_error(exc, self.output) from exc
        shutil.rmtree(self.path, ignore_errors=True)

    def abort(self) -> None:
        """Forget the staging folder; the output folder stays as it was."""
        shutil.rmtree(self.path, ignore_errors=True)


def file_identity(info: os.stat_result) -> list[int]:
    """What tells a file unchanged since it was recorded: size, modification time, inode and
    change time (a copy that keeps size and time still has another inode and change time)."""
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns]


def _link(source: str, target: str) -> bool:
    """Hard-link `source` as `target`; False when the file system cannot."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        return False
    return True


def _io_error(exc: OSError, where: Path) -> BuildError:
    reason = exc.strerror or str(exc)
    return BuildError(f"cannot write {quote(where, 200)}: {reason}", "io-error")


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(staging: Path, output: Path) -> None:
    """Put `staging` at `output`; the previous output ends up at `staging` (to be removed)."""
    if not output.exists():
        os.replace(staging, output)
        return
    if _exchange(staging, output):
        return
    retired = staging.with_name(staging.name.replace("-new-", "-old-", 1))
    os.replace(output, retired)
    try:
        os.replace(staging, output)
    except OSError:
        os.replace(retired, output)
        raise
    os.replace(retired, staging)
