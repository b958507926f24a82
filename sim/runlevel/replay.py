"""Replaying a failed run-level check: deal every counted hand again from its table's seed,
through the engine's dealer (``dealer.hand_seed``, ``dealer.deck_for``), and run the
checks again on those decks. A planted shuffle or seed bug deals the same decks again, so
the finding comes back; a fixed one deals other decks, and the check passes.

    rechecked = recheck(load(path))               # a RunCheckDump (sim.runlevel.dump)
    verdict = judge(rechecked)
    verdict.lines(), verdict.exit_code

The verdicts are the replayer's (``sim.failures.verdict``): reproduced (the recorded check
fails again: its signature), different failure (other checks fail, not it: exit 5), clean
(every check passes: exit 0). Dealing again costs what dealing cost: about 5 microseconds
a hand compiled, 20 in the plain Python of a planted copy.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.failures.signature import same_bug
from sim.failures.verdict import Verdict
from sim.runlevel.checks import Evaluation, evaluate
from sim.runlevel.decks import dealt_run
from sim.runlevel.dump import RunCheckDump


@dataclass(frozen=True, slots=True)
class Rechecked:
    """The checks run again on the dump's hands dealt again, and their decks' digest."""

    dump: RunCheckDump
    evaluation: Evaluation
    digest: int

    @property
    def same_decks(self) -> bool:
        return self.digest == self.dump.digest


def recheck(dump: RunCheckDump) -> Rechecked:
    """Deal the dump's tables' hands again and evaluate the checks, at the dump's alpha."""
    decks = dealt_run(dump.tables)
    return Rechecked(dump, evaluate(decks, float(dump.test["alpha"])), decks.digest)


@dataclass(frozen=True, slots=True)
class Judged:
    """A recheck's verdict."""

    verdict: Verdict
    rechecked: Rechecked

    @property
    def exit_code(self) -> int:
        if self.verdict.code is not None:
            return self.verdict.code
        return self.rechecked.dump.finding.kind.exit_code

    def lines(self) -> list[str]:
        """What ``sim replay`` prints: where the decks came from, every check that failed
        again, and one last line that starts with the verdict in capitals."""
        rechecked, dump = self.rechecked, self.rechecked.dump
        evaluation = rechecked.evaluation
        decks = ("the same decks the run dealt" if rechecked.same_decks else
                 f"NOT the decks the run dealt (digest {rechecked.digest:#018x}, recorded "
                 f"{dump.digest:#018x}): the dealer's seeds or shuffle are not the run's")
        lines = [f"dealt again: {dump.hands:,} hands on {len(dump.tables):,} tables, "
                 f"{decks}", evaluation.line()]
        failed = evaluation.failed()
        head = self.verdict.word.upper()
        if self.verdict is Verdict.CLEAN:
            return [*lines, f"recorded: {dump.finding}",
                    f"{head}: every run-level check passes on these decks"]
        mine = [f for f in failed if same_bug(dump.finding, f.finding)]
        others = [f for f in failed if f not in mine]
        lines += [f"also failed: {f.finding}" for f in others if mine]
        if mine:
            return [*lines, f"{head}: {mine[0].finding}"]
        return [*lines, f"recorded: {dump.finding}",
                *[f"{head}: {f.finding}" for f in others]]


def judge(rechecked: Rechecked) -> Judged:
    """The verdict of a recheck against the finding its dump recorded."""
    failed = rechecked.evaluation.failed()
    if any(same_bug(rechecked.dump.finding, f.finding) for f in failed):
        return Judged(Verdict.REPRODUCED, rechecked)
    return Judged(Verdict.DIFFERENT if failed else Verdict.CLEAN, rechecked)
