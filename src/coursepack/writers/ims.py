"""What IMS content packages share: the manifest skeleton, LOM metadata, resources, identifiers."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from lxml import etree

from ..markup import to_plain
from ..model import Catalogue, Unit

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/LOM"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"


@dataclass(frozen=True)
class Binding:
    """One flavour of manifest: its namespaces, metadata schema and metadata writer."""

    ns: str
    nsmap: dict[str | None, str]
    schema: str
    schemaversion: str
    locations: str
    metadata: Callable[[etree._Element, Catalogue, Unit], None]


@dataclass(frozen=True)
class Skeleton:
    """A manifest under construction, with the SCO's item and resource to finish."""

    root: etree._Element
    item: etree._Element
    resource: etree._Element


def identifier(prefix: str, *parts: str) -> str:
    """An XML ID from authored ids: stable, and valid as xs:ID (starts with a letter)."""
    text = "-".join(parts)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in text)
    return f"{prefix}-{safe}"


def content_version(files: dict[str, bytes]) -> str:
    """A short hash of the package content, used as the manifest version."""
    digest = hashlib.sha1()
    for name, data in files.items():
        digest.update(name.encode() + b"\0" + hashlib.sha1(data).digest())
    return digest.hexdigest()[:12]


def keywords(catalogue: Catalogue, unit: Unit) -> list[str]:
    """Keywords for package metadata: the subject, the awarding body and the unit's key terms."""
    words = [unit.subject_area, *([unit.awarding_body] if unit.awarding_body else [])]
    words += [catalogue.term(t).term for t in unit.key_terms]
    return list(dict.fromkeys(words))


def shown_title(title: str) -> str | etree.CDATA:
    """An organization or item title that Moodle shows as written.

    Moodle prints the IMS CP item title and the SCORM organization title as HTML, so a title with
    & < or > goes as escaped HTML; and in CDATA, because Moodle's SCORM parser loses the spaces
    between XML entities. A title without them stays plain text, as every LMS reads it.
    """
    if not any(c in title for c in "&<>"):
        return title
    return etree.CDATA(html.escape(title, quote=False))


def sub(parent: etree._Element, tag: str, text: str | None = None,
        **attrib: str) -> etree._Element:
    """Append a child element with optional text and attributes."""
    child = etree.SubElement(parent, tag, attrib)
    if text is not None:
        child.text = text
    return child


def _general(parent: etree._Element, catalogue: Catalogue, unit: Unit, ns: str,
             string: Callable[[etree._Element, str], None]) -> None:
    general = sub(sub(parent, f"{{{ns}}}lom"), f"{{{ns}}}general")
    string(sub(general, f"{{{ns}}}title"), unit.title)
    sub(general, f"{{{ns}}}language", catalogue.language)
    string(sub(general, f"{{{ns}}}description"), to_plain(unit.synopsis))
    for word in keywords(catalogue, unit):
        string(sub(general, f"{{{ns}}}keyword"), word)


def lom(parent: etree._Element, catalogue: Catalogue, unit: Unit) -> None:
    """IEEE LOM (strict binding): title, language, description and keywords."""
    def string(element: etree._Element, text: str) -> None:
        sub(element, f"{{{LOM}}}string", text, language=catalogue.language)

    _general(parent, catalogue, unit, LOM, string)


def imsmd(parent: etree._Element, catalogue: Catalogue, unit: Unit) -> None:
    """IMS Metadata 1.2.1 (SCORM 1.2's LOM binding): title, language, description, keywords."""
    def langstring(element: etree._Element, text: str) -> None:
        sub(element, f"{{{IMSMD}}}langstring", text, **{XML_LANG: catalogue.language})

    _general(parent, catalogue, unit, IMSMD, langstring)


def skeleton(binding: Binding, catalogue: Catalogue, unit: Unit, version: str) -> Skeleton:
    """Manifest, metadata, one organization with the unit's item, one webcontent resource."""
    ns = binding.ns
    root = etree.Element(f"{{{ns}}}manifest", nsmap=binding.nsmap)  # type: ignore[arg-type]
    root.set("identifier", identifier("MANIFEST", unit.id))
    root.set("version", version)
    root.set(f"{{{XSI}}}schemaLocation", binding.locations)
    meta = sub(root, f"{{{ns}}}metadata")
    sub(meta, f"{{{ns}}}schema", binding.schema)
    sub(meta, f"{{{ns}}}schemaversion", binding.schemaversion)
    binding.metadata(meta, catalogue, unit)
    orgs = sub(root, f"{{{ns}}}organizations", default=identifier("ORG", unit.id))
    org = sub(orgs, f"{{{ns}}}organization", identifier=identifier("ORG", unit.id))
    sub(org, f"{{{ns}}}title").text = shown_title(unit.title)
    item = sub(org, f"{{{ns}}}item", identifier=identifier("ITEM", unit.id),
               identifierref=identifier("RES", unit.id))
    sub(item, f"{{{ns}}}title").text = shown_title(unit.title)
    resources = sub(root, f"{{{ns}}}resources")
    resource = sub(resources, f"{{{ns}}}resource", identifier=identifier("RES", unit.id),
                   type="webcontent", href="index.html")
    return Skeleton(root, item, resource)


def finish(skel: Skeleton, ns: str, names: list[str]) -> bytes:
    """List every file of the package in the resource; serialise with an XML declaration."""
    for name in names:  # an href is a URI: a space or an accented letter is %-escaped
        etree.SubElement(skel.resource, f"{{{ns}}}file", href=quote(name))
    return etree.tostring(skel.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
