"""Verdicts: what a replay says about the finding it was recorded with, in one word.

A CI job acts on them, so a verdict never rounds up to good news: a replay that stopped
early is not "clean", and a different failure is not "reproduced". Each verdict has one
exit code (``sim.exits``); ``sim replay --help`` and the README show this table.

- reproduced: the recorded finding again, with the same signature; exit with the
  finding's own code (1 invariant, 3 exception, 4 liveness).
- different failure: a finding with another signature; exit 5.
- failed: a finding, where none was recorded (a stored hand); the finding's own code.
- clean: every logged action replayed and nothing failed; exit 0.
- stopped early: the engine refused a logged action the rules forbid (junk that the
  engine which recorded it accepted: what a fixed bug looks like); exit 0.
- malformed: the engine refused a logged action no table could log (an amount or seat
  out of every range, a wrong type): the log is damaged, bad input; exit 2.

A refused action at the very dispatch the recorded finding broke at is the one that
failed: the bug accepted it, and a fixed engine refusing it is "stopped early" whatever
its shape (a chaos bot's junk may be malformed on purpose). Any earlier action was
accepted by the table that logged it, and passed its checks: when those included
``action_legal`` (the independent judge of every accepted action), one the rules forbid
cannot be in an honest log, so it is damage too ("malformed"); without that check it is
junk the engine of the day let through ("stopped early").

    verdict = judge_replay(dump.finding, replay(dump.case))
    verdict.word, verdict.exit_code, verdict.lines()
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim import exits
from sim.engine.actions import malformed
from sim.failures.signature import same_bug
from sim.finding import Finding

if TYPE_CHECKING:  # the replayer imports the engine and the checks: not for --help
    from sim.failures.replay import Replay


class Verdict(enum.Enum):
    """The verdicts, each with its word, exit code (None: the finding's own) and meaning."""

    REPRODUCED = ("reproduced", None, "the recorded finding again, with the same signature")
    DIFFERENT = ("different failure", exits.DIFFERENT,
                 "a finding with another signature than the recorded one; both are shown, "
                 "each with its dispatch")
    FAILED = ("failed", None, "a finding where none was recorded (a stored hand)")
    CLEAN = ("clean", exits.CLEAN, "every logged action replayed and nothing failed")
    STOPPED = ("stopped early", exits.CLEAN,
               "the engine refused a logged action the rules forbid: junk the engine that "
               "recorded it let through. A fixed bug looks like this")
    MALFORMED = ("malformed", exits.USAGE,
                 "the engine refused a logged action no table could log (an amount or seat "
                 "out of every range, a wrong type), or one the rules forbid before the "
                 "dispatch that failed although the recording table judged every action it "
                 "accepted: the log is damaged")

    def __init__(self, word: str, code: int | None, meaning: str) -> None:
        self.word = word
        self.code = code
        self.meaning = meaning

    @property
    def exit(self) -> str:
        return "the finding's (1, 3, 4)" if self.code is None else str(self.code)


@dataclass(frozen=True, slots=True)
class Judged:
    """A replay's verdict, and what it is about."""

    verdict: Verdict
    recorded: Finding | None
    result: Replay

    @property
    def word(self) -> str:
        return self.verdict.word

    @property
    def exit_code(self) -> int:
        code = self.verdict.code
        if code is not None:
            return code
        assert self.result.finding is not None
        return self.result.finding.kind.exit_code

    def lines(self) -> list[str]:
        """What ``sim replay`` prints last: any particulars, then one line that starts with
        the verdict in capitals."""
        result, recorded = self.result, self.recorded
        head = self.word.upper()
        if result.finding is not None:
            found = result.finding
            lines = []
            if recorded is not None and (self.verdict is Verdict.DIFFERENT
                                         or recorded.dispatch != found.dispatch):
                lines.append(f"recorded at dispatch {recorded.dispatch}: {recorded}")
            return [*lines, f"{head} at dispatch {found.dispatch}: {found}"]
        if result.stopped is not None:
            stop = result.stopped
            why = f"the rules forbid it: {stop.judged}"
            if self.verdict is Verdict.MALFORMED:
                why = malformed(stop.action, result.case.config.get("seats", 10)) or \
                    f"{why}, yet the table that logged it judged every action it accepted"
            return [f"{head} at dispatch {stop.index} of {len(result.case.actions)}: "
                    f"{stop.action!r}: {why}; the engine refused it ({stop.reason}); "
                    f"{_count(result.unplayed - 1, 'logged action')} after it not replayed"]
        return [f"{head}: {len(result.case.actions) + 1} dispatches, {result.checks} "
                "invariant checks"]


def judge_replay(recorded: Finding | None, result: Replay) -> Judged:
    """The verdict of ``result``, a replay of a case recorded with ``recorded`` (None: a
    stored hand, recorded with no finding)."""
    found, stop = result.finding, result.stopped
    if found is not None:
        if recorded is None:
            return Judged(Verdict.FAILED, recorded, result)
        same = same_bug(recorded, found)
        return Judged(Verdict.REPRODUCED if same else Verdict.DIFFERENT, recorded, result)
    if stop is not None:
        case = result.case
        failing = recorded is not None and stop.index == recorded.dispatch
        judged = case.invariants is None or "action_legal" in case.invariants
        if not failing and (judged or malformed(stop.action, case.config.get("seats", 10))):
            return Judged(Verdict.MALFORMED, recorded, result)
        return Judged(Verdict.STOPPED, recorded, result)
    assert result.unplayed == 0, f"{result.unplayed} logged actions were not replayed"
    return Judged(Verdict.CLEAN, recorded, result)


def help_text() -> str:
    """The verdicts and their exit codes, for ``sim replay --help``."""
    lines = ["\b", "Verdicts (the last line printed starts with one, in capitals):"]
    for verdict in Verdict:
        lines += exits.hanging(f"{verdict.word:<18} ", f"exit {verdict.exit}: {verdict.meaning}")
    return "\n".join(lines)


def markdown() -> str:
    """The verdicts as the README's Markdown table."""
    rows = ["| verdict | exit | when |", "|---|---|---|"]
    rows += [f"| {v.word} | {v.exit} | {v.meaning} |" for v in Verdict]
    return "\n".join(rows) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
