"""A small, fixed SCORM 1.2 package for backup tests that must not depend on the site builder."""

from __future__ import annotations

from html import escape

from coursepack.model import Catalogue, Unit
from coursepack.writers.zipper import zip_bytes

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MANIFEST-{id}" version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG-{id}">
    <organization identifier="ORG-{id}">
      <title>{title}</title>
      <item identifier="ITEM-{id}" identifierref="RES-{id}">
        <title>{title}</title>
        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-{id}" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
      <file href="js/run.js"/>
    </resource>
  </resources>
</manifest>
"""


def fake_scorm(catalogue: Catalogue, unit: Unit) -> bytes:
    """A one-SCO package for the unit: manifest, a page and a script in a sub-folder."""
    title = escape(unit.title)
    manifest = MANIFEST.format(id=unit.id, title=title, mastery=unit.mastery_score)
    page = f"<!DOCTYPE html><title>{title}</title><script src='js/run.js'></script>"
    return zip_bytes({"imsmanifest.xml": manifest.encode(), "index.html": page.encode(),
                      "js/run.js": b"// fake SCO\n"})

