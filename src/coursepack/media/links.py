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

_ADDRESS = re.compile(r'(<img src="|<a href=")([^"]*)(")')


def resolve(base: str, target: str) -> str | None:
    """The path inside the source folder that `target` (as written in a text in folder `base`)
    names, or None when it names no file there."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith(("#", "?", "/")):
        return None
    path = re.split(r"[#?]", target, maxsplit=1)[0]
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
        target = unquote(html.unescape(found.group(2)))
        path = resolve(base, target)
        file = files.get(path) if path else None
        if file is None:
            return found.group(0)
        used.setdefault(file.path, file)
        fragment = target[target.index("#"):] if "#" in target else ""
        return found.group(1) + html.escape(address(file) + fragment) + found.group(3)

    return _ADDRESS.sub(swap, rendered), list(used.values())


def names(files: list[MediaFile]) -> dict[str, str]:
    """A name for each file in one Moodle file area, by path: its own name, or, when two files
    of one name meet there, the name with the start of its digest ("sign-3fa2c1d0.png")."""
    taken: dict[str, int] = {}
    for file in files:
        taken[file.name] = taken.get(file.name, 0) + 1
    out = {}
    for file in files:
        stem, dot, ext = file.name.rpartition(".")
        out[file.path] = file.name if taken[file.name] == 1 else (
            f"{stem}-{file.sha256[:8]}.{ext}" if dot else f"{file.name}-{file.sha256[:8]}")
    return out


def plugin_url(name: str) -> str:
    """How a text in Moodle names a file of its own area."""
    return "@@PLUGINFILE@@/" + quote(name)
