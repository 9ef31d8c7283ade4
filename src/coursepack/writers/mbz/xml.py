"""XML as Moodle's backup xml_writer writes it: 2-space indent, `$@NULL@$`, no CDATA."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NULL = "$@NULL@$"
HEADER = '<?xml version="1.0" encoding="UTF-8"?>'
# core_text::trim_ctrl_chars: every C0 control except tab and newline, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

Value = str | int | None


@dataclass(frozen=True)
class E:
    """One element: a leaf with a value, or a container of elements (possibly empty)."""

    tag: str
    body: Value | list[E] = None
    attrs: dict[str, str | int] = field(default_factory=dict)


def text(value: str) -> str:
    """Element text as xml_safe_text_content(): control characters out, then & < > escaped."""
    clean = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: str | int) -> str:
    """Attribute text as xml_safe_attr_content() (ENT_COMPAT: double quotes escaped too)."""
    return text(str(value)).replace('"', "&quot;")


def fields(**values: Value) -> list[E]:
    """Leaf elements in the order given."""
    return [E(name, value) for name, value in values.items()]


def node(tag: str, children: list[E], **attrs: str | int) -> E:
    """A container element."""
    return E(tag, children, dict(attrs))


def dec(value: float, places: int) -> str:
    """A number with a fixed count of decimals, as Moodle's DECIMAL columns come out."""
    return f"{value:.{places}f}"


def flag(value: bool) -> int:
    """A boolean as Moodle stores it."""
    return 1 if value else 0


def _lines(element: E, depth: int) -> list[str]:
    pad = "  " * depth
    attrs = "".join(f' {k}="{attr(v)}"' for k, v in element.attrs.items())
    body = element.body
    if isinstance(body, list):
        inner = [line for child in body for line in _lines(child, depth + 1)]
        return [f"{pad}<{element.tag}{attrs}>", *inner, f"{pad}</{element.tag}>"]
    value = NULL if body is None else text(str(body))
    return [f"{pad}<{element.tag}{attrs}>{value}</{element.tag}>"]


def document(root: E) -> bytes:
    """A whole XML file as Moodle writes it."""
    return "\n".join([HEADER, *_lines(root, 0)]).encode("utf-8")
