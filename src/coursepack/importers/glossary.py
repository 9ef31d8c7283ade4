"""Moodle glossary exports (mod/glossary/export.php: GLOSSARY/INFO/ENTRIES/ENTRY) as glossary
terms: concept, definition and its files, aliases, case sensitivity, full match, auto-linking,
and the related terms of coursepack's own 'See also' line."""

from __future__ import annotations

import base64
import binascii
import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from . import D, Found, relative_url
from .moodlexml import moodle_shown, parsed
from .text import cleaned, plain_text, source_text

Element = Any  # lxml's _Element
# The line coursepack's glossary writer adds to a definition, naming its related terms.
_SEE_ALSO = re.compile(r"\n?<p><em>See also:</em> ((?:(?!</p>).)*)</p>$", re.S)
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'#?<>\s]+)")


def read(data: bytes, display: str, folder: Path | None = None) -> Found:
    """The entries of a glossary export as terms (a file Moodle would refuse gives one error),
    their files named for `folder`, the source folder that holds glossary.yaml."""
    found = Found(display, folder=folder)
    root = parsed(data, found, "GLOSSARY", "a Moodle glossary export")
    if root is not None:
        found.title = moodle_shown(_string(root, "INFO/NAME")).strip()
        found.terms = [_entry(found, entry) for entry in root.iterfind("INFO/ENTRIES/ENTRY")]
    return found


def _entry(found: Found, entry: Element) -> D:
    concept = moodle_shown(_string(entry, "CONCEPT")).strip()
    definition, related = _definition(found, entry, concept)
    term: D = {"term": concept, "definition": definition, "_line": entry.sourceline,
               "_related": related}
    aliases = [moodle_shown(_string(a, "NAME")).strip() for a in entry.iterfind("ALIASES/ALIAS")]
    if any(aliases):
        term["aliases"] = [a for a in aliases if a]
    for tag, key, default in (("CASESENSITIVE", "case_sensitive", False),
                              ("USEDYNALINK", "autolink", True),
                              ("FULLMATCH", "full_match", True)):
        value = _string(entry, tag).strip()
        if value and (value == "1") != default:
            term[key] = value == "1"
    categories = [_string(c, "NAME") for c in entry.iterfind("CATEGORIES/CATEGORY")]
    if categories:
        found.note(entry.sourceline, f"entry {concept!r}: its categories "
                   f"({', '.join(repr(c) for c in categories)}) are not imported: coursepack "
                   "files a term under each unit that lists it as a key term", "import-dropped")
    return term


def _definition(found: Found, entry: Element, concept: str) -> tuple[Any, str]:
    """The definition's source value, and the names its 'See also' line lists (taken out)."""
    files = {_string(f, "FILENAME"): _string(f, "CONTENTS")
             for f in entry.iterfind("ENTRYFILES/FILE")}
    raw = _PLUGINFILE.sub(lambda m: _file(found, m.group(1), files),
                          _string(entry, "DEFINITION")).strip()
    fmt = _string(entry, "FORMAT").strip() or "1"
    if fmt in ("0", "2"):
        return plain_text(raw), ""
    if fmt == "4":
        return raw, ""
    see = _SEE_ALSO.search(raw)
    names = ""  # the names as the line lists them, ", " between (and inside some)
    if see is not None:
        names = html.unescape(re.sub(r"<[^>]+>", "", see.group(1))).strip()
        raw = raw[:see.start()]
    clean, removed = cleaned(raw)
    for message in removed:
        found.note(entry.sourceline, f"entry {concept!r}: removed from its definition: "
                   f"{message}", "import-unsafe")
    return source_text(clean), names


def _file(found: Found, url_name: str, files: dict[str, str]) -> str:
    name = unquote(url_name)
    if name not in files:
        return "@@PLUGINFILE@@/" + url_name
    try:
        data = base64.b64decode(files[name], validate=False)
    except (binascii.Error, ValueError):
        data = b""
    return relative_url(found.keep_file(name, data, "media"))


def _string(element: Element, path: str) -> str:
    found = element.find(path)
    return str(found.text or "") if found is not None else ""
