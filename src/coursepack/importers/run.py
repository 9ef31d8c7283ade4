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
from ..starter import schema_ref
from . import D, Found, gift, glossary, moodlexml, place, yamlout

MAX_BYTES = 256 * 2**20  # a file to import, its files' base64 included


@dataclass
class Outcome:
    """What an import did: its diagnostics, the files it wrote, the questions it placed."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    questions: int = 0
    terms: int = 0
    # where each imported question or term starts in the file it went to: the file, line, id,
    # and what it is with where it was in the imported file
    starts: list[tuple[Path, int, str, tuple[str, tuple[str, int]]]] = field(
        default_factory=list)


def detect(data: bytes) -> str:
    """A file's format from its content: Moodle XML questions, a glossary export, or GIFT (which
    may start with a question text's HTML)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and not _HTML.match(head):
        return "glossary" if re.search(rb"<GLOSSARY\b", head) else "xml"
    return "gift"


_HTML = re.compile(rb"<(?:p|div|span|b|i|u|s|em|strong|sub|sup|code|pre|br|hr|img|a|font|table|"
                   rb"ul|ol|li|h[1-6]|blockquote|center|small|big)[\s/>]", re.I)


def read(path: Path, display: str, fmt: str | None, folder: Path | None = None,
         root: Path | None = None) -> Found:
    """One file's content as source (a located error when it cannot be read), its files named
    for the unit folder `folder` (questions) or the source folder `root` (a glossary)."""
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
    if kind == "glossary":
        return glossary.read(data, display, root)
    if kind == "gift":
        return gift.read(data, display, folder)
    if kind != "xml":
        found.note(1, f"importing {kind} files is not available yet: export the questions as "
                   "Moodle XML", "import-format", Severity.ERROR)
        return found
    return moodlexml.read(data, display, folder)


def import_files(paths: list[Path], unit: str | None, root: Path, fmt: str | None = None,
                 display: dict[Path, str] | None = None) -> Outcome:
    """Import question files into unit `unit` of the source folder `root`, glossary files into
    its glossary: every question and term the source validates with; each other one is left
    out and reported."""
    outcome = Outcome()
    folder = root / "units" / (unit or "_")
    founds = [read(p, (display or {}).get(p, str(p)), fmt, folder, root) for p in paths]
    read_notes = [len(found.notes) for found in founds]
    if unit is None:
        for found in founds:
            if found.questions:
                found.note(1, "a question file: name the unit its questions go in (--unit)",
                           "import-unit", Severity.ERROR)
    if has_errors([n for found in founds for n in found.notes]):
        outcome.diagnostics = [n for found in founds for n in found.notes]
        return outcome
    known = {d.text() for d in _errors(root)}
    left_out: dict[str, Diagnostic] = {}
    for _ in range(MAX_ATTEMPTS):
        for found, count in zip(founds, read_notes, strict=True):
            del found.notes[count:]  # placing notes again
        outcome = Outcome()
        new = _attempt(root, folder, unit, founds, left_out, known, outcome)
        if not new:
            break
        culprits = _culprits(new, outcome)
        if not culprits:  # a problem no one question causes: nothing is written
            outcome.diagnostics += [*new, _nothing(root)]
            return outcome
        left_out.update(culprits)
    else:
        outcome.diagnostics.append(_nothing(root))
        return outcome
    outcome.diagnostics = [*(n for found in founds for n in found.notes),
                           *left_out.values(), *outcome.diagnostics]
    return outcome


MAX_ATTEMPTS = 4  # an import, then again without the questions the source refused, ...


def _attempt(root: Path, folder: Path, unit: str | None, founds: list[Found],
             left_out: dict[str, Diagnostic], known: set[str],
             outcome: Outcome) -> list[Diagnostic]:
    """Write the import without the questions `left_out`; the errors it brings (after which
    every file is as it was), or none (the files stay written)."""
    try:
        changes = _changes(root, folder, unit, founds, outcome, set(left_out))
    except _Refused as exc:
        outcome.diagnostics.append(Diagnostic(str(exc.path), 1, 1, Severity.ERROR, str(exc),
                                              "import-refused"))
        return []
    before = {path: path.read_bytes() if path.exists() else None for path in changes}
    _apply(changes, outcome, before)
    new = [d for d in _errors(root) if d.text() not in known] if outcome.written else []
    if new:
        _restore(before, outcome)
    return new


def _culprits(errors: list[Diagnostic], outcome: Outcome) -> dict[str, Diagnostic]:
    """The imported questions and terms the errors lie in, each with why it is left out
    (empty when an error lies elsewhere)."""
    found: dict[str, Diagnostic] = {}
    for d in errors:
        where = Path(d.file).resolve()
        starts = [(line, i, o) for path, line, i, o in outcome.starts
                  if path.resolve() == where and line <= d.line]
        if not starts:
            return {}
        _, ident, (what, (display, line)) = starts[-1]
        found.setdefault(ident, Diagnostic(display, line, 1, Severity.WARNING,
                                           f"{what} is not imported: {d.message}",
                                           "import-refused-item"))
    return found


def _nothing(root: Path) -> Diagnostic:
    return Diagnostic(str(root), 1, 1, Severity.ERROR, "the source would not validate with "
                      "the imported questions: nothing is written", "import-invalid")


def _errors(root: Path) -> list[Diagnostic]:
    from ..runs import check_source

    return [d for d in check_source(root).diagnostics if d.severity is Severity.ERROR]


class _Refused(Exception):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


def _changes(root: Path, folder: Path, unit: str | None, founds: list[Found],
             outcome: Outcome, skip: set[str]) -> dict[Path, bytes]:
    """Every file to write, with its new content (nothing is written yet), without the
    questions and terms whose ids are in `skip`."""
    if not (root / "course.yaml").is_file():
        raise _Refused(root, f"{root} is not a source folder: it has no course.yaml")
    taken = _source_ids(root)
    outcome.starts = []
    changes: dict[Path, bytes] = {}
    banks = [found for found in founds if found.questions]
    if banks and unit is not None:
        changes.update(_question_changes(root, folder, unit, banks, taken, outcome, skip))
    glossaries = [found for found in founds if found.terms]
    if glossaries:
        changes.update(_glossary_changes(root, glossaries, taken, outcome, skip))
    return changes


def _question_changes(root: Path, folder: Path, unit: str, founds: list[Found], taken: set[str],
                      outcome: Outcome, skip: set[str]) -> dict[Path, bytes]:
    placed = [(found, q) for found in founds for q in place.unit_questions(found, unit, taken)]
    items = [q for _, q in placed if q["id"] not in skip]
    origin = {q["id"]: (f"question {q['name']!r}", (found.display, place.line_of(found, q)))
              for found, q in placed}
    outcome.questions = len(items)
    changes = _files(folder, founds)
    changes.update(_listed_items(folder / "questions.yaml", "questions", items,
                                 schema_ref(root, folder / "questions.yaml",
                                            "questions.schema.json"),
                                 {}, origin, outcome))
    if not (folder / "unit.yaml").exists():
        title = founds[0].display.rsplit("/", 1)[-1].rsplit(".", 1)[0] or unit
        changes[folder / "unit.yaml"] = yamlout.document(
            place.skeleton(unit, title),
            schema_ref(root, folder / "unit.yaml", "unit.schema.json")).encode("utf-8")
        changes[root / "course.yaml"] = course_with_unit(root / "course.yaml", unit)
    return changes


def _glossary_changes(root: Path, founds: list[Found], taken: set[str], outcome: Outcome,
                      skip: set[str]) -> dict[Path, bytes]:
    path = root / "glossary.yaml"
    known = _known_terms(path)
    placed = [(found, t) for found in founds for t in place.glossary_terms(found, taken, known)]
    items = [t for _, t in placed if t["id"] not in skip]
    origin = {t["id"]: (f"entry {t['term']!r}", (found.display, int(found.lines.get(t["id"], 1))))
              for found, t in placed}
    outcome.terms = len(items)
    changes = _files(root, founds)
    title = next((f.title for f in founds if f.title), "")
    changes.update(_listed_items(path, "terms", items,
                                 schema_ref(root, path, "glossary.schema.json"),
                                 {"title": title} if title else {}, origin, outcome))
    return changes


def _files(folder: Path, founds: list[Found]) -> dict[Path, bytes]:
    """The files the texts name, each where it goes (never over other content)."""
    changes: dict[Path, bytes] = {}
    for found in founds:
        for rel, data in found.files.items():
            target = folder / rel
            if target.exists() and target.read_bytes() != data:
                raise _Refused(target, f"{target} holds other content: importing would "
                               "overwrite it; move it away and import again")
            changes[target] = data
    return changes


def _listed_items(path: Path, key: str, items: list[D], schema: str, head: D,
                  origin: dict[str, tuple[str, tuple[str, int]]],
                  outcome: Outcome) -> dict[Path, bytes]:
    """The file `path` with the items at the end of its top-level list `key` (made, led by
    `head`, when absent); where each item starts is noted in `outcome`."""
    if not items and not path.exists():
        return {}
    existing = path.read_text(encoding="utf-8") if path.exists() else None
    text = yamlout.document({**head, key: items}, schema) if existing is None else \
        _appended(path, existing, items, key)
    first = len((existing or "").splitlines()) + 1
    outcome.starts += [(path, n, m.group(2), origin[m.group(2)])
                       for n, line in enumerate(text.splitlines(), start=1) if n >= first
                       for m in [_ITEM.match(line)] if m and m.group(2) in origin]
    return {path: text.encode("utf-8")}


def _known_terms(path: Path) -> dict[str, str]:
    """The glossary's terms as they stand: each term's id by its name, case folded."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    terms = data.get("terms") if isinstance(data, dict) else None
    return {str(t["term"]).casefold(): str(t["id"]) for t in terms or []
            if isinstance(t, dict) and "term" in t and "id" in t}


_ITEM = re.compile(r"^(\s*)- id: '?([a-z0-9._-]+)'?$")


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


def _appended(path: Path, text: str, items: list[D], key: str) -> str:
    """The file with the items appended to its top-level list `key`, which must be its last
    top-level key, in block style; what is there is left as it is."""
    if not items:
        return text
    keys = [m.group(1) for m in re.finditer(r"^([A-Za-z_][\w-]*):", text, re.M)]
    first = re.search(rf"^{key}:\s*\n(?:\s*#.*\n|\s*\n)*(\s*)- ", text, re.M)
    if not keys or keys[-1] != key or first is None:
        raise _Refused(path, f"{path}: what is imported goes at the end of its '{key}' list, "
                       "which must be its last key, one item a line")
    lines = yamlout.list_items(key, items).splitlines(keepends=True)
    indent = len(first.group(1))
    lines = [(" " * indent + line[2:]) if line.startswith("  ") else line for line in lines]
    return text + ("" if text.endswith("\n") else "\n") + "".join(lines)


def course_with_unit(course: Path, unit: str) -> bytes:
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
