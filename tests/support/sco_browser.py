"""Browser-test support for the revision module: a local web server and a learner who answers."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from coursepack import model as m
from coursepack.writers.module.quiz import GAP, match_options, quiz_questions

ROOT = Path(__file__).resolve().parent.parent.parent
SUPPORT = ROOT / "tests" / "support"
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm-again.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".json": "application/json", ".png": "image/png",
         ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".pdf": "application/pdf"}


def missing_browser() -> str | None:
    """Why a headless Chromium cannot be driven here, or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        return f"Chromium is not installed at {CHROMIUM} (scripts/setup-test-tools.sh installs it)"
    return None


def missing_tools() -> str | None:
    """Why the revision-module browser tests cannot run here, or None when they can."""
    if reason := missing_browser():
        return reason
    if not SCORM_AGAIN.exists():
        return "npm scorm-again is not installed (scripts/setup-test-tools.sh runs npm ci)"
    return None


def _handler(files: dict[str, bytes]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = unquote(self.path.split("?", 1)[0].split("#", 1)[0])
            body = files.get(path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            kind = TYPES.get(Path(path).suffix, "application/octet-stream")
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serve(modules: dict[str, dict[str, bytes]]) -> Iterator[str]:
    """Serve the host LMS page, scorm-again and each module's files (under /<name>/) on
    127.0.0.1; yields the base URL."""
    files = {"/host.html": (SUPPORT / "sco_host.html").read_bytes(),
             "/sco_host.js": (SUPPORT / "sco_host.js").read_bytes(),
             "/node_modules/scorm-again/dist/scorm-again.js": SCORM_AGAIN.read_bytes()}
    for name, module in modules.items():
        files.update({f"/{name}/{path}": body for path, body in module.items()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(files))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _best(answers: tuple[Any, ...]) -> Any:
    return max(answers, key=lambda a: a.grade)


def answer(frame: Any, q: m.Question, n: int) -> None:
    """Answer question n (counting from 1) of the module in `frame` correctly, as a learner."""
    box = frame.locator(f'article.question[data-qi="{n - 1}"]')
    if isinstance(q, m.MultiChoice):
        best = max(a.grade for a in q.answers)
        for i, a in enumerate(q.answers):
            if (a.grade == best) if q.single else a.grade > 0:
                box.locator(f"#q{n}-{i}").check()
    elif isinstance(q, m.TrueFalse):
        box.locator(f"#q{n}-{'t' if q.correct else 'f'}").check()
    elif isinstance(q, m.ShortAnswer):
        text = _best(q.answers).text.replace("\\*", "\x00").replace("*", "x")
        box.locator(f"#q{n}-in").fill(text.replace("\x00", "*"))
    elif isinstance(q, m.Numerical):
        box.locator(f"#q{n}-in").fill(f"{_best(q.answers).value:g}")
    elif isinstance(q, m.Matching):
        options = match_options(q)
        for i, pair in enumerate(q.pairs):
            box.locator(f"#q{n}-{i}").select_option(str(options.index(pair.answer)))
    elif isinstance(q, m.DragText):  # as with a keyboard: a word, then its gap
        for k, right in enumerate(GAP.findall(q.text)):
            box.locator(f'.drag[data-choice="{int(right) - 1}"]').click()
            box.locator(f"#q{n}-{k}").click()
    elif isinstance(q, m.GapSelect):
        for k, right in enumerate(GAP.findall(q.text)):
            box.locator(f"#q{n}-{k}").select_option(str(int(right) - 1))
    elif isinstance(q, m.Ordering):
        arrange(box, list(range(len(q.items))))


def arrange(box: Any, items: list[int]) -> None:
    """Put an ordering question's items (numbered by their correct position) in this order,
    top to bottom, with the Move up buttons."""
    for target, number in enumerate(items):
        item = box.locator(f'li[data-item="{number}"]')
        while item.evaluate("li => [...li.parentNode.children].indexOf(li)") > target:
            item.locator(".order-up").click()


def answer_all(frame: Any, unit: m.Unit, which: set[int] | None = None) -> None:
    """Answer the quiz questions numbered in `which` (all when None) correctly."""
    for n, q in enumerate(quiz_questions(unit), start=1):
        if which is None or n in which:
            answer(frame, q, n)


# A snapshot of every quiz control, to compare a resumed module with the one left.
FORM_STATE = """() => [...document.querySelectorAll('article.question[data-qi]')].map(q => ({
  checked: [...q.querySelectorAll('input:checked')].map(i => i.id),
  typed: [...q.querySelectorAll('input[type=text]')].map(i => i.value),
  selected: [...q.querySelectorAll('select')].map(s => s.value),
  order: [...q.querySelectorAll('.order-list li')].map(li => li.dataset.item),
  placed: [...q.querySelectorAll('.drop')].map(d => d.textContent),
  feedback: q.querySelector('.q-feedback').textContent,
}))"""

# Every form control and whether it has an accessible name (label, aria-label, or labelledby).
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
.filter(el => {
  const labelled = (el.labels && [...el.labels].some(l => l.textContent.trim())) ||
    (el.getAttribute('aria-label') || '').trim() ||
    (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some(id => {
      const t = id && document.getElementById(id); return t && t.textContent.trim(); }) ||
    (el.tagName === 'BUTTON' && el.textContent.trim());
  return !labelled;
}).map(el => el.outerHTML.slice(0, 120))"""
