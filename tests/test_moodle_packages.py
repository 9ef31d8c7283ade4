"""Real Moodle (4.5 LTS and 5.1) accepts every SCORM package and IMS content package.

Skipped where no Moodle harness is set up (see ../shared/moodle/README.md).
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path
from typing import Any

import pytest

from coursepack.model import Catalogue
from support.moodle import SOURCES, build_sources, checker, run_and_dump, site_params

SITES = site_params()
VERSIONS = {"scorm12": "SCORM_1.2", "scorm2004": "SCORM_1.3"}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Catalogue, Path]]:
    return build_sources(tmp_path_factory, ["scorm", "imscp"])


@pytest.fixture(params=sorted(SOURCES))
def built(request: pytest.FixtureRequest,
          packages: dict[str, tuple[Catalogue, Path]]) -> tuple[Catalogue, Path]:
    return packages[request.param]


def _accepted(result: dict[str, Any]) -> None:
    assert result["ok"] and result["exit_code"] == 0, result.get("exception")
    assert result["problems"] == [] and result["php_warnings"] == []


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("kind", sorted(VERSIONS))
def test_scorm_packages_become_activities(built: tuple[Catalogue, Path], site: Path,
                                          kind: str) -> None:
    catalogue, folder = built
    for unit in catalogue.units:
        result = checker(site, "add-scorm.php", (folder / unit.id / f"{unit.id}.{kind}.zip")
                         .resolve())
        _accepted(result)
        assert result["scorm"]["version"] == VERSIONS[kind]
        scos = [s for s in result["scoes"] if s["scormtype"] == "sco"]
        assert len(scos) == 1 and result["sco_count"] == 1
        assert scos[0]["launch"] == "index.html" and scos[0]["launch_file_exists"]
        assert scos[0]["title"] == html.escape(unit.title, quote=False)
        if kind == "scorm12":
            assert scos[0]["data"]["masteryscore"] == str(unit.mastery_score)


@pytest.mark.parametrize("site", SITES)
def test_ims_content_packages_become_resources(built: tuple[Catalogue, Path],
                                               site: Path) -> None:
    catalogue, folder = built
    for unit in catalogue.units:
        result = checker(site, "add-imscp.php", (folder / unit.id / f"{unit.id}.imscp.zip")
                         .resolve())
        _accepted(result)
        assert result["has_imsmanifest"] and result["item_count"] == 1
        assert result["structure"][0]["title"] == html.escape(unit.title, quote=False)
        assert result["structure"][0]["href"] == "index.html"
        assert result["structure"][0]["file_exists"]


MEDIA = Path(__file__).parent / "data" / "media" / "source"
PACKAGED = ["media/media/handshake.png", "media/units/u1/images/steps.svg",
            "media/units/u1/images/wet floor.png"]


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize(("kind", "script", "component"), [
    ("scorm12", "add-scorm.php", "mod_scorm"), ("scorm2004", "add-scorm.php", "mod_scorm"),
    ("imscp", "add-imscp.php", "mod_imscp")])
def test_packaged_media_is_unpacked_by_moodle(tmp_path_factory: pytest.TempPathFactory,
                                              site: Path, kind: str, script: str,
                                              component: str) -> None:
    _, folder = build_sources(tmp_path_factory, ["scorm", "imscp"], {"media": MEDIA})["media"]
    result, dump = run_and_dump(site, script, "dump-package-files.php",
                                (folder / "u1" / f"u1.{kind}.zip").resolve())
    _accepted(result)
    stored = {path: sha for comp, _, path, sha in dump if comp == component}
    for name in PACKAGED:
        data = (MEDIA / name.removeprefix("media/")).read_bytes()
        assert stored.get(f"/{name}") == hashlib.sha1(data).hexdigest(), (name, sorted(stored))
