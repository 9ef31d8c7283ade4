"""Moodle's fixed list of answer grades (question_bank::fraction_options_full), in percent."""

from __future__ import annotations

# Moodle stores fractions with 7 decimals; in percent that is 5 decimals.
_POSITIVE = (100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333, 30.0,
             25.0, 20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0, 0.0)
ALLOWED: tuple[float, ...] = _POSITIVE + tuple(-g for g in _POSITIVE if g)
_TOLERANCE = 0.000005
_EXACT = {grade: grade for grade in ALLOWED}  # -0.0 finds 0.0


def canonical(grade: float) -> float | None:
    """The allowed grade equal to `grade` (to Moodle's 7-decimal precision), or None."""
    exact = _EXACT.get(grade)
    if exact is not None:
        return exact
    for allowed in ALLOWED:
        if abs(allowed - grade) <= _TOLERANCE * 100 + 1e-9:
            return allowed
    return None


def share(count: int) -> float | None:
    """The allowed grade for one of `count` equal parts of 100 %, or None if there is none."""
    return canonical(100.0 / count) if count else None


def fraction_text(grade: float) -> str:
    """A percentage as Moodle writes it: no trailing zeros, at most 5 decimals."""
    text = f"{grade:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def problem(grade: float) -> str | None:
    """A message when a grade is not on Moodle's list, naming the nearest one that is."""
    if canonical(grade) is not None:
        return None
    nearest = min(ALLOWED, key=lambda g: abs(g - grade))
    return (f"grade {grade:g} is not one Moodle accepts; the nearest allowed grade is "
            f"{fraction_text(nearest)}")
