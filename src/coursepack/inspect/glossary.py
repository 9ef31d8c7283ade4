"""Glossary exports: entries, categories, aliases, files, as mod/glossary/import.php takes them."""

from __future__ import annotations

from ..importers import glossary
from ..importers.qtypes import string
from .report import Report, plural
from .xmltree import Element, adopt


def inspect_glossary(report: Report, data: bytes) -> None:
    """A glossary export (mod/glossary/export.php), checked as mod/glossary/import.php reads
    it: each entry needs a concept and a definition, and a glossary that does not allow
    duplicate entries rejects a concept it already has."""
    report.kind, report.title = "glossary", "Moodle glossary export"
    found, root = glossary.read_tree(data, report.path)
    adopt(report, found.notes)
    if root is None:
        return
    info = root.find("INFO")
    if info is None:
        report.error("no <INFO> element: Moodle cannot read the glossary", "inspect-format",
                     line=root.sourceline)
        return
    entries = info.findall("ENTRIES/ENTRY")
    duplicates = string(info, "ALLOWDUPLICATEDENTRIES").strip() == "1"
    taken = _Taken(duplicates)
    imported = sum(_entry(report, entry, taken) for entry in entries)
    _summarise(report, found.title, entries, imported)


class _Taken:
    """The concepts imported so far, as Moodle compares a new one with them."""

    def __init__(self, duplicates: bool) -> None:
        self.duplicates = duplicates
        self.exact: set[str] = set()
        self.folded: set[str] = set()

    def clash(self, concept: str, case_sensitive: bool) -> bool:
        if self.duplicates:
            return False
        return concept in self.exact if case_sensitive else concept.lower() in self.folded

    def add(self, concept: str) -> None:
        self.exact.add(concept)
        self.folded.add(concept.lower())


def _entry(report: Report, entry: Element, taken: _Taken) -> bool:
    """Whether Moodle imports the entry (a located diagnostic when it does not)."""
    concept = string(entry, "CONCEPT").strip()
    definition = entry.find("DEFINITION")
    if definition is not None and len(definition):
        report.error(f"entry {concept!r}: its DEFINITION holds elements, not text: Moodle stops "
                     "the import (errorparsingxml)", "inspect-glossary-definition",
                     line=definition.sourceline)
        return False
    text = "" if definition is None else definition.text or ""
    if concept in ("", "0") or text in ("", "0"):
        report.warn("an entry with no concept or no definition: Moodle rejects it",
                    "inspect-glossary-rejected", line=entry.sourceline)
        return False
    case_sensitive = string(entry, "CASESENSITIVE").strip() not in ("", "0")
    if taken.clash(concept, case_sensitive):
        report.warn(f"entry {concept!r} repeats a concept: Moodle rejects it unless the "
                    "glossary allows duplicate entries", "inspect-glossary-duplicate",
                    line=entry.sourceline)
        return False
    taken.add(concept)
    return True


def _summarise(report: Report, title: str, entries: list[Element], imported: int) -> None:
    aliases = sum(1 for e in entries for a in e.iterfind("ALIASES/ALIAS")
                  if string(a, "NAME") not in ("", "0"))
    names = [string(c, "NAME") for e in entries for c in e.iterfind("CATEGORIES/CATEGORY")]
    embedded = sum(len(e.findall("ENTRYFILES/FILE")) for e in entries)
    attached = sum(len(e.findall("ATTACHMENTFILES/FILE")) for e in entries)
    report.facts.update(name=title, entries=len(entries), imported=imported,
                        categories=sorted(set(names)), category_links=len(names),
                        aliases=aliases, embedded_files=embedded, attachments=attached)
    report.say(f"glossary {title!r}: {plural(len(entries), 'entry', 'entries')}"
               + (f" ({imported} imported)" if imported != len(entries) else ""))
    report.say(f"{plural(len(set(names)), 'category', 'categories')}"
               + (f": {', '.join(sorted(set(names)))}" if names else ""))
    report.say(f"{plural(aliases, 'alias', 'aliases')}, {plural(embedded, 'embedded file')}, "
               f"{plural(attached, 'attachment')}")
