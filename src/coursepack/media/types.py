"""The kinds of file a text may embed or link, told by their content, never by their name."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """A kind of media file: its name for people, MIME type, the extensions that name it (the
    first is the usual one), and whether `![alt](...)` may show it as an image."""

    name: str
    mime: str
    extensions: tuple[str, ...]
    image: bool = False
    article: str = "a"  # as the name is read out: "an MP4 video"

    @property
    def a(self) -> str:
        """The name with its article."""
        return f"{self.article} {self.name}"


PNG = Kind("PNG image", "image/png", ("png",), image=True)
JPEG = Kind("JPEG image", "image/jpeg", ("jpg", "jpeg"), image=True)
GIF = Kind("GIF image", "image/gif", ("gif",), image=True)
WEBP = Kind("WebP image", "image/webp", ("webp",), image=True)
SVG = Kind("SVG image", "image/svg+xml", ("svg",), image=True, article="an")
PDF = Kind("PDF document", "application/pdf", ("pdf",))
MP3 = Kind("MP3 audio file", "audio/mpeg", ("mp3",), article="an")
MP4 = Kind("MP4 video", "video/mp4", ("mp4", "m4v"), article="an")
KINDS = (PNG, JPEG, GIF, WEBP, SVG, PDF, MP3, MP4)
ALLOWED = ", ".join(k.name for k in KINDS)

HEAD = 64  # the bytes `sniff` needs, except for SVG, which is read whole
SVG_HEAD = 1 << 16  # where an SVG's root element must start (after declarations, comments)
_MP4_BRANDS = (b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
               b"M4VH", b"M4VP", b"dash", b"3gp4", b"3gp5", b"3gp6")
_SVG_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*"
                        rb"(?:<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*)?(?:<!--.*?-->\s*)*"
                        rb"<svg[\s>/]", re.S)


def sniff(data: bytes) -> Kind | None:
    """The kind of a file from its first bytes (SVG: from its start), or None if not allowed."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"ID3") or _mpeg_audio_frame(data):
        return MP3
    if data[4:8] == b"ftyp" and data[8:12] in _MP4_BRANDS:
        return MP4
    if _SVG_START.match(data[:SVG_HEAD]):
        return SVG
    return None


def _mpeg_audio_frame(data: bytes) -> bool:
    """True when the file starts with an MPEG-1/2 Layer III frame header (an MP3 without tags)."""
    if len(data) < 4 or data[0] != 0xFF or data[1] & 0xE0 != 0xE0:
        return False
    version, layer = (data[1] >> 3) & 3, (data[1] >> 1) & 3
    bitrate, rate = data[2] >> 4, (data[2] >> 2) & 3
    return version != 1 and layer == 1 and bitrate not in (0, 15) and rate != 3


def by_mime(mime: str) -> Kind | None:
    """The kind of this MIME type, or None."""
    return next((k for k in KINDS if k.mime == mime), None)


def by_extension(name: str) -> Kind | None:
    """The kind a file's extension names (what Moodle serves it as), or None."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return next((k for k in KINDS if ext in k.extensions), None)
