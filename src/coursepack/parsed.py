"""Parsed source files kept in the cache by content: an unchanged file is not parsed again.

Kept from a cache's second run on (see `put`), and only for files that parsed and passed their
schema: a file with problems is read afresh, so its diagnostics are always made now. An entry
holds the file's data, the position of every value and what the rules for any text found in it,
marshalled and deflated; it is keyed by coursepack's own files, the schema kind, the name the
file is reported under and the file's bytes, and, like every cache entry, signed: only entries
this machine wrote are unmarshalled.
"""

from __future__ import annotations

import hashlib
import marshal
import zlib
from array import array
from pathlib import Path

from .cache import Cache
from .checks import text_findings
from .diagnostics import Diagnostic
from .yamlload import Document

ENTRY = "document"


def key(kind: str, display: str, raw: bytes) -> str:
    """The cache key of a file's parse."""
    from .tasks import code_digest

    h = hashlib.sha256(f"parsed\x00{code_digest()}\x00{kind}\x00{display}\x00".encode(
        "utf-8", "surrogatepass"))
    h.update(raw)
    return h.hexdigest()


def get(cache: Cache, entry: str, path: Path, display: str) -> Document | None:
    """The document kept under `entry`, or None."""
    if cache.folder is None:
        return None
    found = cache.get(entry)
    if found is None or ENTRY not in found:
        return None
    try:
        data, positions, findings = marshal.loads(zlib.decompress(found[ENTRY]))
        found_now = [Diagnostic.from_row(row) for row in findings]
        return Document(path, display, data, array("Q", positions), found_now)
    except (EOFError, ValueError, TypeError, zlib.error):
        return None


def put(cache: Cache, entry: str, doc: Document) -> None:
    """Keep a document that parsed and passed its schema, unless the cache is new: writing
    thousands of small entries costs a first run about a quarter of its time, so parses are kept
    from the second run on (the first leaves its run record and its tasks' outputs)."""
    if cache.folder is not None and not cache.fresh:
        findings = [d.row() for d in text_findings(doc)]
        packed = zlib.compress(marshal.dumps((doc.data, doc.positions.tobytes(), findings)), 1)
        cache.put_soon(entry, {ENTRY: packed})
