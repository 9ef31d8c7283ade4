"""A new content repository (`coursepack init`) and the JSON Schemas written out for editors
(`coursepack schemas`), from the package's own files; nothing a user wrote is overwritten."""

from __future__ import annotations

import json
import os
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from .. import __version__
from ..output import BuildError

SCHEMAS = Path(".coursepack") / "schemas"  # where a content repository keeps them
SCHEMA_ID = "urn:coursepack:schemas:"  # how a schema file coursepack wrote is known
DOT = "dot-"  # a starter file's name for a file whose name starts with '.'
VERSION = "{{coursepack_version}}"  # replaced with the version that wrote the repository


def schema_files() -> dict[str, bytes]:
    """Every JSON Schema of the source formats, by file name."""
    folder = resources.files("coursepack") / "schemas"
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir(), key=lambda f: f.name)
            if f.name.endswith(".schema.json")}


def write_schemas(folder: Path) -> list[Path]:
    """Write the schemas into `folder` (made if missing): a file there that is not one of
    coursepack's schemas is never overwritten."""
    files = schema_files()
    for name in files:
        _may_replace(folder / name)
    return [write_whole(folder / name, data) for name, data in files.items()]


def _may_replace(path: Path) -> None:
    """Refuse a file at `path` that coursepack did not write as a schema."""
    if not path.exists():
        return
    try:
        found = json.loads(path.read_bytes()).get("$id", "")
    except (OSError, ValueError, AttributeError):
        found = ""
    if not (isinstance(found, str) and found.startswith(SCHEMA_ID)):
        raise BuildError(f"{path} is not a schema coursepack wrote: it is left as it is; "
                         "choose another folder (--output)", "schemas-refused")


def starter_files() -> dict[Path, bytes]:
    """The files of a new content repository, by path inside it."""
    found: dict[Path, bytes] = {}
    _collect(resources.files("coursepack") / "starter" / "files", Path(), found)
    return {path: data.replace(VERSION.encode(), __version__.encode())
            for path, data in found.items()}


def _collect(folder: Traversable, at: Path, found: dict[Path, bytes]) -> None:
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        name = "." + item.name[len(DOT):] if item.name.startswith(DOT) else item.name
        if item.is_dir():
            if name != "__pycache__":
                _collect(item, at / name, found)
        else:
            found[at / name] = item.read_bytes()


def init(folder: Path) -> list[Path]:
    """A new content repository in `folder` (made if missing; refused unless empty): example
    source, CI, editor settings and the schemas. The files written, in order."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BuildError(f"{folder} is not an empty folder: coursepack init starts a new "
                         "repository and writes nothing into one that holds files",
                         "init-not-empty", usage=True)
    written = [write_whole(folder / path, data) for path, data in starter_files().items()]
    return written + write_schemas(folder / SCHEMAS)


def schema_ref(root: Path, path: Path, name: str) -> str:
    """Where the `$schema` line of a new source file at `path` points: the repository's
    .coursepack/schemas when it has them (a repository `init` started), else schemas/ beside
    the source folder `root`."""
    kept = root.resolve().parent / SCHEMAS
    folder = kept if kept.is_dir() else root.resolve().parent / "schemas"
    return Path(os.path.relpath(folder / name, path.resolve().parent)).as_posix()


def write_whole(path: Path, data: bytes) -> Path:
    """Write a whole file: the bytes land under a temporary name, then take the file's name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.coursepack-tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return path
