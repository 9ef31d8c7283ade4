"""Validate manifests against the official XSDs, loaded from ../shared/reference-schemas."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import xmlschema
from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "reference-schemas"
W3C_XML = ("http://www.w3.org/2001/xml.xsd", "http://www.w3.org/2001/03/xml.xsd")


class _W3C(etree.Resolver):
    """Serve the W3C xml.xsd import from the local copy (no network)."""

    def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
        if url in W3C_XML:
            return self.resolve_filename(str(SCHEMAS / "scorm2004-4th" / "xml.xsd"), context)
        return None


def _driver(folder: Path, imports: dict[str, str]) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    parser.resolvers.add(_W3C())
    body = "".join(f'<xs:import namespace="{ns}" schemaLocation="{loc}"/>'
                   for ns, loc in imports.items())
    text = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{body}</xs:schema>'
    root = etree.fromstring(text.encode(), parser, base_url=str(folder / "driver.xsd"))
    return etree.XMLSchema(etree.ElementTree(root))


@cache
def scorm2004() -> etree.XMLSchema:
    """SCORM 2004 4th edition: IMS CP 1.1.4 with the ADL, IMSSS and LOM extensions (lxml)."""
    return _driver(SCHEMAS / "scorm2004-4th", {
        "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
        "http://ltsc.ieee.org/xsd/LOM": "lomStrict.xsd"})


@cache
def imscp() -> etree.XMLSchema:
    """Plain IMS CP 1.1.4 (the ims-cp-1.1.4 files) with LOM metadata (lxml)."""
    return _driver(SCHEMAS / "scorm2004-4th", {
        "http://www.imsglobal.org/xsd/imscp_v1p1": "../ims-cp-1.1.4/imscp_v1p1.xsd",
        "http://ltsc.ieee.org/xsd/LOM": "lomStrict.xsd"})


@cache
def scorm12() -> xmlschema.XMLSchemaBase:
    """SCORM 1.2 with inline IMS MD 1.2.1: xmlschema's XSD 1.1 engine, as the README advises
    (lxml cannot compile imsmd_rootv1p2p1.xsd, which breaks XSD 1.0's UPA rule)."""
    folder = SCHEMAS / "scorm12"
    driver = folder / "driver.xsd"
    text = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
            '<xs:import namespace="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
            f'schemaLocation="{folder / "imscp_rootv1p1p2.xsd"}"/>'
            '<xs:import namespace="http://www.adlnet.org/xsd/adlcp_rootv1p2" '
            f'schemaLocation="{folder / "adlcp_rootv1p2.xsd"}"/>'
            '<xs:import namespace="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1" '
            f'schemaLocation="{folder / "imsmd_rootv1p2p1.xsd"}"/></xs:schema>')
    return xmlschema.XMLSchema11(text, base_url=str(driver.parent), allow="local")


def errors(kind: str, manifest: bytes) -> list[str]:
    """Every schema violation of a manifest (empty when valid)."""
    if kind == "scorm12":
        return [str(e.reason) + " at " + str(e.path) for e in scorm12().iter_errors(manifest)]
    schema = scorm2004() if kind == "scorm2004" else imscp()
    if schema.validate(etree.fromstring(manifest)):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
