"""Diagnostics for CI systems: JUnit XML (a test case per file) and SARIF 2.1.0 (code scanning)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from urllib.parse import quote as url_quote

from lxml import etree

from . import __version__
from .diagnostics import Diagnostic, Severity, one_line

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
HOME = "https://pypi.org/project/coursepack/"
SUITE = "coursepack validate"


# what XML 1.0 cannot hold and one_line leaves: the two non-characters at the end of the BMP
_NOT_XML = re.compile("[\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub(lambda found: f"\\u{ord(found.group()):04x}", one_line(text))


def junit(diagnostics: list[Diagnostic], files: Iterable[str]) -> str:
    """JUnit XML: one test case per file (each file checked, and each file a diagnostic names),
    each diagnostic a failure of its file's case, with its location in the message."""
    by_file: dict[str, list[Diagnostic]] = {_xml(f): [] for f in files}
    for diag in sorted(diagnostics):
        by_file.setdefault(_xml(diag.file), []).append(diag)
    failed = sum(bool(found) for found in by_file.values())
    counts = {"tests": str(len(by_file)), "failures": str(failed), "errors": "0"}
    suites = etree.Element("testsuites", {"name": SUITE, **counts})
    suite = etree.SubElement(suites, "testsuite", {"name": SUITE, "skipped": "0", **counts})
    for name in sorted(by_file):
        case = etree.SubElement(suite, "testcase", name=name, classname="coursepack.validate")
        for diag in by_file[name]:
            failure = etree.SubElement(case, "failure", type=_xml(diag.code),
                                       message=_xml(diag.text()))
            failure.text = _xml(diag.text())
    body = etree.tostring(suites, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return body.decode("utf-8").rstrip("\n")


def sarif(diagnostics: list[Diagnostic]) -> str:
    """SARIF 2.1.0, as GitHub code scanning reads it: a rule per code, a result per diagnostic
    at its file (relative to the folder the command ran in), line and column."""
    ordered = sorted(diagnostics)
    codes = sorted({d.code for d in ordered})
    rules = [{"id": code, "name": code, "shortDescription": {"text": f"coursepack: {code}"}}
             for code in codes]
    run = {"tool": {"driver": {"name": "coursepack", "version": __version__,
                               "informationUri": HOME, "rules": rules}},
           "columnKind": "unicodeCodePoints",
           "originalUriBaseIds": {"SRCROOT": {"description": {
               "text": "The folder coursepack validate ran in."}}},
           "results": [_result(d, codes.index(d.code)) for d in ordered]}
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False)


def _result(diag: Diagnostic, rule: int) -> dict[str, object]:
    level = "error" if diag.severity is Severity.ERROR else "warning"
    uri = url_quote(one_line(diag.file).replace("\\", "/"), safe="/")
    place: dict[str, object] = {"artifactLocation": {"uri": uri, "uriBaseId": "SRCROOT"}}
    if not os.path.isdir(diag.file):  # a folder has no lines: its diagnostic has no region
        place["region"] = {"startLine": max(diag.line, 1), "startColumn": max(diag.col, 1)}
    return {"ruleId": diag.code, "ruleIndex": rule, "level": level,
            "message": {"text": f"{one_line(diag.message)} [{diag.code}]"},
            "locations": [{"physicalLocation": place}]}
