"""SCORM and IMS content packages, checked as mod/scorm and mod/imscp read their manifest."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from .archive import Listing
from .manifest import Item, Manifest, read
from .report import Report, plural
from .xmltree import Element, local, parse

MANIFEST = "imsmanifest.xml"
SHOWN = 20  # items listed by name at most
# mod/scorm/datamodels/scormlib.php scorm_parse_scorm(): a bare '&' becomes '&amp;' first.
_BARE_AMP = re.compile(rb"&(?!\w{2,6};)")
_EXTERNAL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def inspect_package(report: Report, listing: Listing) -> None:
    """A zip with no moodle_backup.xml: a SCORM or IMS content package, or what Moodle's
    SCORM activity says when it is neither (mod/scorm/lib.php scorm_validate_package)."""
    member = listing.get(MANIFEST)
    if member is None:
        _no_manifest(report, listing.paths())
        return
    report.kind, report.title = "package", "content package"
    if member.data is None:
        return  # too large or unreadable: reported with the archive's problems
    root, repaired = _parse(report, member.data)
    if root is None:
        return
    if local(root) != "manifest":
        report.error(f"its root is <{local(root)}>, not <manifest>", "inspect-format",
                     line=root.sourceline, member=MANIFEST)
        return
    manifest = read(root)
    _kind(report, manifest)
    if repaired is not None:
        _repaired(report, repaired)
    # every file's path, normalised; None when the zip was listed only in part
    names = {posixpath.normpath(n) for n in listing.paths()} if listing.complete else None
    if report.kind.startswith("scorm"):
        _scorm(report, manifest, names)
    else:
        _imscp(report, manifest, names)
    report.facts.update(members=len(listing.members), unpacked_bytes=listing.unpacked)
    report.say(f"{plural(len(listing.members), 'member')}, {listing.unpacked:,} bytes unpacked")


def _no_manifest(report: Report, names: set[str]) -> None:
    report.kind, report.title = "zip", "zip archive"
    if any(name.endswith(".cst") for name in names):
        report.kind, report.title = "aicc", "AICC package"
        report.say("an AICC course structure (.cst): Moodle's SCORM activity takes it; "
                   "inspect checks no more of it")
        return
    nested = sorted(name for name in names if MANIFEST in name)
    if nested:
        report.error("An imsmanifest.xml file was found but it was not in the root of your zip "
                     f"file, please re-package your SCORM (it is at {nested[0]!r})",
                     "inspect-manifest-location", member=nested[0])
        return
    report.error("Incorrect file package - missing imsmanifest.xml or AICC structure: a SCORM "
                 "or IMS content package needs imsmanifest.xml at the zip's root, a course "
                 "backup moodle_backup.xml", "inspect-no-manifest")


def _parse(report: Report, data: bytes) -> tuple[Element | None, Report | None]:
    """The manifest's root; and, when it is well-formed only once its bare '&'s are escaped
    (as Moodle's SCORM reader does), the errors it gave as written."""
    first = Report(report.path)
    root = parse(first, data, "an IMS manifest", member=MANIFEST)
    if root is not None:
        return root, None
    fixed = _BARE_AMP.sub(b"&amp;", data)
    if fixed != data:
        root = parse(Report(report.path), fixed, "an IMS manifest", member=MANIFEST)
        if root is not None:
            return root, first
    report.diagnostics += first.diagnostics
    return None, None


def _repaired(report: Report, first: Report) -> None:
    if report.kind.startswith("scorm"):
        report.warn("the manifest holds a bare '&', which Moodle's SCORM reader escapes "
                    "before reading it; other players refuse the manifest",
                    "inspect-manifest-amp", member=MANIFEST)
    else:
        report.diagnostics += first.diagnostics


def _kind(report: Report, m: Manifest) -> None:
    """SCORM 1.2 or 2004 as Moodle tells them (scorm_get_manifest(): the schemaversion),
    an IMS content package, or a common cartridge."""
    schema = m.schema.lower()
    if "cartridge" in schema or "thin cc" in schema:
        report.kind, report.title = "imscc", "IMS common cartridge"
    elif "scorm" in schema or any("adlnet.org" in uri for uri in m.namespaces):
        _scorm_kind(report, m)
    else:
        report.kind, report.title = "imscp", "IMS content package"
    version = m.schemaversion
    report.facts.update(schema=m.schema, schemaversion=version)
    report.say((f"schema {m.schema!r}" if m.schema else "no schema in its metadata")
               + (f", schemaversion {version!r}" if version else ""))


def _scorm_kind(report: Report, m: Manifest) -> None:
    text = m.schemaversion
    found = re.fullmatch(r"(1\.2)|(CAM )?(1\.3)|2004 (3rd|4th) Edition", text or "")
    if found and found.group(1):
        report.kind, report.title = "scorm12", "SCORM 1.2 package"
    elif found:
        edition = f"{found.group(4)} Edition" if found.group(4) else f"({text})"
        report.kind, report.title = "scorm2004", f"SCORM 2004 {edition} package"
    else:
        report.kind, report.title = "scorm12", "SCORM 1.2 package"
        if any("adlcp_v1p3" in uri for uri in m.namespaces):
            report.warn(f"its schemaversion {text!r} is not one Moodle knows (1.2, 1.3, CAM "
                        "1.3, 2004 3rd Edition, 2004 4th Edition), so Moodle plays this SCORM "
                        "2004 package as SCORM 1.2", "inspect-scorm-version", member=MANIFEST)
    report.facts["version"] = "SCORM_1.3" if report.kind == "scorm2004" else "SCORM_1.2"


def _scorm(report: Report, m: Manifest, names: set[str] | None) -> None:
    """Every item's launch as scorm_get_manifest() makes it: its resource's xml:base and href
    (a manifest with no organisation launches its resources)."""
    items = [i for o in m.organizations for i in o.items]
    if not m.organizations:
        items = [Item(r.identifier, r.identifier, r.identifier, r.line, 1)
                 for r in m.resources.values() if r.href]
    scos, assets = [], 0
    for item in items:
        launch, scormtype = _scorm_launch(report, m, item)
        if not launch:
            continue
        present = _check(report, launch, names, item, "inspect-launch-missing")
        if scormtype.lower() == "sco":
            scos.append({"identifier": item.identifier, "title": item.title,
                         "launch": launch, "present": present})
        else:
            assets += 1
    if not scos and not assets:
        report.error("no item leads to a resource with an href: Moodle has nothing to launch",
                     "inspect-no-launch", member=MANIFEST)
    _organisations(report, m)
    _listed_files(report, m, names)
    report.facts.update(scos=scos, assets=assets)
    report.say(f"{plural(len(scos), 'SCO')}, {plural(assets, 'asset')} to launch")
    for sco in scos[:SHOWN]:
        report.say(f"SCO {sco['identifier']} {sco['title']!r}: launches {sco['launch']}")
    _more(report, len(scos))


def _scorm_launch(report: Report, m: Manifest, item: Item) -> tuple[str, str]:
    if item.ref is None:
        return "", "asset"
    resource = m.resources.get(item.ref)
    if resource is None:
        report.warn("WARNING: The following resources were referenced in your manifest but "
                    f"couldn't be found: {item.ref} (item {item.identifier})",
                    "inspect-missing-resource", line=item.line, member=MANIFEST)
        return "", ""
    return resource.base + (resource.href or ""), resource.scormtype or "asset"


def _imscp(report: Report, m: Manifest, names: set[str] | None) -> None:
    """The organisation Moodle shows (the default, else the first) and its items' pages, as
    mod/imscp/locallib.php imscp_parse_manifestfile() finds them."""
    shown = next((o for o in m.organizations if o.identifier == m.default),
                 m.organizations[0] if m.organizations else None)
    if shown is None and report.kind == "imscp":
        what = "<organization>" if m.has_organizations else "<organizations>"
        report.error(f"the manifest has no {what}: Moodle cannot deploy the package "
                     "(deploymenterror)", "inspect-no-organization", member=MANIFEST)
    hrefs = {r.identifier: _imscp_href(r.chain, r.href, r.files) for r in m.resources.values()}
    linked = []
    for item in shown.items if shown else []:
        href = hrefs.get(item.ref or "", "")
        if item.ref and item.ref not in hrefs:
            report.warn(f"item {item.identifier} names the resource {item.ref}, which the "
                        "manifest does not have: Moodle shows its title with no page",
                        "inspect-missing-resource", line=item.line, member=MANIFEST)
        if href:
            present = _check(report, href, names, item, "inspect-launch-missing")
            linked.append({"identifier": item.identifier, "title": item.title, "href": href,
                           "present": present})
    if shown is not None and not linked:
        report.warn("no item links to a page: Moodle's table of contents opens nothing",
                    "inspect-no-launch", member=MANIFEST)
    _organisations(report, m)
    _listed_files(report, m, names)
    report.facts["pages"] = linked
    for page in linked[:SHOWN]:
        report.say(f"item {page['identifier']} {page['title']!r}: shows {page['href']}")
    _more(report, len(linked))


def _imscp_href(base: str, href: str | None, files: list[tuple[str, int]]) -> str:
    """A resource's page: its href, else its last file's, after its xml:base."""
    found = href if href is not None else (files[-1][0] if files else "")
    if not found:
        return ""
    if not found.startswith("http://"):
        found = base + found
    return found.replace("\\", "/").lstrip("/")


def _organisations(report: Report, m: Manifest) -> None:
    ids = [o.identifier for o in m.organizations]
    if m.default and m.default not in ids:
        report.warn(f"<organizations default={m.default!r}> names no organisation: Moodle "
                    "starts at the first one", "inspect-default-organization", member=MANIFEST)
    items = sum(len(o.items) for o in m.organizations)
    report.facts.update(organisations=[{"identifier": o.identifier, "title": o.title,
                                        "items": len(o.items)} for o in m.organizations],
                        default=m.default, items=items, resources=len(m.resources))
    report.say(f"{plural(len(ids), 'organisation')}"
               + (f" (default {m.default})" if m.default else "")
               + f", {plural(items, 'item')}, {plural(len(m.resources), 'resource')}")
    for org in m.organizations[:SHOWN]:
        report.say(f"organisation {org.identifier} {org.title!r}: "
                   f"{plural(len(org.items), 'item')}")


def _listed_files(report: Report, m: Manifest, names: set[str] | None) -> None:
    """Every file a resource lists, and its href, should be in the zip."""
    listed = 0
    for resource in m.resources.values():
        hrefs = list(resource.files)
        if resource.href:
            hrefs.append((resource.href, resource.line))
        for href, line in hrefs:
            listed += 1
            path = resource.chain + href
            if names is not None and not _external(path) and not _present(path, names):
                report.warn(f"resource {resource.identifier} lists {href!r}, which the zip "
                            "does not hold", "inspect-file-missing", line=line, member=MANIFEST)
    report.facts["files_listed"] = listed


def _check(report: Report, href: str, names: set[str] | None, item: Item, code: str) -> bool:
    """Whether the file an item opens is in the zip (an error when it is not; True when the
    zip was listed only in part)."""
    if names is None or _external(href) or _present(href, names):
        return True
    report.error(f"item {item.identifier} opens {href!r}, which the zip does not hold",
                 code, line=item.line, member=MANIFEST)
    return False


def _external(href: str) -> bool:
    return bool(_EXTERNAL.match(href)) and not re.match(r"[A-Za-z]:[\\/]", href)


def _present(href: str, names: set[str]) -> bool:
    """Whether the zip holds the file at `href` (its query and fragment dropped, as written
    or %-decoded), `names` being its files' normalised paths."""
    path = re.split(r"[?#]", href, maxsplit=1)[0].replace("\\", "/").lstrip("/")
    return any(posixpath.normpath(p) in names for p in (path, unquote(path)) if p)


def _more(report: Report, shown: int) -> None:
    if shown > SHOWN:
        report.say(f"... and {shown - SHOWN} more")
