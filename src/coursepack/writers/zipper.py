"""Deterministic zip archives: fixed timestamps, fixed permissions, entries in the order given."""

from __future__ import annotations

import io
import time
import zipfile

from ..dates import source_date_epoch


def timestamp() -> tuple[int, int, int, int, int, int]:
    """The date and time stamped on every entry."""
    return time.gmtime(source_date_epoch())[:6]


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
