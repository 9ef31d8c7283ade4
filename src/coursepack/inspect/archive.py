"""Zip and gzip tar archives listed as Moodle's packers unpack them, within fixed bounds."""

from __future__ import annotations

import gzip
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO, Protocol

from ..diagnostics import Severity

MAX_MEMBERS = 100_000  # members listed at most
MAX_DIRECTORY = 16 * 2**20  # bytes of a zip's central directory parsed at most
MEMBER_CAP = 64 * 2**20  # the most read of one member (only XML members are read)
KEEP_CAP = 256 * 2**20  # the most kept of all members together
STREAM_CAP = 1024 * 2**20  # the most unpacked of a gzip stream (a tar's every byte)
TOTAL_CAP = 16 * 2**30  # the most a zip may declare it unpacks to
BOMB_RATIO = 200  # a large member this much smaller packed than unpacked is a bomb
BOMB_SIZE = 64 * 2**20
BLOCK = 512

Wanted = Callable[[str], bool]


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass
class Member:
    """One member: its name as written, its path as Moodle unpacks it, and its bytes when
    they were asked for."""

    name: str
    path: str
    size: int
    directory: bool = False
    data: bytes | None = None


@dataclass
class Problem:
    """Something wrong with the archive itself (in `member` when it names one)."""

    message: str
    code: str
    severity: Severity = Severity.ERROR
    member: str | None = None


@dataclass
class Listing:
    """An archive's members, what was read of them, and its problems."""

    members: list[Member] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    kept: int = 0
    unpacked: int = 0  # bytes, as declared (zip) or as read (tar)
    complete: bool = True  # every member was listed
    named: set[str] = field(default_factory=set)  # the files' paths as Moodle unpacks them

    def paths(self) -> set[str]:
        """Every file's path as Moodle unpacks it (read once the listing is complete)."""
        return set(self._files)

    def get(self, path: str) -> Member | None:
        """The first file at `path` (read once the listing is complete)."""
        return self._files.get(path)

    @cached_property
    def _files(self) -> dict[str, Member]:
        found: dict[str, Member] = {}
        for member in self.members:
            if not member.directory:
                found.setdefault(member.path, member)
        return found

    def problem(self, message: str, code: str, severity: Severity = Severity.ERROR,
                member: str | None = None) -> None:
        self.problems.append(Problem(message, code, severity, member))

    def stop(self, message: str, code: str) -> None:
        """An error after which the rest of the archive is not listed."""
        self.problem(message, code)
        self.complete = False


def moodle_path(name: str) -> str:
    """A member's path once Moodle unpacks it: `\\` as `/`, each part cleaned as PARAM_FILE
    ('..' and '.' dropped, and & < > \" ` | ' : \\ and controls), no leading `/`
    (lib/classes/param.php clean_param_value_path, lib/filestorage/zip_archive.php)."""
    parts = name.replace("\\", "/").split("/")
    clean = [p if (p == "." and i == 0) else _param_file(p) for i, p in enumerate(parts)]
    path = re.sub(r"//+", "/", "/".join(clean))
    return re.sub(r"/(\./)+", "/", path).lstrip("/")


def _param_file(part: str) -> str:
    part = re.sub(r"[\x00-\x1f\x7f&<>\"`|':\\/]", "", part)
    return "" if part in (".", "..") else part


def unsafe(name: str) -> str | None:
    """Why a member's name could write outside the folder it is unpacked in, or None."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return "is an absolute path"
    if ".." in parts:
        return "climbs out of the folder ('..')"
    if "\x00" in name:
        return "holds a NUL character"
    return None


def _listed(listing: Listing, name: str, size: int, directory: bool) -> Member | None:
    """The member, added to the listing (None once there are too many)."""
    if len(listing.members) >= MAX_MEMBERS:
        listing.stop(f"holds more than {MAX_MEMBERS:,} members: inspect stops listing there",
                     "inspect-too-many")
        return None
    reason = unsafe(name)
    if reason:
        listing.problem(f"the member name {name!r} {reason}: Moodle unpacks it as "
                        f"{moodle_path(name)!r}, other tools may write outside their folder",
                        "inspect-unsafe-name", Severity.WARNING)
    member = Member(name, moodle_path(name), size, directory)
    if not directory and member.path in listing.named:
        listing.problem(f"the member {name!r} unpacks to {member.path!r}, as another member "
                        "does: Moodle keeps only the first", "inspect-name-clash")
    listing.named.add(member.path)
    listing.members.append(member)
    return member


def _keep(listing: Listing, member: Member, data: bytes) -> None:
    if listing.kept + len(data) > KEEP_CAP:
        listing.problem(f"the members to read pass {KEEP_CAP // 2**20} MiB together: "
                        "inspect reads no more of them", "inspect-too-large", member=member.path)
        return
    listing.kept += len(data)
    member.data = data


def zip_entries(handle: BinaryIO) -> tuple[int, int] | None:
    """How many members a zip's end record declares, and the size of its central directory
    (what zipfile reads and parses whatever the count says); None when it has no end record."""
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(max(0, size - 65_557))
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    total, directory = struct.unpack("<HI", tail[at + 10:at + 16])
    if (total == 0xFFFF or directory == 0xFFFFFFFF) and at >= 20 and \
            tail[at - 20:at - 16] == b"PK\x06\x07":
        offset = struct.unpack("<Q", tail[at - 12:at - 4])[0]
        handle.seek(min(offset, size))
        record = handle.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            total, directory = struct.unpack("<QQ", record[32:48])
    return total, directory


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
               zlib.error, NotImplementedError, RuntimeError, struct.error, IndexError,
               KeyError, OverflowError)


def read_zip(path: Path, wanted: Wanted) -> Listing:
    """A zip's members (the bytes of those `wanted` names, by Moodle path), as Moodle's zip
    packer unpacks them."""
    listing = Listing()
    try:
        with path.open("rb") as handle:
            declared = zip_entries(handle)
            if declared is None:
                listing.stop("not a zip archive: it has no end of central directory",
                             "inspect-archive")
            elif declared[0] > MAX_MEMBERS or declared[1] > MAX_DIRECTORY:
                listing.stop(f"declares {declared[0]:,} members in a directory of "
                             f"{declared[1]:,} bytes, more than the {MAX_MEMBERS:,} members "
                             f"({MAX_DIRECTORY // 2**20} MiB) inspect lists", "inspect-too-many")
            else:
                handle.seek(0)
                with zipfile.ZipFile(handle) as archive:
                    _zip_members(archive, listing, wanted)
    except _ZIP_ERRORS as exc:
        listing.stop(f"the zip cannot be read: {_reason(exc)}", "inspect-archive")
    return listing


def _zip_members(archive: zipfile.ZipFile, listing: Listing, wanted: Wanted) -> None:
    for info in archive.infolist():
        member = _listed(listing, info.filename, info.file_size, info.is_dir())
        if member is None:
            return
        listing.unpacked += info.file_size
        if _bomb(info.file_size, info.compress_size):
            listing.problem(f"unpacks from {info.compress_size:,} to {info.file_size:,} bytes "
                            "(a compression bomb)", "inspect-zip-bomb", member=member.path)
        elif wanted(member.path) and not member.directory:
            _read_zip_member(archive, info, member, listing)
    if listing.unpacked > TOTAL_CAP:
        listing.problem(f"declares {listing.unpacked:,} bytes unpacked, more than "
                        f"{TOTAL_CAP // 2**30} GiB", "inspect-zip-bomb")


def _bomb(size: int, packed: int) -> bool:
    return size > BOMB_SIZE and size > BOMB_RATIO * max(packed, 1)


def _read_zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, member: Member,
                     listing: Listing) -> None:
    if info.file_size > MEMBER_CAP:
        listing.problem(f"is {info.file_size:,} bytes, more than the {MEMBER_CAP // 2**20} MiB "
                        "inspect reads of one member", "inspect-too-large", member=member.path)
        return
    try:
        with archive.open(info) as stream:
            data = stream.read(MEMBER_CAP + 1)
    except _ZIP_ERRORS as exc:
        listing.problem(f"cannot be unpacked: {_reason(exc)}", "inspect-archive",
                        member=member.path)
        return
    _keep(listing, member, data[:MEMBER_CAP])


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


class _Stop(Exception):
    """Reading stops: the archive is broken, or larger than inspect reads."""


def read_tgz(path: Path, wanted: Wanted) -> Listing:
    """A gzip tar's members (the bytes of those `wanted` names), read block by block as
    Moodle's tgz extractor reads them (lib/filestorage/tgz_extractor.php)."""
    listing = Listing()
    reader = _TarReader(listing, wanted)
    try:
        with gzip.open(path, "rb") as stream:
            reader.run(stream)
    except _Stop:
        listing.complete = False
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        if reader.ended:  # zlib's gzread, which Moodle reads with, stops there quietly
            what = "cut short" if isinstance(exc, EOFError) else "followed by bytes not gzip"
            listing.problem(f"the gzip stream is {what} after the archive's end ("
                            f"{_reason(exc)}): Moodle reads the archive, other tools may not",
                            "inspect-archive", Severity.WARNING)
        else:
            listing.stop(f"the gzip stream is broken or cut short ({_reason(exc)})",
                         "inspect-archive")
    return listing


_IGNORED = {b"1", b"2", b"3", b"4", b"6", b"7"}  # links, devices, FIFOs: Moodle skips them
_EXTENDED = {b"x": "pax", b"g": "pax", b"L": "GNU long-name", b"K": "GNU long-link"}


class _TarReader:
    """The members of a tar stream, header block by header block."""

    def __init__(self, listing: Listing, wanted: Wanted) -> None:
        self.listing, self.wanted = listing, wanted
        self.stream: Readable | None = None
        self.ended = False  # the two empty blocks that end a tar were read

    def read(self, size: int) -> bytes:
        assert self.stream is not None
        if self.listing.unpacked + size > STREAM_CAP:
            self.listing.problem(f"unpacks to more than {STREAM_CAP // 2**20} MiB: inspect "
                                 "stops reading there (a compression bomb, or a backup larger "
                                 "than inspect reads)", "inspect-too-large")
            raise _Stop
        data = self.stream.read(size)
        self.listing.unpacked += len(data)
        return data

    def run(self, stream: Readable) -> None:
        self.stream = stream
        empty = 0
        while True:
            block = self.read(BLOCK)
            if not block:
                return
            if len(block) < BLOCK:
                self.listing.stop("the archive ends inside a header", "inspect-archive")
                return
            if block == bytes(BLOCK):
                empty += 1
                self.ended = empty >= 2
                continue
            self.ended = False
            self.header(block)

    def header(self, block: bytes) -> None:
        if block[257:263] not in (b"ustar\x00", b"ustar "):
            self.listing.problem("a header has no POSIX ustar magic string, which Moodle's "
                                 "reader requires: it stops there", "inspect-archive")
            raise _Stop
        name = block[:100].rstrip(b"\x00")
        prefix = block[345:500].rstrip(b"\x00")
        raw = (prefix + b"/" + name).lstrip(b"/").decode("utf-8", "replace")
        kind = block[156:157]
        if kind in _IGNORED:
            self.listing.problem(f"{raw!r} is a link or special file, which Moodle skips",
                                 "inspect-tar-link", Severity.WARNING)
            return
        size = int(re.sub(rb"[^0-7]", b"", block[124:135]) or b"0", 8)
        member = _listed(self.listing, raw, 0 if kind == b"5" else size, kind == b"5")
        if member is None:
            raise _Stop
        if kind in _EXTENDED:
            self.listing.problem(f"a {_EXTENDED[kind]} header, which Moodle's reader takes for "
                                 "a file of that name: the member after it gets a wrong name",
                                 "inspect-tar-extended", member=member.path)
        if kind != b"5":
            self.body(member)

    def body(self, member: Member) -> None:
        padded = -(-member.size // BLOCK) * BLOCK
        keep = self.wanted(member.path) and member.size <= MEMBER_CAP
        if self.wanted(member.path) and not keep:
            self.listing.problem(f"is {member.size:,} bytes, more than the "
                                 f"{MEMBER_CAP // 2**20} MiB inspect reads of one member",
                                 "inspect-too-large", member=member.path)
        chunks, left = [], padded
        while left:
            chunk = self.read(min(left, 2**20))
            if not chunk:
                self.listing.problem("the archive ends inside this member", "inspect-archive",
                                     member=member.path)
                raise _Stop
            left -= len(chunk)
            if keep:
                chunks.append(chunk)
        if keep:
            _keep(self.listing, member, b"".join(chunks)[:member.size])
