"""Moodle's HTML texts as source texts: Markdown when it renders back to exactly that HTML,
else the HTML itself, cleaned of what could run in a browser.

Markdown is what people write and read in the source, so an imported text becomes Markdown
whenever that loses nothing: the candidate is rendered as every writer renders Markdown
(markup.to_html) and kept only when the result is the HTML Moodle held, character for
character. Anything else (a table's merged cells, underlining, colour, Moodle's own markup) is
kept as `{html: ...}`, with scripts, frames, objects, forms and event handlers removed (each
removal reported).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from ..htmltext import UNSAFE_TAGS, problems
from ..markup import to_html

_INLINE = {"strong": "**", "b": "**", "em": "*", "i": "*"}
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")
_LIST_START = re.compile(r"^(\s*)([-+*]|\d+[.)])(\s)", re.M)


def source_text(moodle_html: str) -> str | dict[str, str]:
    """The source value of one of Moodle's HTML texts (see the module's docstring)."""
    text = moodle_html.strip()
    for candidate in _candidates(text):
        if candidate and _same(to_html(candidate), text):
            return candidate
    return {"html": text}


# White space between blocks, which no browser shows: after a block's end, before a block's
# start, and inside a list or table before its items.
_BLOCK = r"(?:p|ul|ol|li|h[1-6]|table|thead|tbody|tr|td|th|blockquote|pre|hr|div)"
_BETWEEN = re.compile(rf"(</{_BLOCK}>|<(?:ul|ol|table|thead|tbody|tr)>)\s+|\s+(?=<{_BLOCK}[\s>])")


def _same(rendered: str, held: str) -> bool:
    """True when two HTML texts differ at most in white space between blocks."""
    return rendered == held or _BETWEEN.sub(r"\1", rendered) == _BETWEEN.sub(r"\1", held)


def plain_text(value: str) -> str | dict[str, str]:
    """The source value of a text Moodle holds as plain text (its plain or auto format): Markdown
    that shows these words, Markdown's own characters escaped; HTML showing it exactly when
    Markdown cannot (line breaks within a paragraph)."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value.strip()) if p.strip()]
    if all("\n" not in p for p in paragraphs):
        escaped = "\n\n".join(_SPECIAL.sub(r"\\\1", p) for p in paragraphs)
        if escaped and to_html(escaped) == _paragraphs_html(paragraphs):
            return escaped
    return {"html": _paragraphs_html(paragraphs)}


def _paragraphs_html(paragraphs: list[str]) -> str:
    """HTML that shows plain paragraphs exactly (a line break within one as <br>)."""
    return "\n".join("<p>" + html.escape(p, quote=False).replace("\n", "<br>\n") + "</p>"
                     for p in paragraphs)


def _candidates(text: str) -> list[str]:
    """Markdown that may render as `text`: plainly converted, then with every character that
    Markdown could take for markup escaped."""
    converted = _Markdown.convert(text)
    if converted is None:
        return []
    plain, escaped = converted
    return [plain, escaped] if plain != escaped else [plain]


class _Markdown(HTMLParser):
    """HTML of Markdown's kind (paragraphs, lists, emphasis, code, links, images, headings) as
    Markdown; anything else stops the conversion."""

    def __init__(self, escape: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.escape = escape
        self.out: list[str] = []
        self.lists: list[list[Any]] = []  # [ordered, next number]
        self.link: list[str] = []
        self.failed = False

    @classmethod
    def convert(cls, text: str) -> tuple[str, str] | None:
        found = []
        for escape in (False, True):
            parser = cls(escape)
            parser.feed(text)
            parser.close()
            if parser.failed:
                return None
            found.append(parser.result())
        return found[0], found[1]

    def result(self) -> str:
        text = "".join(self.out).strip("\n")
        return re.sub(r"\n{3,}", "\n\n", text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "p" and not attrs:
            self.out.append("" if self.lists else "\n\n")
        elif tag in _INLINE and not attrs:
            self.out.append(_INLINE[tag])
        elif tag == "code" and not attrs:
            self.out.append("`")
        elif tag == "br" and not attrs:
            self.out.append("\\")  # the line break follows as data
        elif tag in ("ul", "ol") and not attrs:
            self.lists.append([tag == "ol", 1])
            self.out.append("\n\n" if len(self.lists) == 1 else "\n")
        elif tag == "li" and not attrs and self.lists:
            ordered, number = self.lists[-1]
            self.lists[-1][1] += 1
            indent = "   " * (len(self.lists) - 1)
            self.out.append(f"{indent}{number}. " if ordered else f"{indent}- ")
        elif tag == "a" and set(found) <= {"href", "title"} and found.get("href") is not None:
            self.link.append(_address(found["href"] or "", found.get("title")))
            self.out.append("[")
        elif tag == "img" and set(found) <= {"src", "alt", "title"} and found.get("src"):
            # an image with empty alt text is decorative: marked so, Markdown renders it so
            title = f' "{found["title"]}"' if found.get("title") else \
                ' "decorative"' if not found.get("alt") else ""
            self.out.append(f"![{found.get('alt') or ''}]({_target(found['src'] or '')}{title})")
        elif re.fullmatch(r"h[1-6]", tag) and not attrs:
            self.out.append("\n\n" + "#" * max(1, int(tag[1]) - 3) + " ")
        else:  # what Markdown cannot write: the text stays HTML
            self.failed = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.out.append("\n" if self.lists else "\n\n")
        elif tag in _INLINE:
            self.out.append(_INLINE[tag])
        elif tag == "code":
            self.out.append("`")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.out.append("\n\n" if not self.lists else "")
        elif tag == "li":
            if not "".join(self.out).endswith("\n"):
                self.out.append("\n")
        elif tag == "a" and self.link:
            self.out.append(f"]({self.link.pop()})")
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        last = self.out[-1] if self.out else ""
        if not data.strip() and ("\n" in data or not last.strip(" ") or last.endswith("\n")):
            return  # white space between blocks: the blocks' own breaks stand for it
        if self.escape:
            data = _SPECIAL.sub(r"\\\1", data)
            # a list marker's last character escaped: "\-", "\+", "1\.", "1\)"
            data = _LIST_START.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\"
                                             f"{m.group(2)[-1]}{m.group(3)}", data)
        self.out.append(data)


def _address(href: str, title: str | None) -> str:
    target = _target(href)
    return f'{target} "{title}"' if title else target


def _target(url: str) -> str:
    """An address as Markdown writes it: in <...> when it holds a space or parentheses."""
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def cleaned(text: str) -> tuple[str, list[str]]:
    """HTML without what could run or load in a browser, and what was removed (each problem's
    message); the text as it was when nothing is."""
    found = [message for message, _ in problems(text)]
    if not found:
        return text, []
    import nh3

    tags = set(nh3.ALLOWED_TAGS) | {"u", "s", "sub", "sup", "span", "div", "font", "center",
                                     "table", "thead", "tbody", "tfoot", "tr", "td", "th",
                                     "caption", "colgroup", "col", "figure", "figcaption"}
    attributes = {"*": {"class", "style", "title", "lang", "dir", "align", "width", "height",
                        "colspan", "rowspan", "border", "color"},
                  "a": {"href"}, "img": {"src", "alt"}}
    clean = nh3.clean(text, tags=tags - set(UNSAFE_TAGS), attributes=attributes,
                      url_schemes={"http", "https", "mailto"}, link_rel=None)
    return clean, found
