"""Exit codes: what every command's exit status means, in one table.

A CI job acts on these, so each code means one thing. ``--help`` of ``sim run``, ``sim
fuzz`` and ``sim replay`` and the README's table are all made from ``TABLE`` (a test holds
the README to it); ``sim.finding`` maps each kind of finding to its code.

>>> CODES[LIVENESS]
'liveness: a hand or a table did not end'
>>> worst({FAILED, LIVENESS})
4
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Final

CLEAN: Final = 0
FAILED: Final = 1
USAGE: Final = 2
CRASHED: Final = 3
LIVENESS: Final = 4
DIFFERENT: Final = 5
INTERRUPTED: Final = 130

TABLE: Final[tuple[tuple[int, str], ...]] = (
    (CLEAN, "clean: every invariant held (`sim replay`: the hand replays clean, or stops "
            "early at a logged action the rules forbid: the bug is fixed)"),
    (FAILED, "an invariant failed, the engine refused a legal action, or a run-level "
             "statistical check failed (the shuffle or the tables' decks)"),
    (USAGE, "usage error or bad input: a bad option, a file that is not what the command "
            "takes, a damaged failure dump"),
    (CRASHED, "the engine or the harness raised an exception, a worker process died, or a "
              "plug-in bot crashed or sent an illegal action (`bot_fault`)"),
    (LIVENESS, "liveness: a hand or a table did not end"),
    (DIFFERENT, "`sim replay` only: the hand fails, but not as recorded (a different "
                "failure)"),
    (INTERRUPTED, "interrupted by Ctrl-C, with no failure so far"),
)
CODES: Final[dict[int, str]] = dict(TABLE)
# When a run finds several kinds of failure, the most severe decides its exit code.
SEVERITY: Final = (CRASHED, LIVENESS, FAILED)


def worst(codes: Iterable[int], interrupted: bool = False) -> int:
    """The exit code of a run whose failures had ``codes``: the most severe, else 130
    when it was interrupted, else 0."""
    found = set(codes)
    for code in SEVERITY:
        if code in found:
            return code
    return INTERRUPTED if interrupted else CLEAN


def help_text(codes: Iterable[int]) -> str:
    """The lines of ``TABLE`` for ``codes``, as a click help paragraph (click keeps it as
    written: ``\\b``)."""
    lines = ["\b", "Exit status (several kinds of failure: the most severe of "
             f"{', '.join(map(str, SEVERITY))} decides):"]
    for code in codes:
        lines += hanging(f"{code:<4} ", _plain(CODES[code]))
    return "\n".join(lines)


def hanging(head: str, text: str, width: int = 78) -> list[str]:
    """``text`` after ``head``, wrapped to ``width`` with the lines after the first indented
    to line up under the text: one entry of a help table."""
    return textwrap.wrap(text, width, initial_indent="  " + head,
                         subsequent_indent=" " * (2 + len(head)))


def markdown() -> str:
    """``TABLE`` as the README's Markdown table."""
    rows = ["| code | meaning |", "|---|---|"]
    rows += [f"| {code} | {meaning} |" for code, meaning in TABLE]
    return "\n".join(rows) + "\n"


def _plain(text: str) -> str:
    return text.replace("`", "")
