"""validate's reports for CI: JUnit XML against Jenkins' junit-10.xsd and SARIF against the
SARIF 2.1.0 JSON Schema, each telling exactly what the text report tells."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from click.testing import CliRunner
from lxml import etree

from coursepack.cli import main
from support.broken import BROKEN, overlay

ROOT = Path(__file__).resolve().parents[1]
JUNIT_XSD = ROOT / ".test-tools" / "junit-10.xsd"
SARIF_SCHEMA = ROOT / "node_modules" / "@microsoft" / "jest-sarif" / "lib" / "schemas" / \
    "sarif-2.1.0-rtm.5.json"
CASES = ["bad-text", "html-rules", "duplicate-ids", "media-paths", "tree-problems", "new-types"]
LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): "
                  r"(?P<message>.*) \[(?P<code>[^\]]+)\]$")


def _need(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path.name} is missing: run scripts/setup-test-tools.sh")


def _validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", "--no-cache", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _text_lines(*args: str) -> list[re.Match[str]]:
    _, out = _validate("-q", *args)
    found = [LINE.match(line) for line in out.splitlines()]
    assert all(found), out
    return [m for m in found if m]


@pytest.fixture(params=CASES)
def broken(request: pytest.FixtureRequest, minimal: Path) -> Path:
    overlay(BROKEN / request.param, minimal)
    return minimal


def test_junit_is_a_case_per_file_and_a_failure_per_diagnostic(broken: Path) -> None:
    _need(JUNIT_XSD)
    code, out = _validate("--format", "junit", "source")
    text_code, _ = _validate("source")
    assert code == text_code == 1
    doc = etree.fromstring(out.encode("utf-8"))
    etree.XMLSchema(etree.parse(str(JUNIT_XSD))).assertValid(doc)
    cases = doc.findall("testsuite/testcase")
    names = [c.get("name") for c in cases]
    yaml_files = [p.relative_to(broken.parent).as_posix() for p in
                  [*broken.glob("*.yaml"), *broken.glob("units/*/*.yaml")]
                  if p.stem in {"course", "glossary", "unit", "questions", "lesson"}
                  and p.is_file() and not p.is_symlink()]
    assert set(yaml_files) <= set(names) and names == sorted(set(names))
    failures = [(c.get("name"), f.get("message"), f.get("type"), f.text)
                for c in cases for f in c.findall("failure")]
    lines = _text_lines("source")
    assert [(m["file"], m.group(0), m["code"], m.group(0)) for m in lines] == failures
    suite = doc.find("testsuite")
    assert suite is not None
    assert suite.get("tests") == str(len(cases))
    assert suite.get("failures") == str(sum(bool(c.findall("failure")) for c in cases))


def test_junit_of_clean_source_passes_every_file(minimal: Path) -> None:
    _need(JUNIT_XSD)
    (minimal / "course.yaml").write_text((minimal / "course.yaml").read_text()
                                         + "accept_warnings: [gift-omitted]\n")
    code, out = _validate("--format", "junit", "source")
    assert code == 0
    doc = etree.fromstring(out.encode("utf-8"))
    etree.XMLSchema(etree.parse(str(JUNIT_XSD))).assertValid(doc)
    assert doc.get("failures") == "0" and int(doc.get("tests") or 0) >= 3
    assert not doc.findall(".//failure")


def test_junit_of_one_file_is_that_file(broken: Path) -> None:
    lines = _text_lines("source")
    target = lines[0]["file"]
    code, out = _validate("--format", "junit", target)
    assert code == 1
    doc = etree.fromstring(out.encode("utf-8"))
    assert [c.get("name") for c in doc.iter("testcase")] == [target]
    assert len(doc.findall(".//failure")) == sum(m["file"] == target for m in lines)


def test_sarif_is_valid_and_says_what_the_text_says(broken: Path) -> None:
    _need(SARIF_SCHEMA)
    code, out = _validate("--format", "sarif", "source")
    assert code == 1
    log = json.loads(out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    got = []
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        place = result["locations"][0]["physicalLocation"]
        assert place["artifactLocation"]["uriBaseId"] == "SRCROOT"
        region = place.get("region", {})
        got.append((unquote(place["artifactLocation"]["uri"]), region.get("startLine"),
                    region.get("startColumn"), result["level"], result["message"]["text"]))
    want = [(m["file"], *((None, None) if Path(m["file"]).is_dir() else
                          (int(m["line"]), int(m["col"]))), m["severity"],
             f"{m['message']} [{m['code']}]") for m in _text_lines("source")]
    assert got == want
    assert rules == sorted({m[4].rsplit("[", 1)[1][:-1] for m in want})


def test_sarif_writes_file_names_as_uris(minimal: Path) -> None:
    odd = minimal / "units" / "a b#%é"
    odd.mkdir()
    (odd / "unit.yaml").write_text("id: nope\n")
    _, out = _validate("--format", "sarif", "source")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(out)["runs"][0]["results"]}
    assert "source/units/a%20b%23%25%C3%A9" in uris
    folder = [r["locations"][0]["physicalLocation"] for r in json.loads(out)["runs"][0]["results"]
              if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("%A9")]
    assert folder and all("region" not in place for place in folder)  # a folder has no lines


def test_junit_holds_any_file_name(minimal: Path) -> None:
    """Characters XML cannot hold (here U+FFFF, which diagnostics do not escape) are written
    as escapes, so the report stays well-formed."""
    _need(JUNIT_XSD)
    (minimal / "units" / "bad\uffffname").mkdir()
    code, out = _validate("--format", "junit", "source")
    assert code == 0  # an unlisted unit folder is a warning
    doc = etree.fromstring(out.encode("utf-8"))
    etree.XMLSchema(etree.parse(str(JUNIT_XSD))).assertValid(doc)
    assert any("bad\\uffffname" in (c.get("name") or "") for c in doc.iter("testcase"))
