"""The Quiz activity: one slot per question of the unit, referring to the course question bank."""

from __future__ import annotations

from html import escape

from ...model import Description, Question, Unit
from .files import Ids
from .parts import Completion, Grading, Owner, Part, new_ids
from .questions import Bank
from .xml import E, dec, fields, node

GRADE = 100.0
ATTEMPTS = 3
GRADE_HIGHEST = 1
# Review option bits (mod/quiz/classes/question/display_options.php).
DURING, IMMEDIATELY, LATER_WHILE_OPEN, AFTER_CLOSE = 0x10000, 0x1000, 0x100, 0x10
ALWAYS = DURING | IMMEDIATELY | LATER_WHILE_OPEN | AFTER_CLOSE
AFTER_ATTEMPT = IMMEDIATELY | LATER_WHILE_OPEN | AFTER_CLOSE


def review_options() -> list[E]:
    """Everything shown during and after an attempt; right answers and general and overall
    feedback only once an attempt is finished (interactive mode shows per-try feedback)."""
    return fields(reviewattempt=ALWAYS, reviewcorrectness=ALWAYS, reviewmaxmarks=ALWAYS,
                  reviewmarks=ALWAYS, reviewspecificfeedback=ALWAYS,
                  reviewgeneralfeedback=AFTER_ATTEMPT, reviewrightanswer=AFTER_ATTEMPT,
                  reviewoverallfeedback=AFTER_ATTEMPT)


def _settings(title: str, intro: str, sumgrades: float, grade: float,
              owner: Owner) -> list[E]:
    return [*fields(
        name=title, intro=intro, introformat=1, timeopen=0, timeclose=0, timelimit=0,
        overduehandling="autosubmit", graceperiod=0, preferredbehaviour="interactive",
        canredoquestions=0, attempts_number=ATTEMPTS, attemptonlast=0,
        grademethod=GRADE_HIGHEST, decimalpoints=2, questiondecimalpoints=-1),
        *review_options(), *fields(
        questionsperpage=1, navmethod="free", shuffleanswers=1, sumgrades=dec(sumgrades, 5),
        grade=dec(grade, 5), timecreated=owner.epoch, timemodified=owner.epoch, password="",
        subnet="", browsersecurity="-", delay1=0, delay2=0, showuserpicture=0, showblocks=0,
        completionattemptsexhausted=1, completionminattempts=0, allowofflineattempts=0)]


def _slot(n: int, entry: int, mark: float, quizid: int, contextid: int, ids: Ids) -> E:
    ref = node("question_reference", fields(
        usingcontextid=contextid, component="mod_quiz", questionarea="slot",
        questionbankentryid=entry, version=None), id=ids.take("question_references"))
    return node("question_instance", [*fields(
        quizid=quizid, slot=n, page=n, displaynumber=None, requireprevious=0,
        maxmark=dec(mark, 7), quizgradeitemid=None), ref], id=ids.take("quiz_slots"))


def _feedbacks(mastery: int, ids: Ids) -> list[E]:
    bands = [(f"<p>Well done: you reached the mastery score of {mastery}%.</p>",
              float(mastery), GRADE + 1),
             (f"<p>Not yet: the mastery score is {mastery}%. Review the unit guide and the "
              "feedback on each question, then try again.</p>", 0.0, float(mastery))]
    return [node("feedback", fields(feedbacktext=text, feedbacktextformat=1,
                                    mingrade=dec(low, 5), maxgrade=dec(high, 5)),
                 id=ids.take("quiz_feedback")) for text, low, high in bands]


def quiz(unit: Unit, title: str, questions: list[Question], bank: Bank, categories: list[int],
         ids: Ids, owner: Owner, *, written: bool = False, counted: bool = False) -> Part:
    """A unit's Quiz, interactive with several tries.

    The unit's quiz holds the automatically marked questions: its pass grade is the unit's
    mastery score, which a learner reaches alone. The written-answers quiz holds the questions
    a teacher marks: it completes on viewing, so marking never holds up a learner's progress,
    and it carries a grade only when the course counts essays (`counted`).
    """
    cmid, instance, ctx = new_ids("quiz", ids)
    slots = [_slot(n, bank.entries[q.id], bank.marks[q.id], instance, ctx, ids)
             for n, q in enumerate(questions, start=1)]
    sumgrades = sum(bank.marks[q.id] for q in questions)
    count = sum(1 for q in questions if not isinstance(q, Description))  # the marked ones
    many = f"{count} question{'' if count == 1 else 's'}"
    topic = escape(unit.title, quote=False)
    weight = "they count towards your course grade" if counted else "they carry no marks"
    intro = (f"<p>{many} a teacher marks, on <em>{topic}</em>. Write your "
             f"answers here; {weight}, and your progress does not wait for them.</p>"
             if written else
             f"<p>{many} on <em>{topic}</em>, all marked as you answer. "
             f"Pass mark: {unit.mastery_score}%; {ATTEMPTS} attempts, your highest grade "
             "counts.</p>")
    section = node("section", fields(firstslot=1, heading="", shufflequestions=0),
                   id=ids.take("quiz_sections"))
    feedbacks = [] if written else _feedbacks(unit.mastery_score, ids)
    body = node("quiz", [
        *_settings(title, intro, sumgrades, GRADE if counted or not written else 0.0, owner),
        node("subplugin_quizaccess_seb_quiz", []), node("quiz_grade_items", []),
        node("question_instances", slots), node("sections", [section]),
        node("feedbacks", feedbacks), node("overrides", []), node("grades", []),
        node("attempts", [])], id=instance)
    if written:
        return Part("quiz", cmid, instance, ctx, title, f"{unit.id}-written", body,
                    grading=Grading(GRADE, 0.0) if counted else None, categories=categories)
    return Part("quiz", cmid, instance, ctx, title, f"{unit.id}-quiz", body,
                completion=Completion(graded=True),
                grading=Grading(GRADE, float(unit.mastery_score)), categories=categories)
