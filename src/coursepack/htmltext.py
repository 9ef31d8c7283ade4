"""Texts written as HTML (`{html: ...}` in a question or glossary file): their rules, images,
links and words.

Markdown is the way to write text; a question or glossary text may instead be written as HTML,
as imported banks hold it, to keep what Markdown cannot express (a table's merged cells, colours,
underlining). It is carried as written, so what could run or load in a learner's browser is
refused: scripts, frames, embedded objects, forms, event handlers, addresses with a scheme other
than http, https or mailto.
"""

from __future__ import annotations

import html
import re
from functools import cache
from html.parser import HTMLParser
from typing import Any

from .markup import safe_link
from .model import Html

# Elements that run code, load other pages or take input: never in a text.
UNSAFE_TAGS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "select", "textarea", "option", "base", "link", "meta", "noscript",
    "template", "svg", "math", "portal", "dialog"})
# Attributes whose value is an address (checked for its scheme) or that embed a document.
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "background", "cite", "longdesc", "data",
                            "xlink:href", "srcset"})
UNSAFE_ATTRIBUTES = frozenset({"srcdoc", "formaction", "action"})
_BLOCKS = frozenset({"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
                     "ol", "table", "blockquote", "pre", "hr", "dt", "dd", "td", "th"})


class _Scan(HTMLParser):
    """One pass over a text: its problems, images and links, and its words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[str, str]] = []
        self.refs: list[tuple[bool, str, str, str]] = []  # image, address, alt, title
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in UNSAFE_TAGS:
            self.problems.append((f"HTML <{tag}> is not allowed in a text: it could run code or "
                                  "load another page in the learner's browser", "unsafe-html"))
        for name, value in attrs:
            if name.startswith("on") or name in UNSAFE_ATTRIBUTES:
                self.problems.append((f"HTML attribute {name}= is not allowed in a text: it "
                                      "could run code in the learner's browser", "unsafe-html"))
            elif name in URL_ATTRIBUTES and value is not None and \
                    not safe_link(html.unescape(value).replace("\x00", "")):
                shown = value if len(value) <= 40 else value[:39] + "…"
                self.problems.append((f"link to '{shown}': only http, https, mailto and "
                                      "relative addresses are allowed", "unsafe-link"))
            elif name == "style" and value and re.search(r"expression|javascript:|url\(",
                                                          value, re.I):
                self.problems.append(("HTML style= with expression(), url() or javascript: "
                                      "is not allowed in a text", "unsafe-html"))
        if tag == "img" and found.get("src"):
            alt = found.get("alt")
            # alt="" marks an image as decorative (HTML's own way)
            self.refs.append((True, found["src"] or "", alt or "",
                              "decorative" if alt == "" else found.get("title") or ""))
        elif tag == "a" and found.get("href"):
            self.refs.append((False, found["href"] or "", "", ""))
        if tag in _BLOCKS:
            self.words.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.words.append(" ")

    def handle_data(self, data: str) -> None:
        self.words.append(data)


@cache
def _scan(text: str) -> _Scan:
    scan = _Scan()
    scan.feed(text)
    scan.close()
    return scan


def problems(text: str) -> list[tuple[str, str]]:
    """What an HTML text may not hold, each as (message, code)."""
    return list(_scan(str(text)).problems)


def links(text: str) -> list[tuple[bool, str, str, str]]:
    """The images (address, alt, title) and links of an HTML text, in order."""
    return list(_scan(str(text)).refs)


def plain(text: Html) -> str:
    """The words a reader sees, whitespace folded."""
    return " ".join("".join(_scan(str(text)).words).split())


def given(value: Any) -> Any:
    """A text as the model holds it: a source's `{html: ...}` becomes Html, the rest is kept."""
    if type(value) is dict and len(value) == 1 and "html" in value:
        return Html(str(value["html"]).strip())
    return value
