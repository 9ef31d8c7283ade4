"""A large catalogue for benchmarks: the seed's units cloned N times, every id renamed, text varied.

Run: .venv/bin/python benchmarks/clone.py N DEST   (DEST/source is written; it validates clean)
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source"


def clone_catalogue(dest: Path, units: int) -> Path:
    """Write DEST/source: course.yaml listing `units` units, cycling through the seed's units,
    each copy's ids renamed (every id in a seed unit starts with the unit's id)."""
    source = dest / "source"
    shutil.copytree(SEED, source, ignore=shutil.ignore_patterns("units"))
    seeds = sorted(p.name for p in (SEED / "units").iterdir() if p.is_dir())
    names = []
    for n in range(units):
        base = seeds[n % len(seeds)]
        name = base if n < len(seeds) else f"{base}-c{n:04d}"
        folder = source / "units" / name
        folder.mkdir(parents=True)
        for path in (SEED / "units" / base).iterdir():
            if path.is_dir():  # the unit's media, copied as they are
                shutil.copytree(path, folder / path.name)
                continue
            ids = re.compile(rf"(?<![\w-]){re.escape(base)}(?=-\w|\s|$)", re.M)
            text = ids.sub(name, path.read_text())
            if n >= len(seeds):  # text varied too: no two clones share a line of prose
                text = text.replace("synopsis: >-\n  ", f"synopsis: >-\n  (Copy {n}.) ", 1)
            (folder / path.name).write_text(text)
        names.append(name)
    course = source / "course.yaml"
    text = course.read_text()
    head, _, rest = text.partition("units:\n")
    tail = rest[rest.index("\n#"):] if "\n#" in rest else ""
    course.write_text(head + "units:\n" + "".join(f"  - {n}\n" for n in names) + tail.lstrip("\n"))
    return source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("units", type=int)
    parser.add_argument("dest", type=Path)
    args = parser.parse_args()
    print(clone_catalogue(args.dest, args.units))


if __name__ == "__main__":
    main()
