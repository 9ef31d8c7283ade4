"""Each question type's `plugin_qtype_<type>_question` element, as Moodle's import stores it."""

from __future__ import annotations

import html as htmllib
from collections.abc import Callable

from ... import model as m
from ...markup import plain_html
from ..qbank import answer_value, decimal, html, unit_options
from .files import Ids
from .xml import E, dec, fields, flag, node

LAYOUT = {"vertical": 0, "horizontal": 1}
SELECT = {"all": 0, "random": 1, "contiguous": 2}
GRADING = {"all_or_nothing": -1, "absolute_position": 0, "relative_next_exclude_last": 1,
           "relative_next_include_last": 2, "relative_one_previous_and_next": 3,
           "relative_all_previous_and_next": 4, "longest_ordered_subset": 5,
           "longest_contiguous_subset": 6, "relative_to_correct": 7}
CHOICE_LAYOUT = {"dropdown": 0, "vertical": 1, "horizontal": 2}
MOODLE_QTYPE = {"matching": "match", "cloze": "multianswer"}
HTML, PLAIN, AUTO = 1, 2, 0

Answer = tuple[str, int, float, str]  # text, format, fraction (0..1), feedback HTML


def answers(ids: Ids, items: list[Answer], feedback_format: int = HTML) -> tuple[E, list[int]]:
    """The <answers> element and the ids given to its answers."""
    taken = [ids.take("question_answer") for _ in items]
    return node("answers", [node("answer", fields(
        answertext=text, answerformat=fmt, fraction=dec(fraction, 7), feedback=feedback,
        feedbackformat=feedback_format), id=aid)
        for aid, (text, fmt, fraction, feedback) in zip(taken, items, strict=True)]), taken


def combined(c: m.CombinedFeedback) -> list[E]:
    """Correct, partially correct and incorrect feedback, then shownumcorrect."""
    return [*fields(correctfeedback=html(c.correct), correctfeedbackformat=HTML,
                    partiallycorrectfeedback=html(c.partially_correct),
                    partiallycorrectfeedbackformat=HTML, incorrectfeedback=html(c.incorrect),
                    incorrectfeedbackformat=HTML),
            E("shownumcorrect", flag(c.show_num_correct))]


def _text_answers(items: tuple[m.Answer, ...], fmt: int, as_html: bool) -> list[Answer]:
    return [(html(a.text) if as_html else a.text, fmt, a.grade / 100, html(a.feedback))
            for a in items]


def multichoice(q: m.MultiChoice, ids: Ids) -> list[E]:
    """Answers as HTML, then the multichoice options."""
    block, _ = answers(ids, _text_answers(q.answers, HTML, True))
    c = q.combined
    opts = [*fields(layout=0, single=flag(q.single), shuffleanswers=flag(q.shuffle)),
            *combined(c)[:6], E("answernumbering", q.numbering),
            E("shownumcorrect", flag(c.show_num_correct)),
            E("showstandardinstruction", flag(q.show_instruction))]
    return [block, node("multichoice", opts, id=ids.take("qtype_multichoice_options"))]


def truefalse(q: m.TrueFalse, ids: Ids) -> list[E]:
    """The True and False answers, then which is which."""
    block, (true_id, false_id) = answers(ids, [
        ("True", AUTO, 1.0 if q.correct else 0.0, html(q.feedback_true)),
        ("False", AUTO, 0.0 if q.correct else 1.0, html(q.feedback_false))])
    return [block, node("truefalse", fields(trueanswer=true_id, falseanswer=false_id,
                                            showstandardinstruction=0),
                        id=ids.take("question_truefalse"))]


def shortanswer(q: m.ShortAnswer, ids: Ids) -> list[E]:
    """Accepted answers as typed, then the case rule."""
    block, _ = answers(ids, _text_answers(q.answers, AUTO, False))
    return [block, node("shortanswer", fields(usecase=flag(q.case_sensitive)),
                        id=ids.take("qtype_shortanswer_options"))]


def numeric(ids: Ids, items: tuple[m.NumericAnswer, ...], unitpenalty: float,
            q: m.Numerical | None = None) -> list[E]:
    """Numerical answers with their tolerances, and the question's units (a cloze gap has
    none)."""
    block, taken = answers(ids, [(answer_value(a), AUTO, a.grade / 100, html(a.feedback))
                                 for a in items])
    grading, show = unit_options(q) if q else (0, 3)
    option = node("numerical_option", fields(
        showunits=show, unitsleft=flag(bool(q and q.unit_left)), unitgradingtype=grading,
        unitpenalty=dec(unitpenalty, 7)), id=ids.take("question_numerical_options"))
    units = [node("numerical_unit", fields(multiplier=decimal(u.multiplier), unit=u.name),
                  id=ids.take("question_numerical_units")) for u in (q.units if q else ())]
    records = [node("numerical_record", fields(answer=aid, tolerance=decimal(a.tolerance)),
                    id=ids.take("question_numerical")) for aid, a in zip(taken, items, strict=True)]
    return [block, node("numerical_units", units), node("numerical_options", [option]),
            node("numerical_records", records)]


def numerical(q: m.Numerical, ids: Ids) -> list[E]:
    """A numerical question's answers, units and options."""
    return numeric(ids, q.answers, q.unit_penalty, q)


def matching(q: m.Matching, ids: Ids) -> list[E]:
    """Options, then one match per pair and one per distractor (empty question)."""
    opts = node("matchoptions", [E("shuffleanswers", flag(q.shuffle)), *combined(q.combined)],
                id=ids.take("qtype_match_options"))
    pairs = [(html(p.question), p.answer) for p in q.pairs] + [("", d) for d in q.distractors]
    matches = [node("match", fields(questiontext=question, questiontextformat=HTML,
                                    answertext=plain_html(answer)),
                    id=ids.take("qtype_match_subquestions"))
               for question, answer in pairs]
    return [opts, node("matches", matches)]


def essay(q: m.Essay, ids: Ids) -> list[E]:
    """The essay's response settings, grader information and template."""
    return [node("essay", fields(
        responseformat=q.response_format, responserequired=flag(q.response_required),
        responsefieldlines=q.response_lines, minwordlimit=q.min_words or 0,
        maxwordlimit=q.max_words or 0, attachments=q.attachments,
        attachmentsrequired=q.attachments_required, graderinfo=html(q.grader_info),
        graderinfoformat=HTML, responsetemplate=html(q.response_template),
        responsetemplateformat=HTML, filetypeslist="", maxbytes=0),
        id=ids.take("qtype_essay_options"))]


def ordering(q: m.Ordering, ids: Ids) -> list[E]:
    """Items as answers (fraction = position), then the ordering options."""
    block, _ = answers(ids, [(htmllib.escape(item, quote=False), HTML, float(n), "")
                             for n, item in enumerate(q.items, start=1)], AUTO)
    c = q.combined
    opts = fields(layouttype=LAYOUT[q.layout], selecttype=SELECT[q.select],
                  selectcount=q.select_count, gradingtype=GRADING[q.grading],
                  showgrading=flag(q.show_grading), numberingstyle=q.numbering,
                  correctfeedback=html(c.correct), correctfeedbackformat=HTML,
                  incorrectfeedback=html(c.incorrect), incorrectfeedbackformat=HTML,
                  partiallycorrectfeedback=html(c.partially_correct),
                  partiallycorrectfeedbackformat=HTML, shownumcorrect=flag(c.show_num_correct))
    return [block, node("ordering", opts, id=ids.take("qtype_ordering_options"))]


def gapselect(q: m.GapSelect, ids: Ids) -> list[E]:
    """Choices as answers (feedback = group), then the options."""
    block, _ = answers(ids, [(plain_html(c.text), HTML, 0.0, str(c.group)) for c in q.choices],
                       AUTO)
    return [block, node("gapselect", [E("shuffleanswers", flag(q.shuffle)),
                                      *combined(q.combined)],
                        id=ids.take("question_gapselect"))]


def ddwtos(q: m.DragText, ids: Ids) -> list[E]:
    """Choices as answers (feedback = the group and whether the choice is unlimited, as PHP
    serialises them), then the options."""
    block, _ = answers(ids, [(plain_html(c.text), HTML, 0.0, _drag_options(c))
                             for c in q.choices], AUTO)
    return [block, node("ddwtos", [E("shuffleanswers", flag(q.shuffle)), *combined(q.combined)],
                        id=ids.take("question_ddwtos"))]


def _drag_options(c: m.Choice) -> str:
    return (f'O:8:"stdClass":2:{{s:9:"draggroup";i:{c.group};s:8:"infinite";'
            f'b:{int(c.unlimited)};}}')


Body = Callable[..., list[E]]
BODIES: dict[type, Body] = {
    m.MultiChoice: multichoice, m.TrueFalse: truefalse, m.ShortAnswer: shortanswer,
    m.Numerical: numerical, m.Matching: matching, m.Essay: essay, m.Ordering: ordering,
    m.GapSelect: gapselect, m.DragText: ddwtos, m.Description: lambda q, ids: [],
}


def moodle_qtype(q: m.Question) -> str:
    """The qtype name Moodle stores."""
    return MOODLE_QTYPE.get(q.qtype, q.qtype)


def plugin(qtype: str, children: list[E]) -> E:
    """The qtype's plugin wrapper element."""
    return node(f"plugin_qtype_{qtype}_question", children)
