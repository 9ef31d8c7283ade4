"""course.mbz joined from the units' shares: their compressed bytes reused, every entry once."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

from coursepack import model as m
from coursepack.source import read_source
from coursepack.writers import mbz
from support.mbz_check import problems, read
from support.mbz_fake import fake_scorm

SEED = Path(__file__).resolve().parent.parent / "source"


def catalogue(root: Path) -> m.Catalogue:
    found = read_source(root).catalogue
    assert found is not None
    return found


def members(blob: bytes) -> list[bytes]:
    """The gzip members of a gzip file, each whole."""
    found, rest = [], blob
    while rest:
        inflate = zlib.decompressobj(wbits=31)
        inflate.decompress(rest)
        found.append(rest[:len(rest) - len(inflate.unused_data)])
        rest = inflate.unused_data
    return found


def test_each_unit_s_compressed_bytes_are_copied_into_course_mbz(tmp_path: Path) -> None:
    shutil.copytree(SEED, tmp_path / "source")
    before = catalogue(tmp_path / "source")
    shares = [mbz.unit_part(before, u, fake_scorm) for u in before.units]
    joined = mbz.course_from_parts(before, shares)["course.mbz"]
    assert joined == mbz.course_files(before, fake_scorm)["course.mbz"]
    pieces = members(joined)
    for share in shares:
        assert share["member.gz"] in pieces
        assert all(share[name] in pieces for name in share if name.startswith("fragment/"))
    assert problems(joined) == []
    assert len(pieces) > len(shares) + 1  # the units' members, the pool, the course's own
    unit = tmp_path / "source" / "units" / "core" / "unit.yaml"
    unit.write_text(unit.read_text().replace("This unit", "This revised unit", 1))
    after = catalogue(tmp_path / "source")
    again = [mbz.unit_part(after, u, fake_scorm) for u in after.units]
    changed = [u.id for u, a, b in zip(after.units, shares, again, strict=True) if a != b]
    assert changed == ["core"]


def test_every_entry_once_and_each_pool_file_once() -> None:
    cat = catalogue(SEED)
    archive = read(mbz.course_files(cat, fake_scorm)["course.mbz"])
    assert len(archive.order) == len(set(archive.order))
    pool = [name for name in archive.order if name.startswith("files/") and archive.kinds[
        name] == "f"]
    shares = [mbz.unit_part(cat, u, fake_scorm) for u in cat.units]
    stored = sum(1 for share in shares for name in share if name.startswith("pool/"))
    assert len(pool) == len({name.rsplit("/", 1)[-1] for name in pool}) <= stored
