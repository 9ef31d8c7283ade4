"""What Moodle must hold after importing a question, computed from the model; and a comparer.

The other side is tests/support/dump-questions.php: Moodle's own load_question_data(), as JSON.
"""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

from coursepack import model as m
from coursepack.markup import plain_html, to_html
from coursepack.writers.cloze import cloze_text, gap_syntax
from coursepack.writers.names import moodle_name

LAYOUT = {"vertical": "0", "horizontal": "1"}
SELECT = {"all": "0", "random": "1", "contiguous": "2"}
GRADING = {"all_or_nothing": "-1", "absolute_position": "0", "relative_next_exclude_last": "1",
           "relative_next_include_last": "2", "relative_one_previous_and_next": "3",
           "relative_all_previous_and_next": "4", "longest_ordered_subset": "5",
           "longest_contiguous_subset": "6", "relative_to_correct": "7"}
CHOICE_LAYOUT = {"dropdown": "0", "vertical": "1", "horizontal": "2"}


# A relative address in rendered HTML: a file the text carries, which Moodle keeps in the text's
# own area and names @@PLUGINFILE@@/<its name> (the sources the tests use have no two files of one
# name in one text).
_CARRIED = re.compile(r'(<img src="|<a href=")(?![A-Za-z][A-Za-z0-9+.-]*:|#)(?:[^"]*/)?([^"/]*)"')


def carried(html: str) -> str:
    """Rendered HTML as Moodle stores it: the files it names, in its own area."""
    return _CARRIED.sub(r'\1@@PLUGINFILE@@/\2"', html)


def h(text: str | None) -> str:
    return carried(to_html(text)) if text else ""


def common(q: m.Question, *, gift: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"name": moodle_name(q.name), "questiontext": h(q.text), "idnumber": q.id,
                           "generalfeedback": h(q.general_feedback), "tags": list(q.tags)}
    if not gift:
        out["defaultmark"] = q.mark
        out["penalty"] = 1.0 if isinstance(q, m.TrueFalse) else q.penalty
        out["hints"] = [_hint(q, hint) for hint in q.hints]
    return out


def _hint(q: m.Question, hint: m.Hint) -> dict[str, Any]:
    if isinstance(q, m.ShortAnswer | m.Numerical):
        return {"hint": h(hint.text), "shownumcorrect": None, "clearwrong": None}
    if isinstance(q, m.Ordering):
        return {"hint": h(hint.text), "shownumcorrect": str(int(hint.show_num_correct)),
                "options": "1" if hint.clear_wrong else "0"}
    return {"hint": h(hint.text), "shownumcorrect": str(int(hint.show_num_correct)),
            "clearwrong": str(int(hint.clear_wrong))}


def _combined(c: m.CombinedFeedback) -> dict[str, Any]:
    return {"correctfeedback": h(c.correct), "partiallycorrectfeedback": h(c.partially_correct),
            "incorrectfeedback": h(c.incorrect), "shownumcorrect": str(int(c.show_num_correct))}


def _answers(answers: tuple[m.Answer, ...], html_text: bool) -> list[dict[str, Any]]:
    return [{"answer": h(a.text) if html_text else a.text, "fraction": a.grade / 100,
             "feedback": h(a.feedback)} for a in answers]


def _numeric(answers: tuple[m.NumericAnswer, ...], gift: bool = False) -> list[dict[str, Any]]:
    """Each answer as Moodle stores it (GIFT's '*' has no tolerance at all)."""
    return [{"answer": "*" if a.value is None else a.value,
             "tolerance": "" if gift and a.value is None else a.tolerance,
             "fraction": a.grade / 100, "feedback": h(a.feedback)} for a in answers]


def _unit_options(q: m.Numerical) -> tuple[int, int]:
    """unitgradingtype and showunits, as Moodle's edit form saves each documented setting."""
    if not q.units:
        return 0, 3  # units not used
    if not q.unit_graded:
        return 0, 0  # only the number is graded; a unit may be typed
    return {"response": 1, "question": 2}[q.unit_penalty_of], \
        {"text": 0, "radio": 1, "select": 2}[q.unit_display]


def options(q: m.Question, *, gift: bool = False) -> dict[str, Any]:
    """The qtype options Moodle must hold (for GIFT, only what GIFT carries)."""
    if isinstance(q, m.MultiChoice):
        out = {"answers": _answers(q.answers, True)}
        return out if gift else {**out, "single": str(int(q.single)),
                                 "shuffleanswers": str(int(q.shuffle)),
                                 "answernumbering": q.numbering, **_combined(q.combined)}
    if isinstance(q, m.TrueFalse):
        return {"answers": [
            {"answer": "True", "fraction": 1.0 if q.correct else 0.0,
             "feedback": h(q.feedback_true)},
            {"answer": "False", "fraction": 0.0 if q.correct else 1.0,
             "feedback": h(q.feedback_false)}]}
    if isinstance(q, m.ShortAnswer):
        return {"answers": _answers(q.answers, False), "usecase": str(int(q.case_sensitive))}
    if isinstance(q, m.Numerical):
        grading, show = _unit_options(q)
        units = {"units": [{"multiplier": u.multiplier, "unit": u.name} for u in q.units],
                 "unitgradingtype": grading, "showunits": show, "unitsleft": int(q.unit_left),
                 "unitpenalty": q.unit_penalty}
        return {"answers": _numeric(q.answers, gift), **({} if gift else units)}
    if isinstance(q, m.Matching):
        subs = [{"questiontext": h(p.question), "answertext": plain_html(p.answer)}
                for p in q.pairs]
        subs += [{"questiontext": "", "answertext": plain_html(d)} for d in q.distractors]
        out = {"subquestions": subs}
        return out if gift else {**out, "shuffleanswers": str(int(q.shuffle)),
                                 **_combined(q.combined)}
    return _options_rest(q, gift=gift)


def _options_rest(q: m.Question, *, gift: bool) -> dict[str, Any]:
    if isinstance(q, m.Essay):
        return {} if gift else {
            "responseformat": q.response_format, "responserequired": str(int(q.response_required)),
            "responsefieldlines": str(q.response_lines), "minwordlimit": str(q.min_words or 0),
            "maxwordlimit": str(q.max_words or 0), "attachments": str(q.attachments),
            "attachmentsrequired": str(q.attachments_required), "graderinfo": h(q.grader_info),
            "responsetemplate": h(q.response_template)}
    if isinstance(q, m.Ordering):
        return {"answers": [{"answer": htmllib.escape(item, quote=False), "fraction": n}
                            for n, item in enumerate(q.items, start=1)],
                "layouttype": LAYOUT[q.layout], "selecttype": SELECT[q.select],
                "selectcount": str(q.select_count), "gradingtype": GRADING[q.grading],
                "showgrading": str(int(q.show_grading)), "numberingstyle": q.numbering}
    if isinstance(q, m.DragText):  # each choice's group and 'infinite', as PHP serialises them
        return {"answers": [{"answer": plain_html(c.text), "feedback":
                             f'O:8:"stdClass":2:{{s:9:"draggroup";i:{c.group};s:8:"infinite";'
                             f'b:{int(c.unlimited)};}}'} for c in q.choices],
                "shuffleanswers": str(int(q.shuffle)), **_combined(q.combined)}
    if isinstance(q, m.GapSelect):
        return {"answers": [{"answer": plain_html(c.text), "feedback": str(c.group)}
                            for c in q.choices],
                "shuffleanswers": str(int(q.shuffle)), **_combined(q.combined)}
    if isinstance(q, m.Cloze | m.Description):
        return {}
    raise AssertionError(type(q))


def subquestions(q: m.Cloze) -> dict[str, Any]:
    """Each cloze gap as the subquestion Moodle builds from it."""
    out: dict[str, Any] = {}
    for n, gap in enumerate(q.gaps, start=1):
        answers = (_numeric(gap.answers) if gap.kind == "numerical"  # type: ignore[arg-type]
                   else _answers(gap.answers, False))  # type: ignore[arg-type]
        if gap.kind == "multichoice":
            answers = [{**a, "answer": plain_html(a["answer"])} for a in answers]
        sub: dict[str, Any] = {"qtype": gap.kind, "defaultmark": float(gap.mark),
                               "options": {"answers": answers}}
        if gap.kind == "multichoice":
            sub["options"]["layout"] = CHOICE_LAYOUT[gap.display]
            sub["options"]["shuffleanswers"] = str(int(gap.shuffle))
        if gap.kind == "shortanswer":
            sub["options"]["usecase"] = str(int(gap.case_sensitive))
        out[str(n)] = sub
    return out


def expected(q: m.Question, *, gift: bool = False) -> dict[str, Any]:
    """Everything Moodle must hold for one question."""
    out = {**common(q, gift=gift), "options": options(q, gift=gift)}
    if isinstance(q, m.Cloze):
        text = cloze_text(q)
        for n, gap in enumerate(q.gaps, start=1):
            text = text.replace(gap_syntax(gap), f"{{#{n}}}", 1)
        out["questiontext"] = text
        out["defaultmark"] = float(sum(g.mark for g in q.gaps))
        out["subquestions"] = subquestions(q)
    if isinstance(q, m.Ordering) and gift:
        out["generalfeedback"] = ""
    return out


def _number(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value):
        return float(value)
    return value


def compare(want: Any, got: Any, where: str = "") -> list[str]:
    """Every place where Moodle's data differs from what was wanted (only wanted keys count)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{where}: missing (got {got!r})"]
        return [p for k, v in want.items() for p in compare(v, got.get(k), f"{where}/{k}")]
    if isinstance(want, list):
        values = list(got.values()) if isinstance(got, dict) else got
        if not isinstance(values, list) or len(values) != len(want):
            return [f"{where}: wanted {len(want)} item(s), got {values!r}"[:300]]
        return [p for n, (a, b) in enumerate(zip(want, values, strict=True))
                for p in compare(a, b, f"{where}[{n}]")]
    if isinstance(want, float) or isinstance(_number(got), float):
        try:
            return [] if abs(float(want) - float(_number(got))) < 1e-6 else [
                f"{where}: wanted {want!r}, got {got!r}"]
        except (TypeError, ValueError):
            return [f"{where}: wanted {want!r}, got {got!r}"]
    if isinstance(want, str) and want.startswith("O:8:") and isinstance(got, str):
        got = _PHP_DIGITS.sub(r"i:\1;", got)  # an import stores the group as "1", a backup as 1
    return [] if want == got else [f"{where}: wanted {want!r}, got {got!r}"[:400]]


_PHP_DIGITS = re.compile(r's:\d+:"(\d+)";')
