"""Markdown to HTML for every writer: CommonMark plus tables, raw HTML off, safe links only.

Links and images may use http, https, mailto or a relative address; anything else stays text.

Rendering is pure, so results are cached: every writer renders the same texts.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import TYPE_CHECKING

from .model import Html

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_MAY_LINK = re.compile(r"\]\s*\(|\]\s*\[|^\s*\[[^\]]*\]:|<[A-Za-z][A-Za-z0-9+.-]*:", re.M)


# What a browser's URL parser drops before it reads a scheme: every ASCII tab and line break,
# and control characters and spaces in front ("java\tscript:" is a javascript: address).
_URL_IGNORED = re.compile(r"[\t\n\r]|^[\x00-\x20]+")


def safe_link(url: str) -> bool:
    """True for an address with a safe scheme (http, https, mailto) or none (relative), read as
    a browser reads it."""
    found = _SCHEME.match(_URL_IGNORED.sub("", url))
    return found is None or found.group(1).lower() in SAFE_SCHEMES


def _make(validate: bool) -> MarkdownIt:
    """The renderer (unsafe addresses are not links), or the checker's parser (every address is
    a link, so unsafe ones can be found). markdown-it is imported here, when a text needs it."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = safe_link if validate else _any_link  # type: ignore[method-assign]
    md.enable("table")
    md.enable("strikethrough")
    return md


def _any_link(url: str) -> bool:
    return True


@cache
def _parser() -> MarkdownIt:
    return _make(validate=True)


@cache
def _permissive() -> MarkdownIt:
    return _make(validate=False)


def permissive_parser() -> MarkdownIt:
    """The checker's parser: every address makes a link or an image, safe or not."""
    return _permissive()


def may_link(text: str) -> bool:
    """False when Markdown `text` surely holds no link or image (a quick test before parsing)."""
    return _MAY_LINK.search(text) is not None


def unsafe_links(text: str) -> tuple[str, ...]:
    """The link and image addresses in Markdown `text` that are not safe (they render as text);
    none in HTML (htmltext.problems finds its own)."""
    return () if isinstance(text, Html) else _unsafe_links(text)


@cache
def _unsafe_links(text: str) -> tuple[str, ...]:
    if not may_link(text):
        return ()
    found: list[str] = []
    for block in _permissive().parse(text):
        for token in block.children or ():
            url = token.attrGet("href") or token.attrGet("src")
            if isinstance(url, str) and not safe_link(url):
                found.append(url)
    return tuple(found)


# An image marked decorative (`![](x.png "decorative")`): shown with empty alt text, untitled.
DECORATIVE_IMAGE = ' alt="" title="decorative"'
TOP_HEADING = 4  # Moodle's page, section and chapter titles take h2 and h3
# One line of words that Markdown leaves as it is: it starts with a letter or digit, holds no
# character that can open markup anywhere (emphasis, code, links, HTML, entities, escapes,
# headings, tables) and does not open an ordered list ("1. ", "2)").
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.;:?!'\"()/%+=-]*")
_LIST_START = re.compile(r"[0-9]{1,9}[.)](?: |$)")
# A line that opens with a strong label: `**Label:** then plain words`. The label starts with a
# letter or digit and ends with no space (so both `**` can open and close emphasis); what follows
# is a space and plain words, or nothing.
_WORD_CHARS = r"A-Za-z0-9,.;:?!'\"()/%+=-"  # what a plain line holds besides spaces
_LABELLED = re.compile(rf"\*\*([A-Za-z0-9](?:[ {_WORD_CHARS}]*[{_WORD_CHARS}])?)\*\*"
                       rf"((?: [A-Za-z0-9][ {_WORD_CHARS}]*)?)")


def _escaped(text: str) -> str:
    return html.escape(text, quote=True).replace("&#x27;", "'")


def _fast_html(text: str) -> str | None:
    """The HTML of a text the parser would read as paragraphs of plain lines, each perhaps led
    by a strong label, one blank line apart; None for anything else."""
    out = []
    for line in text.split("\n\n"):
        if line.endswith(" "):
            return None
        if _PLAIN.fullmatch(line) and not _LIST_START.match(line):
            out.append(f"<p>{_escaped(line)}</p>")
            continue
        found = _LABELLED.fullmatch(line)
        if found is None:
            return None
        label, rest = found.groups()
        out.append(f"<p><strong>{_escaped(label)}</strong>{_escaped(rest)}</p>")
    return "\n".join(out)


def to_html(text: str) -> str:
    """Render Markdown as block HTML (paragraphs, lists, tables), without a trailing newline;
    a text written as HTML (model.Html) is carried as written.

    Headings sit under Moodle's own: a text's top heading level becomes h4, the rest follow
    (at most h6), so `#`, `##` or `###` at the top of a text all read as a sub-heading.
    """
    return str(text) if isinstance(text, Html) else _rendered(text)


@cache  # by the text alone: an Html equal to it never gets here
def _rendered(text: str) -> str:
    fast = _fast_html(text)
    if fast is not None:
        return fast
    md = _parser()
    tokens = md.parse(text)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    if levels:
        shift = TOP_HEADING - min(levels)
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
    rendered = str(md.renderer.render(tokens, md.options, {})).strip()
    return rendered.replace(DECORATIVE_IMAGE, ' alt=""') if "<img " in rendered else rendered


def to_inline_html(text: str) -> str:
    """Render one line of Markdown as inline HTML (no paragraph element); HTML as written."""
    return str(text) if isinstance(text, Html) else _inline(text)


@cache
def _inline(text: str) -> str:
    return str(_parser().renderInline(text.strip()))


# What HTML would read as the start of a tag, and as an entity (Moodle strips or decodes them).
TAG_LIKE = re.compile(r"<(?=\S)")
ENTITY_LIKE = re.compile(r"&(?=#[0-9]+;|#[xX][0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)")


def plain_html(text: str) -> str:
    """Plain text as HTML that shows exactly these characters (& < > escaped)."""
    return html.escape(text, quote=False)


def to_plain(text: str) -> str:
    """Markdown (or HTML) as plain text: the words a reader sees, whitespace folded."""
    if isinstance(text, Html):
        from .htmltext import plain

        return plain(text)
    return _plain(text)


@cache
def _plain(text: str) -> str:
    rendered = re.sub(r"<[^>]+>", " ", to_html(text))
    return " ".join(html.unescape(rendered).split())
