"""Point the images and links of rendered HTML at the files a format carries.

A writer renders a text (markup.to_html), then hands the HTML here with the folder the text was
written in and how it names a carried file: `@@PLUGINFILE@@/name` in Moodle's files, a path
inside a package. Addresses that name no media file are left as they are.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Mapping
from urllib.parse import quote, unquote

from ..model import MediaFile

# An image's or a link's address, wherever the attribute stands in the tag and whichever quote
# it is in (Markdown renders `<img src="` and `<a href="`; a text written as HTML may differ).
_ADDRESS = re.compile(r"""(<(?:img|a)\b[^>]*?\s(?:src|href)\s*=\s*)(["'])(.*?)\2""", re.S)


def resolve(base: str, target: str) -> str | None:
    """The path inside the source folder that `target` (an address as rendered, %-escaped, in
    a text written in folder `base`) names, or None when it names no file there."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith(("#", "?", "/")):
        return None
    path = unquote(re.split(r"[#?]", target, maxsplit=1)[0])
    joined = posixpath.normpath(posixpath.join(base, path)) if path else ""
    return None if not joined or joined == ".." or joined.startswith("../") else joined


def point(rendered: str, base: str, files: Mapping[str, MediaFile],
          address: Callable[[MediaFile], str]) -> tuple[str, list[MediaFile]]:
    """`rendered` with each address that names one of `files` replaced by `address(file)` (its
    #fragment kept), and the files so named, each once, in order of first use."""
    if "<img " not in rendered and "<a " not in rendered:
        return rendered, []
    used: dict[str, MediaFile] = {}

    def swap(found: re.Match[str]) -> str:
        target = html.unescape(found.group(3))
        path = resolve(base, target)
        file = files.get(path) if path else None
        if file is None:
            return found.group(0)
        used.setdefault(file.path, file)
        fragment = target[target.index("#"):] if "#" in target else ""
        quote_mark = found.group(2)
        return found.group(1) + quote_mark + html.escape(address(file) + fragment) + quote_mark

    return _ADDRESS.sub(swap, rendered), list(used.values())


def names(files: list[MediaFile]) -> dict[str, str]:
    """A name for each file in one Moodle file area, by path: files of the same content share
    one; a file keeps its own name unless another content of that name is there, when the
    start of its digest tells them apart ("sign-3fa2c1d0.png"), longer if that is taken too."""
    by_content: dict[str, str] = {}
    contents: dict[str, set[str]] = {}
    for file in files:
        contents.setdefault(file.name, set()).add(file.sha256)
    taken = {name for name, digests in contents.items() if len(digests) == 1}
    for file in files:
        if file.sha256 in by_content:
            continue
        name = file.name
        if len(contents[file.name]) > 1:
            stem, dot, ext = file.name.rpartition(".")
            for size in (8, 16, 64):
                mark = file.sha256[:size]
                name = f"{stem}-{mark}.{ext}" if dot else f"{file.name}-{mark}"
                if name not in taken:
                    break
        taken.add(name)
        by_content[file.sha256] = name
    return {file.path: by_content[file.sha256] for file in files}


_IMAGE = re.compile(r"<img\b[^>]*>")
_LINK = re.compile(r"(<a\b[^>]*>)(.*?)</a>", re.S)


def _attribute(tag: str, name: str) -> str | None:
    found = re.search(rf"""\s{name}\s*=\s*(["'])(.*?)\1""", tag, re.S)
    return found.group(2) if found else None


def unlink(rendered: str, base: str, files: Mapping[str, MediaFile]) -> str:
    """`rendered` with each image of one of `files` replaced by its alt text, and each link to
    one by its words."""
    def named(address: str | None) -> bool:
        path = resolve(base, html.unescape(address)) if address is not None else None
        return path is not None and path in files

    out = _IMAGE.sub(lambda m: (_attribute(m.group(0), "alt") or "")
                     if named(_attribute(m.group(0), "src")) else m.group(0), rendered)
    return _LINK.sub(lambda m: m.group(2) if named(_attribute(m.group(1), "href"))
                     else m.group(0), out)


def plugin_url(name: str) -> str:
    """How a text in Moodle names a file of its own area."""
    return "@@PLUGINFILE@@/" + quote(name)
