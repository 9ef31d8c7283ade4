"""An imsmanifest.xml as plain data: organisations, their items, the resources and files."""

from __future__ import annotations

from dataclasses import dataclass, field

from .xmltree import Element, child, children, text_of

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


@dataclass
class Item:
    """One item of an organisation (an organisation is the item at depth 0)."""

    identifier: str
    title: str
    ref: str | None  # identifierref
    line: int
    depth: int
    parameters: str = ""


@dataclass
class Resource:
    identifier: str
    href: str | None
    base: str  # its own xml:base (all SCORM's reader adds)
    chain: str  # xml:base from the manifest down (what IMS CP's reader adds, as DOM does)
    scormtype: str  # as Moodle's SCORM reader finds it: the attribute adlcp:scormtype
    line: int
    files: list[tuple[str, int]] = field(default_factory=list)  # href, line


@dataclass
class Organization:
    identifier: str
    title: str
    line: int
    items: list[Item] = field(default_factory=list)  # every item, depth first


@dataclass
class Manifest:
    default: str | None
    organizations: list[Organization]
    resources: dict[str, Resource]
    has_organizations: bool  # an <organizations> element at all
    schema: str
    schemaversion: str | None  # as written, spaces and all (Moodle matches it so)
    namespaces: set[str]


def read(root: Element) -> Manifest:
    """The manifest's parts that SCORM's and IMS CP's readers in Moodle look at."""
    orgs = child(root, "organizations")
    version = root.find("{*}metadata/{*}schemaversion")
    spaces = {str(uri) for node in root.iter() if isinstance(node.tag, str)
              for uri in node.nsmap.values()}
    return Manifest(
        default=None if orgs is None else orgs.get("default"),
        organizations=[] if orgs is None else [_organization(o)
                                               for o in children(orgs, "organization")],
        resources=_resources(root), has_organizations=orgs is not None,
        schema=text_of(root, "metadata/schema").strip(),
        schemaversion=None if version is None else version.text or "",
        namespaces=spaces)


def _organization(element: Element) -> Organization:
    org = Organization(element.get("identifier", ""), text_of(element, "title").strip(),
                       element.sourceline or 1)
    _items(element, 1, org.items)
    return org


def _items(parent: Element, depth: int, into: list[Item]) -> None:
    for element in children(parent, "item"):
        into.append(Item(element.get("identifier", ""), text_of(element, "title").strip(),
                         element.get("identifierref"), element.sourceline or 1, depth,
                         element.get("parameters", "")))
        _items(element, depth + 1, into)


def _resources(root: Element) -> dict[str, Resource]:
    found: dict[str, Resource] = {}
    for block in children(root, "resources"):
        outer = (root.get(XML_BASE) or "") + (block.get(XML_BASE) or "")
        for element in children(block, "resource"):
            base = element.get(XML_BASE) or ""
            resource = Resource(element.get("identifier", ""), element.get("href"), base,
                                outer + base, _scormtype(element), element.sourceline or 1)
            resource.files = [(f.get("href", ""), f.sourceline or 1)
                              for f in children(element, "file")]
            found.setdefault(resource.identifier, resource)
    return found


def _scormtype(element: Element) -> str:
    """The resource's adlcp:scormtype: Moodle's SCORM reader knows attributes by their
    written name, upper-cased (mod/scorm/datamodels/scormlib.php, xml2Array), so only the
    prefix `adlcp` counts, in any case."""
    for name, value in element.attrib.items():
        uri, _, attr = name[1:].partition("}") if name.startswith("{") else ("", "", name)
        prefixes = [p for p, u in element.nsmap.items() if u == uri and p]
        if attr.lower() == "scormtype" and any(p.lower() == "adlcp" for p in prefixes):
            return str(value)
    return ""
