"""JSON Schema validation of source documents, with messages written for content authors."""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

from .diagnostics import Diagnostic, quote
from .yamlload import Document

KINDS = ("course", "glossary", "unit", "questions", "lesson")
_TYPE_NAMES = {"string": "text", "integer": "a whole number", "number": "a number",
               "boolean": "true or false", "array": "a list", "object": "a mapping (key: value)",
               "null": "nothing"}


@cache
def load_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema for one kind of source file, read from the installed package."""
    text = resources.files("coursepack").joinpath("schemas", f"{kind}.schema.json").read_text(
        encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    """A JSON Schema (ECMA-262) pattern for Python: `$` ends the text, not a final newline."""
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Any:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _validator(kind: str) -> Any:
    """jsonschema, for the messages of an invalid document (imported only then), over the
    schema with its local $refs inlined (they are acyclic): much faster."""
    from jsonschema import Draft202012Validator, validators

    schema = load_schema(kind)
    extended = validators.extend(Draft202012Validator, {"pattern": _pattern})
    return extended(_inline(schema, schema))


def _inline(node: Any, root: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inline(item, root) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _inline(v, root) for k, v in node.items() if k not in ("$ref", "$defs")}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        inlined = _inline(target, root)
        if not out:
            return inlined
        out.setdefault("allOf", []).insert(0, inlined)
    return out


Problem = tuple[tuple[Any, ...], Diagnostic]


@cache
def _fast(kind: str) -> Any:
    """jsonschema-rs over the same schema: decides in microseconds whether there is any error."""
    schema = load_schema(kind)
    return jsonschema_rs.Draft202012Validator(_inline(schema, schema))


def validate(doc: Document, kind: str) -> list[Problem]:
    """Check a document against its schema: each problem's data path and its diagnostic.

    Valid documents (the usual case) are passed by jsonschema-rs alone; the messages of an
    invalid one come from jsonschema, which reports every error with its path.
    """
    if _fast(kind).is_valid(doc.data):
        return []
    seen: set[Diagnostic] = set()
    found: list[Problem] = []
    for err in _leaves(_validator(kind).iter_errors(doc.data)):
        for path, diag in _translate(doc, kind, err):
            if diag not in seen:
                seen.add(diag)
                found.append((path, diag))
    return found


def _leaves(errors: Any) -> list[ValidationError]:
    """Replace anyOf/oneOf wrappers with their most relevant inner errors."""
    result: list[ValidationError] = []
    for err in errors:
        if err.validator in ("anyOf", "oneOf") and err.context:
            # the deepest; then not a type mismatch (the other branch's); then a misspelt key
            # before the key it was meant to be
            best = min(err.context, key=lambda e: (len(e.path) * -1, e.validator == "type",
                                                    e.validator == "required"))
            result.extend(_leaves([best]))
        else:
            result.append(err)
    return result


def _translate(doc: Document, kind: str, err: ValidationError) -> list[Problem]:
    path = tuple(err.absolute_path)
    where = _context(doc.data, path)
    if err.validator in ("additionalProperties", "unevaluatedProperties"):
        root = load_schema(kind)
        allowed = sorted(_allowed_keys(err.schema, root))
        return [((*path, key), _unknown_key(doc, path, key, allowed, where))
                for key in _extra_keys(err, root)]
    message, code = _message(err)
    if err.validator == "required" and code == "missing-key":
        return [((*path, message.split("'")[1]), doc.diag(path, where + message, code))]
    return [(path, doc.diag(path, where + message, code))]


def _extra_keys(err: ValidationError, root: dict[str, Any]) -> list[str]:
    allowed = _allowed_keys(err.schema, root)
    instance = err.instance if isinstance(err.instance, dict) else {}
    return [key for key in instance if key not in allowed]


def _allowed_keys(schema: Any, root: dict[str, Any]) -> set[str]:
    """Keys a subschema declares, following local $refs and allOf."""
    if not isinstance(schema, dict):
        return set()
    keys = set(schema.get("properties", {}))
    if isinstance(schema.get("$ref"), str):
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        keys |= _allowed_keys(target, root)
    for sub in schema.get("allOf", []):
        keys |= _allowed_keys(sub, root)
    return keys


def _unknown_key(doc: Document, path: tuple[Any, ...], key: str, allowed: list[str],
                 where: str) -> Diagnostic:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f" (allowed: {', '.join(allowed)})"
    return doc.diag((*path, key), f"{where}unknown key {quote(key)}{hint}", "unknown-key", key=True)


def _context(data: Any, path: tuple[Any, ...]) -> str:
    """Name the innermost typed item (question, lesson page, cloze gap) that holds `path`."""
    node, best, parent = data, "", None
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("type"), str) and "id" in node:
            best = f"{_noun(node, parent)} {quote(node['id'])}: "
        parent = part
    return best


def _noun(node: dict[str, Any], parent: Any) -> str:
    if "qtype" in node or node["type"] == "question":
        return f"{node.get('qtype', '')} question page".strip()
    if node["type"] == "content":
        return "content page"
    return f"{node['type']} gap" if parent == "gaps" else f"{node['type']} question"


def _message(err: ValidationError) -> tuple[str, str]:
    v, schema, inst = err.validator, err.schema, err.instance
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        return f"missing required key '{missing}'", "missing-key"
    if v == "type":
        want = schema.get("type")
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in ([want] if isinstance(want, str)
                                                             else want))
        return f"expected {wanted}, got {_describe(inst)}", "wrong-type"
    if v in ("enum", "const"):
        options = schema.get("enum", [schema.get("const")])
        close = difflib.get_close_matches(str(inst), [str(o) for o in options], n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return (f"{_describe(inst)} is not allowed here; use one of: "
                f"{', '.join(str(o) for o in options)}{hint}"), "bad-value"
    if v in ("minLength", "pattern") and isinstance(inst, str):
        return _string_message(schema, inst)
    if v == "maxLength" and isinstance(inst, str):
        column = schema.get("x-moodle")
        where = f"Moodle's {column} holds" if column else "it may have"
        return (f"{quote(inst, 40)}: {len(inst):,} characters, but {where} at most "
                f"{schema['maxLength']}"), "too-long"
    if v == "minItems":
        need = schema["minItems"]
        return f"needs at least {need} item{'s' * (need != 1)}, has {len(inst)}", "too-few"
    if v == "maxItems":
        most = schema["maxItems"]
        return f"allows at most {most} item{'s' * (most != 1)}, has {len(inst)}", "too-many"
    if v == "uniqueItems":
        return "list items must be unique", "duplicate-item"
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return f"{inst} is out of range ({_range(schema)})", "out-of-range"
    return err.message, "schema"


def _string_message(schema: dict[str, Any], inst: str) -> tuple[str, str]:
    if not inst.strip():
        return "must not be empty", "empty-text"
    pattern = schema.get("pattern", "")
    if pattern.startswith("^[a-z0-9]"):
        return (f"{quote(inst)} is not a valid id: use lower-case letters, digits, '.', '_' and "
                "'-' (at most 64 characters, starting with a letter or digit)"), "bad-id"
    if "\n" in inst and "\\n" in pattern:
        return "must be one line of text (no line breaks)", "not-one-line"
    rule = schema.get("description", f"the pattern {pattern}").rstrip(".")
    return f"{quote(inst)} is not valid ({rule})", "bad-format"


def _range(schema: dict[str, Any]) -> str:
    parts = []
    if "minimum" in schema:
        parts.append(f">= {schema['minimum']}")
    if "exclusiveMinimum" in schema:
        parts.append(f"> {schema['exclusiveMinimum']}")
    if "maximum" in schema:
        parts.append(f"<= {schema['maximum']}")
    if "exclusiveMaximum" in schema:
        parts.append(f"< {schema['exclusiveMaximum']}")
    return "must be " + " and ".join(parts)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return quote(value, 40)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
