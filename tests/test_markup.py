"""Markdown rendering: the documented subset, raw HTML shown as text, Unicode kept exact."""

from __future__ import annotations

import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from coursepack import markup
from coursepack.markup import to_html, to_inline_html, to_plain


@pytest.mark.parametrize(("source", "expected"), [
    ("Plain text.", "<p>Plain text.</p>"),
    ("**bold** and *italic* and `code`", "<p><strong>bold</strong> and <em>italic</em> and "
     "<code>code</code></p>"),
    ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
    ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
    ("[site](https://example.org)", '<p><a href="https://example.org">site</a></p>'),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n"
     "</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>"),
])
def test_subset(source: str, expected: str) -> None:
    assert to_html(source) == expected


def test_raw_html_is_text_not_markup() -> None:
    assert to_html("<script>alert(1)</script> <b>x</b>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;</p>")


def test_unsafe_links_are_not_links() -> None:
    assert "href" not in to_html("[x](javascript:alert(1))")


def test_tricky_text_is_kept_exact() -> None:
    tricky = "~ = # { } : [ ] ]]> & < > &&058; 💡 ‘’ “” ŵ ŷ مرحبا"
    assert to_inline_html(tricky) == (
        "~ = # { } : [ ] ]]&gt; &amp; &lt; &gt; &amp;&amp;058; 💡 ‘’ “” ŵ ŷ مرحبا")
    assert to_plain(tricky) == tricky


def test_gap_markers_survive() -> None:
    assert to_html("The [[1]] model and {{g1}}.") == "<p>The [[1]] model and {{g1}}.</p>"


_WORDS = st.text(alphabet=string.ascii_letters + string.digits + " ,.;:?!'\"()/%+=-",
                 max_size=80)


@settings(max_examples=400, deadline=None)
@given(first=st.sampled_from(string.ascii_letters + string.digits), rest=_WORDS)
@example(first="1", rest=". one").via("an ordered list")
@example(first="2", rest=")").via("an empty ordered list item")
@example(first="1", rest="234567890. ten digits").via("not a list marker")
def test_plain_lines_take_the_short_way_to_the_same_html(first: str, rest: str) -> None:
    """Plain one-line text skips the parser: the HTML is what the parser would make."""
    text = first + rest
    assert to_html(text) == markup._parser().render(text).strip()
