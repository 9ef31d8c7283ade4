"""What makes an SVG file unsafe to show: scripts, event handlers, external references."""

from __future__ import annotations

import re

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
# Elements that run code or pull in other documents; any namespace.
_ACTIVE = {"script", "foreignObject", "iframe", "object", "embed", "handler", "listener", "use"}
# Animation that can set an attribute (an href, say) to anything while the image shows.
_ANIMATION = {"animate", "set", "animateMotion", "animateTransform", "animateColor", "discard"}
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)
_SAFE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp);base64,", re.I)
_CSS_SUSPECT = re.compile(r"\\|@import|image-set\(|expression\(|-moz-binding|behavior\s*:", re.I)


def problem(data: bytes) -> str | None:
    """Why an SVG file may not be shown, or None when it is safe (what the message says after
    the file's name)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_blank_text=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return f"is not well-formed XML ({exc.msg})"
    if str(getattr(root.getroottree().docinfo, "doctype", "")):
        return "declares a DOCTYPE (entities can pull in other files); remove it"
    if root.tag != f"{{{SVG_NS}}}svg":
        return f'is not an SVG image: its root must be <svg xmlns="{SVG_NS}">'
    for node in root.iter():
        found = _node_problem(node)
        if found:
            return found
    for sibling in _siblings(root):
        if isinstance(sibling, etree._ProcessingInstruction):
            return _instruction(sibling)
    return None


def _instruction(node: etree._ProcessingInstruction) -> str:
    return f"holds a processing instruction <?{node.target!s} ...?>; remove it"


def _siblings(root: etree._Element) -> list[etree._Element]:
    before = list(root.itersiblings(preceding=True))
    return [*before, *root.itersiblings()]


def _node_problem(node: etree._Element) -> str | None:
    if isinstance(node, etree._ProcessingInstruction):
        return _instruction(node)
    if not isinstance(node.tag, str):
        return None  # a comment
    name = etree.QName(node).localname
    if name == "use":
        return _href_problem(node, name) if _href(node) is not None else None
    if name in _ACTIVE:
        return f"holds a <{name}> element, which can run code or load other content"
    if name in _ANIMATION and "href" in str(node.get("attributeName", "")).lower():
        return f"holds <{name}> changing a link, which can load other content"
    for attr, value in node.attrib.items():
        local = etree.QName(attr).localname
        if local.lower().startswith("on"):
            return f"holds an event handler ({local} on <{name}>)"
        if local == "href":
            found = _href_problem(node, name)
            if found:
                return found
        elif (_external_style if local == "style" else _external_url)(str(value)):
            return f"refers to another file in its {local} attribute on <{name}>"
    if name == "style" and _external_style("".join(str(t) for t in node.itertext())):
        return "refers to another file in a <style> element"
    return None


def _href(node: etree._Element) -> str | None:
    for attr, value in node.attrib.items():
        if etree.QName(attr).localname == "href":
            return str(value)
    return None


def _href_problem(node: etree._Element, name: str) -> str | None:
    target = (_href(node) or "").strip()
    if target.startswith("#") or (name == "image" and _SAFE_DATA.match(target)):
        return None
    return f"refers to {target[:60]!r} from <{name}>; only #ids inside the file are allowed"


def _external_url(value: str) -> bool:
    """True for a presentation attribute (fill, mask, filter, cursor ...) naming a url() that
    is not an #id of the file."""
    return _EXTERNAL_URL.search(value) is not None


def _external_style(css: str) -> bool:
    """True for CSS that may load another file: url() not to an #id, @import, image-set(),
    or any escape (which can spell those out)."""
    return _CSS_SUSPECT.search(css) is not None or _EXTERNAL_URL.search(css) is not None
