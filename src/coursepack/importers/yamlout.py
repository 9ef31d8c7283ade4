"""Source YAML as people write it: the schema line, block mappings, long texts as folded or
literal block scalars; each file checked to read back as exactly the data it was made from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..yamlload import loads

WIDTH = 100


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the order given, texts as block scalars where they read better."""

    folded = True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key


def _text(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = None
    if "\n" in value and value == value.strip() and " \n" not in value and "\t" not in value:
        style = "|"
    elif dumper.folded and len(value) > 72 and value == value.strip() and "  " not in value:
        style = ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _dump(data: Any, folded: bool) -> str:
    _Dumper.folded = folded
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=WIDTH,
                     default_flow_style=False, indent=2)


def document(data: dict[str, Any], schema: str) -> str:
    """A whole source file holding `data`, led by the line that names its schema."""
    return f"# yaml-language-server: $schema={schema}\n" + _checked(data)


def list_items(key: str, items: list[Any]) -> str:
    """The items of the top-level list `key` as lines to append to a file that holds it."""
    text = _checked({key: items})
    return text.split("\n", 1)[1]


def _checked(data: Any) -> str:
    """YAML that reads back as `data` (folded texts where they do; else without folding)."""
    for folded in (True, False):
        text = _dump(data, folded)
        if loads(text.encode("utf-8"), Path("import.yaml"), "import.yaml").data == data:
            return text
    raise ValueError("the imported data does not write as YAML that reads back the same")
