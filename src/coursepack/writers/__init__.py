"""The output formats: each writer maps the model to `{path in build/: bytes}`; one registry."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Catalogue

Writer = Callable[[Catalogue], dict[str, bytes]]

WRITERS: dict[str, Writer] = {}
