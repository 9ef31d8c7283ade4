"""Parsed source files kept in the cache by content: an unchanged file is not parsed again.

Kept only for files that parsed and passed their schema (by the process that parsed them: see
prefetch.py): a file with problems is read afresh, so its diagnostics are always made now. An
entry holds the file's data (marshalled apart, and read only when asked for), the position of
every value, what the rules for any text found in it, its questions' positions, what each
question's own rules found and its sites (sites.py), marshalled; it is keyed
by coursepack's own files, the schema kind, the name the file is reported under, its folder's
name and the file's bytes, and, like every cache entry, signed: only entries this machine wrote
are unmarshalled.
"""

from __future__ import annotations

import hashlib
import marshal
from array import array
from pathlib import Path

from .cache import Cache
from .checks import kept_sites, media_refs, question_rules, text_findings
from .diagnostics import Diagnostic
from .media.refs import Ref
from .origins import of_document
from .sites import Sites
from .yamlload import Document

ENTRY = "document"


def key(kind: str, path: Path, display: str, content: bytes) -> str:
    """The cache key of a file's parse (its folder names its unit: see origins.py), from the
    SHA-256 of its bytes (`content`, as yamlload.content_digest gives it)."""
    from .tasks import code_digest

    h = hashlib.sha256(f"parsed\x00{code_digest()}\x00{kind}\x00{display}\x00"
                       f"{path.parent.name}\x00".encode("utf-8", "surrogatepass"))
    h.update(content)
    return h.hexdigest()


def get(cache: Cache, entry: str, path: Path, display: str) -> Document | None:
    """The document kept under `entry`, or None."""
    if cache.folder is None or not entry:
        return None
    found = cache.get(entry)
    return unpack(found[ENTRY], path, display) if found and ENTRY in found else None


def unpack(packed: bytes, path: Path, display: str) -> Document | None:
    """The document in an entry made by `pack`, or None."""
    try:
        data, positions, findings, media, origins, rules, sites = marshal.loads(packed)
        if not isinstance(data, bytes):
            raise TypeError("the data is not marshalled apart")
        found_now = [Diagnostic.from_row(row) for row in findings]
        named = [(tuple(where), Ref(*ref)) for where, ref in media]
        doc = Document(path, display, None, array("Q", positions), found_now, named,
                       dict(origins), packed=data)
        if rules is not None:
            doc.rules = [[Diagnostic.from_row(row) for row in found] for found in rules]
        if sites is not None:
            doc.sites = Sites.from_row(sites)
        return doc
    except (EOFError, ValueError, TypeError):
        return None


def pack(kind: str, doc: Document) -> dict[str, bytes]:
    """The entry of a document that passed its schema `kind`: its data, positions, the text
    rules' findings and its questions' positions (see origins.py), marshalled (not deflated:
    deflating took longer than reading back the larger entry)."""
    rows = [d.row() for d in text_findings(doc)]
    media = [(where, (r.image, r.target, r.alt, r.title)) for where, r in media_refs(doc)]
    where = of_document(kind, doc)
    rules = ([[d.row() for d in found] for found in question_rules(doc)]
             if kind == "questions" else None)
    sites = kept_sites(kind, doc)
    return {ENTRY: marshal.dumps((marshal.dumps(doc.data), doc.positions.tobytes(), rows, media,
                                  where, rules, None if sites is None else sites.row()))}


def put(cache: Cache, entry: str, kind: str, doc: Document) -> None:
    """Keep a document that passed its schema `kind` (on the cache's own thread)."""
    if cache.folder is not None:
        cache.put_soon(entry, pack(kind, doc))
