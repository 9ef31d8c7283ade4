"""Moodle glossary exports (mod/glossary/export.php: GLOSSARY/INFO/ENTRIES/ENTRY) as glossary
terms: concept, definition and its files, aliases, categories, case sensitivity, full match,
auto-linking, and the related terms of coursepack's own 'See also' line."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from . import PLUGINFILE, D, Found
from .moodlexml import moodle_shown, parsed
from .qtypes import string
from .text import cleaned, plain_text, source_text

Element = Any  # lxml's _Element
# The line coursepack's glossary writer adds to a definition, naming its related terms.
_SEE_ALSO = re.compile(r"\n?<p><em>See also:</em> ((?:(?!</p>).)*)</p>$", re.S)


def read(data: bytes, display: str, folder: Path | None = None) -> Found:
    """The entries of a glossary export as terms (a file Moodle would refuse gives one error),
    their files named for `folder`, the source folder that holds glossary.yaml."""
    return read_tree(data, display, folder)[0]


def read_tree(data: bytes, display: str, folder: Path | None = None
              ) -> tuple[Found, Element | None]:
    """`read`, with the file's root element (None when the file could not be read)."""
    found = Found(display, folder=folder)
    root = parsed(data, found, "GLOSSARY", "a Moodle glossary export")
    if root is not None:
        found.title = moodle_shown(string(root, "INFO/NAME")).strip()
        found.terms = [_entry(found, entry) for entry in root.iterfind("INFO/ENTRIES/ENTRY")]
    return found, root


def _entry(found: Found, entry: Element) -> D:
    concept = moodle_shown(string(entry, "CONCEPT")).strip()
    definition, related = _definition(found, entry, concept)
    term: D = {"term": concept, "definition": definition, "_line": entry.sourceline,
               "_related": related}
    aliases = [moodle_shown(string(a, "NAME")).strip() for a in entry.iterfind("ALIASES/ALIAS")]
    if any(aliases):
        term["aliases"] = [a for a in aliases if a]
    for tag, key, default in (("CASESENSITIVE", "case_sensitive", False),
                              ("USEDYNALINK", "autolink", True),
                              ("FULLMATCH", "full_match", True)):
        value = string(entry, tag).strip()
        if value and (value == "1") != default:
            term[key] = value == "1"
    categories = [moodle_shown(string(c, "NAME")).strip()
                  for c in entry.iterfind("CATEGORIES/CATEGORY")]
    for c in entry.iterfind("CATEGORIES/CATEGORY"):
        if string(c, "USEDYNALINK").strip() == "0":
            found.note(c.sourceline, f"entry {concept!r}: its category "
                       f"{string(c, 'NAME').strip()!r} is not auto-linked in this glossary; "
                       "coursepack's glossary categories are", "import-dropped")
    if any(categories):
        term["categories"] = list(dict.fromkeys(c for c in categories if c))
    tags = [t for t in (string(tag, ".").strip() for tag in entry.iterfind("TAGS/TAG")) if t]
    if tags:
        term["tags"] = list(dict.fromkeys(tags))
    for name in entry.iterfind("ATTACHMENTFILES/FILE/FILENAME"):
        found.note(name.sourceline, f"entry {concept!r}: its attached file {name.text!r} is "
                   "not imported (coursepack keeps a definition's own files)", "import-dropped")
    return term


def _definition(found: Found, entry: Element, concept: str) -> tuple[Any, str]:
    """The definition's source value, and the names its 'See also' line lists (taken out)."""
    files = {string(f, "FILENAME"): string(f, "CONTENTS")
             for f in entry.iterfind("ENTRYFILES/FILE")}
    raw = PLUGINFILE.sub(lambda m: found.keep_encoded(m.group(1), files, "media") or m.group(0),
                         string(entry, "DEFINITION")).strip()
    fmt = string(entry, "FORMAT").strip() or "1"
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
