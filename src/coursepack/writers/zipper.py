"""Deterministic zip archives: fixed timestamps, fixed permissions, entries in the order given."""

from __future__ import annotations

import io
import os
import time
import zipfile

# 1980-01-01T00:00:00Z, the earliest time a zip can hold; SOURCE_DATE_EPOCH overrides it.
DEFAULT_EPOCH = 315532800
# 2107-12-31T23:59:58Z, the latest time a zip can hold.
LATEST_EPOCH = 4354819198


def source_date_epoch() -> int:
    """SOURCE_DATE_EPOCH (unset or empty: 1980-01-01); ValueError when it is not a valid time."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return DEFAULT_EPOCH
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        raise ValueError(f"SOURCE_DATE_EPOCH={raw[:20]!r} is not a whole number of seconds "
                         "since 1970-01-01")
    if int(raw) > LATEST_EPOCH:
        raise ValueError(f"SOURCE_DATE_EPOCH={raw} is after 2107-12-31, the latest date a zip "
                         "file can hold")
    return max(int(raw), DEFAULT_EPOCH)


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
