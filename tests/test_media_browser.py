"""The revision module's media in headless Chromium: every image loads and has alt text, served
as an LMS serves the package and opened from disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coursepack.source import read_source
from coursepack.writers.module.site import learning_object
from support.sco_browser import missing_tools, serve

REASON = missing_tools()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")
MEDIA = Path(__file__).parent / "data" / "media" / "source"
IMAGES = """() => [...document.querySelectorAll('img')].map(i => ({src: i.getAttribute('src'),
    alt: i.getAttribute('alt'), loaded: i.complete && i.naturalWidth > 0}))"""


def module() -> dict[str, bytes]:
    catalogue = read_source(MEDIA).catalogue
    assert catalogue is not None
    return learning_object(catalogue, catalogue.units[0], "none")


def _images(page: Any) -> list[dict[str, Any]]:
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    found: list[dict[str, Any]] = page.evaluate(IMAGES)
    return found


def _check(found: list[dict[str, Any]]) -> None:
    assert sorted(i["src"] for i in found) == [  # the synopsis and the overview show the steps
        "media/media/handshake.png", "media/units/u1/images/steps.svg",
        "media/units/u1/images/steps.svg", "media/units/u1/images/wet%20floor.png"]
    assert all(i["loaded"] for i in found), found
    assert all(i["alt"] for i in found), found  # none of these is decorative


def test_every_image_of_the_module_loads_with_alt_text(browser: Any) -> None:
    with serve({"none": module()}) as url:
        page = browser.new_page()
        page.goto(f"{url}/none/index.html")
        _check(_images(page))
        page.close()


def test_the_module_shows_its_images_opened_from_disk(browser: Any, tmp_path: Path) -> None:
    for name, data in module().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    page = browser.new_page()
    page.goto((tmp_path / "index.html").as_uri())
    _check(_images(page))
    page.close()
