"""SCORM 1.2 and SCORM 2004 4th edition packages: one SCO per unit, with its manifest."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..diagnostics import Diagnostic, Severity, located
from ..model import Catalogue, Unit
from . import every_file, ims
from .module.site import SUSPEND_LIMIT_12, learning_object, state_budget
from .names import per_unit
from .zipper import zip_bytes

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"

SCORM12 = ims.Binding(
    CP12, {None: CP12, "adlcp": ADLCP12, "imsmd": ims.IMSMD, "xsi": ims.XSI}, "ADL SCORM", "1.2",
    f"{CP12} imscp_rootv1p1p2.xsd {ims.IMSMD} imsmd_rootv1p2p1.xsd {ADLCP12} adlcp_rootv1p2.xsd",
    ims.imsmd)
SCORM2004 = ims.Binding(
    ims.CP, {None: ims.CP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV, "imsss": IMSSS,
             "lom": ims.LOM, "xsi": ims.XSI}, "ADL SCORM", "2004 4th Edition",
    " ".join([ims.CP, "imscp_v1p1.xsd", ADLCP, "adlcp_v1p3.xsd", ADLSEQ, "adlseq_v1p3.xsd",
              ADLNAV, "adlnav_v1p3.xsd", IMSSS, "imsss_v1p0.xsd", ims.LOM, "lomStrict.xsd"]),
    ims.lom)


def manifest12(catalogue: Catalogue, unit: Unit, names: list[str], version: str) -> bytes:
    """imsmanifest.xml for SCORM 1.2; the SCO's item declares adlcp:masteryscore."""
    skel = ims.skeleton(SCORM12, catalogue, unit, version)
    ims.sub(skel.item, f"{{{ADLCP12}}}masteryscore", str(unit.mastery_score))
    skel.resource.set(f"{{{ADLCP12}}}scormtype", "sco")
    return ims.finish(skel, CP12, names)


def manifest2004(catalogue: Catalogue, unit: Unit, names: list[str], version: str) -> bytes:
    """imsmanifest.xml for SCORM 2004 4th edition; the pass mark is the primary objective's."""
    skel = ims.skeleton(SCORM2004, catalogue, unit, version)
    seq = ims.sub(skel.item, f"{{{IMSSS}}}sequencing")
    objectives = ims.sub(seq, f"{{{IMSSS}}}objectives")
    primary = ims.sub(objectives, f"{{{IMSSS}}}primaryObjective", satisfiedByMeasure="true",
                      objectiveID=ims.identifier("OBJ", unit.id))
    ims.sub(primary, f"{{{IMSSS}}}minNormalizedMeasure", f"{unit.mastery_score / 100:.2f}")
    skel.resource.set(f"{{{ADLCP}}}scormType", "sco")
    return ims.finish(skel, ims.CP, names)


Manifest = Callable[[Catalogue, Unit, list[str], str], bytes]


@per_unit
def package(catalogue: Catalogue, unit: Unit, runtime: str, manifest: Manifest) -> bytes:
    """A zip with imsmanifest.xml first, then the learning object's files (made once per unit
    and runtime: the SCORM 1.2 package goes into the unit's backup and its course share too)."""
    files = learning_object(catalogue, unit, runtime)
    body = manifest(catalogue, unit, list(files), ims.content_version(files))
    return zip_bytes({"imsmanifest.xml": body, **files})


def unit_files(catalogue: Catalogue, unit: Unit) -> dict[str, bytes]:
    """`<unit>/<unit>.scorm12.zip` and `<unit>/<unit>.scorm2004.zip`."""
    return {f"{unit.id}/{unit.id}.scorm12.zip": package(catalogue, unit, "scorm12", manifest12),
            f"{unit.id}/{unit.id}.scorm2004.zip": package(catalogue, unit, "scorm2004",
                                                          manifest2004)}


def write(catalogue: Catalogue) -> dict[str, bytes]:
    """`<unit>/<unit>.scorm12.zip` and `<unit>/<unit>.scorm2004.zip` for each unit."""
    return every_file(catalogue, unit_files)


def unit_check(catalogue: Catalogue, unit: Unit) -> Iterator[Diagnostic]:
    """Refuse a unit whose resume state could outgrow SCORM 1.2's 4,096-character suspend_data."""
    budget = state_budget(unit)
    if budget > SUSPEND_LIMIT_12:
        yield located(unit.origin, Severity.ERROR,
                      f"unit '{unit.id}' needs up to {budget:,} characters of resume state, "
                      f"more than SCORM 1.2's {SUSPEND_LIMIT_12:,}: split the unit or "
                      "shorten its quiz", "suspend-data-budget")
