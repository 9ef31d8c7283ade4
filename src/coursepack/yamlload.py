"""Safe YAML loading that keeps the file, line and column of every node."""

from __future__ import annotations

import gc
import hashlib
import marshal
import math
import re
import sys
from array import array
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from .diagnostics import Diagnostic, Severity, quote

if TYPE_CHECKING:
    from .media.refs import Ref
    from .sites import Sites

Path_ = tuple[str | int, ...]


class Mark(NamedTuple):
    """A 1-based position in a source file."""

    line: int
    col: int


PositionIndex = dict[Path_, tuple[int, int]]


@dataclass
class Document:
    """A loaded YAML file: plain data plus the position of each value and mapping key.

    Positions are kept packed (8 bytes each, in the order the builder met them: a value, then
    for each key of a mapping the key and its value's subtree), and indexed by path only when one
    is asked for: a clean catalogue of thousands of files needs almost none of them, and the
    index of every file at once would be most of the memory a large validate takes.
    """

    path: Path
    display: str
    _data: Any
    positions: array[int] = field(default_factory=lambda: array("Q"))
    findings: list[Diagnostic] | None = None  # the text rules' findings, once made
    media: list[tuple[Path_, Ref]] | None = None  # its texts' images and file links, with them
    origins: dict[str, str] | None = None  # its fields' origins, once found (see origins.py)
    rules: list[list[Diagnostic]] | None = None  # each question's own rules' findings, once made
    digest: str = ""  # what it was read from: its bytes, kind and place (parsed.key)
    sites: Sites | None = None  # what the checks across files read of it, once found
    # The data marshalled, as a kept parse holds it: read when the data is first asked for
    # (the checks of an unchanged file read its `sites` alone).
    packed: bytes | None = field(default=None, repr=False, compare=False)
    _index: tuple[PositionIndex, PositionIndex] | None = field(default=None, repr=False,
                                                                compare=False)

    @property
    def data(self) -> Any:
        """The file's plain data."""
        if self.packed is not None:
            self._data, self.packed = marshal.loads(self.packed), None
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data, self.packed = value, None

    @property
    def marks(self) -> PositionIndex:
        """The position of each value, by path."""
        return self._indexed()[0]

    @property
    def key_marks(self) -> PositionIndex:
        """The position of each mapping key, by the path of its value."""
        return self._indexed()[1]

    def _indexed(self) -> tuple[PositionIndex, PositionIndex]:
        if self._index is None:
            self._index = index_positions(self.data, self.positions)
        return self._index

    def forget(self) -> None:
        """Drop the index of positions (it is made again when next asked for)."""
        self._index = None

    def mark(self, path: Path_, *, key: bool = False) -> Mark:
        """Where the value at `path` (or its key) starts; else its nearest parent."""
        marks, key_marks = self._indexed()
        if key and path in key_marks:
            return Mark(*key_marks[path])
        probe = tuple(path)
        while probe not in marks and probe:
            probe = probe[:-1]
        return Mark(*marks.get(probe, (1, 1)))

    def diag(self, path: Path_, message: str, code: str, *, key: bool = False,
             severity: Severity = Severity.ERROR) -> Diagnostic:
        """A diagnostic located at the value (or key) at `path`."""
        mark = self.mark(path, key=key)
        return Diagnostic(self.display, mark.line, mark.col, severity, message, code)


def index_positions(data: Any, positions: array[int]) -> tuple[PositionIndex, PositionIndex]:
    """The positions of values and of keys by path, from the packed positions of `data`
    (walked in the builder's order; a short or damaged list leaves later paths unplaced)."""
    marks: PositionIndex = {}
    keys: PositionIndex = {}
    with suppress(StopIteration):
        _walk(data, (), iter(positions), marks, keys)  # no closure: no cycle for paused gc
    return marks, keys


def _walk(value: Any, path: Path_, found: Iterator[int], marks: PositionIndex,
          keys: PositionIndex) -> None:
    at = next(found)
    marks[path] = (at >> 32, at & 0xFFFFFFFF)
    if type(value) is dict:
        for name, item in value.items():
            at = next(found)
            sub = (*path, name)
            keys[sub] = (at >> 32, at & 0xFFFFFFFF)
            _walk(item, sub, found, marks, keys)
    elif type(value) is list:
        for i, item in enumerate(value):
            _walk(item, (*path, i), found, marks, keys)


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml if built


class Loader(_Base):  # type: ignore[valid-type,misc]
    """SafeLoader with YAML 1.2 booleans (true/false only) and no timestamp conversion."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        """PyYAML's tag resolution without its path resolvers (unused): the hot path."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class YamlError(Exception):
    """A file that cannot be read as YAML; carries a located diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


# Bounds that keep any input cheap: checked before the document is turned into data.
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_NODES = 1_000_000
MAX_ALIAS_NODES = 100_000
MAX_DEPTH = 64
MAX_TEXT = 200_000
MAX_NUMBER = 10**15  # Moodle's numeric columns hold less; beyond this a number is a slip
_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null",
                                                  "merge", "value")}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def read_bytes(path: Path, display: str) -> bytes:
    """A source file's bytes (as many as a file may hold, and one more); YamlError if unread."""
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlError(Diagnostic(display, 1, 1, Severity.ERROR,
                                   f"cannot read file: {exc.strerror}", "io-error")) from exc


def content_digest(raw: bytes) -> bytes:
    """The SHA-256 of a source file's bytes: what a run's digest knows it by, and what its
    parse's cache key is made from (parsed.key)."""
    return hashlib.sha256(raw).digest()


def load(path: Path, display: str) -> Document:
    """Load one YAML file; raise YamlError with a located message when it cannot be read."""
    return loads(read_bytes(path, display), path, display)


def _fail(display: str, message: str, code: str, line: int = 1, col: int = 1) -> YamlError:
    return YamlError(Diagnostic(display, line, col, Severity.ERROR, message, code))


def loads(raw: bytes, path: Path, display: str) -> Document:
    """Parse YAML bytes into a Document."""
    if len(raw) > MAX_FILE_BYTES:
        raise _fail(display, f"file is larger than the {MAX_FILE_BYTES // 2**20} MiB a source "
                    "file may be; split it", "file-too-large")
    if b"\x00" in raw:
        raise _fail(display, "not a text file (it contains NUL bytes)", "not-text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(display, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", "encoding",
                    line) from exc
    with paused_gc():
        node, loader = _compose(text, display)
        doc = Document(path, display, None)
        if node is None:
            raise _fail(display, "the file is empty", "empty-file")
        doc.data = _Builder(doc, loader, anchored="&" in text).build(node)
    return doc


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector: a document makes many objects and no cycles to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _compose(text: str, display: str) -> tuple[yaml.Node | None, Loader]:
    try:
        loader = Loader(text)
        try:
            return loader.get_single_node(), loader
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise _fail(display, f"YAML syntax error: {message}", "yaml-syntax", line, col) from exc
    except yaml.YAMLError as exc:
        raise _fail(display, f"YAML error: {exc}", "yaml-syntax") from exc


class _Builder:
    """Turns a composed YAML node tree into plain data, recording marks, in bounded work.

    Aliases are counted as they are expanded (a bomb stops at the budget), an alias inside its
    own anchor is refused, and nesting stops at MAX_DEPTH: each is a located error. A text
    without `&` has no anchor, so no alias: its nodes are built without looking for them.
    """

    def __init__(self, doc: Document, loader: Loader, anchored: bool = True) -> None:
        self.doc = doc
        self.positions = doc.positions
        self.loader = loader
        self.count = 0
        self.aliased = 0
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.anchored = anchored

    def build(self, node: yaml.Node, depth: int = 0, alias: bool = False) -> Any:
        """The value of `node` (see `_tree` and `_aliased`)."""
        if self.anchored:
            return self._aliased(node, depth, alias)
        return self._tree(node, depth)

    def _tree(self, node: yaml.Node, depth: int) -> Any:
        """The value of `node` in a document without aliases (each node met once): its
        position recorded and counted against the bounds (the hot path of every load)."""
        start = node.start_mark
        self.positions.append((start.line + 1) << 32 | (start.column + 1))
        self.count += 1
        if depth > MAX_DEPTH or self.count > MAX_NODES:
            self._bounds(node, depth, False)
        kind = type(node)
        if kind is yaml.ScalarNode:
            return self._scalar(node)  # type: ignore[arg-type]
        if kind is yaml.SequenceNode:
            return [self._tree(item, depth + 1) for item in node.value]
        return self._mapping(node, depth, False)

    def _aliased(self, node: yaml.Node, depth: int, alias: bool) -> Any:
        """The value of `node`, its position recorded and counted against the bounds, aliases
        found and counted as they are expanded."""
        start = node.start_mark
        self.positions.append((start.line + 1) << 32 | (start.column + 1))
        self.count += 1
        key = id(node)
        if key in self.seen:
            alias = True  # met before: inside an expanded alias
        else:
            self.seen.add(key)
        if alias or depth > MAX_DEPTH or self.count > MAX_NODES:
            self._bounds(node, depth, alias)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if key in self.active:
            raise self._error(node, "recursive YAML alias", "yaml-recursion")
        self.active.add(key)
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self._aliased(item, depth + 1, alias) for item in node.value]
            return self._mapping(node, depth, alias)
        finally:
            self.active.discard(key)

    def _bounds(self, node: yaml.Node, depth: int, alias: bool) -> None:
        """Stop at a bound: nesting, values, and values expanded from aliases (counted here)."""
        if depth > MAX_DEPTH:
            raise self._error(node, f"nested more than {MAX_DEPTH} levels deep", "yaml-too-deep")
        if self.count > MAX_NODES:
            raise self._error(node, f"more than {MAX_NODES:,} values (aliases expanded)",
                              "yaml-too-large")
        if alias:
            self.aliased += 1
            if self.aliased > MAX_ALIAS_NODES:
                raise self._error(node, f"YAML aliases expand to more than {MAX_ALIAS_NODES:,} "
                                  "values; write the values out", "yaml-alias-limit")

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR:
            value: Any = node.value
        elif node.tag not in _TAGS:
            raise self._error(node, f"the YAML tag {_short_tag(node.tag)} is not supported here",
                              "yaml-tag")
        else:
            value = self._construct(node)
        if isinstance(value, str):
            self._text(node, value)
        return value

    def _construct(self, node: yaml.ScalarNode) -> Any:
        try:
            value = self.loader.yaml_constructors[node.tag](self.loader, node)
        except Exception as exc:  # any constructor's complaint about the text: a bad value
            raise self._error(node, f"bad {_short_tag(node.tag)} value", "yaml-value") from exc
        if isinstance(value, float) and not math.isfinite(value):
            raise self._error(node, "not a finite number", "yaml-value")
        if isinstance(value, int | float) and not isinstance(value, bool) and \
                abs(value) > MAX_NUMBER:
            raise self._error(node, f"number out of range (at most {MAX_NUMBER:.0e} either way)",
                              "yaml-value")
        return value

    def _text(self, node: yaml.ScalarNode, value: str) -> None:
        if len(value) > MAX_TEXT:
            raise self._error(node, f"text of {len(value):,} characters; a value may hold at "
                              f"most {MAX_TEXT:,}", "text-too-long")
        bad = _NOT_XML.search(value)
        if bad:
            raise self._error(node, f"contains the character U+{ord(bad.group()):04X}, which "
                              "XML (and so Moodle) cannot carry", "bad-character")

    def _mapping(self, node: yaml.Node, depth: int, alias: bool) -> dict[str, Any]:
        assert isinstance(node, yaml.MappingNode)
        try:
            self.loader.flatten_mapping(node)
        except yaml.YAMLError as exc:
            raise self._error(node, "a merge key ('<<') must name a mapping or a list of "
                              "mappings", "yaml-merge") from exc
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._error(key_node, "mapping keys must be plain text", "yaml-key")
            key = sys.intern(str(self._scalar(key_node)))  # one "id" for a million of them
            if key in result:
                raise self._error(key_node, f"duplicate key {quote(key)}", "duplicate-key")
            start = key_node.start_mark
            self.positions.append((start.line + 1) << 32 | (start.column + 1))
            result[key] = (self._aliased(value_node, depth + 1, alias) if self.anchored
                           else self._tree(value_node, depth + 1))
        return result

    def _error(self, node: yaml.Node, message: str, code: str) -> YamlError:
        return _node_error(self.doc.display, node, message, code)


def _node_error(display: str, node: yaml.Node, message: str, code: str) -> YamlError:
    mark = node.start_mark
    return _fail(display, message, code, mark.line + 1, mark.column + 1)


def _short_tag(tag: str) -> str:
    return quote("!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith(
        "tag:yaml.org,2002:") else tag)
