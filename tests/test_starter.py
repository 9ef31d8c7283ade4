"""`coursepack init`, `schemas` and `new`: a new content repository validates and builds as it
stands, its editor settings and `$schema` lines point at the schemas it holds, nothing a user
wrote is overwritten, and skeletons are refused by validate until their placeholders are filled."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from coursepack import model
from coursepack.cli import QUESTION_TYPES, main
from coursepack.starter.skeletons import TYPES

EXPECTED = {".gitignore", ".gitlab-ci.yml", ".pre-commit-config.yaml", "README.md",
            ".github/workflows/coursepack.yml", ".vscode/settings.json",
            ".vscode/extensions.json", "source/course.yaml", "source/glossary.yaml",
            "source/units/example/unit.yaml", "source/units/example/questions.yaml",
            "source/units/example/lesson.yaml",
            *(f".coursepack/schemas/{n}.schema.json"
              for n in ("course", "glossary", "lesson", "questions", "unit"))}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    code, output = run("init", str(tmp_path / "course"))
    assert code == 0, output
    return tmp_path / "course"


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_a_new_repository_validates_and_builds(repo: Path, tmp_path: Path) -> None:
    assert files(repo) == EXPECTED
    code, output = run("validate", str(repo / "source"), "--strict", "--no-cache")
    assert code == 0, output
    assert "1 units, 13 questions, 3 lesson pages, 2 glossary terms: 0 errors" in output
    code, output = run("build", str(repo / "source"), "-o", str(tmp_path / "out"), "--no-cache")
    assert code == 0, output
    built = files(tmp_path / "out")
    assert {"questions.xml", "glossary.xml", "course.mbz", "example/example.scorm12.zip",
            "example/example.mbz"} <= built
    types = re.findall(r'<question type="(\w+)">', (tmp_path / "out" / "example" /
                                                     "questions.xml").read_text("utf-8"))
    assert {"multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay",
            "ordering", "gapselect", "ddwtos", "cloze", "description"} <= set(types)


def test_every_schema_reference_finds_its_schema(repo: Path) -> None:
    for path in (repo / "source").rglob("*.yaml"):
        first = path.read_text("utf-8").splitlines()[0]
        target = first.removeprefix("# yaml-language-server: $schema=")
        assert target != first and (path.parent / target).resolve().is_file(), path
        assert (path.parent / target).resolve().parent == (repo / ".coursepack/schemas").resolve()
    settings = json.loads((repo / ".vscode/settings.json").read_text("utf-8"))
    for schema, pattern in settings["yaml.schemas"].items():
        assert (repo / schema).is_file()
        assert list(repo.glob(pattern)), pattern
    assert json.loads((repo / ".vscode/extensions.json").read_text("utf-8"))[
        "recommendations"] == ["redhat.vscode-yaml"]
    assert "{{" not in (repo / ".github/workflows/coursepack.yml").read_text("utf-8")


def test_init_writes_nothing_into_a_folder_that_holds_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    code, output = run("init", str(tmp_path))
    assert code == 2 and "[init-not-empty]" in output
    assert files(tmp_path) == {"notes.txt"}


def test_schemas_are_refreshed_but_a_foreign_file_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    code, output = run("schemas", "--output", str(out))
    assert code == 0 and len(files(out)) == 5
    (out / "unit.schema.json").write_text('{"$id": "urn:coursepack:schemas:unit", "zzq": 1}')
    assert run("schemas", "--output", str(out))[0] == 0
    assert "zzq" not in (out / "unit.schema.json").read_text("utf-8")
    (out / "lesson.schema.json").write_text("my own notes", "utf-8")
    code, output = run("schemas", "--output", str(out))
    assert code == 1 and "[schemas-refused]" in output
    assert (out / "lesson.schema.json").read_text("utf-8") == "my own notes"


def test_skeletons_are_refused_until_filled_in(repo: Path) -> None:
    source = repo / "source"
    assert run("new", "unit", "my-unit", "--into", str(source))[0] == 0
    assert run("new", "unit", "my-unit", "--into", str(source))[0] == 2  # it exists
    for n, qtype in enumerate(QUESTION_TYPES, start=1):
        code, output = run("new", "question", qtype, "--unit", "my-unit", "--into", str(source))
        assert code == 0 and output.endswith(f"question my-unit-q{n:02d}\n"), output
    code, output = run("validate", str(source), "--no-cache")
    codes = re.findall(r"\[([\w-]+)\]$", output, re.M)
    assert code == 1 and set(codes) == {"placeholder"} and len(codes) > 2 * len(QUESTION_TYPES)
    for path in (source / "units" / "my-unit").glob("*.yaml"):  # an author fills them in
        path.write_text(re.sub(r"\[fill in: ([^\]]+)\]", r"Real \1",
                               path.read_text("utf-8")), "utf-8")
    code, output = run("validate", str(source), "--no-cache")
    assert code == 0, output
    assert "2 units, 24 questions" in output


def test_every_question_type_has_a_skeleton() -> None:
    assert set(QUESTION_TYPES) == set(TYPES) == set(model.QTYPE_OF.values())


def test_imports_point_at_the_repositorys_schemas(repo: Path) -> None:
    reference = Path(__file__).parents[2] / "shared" / "moodle" / "reference"
    code, output = run("import", str(reference / "questions-all-types.xml"), "--unit", "ref",
                       "--into", str(repo / "source"))
    assert code == 0, output
    first = (repo / "source/units/ref/questions.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../.coursepack/schemas/" \
        "questions.schema.json"


def _steps(repo: Path) -> dict[str, list[str]]:
    """The shell lines each CI file runs, the installing line left out (coursepack is here)."""
    github = yaml.safe_load((repo / ".github/workflows/coursepack.yml").read_text("utf-8"))
    gitlab = yaml.safe_load((repo / ".gitlab-ci.yml").read_text("utf-8"))
    lines = {"github": [s["run"] for s in github["jobs"]["course"]["steps"] if "run" in s],
             "gitlab": [*gitlab["validate"]["script"], *gitlab["build"]["script"]]}
    return {ci: [line for line in found if not line.startswith("pip install")]
            for ci, found in lines.items()}


def _run_steps(repo: Path, lines: list[str]) -> tuple[int, str]:
    """Run the lines as a CI runner does: in the repository, stopping at the first failure."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    out = ""
    for line in lines:
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", line], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=300, check=False)
        out += done.stdout + done.stderr
        if done.returncode:
            return done.returncode, out
    return 0, out


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_the_ci_files_steps_pass_and_then_catch_a_broken_edit(repo: Path, ci: str) -> None:
    lines = _steps(repo)[ci]
    assert any("validate" in line for line in lines) and any("build" in line for line in lines)
    code, out = _run_steps(repo, lines)
    assert code == 0, out
    assert (repo / "build" / "course.mbz").is_file() and "Traceback" not in out
    questions = repo / "source/units/example/questions.yaml"
    broken = questions.read_text("utf-8").replace("type: truefalse", "type: truefalse\n"
                                                  "    grade: -1", 1)
    questions.write_text(broken, "utf-8")
    code, out = _run_steps(repo, lines)
    assert code == 1 and "Traceback" not in out
    assert re.search(r"questions\.yaml:\d+:\d+: error: .*\[", out) if ci == "gitlab" else \
        re.search(r"::error file=source/units/example/questions\.yaml,line=\d+", out), out
    if ci == "gitlab":
        report = etree.parse(str(repo / "coursepack-validate.xml"))
        assert report.getroot().get("failures") == "1"
