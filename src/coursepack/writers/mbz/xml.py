"""XML as Moodle's backup xml_writer writes it: 2-space indent, `$@NULL@$`, no CDATA."""

from __future__ import annotations

import re
from typing import NamedTuple

NULL = "$@NULL@$"
HEADER = '<?xml version="1.0" encoding="UTF-8"?>'
# core_text::trim_ctrl_chars: every C0 control except tab and newline, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPECIAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f&<>]")  # anything text() would change

Value = str | int | None


class E(NamedTuple):
    """One element: a leaf with a value, or a container of elements (possibly empty)."""

    tag: str
    body: Value | list[E] = None
    attrs: dict[str, str | int] | None = None


def text(value: str) -> str:
    """Element text as xml_safe_text_content(): control characters out, then & < > escaped."""
    if not _SPECIAL.search(value):
        return value
    clean = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: str | int) -> str:
    """Attribute text as xml_safe_attr_content() (ENT_COMPAT: double quotes escaped too)."""
    return text(str(value)).replace('"', "&quot;")


_new = tuple.__new__  # builds an E without NamedTuple's slower keyword-aware __new__


def fields(**values: Value) -> list[E]:
    """Leaf elements in the order given."""
    return [_new(E, (name, value, None)) for name, value in values.items()]


def node(tag: str, children: list[E], **attrs: str | int) -> E:
    """A container element."""
    return _new(E, (tag, children, attrs or None))


def dec(value: float, places: int) -> str:
    """A number with a fixed count of decimals, as Moodle's DECIMAL columns come out."""
    return f"{value:.{places}f}"


def flag(value: bool) -> int:
    """A boolean as Moodle stores it."""
    return 1 if value else 0


_PADS = tuple("  " * depth for depth in range(64))


def _value(body: Value) -> str:
    """A leaf's text: NULL for None, a number as written, else text()."""
    if body is None:
        return NULL
    if type(body) is str:
        return body if not _SPECIAL.search(body) else text(body)
    return str(body)


def _lines(element: E, depth: int, out: list[str]) -> None:
    """Append the element's lines to `out` (one list for the whole document); the hot path of
    every backup, so a container writes its plain leaves itself."""
    tag, body, attrs = element
    pad = _PADS[depth] if depth < len(_PADS) else "  " * depth
    opened = f"{pad}<{tag}{_attrs(attrs)}>" if attrs else f"{pad}<{tag}>"
    if type(body) is not list:
        out.append(f"{opened}{_value(body)}</{tag}>")  # type: ignore[arg-type]
        return
    out.append(opened)
    inner = _PADS[depth + 1] if depth + 1 < len(_PADS) else "  " * (depth + 1)
    for child in body:
        if child.attrs or type(child.body) is list:
            _lines(child, depth + 1, out)
        else:
            out.append(f"{inner}<{child.tag}>{_value(child.body)}</{child.tag}>")
    out.append(f"{pad}</{tag}>")


def _attrs(attrs: dict[str, str | int]) -> str:
    return "".join(f' {k}="{attr(v)}"' for k, v in attrs.items())


def document(root: E) -> bytes:
    """A whole XML file as Moodle writes it."""
    out = [HEADER]
    _lines(root, 0, out)
    return "\n".join(out).encode("utf-8")


SLOT = "slot"  # a placeholder element: where the parts of other tasks go in a document


def slot(name: str) -> E:
    """A placeholder for `name`'s fragments (see `pieces`)."""
    return _new(E, (SLOT, name, None))


def fragment(elements: list[E], depth: int) -> bytes:
    """Elements at `depth` of a document, each line led by a newline: fragments joined in
    order, between the pieces of `pieces`, make the whole document."""
    out: list[str] = []
    for element in elements:
        _lines(element, depth, out)
    return "".join("\n" + line for line in out).encode("utf-8")


def pieces(root: E) -> list[bytes | str]:
    """A document cut at its slots: text (bytes) and, in between, the slots' names (str)."""
    out = [HEADER]
    _lines(root, 0, out)
    found: list[bytes | str] = []
    text: list[str] = []
    for line in out:
        if line.lstrip().startswith(f"<{SLOT}>"):
            found.append("\n".join(text).encode("utf-8") if not found else
                         "".join("\n" + t for t in text).encode("utf-8"))
            found.append(line.strip()[len(SLOT) + 2:-len(SLOT) - 3])
            text = []
        else:
            text.append(line)
    found.append("".join("\n" + t for t in text).encode("utf-8") if found else
                 "\n".join(text).encode("utf-8"))
    return found
