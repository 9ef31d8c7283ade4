"""SCORM 1.2, SCORM 2004 and IMS CP packages: valid manifests, every file listed, deterministic."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from coursepack.build import plan
from coursepack.model import Catalogue
from coursepack.source import read_source
from support import xsd

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"scorm12": "scorm12", "scorm2004": "scorm2004", "imscp": "imscp"}
UNITS = ["nocn-l2", "core", "icq-l3-l4", "highfield-l3", "pearson-edi-l2-l3"]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    cat = read_source(ROOT / "source").catalogue
    assert cat is not None
    return cat


@pytest.fixture(scope="module")
def packages(catalogue: Catalogue) -> dict[str, bytes]:
    return plan(catalogue, ["scorm", "imscp"])


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("unit", UNITS)
def test_manifest_is_valid_against_the_official_xsd(packages: dict[str, bytes], unit: str,
                                                     kind: str) -> None:
    files = members(packages[f"{unit}/{unit}.{kind}.zip"])
    assert next(iter(files)) == "imsmanifest.xml"
    assert xsd.errors(KINDS[kind], files["imsmanifest.xml"]) == []


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("unit", UNITS)
def test_every_file_is_listed_and_exists(packages: dict[str, bytes], unit: str, kind: str) -> None:
    files = members(packages[f"{unit}/{unit}.{kind}.zip"])
    root = etree.fromstring(files["imsmanifest.xml"])
    listed = [f.get("href") for f in root.iter("{*}file")]
    assert sorted(listed) == sorted(name for name in files if name != "imsmanifest.xml")
    resource = next(root.iter("{*}resource"))
    assert resource.get("href") == "index.html" and "index.html" in files
    assert not any(name.startswith(("http:", "https:", "/")) or ".." in name for name in files)


def test_scorm12_manifest_details(packages: dict[str, bytes], catalogue: Catalogue) -> None:
    unit = catalogue.units[0]
    text = members(packages[f"{unit.id}/{unit.id}.scorm12.zip"])["imsmanifest.xml"].decode()
    assert "<schemaversion>1.2</schemaversion>" in text
    assert 'adlcp:scormtype="sco"' in text
    assert f"<adlcp:masteryscore>{unit.mastery_score}</adlcp:masteryscore>" in text
    assert f"<imsmd:language>{catalogue.language}</imsmd:language>" in text
    assert unit.title in text and "<imsmd:keyword>" in text


def test_scorm2004_manifest_details(packages: dict[str, bytes], catalogue: Catalogue) -> None:
    unit = catalogue.units[0]
    text = members(packages[f"{unit.id}/{unit.id}.scorm2004.zip"])["imsmanifest.xml"].decode()
    assert "<schemaversion>2004 4th Edition</schemaversion>" in text
    assert 'adlcp:scormType="sco"' in text
    assert (f"<imsss:minNormalizedMeasure>{unit.mastery_score / 100:.2f}"
            "</imsss:minNormalizedMeasure>") in text
    assert 'satisfiedByMeasure="true"' in text
    assert "<lom:keyword>" in text and f'language="{catalogue.language}"' in text


def test_runtime_matches_the_package(packages: dict[str, bytes]) -> None:
    for kind, runtime in (("scorm12", "scorm12"), ("scorm2004", "scorm2004"), ("imscp", "none")):
        page = members(packages[f"nocn-l2/nocn-l2.{kind}.zip"])["index.html"].decode()
        assert f'data-runtime="{runtime}"' in page


def test_zips_are_deterministic(catalogue: Catalogue, packages: dict[str, bytes],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert plan(catalogue, ["scorm", "imscp"]) == packages
    for data in packages.values():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamped = plan(catalogue, ["imscp"])["nocn-l2/nocn-l2.imscp.zip"]
    with zipfile.ZipFile(io.BytesIO(stamped)) as archive:
        assert archive.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)


def test_nothing_is_fetched_from_outside_the_package(packages: dict[str, bytes]) -> None:
    files = members(packages["nocn-l2/nocn-l2.scorm12.zip"])
    for name, data in files.items():
        if name.endswith((".html", ".css", ".js")):
            text = data.decode()
            assert "http://" not in text.replace("http://www.w3.org", "")
            assert "https://" not in text or name.endswith(".html")


MEDIA = Path(__file__).parent / "data" / "media" / "source"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_media_files_are_packaged_listed_and_valid(kind: str) -> None:
    cat = read_source(MEDIA).catalogue
    assert cat is not None
    files = members(plan(cat, ["scorm", "imscp"])[f"u1/u1.{kind}.zip"])
    assert xsd.errors(KINDS[kind], files["imsmanifest.xml"]) == []
    listed = [unquote(f.get("href") or "") for f in etree.fromstring(
        files["imsmanifest.xml"]).iter("{*}file")]
    media = sorted(name for name in files if name.startswith("media/"))
    assert media == ["media/media/handshake.png", "media/units/u1/images/steps.svg",
                     "media/units/u1/images/wet floor.png"]
    assert sorted(listed) == sorted(name for name in files if name != "imsmanifest.xml")
    for name in media:
        assert files[name] == (MEDIA / name.removeprefix("media/")).read_bytes()
