"""The SCORM activity: the package, its unpacked files and the SCOs Moodle's parser would record."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from ...model import Unit
from .files import FileStore, Ids
from .parts import Grading, Owner, Part, add_files, new_ids
from .xml import E, fields, node

MAXGRADE = 100
GRADE_HIGHEST, HIGHEST_ATTEMPT = 1, 0
STATUS_PASSED, STATUS_COMPLETED = 2, 4
TOC_DISABLED, NAV_DISABLED, SKIPVIEW_FIRST = 3, 0, 1
# Optional item data scorm_get_manifest() records for SCORM 1.2, in the order it meets them.
OPTIONAL = ("prerequisites", "maxtimeallowed", "timelimitaction", "datafromlms", "masteryscore")


@dataclass
class Sco:
    """A row of scorm_scoes and its scorm_scoes_data."""

    organization: str
    parent: str
    identifier: str
    launch: str
    scormtype: str
    title: str = ""
    data: list[tuple[str, str]] = field(default_factory=list)


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname.lower()


def _attr(el: etree._Element, name: str) -> str | None:
    for key, value in el.attrib.items():
        if etree.QName(key).localname.lower() == name:
            return str(value)
    return None


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and _local(c) == name]


def _resources(root: etree._Element) -> dict[str, tuple[str, str]]:
    found = {}
    for group in _children(root, "resources"):
        for res in _children(group, "resource"):
            base = _attr(res, "base") or ""
            found[_attr(res, "identifier") or ""] = (base + (_attr(res, "href") or ""),
                                                     _attr(res, "scormtype") or "asset")
    return found


def _title(el: etree._Element) -> str:
    titles = _children(el, "title")
    return (titles[0].text or "") if titles else ""


def _items(parent: etree._Element, org: str, parent_id: str,
           resources: dict[str, tuple[str, str]]) -> list[Sco]:
    out = []
    for item in _children(parent, "item"):
        ref = _attr(item, "identifierref")
        launch, kind = resources.get(ref, ("", "asset")) if ref else ("", "asset")
        sco = Sco(org, parent_id, _attr(item, "identifier") or "", launch, kind, _title(item),
                  [("isvisible", _attr(item, "isvisible") or "true"),
                   ("parameters", _attr(item, "parameters") or "")])
        for name in OPTIONAL:
            sco.data += [(name, c.text or "") for c in _children(item, name)]
        out += [sco, *_items(item, org, sco.identifier, resources)]
    return out


def scoes(manifest: bytes) -> tuple[str, list[Sco]]:
    """The manifest identifier and its SCOs: each organization, then its items depth first."""
    root = etree.fromstring(manifest)
    resources = _resources(root)
    found: list[Sco] = []
    for orgs in _children(root, "organizations"):
        for org in _children(orgs, "organization"):
            ident = _attr(org, "identifier") or ""
            found.append(Sco("", "/", ident, "", "", _title(org)))
            found += _items(org, ident, ident, resources)
    return _attr(root, "identifier") or "", found


def _sco(sco: Sco, manifest: str, sid: int, order: int, ids: Ids) -> E:
    datas = [node("sco_data", fields(name=name, value=value), id=ids.take("scorm_scoes_data"))
             for name, value in sco.data]
    return node("sco", [*fields(
        manifest=manifest, organization=sco.organization, parent=sco.parent,
        identifier=sco.identifier, launch=sco.launch, scormtype=sco.scormtype, title=sco.title,
        sortorder=order), node("sco_datas", datas), node("seq_ruleconds", []),
        node("seq_rolluprules", []), node("seq_objectives", []), node("sco_tracks", [])],
        id=sid)


def _intro(unit: Unit) -> str:
    return ("<p>The unit in a few pages, ending with a self-check whose questions are not the "
            f"quiz's. Reach {unit.mastery_score}% in the self-check to complete it; it "
            "remembers where you stopped.</p>")


def _settings(title: str, unit: Unit, reference: str, sha1: str, launch: int,
              owner: Owner) -> list[E]:
    return fields(
        name=title, scormtype="local", reference=reference, intro=_intro(unit),
        introformat=1, version="SCORM_1.2", maxgrade=MAXGRADE, grademethod=GRADE_HIGHEST,
        whatgrade=HIGHEST_ATTEMPT, maxattempt=0, forcecompleted=0, forcenewattempt=0,
        lastattemptlock=0, masteryoverride=1, displayattemptstatus=1, displaycoursestructure=0,
        updatefreq=0, sha1hash=sha1, md5hash="", revision=1, launch=launch,
        skipview=SKIPVIEW_FIRST, hidebrowse=0, hidetoc=TOC_DISABLED, nav=NAV_DISABLED,
        navpositionleft=-100, navpositiontop=-100, auto=0, popup=0, options="", width=100,
        height=500, timeopen=0, timeclose=0, timemodified=owner.epoch,
        completionstatusrequired=STATUS_PASSED | STATUS_COMPLETED,
        completionscorerequired=unit.mastery_score, completionstatusallscos=0, autocommit=0)


def scorm(unit: Unit, title: str, package: bytes, ids: Ids, owner: Owner,
          store: FileStore) -> Part:
    """The SCORM activity holding the unit's SCORM 1.2 package, graded out of 100."""
    cmid, instance, ctx = new_ids("scorm", ids)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}
    manifest, found = scoes(members["imsmanifest.xml"])
    sids = [ids.take("scorm_scoes") for _ in found]
    launch = next((sid for sid, s in zip(sids, found, strict=True) if s.launch), 0)
    elements = [_sco(s, manifest, sid, n, ids)
                for n, (sid, s) in enumerate(zip(sids, found, strict=True), start=1)]
    reference = f"{unit.id}.scorm12.zip"
    sha1 = hashlib.sha1(package).hexdigest()
    body = node("scorm", [*_settings(title, unit, reference, sha1, launch, owner),
                          node("scoes", elements)], id=instance)
    part = Part("scorm", cmid, instance, ctx, title, f"{unit.id}-scorm", body,
                grading=Grading(float(MAXGRADE), float(unit.mastery_score)))
    add_files(store, part, "mod_scorm", "package", {reference: package})
    add_files(store, part, "mod_scorm", "content", members)
    return part
