"""Safe YAML loading that keeps the file, line and column of every node."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, Severity

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    """A 1-based position in a source file."""

    line: int
    col: int


@dataclass
class Document:
    """A loaded YAML file: plain data plus the position of each value and mapping key."""

    path: Path
    display: str
    data: Any
    marks: dict[Path_, Mark] = field(default_factory=dict)
    key_marks: dict[Path_, Mark] = field(default_factory=dict)

    def mark(self, path: Path_, *, key: bool = False) -> Mark:
        """Where the value at `path` (or its key) starts; else its nearest parent."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        probe = tuple(path)
        while probe not in self.marks and probe:
            probe = probe[:-1]
        return self.marks.get(probe, Mark(1, 1))

    def diag(self, path: Path_, message: str, code: str, *, key: bool = False,
             severity: Severity = Severity.ERROR) -> Diagnostic:
        """A diagnostic located at the value (or key) at `path`."""
        mark = self.mark(path, key=key)
        return Diagnostic(self.display, mark.line, mark.col, severity, message, code)


_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml if built


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """SafeLoader with YAML 1.2 booleans (true/false only) and no timestamp conversion."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class YamlError(Exception):
    """A file that cannot be read as YAML; carries a located diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def load(path: Path, display: str) -> Document:
    """Load one YAML file; raise YamlError with a located message when it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlError(Diagnostic(display, 1, 1, Severity.ERROR,
                                   f"cannot read file: {exc.strerror}", "io-error")) from exc
    return loads(raw, path, display)


def loads(raw: bytes, path: Path, display: str) -> Document:
    """Parse YAML bytes into a Document."""
    def fail(message: str, code: str, line: int = 1, col: int = 1) -> YamlError:
        return YamlError(Diagnostic(display, line, col, Severity.ERROR, message, code))

    if b"\x00" in raw:
        raise fail("not a text file (it contains NUL bytes)", "not-text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", "encoding", line) from exc
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise fail(f"YAML syntax error: {message}", "yaml-syntax", line, col) from exc
    except yaml.YAMLError as exc:
        raise fail(f"YAML error: {exc}", "yaml-syntax") from exc
    doc = Document(path, display, None)
    if node is None:
        raise fail("the file is empty", "empty-file")
    doc.data = _Builder(doc, loader).build(node, ())
    return doc


class _Builder:
    """Turns a composed YAML node tree into plain data, recording marks."""

    def __init__(self, doc: Document, loader: _Loader) -> None:
        self.doc = doc
        self.loader = loader
        self.active: set[int] = set()

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.doc.marks[path] = Mark(node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.active:
            raise self._error(node, "recursive YAML alias", "yaml-recursion")
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self._error(node, f"bad value: {exc}", "yaml-value") from exc

    def _mapping(self, node: yaml.Node, path: Path_) -> dict[str, Any]:
        assert isinstance(node, yaml.MappingNode)
        self.loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._error(key_node, "mapping keys must be plain text", "yaml-key")
            key = str(self._scalar(key_node))
            if key in result:
                raise self._error(key_node, f"duplicate key '{key}'", "duplicate-key")
            self.doc.key_marks[(*path, key)] = Mark(key_node.start_mark.line + 1,
                                                    key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _error(self, node: yaml.Node, message: str, code: str) -> YamlError:
        mark = node.start_mark
        return YamlError(Diagnostic(self.doc.display, mark.line + 1, mark.column + 1,
                                    Severity.ERROR, message, code))
