"""A media file as the model holds it: where it is, what it is, and its bytes on demand."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


class MediaChanged(Exception):
    """A media file changed on disk between the check that read it and a writer that needs it."""


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A file a text embeds or links: where it is in the source folder (POSIX), its MIME type,
    size and SHA-256. Its bytes stay on disk until a writer reads them (`read`), checked against
    the digest, so the model of a large course never holds them all."""

    path: str
    mime: str
    size: int
    sha256: str
    origin: str = field(default="", compare=False, repr=False)  # the file on disk

    @property
    def name(self) -> str:
        """The file's name without its folders."""
        return self.path.rsplit("/", 1)[-1]

    def read(self) -> bytes:
        """The file's bytes, as checked (MediaChanged when they are not)."""
        try:
            with open(self.origin, "rb") as handle:
                data = handle.read(self.size + 1)
        except OSError as exc:
            raise MediaChanged(f"{self.path} cannot be read any more: {exc.strerror}") from exc
        if len(data) != self.size or hashlib.sha256(data).hexdigest() != self.sha256:
            raise MediaChanged(f"{self.path} changed after it was checked; build again")
        return data
