"""Markdown to HTML for every writer: CommonMark plus tables, raw HTML off, safe links only.

Rendering is pure, so results are cached: every writer renders the same texts.
"""

from __future__ import annotations

import html
import re
from functools import cache

from markdown_it import MarkdownIt


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.enable("strikethrough")
    return md


@cache
def to_html(text: str) -> str:
    """Render Markdown as block HTML (paragraphs, lists, tables), without a trailing newline."""
    return str(_parser().render(text)).strip()


@cache
def to_inline_html(text: str) -> str:
    """Render one line of Markdown as inline HTML (no paragraph element)."""
    return str(_parser().renderInline(text.strip()))


@cache
def to_plain(text: str) -> str:
    """Markdown as plain text: the words a reader sees, whitespace folded."""
    rendered = re.sub(r"<[^>]+>", " ", to_html(text))
    return " ".join(html.unescape(rendered).split())
