"""Read Moodle XML question files into comparable dictionaries (lxml only)."""

from __future__ import annotations

from typing import Any

from lxml import etree


def _value(el: etree._Element) -> Any:
    children = list(el)
    if not children:
        return (el.text or "").strip()
    out: dict[str, Any] = {f"@{k}": v for k, v in sorted(el.attrib.items())}
    for child in children:
        if not isinstance(child.tag, str):
            continue
        out.setdefault(child.tag, []).append(_value(child))
    return out


def questions(xml: str | bytes) -> dict[str, dict[str, Any]]:
    """Questions by idnumber (categories by their path, prefixed 'category:')."""
    data = xml.encode() if isinstance(xml, str) else xml
    root = etree.fromstring(data, etree.XMLParser(remove_comments=True, strip_cdata=True))
    found: dict[str, dict[str, Any]] = {}
    for q in root.iterfind("question"):
        value = _value(q)
        if q.get("type") == "category":
            found["category:" + value["category"][0]["text"][0]] = value
        else:
            found[value["idnumber"][0]] = value
    return found


def missing(ours: Any, theirs: Any, where: str = "") -> list[str]:
    """Every value in `ours` that `theirs` lacks or holds differently (lists compared in order)."""
    if isinstance(ours, dict):
        if not isinstance(theirs, dict):
            return [f"{where}: {theirs!r} is not an element"]
        return [problem for key, value in ours.items()
                for problem in missing(value, theirs.get(key), f"{where}/{key}")]
    if isinstance(ours, list):
        if not isinstance(theirs, list) or len(theirs) != len(ours):
            return [f"{where}: {len(ours)} item(s) written, {theirs and len(theirs)} came back"]
        return [problem for n, (a, b) in enumerate(zip(ours, theirs, strict=True))
                for problem in missing(a, b, f"{where}[{n}]")]
    return [] if ours == theirs else [f"{where}: wrote {ours!r}, Moodle has {theirs!r}"]
