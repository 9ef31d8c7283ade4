"""One GIFT question's head read as Moodle's qformat_gift::readquestion() reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .giftsrc import Src, escaped, joined, php_substr, php_substr_replace, unescaped
from .phptext import default_name, question_name, trim

MOODLE, HTML, PLAIN, MARKDOWN = 0, 1, 2, 4  # Moodle's FORMAT_ constants
FORMATS = {"moodle": MOODLE, "html": HTML, "plain": PLAIN, "markdown": MARKDOWN}


class Refused(Exception):
    """What Moodle's reader says of a question it will not take, and where."""

    def __init__(self, message: str, at: int) -> None:
        super().__init__(message)
        self.at = at


@dataclass
class Text:
    """A text as Moodle stores it: its characters, format, and where it starts in the file."""

    text: str
    format: int
    at: int


@dataclass
class Answer:
    """One answer: its text, fraction (1 = 100 %) and feedback; a numerical answer's value
    (None for Moodle's '*', any other answer) and tolerance."""

    text: Text
    fraction: float
    feedback: Text
    at: int
    value: float | None = None
    tolerance: float = 0.0


@dataclass
class Parsed:
    """A question as Moodle's GIFT reader makes it."""

    qtype: str
    at: int
    name: str = ""
    text: Text = field(default_factory=lambda: Text("", MOODLE, 0))
    general: Text = field(default_factory=lambda: Text("", MOODLE, 0))
    idnumber: str = ""
    tags: list[str] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    single: bool = True
    correct: bool = True
    feedback_true: Text | None = None
    feedback_false: Text | None = None
    pairs: list[tuple[Text, str, int]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    options: dict[str, str | int] = field(default_factory=dict)
    category: str = ""
    notes: list[tuple[int, str]] = field(default_factory=list)  # warnings, placed


def read_question(lines: list[Src]) -> tuple[Parsed | None, Src]:
    """The question of one block of lines (None when it holds only comments), and its answer
    block (escapes as placeholders, general feedback taken off)."""
    comments = "".join(line.text + "\n" for line in lines if line.text.startswith("//"))
    kept = [Src.fixed(" ", line.pos()) if line.text.startswith("//") else line for line in lines]
    text = joined(kept, "\n").trim()
    if not text.text:
        return None, text
    text = escaped(text)
    if text.text.startswith("$CATEGORY:"):
        return Parsed("category", text.pos(), category=text.cut(10).trim().text), text
    q = Parsed("", text.pos())
    name, text = _name(text)
    described, answers, question_text = _braces(text)
    answers, general = _general(answers)
    q.text = with_format(question_text)
    q.general = with_format(general, q.text.format)
    q.name = name if name is not None else default_name(q.text.text)
    q.idnumber, q.tags = idnumber_and_tags(comments)
    q.qtype = "description" if described else ""
    return q, answers


def _name(text: Src) -> tuple[str | None, Src]:
    """The name between '::' and '::' (none when it does not close), and the rest."""
    if not text.text.startswith("::"):
        return None, text
    text = text.cut(2)
    end = text.find("::")
    if end < 0:
        return None, text
    return question_name(unescaped(text.cut(0, end)).text), text.cut(end + 2).trim()


BRACES = "Could not find {...} around answers"


def _braces(text: Src) -> tuple[bool, Src, Src]:
    """Whether the question has no answer block (a description); the block's content; the
    question text without it ('_____' where it stood, unless it ends the text)."""
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        return True, Src.fixed("", text.pos(len(text))), text
    if start < 0 or finish < 0:
        raise Refused(BRACES, text.pos(max(start, finish)))
    length = finish - start
    if length < 0:  # PHP counts the bytes
        length = len(text.text[:finish].encode("utf-8")) - len(text.text[:start].encode("utf-8"))
    try:
        answers = php_substr(text, start + 1, length - 1).trim()
        blank = "" if text.text.endswith("}") else "_____"
        return False, answers, php_substr_replace(text, blank, start, length + 1)
    except ValueError:
        raise Refused("its '}' comes before its '{': Moodle would cut a character in two and "
                      "fail to store the question", text.pos(finish)) from None


def _general(answers: Src) -> tuple[Src, Src]:
    """The answer block without its general feedback (after its last '####'), and that."""
    at = answers.text.rfind("####")
    if at < 0:
        return answers, Src.fixed("", answers.pos(len(answers)))
    return answers.cut(0, at).trim(), answers.cut(at + 4)


def with_format(src: Src, default: int = MOODLE) -> Text:
    """A text with its format, as parse_text_with_format() reads '[html]', '[plain]' ... in
    front of it (an unknown name is text); escapes read, the text trimmed."""
    fmt = default
    if src.text.startswith("["):
        end = src.find("]")
        name = src.text[1:end] if end >= 0 else src.text[1:-1]
        if name in FORMATS:
            fmt = FORMATS[name]
            src = src.cut(end + 1 if end >= 0 else 1)
    src = unescaped(src).trim()
    return Text(src.text, fmt, src.pos())


_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f]|)+)\]")


def idnumber_and_tags(comments: str) -> tuple[str, list[str]]:
    """The first '[id:...]' and every '[tag:...]' in the comment lines ('\\]' is a ']')."""
    found = _ID.search(comments)
    idnumber = trim(found.group(1).replace("\\]", "]")) if found else ""
    return idnumber, [trim(t.replace("\\]", "]")) for t in _TAG.findall(comments)]


def kind(answers: Src) -> str:
    """The type Moodle's reader gives an answer block that no plugin took."""
    text = answers.text
    if text == "":
        return "essay"
    if text[0] == "#":
        return "numerical"
    if "~" in text:
        return "multichoice"
    if "=" in text and "->" in text:
        return "match"
    check = trim(text[:text.find("#")]) if text.find("#") > 0 else text
    return "truefalse" if check in ("T", "TRUE", "F", "FALSE") else "shortanswer"


def comment(src: Src, default: int, parts: int = 2) -> list[Text]:
    """An answer and its feedback after '#' (a true/false answer: two feedbacks), each with
    its format; a missing one is empty."""
    bits = src.split("#", parts)
    found = [with_format(bit.trim(), default) for bit in bits]
    end = src.pos(len(src))
    return found + [Text("", default, end)] * (parts - len(bits))
