"""Text areas that carry their own files, as Moodle's do: `@@PLUGINFILE@@/name` in the text,
the file beside it (in a Moodle XML `<file>` element, or a backup's file area)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..media.links import names, plugin_url, point, unlink
from ..model import Catalogue, MediaFile, Unit

Named = list[tuple[str, MediaFile]]  # each file a text area carries, with its name there


@dataclass(frozen=True)
class Areas:
    """The media a unit's texts (or the course's) may name, read from the folder `base`."""

    base: str = ""
    files: Mapping[str, MediaFile] = field(default_factory=dict)

    @classmethod
    def of(cls, unit: Unit) -> Areas:
        """A unit's: its texts are written in `units/<id>/`."""
        return cls(f"units/{unit.id}", {f.path: f for f in unit.media})

    @classmethod
    def course(cls, catalogue: Catalogue) -> Areas:
        """The course's and glossary's: written in the source folder."""
        return cls("", {f.path: f for f in catalogue.media})

    def embed(self, rendered: str) -> tuple[str, Named]:
        """Rendered HTML naming the files of its own area (`@@PLUGINFILE@@/name`), and those
        files with their names (one name each; two files of one name are told apart)."""
        if not self.files:
            return rendered, []
        _, used = point(rendered, self.base, self.files, lambda f: "")
        if not used:
            return rendered, []
        named = names(used)
        out, _ = point(rendered, self.base, self.files, lambda f: plugin_url(named[f.path]))
        once = {named[f.path]: f for f in reversed(used)}  # one file per name: the first's
        return out, [(name, once[name]) for name in dict.fromkeys(named[f.path] for f in used)]

    def strip(self, rendered: str) -> str:
        """Rendered HTML without the files of this area: each image as its alt text, each link
        to a file as its words (for a text Moodle keeps without a file area)."""
        if not self.files:
            return rendered
        return unlink(rendered, self.base, self.files)


NONE = Areas()
