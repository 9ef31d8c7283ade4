"""questions.xml: the course's question categories, entries, versions and questions (4.x)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import cast

from ... import model as m
from ...markup import plain_html
from ..cloze import cloze_text, gap_syntax
from ..names import moodle_name
from ..qbank import Category, html
from .files import Ids
from .media import Carrier
from .parts import Owner
from .qtypes import (
    AUTO,
    BODIES,
    CHOICE_LAYOUT,
    HTML,
    answers,
    moodle_qtype,
    numeric,
    plugin,
)
from .xml import E, dec, fields, flag, node

CONTEXT_COURSE = 50


@dataclass
class Bank:
    """The question bank of a backup, and how activities refer to it."""

    categories: dict[tuple[str, ...], int] = field(default_factory=dict)
    entries: dict[str, int] = field(default_factory=dict)
    marks: dict[str, float] = field(default_factory=dict)
    tags: dict[str, int] = field(default_factory=dict)
    xml: bytes = b""

    def ancestry(self, path: tuple[str, ...]) -> list[int]:
        """The category ids from top down to the category at `path`."""
        return [self.categories[path[:n]] for n in range(len(path) + 1)]


def stamp(*parts: str) -> str:
    """A stable stamp, unique per question or category, shaped like Moodle's (host+time+random)."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"coursepack+{digest[:12]}+{digest[12:18]}"


def _hint(q: m.Question, hint: m.Hint, ids: Ids) -> E:
    plain = isinstance(q, m.ShortAnswer | m.Numerical)
    shown = None if plain else flag(hint.show_num_correct)
    clear = None if plain else (0 if isinstance(q, m.Ordering) else flag(hint.clear_wrong))
    options = flag(hint.clear_wrong) if isinstance(q, m.Ordering) else None
    return node("question_hint", fields(hint=html(hint.text), hintformat=HTML,
                                        shownumcorrect=shown, clearwrong=clear,
                                        options=options), id=ids.take("question_hint"))


def _tags(q: m.Question, bank: Bank, owner: Owner) -> E:
    items = []
    for tag in q.tags:
        tid = bank.tags.setdefault(tag.casefold(), len(bank.tags) + 1)
        items.append(node("tag", fields(name=tag.lower(), rawname=tag), id=tid,
                          contextid=owner.contextid))
    return node("tags", items)


@dataclass(frozen=True)
class Row:
    """The question table's own columns for one question."""

    qid: int
    parent: int
    name: str
    text: str
    feedback: str
    mark: float
    penalty: float
    qtype: str
    key: str


def _question(row: Row, owner: Owner, body: list[E], tail: list[E]) -> E:
    head = fields(parent=row.parent, name=moodle_name(row.name), questiontext=row.text,
                  questiontextformat=HTML, generalfeedback=row.feedback,
                  generalfeedbackformat=HTML, defaultmark=dec(row.mark, 7))
    info = row.qtype == "description"  # no answer: no length, no plugin's own records
    return node("question", [
        *head, *fields(penalty=dec(row.penalty, 7), qtype=row.qtype, length=0 if info else 1,
                       stamp=stamp("question", row.key), timecreated=owner.epoch,
                       timemodified=owner.epoch, createdby=owner.userid,
                       modifiedby=owner.userid),
        *([] if info else [plugin(row.qtype, body)]),
        node("plugin_qbank_comment_question", [node("comments", [])]),
        node("plugin_qbank_customfields_question", [node("customfields", [])]),
        *tail], id=row.qid)


def _entry(row: Row, catid: int, idnumber: str | None, owner: Owner, question: E) -> E:
    version = node("question_versions", [*fields(version=1, status="ready"),
                                         node("questions", [question])], id=row.qid)
    return node("question_bank_entry", [
        *fields(questioncategoryid=catid, idnumber=idnumber, ownerid=owner.userid),
        node("question_version", [version])], id=row.qid)


def _gap_body(gap: m.Gap, ids: Ids) -> list[E]:
    if gap.kind == "numerical":
        return numeric(ids, cast(tuple[m.NumericAnswer, ...], gap.answers), 1.0)
    choice = gap.kind == "multichoice"  # shown as HTML; typed answers are compared as text
    block, _ = answers(ids, [(plain_html(a.text) if choice else a.text, HTML if choice else AUTO,
                              a.grade / 100, html(a.feedback))
                             for a in cast(tuple[m.Answer, ...], gap.answers)])
    if not choice:
        return [block, node("shortanswer", fields(usecase=flag(gap.case_sensitive)),
                            id=ids.take("qtype_shortanswer_options"))]
    opts = fields(layout=CHOICE_LAYOUT[gap.display], single=1, shuffleanswers=flag(gap.shuffle),
                  correctfeedback="", correctfeedbackformat=HTML, partiallycorrectfeedback="",
                  partiallycorrectfeedbackformat=HTML, incorrectfeedback="",
                  incorrectfeedbackformat=HTML, answernumbering="0", shownumcorrect=0,
                  showstandardinstruction=0)
    return [block, node("multichoice", opts, id=ids.take("qtype_multichoice_options"))]


def cloze_main_text(q: m.Cloze) -> str:
    """The stored cloze text: each embedded answer replaced by its `{#n}` placeholder."""
    text = cloze_text(q)
    for n, gap in enumerate(q.gaps, start=1):
        text = text.replace(gap_syntax(gap), f"{{#{n}}}", 1)
    return text


def _cloze(q: m.Cloze, catid: int, ids: Ids, owner: Owner, bank: Bank) -> list[E]:
    qid = ids.take("question")
    subs = [(ids.take("question"), gap) for gap in q.gaps]
    main_body = [node("answers", []), node("multianswer", fields(
        question=qid, sequence=",".join(str(sid) for sid, _ in subs)),
        id=ids.take("question_multianswer"))]
    mark = float(sum(g.mark for g in q.gaps))
    row = Row(qid, 0, q.name, cloze_main_text(q), html(q.general_feedback), mark, q.penalty,
              "multianswer", q.id)
    main = _question(row, owner, main_body, [
        node("question_hints", [_hint(q, h, ids) for h in q.hints]), _tags(q, bank, owner)])
    out = [_entry(row, catid, q.id, owner, main)]
    for n, (sid, gap) in enumerate(subs, start=1):
        sub = Row(sid, qid, q.name, gap_syntax(gap), "", float(gap.mark), 0.0, gap.kind,
                  f"{q.id}#{n}")
        body = _gap_body(gap, ids)
        out.append(_entry(sub, catid, None, owner, _question(
            sub, owner, body, [node("question_hints", []), node("tags", [])])))
    bank.entries[q.id], bank.marks[q.id] = qid, mark
    return out


def _plain(q: m.Question, catid: int, ids: Ids, owner: Owner, bank: Bank) -> list[E]:
    qid = ids.take("question")
    penalty = 1.0 if isinstance(q, m.TrueFalse) else q.penalty
    row = Row(qid, 0, q.name, html(q.text), html(q.general_feedback), q.mark, penalty,
              moodle_qtype(q), q.id)
    body = BODIES[type(q)](q, ids)
    question = _question(row, owner, body, [
        node("question_hints", [_hint(q, h, ids) for h in q.hints]), _tags(q, bank, owner)])
    bank.entries[q.id], bank.marks[q.id] = qid, q.mark
    return [_entry(row, catid, q.id, owner, question)]


def _category(name: str, info: str, parent: int, order: int, idnumber: str | None, key: str,
              catid: int, owner: Owner, entries: list[E]) -> E:
    return node("question_category", [*fields(
        name=name, contextid=owner.contextid, contextlevel=CONTEXT_COURSE,
        contextinstanceid=owner.courseid, info=info, infoformat=HTML if parent else 0,
        stamp=stamp("category", key), parent=parent, sortorder=order, idnumber=idnumber),
        node("question_bank_entries", entries)], id=catid)


def top_category(bank: Bank, ids: Ids, owner: Owner) -> E:
    """The context's top category (every bank has one), numbered first."""
    top = ids.take("question_category")
    bank.categories[()] = top
    return _category("top", "", 0, 0, None, f"top/{owner.courseid}", top, owner, [])


def number_categories(bank: Bank, categories: list[Category], ids: Ids, owner: Owner,
                      siblings: dict[tuple[str, ...], int] | None = None,
                      carrier: Carrier | None = None) -> list[E]:
    """Number the categories and their questions, parents before children (a parent is
    already in `bank`, or earlier in the list); `siblings` counts the children a parent
    already has (a category's sortorder is its place among them); `carrier` stores the files
    the questions' texts name."""
    siblings = {} if siblings is None else siblings
    elements = []
    for cat in categories:
        catid = ids.take("question_category")
        bank.categories[cat.path] = catid
        parent = cat.path[:-1]
        siblings[parent] = siblings.get(parent, 0) + 1
        entries: list[E] = []
        for q in cat.questions:
            made = (_cloze(q, catid, ids, owner, bank) if isinstance(q, m.Cloze)
                    else _plain(q, catid, ids, owner, bank))
            entries += [carrier.question(e, owner.contextid) for e in made] if carrier else made
        elements.append(_category(moodle_name(cat.path[-1]), cat.info, bank.categories[parent],
                                  siblings[parent], cat.idnumber, cat.idnumber, catid, owner,
                                  entries))
    return elements
