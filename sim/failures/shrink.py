"""Shrinking: the smallest hand that still fails the same way.

Starting from a dump, ``shrink`` deals the failing hand again at a fresh table (the same
settings, the players dealt in with their stacks, the same button and deck, through
``HandSetup``) and plays its actions through the hand driver, with the dump's checks and
faults; then it tries smaller versions, keeping one only if it still fails with the same
signature:

- fewer players (a seat and its actions left out);
- fewer actions (chunks of the list left out, halves first, then smaller);
- simpler actions (a bet or raise replaced by a call or check, a call by a check or fold);
- smaller stacks (halved, all at once, then one by one), no ante.

An action that is not legal where it now falls is skipped (``Refused.SKIP``: left out of
the result), so a candidate is always a legal hand. The search is greedy and bounded in
time; its result is an ordinary dump, with the dump's faults, that ``sim replay``
reproduces (``verdict`` says so, in the replayer's words).

    result = shrink(load(path), seconds=30)
    result.dump.write(folder), result.before, result.after, result.verdict.word
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Final

from sim.driver.drive import Refused, drive
from sim.driver.script import Opening, Script
from sim.engine import actions as ac
from sim.engine.handsetup import HandSetup
from sim.engine.state import TableConfig
from sim.failures.dump import Dump, assemble
from sim.failures.replay import replay
from sim.failures.signature import same_bug
from sim.failures.verdict import Judged, judge_replay
from sim.finding import Finding
from sim.hooks.faults import Fault, parse, replayed_hooks
from sim.invariants.pipeline import CheckedTable
from sim.planted.copy import require


@dataclass(frozen=True, slots=True)
class Hand:
    """A candidate: a table's settings, its players, how the hand is dealt, the actions."""

    config: TableConfig
    players: dict[int, tuple[str, int]]  # seat -> (name, stack)
    button: int
    deck: tuple[int, ...]
    actions: tuple[Any, ...]

    @property
    def size(self) -> tuple[int, int, int, int]:
        """What shrinking makes smaller, most important first: players, actions, how
        aggressive the actions are, chips."""
        return (len(self.players), len(self.actions),
                sum(_WEIGHTS.get(type(action), 1) for action in self.actions),
                sum(stack for _, stack in self.players.values()))


# The longest a candidate's hand may take: a hand is a millisecond's work, so a candidate
# still going after this has hung (the search's time is better spent on the next one).
CANDIDATE_HAND_S: Final = 1.0
# Simpler actions weigh less: a hand of checks and folds is the easiest to read.
_WEIGHTS: dict[type, int] = {ac.Bet: 3, ac.RaiseTo: 3, ac.Call: 2}


@dataclass(frozen=True, slots=True)
class Size:
    players: int
    actions: int

    def __str__(self) -> str:
        return f"{self.players}p/{self.actions}a"


@dataclass(slots=True)
class Shrunk:
    """The smallest dump found, the sizes before and after, how the search went, and the
    verdict of replaying the shrunk dump (``reproduced``, unless something is amiss)."""

    dump: Dump
    before: Size
    after: Size
    tries: int
    seconds: float
    verdict: Judged


class _Judge:
    """Plays candidates and says whether they fail with the target signature."""

    def __init__(self, original: Dump, deadline: float) -> None:
        self.case = original.case
        self.target = original.finding
        self.deadline = deadline
        self.tries = 0
        self.best: tuple[Hand, CheckedTable, Finding] | None = None
        # The case's faults, with a hand watchdog of at most CANDIDATE_HAND_S: a candidate
        # that hangs must not spend the search's time (a liveness finding's signature does
        # not depend on the limit, so a hang still shrinks as one).
        faults = [spec for spec in self.case.faults if parse(spec).name != "hand_timeout"]
        limits = [parse(spec).value for spec in self.case.faults
                  if parse(spec).name == "hand_timeout"]
        limit = min([*limits, CANDIDATE_HAND_S])
        self.faults = (*faults, Fault("hand_timeout", limit).spec())

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def fails(self, hand: Hand) -> bool:
        """Does ``hand`` fail the same way? The first that does (or a smaller one) is
        kept as the best so far."""
        self.tries += 1
        table, finding = self._play(hand)
        if finding is None or not same_bug(self.target, finding):
            return False
        played = replace(hand, actions=tuple(table.tail))
        if self.best is None or played.size <= self.best[0].size:
            self.best = (played, table, finding)
        return True

    def _play(self, hand: Hand) -> tuple[CheckedTable, Finding | None]:
        case = self.case
        script = Script(Opening(hand.config, case.table_seed, hand.players,
                                setups={1: HandSetup(hand.button, hand.deck)}), hand.actions)
        driven = drive(script, checks=case.invariants, hooks=replayed_hooks(self.faults),
                       refused=Refused.SKIP, table_id=case.table_id, keep=2)
        return driven.table, driven.finding


def shrink(original: Dump, seconds: float = 30.0) -> Shrunk | None:
    """The smallest hand found within ``seconds`` that fails with ``original``'s
    signature; None when the hand dealt again at a fresh table does not fail so (a
    failure that needs the table's history before the hand, say)."""
    require(original.case.planted)  # candidates run on the engine with the case's bugs
    started = time.monotonic()
    judge = _Judge(original, started + seconds)
    start = _first_hand(original)
    if start is None or not judge.fails(start):
        return None
    assert judge.best is not None
    before = Size(len(start.players), len(original.case.actions))
    for step in (_fewer_players, _fewer_actions, _simpler_actions, _smaller_stacks):
        _greedy(judge, step)
        if judge.expired():
            break
    _greedy(judge, _fewer_actions)  # what the other steps made removable
    hand, table, finding = judge.best
    case = original.case
    dump = assemble(table, finding, case.run_seed, case.table_id, case.table_seed,
                    case.invariants, {s: k for s, k in case.bots.items() if s in hand.players},
                    case.faults)
    after = Size(len(hand.players), len(dump.case.actions))
    verdict = judge_replay(finding, replay(dump.case))
    return Shrunk(dump, before, after, judge.tries, time.monotonic() - started, verdict)


def _first_hand(original: Dump) -> Hand | None:
    record = original.case.record
    if record is None:
        return None
    start = record.snapshot
    players = {seat: (start.player[seat] or f"p{seat}", start.stack[seat])
               for seat in start.order}
    if len(players) < 2 or start.button is None:
        return None
    # Stacks won or lost since the table opened may lie outside its buy-ins: let them sit.
    most = max(stack for _, stack in players.values())
    config = _config(start.config, min_buy_in=1,
                     max_buy_in=max(start.config.max_buy_in, most))
    return Hand(config, players, start.button, tuple(start.deck), tuple(original.case.actions))


def _greedy(judge: _Judge, step: Callable[[Hand], Iterator[Hand]]) -> None:
    """Take the first smaller candidate that still fails, again and again, until none
    does or time is up."""
    improved = True
    while improved and not judge.expired():
        improved = False
        assert judge.best is not None
        current = judge.best[0]
        for candidate in step(current):
            if judge.expired():
                return
            if candidate.size < current.size and judge.fails(candidate):
                improved = True
                break


def _fewer_players(hand: Hand) -> Iterator[Hand]:
    if len(hand.players) <= 2:
        return
    for seat in sorted(hand.players):
        players = {s: p for s, p in hand.players.items() if s != seat}
        actions = tuple(a for a in hand.actions if getattr(a, "seat", None) != seat)
        button = hand.button if hand.button in players else min(players)
        yield replace(hand, players=players, actions=actions, button=button)


def _fewer_actions(hand: Hand) -> Iterator[Hand]:
    actions = hand.actions
    chunk = len(actions) // 2
    while chunk >= 1:
        for start in range(0, len(actions), chunk):
            yield replace(hand, actions=actions[:start] + actions[start + chunk:])
        chunk //= 2


def _simpler_actions(hand: Hand) -> Iterator[Hand]:
    for index, action in enumerate(hand.actions):
        for simpler in _simpler(action):
            actions = hand.actions[:index] + (simpler,) + hand.actions[index + 1:]
            yield replace(hand, actions=actions)


def _simpler(action: Any) -> list[Any]:
    seat = getattr(action, "seat", None)
    if seat is None:
        return []
    if isinstance(action, (ac.Bet, ac.RaiseTo)):
        return [ac.Call(seat), ac.Check(seat)]
    if isinstance(action, ac.Call):
        return [ac.Check(seat), ac.Fold(seat)]
    return []


def _smaller_stacks(hand: Hand) -> Iterator[Hand]:
    if hand.config.ante:
        yield replace(hand, config=_config(hand.config, ante=0))
    halved = {s: (name, max(1, stack // 2)) for s, (name, stack) in hand.players.items()}
    yield replace(hand, players=halved)
    for seat, (name, stack) in sorted(hand.players.items()):
        if stack > 1:
            yield replace(hand, players={**hand.players, seat: (name, stack // 2)})


def _config(config: TableConfig, **changes: int) -> TableConfig:
    values = {**config.to_dict(), **changes}
    return TableConfig(**values)
