"""A GIFT file's text split as Moodle's reader splits it, each piece knowing its place."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence

from .phptext import TRIM, empty

Mark = tuple[int, int, bool]  # from this index of the text: the file offset, and whether it runs


class Src:
    """Text with the file offset of each character: a run of marks, each giving the offset of
    the characters from its index on (counting up, or one place for a replaced escape)."""

    __slots__ = ("marks", "text")

    def __init__(self, text: str, marks: Sequence[Mark]) -> None:
        self.text = text
        self.marks = tuple(marks) or ((0, 0, False),)

    @classmethod
    def at(cls, text: str, offset: int) -> Src:
        return cls(text, ((0, offset, True),))

    @classmethod
    def fixed(cls, text: str, offset: int) -> Src:
        return cls(text, ((0, offset, False),))

    def __len__(self) -> int:
        return len(self.text)

    def pos(self, index: int = 0) -> int:
        """The file offset of the character at `index` (the end: just after the last)."""
        index = max(0, min(index, len(self.text)))
        mark = self.marks[0] if len(self.marks) == 1 else \
            self.marks[max(bisect_right(self.marks, index, key=_index) - 1, 0)]
        start, offset, runs = mark
        return offset + (index - start) if runs else offset

    def cut(self, start: int, end: int | None = None) -> Src:
        """The characters from `start` to `end` (Python's slice, indices within the text)."""
        size = len(self.text)
        start = max(0, min(start, size))
        end = size if end is None else max(start, min(end, size))
        if start == end:
            return Src.fixed("", self.pos(start))
        if len(self.marks) == 1:  # one run or one place: no search
            _, offset, runs = self.marks[0]
            return Src(self.text[start:end], ((0, offset + start if runs else offset, runs),))
        index = max(bisect_right(self.marks, start, key=_index) - 1, 0)
        marks: list[Mark] = []
        while index < len(self.marks) and self.marks[index][0] < end:
            at, offset, runs = self.marks[index]
            begin = max(at, start)
            marks.append((begin - start, offset + (begin - at) if runs else offset, runs))
            index += 1
        return Src(self.text[start:end], marks)

    def find(self, sub: str, start: int = 0) -> int:
        return self.text.find(sub, start)

    def trim(self) -> Src:
        """PHP's trim()."""
        left = len(self.text) - len(self.text.lstrip(TRIM))
        return self.cut(left, len(self.text.rstrip(TRIM)))

    def replace(self, old: str, new: str) -> Src:
        """PHP's str_replace() of one string: the new text stands where the old began."""
        if old not in self.text:
            return self
        marks: list[Mark] = []
        walk = _Walk(self.marks, marks)
        at = 0
        while (found := self.text.find(old, at)) >= 0:
            walk.copy(at, found)
            if new:
                marks.append((found + walk.shift, walk.pos(found), False))
            walk.shift += len(new) - len(old)
            at = found + len(old)
        walk.copy(at, len(self.text))
        return Src(self.text.replace(old, new), marks or [(0, self.pos(0), False)])

    def split(self, sep: str, limit: int = -1) -> list[Src]:
        """PHP's explode()."""
        parts: list[Src] = []
        at = 0
        while (limit < 0 or len(parts) < limit - 1) and (found := self.text.find(sep, at)) >= 0:
            parts.append(self.cut(at, found))
            at = found + len(sep)
        return [*parts, self.cut(at)]


class _Walk:
    """The marks of a text copied in order into `out`, moved by `shift`: each mark is looked at
    a bounded number of times, however many pieces are copied."""

    def __init__(self, marks: tuple[Mark, ...], out: list[Mark]) -> None:
        self.marks, self.out, self.at, self.shift = marks, out, 0, 0

    def _seek(self, index: int) -> None:
        while self.at + 1 < len(self.marks) and self.marks[self.at + 1][0] <= index:
            self.at += 1

    def pos(self, index: int) -> int:
        self._seek(index)
        start, offset, runs = self.marks[self.at]
        return offset + (index - start) if runs else offset

    def copy(self, start: int, end: int) -> None:
        """The marks of the characters from `start` to `end`."""
        if start >= end:
            return
        self._seek(start)
        n = self.at
        while n < len(self.marks) and self.marks[n][0] < end:
            at, offset, runs = self.marks[n]
            begin = max(at, start)
            self.out.append((begin + self.shift, offset + (begin - at) if runs else offset, runs))
            n += 1


def _index(mark: Mark) -> int:
    return mark[0]


def joined(parts: Sequence[Src], sep: str = "") -> Src:
    """The parts one after another, `sep` between them (standing at the end of the part
    before it)."""
    texts, marks, at = [], [], 0
    for n, part in enumerate(parts):
        if n and sep:
            texts.append(sep)
            marks.append((at, parts[n - 1].pos(len(parts[n - 1])), False))
            at += len(sep)
        if part.text:
            texts.append(part.text)
            marks += [(start + at, offset, runs) for start, offset, runs in part.marks]
            at += len(part.text)
    return Src("".join(texts), marks or [(0, parts[0].pos() if parts else 0, False)])


def php_substr(src: Src, start: int, length: int) -> Src:
    """PHP's substr() with a start inside the text; a negative length counts bytes from the
    end, as PHP does (ValueError when that cuts a character in two)."""
    if length >= 0:
        return src.cut(start, start + length)
    return src.cut(start, _end(src.text, start, length))


def php_substr_replace(src: Src, new: str, start: int, length: int) -> Src:
    """PHP's substr_replace() with a start inside the text (a negative length counted in bytes
    from the end, as for php_substr)."""
    end = _end(src.text, start, length) if length < 0 else min(start + length, len(src.text))
    return joined([src.cut(0, start), Src.fixed(new, src.pos(start)), src.cut(end)])


def _end(text: str, start: int, length: int) -> int:
    """Where a negative PHP length, counted in bytes from the end, stops: not before `start`
    (ValueError when it falls inside a character)."""
    data = text.encode("utf-8")
    byte = len(data) + length
    if byte <= len(text[:start].encode("utf-8")):
        return start
    try:
        return len(data[:byte].decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("the cut falls inside a character") from None


def file_lines(text: str) -> list[int]:
    """Where each line the reader sees starts: lines end at '\\n', or at '\\r' in a file whose
    first line holds a '\\r' and no '\\n' (Moodle's reader of old Macintosh files)."""
    breaker = "\r" if "\n" not in text and "\r" in text else "\n"
    starts, at = [0], text.find(breaker)
    while at >= 0:
        starts.append(at + 1)
        at = text.find(breaker, at + 1)
    return starts


def blocks(text: str, starts: list[int]) -> Iterator[list[Src]]:
    """Each question's lines, trimmed: the lines between blank ones (a line holding only '0'
    counts as blank, as PHP's empty() has it)."""
    block: list[Src] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(text)
        line = Src.at(text[start:end], start).trim()
        if empty(line.text):
            if block:
                yield block
            block = []
        else:
            block.append(line)
    if block:
        yield block


# Moodle's escapes: each escaped character stands as a placeholder while the text is split.
_ESCAPES = (("\\:", "&&058;"), ("\\#", "&&035;"), ("\\=", "&&061;"), ("\\{", "&&123;"),
            ("\\}", "&&125;"), ("\\~", "&&126;"), ("\\n", "&&010"))
_RESTORED = ((":", "&&058;"), ("#", "&&035;"), ("=", "&&061;"), ("{", "&&123;"),
             ("}", "&&125;"), ("~", "&&126;"), ("\n", "&&010"))


def escaped(src: Src) -> Src:
    """Escapes as placeholders, in Moodle's order: '\\\\' first (it becomes a backslash)."""
    src = src.replace("\\\\", "&&092;")
    for old, new in _ESCAPES:
        src = src.replace(old, new)
    return src.replace("&&092;", "\\")


def unescaped(src: Src) -> Src:
    """The placeholders as the characters they stand for (whatever wrote them)."""
    for char, placeholder in _RESTORED:
        src = src.replace(placeholder, char)
    return src
