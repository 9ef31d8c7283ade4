"""Learners and clean-up for Moodle browser tests: a student enrolled in test courses."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROBES = Path(__file__).parent


@dataclass(frozen=True)
class Student:
    """A Moodle account made for one test: log in with username and password."""

    id: int
    username: str
    password: str


def probe(site: Path, name: str, *args: str | int) -> dict[str, Any]:
    """Run one of our PHP probes (tests/support/NAME) on a site; return its JSON."""
    done = subprocess.run(["php", str(PROBES / name), *(str(a) for a in args)],
                          capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, "MOODLE_HARNESS": str(site)})
    assert done.returncode == 0, f"{name} {args}: {done.stderr[-2000:]}"
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def enrol_student(site: Path, *courses: int) -> Student:
    """Create a new student account and enrol it in each course (manual enrolment, student role)."""
    made = probe(site, "student.php", "enrol", *courses)
    return Student(made["id"], made["username"], made["password"])


def delete_user(site: Path, student: Student) -> None:
    """Delete a student made by enrol_student()."""
    probe(site, "student.php", "delete-user", student.id)


def delete_courses(site: Path, *courses: int) -> None:
    """Delete test courses (no recycle bin); ids that no longer exist are skipped."""
    if courses:
        probe(site, "student.php", "delete-course", *courses)
