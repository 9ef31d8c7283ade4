"""The build's progress bar: on a terminal after a second, never in CI or into a pipe."""

from __future__ import annotations

import io

import pytest

from coursepack import progress
from coursepack.progress import Progress, wanted


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_on_a_terminal_counts_tasks_and_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(progress, "DELAY", 0.0)
    screen = Terminal()
    bar = Progress(screen)
    for n in range(1, 5):
        bar.file(f"f{n}", 0)
    bar.task(4, 4)
    bar.close()
    assert screen.getvalue() == ("\r[" + "#" * 30 + "] 4/4 tasks, 4 files written\r\x1b[K")


def test_nothing_before_the_first_second(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    bar = Progress(screen, enabled=True)
    bar.task(1, 2)
    bar.close()
    assert screen.getvalue() == ""


@pytest.mark.parametrize(("env", "tty", "shown"), [
    ({}, True, True), ({"CI": "true"}, True, False), ({"TERM": "dumb"}, True, False),
    ({}, False, False)])
def test_only_on_a_terminal_and_never_in_ci(monkeypatch: pytest.MonkeyPatch,
                                            env: dict[str, str], tty: bool, shown: bool) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert wanted(Terminal() if tty else io.StringIO()) is shown
