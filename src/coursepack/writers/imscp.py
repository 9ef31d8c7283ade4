"""IMS Content Packaging 1.1.4 packages: the unit's module as one resource, with no tracking."""

from __future__ import annotations

from ..model import Catalogue, Unit
from . import every_file, ims
from .module.site import learning_object
from .zipper import zip_bytes

IMSCP = ims.Binding(ims.CP, {None: ims.CP, "lom": ims.LOM, "xsi": ims.XSI}, "IMS Content",
                    "1.1.4", f"{ims.CP} imscp_v1p1.xsd {ims.LOM} lomStrict.xsd", ims.lom)


def manifest(catalogue: Catalogue, unit: Unit, names: list[str], version: str) -> bytes:
    """imsmanifest.xml for IMS CP 1.1.4 with LOM metadata and one webcontent resource."""
    return ims.finish(ims.skeleton(IMSCP, catalogue, unit, version), ims.CP, names)


def unit_files(catalogue: Catalogue, unit: Unit) -> dict[str, bytes]:
    """`<unit>/<unit>.imscp.zip`."""
    files = learning_object(catalogue, unit, "none")
    body = manifest(catalogue, unit, list(files), ims.content_version(files))
    return {f"{unit.id}/{unit.id}.imscp.zip": zip_bytes({"imsmanifest.xml": body, **files})}


def write(catalogue: Catalogue) -> dict[str, bytes]:
    """`<unit>/<unit>.imscp.zip` for each unit."""
    return every_file(catalogue, unit_files)
