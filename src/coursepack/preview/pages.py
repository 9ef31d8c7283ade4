"""The preview's pages around the content: the frame, the course's units, the problems found,
the unit guide (a Moodle book) and the glossary."""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from urllib.parse import quote

from ..diagnostics import Severity
from ..media.links import point
from ..model import Catalogue, MediaFile, Unit
from ..writers.glossary import course_entries, definition_html, unit_entries
from ..writers.mbz.book import chapters
from ..writers.mbz.units import unit_quizzes
from ..writers.names import activity_names
from .live import Snapshot

# the unit's activities as the course backup holds them, with the preview's address for each
TABS = (("book", ""), ("glossary", "glossary"), ("lesson", "lesson"), ("scorm", "scorm"),
        ("quiz", "quiz"), ("written", "written"))


def media_address(file: MediaFile) -> str:
    """Where the preview serves a media file of the source."""
    return "/media/" + quote(file.path)


def media_of(cat: Catalogue, unit: Unit | None) -> dict[str, MediaFile]:
    """The media a unit's texts may name (with None, the course's texts), by path: the course's
    and the unit's own; no other unit is made to find them."""
    return {f.path: f for f in (*cat.media, *(unit.media if unit else ()))}


def pointer(cat: Catalogue, unit: Unit | None) -> Callable[[str], str]:
    """HTML of the unit's texts (relative to its folder), or with None of the course's
    (relative to the source folder), with the media it names served by the preview."""
    files, base = media_of(cat, unit), f"units/{unit.id}" if unit else ""
    return lambda html: point(html, base, files, media_address)[0] if files else html


def json_attr(data: object) -> str:
    """Data as JSON, escaped for an HTML attribute."""
    return escape(json.dumps(data, ensure_ascii=False, separators=(",", ":")), quote=True)


def frame(snap: Snapshot, title: str, body: str, *, unit: Unit | None = None,
          active: str = "") -> str:
    """A whole preview page: the header, the unit's activities as tabs, then `body`."""
    cat = snap.catalogue
    course = escape(cat.title) if cat else "Course preview"
    tabs = _tabs(cat, unit, active) if cat and unit else ""
    warn = sum(d.severity is Severity.WARNING for d in snap.diagnostics)
    note = (f'<a class="pv-warnings" href="/problems">{warn} warning{"s" * (warn != 1)}</a>'
            if warn and snap.ok else "")
    return (f'<!DOCTYPE html>\n<html lang="{escape(cat.language if cat else "en")}">\n<head>'
            f'<meta charset="utf-8"><meta name="viewport" content="width=device-width, '
            f'initial-scale=1"><title>{escape(title)} · preview</title>'
            '<link rel="stylesheet" href="/static/preview.css">'
            '<script src="/static/preview.js" defer></script></head>\n'
            f'<body data-generation="{escape(snap.stamp)}">\n'
            '<header class="pv-head">'
            f'<a class="pv-home" href="/">{course}</a><span class="pv-badge">Preview</span>'
            f'{note}<span class="pv-live" role="status" '
            f'aria-live="polite"></span></header>\n{tabs}<main class="pv-main" id="main">\n'
            f"{body}</main>\n</body>\n</html>\n")


def _tabs(cat: Catalogue, unit: Unit, active: str) -> str:
    names = activity_names(cat, unit)
    items = []
    for module, path in TABS:
        if module not in names or not available(cat, unit, module):
            continue
        current = ' aria-current="page"' if module == active else ""
        items.append(f'<li><a href="/units/{quote(unit.id)}/{path}"{current}>'
                     f"{escape(names[module])}</a></li>")
    return (f'<nav class="pv-tabs" aria-label="{escape(unit.title)}"><p class="pv-unit">'
            f'{escape(unit.title)}</p><ul>{"".join(items)}</ul></nav>\n')


def available(cat: Catalogue, unit: Unit, module: str) -> bool:
    """True when the unit's backup holds this activity."""
    if module in ("quiz", "written"):
        return bool(unit_quizzes(cat, unit)[module == "written"])
    return {"glossary": bool(unit.key_terms), "lesson": unit.lesson is not None}.get(module, True)


def index(snap: Snapshot) -> str:
    """The course: each unit with its activities."""
    cat = snap.catalogue
    assert cat is not None
    rows = "".join(
        f'<li><a href="/units/{quote(u.id)}/">{escape(u.title)}</a> '
        f'<span class="pv-muted">{escape(u.awarding_body or "")} · {len(u.questions)} '
        f'questions{" · lesson" if u.lesson else ""}</span></li>' for u in cat.units)
    return frame(snap, cat.title, f"<h1>{escape(cat.title)}</h1>\n<ol class=\"pv-units\">"
                 f'{rows}</ol>\n<p><a href="/glossary">{escape(cat.glossary_title)}</a>: '
                 f"the course glossary ({len(cat.terms)} entries)</p>\n")


def problems(snap: Snapshot) -> str:
    """Every diagnostic, each with its location: what validate prints, errors first."""
    found = sorted(snap.diagnostics, key=lambda d: (d.severity is not Severity.ERROR, d))
    rows = "".join(
        f'<li class="pv-{d.severity.value}"><code class="pv-where">{escape(d.file)}:{d.line}:'
        f'{d.col}</code> <strong>{d.severity.value}</strong>: {escape(d.message)} '
        f'<code>[{escape(d.code)}]</code></li>' for d in found)
    errors = sum(d.severity is Severity.ERROR for d in found)
    head = (f"{errors} error{'s' * (errors != 1)}: the preview shows the content again "
            "once they are fixed" if errors else "No errors")
    return frame(snap, "Problems", f'<h1 class="pv-problems-head">{head}</h1>\n'
                 '<p class="pv-muted">Saving a file checks the source again.</p>\n'
                 f'<ol class="pv-problems">{rows}</ol>\n')


def book(snap: Snapshot, unit: Unit, number: int) -> str:
    """The unit guide as Moodle's book shows it: a chapter, the contents, previous and next."""
    cat = snap.catalogue
    assert cat is not None
    found = chapters(unit)
    number = min(max(number, 1), len(found))
    chapter = found[number - 1]
    toc = "".join(
        f'<li class="{"pv-sub" if ch.sub else ""}"><a href="?chapter={n}"'
        f'{" aria-current=page" if n == number else ""}>{escape(ch.title)}</a></li>'
        for n, ch in enumerate(found, start=1))
    links = [f'<a rel="prev" href="?chapter={number - 1}">Previous</a>' if number > 1 else "",
             f'<a rel="next" href="?chapter={number + 1}">Next</a>' if number < len(found)
             else ""]
    content = pointer(cat, unit)(chapter.content)
    body = (f'<div class="pv-book"><nav class="pv-toc" aria-label="Table of contents"><ol>{toc}'
            f'</ol></nav><article><h2 class="pv-chapter">{escape(chapter.title)}</h2>'
            f'{content}<p class="pv-pager">{" ".join(x for x in links if x)}</p></article></div>')
    return frame(snap, unit.title, body, unit=unit, active="book")


def glossary(snap: Snapshot, unit: Unit | None) -> str:
    """A glossary as Moodle lists it: entries in alphabetical order, each with its aliases and
    categories; the unit's own, or the course's."""
    cat = snap.catalogue
    assert cat is not None
    entries = unit_entries(cat, unit) if unit else course_entries(cat)
    present = {term.id for term, _ in entries}
    pointed = pointer(cat, None)
    rows = []
    for term, categories in sorted(entries, key=lambda e: (e[0].term.casefold(), e[0].id)):
        definition = pointed(definition_html(term, cat, present))
        extra = [f"Also called: {escape(', '.join(term.aliases))}" if term.aliases else "",
                 f"Categories: {escape(', '.join(categories))}" if categories else ""]
        rows.append(f'<div class="pv-entry" id="term-{escape(term.id)}"><h3>'
                    f"{escape(term.term)}</h3>{definition}"
                    + "".join(f'<p class="pv-muted">{x}</p>' for x in extra if x) + "</div>")
    title = activity_names(cat, unit)["glossary"] if unit else cat.glossary_title
    body = f"<h1>{escape(title)}</h1>\n{''.join(rows)}\n"
    return frame(snap, title, body, unit=unit, active="glossary")
