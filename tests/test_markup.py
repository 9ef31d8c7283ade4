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


_LINE_CHARS = string.ascii_letters + string.digits + " ,.;:?!'\"()/%+=-*\n"
_EDGES = " a1:.'\"(*"  # few characters, so the edges of emphasis come up often
_LINES = st.one_of(
    st.builds(lambda f, r: f + r, st.sampled_from(string.ascii_letters + string.digits), _WORDS),
    st.builds(lambda label, rest: f"**{label}**{rest}", _WORDS, _WORDS),
    st.builds(lambda label, rest: f"**{label}**{rest}", st.text(alphabet=_EDGES, max_size=6),
              st.one_of(st.just(""), st.text(alphabet=_EDGES, max_size=6).map(" {}".format),
                        st.text(alphabet=_EDGES, max_size=6))),
    st.text(alphabet=_LINE_CHARS, max_size=30))


@settings(max_examples=400, deadline=None)
@given(lines=st.lists(_LINES, min_size=1, max_size=4),
       gaps=st.lists(st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n", " \n\n"]), min_size=3,
                     max_size=3))
@example(lines=["**Learning outcome:** Bench.", "Bench.", "Use a real example."],
         gaps=["\n\n"] * 3).via("a derived essay's text")
@example(lines=["**A :**", "**A**b", "2) b"], gaps=["\n\n"] * 3).via("near misses")
@example(lines=["**A **", "**A ** b", "** A**"], gaps=["\n\n"] * 3).via("spaces inside")
def test_paragraphs_and_strong_labels_take_the_short_way_to_the_same_html(
        lines: list[str], gaps: list[str]) -> None:
    """Paragraphs of plain lines, each perhaps led by a strong label, skip the parser: when the
    short way answers, its HTML is the parser's."""
    joined = lines[0] + "".join(gap + line for gap, line in zip(gaps, lines[1:], strict=False))
    for text in [joined, *lines]:  # the whole, and each line alone
        fast = markup._fast_html(text)
        assert fast is None or fast == markup._parser().render(text).strip(), text
        if fast is not None:
            assert to_html(text) == fast


def test_a_derived_essays_text_takes_the_short_way() -> None:
    text = "**Learning outcome:** Deal with a customer's complaint.\n\nExplain what you did."
    assert markup._fast_html(text) == (
        "<p><strong>Learning outcome:</strong> Deal with a customer's complaint.</p>\n"
        "<p>Explain what you did.</p>")
