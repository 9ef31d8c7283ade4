"""The .mbz container's ustar headers: made directly, byte for byte what tarfile writes."""

from __future__ import annotations

import tarfile

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from coursepack.writers.mbz.tar import DIRECTORY_TIME, _tarfile_header, header

SEGMENT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\0"),
                  min_size=1, max_size=40)
PATHS = st.lists(SEGMENT, min_size=1, max_size=5).map("/".join)


def tarfiles(path: str, size: int | None, mtime: int) -> bytes | None:
    """tarfile's header, or None where tarfile refuses it."""
    try:
        return _tarfile_header(path, size, mtime)
    except ValueError:
        return None


@settings(max_examples=500)
@given(path=PATHS, size=st.one_of(st.none(), st.integers(0, 8 ** 11 + 5)),
       mtime=st.integers(0, 8 ** 11 + 5), folder=st.booleans())
@example(path="x" * 100, size=1, mtime=0, folder=False)
@example(path="x" * 101, size=1, mtime=0, folder=False)
@example(path="a/" * 60 + "b", size=1, mtime=0, folder=False)
@example(path="é" * 50, size=8 ** 11 - 1, mtime=8 ** 11 - 1, folder=False)
@example(path="dir", size=None, mtime=0, folder=False)
def test_headers_are_tarfiles(path: str, size: int | None, mtime: int, folder: bool) -> None:
    path = path + "/" if folder and size is None else path
    want = tarfiles(path, size, mtime)
    if want is None:
        with pytest.raises(ValueError):
            header(path, size, mtime)
        return
    got = header(path, size, mtime)
    assert got == want
    info = tarfile.TarInfo.frombuf(got, "utf-8", "surrogateescape")
    assert info.size == (size or 0)
    assert info.mtime == (DIRECTORY_TIME if size is None else mtime)
