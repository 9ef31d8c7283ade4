"""`coursepack inspect`: what a Moodle file holds, and what Moodle would refuse in it."""

from __future__ import annotations

from pathlib import Path

from ..importers.run import MAX_BYTES, detect
from . import backup, package
from .archive import Listing, read_tgz, read_zip
from .glossary import inspect_glossary
from .questions import inspect_gift, inspect_xml
from .report import Report, as_json, failed, text

__all__ = ["Report", "as_json", "failed", "inspect_file", "inspect_files", "text"]

ARCHIVES = {".zip", ".mbz", ".imscc"}
GIFT = {".txt", ".gift"}
KINDS = ("Moodle XML question files and glossary exports (.xml), GIFT question files (.txt, "
         ".gift), SCORM and IMS content packages (.zip) and Moodle backups (.mbz)")


def inspect_files(paths: list[Path]) -> list[Report]:
    """A report on each file, in order; nothing is written anywhere."""
    return [inspect_file(path) for path in paths]


def inspect_file(path: Path, display: str | None = None) -> Report:
    """What the file holds and what Moodle would refuse in it, whatever its bytes."""
    report = Report(display or str(path))
    try:
        _inspect(path, report)
    except MemoryError:
        report.error("too large to inspect in the memory there is", "inspect-too-large")
    except Exception as exc:  # a last resort: a report, never a traceback
        report.error(f"inspect could not read it ({type(exc).__name__}: {exc})",
                     "inspect-failed")
    return report


def _inspect(path: Path, report: Report) -> None:
    if not path.is_file():  # a pipe or device would never end
        report.error("is not a regular file", "inspect-kind")
        return
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        report.error(f"cannot be read: {exc.strerror}", "io-error")
        return
    suffix = path.suffix.lower()
    if head.startswith(b"\x1f\x8b"):
        _backup(report, read_tgz(path, backup.wanted))
    elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")) or suffix in ARCHIVES:
        _zip(report, path, suffix)
    else:
        _text(report, path, suffix, head)


def _zip(report: Report, path: Path, suffix: str) -> None:
    listing = read_zip(path, lambda name: name == package.MANIFEST or backup.wanted(name))
    if listing.get(backup.INFO) is not None or suffix == ".mbz":
        _backup(report, listing)
        return
    report.kind, report.title = "zip", "zip archive"
    _problems(report, listing)
    if listing.members:
        package.inspect_package(report, listing)


def _backup(report: Report, listing: Listing) -> None:
    report.kind, report.title = "mbz", "Moodle backup"
    _problems(report, listing)
    if listing.members:
        backup.inspect_backup(report, listing)


def _problems(report: Report, listing: Listing) -> None:
    for problem in listing.problems:
        report.note(problem.message, problem.code, problem.severity, member=problem.member)


def _text(report: Report, path: Path, suffix: str, head: bytes) -> None:
    """A question file or glossary export: XML by its name or first bytes, else GIFT."""
    kind = "xml" if suffix == ".xml" else detect(head)
    if kind == "gift" and suffix not in GIFT:
        report.error(f"not a file inspect understands; it reads {KINDS}", "inspect-kind")
        return
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        report.error(f"cannot be read: {exc.strerror}", "io-error")
        return
    if len(data) > MAX_BYTES:
        report.error(f"larger than the {MAX_BYTES // 2**20} MiB inspect reads of a question "
                     "file", "inspect-too-large")
        return
    if detect(data) == "glossary":
        inspect_glossary(report, data)
    elif kind == "xml":
        inspect_xml(report, data)
    else:
        inspect_gift(report, data)
