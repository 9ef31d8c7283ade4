"""The images and links of a text, and which of them name files in the source tree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..markup import may_link, permissive_parser
from ..model import Html

if TYPE_CHECKING:
    from markdown_it.token import Token

DECORATIVE = "decorative"  # the title that marks an image with no alt text as decorative
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass(frozen=True)
class Ref:
    """An image (`![alt](target "title")`) or a link (`[text](target)`) in a text."""

    image: bool
    target: str  # the address as written (as Markdown keeps it: %-escaped where it must be)
    alt: str = ""
    title: str = ""

    @property
    def shown(self) -> str:
        """The address as people read it, %-escapes decoded."""
        return unquote(self.target)

    @property
    def scheme(self) -> str:
        """The address's scheme, lower case ('' for a relative address)."""
        found = _SCHEME.match(self.target)
        return found.group(1).lower() if found else ""

    @property
    def path(self) -> str | None:
        """The file a relative address names (without `#fragment` or `?query`), or None when
        the address is not a file's: it has a scheme, or is only a fragment."""
        if self.scheme or self.target.startswith(("#", "?")):
            return None
        return unquote(re.split(r"[#?]", self.target, maxsplit=1)[0]) or None

    @property
    def remote(self) -> bool:
        """True for an image fetched from the web when shown."""
        return self.image and self.scheme in ("http", "https")

    @property
    def decorative(self) -> bool:
        """True for an image marked as decorative: no alt text, and the title `decorative`."""
        return self.image and not self.alt.strip() and self.title.strip() == DECORATIVE


def refs(text: str) -> tuple[Ref, ...]:
    """Every image and link of a Markdown (or HTML) text, in order."""
    if isinstance(text, Html):
        from ..htmltext import links

        return tuple(Ref(*found) for found in links(text))
    return _refs(text)


@cache  # by the text alone: an Html equal to it never gets here
def _refs(text: str) -> tuple[Ref, ...]:
    if not may_link(text):
        return ()
    found: list[Ref] = []
    for block in permissive_parser().parse(text):
        _collect(block.children or [], found)
    return tuple(found)


def _collect(tokens: list[Token], found: list[Ref]) -> None:
    for token in tokens:
        if token.type == "image":
            found.append(Ref(True, str(token.attrGet("src") or ""), token.content,
                             str(token.attrGet("title") or "")))
            _collect(token.children or [], found)  # a link inside the alt text
        elif token.type == "link_open":
            found.append(Ref(False, str(token.attrGet("href") or "")))
