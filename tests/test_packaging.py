"""The JSON Schemas ship inside the installed package, identical to the ones in schemas/."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from coursepack.schemas import KINDS, load_schema

ROOT = Path(__file__).resolve().parent.parent


def test_schemas_folder_matches_package_data() -> None:
    for kind in KINDS:
        on_disk = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text())
        assert load_schema(kind) == on_disk


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy: setuptools works in the project's build/, which is coursepack's
    # output folder (a build there would refuse the files it did not write)
    project = shutil.copytree(ROOT, tmp_path_factory.mktemp("project") / "coursepack",
                              ignore=shutil.ignore_patterns(
                                  ".git", ".venv", "build", "node_modules", "*.egg-info",
                                  "__pycache__", ".*_cache", ".hypothesis", ".coursepack-cache"))
    output = sorted((ROOT / "build").rglob("*"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(out), str(project)], check=True)
    assert sorted((ROOT / "build").rglob("*")) == output  # the project's output untouched
    return next(out.glob("coursepack-*.whl"))


def test_wheel_contains_every_schema(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in KINDS:
        assert f"coursepack/schemas/{kind}.schema.json" in names


def test_installed_package_loads_its_schemas(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True)
    probe = ("import coursepack, coursepack.schemas as s; print(coursepack.__file__); "
             "print(sorted(s.load_schema(k)['title'] for k in s.KINDS))")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                         text=True, env={"PYTHONPATH": str(site)}, cwd=tmp_path).stdout.splitlines()
    assert out[0].startswith(str(site))
    assert len(ast.literal_eval(out[1])) == len(KINDS)


def test_installed_package_starts_a_repository(wheel: Path, tmp_path: Path) -> None:
    """`coursepack init` from the wheel alone: its starter files (dotfiles among them) are
    package data, and the repository it writes validates."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True)
    env = {**os.environ, "PYTHONPATH": str(site)}
    for args in (["init", "repo"], ["validate", "repo/source", "--strict", "--no-cache"]):
        done = subprocess.run([sys.executable, "-c", "from coursepack.cli import main; main()",
                               *args], env=env,
                              cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "repo" / ".github" / "workflows" / "coursepack.yml").is_file()
    assert (tmp_path / "repo" / ".coursepack" / "schemas" / "unit.schema.json").is_file()
