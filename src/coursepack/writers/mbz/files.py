"""Ids handed out in a fixed order, and the file pool: files.xml and files/<2 hex>/<sha1>."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import ClassVar

from .xml import E, document, fields, node

# SHA-1 of "": the content hash of every directory entry ('.') Moodle keeps in a file area.
EMPTY_HASH = hashlib.sha1(b"").hexdigest()
DIRECTORY_MIMETYPE = None
# The extensions Moodle's core_filetypes knows that a web package or course uses; others unknown.
MIMETYPES = {"css": "text/css", "gif": "image/gif", "htm": "text/html", "html": "text/html",
             "jpg": "image/jpeg", "jpeg": "image/jpeg", "js": "application/x-javascript",
             "json": "application/json", "mp3": "audio/mp3", "mp4": "video/mp4",
             "png": "image/png", "svg": "image/svg+xml", "txt": "text/plain",
             "xml": "application/xml", "xsd": "application/xml", "zip": "application/zip"}
UNKNOWN_MIMETYPE = "document/unknown"


class Ids:
    """Sequential ids per kind of record, in the order they are asked for."""

    # Ids every Moodle site has taken: the system context (named in original_system_contextid),
    # the front page course (SITEID) and the guest and admin users. A backup's own start above.
    RESERVED: ClassVar[dict[str, int]] = {"context": 1, "course": 1, "user": 2}

    def __init__(self, start: int = 0, size: int = 0) -> None:
        """Ids from `start` + 1 (above the reserved ones from 0), at most `size` of a kind
        when `size` is given."""
        self.start, self.size = start, size
        self._last: dict[str, int] = defaultdict(lambda: start,
                                                 self.RESERVED if start == 0 else {})

    def take(self, kind: str) -> int:
        """The next id of this kind."""
        self._last[kind] += 1
        taken = self._last[kind]
        if self.size and taken > self.start + self.size:
            raise OverflowError(f"more than {self.size:,} records of one kind ({kind}) in a "
                                "unit of a course backup")
        return taken


def mimetype(filename: str) -> str:
    """The mimetype Moodle records for a file name."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return MIMETYPES.get(ext, UNKNOWN_MIMETYPE)


def pool_path(contenthash: str) -> str:
    """Where the backup stores a content: files/<first two hex digits>/<hash>."""
    return f"files/{contenthash[:2]}/{contenthash}"


@dataclass(frozen=True)
class Area:
    """A file area: the context, component, area name and item a file belongs to."""

    contextid: int
    component: str
    filearea: str
    itemid: int = 0


@dataclass(frozen=True)
class StoredFile:
    """One row of files.xml."""

    id: int
    area: Area
    filepath: str
    filename: str
    contenthash: str
    size: int
    mimetype: str | None


@dataclass
class FileStore:
    """Every file of a backup: the rows of files.xml and each content once, by its SHA-1."""

    ids: Ids
    rows: list[StoredFile] = field(default_factory=list)
    contents: dict[str, bytes] = field(default_factory=dict)
    folders: set[tuple[Area, str]] = field(default_factory=set)

    def _directory(self, area: Area, filepath: str) -> list[int]:
        if (area, filepath) in self.folders:
            return []
        self.folders.add((area, filepath))
        parent = filepath.rstrip("/").rsplit("/", 1)[0] + "/" if filepath != "/" else ""
        ids = self._directory(area, parent) if parent else []
        row = StoredFile(self.ids.take("file"), area, filepath, ".", EMPTY_HASH, 0,
                         DIRECTORY_MIMETYPE)
        self.rows.append(row)
        return [*ids, row.id]

    def add(self, area: Area, path: str, data: bytes) -> list[int]:
        """Store `data` at `path` ('a/b.html') in the area; the ids of every row it added."""
        folder, _, name = path.rpartition("/")
        filepath = f"/{folder}/" if folder else "/"
        ids = self._directory(area, filepath)
        digest = hashlib.sha1(data).hexdigest()
        self.contents.setdefault(digest, data)
        row = StoredFile(self.ids.take("file"), area, filepath, name, digest, len(data),
                         mimetype(name))
        self.rows.append(row)
        return [*ids, row.id]

    def elements(self, epoch: int) -> list[E]:
        """One <file> per row, directory entries included."""
        return [_row(r, epoch) for r in self.rows]

    def xml(self, epoch: int) -> bytes:
        """files.xml: one <file> per row, directory entries included."""
        return document(node("files", self.elements(epoch)))

    def pool(self) -> dict[str, bytes]:
        """Each distinct content under files/, in the order first stored."""
        return {pool_path(h): data for h, data in self.contents.items()}


def _row(r: StoredFile, epoch: int) -> E:
    return node("file", fields(
        contenthash=r.contenthash, contextid=r.area.contextid, component=r.area.component,
        filearea=r.area.filearea, itemid=r.area.itemid, filepath=r.filepath,
        filename=r.filename, userid=None, filesize=r.size, mimetype=r.mimetype, status=0,
        timecreated=epoch, timemodified=epoch, source=None, author=None, license=None,
        sortorder=0, repositorytype=None, repositoryid=None, reference=None), id=r.id)
