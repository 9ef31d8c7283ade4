"""Moodle glossary export files (GLOSSARY/INFO/ENTRIES/ENTRY), as mod/glossary/export.php writes."""

from __future__ import annotations

import base64
from collections.abc import Callable, Collection
from html import escape

from ..markup import to_html
from ..model import Catalogue, Term, Unit
from . import every_file
from .embed import Areas, Named
from .names import glossary_file_name, moodle_name, unit_labels

DISPLAY_FORMAT = "fullwithoutauthor"


def definition_html(term: Term, catalogue: Catalogue, present: Collection[str],
                    link: Callable[[str], str] | None = None) -> str:
    """The definition as HTML, with a 'See also' line naming the related terms that are
    `present` in the same glossary (a reader cannot look up the others there), each a link
    to its entry where `link` gives the address of a term's entry."""
    html = to_html(term.definition)
    related = [r for r in term.related if r in present]
    if related:
        names = [escape(catalogue.term(r).term, quote=False) for r in related]
        if link is not None:
            names = [f'<a href="{escape(link(r))}">{name}</a>'
                     for r, name in zip(related, names, strict=True)]
        html += f"\n<p><em>See also:</em> {', '.join(names)}</p>"
    return html


def _field(name: str, value: str | int, pad: int) -> str:
    """An element; text that needs escaping goes in CDATA.

    Moodle reads glossary files with xmlize(), which drops whitespace-only runs of character
    data between entity references ("</strong> – " loses its space); CDATA arrives whole.
    """
    text = str(value)
    if escape(text) != text:
        text = "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return f"{' ' * pad}<{name}>{text}</{name}>"


def _entry(term: Term, catalogue: Catalogue, categories: list[str],
           present: Collection[str]) -> list[str]:
    definition, files = Areas.course(catalogue).embed(definition_html(term, catalogue, present))
    lines = ["      <ENTRY>", _field("CONCEPT", moodle_name(term.term), 8),
             _field("DEFINITION", definition, 8),
             _field("FORMAT", 1, 8),
             _field("DEFINITIONTRUST", 0, 8), _field("USEDYNALINK", int(term.autolink), 8),
             _field("CASESENSITIVE", int(term.case_sensitive), 8),
             _field("FULLMATCH", int(term.full_match), 8), _field("TEACHERENTRY", 1, 8)]
    if term.aliases:
        lines.append("        <ALIASES>")
        for alias in term.aliases:
            lines += ["          <ALIAS>", _field("NAME", moodle_name(alias), 12),
                      "          </ALIAS>"]
        lines.append("        </ALIASES>")
    if categories:
        lines.append("        <CATEGORIES>")
        for name in categories:
            lines += ["          <CATEGORY>", _field("NAME", moodle_name(name), 12),
                      _field("USEDYNALINK", 1, 12), "          </CATEGORY>"]
        lines.append("        </CATEGORIES>")
    if term.tags:  # after the categories, as Moodle's exporter writes them
        lines += ["        <TAGS>", *(_field("TAG", tag, 10) for tag in term.tags),
                  "        </TAGS>"]
    return [*lines, *_entry_files(files), "      </ENTRY>"]


def _entry_files(files: Named) -> list[str]:
    """The files an entry's definition names, as Moodle's exporter writes them (ENTRYFILES)."""
    if not files:
        return []
    lines = ["        <ENTRYFILES>"]
    for name, file in files:
        lines += ["          <FILE>", _field("FILENAME", name, 12), _field("FILEPATH", "/", 12),
                  _field("CONTENTS", base64.b64encode(file.read()).decode("ascii"), 12),
                  "          </FILE>"]
    return [*lines, "        </ENTRYFILES>"]


def glossary_xml(catalogue: Catalogue, name: str, intro: str,
                 entries: list[tuple[Term, list[str]]]) -> bytes:
    """A whole glossary file: settings for a new glossary, then one entry per term."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<GLOSSARY>", "  <INFO>",
             _field("NAME", moodle_name(name), 4), _field("INTRO", intro, 4),
             _field("INTROFORMAT", 1, 4), _field("ALLOWDUPLICATEDENTRIES", 0, 4),
             _field("DISPLAYFORMAT", DISPLAY_FORMAT, 4), _field("SHOWSPECIAL", 1, 4),
             _field("SHOWALPHABET", 1, 4), _field("SHOWALL", 1, 4),
             _field("ALLOWCOMMENTS", 0, 4), _field("USEDYNALINK", 1, 4),
             _field("DEFAULTAPPROVAL", 1, 4), _field("GLOBALGLOSSARY", 0, 4),
             _field("ENTBYPAGE", 20, 4), "    <ENTRIES>"]
    present = {term.id for term, _ in entries}
    for term, categories in entries:
        lines += _entry(term, catalogue, categories, present)
    lines += ["    </ENTRIES>", "  </INFO>", "</GLOSSARY>"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def unit_entries(catalogue: Catalogue, unit: Unit) -> list[tuple[Term, list[str]]]:
    """The unit's key terms, each in the unit's category and its own."""
    label = unit_labels(catalogue)[unit.id]
    return [(term, _categories([label], term))
            for term in map(catalogue.term, unit.key_terms)]


def course_entries(catalogue: Catalogue) -> list[tuple[Term, list[str]]]:
    """Every term, in the category of each unit that uses it and in its own."""
    labels = unit_labels(catalogue)
    return [(term, _categories([labels[u.id] for u in catalogue.units
                                if term.id in u.key_terms], term))
            for term in catalogue.terms]


def _categories(units: list[str], term: Term) -> list[str]:
    """The categories of a term's entry: its units', then its own, each once (Moodle keeps
    one category of a name in a glossary)."""
    return list(dict.fromkeys([*units, *term.categories]))


def unit_files(catalogue: Catalogue, unit: Unit) -> dict[str, bytes]:
    """`<unit>/glossary.xml`: the unit's key terms."""
    return {f"{unit.id}/glossary.xml": glossary_xml(
        catalogue, glossary_file_name(catalogue, unit), _intro(unit.title),
        unit_entries(catalogue, unit))}


def course_files(catalogue: Catalogue) -> dict[str, bytes]:
    """`glossary.xml`: every term of the course."""
    return {"glossary.xml": glossary_xml(catalogue, glossary_file_name(catalogue, None),
                                         _intro(catalogue.title), course_entries(catalogue))}


def write(catalogue: Catalogue) -> dict[str, bytes]:
    """`<unit>/glossary.xml` for each unit and `glossary.xml` for the whole course."""
    return every_file(catalogue, unit_files, course_files)


def _intro(title: str) -> str:
    return f"<p>The key terms of <em>{escape(title, quote=False)}</em>.</p>"
