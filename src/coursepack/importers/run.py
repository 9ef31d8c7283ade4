"""`coursepack import`: read the files, place what they hold in a unit of a source folder, write
it there, and check the source; nothing is written when a file cannot be read, and what was
written is taken back when the source does not then validate."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..diagnostics import Diagnostic, Severity, has_errors
from . import Found, moodlexml, place, yamlout

MAX_BYTES = 256 * 2**20  # a file to import, its files' base64 included
SCHEMA = "../../../schemas/questions.schema.json"
UNIT_SCHEMA = "../../../schemas/unit.schema.json"


@dataclass
class Outcome:
    """What an import did: its diagnostics, the files it wrote, the questions it placed."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    questions: int = 0


def detect(data: bytes) -> str:
    """A file's format from its content: Moodle XML questions, a glossary export, or GIFT."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "glossary" if re.search(rb"<GLOSSARY\b", head) else "xml"
    return "gift"


def read(path: Path, display: str, fmt: str | None, folder: Path | None = None) -> Found:
    """One file's content as source (a located error when it cannot be read), its files named
    for the unit folder `folder`."""
    found = Found(display)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        found.note(1, f"cannot be read: {exc.strerror}", "io-error", Severity.ERROR)
        return found
    if len(data) > MAX_BYTES:
        found.note(1, f"larger than the {MAX_BYTES // 2**20} MiB a file to import may be; "
                   "export the questions in smaller parts", "import-too-large", Severity.ERROR)
        return found
    kind = fmt or detect(data)
    if kind != "xml":
        found.note(1, f"importing {kind} files is not available yet: export the questions as "
                   "Moodle XML", "import-format", Severity.ERROR)
        return found
    return moodlexml.read(data, display, folder)


def import_files(paths: list[Path], unit: str, root: Path, fmt: str | None = None,
                 display: dict[Path, str] | None = None) -> Outcome:
    """Import question files into unit `unit` of the source folder `root`."""
    outcome = Outcome()
    folder = root / "units" / unit
    founds = [read(p, (display or {}).get(p, str(p)), fmt, folder) for p in paths]
    for found in founds:
        outcome.diagnostics += found.notes
    if has_errors(outcome.diagnostics):
        return outcome
    try:
        changes = _changes(root, folder, unit, founds, outcome)
    except _Refused as exc:
        outcome.diagnostics.append(Diagnostic(str(exc.path), 1, 1, Severity.ERROR, str(exc),
                                              "import-refused"))
        return outcome
    before = {path: path.read_bytes() if path.exists() else None for path in changes}
    known = _errors(root)
    _apply(changes, outcome, before)
    new = [d for d in _errors(root) if d.text() not in {k.text() for k in known}]
    if outcome.written and new:
        _restore(before, outcome)
        outcome.diagnostics += [*new, Diagnostic(str(root), 1, 1, Severity.ERROR,
                                                 "the source would not validate with the "
                                                 "imported questions: nothing is written",
                                                 "import-invalid")]
    return outcome


def _errors(root: Path) -> list[Diagnostic]:
    from ..runs import check_source

    return [d for d in check_source(root).diagnostics if d.severity is Severity.ERROR]


class _Refused(Exception):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


def _changes(root: Path, folder: Path, unit: str, founds: list[Found],
             outcome: Outcome) -> dict[Path, bytes]:
    """Every file to write, with its new content (nothing is written yet)."""
    if not (root / "course.yaml").is_file():
        raise _Refused(root, f"{root} is not a source folder: it has no course.yaml")
    questions_file = folder / "questions.yaml"
    existing = questions_file.read_text(encoding="utf-8") if questions_file.exists() else None
    taken = _source_ids(root)
    items = [q for found in founds for q in place.unit_questions(found, unit, taken)]
    outcome.questions = len(items)
    for found in founds:  # notes made while placing
        outcome.diagnostics += [n for n in found.notes if n not in outcome.diagnostics]
    changes: dict[Path, bytes] = {}
    for found in founds:
        for rel, data in found.files.items():
            target = folder / rel
            if target.exists() and target.read_bytes() != data:
                raise _Refused(target, f"{target} holds other content: importing would "
                               "overwrite it; move it away and import again")
            changes[target] = data
    if existing is None:
        text = yamlout.document({"questions": items}, SCHEMA)
    else:
        text = _appended(questions_file, existing, items)
    changes[questions_file] = text.encode("utf-8")
    if not (folder / "unit.yaml").exists():
        title = founds[0].display.rsplit("/", 1)[-1].rsplit(".", 1)[0] or unit
        changes[folder / "unit.yaml"] = yamlout.document(
            place.skeleton(unit, title), UNIT_SCHEMA).encode("utf-8")
        changes[root / "course.yaml"] = _listed(root / "course.yaml", unit)
    return changes


def _source_ids(root: Path) -> set[str]:
    """Every id the source's files give (ids are unique across the whole source)."""
    files = [root / "glossary.yaml", *sorted((root / "units").glob("*/*.yaml"))]
    found: set[str] = set()
    for path in files:
        try:
            _collect(yaml.safe_load(path.read_text(encoding="utf-8")), found)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # validate reports it
    return found


def _collect(data: object, found: set[str]) -> None:
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            found.add(data["id"])
        for value in data.values():
            _collect(value, found)
    elif isinstance(data, list):
        for value in data:
            _collect(value, found)


def _appended(path: Path, text: str, items: list[dict[str, object]]) -> str:
    """The file with the items appended to its top-level `questions` list, which must be its
    last top-level key, in block style; what is there is left as it is."""
    keys = [m.group(1) for m in re.finditer(r"^([A-Za-z_][\w-]*):", text, re.M)]
    first = re.search(r"^questions:\s*\n(?:\s*#.*\n|\s*\n)*(\s*)- ", text, re.M)
    if not keys or keys[-1] != "questions" or first is None:
        raise _Refused(path, f"{path}: the imported questions go at the end of its "
                       "'questions' list, which must be its last key, one item a line")
    lines = yamlout.list_items("questions", items).splitlines(keepends=True)
    indent = len(first.group(1))
    lines = [(" " * indent + line[2:]) if line.startswith("  ") else line for line in lines]
    return text + ("" if text.endswith("\n") else "\n") + "".join(lines)


def _listed(course: Path, unit: str) -> bytes:
    """course.yaml with the unit added at the end of its `units` list."""
    text = course.read_text(encoding="utf-8")
    block = re.search(r"^units:[ \t]*\n((?:[ \t]*-[^\n]*\n|[ \t]*#[^\n]*\n)+)", text, re.M)
    if block is not None:
        indent = re.match(r"[ \t]*", block.group(1)).group(0)  # type: ignore[union-attr]
        end = block.end()
        return (text[:end] + f"{indent}- {unit}\n" + text[end:]).encode("utf-8")
    flow = re.search(r"^units:[ \t]*\[([^\]\n]*)\]", text, re.M)
    if flow is not None:
        inside = flow.group(1).strip()
        new = f"units: [{inside + ', ' if inside else ''}{unit}]"
        return (text[:flow.start()] + new + text[flow.end():]).encode("utf-8")
    raise _Refused(course, f"{course}: add '{unit}' to its units yourself (its list is not "
                   "written one item a line), then import again")


def _apply(changes: dict[Path, bytes], outcome: Outcome,
           before: dict[Path, bytes | None]) -> None:
    """Write each file whole (a temporary file renamed over it); when one cannot be, put back
    every file written as it was (`before`)."""
    try:
        for path, data in changes.items():
            _write(path, data)
            outcome.written.append(path)
    except OSError as exc:
        _restore(before, outcome)
        outcome.diagnostics.append(Diagnostic(str(exc.filename or ""), 1, 1, Severity.ERROR,
                                              f"cannot write: {exc.strerror}", "io-error"))


def _restore(before: dict[Path, bytes | None], outcome: Outcome) -> None:
    for path in outcome.written:
        old = before.get(path)
        if old is None:
            path.unlink(missing_ok=True)
        else:
            _write(path, old)
    outcome.written.clear()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".coursepack-import-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
