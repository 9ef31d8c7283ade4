"""Seeded mutations of a coursepack source tree (bytes, lines, YAML, files), for fuzzing."""

from __future__ import annotations

import copy
import difflib
import json
import os
import random
import re
import shutil
import stat
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml

from coursepack.yamlload import Loader

T = TypeVar("T")

# ---------------------------------------------------------------------------------------------
# Choices: every decision goes through a Chooser, so a run is fixed by its seed or by its draws.
# ---------------------------------------------------------------------------------------------


class Chooser(Protocol):
    """The source of every choice a mutation makes."""

    def integer(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi], both ends included."""
        ...


class RandomChooser:
    """Choices from a seeded `random.Random`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        return self.rng.randint(lo, hi)


class DataChooser:
    """Choices drawn from hypothesis' `st.data()`, so that hypothesis can shrink them."""

    def __init__(self, data: Any) -> None:
        from hypothesis import strategies as st

        self.data = data
        self._st = st

    def integer(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        value: int = self.data.draw(self._st.integers(lo, hi))
        return value


def pick(ch: Chooser, options: Sequence[T]) -> T:
    """One of `options` (the first ones are the simplest: hypothesis shrinks towards them)."""
    if not options:
        raise NotApplicable("nothing to choose from")
    return options[ch.integer(0, len(options) - 1)]


def weighted(ch: Chooser, options: Sequence[tuple[int, T]]) -> T:
    """One of `options`, chosen in proportion to its weight."""
    total = sum(w for w, _ in options)
    r = ch.integer(0, total - 1)
    for w, value in options:
        if r < w:
            return value
        r -= w
    raise AssertionError("unreachable")


def coin(ch: Chooser, numerator: int = 1, denominator: int = 2) -> bool:
    """True with probability numerator/denominator."""
    return ch.integer(0, denominator - 1) < numerator


class NotApplicable(Exception):
    """A mutation that cannot apply to this tree (no such file, unparseable YAML, ...)."""


# ---------------------------------------------------------------------------------------------
# The tree being mutated
# ---------------------------------------------------------------------------------------------


@dataclass
class Tree:
    """A source folder (the one holding course.yaml) that mutations edit in place."""

    root: Path
    redumped: list[str] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        """`path` relative to the root, for descriptions."""
        return path.relative_to(self.root).as_posix()

    def entries(self) -> list[Path]:
        """Every path below the root (not following symlinks), sorted."""
        found: list[Path] = []
        for top, dirs, files in os.walk(self.root, followlinks=False):
            dirs.sort()
            found.extend(Path(top) / name for name in dirs + sorted(files))
        return sorted(found)

    def regular_files(self, suffix: str = "") -> list[Path]:
        """Regular files (not symlinks, FIFOs or folders) whose name ends with `suffix`."""
        out = []
        for path in self.entries():
            try:
                mode = path.lstat().st_mode
            except OSError:
                continue
            if stat.S_ISREG(mode) and path.name.endswith(suffix):
                out.append(path)
        return out

    def yaml_files(self) -> list[Path]:
        """Regular .yaml files, sorted."""
        return self.regular_files(".yaml")

    def unit_dirs(self) -> list[Path]:
        """Real (non-symlink) folders under units/."""
        units = self.root / "units"
        if units.is_symlink() or not units.is_dir():
            return []
        return sorted(p for p in units.iterdir() if p.is_dir() and not p.is_symlink())


def _read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "surrogateescape")


def _write_text(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", "surrogateescape"))


def _clip(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}...({len(text)} chars)"


# ---------------------------------------------------------------------------------------------
# Palettes
# ---------------------------------------------------------------------------------------------

TRICKY_STRINGS: tuple[str, ...] = (
    "", " ", "x", "\n", "x\ny", "u1\n", "u1-q01\n", "  padded  ", "\t", "a" * 65, "A" * 300,
    "Ünïcödé ✓", "日本語のテキスト", "\u202eevil", "zero\u200bwidth", "\ufeffbom", "e\u0301",
    "\x00", "a\x01b", "\x1b[31mred\x1b[0m", "\x7f", "bell\x07", "\x0b\x0c", "\r", "cr\rlf\r\n",
    "\ud800", "\udfff", "\ufffe", "\uffff", "\U0010ffff", "\x85", "line\u2028sep", "\u2029",
    "<b>bold</b>", "<script>alert(1)</script>", "]]>", "<![CDATA[x]]>", "&amp; &nbsp; &#0; &bogus;",
    "&#xD800;", "\"'", "{{g1}}", "{{nope}}", "{{", "}}", "[[1]]", "[[99]]", "[[0]]", "[[",
    "{1:SHORTANSWER:=x}", "~=#{}:\\", "::title::", "%", "$$x$$", "`code`", "# heading", "* * *",
    "[link](javascript:alert(1))", "![img](nope.png)", "| a | b |\n|---|---|\n| 1 | 2 |",
    "x" * 5000, "word " * 3000,
    "source/course.yaml:1:1: error: fake [fake]", "-", "..", ".", "../u1", "/etc/passwd",
    "u1/../u1", "U1", "con", "nul", "next", "end", "this", "previous", "0", "1e400", "nan",
    "-0", "true", "null", "~", "yes", "2001-12-14", "1:2", "a, b", "a,b", "<>", "`",
    # markup, XML and Moodle-format edge cases (appended: earlier indices keep their meaning)
    "<!-- a -- b -->", "<?xml version='1.0'?>", "<!DOCTYPE x [<!ENTITY e 'x'>]>", "&e;",
    "&#x1F;", "&#xFFFE;", "&#1114112;", "&#65535;", "&#x0;", "<br>", "</p>", "<p",
    "<img src=x onerror=alert(1)>", "<svg><script>alert(1)</script></svg>", "```\ncode\n```",
    "```\nunclosed", "    indented code", "> quote", "1. one\n2. two", "- a\n  - b\n    - c",
    "[x]: http://a.example\n\n[x]", "<http://a.example>", "<a@b.example>", "![a](<b c>)",
    "\\", "\\n", "\\{", "@@PLUGINFILE@@/x.png", "$@NULL@$", "$@FILEPHP@$", "%%", "&lt;",
    "&#60;", "\u00a0nbsp\u00a0", "\u3000", "👍🏽", "\U0001F600", "\ufeffmid", "a\u0300\u0301",
    "{{g1}}{{g1}}", "[[1]][[1]]", "{{G1}}", "{{ g1 }}", "[[ 1 ]]", "[[-1]]", "[[1.5]]",
    "{#1}", "{=x ~y}", "::q::x", "$CATEGORY: x", "// comment", "\t\tindented\ttabs",
    "word" * 3000, "x\n\n\n\ny", "trailing space ", " leading space", "line\\\nbreak",
    "*emphasis* **strong** _u_ ~~s~~", "[link](http://a.example \"title\")", "<u>ok</u>",
    "a <b>unclosed", "</div></div></div>", "<table><tr><td>x</td></tr></table>",
    "<style>p{}</style>", "<iframe src=x>", "<a href='javascript:x'>a</a>",
    "0.1", "1,5", "75%", "-0.0", "1e-7", "½", "٣", "Ⅳ",
    "[[99999999999999999999]]", "[[٣]]", "[[00]]", "[[0001]]", "[[2]][[1]]", "{{}}", "{{ }}",
    "{{g1}} {{g2}} {{g1}}", "{{g1}}[[1]]", "{1:MULTICHOICE:=a~b}", "}{", "{{{g1}}}", "[[[1]]]",
)
NUMBERS: tuple[Any, ...] = (
    0, 1, -1, 2, 3, 5, 8, 20, 21, 40, 41, 64, 99, 100, 101, -100, -101, 2**31, 2**63, 10**30,
    10**400, -(10**400), 0.5, 0.1, 1.5, 33.33333, 83.33333, 1e-300, 1e308, -0.0,
    float("inf"), float("-inf"), float("nan"),
)
CONTAINERS: tuple[Any, ...] = (
    [], {}, [None], [""], [[]], [{}], {"": ""}, {"x": None}, ["x", "x", "x"], {"id": "zz"},
    [{"text": "a"}], list(range(300)), [[[[["deep"]]]]],
)
OTHER_SCALARS: tuple[Any, ...] = (None, True, False)

# YAML text snippets that fit where a plain scalar stood, also inside flow collections.
FLOW_SNIPPETS: tuple[str, ...] = (
    "[]", "{}", "~", "null", "''", '""', "[a, b]", "{a: b}", "true", "True", "yes", "no", "on",
    "0", "-1", "1.5", "0x1F", "0o17", "1_000", ".nan", ".inf", "-.inf", "1e400", "2001-12-14",
    "123456789012345678901234567890", "!!binary aGVsbG8=", "!!binary 'not base64!'",
    "!!float x", "!!int x", "!!int 0x1F", "!!float 1e400", "!!str 12", "!!null x", "!!bool yes",
    "!!bool x", "!!timestamp 2001-12-14", "!!timestamp x", "!!set {a, b}", "!!omap [a: 1]",
    "!!pairs [a: 1]", "!!seq x", "!!map x", "!!merge x", "!!value x", "!local x",
    "!<tag:example.com,2000:x> y", "!!python/object:os.system {}",
    "!!python/object/apply:os.system [echo]", "!!python/name:os.system ''",
    "!!python/tuple [a]", "*undefined", '"a\\x00b"', '"a\\x01b"', '"\\e[31m"', '"\\ud800"',
    '"\\U0010FFFF"', '"\\N\\_\\L\\P"', '"x\\n"', '"u1-q01\\n"', '"\\t"', '"\\r"', "'''",
    "&a x", "&a [*a]", "&r {k: *r}", "[*undefined]", "{? [a]: b}", "{[a]: b}", "{a: 1, a: 2}",
    "{<<: x}", "{<<: [x]}", "{<<: {id: zz}}", "[a, [b, [c]]]", "? x", "- x", "@x", "`x",
    "%x", "|", ">", "x #comment", "'unterminated", '"unterminated',
)
# Snippets that need block context; {i} is replaced by an indentation deeper than the key.
BLOCK_SNIPPETS: tuple[str, ...] = (
    "|\n{i}u1-q01\n", "|-\n{i}u1-q01\n", "|+\n{i}u1-q01\n\n", ">\n{i}folded\n{i}text\n",
    "|2\n{i}  indented\n", "\n{i}- a\n{i}- b\n", "\n{i}a: b\n{i}c: d\n", "&x\n{i}k: v\n",
    "!!binary |\n{i}aGVsbG8=\n", "!!python/object:os.system\n{i}a: b\n",
    "|\n{i}line one\n{i}line two\n",
    "\n{i}- - - - x\n", "\n{i}? complex\n{i}: key\n",
)
TAGS: tuple[str, ...] = (
    "!!str", "!!int", "!!float", "!!bool", "!!null", "!!binary", "!!timestamp", "!!seq",
    "!!map", "!!set", "!!omap", "!!pairs", "!!merge", "!!value", "!!yaml",
    "!!python/object:os.system", "!!python/name:os.system", "!!python/tuple", "!local",
    "!<tag:example.com,2000:x>", "!", "!!",
)
INSERT_BYTES: tuple[bytes, ...] = (
    b"\x00", b"\x01", b"\x1b", b"\x1b[2J", b"\x07", b"\x08", b"\x7f", b"\t", b"\r", b"\x0b",
    b"\x0c", b"\xff", b"\xfe", b"\xc3\x28", b"\xa0", b"\xc0\xaf", b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80", b"\xef\xbb\xbf", b"\xef\xbf\xbe", b"\xef\xbf\xbf", b"\xc2\x85",
    b"\xe2\x80\xa8", b"\xe2\x80\xae", b"\xe2\x80\x8b", b"\xf0\x9f\x98\x80", b"\x1a", b"#",
    b":", b": ", b"- ", b"{", b"}", b"[", b"]", b"&", b"*", b"!", b"|", b">", b"'", b'"', b"%",
    b"@", b"`", b"?", b"\n", b"\n\n", b" ", b"  ",
)
WEIRD_NAMES: tuple[str, ...] = (
    "u2", "U1", "u1 ", " u1", "x\ny", "a:b", "ünit", ".hidden", "-x", "a b", "a\\b", "%s", "{}",
    "\x1b[31m", "a" * 200, "a" * 65, "1:2:3", "x\ry", "\t", "con", "q'uote", 'd"quote', "<u>",
)
JUMP_WORDS: tuple[str, ...] = ("next", "this", "previous", "end")
LINK_TARGETS: tuple[str, ...] = (
    "/etc/hostname", "nonexistent-target", "/etc/passwd", "/dev/null", "/proc/self/status",
    "/", ".", "..", "/nonexistent/dir/file.yaml",
)
TRIVIAL_CONTENTS: tuple[bytes, ...] = (
    b"", b"\n", b"   \n", b"# only a comment\n", b"---\n", b"...\n", b"~\n", b"null\n", b"[]\n",
    b"{}\n", b"''\n", b"42\n", b"- a\n- b\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n",
    b"--- !!binary aGk=\n", b"\t\n", b"key: value\n", b"---\n---\n", b"- \n", b"? \n",
    b"\xff\xfe", b"\x00\x00\x00\x00",
)


# ---------------------------------------------------------------------------------------------
# The schemas' vocabulary: key names, enum values and numeric limits (read-only).
# ---------------------------------------------------------------------------------------------


@cache
def vocabulary() -> dict[str, tuple[Any, ...]]:
    """Every property name in the JSON schemas, with candidate values for it."""
    out: dict[str, list[Any]] = {}
    base = resources.files("coursepack").joinpath("schemas")
    for kind in ("course", "unit", "questions", "lesson", "glossary"):
        schema = json.loads(base.joinpath(f"{kind}.schema.json").read_text(encoding="utf-8"))
        for name, sub in _properties(schema):
            values = out.setdefault(name, [])
            for value in _candidates(_resolve(sub, schema), schema):
                if not any(_same(value, v) for v in values):
                    values.append(value)
    return {name: tuple(values) for name, values in sorted(out.items())}


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and repr(a) == repr(b)


def _properties(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            yield from props.items()
        for value in node.values():
            yield from _properties(value)
    elif isinstance(node, list):
        for item in node:
            yield from _properties(item)


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    for _ in range(5):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target: Any = root
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node = target
    return node


def _candidates(node: Any, root: dict[str, Any]) -> list[Any]:
    if not isinstance(node, dict):
        return []
    values: list[Any] = list(node.get("enum", []))
    if "const" in node:
        values.append(node["const"])
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if isinstance(node.get(key), (int, float)):
            limit = node[key]
            values += [limit, limit - 1, limit + 1, limit + 0.5, limit - 0.5]
    if "integer" in kinds or "number" in kinds:
        values += [0, 1, -1, 0.5, 2**31, 2**63, 10**400, -(10**400), 1e308, 1e-300,
                   float("nan"), float("inf")]
    if "boolean" in kinds:
        values += [True, False]
    if "string" in kinds:
        values += ["x", "valid-id", "Plain words.", "a" * 64, "a" * 65]
    if "array" in kinds:
        items = _resolve(node.get("items", {}), root)
        inner = _candidates(items, root) or ["x"]
        values += [[], [inner[0]], inner[:3], [inner[0], inner[0]]]
        for n in (node.get("minItems"), node.get("maxItems")):
            if isinstance(n, int):
                values += [inner[:1] * max(n - 1, 0), inner[:1] * n, inner[:1] * (n + 1)]
    for sub in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
        values += _candidates(_resolve(sub, root), root)
    return values


# ---------------------------------------------------------------------------------------------
# YAML helpers: a loader that reads data the way coursepack does, and scalar sites in the text.
# ---------------------------------------------------------------------------------------------


_EventLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data(text: str) -> Any:
    """The data in `text`, or NotApplicable when it is not loadable YAML."""
    try:
        return yaml.load(text, Loader=Loader)
    except Exception as exc:  # PyYAML's constructors raise more than YAMLError
        raise NotApplicable(f"not loadable: {type(exc).__name__}") from exc


def dump_data(data: Any) -> str:
    """YAML text for `data` (pure-Python dumper: it escapes lone surrogates and controls)."""
    try:
        text: str = yaml.dump(data, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True,
                              width=10**9, default_flow_style=False)
    except (yaml.YAMLError, RecursionError, TypeError, ValueError) as exc:
        raise NotApplicable(f"not dumpable: {type(exc).__name__}") from exc
    return text


@dataclass(frozen=True)
class Site:
    """Where a node starts in the text: a scalar's span, or a collection's anchor point."""

    start: int
    end: int
    line: int
    col: int
    is_key: bool
    in_flow: bool
    key: str | None
    scalar: bool
    anchor_at: int


@dataclass
class _Frame:
    mapping: bool
    flow: bool
    expect_key: bool = True
    last_key: str | None = None
    last_key_end: int = -1


_SURROGATE = re.compile("[\ud800-\udfff]")


def sites(text: str) -> list[Site]:
    """Every node in the YAML text (as far as it parses), in document order."""
    found: list[Site] = []
    stack: list[_Frame] = []
    try:
        clean = _SURROGATE.sub("\ufffd", text)  # same length, so indices still fit `text`
        for event in yaml.parse(clean, Loader=_EventLoader):
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                if stack:
                    stack.pop()
                continue
            if not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent,
                                      yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                continue
            top = stack[-1] if stack else None
            is_key = bool(top and top.mapping and top.expect_key)
            key = top.last_key if top and top.mapping and not is_key else None
            in_flow = any(f.flow for f in stack)
            begin, finish = event.start_mark, event.end_mark
            start = begin.index if begin else 0
            end = finish.index if finish else start
            scalar = isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent))
            anchor_at = start
            if not scalar and not getattr(event, "flow_style", False) and top and top.mapping \
                    and not is_key and top.last_key_end >= 0:
                colon = text.find(":", top.last_key_end)
                anchor_at = colon + 1 if colon >= 0 else start
            found.append(Site(start, end, begin.line + 1 if begin else 1,
                              begin.column if begin else 0,
                              is_key, in_flow, key, scalar, anchor_at))
            if top and top.mapping:
                if is_key:
                    top.last_key = event.value if isinstance(event, yaml.ScalarEvent) else None
                    top.last_key_end = end
                top.expect_key = not top.expect_key
            if not scalar:
                stack.append(_Frame(isinstance(event, yaml.MappingStartEvent),
                                    bool(getattr(event, "flow_style", False))))
    except (yaml.YAMLError, RecursionError, UnicodeError):
        pass
    return found


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _indent_of(text: str, index: int) -> int:
    start = _line_start(text, index)
    return len(text[start:index]) - len(text[start:index].lstrip(" "))


def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


# ---------------------------------------------------------------------------------------------
# Mutations. Each takes the tree and a chooser, edits the tree, and returns a description.
# ---------------------------------------------------------------------------------------------

Mutation = Callable[[Tree, Chooser], str]


def _yaml_target(tree: Tree, ch: Chooser) -> Path:
    return pick(ch, tree.yaml_files())


# --- byte level ------------------------------------------------------------------------------


def byte_flip(tree: Tree, ch: Chooser) -> str:
    """Flip one bit of one byte."""
    path = _yaml_target(tree, ch)
    raw = bytearray(path.read_bytes())
    if not raw:
        raise NotApplicable("empty file")
    at = ch.integer(0, len(raw) - 1)
    bit = ch.integer(0, 7)
    raw[at] ^= 1 << bit
    path.write_bytes(bytes(raw))
    return f"{tree.rel(path)}: flip bit {bit} of byte {at} (now 0x{raw[at]:02x})"


def byte_insert(tree: Tree, ch: Chooser) -> str:
    """Insert control characters, invalid UTF-8, NUL, BOMs or YAML indicators."""
    path = _yaml_target(tree, ch)
    raw = path.read_bytes()
    chunk = pick(ch, INSERT_BYTES) * pick(ch, (1, 1, 1, 2, 3, 100))
    text = raw.decode("utf-8", "surrogateescape")
    spots = sites(text)
    if spots and coin(ch, 2, 3):
        site = pick(ch, spots)
        at_char = pick(ch, (site.start, site.end, (site.start + site.end) // 2))
        at = len(text[:at_char].encode("utf-8", "surrogateescape"))
    else:
        at = ch.integer(0, len(raw))
    path.write_bytes(raw[:at] + chunk + raw[at:])
    return f"{tree.rel(path)}: insert {chunk[:8]!r}{'...' if len(chunk) > 8 else ''} at byte {at}"


def byte_delete(tree: Tree, ch: Chooser) -> str:
    """Delete a short run of bytes (may cut a multi-byte character in half)."""
    path = _yaml_target(tree, ch)
    raw = path.read_bytes()
    if not raw:
        raise NotApplicable("empty file")
    at = ch.integer(0, len(raw) - 1)
    n = pick(ch, (1, 1, 2, 3, 8, 16))
    path.write_bytes(raw[:at] + raw[at + n:])
    return f"{tree.rel(path)}: delete {raw[at:at + n]!r} at byte {at}"


def byte_truncate(tree: Tree, ch: Chooser) -> str:
    """Cut the file short."""
    path = _yaml_target(tree, ch)
    raw = path.read_bytes()
    at = ch.integer(0, len(raw))
    path.write_bytes(raw[:at])
    return f"{tree.rel(path)}: truncate to {at} of {len(raw)} bytes"


def byte_encoding(tree: Tree, ch: Chooser) -> str:
    """Re-encode or re-terminate the whole file: UTF-16/32, Latin-1, BOMs, CRLF, CR, no EOL."""
    path = _yaml_target(tree, ch)
    raw = path.read_bytes()
    text = raw.decode("utf-8", "surrogateescape")
    how = pick(ch, ("utf-16", "utf-16-le", "utf-32", "latin-1", "bom", "double-bom", "crlf",
                    "cr", "no-final-newline", "ctrl-z", "nel", "ls"))
    if how in ("utf-16", "utf-16-le", "utf-32", "latin-1"):
        try:
            new = text.encode(how, "replace")
        except UnicodeError as exc:  # pragma: no cover - "replace" handles surrogates
            raise NotApplicable(how) from exc
    elif how == "bom":
        new = b"\xef\xbb\xbf" + raw
    elif how == "double-bom":
        new = b"\xef\xbb\xbf\xef\xbb\xbf" + raw
    elif how == "crlf":
        new = raw.replace(b"\n", b"\r\n")
    elif how == "cr":
        new = raw.replace(b"\n", b"\r")
    elif how == "no-final-newline":
        new = raw.rstrip(b"\n")
    elif how == "ctrl-z":
        new = raw + b"\x1a"
    elif how == "nel":
        new = raw.replace(b"\n", b"\xc2\x85")
    else:
        new = raw.replace(b"\n", b"\xe2\x80\xa8")
    path.write_bytes(new)
    return f"{tree.rel(path)}: re-encode as {how}"


def byte_control(tree: Tree, ch: Chooser) -> str:
    """Overwrite one character with a C0/C1 control character."""
    path = _yaml_target(tree, ch)
    text = _read_text(path)
    if not text:
        raise NotApplicable("empty file")
    spots = [s for s in sites(text) if s.scalar and s.end > s.start]
    if spots and coin(ch, 3, 4):
        site = pick(ch, spots)
        at = ch.integer(site.start, site.end - 1)
    else:
        at = ch.integer(0, len(text) - 1)
    char = pick(ch, ("\x01", "\x1b", "\x00", "\x7f", "\x08", "\x0c", "\x0b", "\r", "\x85",
                     "\x9b", "\ufffe", "\u2028"))
    _write_text(path, _splice(text, at, at + 1, char))
    return f"{tree.rel(path)}: replace char {at} ({text[at]!r}) with {char!r}"


# --- line level ------------------------------------------------------------------------------


def _lines(path: Path) -> list[str]:
    lines = _read_text(path).splitlines(keepends=True)
    if not lines:
        raise NotApplicable("no lines")
    return lines


def _put_lines(path: Path, lines: list[str]) -> None:
    _write_text(path, "".join(lines))


def line_edit(tree: Tree, ch: Chooser) -> str:
    """Duplicate, delete, swap, move, indent or dedent lines."""
    path = _yaml_target(tree, ch)
    lines = _lines(path)
    n = len(lines)
    i = ch.integer(0, n - 1)
    how = pick(ch, ("duplicate", "delete", "swap-next", "swap", "indent", "dedent", "move",
                    "duplicate-block", "delete-block", "reverse-block", "tab-indent"))
    rel, shown = tree.rel(path), _clip(lines[i].rstrip("\n"), 50)
    if how == "duplicate":
        copies = pick(ch, (1, 1, 2))
        lines[i + 1:i + 1] = [lines[i]] * copies
        what = f"duplicate line {i + 1} {shown} x{copies}"
    elif how == "delete":
        del lines[i]
        what = f"delete line {i + 1} {shown}"
    elif how in ("swap-next", "swap"):
        j = min(i + 1, n - 1) if how == "swap-next" else ch.integer(0, n - 1)
        lines[i], lines[j] = lines[j], lines[i]
        what = f"swap lines {i + 1} and {j + 1}"
    elif how in ("indent", "tab-indent"):
        pad = "\t" if how == "tab-indent" else " " * pick(ch, (1, 2, 4, 3))
        lines[i] = pad + lines[i]
        what = f"indent line {i + 1} {shown} by {pad!r}"
    elif how == "dedent":
        k = pick(ch, (1, 2, 4, 1000))
        stripped = lines[i].lstrip(" ")
        keep = max(len(lines[i]) - len(stripped) - k, 0)
        lines[i] = " " * keep + stripped
        what = f"dedent line {i + 1} {shown} by {k}"
    elif how == "move":
        j = ch.integer(0, n - 1)
        lines.insert(j, lines.pop(i))
        what = f"move line {i + 1} {shown} to {j + 1}"
    else:
        j = min(n, i + ch.integer(2, 12))
        block = lines[i:j]
        if how == "duplicate-block":
            lines[j:j] = block
        elif how == "delete-block":
            del lines[i:j]
        else:
            lines[i:j] = block[::-1]
        what = f"{how} lines {i + 1}-{j}"
    _put_lines(path, lines)
    return f"{rel}: {what}"


# --- YAML structure, as text -----------------------------------------------------------------


def _value_sites(text: str, *, scalar_only: bool = True) -> list[Site]:
    return [s for s in sites(text) if not s.is_key and (s.scalar or not scalar_only)]


def _replacement_for(text: str, site: Site, ch: Chooser) -> str:
    one_line = "\n" not in text[site.start:site.end]
    if not site.in_flow and one_line and coin(ch, 1, 3):
        indent = " " * (_indent_of(text, site.start) + 2)
        return pick(ch, BLOCK_SNIPPETS).replace("{i}", indent).rstrip("\n")
    return pick(ch, FLOW_SNIPPETS)


def yaml_replace_scalar(tree: Tree, ch: Chooser) -> str:
    """Replace a value with another YAML construct: other types, tags, aliases, escapes."""
    path = _yaml_target(tree, ch)
    text = _read_text(path)
    site = pick(ch, _value_sites(text))
    new = _replacement_for(text, site, ch)
    _write_text(path, _splice(text, site.start, site.end, new))
    old = _clip(text[site.start:site.end], 30)
    return f"{tree.rel(path)}:{site.line}: value of {site.key!r} {old} -> {new!r}"


def yaml_tag(tree: Tree, ch: Chooser) -> str:
    """Put an explicit tag in front of a value (or a key)."""
    path = _yaml_target(tree, ch)
    text = _read_text(path)
    candidates = [s for s in sites(text) if s.scalar or s.in_flow]
    site = pick(ch, candidates)
    tag = pick(ch, TAGS)
    _write_text(path, _splice(text, site.start, site.start, tag + " "))
    what = "key" if site.is_key else f"value of {site.key!r}"
    return f"{tree.rel(path)}:{site.line}: tag {what} {_clip(text[site.start:site.end], 30)} " \
           f"with {tag}"


def yaml_anchor_alias(tree: Tree, ch: Chooser) -> str:
    """Anchor one node and alias it from another place (maybe before the anchor, or itself)."""
    path = _yaml_target(tree, ch)
    text = _read_text(path)
    nodes = _value_sites(text, scalar_only=False)
    scalars = [s for s in nodes if s.scalar]
    source = pick(ch, nodes)
    target = pick(ch, scalars)
    name = pick(ch, ("a", "b", "x1"))
    edits = [(source.anchor_at, source.anchor_at, f" &{name} " if source.anchor_at != source.start
              else f"&{name} "), (target.start, target.end, f"*{name}")]
    if target.start <= source.anchor_at < target.end:
        raise NotApplicable("overlap")
    for start, end, new in sorted(edits, reverse=True):
        text = _splice(text, start, end, new)
    _write_text(path, text)
    return f"{tree.rel(path)}: anchor &{name} on line {source.line}, alias *{name} replaces " \
           f"value of {target.key!r} on line {target.line}"


def _block_key_sites(text: str) -> list[Site]:
    """Block mapping keys that start their line (so a sibling line can go in front of them)."""
    out = []
    for s in sites(text):
        if s.is_key and not s.in_flow:
            start = _line_start(text, s.start)
            if not text[start:s.start].strip():
                out.append(s)
    return out


def yaml_merge_key(tree: Tree, ch: Chooser) -> str:
    """Insert a merge key `<<:` into a mapping: of a scalar, an alias, a list, or undefined."""
    path = _yaml_target(tree, ch)
    text = _read_text(path)
    keys = _block_key_sites(text)
    site = pick(ch, keys)
    value = pick(ch, ("x", "*a", "[*a, *a]", "{}", "[]", "{id: zz}", "[x]", "*undefined", "~",
                      "[{id: zz}, {title: T}]", "{<<: {id: zz}}", "*a2"))
    edits: list[tuple[int, int, str]] = []
    if "*a" in value:
        anchor = pick(ch, _value_sites(text, scalar_only=False))
        name = "a2" if "*a2" in value else "a"
        edits.append((anchor.anchor_at, anchor.anchor_at,
                      f" &{name} " if anchor.anchor_at != anchor.start else f"&{name} "))
    start = _line_start(text, site.start)
    edits.append((start, start, " " * site.col + f"<<: {value}\n"))
    for s, e, new in sorted(edits, reverse=True):
        text = _splice(text, s, e, new)
    _write_text(path, text)
    key = text[site.start:site.end] if site.end > site.start else ""
    return f"{tree.rel(path)}:{site.line}: insert '<<: {value}' before key {key!r}" \
           + (" (anchor elsewhere)" if len(edits) > 1 else "")


def yaml_insert_key(tree: Tree, ch: Chooser) -> str:
    """Insert a key line next to another key: a duplicate, a schema key, or an odd key."""
    path = _yaml_target(tree, ch)
    text = _read_text(path)
    keys = _block_key_sites(text)
    site = pick(ch, keys)
    existing = [text[s.start:s.end] for s in keys if s.col == site.col]
    key = weighted(ch, [(3, pick(ch, existing or ["id"])), (3, pick(ch, list(vocabulary()))),
                        (2, pick(ch, ("~", "null", "true", "1", "1.5", "''", '"id "', "[a]",
                                      "{a: b}", "*a", "!!int 1", "? x", "-", "a b", "Id", "ID",
                                      "id\u200b", "іd", "<<")))])
    value = pick(ch, ("x", "~", "[]", "{}", "1", "true", "u1", "-1", "''"))
    start = _line_start(text, site.start)
    _write_text(path, _splice(text, start, start, " " * site.col + f"{key}: {value}\n"))
    return f"{tree.rel(path)}:{site.line}: insert key line '{key}: {value}'"


_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "i": "і", "c": "с", "p": "р", "x": "х"}


def near_miss(key: str, ch: Chooser) -> str:
    """A misspelling of `key`."""
    how = pick(ch, ("drop", "double", "swap", "upper", "capital", "plural", "unplural",
                    "dash", "underscore", "homoglyph", "zwsp", "space", "prefix"))
    if not key:
        return "x"
    i = ch.integer(0, len(key) - 1)
    if how == "drop":
        out = key[:i] + key[i + 1:]
    elif how == "double":
        out = key[:i] + key[i] + key[i:]
    elif how == "swap" and len(key) > 1:
        i = min(i, len(key) - 2)
        out = key[:i] + key[i + 1] + key[i] + key[i + 2:]
    elif how == "upper":
        out = key.upper()
    elif how == "capital":
        out = key.capitalize()
    elif how == "plural":
        out = key + "s"
    elif how == "unplural":
        out = key[:-1] if key.endswith("s") else key + "_"
    elif how == "dash":
        out = key.replace("_", "-") if "_" in key else key + "-x"
    elif how == "underscore":
        out = key.replace("-", "_") if "-" in key else "_" + key
    elif how == "homoglyph":
        out = "".join(_HOMOGLYPHS.get(c, c) for c in key)
    elif how == "zwsp":
        out = key[:i] + "\u200b" + key[i:]
    elif how == "space":
        out = f'"{key} "'
    else:
        out = "x" + key
    return out if out != key else key + "x"


def yaml_key_near_miss(tree: Tree, ch: Chooser) -> str:
    """Misspell a key in the text (the value and its comments stay)."""
    path = _yaml_target(tree, ch)
    text = _read_text(path)
    keys = [s for s in sites(text) if s.is_key and s.scalar]
    site = pick(ch, keys)
    old = text[site.start:site.end]
    new = near_miss(old, ch) if coin(ch, 3, 4) else pick(
        ch, ("~", "null", "true", "1", "[a]", "{a: b}", "*undefined", "!!int 1", "''", "? " + old))
    _write_text(path, _splice(text, site.start, site.end, new))
    return f"{tree.rel(path)}:{site.line}: key {old!r} -> {new!r}"


def yaml_deep_nesting(tree: Tree, ch: Chooser) -> str:
    """Replace a value with flow or block nesting hundreds or thousands of levels deep."""
    path = _yaml_target(tree, ch)
    text = _read_text(path)
    site = pick(ch, _value_sites(text))
    depth = pick(ch, (10, 100, 200, 300, 400, 490, 999, 1000, 1500, 5000, 50000))
    style = pick(ch, ("list", "map", "mixed", "block-list", "recursive"))
    if style == "list":
        new = "[" * depth + "x" + "]" * depth
    elif style == "map":
        new = "{a: " * depth + "x" + "}" * depth
    elif style == "mixed":
        new = "[{a: " * (depth // 2) + "x" + "}]" * (depth // 2)
    elif style == "block-list" and not site.in_flow:
        indent = " " * (_indent_of(text, site.start) + 2)
        new = "\n" + indent + "- " * min(depth, 5000) + "x"
    else:
        new = pick(ch, ("&r [*r]", "&r {k: *r}", "&r [[*r]]", "&r [a, {b: *r}]"))
    _write_text(path, _splice(text, site.start, site.end, new))
    return f"{tree.rel(path)}:{site.line}: value of {site.key!r} -> {style} nesting " \
           f"{depth} deep ({_clip(new, 24)})"


def yaml_alias_fanout(tree: Tree, ch: Chooser) -> str:
    """A bounded 'billion laughs': aliases of aliases, expanded to many plain values."""
    path = _yaml_target(tree, ch)
    text = _read_text(path)
    site = pick(ch, [s for s in _value_sites(text) if not s.in_flow])
    levels, width = pick(ch, ((3, 5), (4, 8), (5, 10), (6, 10)))
    parts = ["&l0 [" + ", ".join(["lol"] * width) + "]"]
    for k in range(1, levels):
        parts.append(f"&l{k} [" + ", ".join([f"*l{k - 1}"] * width) + "]")
    new = "[" + ", ".join(parts) + "]"
    _write_text(path, _splice(text, site.start, site.end, new))
    return f"{tree.rel(path)}:{site.line}: value of {site.key!r} -> alias fan-out " \
           f"{width}^{levels} values"


def yaml_long_string(tree: Tree, ch: Chooser) -> str:
    """Replace a value with a very long string (one word, or many)."""
    path = _yaml_target(tree, ch)
    text = _read_text(path)
    site = pick(ch, _value_sites(text))
    n = pick(ch, (65, 256, 4096, 70000, 1_000_000))
    body = pick(ch, ("x" * n, ("word " * (n // 5)).strip(), "ü" * n, "<b>" * (n // 3),
                     "{{g1}}" * (n // 6), "[[1]]" * (n // 5)))
    new = '"' + body + '"' if body.startswith(("{", "[", "<")) else body
    _write_text(path, _splice(text, site.start, site.end, new))
    return f"{tree.rel(path)}:{site.line}: value of {site.key!r} -> {len(body)}-char string " \
           f"{_clip(body[:12])}"


def yaml_id_whitespace(tree: Tree, ch: Chooser) -> str:
    """Give an id (or a reference to one) a trailing newline, a space, a tab or odd case."""
    path = _yaml_target(tree, ch)
    text = _read_text(path)
    refs = ("id", "outcome", "jump", "correct_jump", "wrong_jump", None)
    spots = [s for s in _value_sites(text) if s.key in refs]
    site = pick(ch, spots)
    old = text[site.start:site.end].strip("'\"")
    variants = [f'"{old}\\n"', f'"{old} "', f'" {old}"', f'"{old}\\t"', f'"{old}\\r"',
                old.upper(), f'"{old}\\u200b"', f'"{old}\\0"']
    if not site.in_flow:
        indent = " " * (_indent_of(text, site.start) + 2)
        variants += [f"|\n{indent}{old}", f"|+\n{indent}{old}\n", f">\n{indent}{old}\n{indent}x"]
    new = pick(ch, variants)
    _write_text(path, _splice(text, site.start, site.end, new))
    return f"{tree.rel(path)}:{site.line}: {site.key or 'item'} {old!r} -> {new!r}"


def yaml_documents(tree: Tree, ch: Chooser) -> str:
    """Add document markers, extra documents or directives."""
    path = _yaml_target(tree, ch)
    text = _read_text(path)
    how = pick(ch, ("append-doc", "prepend-marker", "append-end", "yaml-1.1", "yaml-1.3",
                    "yaml-2.0", "tag-directive", "unknown-directive", "empty-second",
                    "two-directives"))
    new = {
        "append-doc": text + "---\nfoo: bar\n",
        "prepend-marker": "--- \n" + text,
        "append-end": text + "...\n",
        "yaml-1.1": "%YAML 1.1\n---\n" + text,
        "yaml-1.3": "%YAML 1.3\n---\n" + text,
        "yaml-2.0": "%YAML 2.0\n---\n" + text,
        "tag-directive": "%TAG ! tag:yaml.org,2002:\n---\n" + text,
        "unknown-directive": "%FOO bar\n---\n" + text,
        "empty-second": text + "---\n",
        "two-directives": "%YAML 1.1\n%YAML 1.1\n---\n" + text,
    }[how]
    _write_text(path, new)
    return f"{tree.rel(path)}: {how}"


# --- YAML structure, as data (re-dumped; comments are lost) ---------------------------------


def _nodes(data: Any, limit: int = 20000) -> list[tuple[Any, ...]]:
    """Paths to the nodes of `data`, breadth first, at most `limit` (aliases can explode)."""
    found: list[tuple[Any, ...]] = []
    queue: deque[tuple[tuple[Any, ...], Any]] = deque([((), data)])
    while queue and len(found) < limit:
        path, node = queue.popleft()
        found.append(path)
        if len(path) > 60:
            continue
        if isinstance(node, dict):
            queue += [((*path, key), value) for key, value in node.items()]
        elif isinstance(node, list):
            queue += [((*path, i), value) for i, value in enumerate(node)]
    return found


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def _show(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out.lstrip(".") or "<root>"


@dataclass
class _Doc:
    tree: Tree
    path: Path
    data: Any
    nodes: list[tuple[Any, ...]] = field(default_factory=list)


def _load_doc(tree: Tree, ch: Chooser) -> _Doc:
    path = _yaml_target(tree, ch)
    data = load_data(_read_text(path))
    return _Doc(tree, path, data, list(_nodes(data)))


def _save_doc(doc: _Doc) -> None:
    _save_data(doc.tree, doc.path, doc.data)


def _save_data(tree: Tree, path: Path, data: Any) -> None:
    """Write `data` as YAML and remember that the file's formatting was normalised."""
    _write_text(path, dump_data(data))
    if tree.rel(path) not in tree.redumped:
        tree.redumped.append(tree.rel(path))


def redump(path: Path) -> None:
    """Load and dump a file unchanged: the baseline a re-dumped (data-level) edit is diffed to."""
    _write_text(path, dump_data(load_data(_read_text(path))))


def _other_value(original: Any, ch: Chooser) -> Any:
    if isinstance(original, str):
        family = weighted(ch, [(5, TRICKY_STRINGS), (2, NUMBERS), (2, CONTAINERS),
                               (1, OTHER_SCALARS)])
    elif isinstance(original, bool) or original is None:
        family = weighted(ch, [(2, OTHER_SCALARS), (2, NUMBERS), (2, TRICKY_STRINGS),
                               (1, CONTAINERS)])
    elif isinstance(original, (int, float)):
        family = weighted(ch, [(5, NUMBERS), (2, TRICKY_STRINGS), (1, CONTAINERS),
                               (1, OTHER_SCALARS)])
    else:
        family = weighted(ch, [(3, CONTAINERS), (3, TRICKY_STRINGS), (1, NUMBERS),
                               (1, OTHER_SCALARS)])
    return copy.deepcopy(pick(ch, family))


def data_replace(tree: Tree, ch: Chooser) -> str:
    """Replace any node with a value of another type, or an odd value of the same type."""
    doc = _load_doc(tree, ch)
    where = pick(ch, doc.nodes)
    old = _get(doc.data, where)
    new = _other_value(old, ch)
    doc.data = _set(doc.data, where, new)
    _save_doc(doc)
    return f"{tree.rel(doc.path)}: {_show(where)} = {_clip(new)} (was {_clip(old, 30)})"


_ID_KEYS = ("id", "outcome", "jump", "correct_jump", "wrong_jump", "type", "qtype")


def data_inject(tree: Tree, ch: Chooser) -> str:
    """Insert a markup or control fragment into the middle of a string value."""
    doc = _load_doc(tree, ch)
    strings = [p for p in doc.nodes if isinstance(_get(doc.data, p), str)]
    prose = [p for p in strings if p and p[-1] not in _ID_KEYS and " " in _get(doc.data, p)]
    where = pick(ch, prose if prose and coin(ch, 3, 4) else strings)
    old: str = _get(doc.data, where)
    at = ch.integer(0, len(old))
    piece = pick(ch, [s for s in TRICKY_STRINGS if len(s) < 100])
    doc.data = _set(doc.data, where, old[:at] + piece + old[at:])
    _save_doc(doc)
    return f"{tree.rel(doc.path)}: {_show(where)}: insert {piece!r} at {at} into {_clip(old, 30)}"


def data_schema_value(tree: Tree, ch: Chooser) -> str:
    """Set a key (existing, or any key a schema knows) to a boundary or enum value."""
    doc = _load_doc(tree, ch)
    maps = [p for p in doc.nodes if isinstance(_get(doc.data, p), dict)]
    where = pick(ch, maps)
    mapping = _get(doc.data, where)
    vocab = vocabulary()
    own = [k for k in mapping if k in vocab]
    key = pick(ch, own) if own and coin(ch, 2, 3) else pick(ch, list(vocab))
    value = copy.deepcopy(pick(ch, vocab[key] or ("x",)))
    mapping[key] = value
    _save_doc(doc)
    return f"{tree.rel(doc.path)}: {_show((*where, key))} = {_clip(value)}"


def data_delete_key(tree: Tree, ch: Chooser) -> str:
    """Delete a key from a mapping."""
    doc = _load_doc(tree, ch)
    keyed = [p for p in doc.nodes if p and isinstance(p[-1], str)]
    where = pick(ch, keyed)
    del _get(doc.data, where[:-1])[where[-1]]
    _save_doc(doc)
    return f"{tree.rel(doc.path)}: delete key {_show(where)}"


def data_rename_key(tree: Tree, ch: Chooser) -> str:
    """Rename a key to a near-miss spelling (the order of keys is kept)."""
    doc = _load_doc(tree, ch)
    keyed = [p for p in doc.nodes if p and isinstance(p[-1], str)]
    where = pick(ch, keyed)
    parent = _get(doc.data, where[:-1])
    new = near_miss(where[-1], ch).strip('"')
    if new in parent:
        raise NotApplicable("clash")
    items = [(new if k == where[-1] else k, v) for k, v in parent.items()]
    parent.clear()
    parent.update(items)
    _save_doc(doc)
    return f"{tree.rel(doc.path)}: rename key {_show(where)} -> {new!r}"


def data_list_edit(tree: Tree, ch: Chooser) -> str:
    """Duplicate, delete, empty, reverse or multiply the items of a list."""
    doc = _load_doc(tree, ch)
    lists = [p for p in doc.nodes if isinstance(_get(doc.data, p), list)]
    where = pick(ch, lists)
    items: list[Any] = _get(doc.data, where)
    how = pick(ch, ("duplicate", "delete", "empty", "reverse", "only-first", "times-50",
                    "times-500", "append-null"))
    i = ch.integer(0, max(len(items) - 1, 0))
    if how == "duplicate" and items:
        items.insert(i, copy.deepcopy(items[i]))
    elif how == "delete" and items:
        del items[i]
    elif how == "empty":
        items.clear()
    elif how == "reverse":
        items.reverse()
    elif how == "only-first":
        del items[1:]
    elif how.startswith("times-") and items:
        items[:] = [copy.deepcopy(x) for x in items for _ in range(int(how[6:]) // len(items)
                                                                     or 1)]
    else:
        items.append(None)
    _save_doc(doc)
    return f"{tree.rel(doc.path)}: {_show(where)}: {how} (item {i})"


def data_graft(tree: Tree, ch: Chooser) -> str:
    """Copy a key's value from one mapping into another (e.g. answers into another question)."""
    doc = _load_doc(tree, ch)
    keyed = [p for p in doc.nodes if p and isinstance(p[-1], str)]
    source = pick(ch, keyed)
    maps = [p for p in doc.nodes if isinstance(_get(doc.data, p), dict)]
    target = pick(ch, maps)
    if target[:len(source)] == source:
        raise NotApplicable("graft into itself")
    value = copy.deepcopy(_get(doc.data, source))
    _get(doc.data, target)[source[-1]] = value
    _save_doc(doc)
    return f"{tree.rel(doc.path)}: copy {_show(source)} to {_show((*target, source[-1]))}"


def _ids_in_tree(tree: Tree) -> list[str]:
    ids: list[str] = []
    for path in tree.yaml_files():
        try:
            data = load_data(_read_text(path))
        except NotApplicable:
            continue
        for where in _nodes(data):
            if where and where[-1] == "id" and isinstance(_get(data, where), str):
                ids.append(_get(data, where))
    return ids


def data_retarget(tree: Tree, ch: Chooser) -> str:
    """Point a reference (or an id) at another id in the tree: collisions, cycles, self-jumps."""
    doc = _load_doc(tree, ch)
    refs = ("id", "outcome", "jump", "correct_jump", "wrong_jump", "related", "key_terms",
            "terms", "units", "prerequisites", "aliases")
    strings = [p for p in doc.nodes if isinstance(_get(doc.data, p), str)
               and any(part in refs for part in p[-2:] if isinstance(part, str))]
    where = pick(ch, strings)
    ids = _ids_in_tree(tree) + list(JUMP_WORDS) + ["u1", "..", "nope"]
    new = pick(ch, ids)
    old = _get(doc.data, where)
    doc.data = _set(doc.data, where, new)
    _save_doc(doc)
    return f"{tree.rel(doc.path)}: {_show(where)} = {new!r} (was {old!r})"


def data_change_type(tree: Tree, ch: Chooser) -> str:
    """Change a question's or page's `type`/`qtype` to another allowed value, keeping its keys."""
    doc = _load_doc(tree, ch)
    typed = [p for p in doc.nodes if p and p[-1] in ("type", "qtype")]
    where = pick(ch, typed)
    vocab = vocabulary()
    options = [v for v in vocab.get(str(where[-1]), ()) if isinstance(v, str)]
    new = pick(ch, options)
    old = _get(doc.data, where)
    doc.data = _set(doc.data, where, new)
    _save_doc(doc)
    return f"{tree.rel(doc.path)}: {_show(where)} = {new!r} (was {old!r})"


# --- file level ------------------------------------------------------------------------------


def _any_entry(tree: Tree, ch: Chooser, *, files_only: bool = False) -> Path:
    entries = tree.regular_files() if files_only else tree.entries()
    return pick(ch, entries)


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path)


def file_delete(tree: Tree, ch: Chooser) -> str:
    """Delete a file or a folder."""
    path = _any_entry(tree, ch, files_only=coin(ch, 3, 4))
    _remove(path)
    return f"delete {tree.rel(path)}"


RENAMES: tuple[tuple[str, str], ...] = (
    ("questions.yaml", "question.yaml"), ("lesson.yaml", "lessons.yaml"),
    ("unit.yaml", "Unit.yaml"), ("unit.yaml", "unit.yml"), ("questions.yaml", "questions.YAML"),
    ("course.yaml", "course.yml"), ("glossary.yaml", "Glossary.yaml"),
    ("glossary.yaml", "glossary.yml"), ("units", "unit"), ("course.yaml", "Course.yaml"),
)


def file_rename(tree: Tree, ch: Chooser) -> str:
    """Rename a file to a near-miss name, or a unit folder to an odd name (maybe listed)."""
    if coin(ch, 1, 2):
        old_name, new_name = pick(ch, RENAMES)
        matches = [p for p in tree.entries() if p.name == old_name]
        path = pick(ch, matches)
        path.rename(path.with_name(new_name))
        return f"rename {tree.rel(path)} -> {new_name}"
    folder = pick(ch, tree.unit_dirs())
    new = pick(ch, WEIRD_NAMES)
    if (folder.parent / new).exists():
        raise NotApplicable("exists")
    folder.rename(folder.parent / new)
    listed = coin(ch, 1, 2) and _list_unit(tree, new, replace=folder.name)
    return f"rename unit folder {folder.name!r} -> {new!r}" + \
        (" and in course.yaml units" if listed else "")


def _list_unit(tree: Tree, name: str, replace: str | None = None) -> bool:
    course = tree.root / "course.yaml"
    try:
        data = load_data(_read_text(course))
    except (NotApplicable, OSError):
        return False
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        return False
    units: list[Any] = data["units"]
    if replace is not None and replace in units:
        units[units.index(replace)] = name
    else:
        units.append(name)
    try:
        _save_data(tree, course, data)
    except NotApplicable:
        return False
    return True


def file_special(tree: Tree, ch: Chooser) -> str:
    """Replace a file or folder with a directory, a FIFO, or a symlink (dangling, looping, out)."""
    path = _any_entry(tree, ch, files_only=coin(ch, 4, 5))
    how = pick(ch, ("directory", "fifo", "dangling", "loop", "loop-pair", "outside", "sibling",
                    "dir-with-file"))
    rel = tree.rel(path)
    _remove(path)
    if how == "directory":
        path.mkdir()
    elif how == "dir-with-file":
        path.mkdir()
        (path / "unit.yaml").write_text("id: x\n")
    elif how == "fifo":
        os.mkfifo(path)
    elif how == "dangling":
        os.symlink("nonexistent-target", path)
    elif how == "loop":
        os.symlink(path.name, path)
    elif how == "loop-pair":
        other = path.with_name(path.name + ".other")
        if other.is_symlink() or other.exists():
            _remove(other)
        os.symlink(other.name, path)
        os.symlink(path.name, other)
    elif how == "outside":
        outside = pick(ch, LINK_TARGETS)
        os.symlink(outside, path)
        how = f"symlink to {outside}"
    else:
        siblings = [p for p in tree.regular_files(".yaml") if p != path]
        sibling = pick(ch, siblings)
        os.symlink(os.path.relpath(sibling, path.parent), path)
        how = f"symlink to {tree.rel(sibling)}"
    return f"replace {rel} with {how}"


def file_contents(tree: Tree, ch: Chooser) -> str:
    """Replace a file's contents with something trivial: empty, a comment, a bare scalar, ..."""
    path = _yaml_target(tree, ch)
    content = pick(ch, TRIVIAL_CONTENTS)
    path.write_bytes(content)
    return f"replace contents of {tree.rel(path)} with {content!r}"


def file_swap(tree: Tree, ch: Chooser) -> str:
    """Swap the contents of two YAML files (e.g. questions.yaml and lesson.yaml)."""
    files = tree.yaml_files()
    a = pick(ch, files)
    b = pick(ch, files)
    if a == b:
        raise NotApplicable("same file")
    data_a, data_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(data_b)
    b.write_bytes(data_a)
    return f"swap contents of {tree.rel(a)} and {tree.rel(b)}"


def file_huge(tree: Tree, ch: Chooser) -> str:
    """Make a file big: megabytes of comments, one enormous line, or thousands of items."""
    path = _yaml_target(tree, ch)
    how = pick(ch, ("comments", "long-line", "many-keys", "many-items"))
    size = pick(ch, (1 << 20, 4 << 20))
    raw = path.read_bytes()
    if how == "comments":
        path.write_bytes(raw + b"# padding padding padding padding\n" * (size // 34))
    elif how == "long-line":
        path.write_bytes(raw + b"\n# " + b"x" * size + b"\n")
    elif how == "many-keys":
        path.write_bytes(raw + b"".join(b"k%d: v\n" % i for i in range(size // 64)))
    else:
        data = load_data(raw.decode("utf-8", "surrogateescape"))
        lists = [p for p in _nodes(data) if isinstance(_get(data, p), list) and _get(data, p)]
        where = pick(ch, lists)
        items = _get(data, where)
        count = pick(ch, (1000, 3000))
        items[:] = [_renumber(copy.deepcopy(items[k % len(items)]), k) for k in range(count)]
        _save_data(tree, path, data)
        return f"{tree.rel(path)}: {_show(where)} grown to {count} items with fresh ids"
    return f"{tree.rel(path)}: append {how} (~{size >> 20} MB)"


def _renumber(item: Any, k: int) -> Any:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        item["id"] = f"{item['id']}-n{k}"
    return item


def file_add_unit(tree: Tree, ch: Chooser) -> str:
    """Add a unit folder: a copy of another, an empty one, or one with only a questions.yaml."""
    units = tree.root / "units"
    if units.is_symlink() or not units.is_dir():
        raise NotApplicable("no units folder")
    name = pick(ch, ("u9", "copy", "u1", "zz-extra", "x\ny", "a:b"))
    target = units / name
    if target.exists() or target.is_symlink():
        raise NotApplicable("exists")
    how = pick(ch, ("copy", "empty", "questions-only", "symlink-to-unit"))
    folders = tree.unit_dirs()
    if how == "copy" and folders:
        shutil.copytree(pick(ch, folders), target, symlinks=True)
    elif how == "questions-only" and folders:
        target.mkdir()
        source = pick(ch, folders) / "questions.yaml"
        if source.is_file() and not source.is_symlink():
            shutil.copyfile(source, target / "questions.yaml")
    elif how == "symlink-to-unit" and folders:
        os.symlink(pick(ch, folders).name, target)
    else:
        target.mkdir()
    listed = coin(ch, 1, 2) and _list_unit(tree, name)
    return f"add unit folder {name!r} ({how})" + (", listed in course.yaml" if listed else "")


# ---------------------------------------------------------------------------------------------
# The registry and the driver
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """A named mutation, its family and its weight in a random pick."""

    name: str
    family: str
    weight: int
    run: Mutation


OPS: tuple[Op, ...] = (
    Op("byte-flip", "byte", 2, byte_flip),
    Op("byte-insert", "byte", 4, byte_insert),
    Op("byte-delete", "byte", 2, byte_delete),
    Op("byte-truncate", "byte", 1, byte_truncate),
    Op("byte-encoding", "byte", 2, byte_encoding),
    Op("byte-control", "byte", 3, byte_control),
    Op("line-edit", "line", 10, line_edit),
    Op("yaml-replace-scalar", "yaml", 8, yaml_replace_scalar),
    Op("yaml-tag", "yaml", 3, yaml_tag),
    Op("yaml-anchor-alias", "yaml", 3, yaml_anchor_alias),
    Op("yaml-merge-key", "yaml", 3, yaml_merge_key),
    Op("yaml-insert-key", "yaml", 2, yaml_insert_key),
    Op("yaml-key-near-miss", "yaml", 3, yaml_key_near_miss),
    Op("yaml-deep-nesting", "yaml", 2, yaml_deep_nesting),
    Op("yaml-alias-fanout", "yaml", 1, yaml_alias_fanout),
    Op("yaml-long-string", "yaml", 2, yaml_long_string),
    Op("yaml-id-whitespace", "yaml", 3, yaml_id_whitespace),
    Op("yaml-documents", "yaml", 1, yaml_documents),
    Op("data-replace", "data", 10, data_replace),
    Op("data-inject", "data", 10, data_inject),
    Op("data-schema-value", "data", 10, data_schema_value),
    Op("data-delete-key", "data", 4, data_delete_key),
    Op("data-rename-key", "data", 2, data_rename_key),
    Op("data-list-edit", "data", 5, data_list_edit),
    Op("data-graft", "data", 3, data_graft),
    Op("data-retarget", "data", 4, data_retarget),
    Op("data-change-type", "data", 3, data_change_type),
    Op("file-delete", "file", 2, file_delete),
    Op("file-rename", "file", 2, file_rename),
    Op("file-special", "file", 4, file_special),
    Op("file-contents", "file", 2, file_contents),
    Op("file-swap", "file", 1, file_swap),
    Op("file-huge", "file", 1, file_huge),
    Op("file-add-unit", "file", 2, file_add_unit),
)
FAMILIES: tuple[str, ...] = ("byte", "line", "yaml", "data", "file")


def mutate_once(tree: Tree, ch: Chooser, families: Sequence[str] = FAMILIES,
                attempts: int = 8) -> str:
    """Apply one mutation from `families` (family or op names); retry when one does not apply."""
    ops = [(op.weight, op) for op in OPS if op.family in families or op.name in families]
    for _ in range(attempts):
        op = weighted(ch, ops)
        try:
            return f"[{op.name}] {op.run(tree, ch)}"
        except NotApplicable:
            continue
    return "[none] no mutation applied"


def mutate_tree(root: Path, ch: Chooser, count: int,
                families: Sequence[str] = FAMILIES) -> list[str]:
    """Apply `count` mutations to the source folder at `root`; their descriptions, in order."""
    tree = Tree(root)
    return [mutate_once(tree, ch, families) for _ in range(count)]


# ---------------------------------------------------------------------------------------------
# Snapshots: a tree as data, for shrinking a failing case to the fewest changes that still fail.
# ---------------------------------------------------------------------------------------------

Entry = tuple[str, bytes]  # ("file", data) | ("dir", b"") | ("link", target) | ("fifo", b"")


def snapshot(root: Path) -> dict[str, Entry]:
    """Every path under `root` (relative, posix) with what it is."""
    out: dict[str, Entry] = {}
    for path in Tree(root).entries():
        rel = path.relative_to(root).as_posix()
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            out[rel] = ("link", os.fsencode(os.readlink(path)))
        elif stat.S_ISDIR(mode):
            out[rel] = ("dir", b"")
        elif stat.S_ISFIFO(mode):
            out[rel] = ("fifo", b"")
        elif stat.S_ISREG(mode):
            out[rel] = ("file", path.read_bytes())
    return out


def materialize(entries: dict[str, Entry], root: Path) -> None:
    """Create the tree `entries` at `root` (which must not exist yet)."""
    root.mkdir(parents=True)
    kinds = {rel: kind for rel, (kind, _) in entries.items()}
    for rel in sorted(entries, key=lambda r: (r.count("/"), r)):
        parts = rel.split("/")
        if any(kinds.get("/".join(parts[:k]), "dir") != "dir" for k in range(1, len(parts))):
            continue  # a parent became something else
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        kind, data = entries[rel]
        if kind == "dir":
            path.mkdir(exist_ok=True)
        elif kind == "file":
            path.write_bytes(data)
        elif kind == "fifo":
            os.mkfifo(path)
        else:
            os.symlink(os.fsdecode(data), path)


@dataclass(frozen=True)
class Change:
    """One difference between two snapshots: a line deleted or inserted, or a whole entry."""

    path: str
    op: str  # "del-line", "ins-line", "rep-line" (a line replaced in place), "entry"
    at: int = 0
    order: int = 0
    line: bytes = b""
    entry: Entry | None = None


def changes(before: dict[str, Entry], after: dict[str, Entry],
            max_lines: int = 400) -> list[Change]:
    """The changes that turn `before` into `after`, as fine-grained as practical."""
    out: list[Change] = []
    for rel in sorted(set(before) | set(after)):
        a, b = before.get(rel), after.get(rel)
        if a == b:
            continue
        if a and b and a[0] == b[0] == "file":
            lines_a, lines_b = a[1].splitlines(keepends=True), b[1].splitlines(keepends=True)
            ops = difflib.SequenceMatcher(None, lines_a, lines_b, autojunk=False).get_opcodes()
            fine: list[Change] = []
            for tag, i1, i2, j1, j2 in ops:
                if tag == "replace" and i2 - i1 == j2 - j1:
                    fine += [Change(rel, "rep-line", i1 + k, 0, lines_b[j1 + k])
                             for k in range(i2 - i1)]
                    continue
                if tag in ("delete", "replace"):
                    fine += [Change(rel, "del-line", i) for i in range(i1, i2)]
                if tag in ("insert", "replace"):
                    fine += [Change(rel, "ins-line", i1, j - j1, lines_b[j])
                             for j in range(j1, j2)]
            out += fine if len(fine) <= max_lines else [Change(rel, "entry", entry=b)]
            continue
        out.append(Change(rel, "entry", entry=b))
    return _fold_subtrees(out, before)


def _fold_subtrees(found: list[Change], before: dict[str, Entry]) -> list[Change]:
    """A folder removed or replaced takes its deleted contents with it: one change, not many."""
    gone = {c.path for c in found if c.op == "entry" and before.get(c.path, ("", b""))[0] == "dir"}
    return [c for c in found if not (c.op == "entry" and c.entry is None
                                     and any(c.path.startswith(g + "/") for g in gone))]


def apply_changes(before: dict[str, Entry], selected: Sequence[Change]) -> dict[str, Entry]:
    """`before` with only the `selected` changes made."""
    entries = dict(before)
    for change in selected:
        if change.op != "entry":
            continue
        if change.entry is None or change.entry[0] != "dir":
            for rel in [r for r in entries if r.startswith(change.path + "/")]:
                del entries[rel]
        if change.entry is None:
            entries.pop(change.path, None)
        else:
            entries[change.path] = change.entry
    by_file: dict[str, list[Change]] = {}
    for change in selected:
        if change.op != "entry":
            by_file.setdefault(change.path, []).append(change)
    for rel, edits in by_file.items():
        kind, data = before[rel]
        lines = data.splitlines(keepends=True)
        dropped = {c.at for c in edits if c.op in ("del-line", "rep-line")}
        inserts: dict[int, list[Change]] = {}
        for c in edits:
            if c.op in ("ins-line", "rep-line"):
                inserts.setdefault(c.at, []).append(c)
        new: list[bytes] = []
        for i in range(len(lines) + 1):
            new += [c.line for c in sorted(inserts.get(i, []), key=lambda c: c.order)]
            if i < len(lines) and i not in dropped:
                new.append(lines[i])
        entries[rel] = (kind, b"".join(new))
    return entries


def describe_changes(before: dict[str, Entry], selected: Sequence[Change],
                     width: int = 160, max_lines: int = 40) -> str:
    """A short, readable rendering of `selected`: unified diffs and entry actions."""
    after = apply_changes(before, selected)
    out: list[str] = []
    for rel in sorted({c.path for c in selected}):
        a, b = before.get(rel), after.get(rel)
        if a and b and a[0] == b[0] == "file":
            old = a[1].decode("utf-8", "backslashreplace").splitlines()
            new = b[1].decode("utf-8", "backslashreplace").splitlines()
            diff = list(difflib.unified_diff(old, new, f"a/{rel}", f"b/{rel}", n=1, lineterm=""))
            if len(diff) > max_lines:
                diff = [*diff[:max_lines], f"... ({len(diff) - max_lines} more diff lines)"]
            out += [_shorten(line, width) for line in diff]
        elif b is None:
            out.append(f"delete {rel}")
        elif b[0] == "file":
            out.append(f"{rel}: {'replace' if a else 'create'} file with "
                       f"{_shorten(repr(b[1][:200]), width)} ({len(b[1])} bytes)")
        elif b[0] == "link":
            out.append(f"{rel}: symlink -> {os.fsdecode(b[1])}")
        else:
            out.append(f"{rel}: {'replace with' if a else 'create'} {b[0]}")
    return "\n".join(out)


def _shorten(line: str, width: int) -> str:
    line = line.encode("unicode_escape", "backslashreplace").decode("ascii") \
        if any(ord(c) < 32 and c != "\t" for c in line) else line
    return line if len(line) <= width else f"{line[:width]}...(+{len(line) - width} chars)"


# ---------------------------------------------------------------------------------------------
# Systematic sweep: every palette entry at every place, one at a time (no randomness at all).
# ---------------------------------------------------------------------------------------------

SWEEP_VALUES: tuple[Any, ...] = TRICKY_STRINGS + NUMBERS + CONTAINERS + OTHER_SCALARS
SWEEP_PIECES: tuple[str, ...] = tuple(s for s in TRICKY_STRINGS if len(s) < 100)
KEY_VARIANTS: tuple[str, ...] = ("~", "null", "true", "1", "[a]", "{a: b}", "*undefined", "''",
                                 "<<", "? x")
FILE_ACTIONS: tuple[tuple[str, Any], ...] = (
    ("delete", None), ("directory", None), ("fifo", None), ("dangling", None), ("loop", None),
    *(("link", target) for target in LINK_TARGETS),
    *(("contents", content) for content in TRIVIAL_CONTENTS),
)


NUMERIC_EXTREMES: tuple[Any, ...] = (
    10**400, -(10**400), 2**63, -(2**63), 1e308, -1e308, 1e-300, float("nan"), float("inf"),
    float("-inf"), -0.0, 0, 0.1, 1.5,
)
STRING_NASTIES: tuple[str, ...] = (
    "]]>", "<!-- a -- b -->", "{{g1}}", "[[1]]", "&#x0;", "\\", "$@NULL@$", "x" * 70000,
    "a\u2028b", "<script>x</script>", "{1:SHORTANSWER:=x}", "~=#{}:", "<p", "&bogus;",
)


def _add_values(key: str) -> tuple[Any, ...]:
    """What the sweep puts under `key` when it adds it to a mapping."""
    candidates = vocabulary().get(key, ())
    out: tuple[Any, ...] = ()
    if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in candidates):
        out += NUMERIC_EXTREMES
    if any(isinstance(v, str) for v in candidates):
        out += STRING_NASTIES
    return out


def _sweep_replacements(text: str, site: Site) -> list[str]:
    original = text[site.start:site.end]
    tagged = [f"{tag} {original}" for tag in TAGS]
    if site.is_key:
        return tagged + list(KEY_VARIANTS)
    out = list(FLOW_SNIPPETS) + tagged
    if not site.in_flow and "\n" not in original:
        indent = " " * (_indent_of(text, site.start) + 2)
        out += [b.replace("{i}", indent).rstrip("\n") for b in BLOCK_SNIPPETS]
    return out


def _scalar_sites(text: str) -> list[Site]:
    return [s for s in sites(text) if s.scalar]


def sweep_cases(root: Path) -> list[tuple[str, str, int, int]]:
    """Every single mutation of the sweep for the tree at `root`: (kind, file, where, what)."""
    tree = Tree(root)
    out: list[tuple[str, str, int, int]] = []
    for path in tree.yaml_files():
        rel = tree.rel(path)
        text = _read_text(path)
        for i, site in enumerate(_scalar_sites(text)):
            out += [("text", rel, i, k) for k in range(len(_sweep_replacements(text, site)))]
        data = load_data(text)
        keys = list(vocabulary())
        for i, where in enumerate(_nodes(data)):
            out += [("data", rel, i, k) for k in range(len(SWEEP_VALUES))]
            node = _get(data, where)
            if isinstance(node, str):
                out += [("inject", rel, i, k) for k in range(len(SWEEP_PIECES))]
            if isinstance(node, dict):
                out += [("add", rel, i, k * 100 + v) for k, key in enumerate(keys)
                        for v in range(len(_add_values(key)))]
    for i, _ in enumerate(tree.entries()):
        out += [("file", "", i, k) for k in range(len(FILE_ACTIONS))]
    return out


def apply_sweep(root: Path, kind: str, rel: str, where: int, what: int) -> tuple[str, Tree]:
    """Apply one sweep mutation; its description (in the random mutations' style) and tree."""
    tree = Tree(root)
    if kind == "file":
        path = tree.entries()[where]
        action, arg = FILE_ACTIONS[what]
        _remove(path)
        if action == "directory":
            path.mkdir()
        elif action == "fifo":
            os.mkfifo(path)
        elif action == "dangling":
            os.symlink("nonexistent-target", path)
        elif action == "loop":
            os.symlink(path.name, path)
        elif action == "link":
            os.symlink(arg, path)
        elif action == "contents":
            path.write_bytes(arg)
        shown = "" if arg is None else f" {arg!r}"
        return f"[file-sweep] {action}{shown} at {tree.rel(path)}", tree
    path = root / rel
    text = _read_text(path)
    if kind == "text":
        site = _scalar_sites(text)[where]
        new = _sweep_replacements(text, site)[what]
        _write_text(path, _splice(text, site.start, site.end, new))
        return (f"[text-sweep] {rel}:{site.line}: {'key' if site.is_key else 'value'} "
                f"{_clip(text[site.start:site.end], 30)} -> {new!r}"), tree
    data = load_data(text)
    at = _nodes(data)[where]
    if kind == "add":
        key = list(vocabulary())[what // 100]
        value = copy.deepcopy(_add_values(key)[what % 100])
        _get(data, at)[key] = value
        _save_data(tree, path, data)
        return f"[data-add-sweep] {rel}: {_show((*at, key))} = {_clip(value)}", tree
    if kind == "data":
        new_value = copy.deepcopy(SWEEP_VALUES[what])
        old = _get(data, at)
        data = _set(data, at, new_value)
        _save_data(tree, path, data)
        return f"[data-sweep] {rel}: {_show(at)} = {_clip(new_value)} (was {_clip(old, 30)})", tree
    old_text: str = _get(data, at)
    piece = SWEEP_PIECES[what]
    middle = len(old_text) // 2
    data = _set(data, at, old_text[:middle] + piece + old_text[middle:])
    _save_data(tree, path, data)
    return f"[data-inject-sweep] {rel}: {_show(at)}: insert {piece!r} into {_clip(old_text, 30)}", \
        tree
