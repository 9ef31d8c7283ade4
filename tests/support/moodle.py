"""Run the Moodle checker kit (../shared/moodle) from tests; skip where no Moodle is set up."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from coursepack.build import build
from coursepack.model import Catalogue
from coursepack.source import read_source

KIT = Path(__file__).resolve().parents[3] / "shared" / "moodle"
ROOT = Path(__file__).resolve().parents[2]
# The seed; escaping in every field; hostile text in every field Moodle shows; every field at
# Moodle's limit.
SOURCES = {"seed": ROOT / "source",
           **{name: ROOT / "tests" / "data" / name / "source"
              for name in ("tricky", "hostile", "limits")},
           "starter": ROOT / "src" / "coursepack" / "starter" / "files" / "source"}  # init's


def site_params() -> list[Any]:
    """pytest parameters for each Moodle site (one placeholder that skips when there is none)."""
    return [pytest.param(site, id=site.name) for site in harnesses()] or [
        pytest.param(None, id="no-moodle")]


def build_sources(factory: pytest.TempPathFactory, formats: list[str],
                  sources: dict[str, Path] = SOURCES) -> dict[str, tuple[Catalogue, Path]]:
    """Build each source's chosen formats into a temporary folder (skip without Moodle)."""
    require_moodle()
    out = {}
    for name, source in sources.items():
        catalogue = read_source(source).catalogue
        assert catalogue is not None
        folder = factory.mktemp(name) / "build"
        build(catalogue, formats, folder)
        out[name] = (catalogue, folder)
    return out


def harnesses() -> list[Path]:
    """The Moodle sites to judge with: $MOODLE_HARNESS, and the 5.1 site beside it if present."""
    found = []
    main = os.environ.get("MOODLE_HARNESS")
    if main and (Path(main) / "moodle" / "config.php").exists():
        found.append(Path(main))
        second = Path(main).parent / "moodle51-harness"
        if (second / "moodle" / "config.php").exists() and second != Path(main):
            found.append(second)
    return found


def require_moodle() -> list[Path]:
    """The harnesses, or skip the test when there is none (a fresh CI machine). A harness's
    PostgreSQL cluster that is down (after a reboot) is started, as the harness README says."""
    sites = harnesses()
    if not sites or not KIT.exists():
        pytest.skip("no Moodle harness: set MOODLE_HARNESS (see ../shared/moodle/README.md)")
    _database_up()
    return sites


def _database_up() -> None:
    if shutil.which("pg_lsclusters") is None:
        return
    listed = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True,
                            check=False, timeout=30).stdout.split("\n")
    for line in listed:
        fields = line.split()
        if len(fields) >= 4 and fields[3] == "down":
            subprocess.run(["pg_ctlcluster", fields[0], fields[1], "start"], check=False,
                           capture_output=True, timeout=120)


def checker(site: Path, name: str, *args: str | Path) -> dict[str, Any]:
    """Run one checker from the kit's bin/ and return its JSON summary."""
    cmd = ["php", str(KIT / "bin" / name), *(str(a) for a in args)]
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ,
                          "MOODLE_HARNESS": str(site)}, timeout=600, check=False)
    result: dict[str, Any] = json.loads(done.stdout)
    result["exit_code"] = done.returncode
    return result


def roundtrip(site: Path, path: Path, fmt_in: str, fmt_out: str = "xml") -> str:
    """Import a question file into Moodle and export the bank again; return the export."""
    cmd = ["php", str(KIT / "tools" / "question-roundtrip.php"), str(path), fmt_in, fmt_out]
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ,
                          "MOODLE_HARNESS": str(site)}, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def run_and_dump(site: Path, name: str, probe: str,
                 *args: str | Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run a checker keeping its course, then dump what Moodle stored with one of our probes.

    The probe (tests/support/dump-*.php) deletes the test course when it is done.
    """
    summary = checker(site, name, *args, "--keep")
    course = summary.get("course", {}).get("id")
    if not course:
        return summary, {}
    done = subprocess.run(["php", str(Path(__file__).with_name(probe)), str(course), "--delete"],
                          capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, "MOODLE_HARNESS": str(site)})
    assert done.returncode == 0, done.stderr[-2000:]
    dump: dict[str, Any] = json.loads(done.stdout)
    return summary, dump


def import_and_dump(site: Path, path: Path, fmt: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Import a question file, then dump the questions Moodle stored, by idnumber."""
    return run_and_dump(site, "import-questions.php", "dump-questions.php", path.resolve(), fmt)
