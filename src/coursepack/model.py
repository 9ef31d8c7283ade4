"""The content model: frozen dataclasses that know nothing of any output format.

Text fields hold Markdown source (or, where a source wrote it so, HTML: `Html`); writers render
it. Grades are percentages on Moodle's list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .dates import DEFAULT_EPOCH
from .media.file import MediaChanged as MediaChanged  # the model's media, kept apart
from .media.file import MediaFile as MediaFile

Markdown = str


class Html(str):
    """A text written as HTML (a question's or glossary term's `{html: ...}`, see htmltext.py):
    writers carry it as written where they render Markdown."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Html({str.__repr__(self)})"


@dataclass(frozen=True, slots=True)
class Qualification:
    """A qualification a unit belongs to."""

    title: str
    level: int
    framework: str


@dataclass(frozen=True, slots=True)
class Concept:
    """A key concept: a name and its explanation."""

    name: str
    explanation: Markdown
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Criterion:
    """An assessment criterion with the marking points assessors credit."""

    id: str
    text: Markdown
    marking_points: tuple[Markdown, ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """A learning outcome and its assessment criteria."""

    id: str
    statement: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class Misconception:
    """A mistaken belief and its correction."""

    claim: str
    correction: Markdown


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary entry shared by the whole catalogue."""

    id: str
    term: str
    definition: Markdown
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    case_sensitive: bool = False
    autolink: bool = True
    full_match: bool = True
    categories: tuple[str, ...] = ()  # glossary categories besides its units'
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hint:
    """A hint shown between tries in interactive quizzes."""

    text: Markdown
    show_num_correct: bool = False
    clear_wrong: bool = False


@dataclass(frozen=True, slots=True)
class CombinedFeedback:
    """Feedback on the whole response, for types with several parts."""

    correct: Markdown | None = None
    partially_correct: Markdown | None = None
    incorrect: Markdown | None = None
    show_num_correct: bool = True


@dataclass(frozen=True, slots=True)
class Answer:
    """A text answer (choice or accepted response) with its grade in percent."""

    text: str
    grade: float
    feedback: Markdown | None = None


@dataclass(frozen=True, slots=True)
class NumericAnswer:
    """A numerical answer: value ± tolerance (value None: Moodle's '*', any other answer),
    with its grade in percent."""

    value: float | None
    tolerance: float
    grade: float
    feedback: Markdown | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Question:
    """What every question has, whatever its type."""

    id: str
    name: str
    text: Markdown
    category: tuple[str, ...] = ()  # the path of its category below the unit's
    outcome: str | None = None
    mark: float = 1.0
    penalty: float = 0.3333333
    general_feedback: Markdown | None = None
    hints: tuple[Hint, ...] = ()
    tags: tuple[str, ...] = ()
    practice: bool = False  # for the self-check only, not the unit's quiz
    derived: bool = False
    origin: str = field(default="", compare=False)

    @property
    def qtype(self) -> str:
        """The question type's name in the source format."""
        return QTYPE_OF[type(self)]

    @property
    def manual(self) -> bool:
        """True when a person marks the answer (an essay), not Moodle."""
        return isinstance(self, Essay)


@dataclass(frozen=True, slots=True, kw_only=True)
class MultiChoice(Question):
    """Multiple choice, one answer (radio buttons) or several (check boxes)."""

    answers: tuple[Answer, ...]
    single: bool = True
    shuffle: bool = True
    numbering: str = "abc"
    combined: CombinedFeedback = field(default_factory=CombinedFeedback)
    show_instruction: bool = False  # Moodle's 'Select one:' above the answers


@dataclass(frozen=True, slots=True, kw_only=True)
class TrueFalse(Question):
    """A statement that is true or false."""

    correct: bool
    feedback_true: Markdown | None = None
    feedback_false: Markdown | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ShortAnswer(Question):
    """A typed word or phrase compared with accepted answers."""

    answers: tuple[Answer, ...]
    case_sensitive: bool = False


@dataclass(frozen=True, slots=True)
class NumUnit:
    """A unit a numerical answer may carry, and how many of it make one of the first unit."""

    name: str
    multiplier: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Numerical(Question):
    """A typed number compared with values and tolerances, with units if it has any."""

    answers: tuple[NumericAnswer, ...]
    units: tuple[NumUnit, ...] = ()
    unit_graded: bool = False  # a wrong or missing unit loses unit_penalty
    unit_penalty: float = 0.1
    unit_penalty_of: str = "response"  # response | question
    unit_display: str = "text"  # text | radio | select
    unit_left: bool = False


@dataclass(frozen=True, slots=True)
class MatchPair:
    """One item to match and its answer."""

    question: Markdown
    answer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Matching(Question):
    """Match each item with one answer from a shared list."""

    pairs: tuple[MatchPair, ...]
    distractors: tuple[str, ...] = ()
    shuffle: bool = True
    combined: CombinedFeedback = field(default_factory=CombinedFeedback)


@dataclass(frozen=True, slots=True, kw_only=True)
class Essay(Question):
    """A free-text response graded by a person."""

    response_format: str = "editor"
    response_required: bool = True
    response_lines: int = 15
    min_words: int | None = None
    max_words: int | None = None
    attachments: int = 0
    attachments_required: int = 0
    grader_info: Markdown | None = None
    response_template: Markdown | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Ordering(Question):
    """Put items into their correct order."""

    items: tuple[str, ...]
    layout: str = "vertical"
    select: str = "all"
    select_count: int = 0
    grading: str = "absolute_position"
    show_grading: bool = True
    numbering: str = "none"
    combined: CombinedFeedback = field(default_factory=CombinedFeedback)


@dataclass(frozen=True, slots=True)
class Choice:
    """A choice for a gap; gaps take choices of their right answer's group."""

    text: str
    group: int = 1
    unlimited: bool = False  # drag and drop: the choice may fill any number of gaps


@dataclass(frozen=True, slots=True, kw_only=True)
class GapSelect(Question):
    """Select missing words: `[[n]]` in the text is a gap whose right answer is choice n."""

    choices: tuple[Choice, ...]
    shuffle: bool = True
    combined: CombinedFeedback = field(default_factory=CombinedFeedback)


@dataclass(frozen=True, slots=True, kw_only=True)
class DragText(GapSelect):
    """Drag and drop into text: `[[n]]` in the text is a gap whose right answer is choice n,
    dragged from the choices of its group."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Description(Question):
    """Text shown among the questions, with no answer and no mark."""


@dataclass(frozen=True, slots=True)
class Gap:
    """One embedded answer of a cloze question."""

    id: str
    kind: str
    answers: tuple[Answer, ...] | tuple[NumericAnswer, ...]
    mark: int = 1
    display: str = "dropdown"
    shuffle: bool = False
    case_sensitive: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Cloze(Question):
    """Embedded answers: `{{id}}` in the text marks where each gap goes."""

    gaps: tuple[Gap, ...]


QTYPE_OF: dict[type, str] = {
    MultiChoice: "multichoice", TrueFalse: "truefalse", ShortAnswer: "shortanswer",
    Numerical: "numerical", Matching: "matching", Essay: "essay", Ordering: "ordering",
    GapSelect: "gapselect", Cloze: "cloze", DragText: "ddwtos", Description: "description",
}


@dataclass(frozen=True, slots=True)
class Button:
    """A navigation button on a lesson content page."""

    label: str
    jump: str


@dataclass(frozen=True, slots=True)
class LessonAnswer:
    """An answer on a lesson question page, with where it leads."""

    text: str
    jump: str
    correct: bool = False
    response: Markdown | None = None
    score: int = 0
    value: float | None = None
    tolerance: float = 0.0


@dataclass(frozen=True, slots=True)
class ContentPage:
    """A lesson page of teaching text with navigation buttons."""

    id: str
    title: str
    body: Markdown
    buttons: tuple[Button, ...]


@dataclass(frozen=True, slots=True)
class QuestionPage:
    """A lesson page that checks understanding; each answer jumps somewhere."""

    id: str
    title: str
    qtype: str
    text: Markdown
    answers: tuple[LessonAnswer, ...]
    multiple: bool = False
    case_sensitive: bool = False


LessonPage = ContentPage | QuestionPage


@dataclass(frozen=True, slots=True)
class Lesson:
    """A Moodle lesson: pages in reading order."""

    title: str
    pages: tuple[LessonPage, ...]
    intro: Markdown | None = None
    max_attempts: int = 3
    pass_grade: int = 60


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Unit:
    """One unit of the catalogue, with its questions and lesson."""

    id: str
    title: str
    assessment_route: str
    subject_area: str
    synopsis: Markdown
    outcomes: tuple[Outcome, ...]
    awarding_body: str | None = None
    qualifications: tuple[Qualification, ...] = ()
    overview: tuple[Markdown, ...] = ()
    key_concepts: tuple[Concept, ...] = ()
    guidance: tuple[Markdown, ...] = ()
    exam_tips: tuple[Markdown, ...] = ()
    common_mistakes: tuple[Markdown, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    prerequisites: tuple[Markdown, ...] = ()
    key_terms: tuple[str, ...] = ()
    mastery_score: int = 80
    questions: tuple[Question, ...] = ()
    lesson: Lesson | None = None
    derived: tuple[Question, ...] = ()  # made from the content (derive.py)
    media: tuple[MediaFile, ...] = ()  # the files its texts name, by path
    updated: int = DEFAULT_EPOCH  # when the unit or the course-wide files last changed (dates.py)
    origin: str = field(default="", compare=False)
    # A digest of everything the unit was made from (its files' bytes and names, its date, the
    # course's pass mark), when it was read from a source tree: it stands for the unit's content
    # in the build's task keys (tasks.py), without hashing the whole unit. Not an argument, so
    # `dataclasses.replace` leaves it empty: a unit changed after reading is keyed by content.
    made_from: str = field(default="", compare=False, repr=False, init=False)

    def _split(self) -> tuple[tuple[Question, ...], tuple[Question, ...]]:
        authored = [q for q in self.questions if not q.manual]
        derived = tuple(q for q in self.derived if not q.manual)
        quiz = tuple(q for q in authored if not q.practice)
        practice = tuple(q for q in authored if q.practice)
        if any(not isinstance(q, Description) for q in quiz):
            return quiz, practice + derived
        return quiz + derived, practice  # descriptions alone carry no mark: derived ones join

    @property
    def assessed(self) -> tuple[Question, ...]:
        """The unit quiz's questions, all marked automatically: the authored ones not kept for
        practice, or the derived ones when there are none."""
        return self._split()[0]

    @property
    def practice(self) -> tuple[Question, ...]:
        """The self-check's questions, never the quiz's: the authored ones kept for practice,
        then the derived ones (unless the quiz took them)."""
        return self._split()[1]


@dataclass(frozen=True)
class Catalogue:
    """The whole course: its units and the shared glossary."""

    title: str
    shortname: str
    organisation: str
    language: str
    licence: str
    units: tuple[Unit, ...]
    terms: tuple[Term, ...] = ()
    glossary_title: str = "Key terms"
    summary: Markdown | None = None
    category: str | None = None
    # When any content last changed (the newest unit date, see dates.py) and the course's options.
    updated: int = DEFAULT_EPOCH
    start_date: str | None = None
    essays_count: bool = False
    learners_add_entries: bool = False
    media: tuple[MediaFile, ...] = ()  # the files the course's and glossary's texts name
    # Where each source field behind a Moodle name is, by key (for example "unit/<id>/title");
    # see origins.Origins. Positions only: not content, so not compared.
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    # A digest of the course's own files as read (course.yaml, glossary.yaml), set when read
    # from source; with each unit's made_from, it keys what is kept of a check per unit.
    made_from: str = field(default="", compare=False)

    @cached_property
    def _terms(self) -> dict[str, Term]:
        return {t.id: t for t in self.terms}

    def term(self, term_id: str) -> Term:
        """The glossary term with this id."""
        return self._terms[term_id]
