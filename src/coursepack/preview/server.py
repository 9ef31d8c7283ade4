"""The preview's web server: its addresses, the files it serves and the change events pages
reload on. Bound to the loopback address unless told otherwise; it only reads."""

from __future__ import annotations

import mimetypes
import re
import socket
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, unquote, urlsplit

from ..media.file import MediaChanged
from ..model import Catalogue, Unit
from ..writers.module.site import learning_object
from . import pages, players
from .live import Live, Snapshot

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'self'")
STATIC = ("preview.css", "preview.js", "lesson.js", "runtime.js", "cloze.js", "inquiz.css")
KEEPALIVE = 15.0  # seconds between the change stream's keep-alive comments
Page = Callable[[Snapshot, Unit, dict[str, list[str]]], str]


class PreviewServer(ThreadingHTTPServer):
    """The server: the live source, the files made from its current generation, the hosts a
    request may name (against DNS rebinding)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], live: Live, hosts: set[str] | None) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.live = live
        self.hosts = hosts
        self.stopping = threading.Event()
        self._made: dict[tuple[int, str, str, str], dict[str, bytes]] = {}
        # one page or package is made at a time: units are made on first use, and the writers'
        # per-unit caches are not shared safely between threads
        self.making = threading.RLock()

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that leaves mid-answer is no error; anything else is printed, once."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    def files(self, snap: Snapshot, unit: Unit, kind: str, runtime: str) -> dict[str, bytes]:
        """A package's files made from this generation: a quiz or the SCORM module."""
        key = (snap.generation, unit.id, kind, runtime)
        with self.making:
            if key not in self._made:
                self._made = {k: v for k, v in self._made.items() if k[0] == snap.generation}
                cat = snap.catalogue
                assert cat is not None
                self._made[key] = (learning_object(cat, unit, runtime) if kind == "sco" else
                                   players.quiz_files(snap, unit, kind == "written"))
            return self._made[key]


def _unit(cat: Catalogue, ident: str) -> Unit | None:
    return next((u for u in cat.units if u.id == ident), None)


_PAGES: dict[str, Page] = {
    "": lambda s, u, q: pages.book(s, u, _int(q.get("chapter", ["1"])[0])),
    "glossary": lambda s, u, q: pages.glossary(s, u),
    "lesson": lambda s, u, q: players.lesson(s, u),
    "quiz": lambda s, u, q: players.quiz(s, u, False),
    "written": lambda s, u, q: players.quiz(s, u, True),
    "scorm": lambda s, u, q: players.scorm(s, u, "scorm2004" if q.get("runtime") == [
        "scorm2004"] else "scorm12"),
}
_UNIT = re.compile(r"^/units/(?P<unit>[^/]+)/(?P<page>[a-z]*)$")
_FILE = re.compile(r"^/units/(?P<unit>[^/]+)/(?P<kind>quiz|written|sco/scorm12|sco/scorm2004)/"
                   r"(?P<file>.+)$")


def _int(text: str) -> int:
    return int(text) if re.fullmatch(r"[0-9]{1,6}", text) else 1


class Handler(BaseHTTPRequestHandler):
    """One request: a page, a file, or the change stream."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds an idle kept-alive connection is held

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows the source's checks, not each request."""

    def do_GET(self) -> None:
        """Answer a GET request."""
        if self.server.hosts is not None and self.headers.get("Host", "") not in self.server.hosts:
            self._send(HTTPStatus.MISDIRECTED_REQUEST, b"unknown host", "text/plain")
            return
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qs(parts.query)
        if path == "/events":
            self._events(query)
        elif path.startswith("/static/"):
            self._static(path.removeprefix("/static/"))
        else:
            try:
                with self.server.making:
                    self._content(path, query, self.server.live.snapshot)
            except MediaChanged:  # saved while being read: the next check reloads the page
                self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"a file is changing", "text/plain")

    def _content(self, path: str, query: dict[str, list[str]], snap: Snapshot) -> None:
        found = _FILE.match(path)
        if not snap.ok or snap.catalogue is None:
            if found or path.startswith("/media/"):
                self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"the source has errors", "text/plain")
            else:
                self._html(pages.problems(snap))
            return
        cat = snap.catalogue
        if found:
            self._file(snap, found)
        elif path.startswith("/media/"):
            self._media(cat, path.removeprefix("/media/"))
        elif path == "/":
            self._html(pages.index(snap))
        elif path == "/problems":
            self._html(pages.problems(snap))
        elif path == "/glossary":
            self._html(pages.glossary(snap, None))
        elif (page := _UNIT.match(path)) and (unit := _unit(cat, page["unit"])) and \
                page["page"] in _PAGES and pages.available(cat, unit, page["page"] or "book"):
            self._html(_PAGES[page["page"]](snap, unit, query))
        else:
            self._html(pages.frame(snap, "Not found", "<h1>Not found</h1><p><a href=\"/\">"
                                   "The course</a></p>"), HTTPStatus.NOT_FOUND)

    def _file(self, snap: Snapshot, found: re.Match[str]) -> None:
        assert snap.catalogue is not None
        unit = _unit(snap.catalogue, found["unit"])
        kind, _, runtime = found["kind"].partition("/")
        if unit is None or (kind != "sco" and not pages.available(snap.catalogue, unit, kind)):
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
            return
        files = self.server.files(snap, unit, kind, runtime or "none")
        body = files.get(found["file"])
        if body is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
        else:
            self._send(HTTPStatus.OK, body, _type(found["file"]))

    def _media(self, cat: Catalogue, name: str) -> None:
        folder = name.split("/")
        unit = _unit(cat, folder[1]) if len(folder) > 2 and folder[0] == "units" else None
        file = pages.media_of(cat, unit).get(name)
        if file is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
            return
        try:
            body = file.read()
        except (OSError, MediaChanged):
            self._send(HTTPStatus.NOT_FOUND, b"cannot be read", "text/plain")
            return
        self._send(HTTPStatus.OK, body, _type(name))

    def _static(self, name: str) -> None:
        if name not in STATIC:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
            return
        body = (resources.files(__package__ or "") / "static" / name).read_bytes()
        self._send(HTTPStatus.OK, body, _type(name))

    def _events(self, query: dict[str, list[str]]) -> None:
        """Server-sent events: the source's generation now, then after each change."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        since = query.get("since", [""])[0]
        token, _, number = since.partition(".")
        seen = _int(number) if token == self.server.live.token else -1
        try:
            while not self.server.stopping.is_set():
                snap = self.server.live.wait(seen, KEEPALIVE)
                if snap.generation != seen:
                    seen = snap.generation
                    self.wfile.write(f"data: {snap.stamp}\n\n".encode())
                else:
                    self.wfile.write(b": waiting\n\n")
                self.wfile.flush()
        except OSError:
            return

    def _html(self, page: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", CSP)
        self.end_headers()
        self.wfile.write(body)


def _type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith(
        "javascript") else kind
