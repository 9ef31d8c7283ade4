"""The unit guide (a Book with chapters) and the unit's Glossary with its key terms as entries."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ...markup import to_html
from ...model import Catalogue, Outcome, Unit
from ..glossary import DISPLAY_FORMAT, definition_html, unit_entries
from ..names import moodle_name, outcome_title, route_label
from .files import Ids
from .parts import PREVENT, Owner, Part, new_ids
from .xml import E, fields, flag, node


@dataclass(frozen=True)
class Chapter:
    """A book chapter: title, HTML content, and whether it is a subchapter."""

    title: str
    content: str
    sub: bool = False


def _item(markdown: str) -> str:
    """A list item: inline when one paragraph, block HTML otherwise."""
    rendered = to_html(markdown)
    if rendered.count("<p>") == 1 and rendered.startswith("<p>") and rendered.endswith("</p>"):
        return rendered[3:-4]
    return rendered


def _list(items: tuple[str, ...], tag: str = "ul") -> str:
    return f"<{tag}>" + "".join(f"<li>{_item(i)}</li>" for i in items) + f"</{tag}>"


def outcome_html(n: int, outcome: Outcome) -> str:
    """An outcome's assessment criteria, as learners read them.

    Marking points are for assessors: they reach teachers only, as the grader information of
    each criterion's essay question.
    """
    return "".join(f"<h4>Assessment criterion {n}.{k}</h4>{to_html(crit.text)}"
                   for k, crit in enumerate(outcome.criteria, start=1))


def _overview(unit: Unit) -> str:
    parts = [to_html(unit.synopsis), *(to_html(p) for p in unit.overview)]
    facts = [f"<strong>Subject area:</strong> {escape(unit.subject_area)}",
             f"<strong>Assessment route:</strong> {escape(route_label(unit.assessment_route))}"]
    if unit.awarding_body:
        facts.insert(0, f"<strong>Awarding body:</strong> {escape(unit.awarding_body)}")
    parts.append("<ul>" + "".join(f"<li>{f}</li>" for f in facts) + "</ul>")
    if unit.qualifications:
        parts.append("<h4>Qualifications</h4><ul>" + "".join(
            f"<li>{escape(q.title)} (Level {q.level}, {escape(q.framework)})</li>"
            for q in unit.qualifications) + "</ul>")
    if unit.prerequisites:
        parts.append("<h4>Before you start</h4>" + _list(unit.prerequisites))
    return "".join(parts)


def _mistakes(unit: Unit) -> str:
    parts = []
    if unit.common_mistakes:
        parts.append("<h4>Common mistakes</h4>" + _list(unit.common_mistakes))
    if unit.misconceptions:
        parts.append("<h4>Misconceptions</h4>" + "".join(
            f"<p><strong>Myth:</strong> {escape(mc.claim)}</p>{to_html(mc.correction)}"
            for mc in unit.misconceptions))
    return "".join(parts)


def chapters(unit: Unit) -> list[Chapter]:
    """The unit guide's chapters, in reading order; empty topics are left out."""
    out = [Chapter("Overview", _overview(unit))]
    if unit.key_concepts:
        out.append(Chapter("Key concepts", "".join(
            f"<h4>{escape(c.name)}</h4>{to_html(c.explanation)}" for c in unit.key_concepts)))
    out.append(Chapter("Learning outcomes and assessment criteria",
                       "<p>By the end of this unit you will:</p>"
                       + _list(tuple(o.statement for o in unit.outcomes), "ol")))
    out += [Chapter(outcome_title(n, o), outcome_html(n, o), True)
            for n, o in enumerate(unit.outcomes, start=1)]
    if unit.guidance:
        out.append(Chapter("Guidance", "".join(to_html(g) for g in unit.guidance)))
    if unit.exam_tips:
        out.append(Chapter("Exam tips", _list(unit.exam_tips)))
    if unit.common_mistakes or unit.misconceptions:
        out.append(Chapter("Common mistakes and misconceptions", _mistakes(unit)))
    return out


def book(unit: Unit, title: str, ids: Ids, owner: Owner) -> Part:
    """The Book activity: the unit guide."""
    cmid, instance, ctx = new_ids("book", ids)
    items = [node("chapter", fields(
        pagenum=n, subchapter=flag(ch.sub), title=moodle_name(ch.title), content=ch.content,
        contentformat=1, hidden=0, timemodified=owner.epoch, importsrc=""),
        id=ids.take("book_chapters"))
        for n, ch in enumerate(chapters(unit), start=1)]
    heads = [escape(ch.title, quote=False) for ch in chapters(unit) if not ch.sub]
    intro = f"<p>Read it in order, or go straight to a chapter: {', '.join(heads)}.</p>"
    body = node("book", [*fields(
        name=title, intro=intro, introformat=1, numbering=1, navstyle=1,
        customtitles=0, timecreated=owner.epoch, timemodified=owner.epoch),
        node("chapters", items), node("chaptertags", [])], id=instance)
    return Part("book", cmid, instance, ctx, title, f"{unit.id}-guide", body)


def entry_link(courseid: int, entryid: int) -> str:
    """A link to a glossary entry, as backups encode it (restore decodes GLOSSARYSHOWENTRY)."""
    return f"$@GLOSSARYSHOWENTRY*{courseid}*{entryid}@$"


def _entry(catalogue: Catalogue, term_id: str, eid: int, ids: Ids, owner: Owner,
           present: dict[str, int]) -> E:
    term = catalogue.term(term_id)
    aliases = [node("alias", [E("alias_text", moodle_name(a))], id=ids.take("glossary_alias"))
               for a in term.aliases]
    return node("entry", [*fields(
        userid=owner.userid, concept=moodle_name(term.term),
        definition=definition_html(term, catalogue, present,
                                   lambda r: entry_link(owner.courseid, present[r])),
        definitionformat=1, definitiontrust=0,
        attachment="", timecreated=owner.epoch, timemodified=owner.epoch, teacherentry=1,
        sourceglossaryid=0, usedynalink=flag(term.autolink),
        casesensitive=flag(term.case_sensitive), fullmatch=flag(term.full_match), approved=1),
        node("aliases", aliases), node("ratings", [])], id=eid)


def _settings(title: str, unit: Unit, owner: Owner, open_to_learners: bool) -> list[E]:
    how = ("You may add an entry; a teacher approves it before others see it."
           if open_to_learners else "Teachers keep it; learners read it.")
    intro = f"<p>The key terms of <em>{escape(unit.title, quote=False)}</em>. {how}</p>"
    return fields(
        name=title, intro=intro, introformat=1, allowduplicatedentries=0,
        displayformat=DISPLAY_FORMAT, mainglossary=0, showspecial=1, showalphabet=1, showall=1,
        allowcomments=0, allowprintview=1, usedynalink=1, defaultapproval=0, globalglossary=0,
        entbypage=20, editalways=0, rsstype=0, rssarticles=0, assessed=0, assesstimestart=0,
        assesstimefinish=0, scale=0, timecreated=owner.epoch, timemodified=owner.epoch,
        completionentries=0)


def glossary(catalogue: Catalogue, unit: Unit, title: str, ids: Ids, owner: Owner) -> Part:
    """The Glossary activity: one approved entry per key term, in the unit's category."""
    cmid, instance, ctx = new_ids("glossary", ids)
    terms = unit_entries(catalogue, unit)
    entry_ids = [ids.take("glossary_entries") for _ in terms]
    present = {term.id: eid for eid, (term, _) in zip(entry_ids, terms, strict=True)}
    entries = [_entry(catalogue, term.id, eid, ids, owner, present)
               for eid, (term, _) in zip(entry_ids, terms, strict=True)]
    names = list(dict.fromkeys(name for _, cats in terms for name in cats))
    spellings: dict[str, int] = {}  # a tag's id in this backup, by its folded name
    tags = [node("tag", [*fields(itemid=eid, rawname=tag)],
                 id=spellings.setdefault(tag.casefold(), len(spellings) + 1))
            for eid, (term, _) in zip(entry_ids, terms, strict=True) for tag in term.tags]
    categories = [node("category", [*fields(name=moodle_name(name), usedynalink=0), node(
        "category_entries", [node("category_entry", [E("entryid", eid)],
                                  id=ids.take("glossary_entries_categories"))
                             for eid, (_, cats) in zip(entry_ids, terms, strict=True)
                             if name in cats])], id=ids.take("glossary_categories"))
        for name in names]
    open_to_learners = catalogue.learners_add_entries
    body = node("glossary", [*_settings(title, unit, owner, open_to_learners),
                             node("entries", entries),
                             node("entriestags", tags), node("categories", categories)],
                id=instance)
    return Part("glossary", cmid, instance, ctx, title, f"{unit.id}-glossary", body,
                users=[owner.userid],
                overrides=() if open_to_learners else (("mod/glossary:write", PREVENT),))
