"""`coursepack inspect`: the counts of what coursepack builds and Moodle exports, and hostile
files reported as located diagnostics, never a traceback."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import struct
import tarfile
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import FIXED_EPOCH
from coursepack.cli import main
from coursepack.inspect import archive, inspect_file
from coursepack.source import read_source
from coursepack.writers.qbank import bank

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
REFERENCE = ROOT.parent / "shared" / "moodle" / "reference"
MOODLE_QTYPE = {"matching": "match", "cloze": "multianswer"}
UNITS = sorted(p.name for p in (SOURCE / "units").iterdir() if p.is_dir())


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def inspected(*paths: Path) -> tuple[int, list[dict[str, Any]]]:
    result = run("inspect", "--format", "json", *map(str, paths))
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed source built with the CLI, as a user builds it."""
    out = tmp_path_factory.mktemp("inspect") / "build"
    result = CliRunner().invoke(main, ["build", str(SOURCE), "-o", str(out), "--no-cache", "-q"],
                                env={"SOURCE_DATE_EPOCH": FIXED_EPOCH})
    assert result.exit_code == 0, result.output
    return out


# --- what coursepack builds --------------------------------------------------------------


def test_every_built_file_inspects_clean(build: Path) -> None:
    files = sorted(p for p in build.rglob("*") if p.is_file() and not p.name.startswith("."))
    code, reports = inspected(*files)
    assert code == 0
    assert [d for r in reports for d in r["diagnostics"]] == []
    kinds = Counter(r["kind"] for r in reports)
    assert kinds == {"moodle-xml": 6, "gift": 6, "glossary": 6, "scorm12": 5, "scorm2004": 5,
                     "imscp": 5, "mbz": 6}
    text = run("inspect", *map(str, files)).stdout.splitlines()
    assert text[0] == f"{files[0]}: IMS content package"  # core/core.imscp.zip
    assert text[-1] == f"inspected {len(files)} files: 0 errors, 0 warnings"


def _xml_counts(path: Path) -> tuple[Counter[str], Counter[tuple[str, ...]], int]:
    """Questions by Moodle type and category path, and embedded files, read with lxml."""
    root = etree.parse(str(path)).getroot()
    types: Counter[str] = Counter()
    categories: Counter[tuple[str, ...]] = Counter()
    current: tuple[str, ...] = ()
    for item in root.iterchildren("question"):
        kind = item.get("type", "")
        if kind == "category":
            names = (item.findtext("category/text") or "").split("/")
            current = tuple(n for n in names[1:] if n != "top")
            categories[current] += 0
            continue
        types[MOODLE_QTYPE.get(kind, kind)] += 1
        categories[current] += 1
    return types, categories, len(root.findall("question//file"))


@pytest.mark.parametrize("where", ["", *UNITS])
def test_question_counts_are_the_models_and_the_files(build: Path, where: str) -> None:
    path = build / where / "questions.xml"
    _, [report] = inspected(path)
    types, categories, files = _xml_counts(path)
    summary = report["summary"]
    assert summary["types"] == dict(types) and summary["files"] == files
    assert {tuple(c["path"]): c["questions"] for c in summary["categories"]} == categories
    catalogue = read_source(SOURCE).catalogue
    assert catalogue is not None
    units = tuple(u for u in catalogue.units if u.id == where) or catalogue.units
    model = Counter(MOODLE_QTYPE.get(q.qtype, q.qtype)
                    for c in bank(catalogue, units) for q in c.questions)
    assert summary["types"] == dict(model) and summary["questions"] == model.total()


def test_gift_counts_are_its_questions(build: Path) -> None:
    path = build / "questions.gift.txt"
    _, [report] = inspected(path)
    text = path.read_text(encoding="utf-8")
    starts = re.findall(r"^(\$CATEGORY: .*|::)", text, re.M)
    per: Counter[tuple[str, ...]] = Counter()
    current: tuple[str, ...] = ()
    for start in starts:
        if start.startswith("$CATEGORY"):
            current = tuple(n for n in start.split(": ", 1)[1].split("/")[1:] if n != "top")
        else:
            per[current] += 1
    summary = report["summary"]
    assert summary["questions"] == sum(per.values()) > 0
    assert {tuple(c["path"]): c["questions"] for c in summary["categories"]} == per
    xml_types, _, _ = _xml_counts(build / "questions.xml")
    assert all(n <= xml_types[kind] for kind, n in summary["types"].items())


@pytest.mark.parametrize("unit", UNITS)
def test_packages_name_their_kind_and_launch_files(build: Path, unit: str) -> None:
    for kind in ("scorm12", "scorm2004", "imscp"):
        path = build / unit / f"{unit}.{kind}.zip"
        _, [report] = inspected(path)
        assert report["kind"] == kind
        with zipfile.ZipFile(path) as z:
            manifest = etree.fromstring(z.read("imsmanifest.xml"))
            names = set(z.namelist())
        hrefs = {r.get("identifier"): r.get("href") for r in manifest.iter("{*}resource")}
        items = [(i.get("identifier"), hrefs[i.get("identifierref")])
                 for i in manifest.iter("{*}item")]
        opened = report["summary"]["pages" if kind == "imscp" else "scos"]
        assert [(o["identifier"], o.get("launch", o.get("href"))) for o in opened] == items
        assert all(o["present"] and (o.get("launch") or o["href"]) in names for o in opened)
        assert report["summary"]["members"] == len(names)


def _tgz(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
                for m in tar.getmembers() if m.isfile()}


@pytest.mark.parametrize("name", ["course.mbz", *(f"{u}/{u}.mbz" for u in UNITS)])
def test_backup_counts_are_its_xml(build: Path, name: str) -> None:
    _, [report] = inspected(build / name)
    members = _tgz(build / name)
    info = etree.fromstring(members["moodle_backup.xml"]).find("information")
    assert info is not None
    listed = [(a.findtext("modulename"), a.findtext("title"), a.findtext("directory"))
              for a in info.iterfind("contents/activities/activity")]
    summary = report["summary"]
    assert [(a["module"], a["title"], a["directory"]) for a in summary["activities"]] == listed
    what = {"book": ".//chapter", "lesson": ".//pages/page", "quiz": ".//question_instance",
            "glossary": ".//entries/entry"}
    for activity in summary["activities"]:
        own = etree.fromstring(members[f"{activity['directory']}/{activity['module']}.xml"])
        if activity["module"] in what:
            assert list(activity["counts"].values()) == [len(own.findall(
                what[activity["module"]]))]
    bank_root = etree.fromstring(members["questions.xml"])
    top = [q for q in bank_root.iter("question") if q.findtext("parent") == "0"]
    assert summary["questions"] == len(top) > 0
    records = etree.fromstring(members["files.xml"]).findall("file")
    assert summary["files"] == sum(r.findtext("filename") != "." for r in records)
    assert summary["files_missing"] == 0


def test_a_backup_as_a_zip_reads_as_its_tar(build: Path, tmp_path: Path) -> None:
    """Moodle unpacks a backup that is not gzip as a zip (lib/filestorage/mbz_packer.php)."""
    path = _zip(tmp_path / "zipped.mbz", _tgz(build / "core" / "core.mbz"))
    code, [as_zip, as_tar] = inspected(path, build / "core" / "core.mbz")
    assert code == 0 and as_zip["diagnostics"] == []
    assert as_zip["summary"] == as_tar["summary"]


def test_inspect_writes_nothing(build: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = {p: p.stat().st_mtime_ns for p in build.rglob("*")}
    run("inspect", *map(str, (build / "course.mbz", build / "questions.xml")))
    assert {p: p.stat().st_mtime_ns for p in build.rglob("*")} == before
    assert list(tmp_path.iterdir()) == []


# --- what Moodle itself wrote ------------------------------------------------------------


@pytest.fixture(scope="module")
def verified() -> dict[str, Any]:
    if not (REFERENCE / "verification.json").is_file():
        pytest.skip("no reference files from Moodle in ../shared/moodle/reference")
    result: dict[str, Any] = json.loads((REFERENCE / "verification.json").read_text())
    return result


def test_moodles_question_exports_count_as_moodle_imported_them(
        verified: dict[str, Any]) -> None:
    code, [xml, gift] = inspected(REFERENCE / "questions-all-types.xml",
                                  REFERENCE / "questions-all-types.gift")
    for report, key in ((xml, "import-xml"), (gift, "import-gift")):
        assert report["summary"]["questions"] == verified[key]["question_count"]
        assert report["summary"]["types"] == verified[key]["questions_by_qtype"]
        assert [d for d in report["diagnostics"] if d["severity"] == "error"] == []
    assert xml["summary"]["categories"] == [{"path": ["Reference"], "questions": 0},
                                            {"path": ["Reference", "Unit 1"], "questions": 12}]
    assert xml["summary"]["files"] == 1 and code == 0


def test_moodles_glossary_export_counts_as_moodle_imported_it(
        verified: dict[str, Any]) -> None:
    code, [report] = inspected(REFERENCE / "glossary.xml")
    database = verified["import-glossary"]["database"]
    summary = report["summary"]
    assert (summary["entries"], summary["imported"]) == (database["entries"],) * 2
    assert summary["aliases"] == database["aliases"]
    assert summary["categories"] == database["categories"]
    assert summary["category_links"] == database["entry_category_links"]
    assert summary["embedded_files"] == database["files"]["entry"]
    assert (code, report["diagnostics"]) == (0, [])


@pytest.mark.parametrize(("name", "key"), [("reference-course.mbz", "restore-mbz"), (
    "reference-course-users.mbz", "restore-mbz-users")])
def test_moodles_backups_count_as_moodle_restored_them(verified: dict[str, Any], name: str,
                                                       key: str) -> None:
    code, [report] = inspected(REFERENCE / name)
    restored, summary = verified[key], report["summary"]
    assert (code, report["diagnostics"]) == (0, [])
    assert summary["modules"] == restored["modules_by_type"]
    assert summary["questions"] == restored["questions"]["total"]
    assert summary["question_types"] == restored["questions"]["by_qtype"]
    assert summary["moodle_release"] == restored["moodle_release"]
    names = {"slots": "question slots", "pages": "pages", "chapters": "chapters",
             "entries": "entries", "scoes": "SCOs"}
    for detail in restored["activity_details"]:
        [activity] = [a for a in summary["activities"] if a["title"] == detail["name"]]
        for field, value in detail.items():
            if field in names:
                assert activity["counts"][names[field]] == value
        assert detail.get("version", activity["counts"].get("version")) == \
            activity["counts"].get("version")


# --- hostile files -----------------------------------------------------------------------


def refused(path: Path, code: str) -> list[dict[str, Any]]:
    """Inspect a hostile file: exit 1, the diagnostic `code` located in it, no traceback."""
    exit_code, [report] = inspected(path)
    assert exit_code == 1, report
    found = [d for d in report["diagnostics"] if d["code"] == code]
    assert found, report["diagnostics"]
    assert all(d["file"].startswith(str(path)) and d["line"] >= 1 and d["col"] >= 1
               for d in report["diagnostics"])
    assert not any(d["code"] == "inspect-failed" for d in report["diagnostics"])
    text = run("inspect", str(path)).stdout
    assert f"{path}:" in text and f"[{code}]" in text
    return found


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data)
    return path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_a_member_climbing_out_of_the_folder(build: Path, tmp_path: Path) -> None:
    members = _members(build / "core" / "core.scorm12.zip")
    for name in ("../evil", "/etc/evil"):  # Moodle takes it as 'evil', 'etc/evil': a warning
        code, [report] = inspected(_zip(tmp_path / "evil.zip", {**members, name: b"x"}))
        [found] = report["diagnostics"]
        assert code == 0 and found["code"] == "inspect-unsafe-name", found
        assert found["severity"] == "warning" and repr(name) in found["message"]


def test_a_manifest_not_at_the_root(build: Path, tmp_path: Path) -> None:
    members = _members(build / "core" / "core.scorm12.zip")
    [found] = refused(_zip(tmp_path / "nested.zip", {f"pkg/{k}": v for k, v in members.items()}),
                      "inspect-manifest-location")
    assert found["file"].endswith("!pkg/imsmanifest.xml")
    refused(_zip(tmp_path / "none.zip", {"index.html": b"<p>hi</p>"}), "inspect-no-manifest")


@pytest.mark.parametrize("kind", ["scorm12", "scorm2004", "imscp"])
def test_a_missing_launch_file(build: Path, tmp_path: Path, kind: str) -> None:
    members = _members(build / "core" / f"core.{kind}.zip")
    del members["index.html"]
    [found] = refused(_zip(tmp_path / f"{kind}.zip", members), "inspect-launch-missing")
    manifest = members["imsmanifest.xml"].decode()
    assert found["file"].endswith("!imsmanifest.xml")
    assert found["line"] == manifest[:manifest.index("<item ")].count("\n") + 1


def test_a_truncated_backup(build: Path, tmp_path: Path) -> None:
    data = (build / "core" / "core.mbz").read_bytes()
    for cut in (len(data) // 2, len(data) - 2000, 30, 11):
        path = tmp_path / f"cut{cut}.mbz"
        path.write_bytes(data[:cut])
        refused(path, "inspect-archive")
    path = tmp_path / "trailer.mbz"  # cut after the tar's end: Moodle's gzread reads it all
    path.write_bytes(data[:-9])
    code, [report] = inspected(path)
    assert code == 0 and [(d["code"], d["severity"]) for d in report["diagnostics"]] == [
        ("inspect-archive", "warning")]


def test_xml_that_is_not_xml_or_holds_entities(tmp_path: Path) -> None:
    path = tmp_path / "bank.xml"
    path.write_text("Which is right?{=this ~that}")
    assert refused(path, "inspect-syntax")[0]["line"] == 1
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY l0 "ha">{laughs}]>'
                    "<quiz>&l9;</quiz>")
    refused(path, "inspect-syntax")


def test_a_question_type_moodle_does_not_know(tmp_path: Path) -> None:
    path = tmp_path / "bank.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n'
                    '  <question type="shortanswer"><name><text>ok</text></name>'
                    "<questiontext><text>?</text></questiontext>"
                    "<answer fraction='100'><text>a</text></answer></question>\n"
                    '  <question type="random"><name><text>r</text></name></question>\n'
                    '  <question type="wibble"><name><text>w</text></name></question>\n</quiz>')
    found = refused(path, "inspect-qtype")
    assert [(d["line"], d["message"].split(" is ")[0]) for d in found] == [
        (4, "Question type random"), (5, "Question type wibble")]


def _bomb_zip(path: Path, size: int) -> Path:
    """A zip whose manifest unpacks to `size` zero bytes, deflated to a few hundred KiB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z, \
            z.open("imsmanifest.xml", "w", force_zip64=True) as member:
        for _ in range(size // 2**22):
            member.write(bytes(2**22))
    return path


def test_zip_bombs(tmp_path: Path) -> None:
    refused(_bomb_zip(tmp_path / "bomb.zip", 96 * 2**20), "inspect-zip-bomb")
    data = bytearray(_zip(tmp_path / "small.zip", {"imsmanifest.xml": b"<manifest/>" * 50}
                          ).read_bytes())
    at = data.rindex(b"PK\x01\x02")
    data[at + 24:at + 28] = struct.pack("<I", 0xFFFF0000)  # declares 4 GiB unpacked
    (tmp_path / "declared.zip").write_bytes(data)
    refused(tmp_path / "declared.zip", "inspect-zip-bomb")
    data = bytearray((tmp_path / "small.zip").read_bytes())
    for magic, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.index(magic)
        data[at + offset:at + offset + 4] = struct.pack("<I", 20)  # declares less than it is
    (tmp_path / "lying.zip").write_bytes(data)
    refused(tmp_path / "lying.zip", "inspect-archive")


def _gz_tar(path: Path, members: dict[str, bytes], fmt: int = tarfile.USTAR_FORMAT) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=fmt) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(gzip.compress(buffer.getvalue()))
    return path


def test_a_gzip_bomb_stops_at_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "STREAM_CAP", 2**20)
    refused(_gz_tar(tmp_path / "bomb.mbz", {"zeros": bytes(4 * 2**20)}), "inspect-too-large")


def test_tar_headers_moodle_does_not_read(tmp_path: Path) -> None:
    long = "activities/" + "x" * 120 + "/module.xml"
    refused(_gz_tar(tmp_path / "pax.mbz", {long: b"<a/>"}, tarfile.PAX_FORMAT),
            "inspect-tar-extended")
    header = bytearray(512)
    header[:8] = b"file.txt"
    (tmp_path / "v7.mbz").write_bytes(gzip.compress(bytes(header) + bytes(1024)))
    refused(tmp_path / "v7.mbz", "inspect-archive")


def _rewritten(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """The backup with members changed (None: left out, with what is below it)."""
    members = {k: v for k, v in _tgz(source).items()
               if not any(k == c or k.startswith(c + "/") for c, v2 in change.items()
                          if v2 is None)}
    members.update({k: v for k, v in change.items() if v is not None})
    return _gz_tar(target, members)


def test_a_backup_missing_an_activity_or_files(build: Path, tmp_path: Path) -> None:
    source = build / "core" / "core.mbz"
    found = refused(_rewritten(source, tmp_path / "a.mbz", {"activities/book_1": None}),
                    "inspect-mbz-missing")
    assert {d["message"].split(": ")[1] for d in found} == {
        "activities/book_1/module.xml is missing", "activities/book_1/book.xml is missing"}
    pooled = next(k for k in _tgz(source) if k.startswith("files/"))
    path = _rewritten(source, tmp_path / "b.mbz", {pooled: None})
    code, [report] = inspected(path)
    assert code == 0 and {d["code"] for d in report["diagnostics"]} == {
        "inspect-mbz-file-missing"}
    assert report["summary"]["files_missing"] >= 1


def test_backup_versions_moodle_warns_about_or_refuses(build: Path, tmp_path: Path) -> None:
    source = build / "core" / "core.mbz"
    info = _tgz(source)["moodle_backup.xml"]
    newer = info.replace(b"<moodle_version>2024100700<", b"<moodle_version>2026100600<")
    code, [report] = inspected(_rewritten(source, tmp_path / "new.mbz",
                                          {"moodle_backup.xml": newer}))
    assert code == 0 and [d["code"] for d in report["diagnostics"]] == ["inspect-mbz-newer"]
    older = info.replace(b"<backup_version>2024100700<", b"<backup_version>2009010100<")
    refused(_rewritten(source, tmp_path / "old.mbz", {"moodle_backup.xml": older}),
            "inspect-mbz-version")
    head = info.replace(b'<?xml version="1.0" encoding="UTF-8"?>', b"<?xml version='1.0'?>")
    refused(_rewritten(source, tmp_path / "head.mbz", {"moodle_backup.xml": head}),
            "inspect-mbz-format")


def test_random_bytes(tmp_path: Path) -> None:
    noise = bytes(range(256)) * 8
    for name, code in (("x.bin", "inspect-kind"), ("x.zip", "inspect-archive"),
                       ("x.mbz", "inspect-archive"), ("x.txt", "inspect-syntax"),
                       ("x.xml", "inspect-syntax")):
        (tmp_path / name).write_bytes(noise)
        refused(tmp_path / name, code)


def test_usage_errors() -> None:
    assert run("inspect").exit_code == 2
    assert run("inspect", "no/such/file.mbz").exit_code == 2
    assert run("inspect", "--format", "yaml", str(REFERENCE)).exit_code == 2


# --- never a traceback, whatever the bytes -----------------------------------------------

NAMES = st.text(st.sampled_from("ab./\\:_-é\x00"), min_size=1, max_size=12)


@st.composite
def hostile(draw: st.DrawFn) -> tuple[str, bytes]:
    """Bytes of any kind, or a zip or gzip tar of anything, under any of the names."""
    suffix = draw(st.sampled_from([".zip", ".mbz", ".xml", ".txt", ".imscc", ".bin"]))
    shape = draw(st.sampled_from(["bytes", "zip", "tgz", "magic"]))
    members = draw(st.dictionaries(st.sampled_from(
        ["imsmanifest.xml", "moodle_backup.xml", "files.xml", "questions.xml",
         "activities/book_1/book.xml"]) | NAMES, st.binary(max_size=300), max_size=4))
    if shape == "zip":
        buffer = io.BytesIO()
        named = {name.split("\x00")[0] or "x": data for name, data in members.items()}
        with zipfile.ZipFile(buffer, "w") as z:
            for name, data in named.items():
                z.writestr(name, data)
        data = buffer.getvalue()
        cut = draw(st.integers(0, len(data)))
        return suffix, data[:cut] if draw(st.booleans()) else data
    if shape == "tgz":
        blocks = b"".join(_header(name, len(d)) + d + bytes(-len(d) % 512)
                          for name, d in members.items())
        return suffix, gzip.compress(blocks + draw(st.binary(max_size=600)))
    noise = draw(st.binary(max_size=2000))
    head = draw(st.sampled_from([b"", b"PK\x03\x04", b"\x1f\x8b\x08\x00", b"<quiz>",
                                 b"<?xml version='1.0'?><GLOSSARY>"]))
    return suffix, head + noise if shape == "magic" else noise


def _header(name: str, size: int) -> bytes:
    block = bytearray(512)
    raw = name.encode("utf-8", "replace")[:100]
    block[:len(raw)] = raw
    block[124:136] = f"{size:011o}\x00".encode()
    block[156:157] = b"0"
    block[257:263] = b"ustar\x00"
    return bytes(block)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile())
def test_any_bytes_give_a_report_never_an_exception(case: tuple[str, bytes]) -> None:
    suffix, data = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"file{suffix}"
        path.write_bytes(data)
        report = inspect_file(path)
        assert os.listdir(tmp) == [path.name]
    assert not any(d.code == "inspect-failed" for d in report.diagnostics), report.diagnostics
    assert all(d.line >= 1 and d.col >= 1 for d in report.diagnostics)
    json.dumps(report.json())


def test_a_zip_whose_directory_is_too_large_is_not_parsed(tmp_path: Path) -> None:
    """The central directory zipfile would parse (whatever member count the end record gives)
    is bounded: a zip declaring 1 member in a 100 MB directory is refused before it is read."""
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 12:end + 16] = (100 * 2**20).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    result = run("inspect", str(path))
    assert result.exit_code == 1 and "[inspect-too-many]" in result.output


def test_json_report_of_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsdecode(b"bad\xffname.xml")
    (tmp_path / name).write_bytes(b"<quiz></quiz>")
    result = run("inspect", "--format", "json", str(tmp_path / name))
    rows = json.loads(result.output)
    assert rows[0]["path"].endswith("bad\\udcffname.xml")
    rows[0]["path"].encode("utf-8")  # no lone surrogate left


def test_two_members_that_unpack_to_one_path(tmp_path: Path) -> None:
    """Moodle strips '..' from member names; a member that then lands on another's path is
    lost, so it is an error, where the stripped name alone is a warning."""
    path = tmp_path / "clash.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("index.html", "one")
        archive.writestr("../index.html", "two")
    result = run("inspect", str(path))
    assert result.exit_code == 1 and "[inspect-name-clash]" in result.output


def test_a_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "questions.xml"
    os.mkfifo(fifo)
    result = run("inspect", str(fifo))
    assert result.exit_code == 1 and "is not a regular file [inspect-kind]" in result.output
