"""Texts written as HTML: what they may not hold, their images and links, their words, and how
every writer carries them as written."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursepack import htmltext
from coursepack.markup import to_html, to_inline_html, to_plain, unsafe_links
from coursepack.media.links import point, unlink
from coursepack.media.refs import Ref, refs
from coursepack.model import Html, MediaFile

SAFE = ('<p>A <u>table</u>, <span style="color: #c00">colour</span> and '
        '<a href="https://example.org" title="t">a link</a>:</p>'
        '<table border="1"><tr><th colspan="2">Merged</th></tr>'
        '<tr><td><img src="images/a.png" alt="An A"></td><td><sup>2</sup></td></tr></table>'
        '<ol><li>One</li></ol><a href="mailto:x@example.org">mail</a> <a href="#top">top</a>')


@pytest.mark.parametrize(("text", "code", "word"), [
    ('<script>alert(1)</script>', "unsafe-html", "<script>"),
    ('<p onclick="x()">a</p>', "unsafe-html", "onclick="),
    ('<p ONMOUSEOVER="x()">a</p>', "unsafe-html", "onmouseover="),
    ('<iframe src="https://example.org"></iframe>', "unsafe-html", "<iframe>"),
    ('<object data="x.swf"></object>', "unsafe-html", "<object>"),
    ('<form action="https://example.org"><input></form>', "unsafe-html", "<form>"),
    ('<svg><script>x</script></svg>', "unsafe-html", "<svg>"),
    ('<a href="javascript:alert(1)">x</a>', "unsafe-link", "javascript:alert(1)"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "unsafe-link", "JaVaScRiPt"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "unsafe-link", "javascript"),
    ('<a href="java&#9;script:alert(1)">x</a>', "unsafe-link", "script:alert"),  # tab dropped
    ('<a href="java&#10;script:alert(1)">x</a>', "unsafe-link", "script:alert"),
    ('<a href="&#1;javascript:alert(1)">x</a>', "unsafe-link", "javascript"),
    ('<img src="data:image/png;base64,AA" alt="x">', "unsafe-link", "data:"),
    ('<p style="width: expression(alert(1))">x</p>', "unsafe-html", "style="),
    ('<iframe srcdoc="<p>x</p>"></iframe>', "unsafe-html", "srcdoc="),
])
def test_what_could_run_or_load_is_refused(text: str, code: str, word: str) -> None:
    found = htmltext.problems(text)
    assert any(c == code and word.lower() in m.lower() for m, c in found), found


def test_formatting_tables_links_and_images_are_allowed() -> None:
    assert htmltext.problems(SAFE) == []


def test_images_and_links_are_found_with_alt_text_and_addresses() -> None:
    text = Html('<img alt="A &amp; B" src="a%20b.png?x#y"><a href=\'f.pdf\'>f</a>'
                '<img src="d.svg" alt=""><img src="n.png">')
    assert refs(text) == (Ref(True, "a%20b.png?x#y", "A & B", ""), Ref(False, "f.pdf"),
                          Ref(True, "d.svg", "", "decorative"), Ref(True, "n.png", "", ""))
    assert refs(text)[0].path == "a b.png" and refs(text)[2].decorative
    assert not refs(text)[3].decorative  # no alt at all: not marked decorative


def test_a_texts_words_are_its_text_without_tags() -> None:
    assert to_plain(Html("<p>One &amp; <b>two</b></p><ul><li>three</li></ul>")) == \
        "One & two three"


def test_html_is_carried_as_written_and_never_taken_for_markdown() -> None:
    for first in ("markdown", "html"):  # rendered results are cached: neither order mixes them
        markdown, written = "**x** <u>", Html("**x** <u>")
        pairs = [(markdown, written), (written, markdown)][first == "html"]
        out = {id(t): (to_html(t), to_inline_html(t), refs(t), unsafe_links(t)) for t in pairs}
        assert out[id(written)][:2] == ("**x** <u>", "**x** <u>")
        assert out[id(markdown)][:2] == ("<p><strong>x</strong> &lt;u&gt;</p>",
                                         "<strong>x</strong> &lt;u&gt;")


def test_media_are_pointed_at_wherever_the_address_stands() -> None:
    file = MediaFile("u1/a b.png", "image/png", 3, "d" * 64, "/x")
    files = {"u1/a b.png": file}
    text = ('<img alt="A" src="a%20b.png"><img src=\'a b.png#f\' alt="B">'
            '<a class="c" href="a%20b.png">l</a><img data-src="a%20b.png" src="other.png">')
    pointed, used = point(text, "u1", files, lambda f: "@@PLUGINFILE@@/a%20b.png")
    assert pointed == ('<img alt="A" src="@@PLUGINFILE@@/a%20b.png">'
                       "<img src='@@PLUGINFILE@@/a%20b.png#f' alt=\"B\">"
                       '<a class="c" href="@@PLUGINFILE@@/a%20b.png">l</a>'
                       '<img data-src="a%20b.png" src="other.png">')
    assert used == [file]
    assert unlink(text, "u1", files) == "AB" + "l" + '<img data-src="a%20b.png" src="other.png">'


def test_a_source_text_becomes_html_only_when_written_so() -> None:
    assert type(htmltext.given({"html": " <p>x</p>\n"})) is Html
    assert htmltext.given({"html": " <p>x</p>\n"}) == "<p>x</p>"
    for value in ("<p>x</p>", None, {"html": "x", "other": 1}, ["x"]):
        assert htmltext.given(value) == value and type(htmltext.given(value)) is not Html


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('<>/="\' apscriptmgsrcohefnl:&#;x1')) |
               st.characters(), max_size=200))
def test_any_text_is_scanned_without_failing(text: str) -> None:
    for problem in htmltext.problems(text):
        assert problem[1] in ("unsafe-html", "unsafe-link")
    assert all(isinstance(r, Ref) for r in refs(Html(text)))
    assert isinstance(to_plain(Html(text)), str)
