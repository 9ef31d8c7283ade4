"""Restore a backup with the checker kit, dump what Moodle stored with our probes, delete it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from support.moodle import checker

PROBES = Path(__file__).parent


def probe(site: Path, name: str, course: int, *flags: str) -> Any:
    """What one of our probes (tests/support/dump-*.php) prints for a course, as JSON."""
    done = subprocess.run(["php", str(PROBES / name), str(course), *flags], capture_output=True,
                          text=True, timeout=600, check=False,
                          env={**os.environ, "MOODLE_HARNESS": str(site)})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def restore_and_dump(site: Path, mbz: Path) -> tuple[dict[str, Any], dict[str, Any],
                                                      dict[str, Any]]:
    """restore.php's summary, the course as stored (dump-course.php) and its questions
    (dump-questions.php, which deletes the course)."""
    summary = checker(site, "restore.php", mbz.resolve(), "--keep")
    course = summary.get("course", {}).get("id")
    if not course:
        return summary, {}, {}
    try:
        stored = probe(site, "dump-course.php", course)
    finally:
        questions = probe(site, "dump-questions.php", course, "--delete")
    return summary, stored, questions
