"""Moodle judges `coursepack inspect`: each file of a corpus, a built output as it is or with one
change, is inspected and given to real Moodle (4.5 LTS and 5.1), and the verdicts must agree:

- inspect reports an error  <=>  Moodle refuses the file, or loses something of it that no
  warning of inspect's foretold;
- each warning says what Moodle then does (it takes the file, but drops or renames the thing
  warned about), and Moodle does it;
- inspect reports nothing  =>  Moodle takes the file whole: what it stores is what inspect
  counted (questions by type, glossary entries and aliases, SCOs, pages, a package's every
  file, activities and their chapters, pages, slots, entries and SCOs).

What Moodle did is read from the checker's JSON (exception, problems, rejections, restore log,
precheck), from its counts against those of the unchanged file, and from the files it stored
(a package's, and a restored course's questions, lessons, books and glossaries), listed by the
probes in tests/support. Skipped where no Moodle harness is set up (../shared/moodle/README.md).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tarfile
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import FIXED_EPOCH
from coursepack.cli import main
from coursepack.diagnostics import Severity
from coursepack.inspect import Report, inspect_file
from coursepack.writers.mbz.tar import INDEX, mbz_bytes
from support.moodle import checker, require_moodle, site_params

ROOT = Path(__file__).resolve().parent.parent
SITES = site_params()
Members = dict[str, bytes]  # an archive's files by path; a text file is {"": its bytes}
Change = Callable[[Members], Members]


def _text(change: Callable[[str], str]) -> Change:
    return lambda m: {"": change(m[""].decode("utf-8")).encode("utf-8")}


def _manifest(change: Callable[[str], str]) -> Change:
    return lambda m: {**m, "imsmanifest.xml": change(m["imsmanifest.xml"].decode()).encode()}


def _without(*names: str) -> Change:
    return lambda m: {k: v for k, v in m.items() if not k.startswith(names)}


def _without_pooled_file(m: Members) -> Members:
    """The backup without the content of the first file files.xml lists (an image that a
    question and a lesson page both show: two records, one file in files/)."""
    sha = next(f.findtext("contenthash") or "" for f in etree.fromstring(m["files.xml"])
               .iter("file") if f.findtext("filename") != ".")
    return _without(f"files/{sha[:2]}/{sha}")(m)


S12, CP, MBZ = "core/core.scorm12.zip", "core/core.imscp.zip", "core/core.mbz"
XML, GIFT, GLOSSARY = "core/questions.xml", "core/questions.gift.txt", "core/glossary.xml"
# name: (the built file, the one change made to it; None: unchanged)
CASES: dict[str, tuple[str, Change | None]] = {
    "questions.xml": (XML, None), "questions.gift": (GIFT, None), "glossary": (GLOSSARY, None),
    "scorm12": (S12, None), "scorm2004": ("core/core.scorm2004.zip", None), "imscp": (CP, None),
    "unit.mbz": (MBZ, None), "course.mbz": ("course.mbz", None),
    "scorm12-manifest-in-folder": (S12, lambda m: {
        ("pkg/" + k if k == "imsmanifest.xml" else k): v for k, v in m.items()}),
    "scorm12-launch-file-missing": (S12, _without("index.html")),
    "scorm12-item-to-no-resource": (S12, _manifest(lambda t: t.replace(
        'identifierref="RES-core"', 'identifierref="RES-none"'))),
    "scorm12-extra-item-to-no-resource": (S12, _manifest(lambda t: t.replace(
        "</organization>", '<item identifier="ITEM-x" identifierref="RES-none"><title>X</title>'
        "</item></organization>"))),
    "scorm12-listed-file-missing": (S12, _without("style.css")),
    "scorm12-member-climbing-out": (S12, lambda m: {**m, "../x.html": b"<p>x</p>"}),
    "imscp-no-organizations": (CP, _manifest(lambda t: re.sub(
        r"(?s)<organizations.*</organizations>", "", t))),
    "imscp-launch-file-missing": (CP, _without("index.html")),
    "xml-unknown-qtype": (XML, _text(lambda t: t.replace(
        'type="multichoice"', 'type="multichoise"', 1))),
    "xml-question-without-name": (XML, _text(lambda t: re.sub(
        r"(?s)<name>.*?</name>", "", t, count=1))),
    "gift-missing-brace": (GIFT, _text(lambda t: t.replace("\n}\n", "\n\n", 1))),
    "glossary-entry-without-concept": (GLOSSARY, _text(lambda t: re.sub(
        "<CONCEPT>[^<]*</CONCEPT>", "<CONCEPT></CONCEPT>", t, count=1))),
    "glossary-repeated-concept": (GLOSSARY, _text(lambda t: re.sub(
        "(?s)(<CONCEPT>[^<]*</CONCEPT>)(.*?)<CONCEPT>[^<]*</CONCEPT>", r"\1\2\1", t, count=1))),
    "mbz-activity-folder-missing": (MBZ, _without("activities/book_1/")),
    "mbz-content-file-missing": (MBZ, _without_pooled_file),
}
BASE = {source: name for name, (source, change) in CASES.items() if change is None}


def _members(path: Path) -> Members:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            return {name: z.read(name) for name in z.namelist()}
    if path.suffix == ".mbz":
        with tarfile.open(path) as t:
            return {m.name: t.extractfile(m).read()  # type: ignore[union-attr]
                    for m in t if m.isfile() and m.name != INDEX}
    return {"": path.read_bytes()}


def _write(path: Path, members: Members) -> Path:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members.items():
                z.writestr(name, data)
    elif path.suffix == ".mbz":  # packed as coursepack packs a backup, index and all
        path.write_bytes(mbz_bytes(members, int(FIXED_EPOCH)))
    else:
        path.write_bytes(members[""])
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each case's file: the seed built with the CLI, then one change made to one output."""
    require_moodle()
    out = tmp_path_factory.mktemp("inspect-moodle")
    result = CliRunner().invoke(main, ["build", str(ROOT / "source"), "-o", str(out / "build"),
                                       "--no-cache", "-q"], env={"SOURCE_DATE_EPOCH": FIXED_EPOCH})
    assert result.exit_code == 0, result.output
    files = {}
    for name, (source, change) in CASES.items():
        built = out / "build" / source
        if change is not None:
            (out / name).mkdir()
            built = _write(out / name / built.name, change(_members(built)))
        files[name] = built
    return files


# The probes (tests/support) that list the files Moodle stored, as "component filearea path".
PROBES: dict[str, Callable[[Any], set[str]]] = {
    "dump-package-files.php": lambda d: {f"{c} {a} {p.lstrip('/')}" for c, a, p, _ in d},
    "dump-questions.php": lambda d: {f"{c} {a} {n}" for q in (d or {}).values()
                                     for c, a, _, n, _ in q.get("files", [])},
    "dump-course-media.php": lambda d: {f"{h['component']} {h['filearea']} {n}" for h in d
                                        for n, _ in h["files"]},
}


def _probe(site: Path, script: str, *args: str) -> Any:
    done = subprocess.run(["php", str(ROOT / "tests" / "support" / script), *args],
                          capture_output=True, text=True, timeout=600, check=False,
                          env={**os.environ, "MOODLE_HARNESS": str(site)})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _give(site: Path, name: str, path: Path) -> dict[str, Any]:
    """Give the file to Moodle as a teacher would; list the files it stored (packages and
    backups), then delete the test course."""
    probes: list[str] = []
    if path.suffix == ".zip":
        args = ["add-imscp.php" if CASES[name][0] == CP else "add-scorm.php", path]
        probes = ["dump-package-files.php"]
    elif path.suffix == ".mbz":
        args, probes = ["restore.php", path], ["dump-questions.php", "dump-course-media.php"]
    elif path.name == "glossary.xml":
        args = ["import-glossary.php", path]
    else:
        args = ["import-questions.php", path, "gift" if path.suffix == ".txt" else "xml"]
    result = checker(site, *args, *(["--keep"] if probes else []))
    course, result["stored"] = str(result.get("course", {}).get("id") or ""), set()
    for n, probe in enumerate(probes if course else []):
        last = ["--delete"] if n == len(probes) - 1 else []
        result["stored"] |= PROBES[probe](_probe(site, probe, course, *last))
    return result


@pytest.fixture(scope="module")
def moodle(corpus: dict[str, Path]) -> Callable[[Path, str], dict[str, Any]]:
    """What a Moodle site made of a case's file (each file given to each site once)."""
    seen: dict[tuple[Path, str], dict[str, Any]] = {}

    def judge(site: Path, name: str) -> dict[str, Any]:
        if (site, name) not in seen:
            seen[site, name] = _give(site, name, corpus[name].resolve())
        return seen[site, name]
    return judge


# What each activity's count is called in inspect's summary and in the restore checker's JSON.
DETAILS = {"question slots": "slots", "entries": "entries", "pages": "pages",
           "chapters": "chapters", "SCOs": "scoes"}
# Moodle 5.x puts a backup's course question bank into a question bank activity it adds
# (mod_qbank, "System shared question bank"), with one precheck warning per category.
QBANK_MOVE = re.compile(r"will be created at a question bank module context by restore")


def held(report: Report) -> Counter[str]:
    """What inspect says the file holds, as Moodle's checkers count it."""
    facts, kind, found = report.facts, report.kind, Counter[str]()
    if kind in ("moodle-xml", "gift"):
        found.update({f"question {t}": n for t, n in facts["types"].items()})
    elif kind == "glossary":
        found.update(entries=facts["imported"], aliases=facts["aliases"])
    elif kind.startswith("scorm"):
        found["SCOs"] = len(facts["scos"])
    elif kind == "imscp":
        found["items"] = len(facts["pages"])
    elif kind == "mbz":
        found.update({f"activity {m}": n for m, n in facts["modules"].items()})
        found.update({f"question {t}": n for t, n in facts["question_types"].items()})
        found.update({f"{a['title']} {DETAILS[what]}": n for a in facts["activities"]
                      for what, n in a["counts"].items() if what in DETAILS})
    return found


def arrived(result: dict[str, Any]) -> Counter[str]:
    """What Moodle stored of the file, counted."""
    found = Counter[str]()
    restored = result.get("questions", {}).get("by_qtype") or {}
    for qtype, n in {**(result.get("questions_by_qtype") or {}), **restored}.items():
        found[f"question {qtype}"] = n
    if result["checker"] == "import-glossary" and "counts" in result:
        found.update(entries=result["counts"]["entries_imported"],
                     aliases=result["database"]["aliases"])
    found["SCOs"] += result.get("sco_count", 0)
    found["items"] += result.get("item_count", 0)
    found.update({f"activity {m}": n for m, n in result.get("modules_by_type", {}).items()
                  if m != "qbank"})
    found.update({f"{d['name']} {key}": d[key] for d in result.get("activity_details", [])
                  for key in DETAILS.values() if key in d and d["type"] != "qbank"})
    return +found


def events(result: dict[str, Any], whole: dict[str, Any]) -> list[str]:
    """What Moodle refused, said or lost of the file, beside what it made of the unchanged
    one (`whole`); "stored file ..." is a file it unpacked that the unchanged one lacks."""
    found = [f"refused: {result['exception']['message']}"] if result.get("exception") else []
    found += [f"problem: {p}" for p in result.get("problems", [])]
    found += [f"rejected entry: {r['reason']}" for r in result.get("rejections", [])]
    found += [f"log: {p['message']}" for p in result.get("restore_log_problems", [])]
    found += [f"php: {w}" for w in result.get("php_warnings", [])]
    precheck = result.get("precheck") or {}
    found += [f"precheck: {p}" for p in precheck.get("errors", []) + precheck.get("warnings", [])
              if not (int(result["moodle_branch"]) >= 500 and QBANK_MOVE.search(p))]
    have, had = arrived(result), arrived(whole)
    found += [f"fewer {key}: {have[key]} of {n}" for key, n in had.items() if have[key] < n]
    files, was = result.get("stored", set()), whole.get("stored", set())
    found += [f"lost file {p}" for p in sorted(was - files)]
    found += [f"stored file {p}" for p in sorted(files - was)]
    if not result["ok"] and not found:
        found.append(f"refused: {result.get('error') or result['exit_code']}")
    return found


def _said(pattern: str, message: str) -> list[str]:
    """The parts of a warning's message that `pattern` finds, as patterns."""
    found = re.search(pattern, message)
    assert found, (pattern, message)
    return [re.escape(part) for part in found.groups()]


def _missing_in_backup(message: str) -> str:
    path, component, area = _said(r"backup: /(\S+) \(component (\w+), filearea (\w+),", message)
    return (f"lost file {component} {area} {path}$|log: Missing file in backup: /{path} "
            rf"\(.*, component {component}, filearea {area},")


# What Moodle does where inspect warns, as a pattern of the events it explains (each warning
# must explain at least one).
MEANS: dict[str, Callable[[str], str]] = {
    "inspect-file-missing": lambda m: r"lost file mod_\w+ content {}$".format(
        *_said("lists '([^']*)'", m)),
    "inspect-unsafe-name": lambda m: r"stored file mod_\w+ content {}$".format(
        *_said("unpacks it as '([^']*)'", m)),
    "inspect-missing-resource": lambda m: "problem: Moodle warning: {}$".format(
        *_said(r"^(.*?) \(item", m)),
    "inspect-glossary-rejected": lambda m: "rejected entry: No concept or definition found"
                                           "|fewer (entries|aliases):",
    "inspect-glossary-duplicate": lambda m: "rejected entry: Duplicate entry"
                                            "|fewer (entries|aliases):",
    # Moodle logs a file missing from the backup, but not one of a question's
    "inspect-mbz-file-missing": _missing_in_backup,
}


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("name", list(CASES))
def test_inspect_agrees_with_moodle(corpus: dict[str, Path], moodle: Callable[..., Any],
                                    site: Path, name: str) -> None:
    report = inspect_file(corpus[name])
    result, whole = moodle(site, name), moodle(site, BASE[CASES[name][0]])
    found = events(result, whole)
    explained: set[str] = set()
    for warning in (d for d in report.diagnostics if d.severity is Severity.WARNING):
        meant = [e for e in found if re.match(MEANS[warning.code](warning.message), e)]
        assert meant, (warning.text(), found)  # Moodle does what the warning says
        explained.update(meant)
    lost = [e for e in found if e not in explained and not e.startswith("stored file ")]
    errors = [d.text() for d in report.diagnostics if d.severity is Severity.ERROR]
    assert bool(errors) == bool(lost), (errors, lost)
    if not report.diagnostics:  # taken whole: all that inspect counted arrived
        assert arrived(result) == held(report) and +held(report), (held(report), result)
        assert len(result["stored"]) == report.facts.get("members", len(result["stored"]))
