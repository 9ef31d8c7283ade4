"""Deterministic zip archives: fixed timestamps, fixed permissions, entries in the order given."""

from __future__ import annotations

import io
import os
import time
import zipfile

# 1980-01-01T00:00:00Z, the earliest time a zip can hold; SOURCE_DATE_EPOCH overrides it.
DEFAULT_EPOCH = 315532800


def timestamp() -> tuple[int, int, int, int, int, int]:
    """The date and time stamped on every entry."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH))
    return time.gmtime(max(epoch, DEFAULT_EPOCH))[:6]


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of `files` (archive path -> content), byte-identical for the same input."""
    buffer = io.BytesIO()
    stamp = timestamp()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()
