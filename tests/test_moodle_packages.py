"""Real Moodle (4.5 LTS and 5.1) accepts every SCORM package and IMS content package.

Skipped where no Moodle harness is set up (see ../shared/moodle/README.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coursepack.build import build_all, plan
from coursepack.model import Catalogue
from coursepack.source import read_source
from coursepack.writers.names import moodle_name
from support.moodle import checker, require_moodle, site_params

ROOT = Path(__file__).resolve().parent.parent
SITES = site_params()
VERSIONS = {"scorm12": "SCORM_1.2", "scorm2004": "SCORM_1.3"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalogue, Path]:
    require_moodle()
    catalogue = read_source(ROOT / "source").catalogue
    assert catalogue is not None
    folder = tmp_path_factory.mktemp("packages") / "build"
    build_all(plan(catalogue, ["scorm", "imscp"]), folder)
    return catalogue, folder


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
        assert scos[0]["title"] == moodle_name(unit.title)
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
        assert result["structure"][0]["title"] == moodle_name(unit.title)
        assert result["structure"][0]["href"] == "index.html"
        assert result["structure"][0]["file_exists"]
