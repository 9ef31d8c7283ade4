"""PHP's and Moodle's string functions behind what Moodle's GIFT reader stores, as they behave."""

from __future__ import annotations

import re

TRIM = " \t\n\r\0\x0b"  # what PHP's trim() removes
_SPACE = " \t\n\r\x0b\x0c"  # C's isspace(), which PHP's own parsers use
_NUMBER = r"[ \t\n\r\x0b\x0c]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMERIC = re.compile(_NUMBER + r"[ \t\n\r\x0b\x0c]*\Z")
_LEADING = re.compile(_NUMBER)


def trim(text: str) -> str:
    return text.strip(TRIM)


def empty(text: str) -> bool:
    """PHP's empty() of a string: '' and '0'."""
    return text in ("", "0")


def is_numeric(text: str) -> bool:
    return _NUMERIC.match(text) is not None


def arithmetic(text: str) -> float | None:
    """The number PHP's arithmetic reads from a string (a number written at its start counts,
    with a warning); None where PHP 8 throws a TypeError."""
    found = _LEADING.match(text)
    return float(found.group(0)) if found else None


def stored_number(value: float) -> float:
    """A number as PHP writes it into a string (14 significant digits) and reads it back."""
    return float(f"{value:.14g}")


def strip_tags(text: str, allowed: frozenset[str] = frozenset()) -> str:
    """PHP's strip_tags(): its tags, comments and instructions removed as PHP's own scanner finds
    them (an unclosed one takes the rest of the text; a '<' before white space is a character);
    tags named in `allowed` are kept."""
    return _Stripper(text, allowed).run()


class _Stripper:
    """PHP's strip_tags() scanner: outside a tag (0), in a tag (1), in <?...?> (2), in <!...> (3)
    and in a comment (4)."""

    def __init__(self, text: str, allowed: frozenset[str]) -> None:
        self.text, self.allowed = text, allowed
        self.out: list[str] = []
        self.tag: list[str] = []
        self.state, self.depth, self.quote, self.last, self.parens = 0, 0, "", "", 0
        self.xml = False

    def run(self) -> str:
        steps = (self._outside, self._inside, self._instruction, self._declaration,
                 self._comment)
        for at, c in enumerate(self.text):
            if c != "\0" or self.state > 1:
                steps[self.state](at, c)
        return "".join(self.out)

    def _before(self, at: int, back: int) -> str:
        return self.text[at - back] if at >= back else ""

    def _outside(self, at: int, c: str) -> None:
        if c == "<":
            nxt = self.text[at + 1:at + 2]
            if self.quote:
                return
            if nxt and nxt in _SPACE:
                self.out.append(c)
                return
            self.last, self.state, self.tag = "<", 1, ["<"]
        elif c == ">" and (self.depth or self.quote):
            self.depth -= 1 if self.depth else 0
        else:
            self.out.append(c)

    def _inside(self, at: int, c: str) -> None:
        if c == "<":
            nxt = self.text[at + 1:at + 2]
            if nxt and nxt in _SPACE and not self.quote:
                self.tag.append(c)
            elif not self.quote:
                self.depth += 1
            return
        if c == ">":
            if self.depth:
                self.depth -= 1
            elif not self.quote:
                self.last = ">"
                if not (self.xml and self._before(at, 1) == "-"):
                    self._close()
            return
        if c in "\"'" and at and (not self.quote or c == self.quote):
            self.quote = "" if self.quote else c
        elif c == "!" and self._before(at, 1) == "<":
            self.state, self.last = 3, c
            return
        elif c == "?" and self._before(at, 1) == "<":
            self.parens, self.state = 0, 2
            return
        self.tag.append(c)

    def _close(self) -> None:
        self.quote, self.state, self.xml = "", 0, False
        self.tag.append(">")
        if self.allowed and _tag_name("".join(self.tag)) in self.allowed:
            self.out.extend(self.tag)

    def _instruction(self, at: int, c: str) -> None:
        if c in "()" and self.last not in ("\"", "'"):
            self.last = c
            self.parens += 1 if c == "(" else -1
        elif c == ">":
            if self.depth:
                self.depth -= 1
            elif not self.quote and not self.parens and self.last != '"' \
                    and self._before(at, 1) == "?":
                self.quote, self.state = "", 0
        elif c in "\"'" and at >= 1 and self._before(at, 1) != "\\":
            self.last = "\0" if self.last == c else c if self.last != "\\" else self.last
            if not self.quote or c == self.quote:
                self.quote = "" if self.quote else c
        elif c in "lL" and at > 4 and self.text[at - 4:at].lower() == "<?xm":
            self.state, self.xml = 1, True

    def _declaration(self, at: int, c: str) -> None:
        if c == ">":
            if self.depth:
                self.depth -= 1
            elif not self.quote:
                self.quote, self.state = "", 0
        elif c in "\"'" and at and self._before(at, 1) != "\\" \
                and (not self.quote or c == self.quote):
            self.quote = "" if self.quote else c
        elif c == "-" and at >= 2 and self.text[at - 2:at] == "!-":
            self.state = 4
        elif c in "eE" and at > 6 and self.text[at - 6:at].lower() == "doctyp":
            self.state = 1

    def _comment(self, at: int, c: str) -> None:
        if c == ">" and not self.quote and at >= 2 and self.text[at - 2:at] == "--":
            self.quote, self.state = "", 0


def _tag_name(tag: str) -> str:
    found = re.match(r"</?\s*([^\s/>]+)", tag)
    return found.group(1).lower() if found else ""


_MULTILANG = {"</lang>": ("lang", re.compile(r'<lang lang="[a-zA-Z0-9_-]+"\s*>\Z')),
              "</span>": ("span", re.compile(
                  r'<span(\s+lang="[a-zA-Z0-9_-]+"|\s+class="multilang"){2}\s*>\Z'))}


def param_text(text: str) -> str:
    """Moodle's clean_param(PARAM_TEXT): tags stripped, but for well-formed multilang markup."""
    text = text.replace("\0", "").replace("\ufffe", "").replace("\uffff", "")  # fix_utf8()
    for closing, (tag, opening) in _MULTILANG.items():
        if closing in text:
            kept = strip_tags(text, frozenset({tag}))
            tags = re.findall(r"<.*?>", kept, re.S)
            return kept if tags and _balanced(tags, closing, opening) else strip_tags(text)
    return strip_tags(text)


def _balanced(tags: list[str], closing: str, opening: re.Pattern[str]) -> bool:
    open_ = False
    for tag in tags:
        if tag == closing:
            if not open_:
                return False
            open_ = False
        elif not opening.match(tag):
            return False
        else:
            open_ = True
    return not open_


def question_name(name: str) -> str:
    """Moodle's clean_question_name(): PARAM_TEXT, trimmed, shortened to 255 characters."""
    name = trim(param_text(name))
    limit = 251
    while len(name) > 255 and limit > 0:
        name = shorten_text(name, limit)
        limit -= 10
    return name


def default_name(text: str) -> str:
    """The name Moodle gives a question that has none: the start of its text."""
    name = question_name(shorten_text(text, 80))
    return name if not empty(name) else "Question name"


_ENTITY = re.compile(r"&[0-9a-z]{2,8};|&#[0-9]{1,7};|&#x[0-9a-f]{1,6};", re.I)
_PIECE = re.compile(r"(<.+?>)?([^<>]*)", re.S)


def shorten_text(text: str, ideal: int, ending: str = "...") -> str:
    """Moodle's shorten_text(): at most `ideal` characters of text (tags not counted), cut
    after a space or full stop, `ending` added and the tags left open closed."""
    if len(re.sub(r"<.*?>", "", text)) <= ideal:
        return text
    total, cut, tags = len(ending), "", []
    for tag, words in _pieces(text):
        if tag:
            tags.append(tag)
            cut += tag
        length = len(_ENTITY.sub(" ", words))
        if total + length > ideal:
            cut += words[:_break(words, ideal - total)]
            break
        cut += words
        total += length
        if total >= ideal:
            break
    return cut + ending + "".join("<!--<![endif]-->" if name == "if" else f"</{name}>"
                                  for name in _open(tags))


def _pieces(text: str) -> list[tuple[str, str]]:
    """The text as (tag, words that follow) pairs, as PCRE's repeated match finds them: a '<'
    or '>' that starts no tag is passed over."""
    found, at = [], 0
    while at <= len(text):
        match = _PIECE.match(text, at)
        assert match is not None  # the pattern matches the empty string
        if match.end() == at:
            if at == len(text):
                break
            at += 1
            continue
        found.append((match.group(1) or "", match.group(2)))
        at = match.end()
    return found


def _break(words: str, left: int) -> int:
    """Where shorten_text() cuts `words` with `left` characters left (entities count one)."""
    entities = 0
    for entity in _ENTITY.finditer(words.encode("utf-8").decode("latin-1")):  # byte offsets
        if entity.start() + 1 - entities <= left:
            left -= 1
            entities += len(entity.group(0))
        else:
            break
    limit = breakpos = left + entities
    while breakpos > 0:
        char = words[breakpos:breakpos + 1]
        if char and char != "0" and (char in ". " or len(char.encode("utf-8")) > 2):
            breakpos += 1
            break
        breakpos -= 1
    return limit if breakpos == 0 or breakpos > limit else breakpos


def _open(tags: list[str]) -> list[str]:
    """The tags left open, innermost first, as shorten_text() closes them."""
    opened: list[str] = []
    for tag in tags:
        if re.fullmatch(r"<(\s*.+?/\s*|\s*(img|br|input|hr|area|base|basefont|col|frame|isindex|"
                        r"link|meta|param)(\s.+?)?)>", tag, re.S | re.I):
            continue
        closing = re.fullmatch(r"<\s*/(\S+?)\s*>", tag, re.S)
        opening = re.fullmatch(r"<\s*([^\s>!]+).*?>", tag, re.S)
        if closing:
            name = closing.group(1).lower()
            if name in opened:  # the one opened first goes
                del opened[len(opened) - 1 - opened[::-1].index(name)]
        elif opening:
            opened.insert(0, opening.group(1).lower())
        elif re.fullmatch(r"<!--\[if\s.*?\]>", tag, re.S):
            opened.insert(0, "if")
        elif re.fullmatch(r"<!--<!\[endif\]-->", tag, re.S) and "if" in opened:
            del opened[len(opened) - 1 - opened[::-1].index("if")]
    return opened


def text_to_html(text: str) -> str:
    """Moodle's text_to_html() for its auto-format texts (no wrapping div): white space between
    tags dropped, a line break beside a tag made a space, the other line breaks <br />."""
    text = re.sub(r">[ \t\n\r\x0b\x0c]+<", "><", text)
    text = re.sub(r"[\n\r]<", " <", text)
    text = re.sub(r">[\n\r]", "> ", text)
    return re.sub(r"(\r\n|\n\r|\n|\r)", r"<br />\1", text)
