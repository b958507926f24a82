"""``sim check-phh``: replay PHH hands through the engine with every invariant on.

Each no-limit hold'em hand is a script for the hand driver (``sim.driver``): dealt as the
file gives it (button, stacks, cards), then its actions dispatched one by one through the
checked pipeline, each step read off the table as it stands ("cc" is a check or a call).
A hand is then
- accepted: every action was legal, every invariant held, and the outcome the file records
  (``finishing_stacks``, ``winnings``) agrees, up to rake: chips the site kept, taken only
  from what the engine paid the players it paid (the rake's total is reported);
- skipped: the engine cannot express it (another variant, straddles, uneven antes, ...);
- rejected: the engine refused an action the site accepted (file, hand, step, sentence);
- mismatched: the outcome differs beyond rake, or the file ends while the engine waits;
- failed: an invariant broke (an engine fault).

A hand whose recorded outcome no hand could have (a finishing stack below zero, or chips
missing beyond everything the pot paid out) is bad input, not rake: NotPhh, exit 2.

    >>> report = check_paths([Path("tests/outside/data/spec-dwan-ivey-2009.phh")])
    >>> report.counts(), report.exit_code()
    ({'accepted': 1, 'skipped': 0, 'rejected': 0, 'mismatched': 0, 'failed': 0}, 0)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sim import exits
from sim.driver.drive import drive
from sim.driver.script import Opening, Script
from sim.engine import actions as ac
from sim.engine.events import BetReturned, PotAwarded
from sim.invariants.pipeline import CheckedTable
from sim.outside.phh import NotPhh, find_files, read_path
from sim.outside.plan import Plan, Skip, Step, make_plan
from sim.reports.tables import plural


@dataclass(frozen=True, slots=True)
class Finding:
    """A hand that was not accepted: ``kind`` is rejected, mismatched or failed; ``step``
    the 1-based index of the action in the file (0 when it concerns the whole hand)."""

    kind: str
    where: str
    step: int
    message: str


@dataclass(slots=True)
class Report:
    """What ``check_paths`` found, hand by hand."""

    accepted: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    findings: list[Finding] = field(default_factory=list)
    scaled: Counter[int] = field(default_factory=Counter)  # hands by scale factor (> 1)
    unchecked: int = 0  # accepted hands whose outcome could not be compared
    rake: int = 0  # accepted hands whose outcome matched only once rake was accounted for
    raked: Decimal = Decimal(0)  # the rake of those hands, in the files' own units
    files: int = 0

    def counts(self) -> dict[str, int]:
        kinds = Counter(f.kind for f in self.findings)
        return {"accepted": self.accepted, "skipped": sum(self.skipped.values()),
                "rejected": kinds["rejected"], "mismatched": kinds["mismatched"],
                "failed": kinds["failed"]}

    def exit_code(self) -> int:
        """0 when nothing was rejected, mismatched or failed; 1 otherwise."""
        return exits.FAILED if self.findings else exits.CLEAN

    def lines(self) -> list[str]:
        """The human summary, one fact a line."""
        c = self.counts()
        hands = c['accepted'] + c['skipped'] + len(self.findings)
        out = [f"{plural(self.files, 'file')}, {plural(hands, 'hand')}: "
               f"{c['accepted']} accepted, {c['skipped']} skipped, {c['rejected']} rejected, "
               f"{c['mismatched']} mismatched, {c['failed']} failed"]
        for scale, hands in sorted(self.scaled.items()):
            out.append(f"  amounts scaled by {scale} to whole chips in {plural(hands, 'hand')}")
        if self.rake:
            out.append(f"  accepted, paid out less than the pot (rake, or a chip the source "
                       f"dropped): {self.rake}, {self.raked.normalize():f} in all in the "
                       "files' own units")
        if self.unchecked:
            out.append(f"  accepted with no outcome to compare (none recorded, or a showdown "
                       f"with unknown cards): {self.unchecked}")
        for reason, hands in self.skipped.most_common():
            out.append(f"  skipped {hands}: {reason}")
        for finding in self.findings:
            at = f" action {finding.step}" if finding.step else ""
            out.append(f"{finding.kind}: {finding.where}{at}: {finding.message}")
        return out


def check_paths(paths: Iterable[Path]) -> Report:
    """Check every hand of the PHH files under ``paths``; raises NotPhh on a file that is
    not PHH."""
    report = Report()
    for path in find_files(list(paths)):
        report.files += 1
        for hand in read_path(path):
            plan = make_plan(hand)
            if isinstance(plan, Skip):
                report.skipped[plan.reason] += 1
                continue
            if plan.scale > 1:
                report.scaled[plan.scale] += 1
            _count(report, plan, replay(plan))
    return report


@dataclass(frozen=True, slots=True)
class Replayed:
    """The engine's side of one hand: a finding, or the final stacks and chips won."""

    finding: Finding | None
    final: dict[int, int]
    won: dict[int, int]
    returned: dict[int, int]  # uncalled chips given back, by seat
    contested: frozenset[int]  # seats still in the hand at its end, with another one


def replay(plan: Plan) -> Replayed:
    """Deal ``plan``'s hand and play its actions through the hand driver, every invariant
    on; the first action the engine refuses stops it (``rejected``)."""
    script = Script(Opening(plan.config, 0, plan.players, {1: plan.setup},
                            stop_at_hand_end=True), plan.steps)
    driven = drive(script, keep=1, resolve=_action)
    if driven.finding is not None:
        return _found("failed", plan, None, str(driven.finding))
    if driven.stopped is not None:
        return _found("rejected", plan, plan.steps[driven.stopped.index - 1],
                      driven.stopped.reason)
    table = driven.table
    record = table.log.last_hand
    if record is None or record.final is None:
        waiting = table.state.to_act
        return _found("mismatched", plan, None, f"the file's actions end but the engine waits "
                                                f"for seat {waiting} to act.")
    won: dict[int, int] = {}
    returned: dict[int, int] = {}
    for event in record.events:
        if type(event) is PotAwarded:
            for seat, chips in event.shares:
                won[seat] = won.get(seat, 0) + chips
        elif type(event) is BetReturned:
            returned[event.seat] = returned.get(event.seat, 0) + event.amount
    final = record.final
    live = [s for s in final.order if not final.folded[s]]
    return Replayed(None, {s: final.stack[s] for s in plan.players}, won, returned,
                    frozenset(live) if len(live) > 1 else frozenset())


def _action(table: CheckedTable, step: Any) -> ac.Action | None:
    """The action ``step`` is at ``table`` now (None for a show or muck: the engine shows
    and mucks by the rules, and the cards were read already)."""
    assert isinstance(step, Step)
    seat = step.seat
    if step.verb == "sm":
        return None
    if step.verb == "f":
        return ac.Fold(seat)
    controller = table.controller
    if step.verb == "cc":
        legal = controller.legal_actions()
        return ac.Check(seat) if legal is not None and legal.can_check else ac.Call(seat)
    assert step.verb == "cbr"
    if controller.state.current_bet == 0:
        return ac.Bet(seat, step.amount)
    return ac.RaiseTo(seat, step.amount)


def _found(kind: str, plan: Plan, step: Step | None, message: str) -> Replayed:
    return Replayed(Finding(kind, plan.where, step.index + 1 if step else 0, message), {}, {},
                    {}, frozenset())


def _count(report: Report, plan: Plan, replayed: Replayed) -> None:
    if replayed.finding is not None:
        report.findings.append(replayed.finding)
        return
    if plan.filled & replayed.contested or (plan.finishing is None and plan.winnings is None):
        report.accepted += 1
        report.unchecked += 1
        return
    problem, raked = outcome_difference(plan, replayed)
    if problem:
        report.findings.append(Finding("mismatched", plan.where, 0, problem))
        return
    report.accepted += 1
    if raked:
        report.rake += 1
        report.raked += Decimal(raked) / plan.scale


def outcome_difference(plan: Plan, replayed: Replayed) -> tuple[str, int]:
    """('', rake) when the file's outcome agrees with the engine's up to ``rake`` chips;
    else a sentence saying what differs. Rake is what the engine paid a seat beyond what
    the file records for it: only seats the engine paid may show it, with a ``rake``
    field it must add up to that, and it can only come out of what the pot paid. Sites
    differ on whether winnings count the uncalled chips a seat got back (a big blind
    everyone folded to "wins" its own blind): they may. An outcome no hand could have
    raises NotPhh (see the module docstring)."""
    _possible(plan, replayed)
    won = replayed.won
    start = {seat: stack for seat, (_, stack) in plan.players.items()}
    kept: dict[int, int] = {}  # by seat: what the engine paid beyond the file
    if plan.winnings is not None:
        for seat, chips in plan.winnings.items():
            paid = won.get(seat, 0)
            if paid < chips <= paid + replayed.returned.get(seat, 0):
                chips = paid  # the file counts returned chips as won
            kept[seat] = paid - chips
    if plan.finishing is not None:
        for seat, chips in plan.finishing.items():
            difference = replayed.final[seat] - chips
            if plan.winnings is not None and difference != kept[seat]:
                return (f"seat {seat} finishes with {replayed.final[seat]} in the engine and "
                        f"{chips} in the file, which its winnings do not explain "
                        f"(start {start[seat]}, scale {plan.scale}).", 0)
            kept[seat] = difference
    shortfall, paid = sum(c for c in kept.values() if c > 0), sum(won.values())
    if shortfall > paid:
        raise NotPhh(f"{plan.where}: the file's outcome is {shortfall} chips short of the "
                     f"engine's, more than the {paid} chips the pot paid out (scale "
                     f"{plan.scale}): no rake explains that.")
    for seat, chips in kept.items():
        if not 0 <= chips <= won.get(seat, 0):  # rake only out of what the seat was paid
            engine = replayed.final[seat], won.get(seat, 0)
            return (f"seat {seat} ends with {engine[0]} and wins {engine[1]} in the engine, "
                    f"{chips:+} against the file (engine final stacks "
                    f"{_show(replayed.final)}, won {_show(won)}; scale {plan.scale}).", 0)
    total = sum(kept.values())
    if plan.rake is not None and total != plan.rake:
        return (f"the engine paid out {total} more than the file, but the file's rake is "
                f"{plan.rake} (scale {plan.scale}).", 0)
    return "", total


def _possible(plan: Plan, replayed: Replayed) -> None:
    """Refuse a recorded outcome no hand could have (NotPhh: bad input)."""
    for seat, chips in (plan.finishing or {}).items():
        if chips < 0:
            raise NotPhh(f"{plan.where}: seat {seat} finishes with {chips} chips (scale "
                         f"{plan.scale}); a stack is never below zero.")


def _show(by_seat: dict[int, int]) -> str:
    return "{" + ", ".join(f"{s}: {c}" for s, c in sorted(by_seat.items())) + "}"


def report_for(paths: Iterable[Path]) -> tuple[Report | None, str]:
    """``check_paths`` for the CLI: the report, or None and a one-line message (a file that
    is not PHH, or paths that hold no hand: nothing checked is not a pass)."""
    given = list(paths)
    try:
        report = check_paths(given)
    except NotPhh as error:
        return None, str(error)
    named = ", ".join(map(str, given))
    if not report.files:
        return None, (f"{named}: no PHH file (.phh or .phhs) there; give PHH files, or "
                      "folders that hold some.")
    if not sum(report.counts().values()):
        return None, f"{named}: no hand in the PHH files given; there is nothing to check."
    return report, ""
