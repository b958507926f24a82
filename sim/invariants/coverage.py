"""Coverage points: named rule edges ("sometimes" checks) counted per run.

An invariant must hold always; a coverage point must happen sometimes. A run that never
reaches a point never tested that rule, so the run's report lists the missing ones.

    >>> coverage = Coverage()              # coverage.observe(ctx) after every dispatch
    >>> coverage.hit("chaos_rejected")     # the runner counts rejected chaos actions itself
    >>> coverage.counts["chaos_rejected"], coverage.missing()[:2]
    (1, ['three_way_side_pot', 'odd_chip_split'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from sim.engine.events import (
    AntePosted,
    BetMade,
    BetReturned,
    BetsCollected,
    BlindPosted,
    BoardDealt,
    Called,
    CardsMucked,
    CardsShown,
    Checked,
    Folded,
    HandEnded,
    HandStarted,
    PlayerSeated,
    PotAwarded,
    RaisedTo,
    RebuyApplied,
    RequestQueued,
    SatIn,
    TimedOut,
)
from sim.engine.log import HandRecord
from sim.engine.state import NOT_ACTED, WAITING, TableState
from sim.invariants import oracle
from sim.invariants.base import CheckContext, kinds, mask

COVERAGE_POINTS: Final[dict[str, str]] = {
    "three_way_side_pot": "Bets were collected into three or more pots (a main pot and at "
                          "least two side pots: all-ins at two levels below the top bet).",
    "odd_chip_split": "A split pot did not divide evenly, so odd chips went out one at a time "
                      "from the first winner left of the button.",
    "short_all_in_no_reopen": "A player who had acted faced a short all-in raise and, with "
                              "chips to raise, could only call or fold.",
    "short_all_ins_reopen": "Two or more short all-ins since a player acted added up to a "
                            "full raise and reopened the betting for them.",
    "short_big_blind": "The big blind was posted all-in for less than a full big blind.",
    "heads_up_hand": "A hand was dealt to exactly two players (the button posts the small "
                     "blind).",
    "run_out": "Betting ended with at most one player holding chips, the hands were tabled "
               "and the rest of the board was dealt out.",
    "uncalled_bet_returned": "The uncalled part of a bet went back to the bettor.",
    "split_pot": "A pot was split between tied winners.",
    "timeout": "A player timed out on their turn.",
    "waiting_for_big_blind": "A player who joined or came back while a game ran waited, and "
                             "was dealt in when the big blind reached them.",
    "posted_to_come_in": "A waiting player posted a live big blind to come in.",
    "chaos_rejected": "The engine rejected a malformed or illegal action (counted by the "
                      "runner with Coverage.chaos_rejected).",
    "player_left_mid_hand": "A player left during a hand.",
    "rebuy": "A rebuy added chips to a stack.",
    "showdown_muck": "A player mucked a losing hand at showdown.",
    "everyone_folded": "All but one player folded; the last one took the pot unshown.",
    "ante_all_in": "A player was all-in from posting the ante.",
}

# Event types that make observe look closer; a dispatch with none of them costs one mask test.
_INTERESTING: Final = mask(BetsCollected, PotAwarded, BlindPosted, HandStarted, CardsShown,
                           BetReturned, TimedOut, RequestQueued, Folded, RebuyApplied,
                           CardsMucked, HandEnded, AntePosted)


class Coverage:
    """Counts of coverage points for one table or a whole run (``merge`` adds them up)."""

    def __init__(self, counts: Mapping[str, int] | None = None) -> None:
        self.counts: dict[str, int] = dict.fromkeys(COVERAGE_POINTS, 0)
        if counts:
            self.merge(counts)

    def hit(self, name: str, times: int = 1) -> None:
        if name not in self.counts:
            raise ValueError(f"Unknown coverage point {name!r}; known points are "
                             f"{', '.join(COVERAGE_POINTS)}.")
        self.counts[name] += times

    def chaos_rejected(self) -> None:
        """The runner's hook: an illegal action was rejected with nothing changed."""
        self.counts["chaos_rejected"] += 1

    def merge(self, other: Coverage | Mapping[str, int]) -> None:
        counts = other.counts if isinstance(other, Coverage) else other
        for name, count in counts.items():
            self.hit(name, count)

    def missing(self) -> list[str]:
        """The points never reached, in COVERAGE_POINTS order."""
        return [name for name, count in self.counts.items() if not count]

    def reached(self) -> list[str]:
        return [name for name, count in self.counts.items() if count]

    def observe(self, ctx: CheckContext) -> None:
        """Count the points this dispatch reached (cheap: most dispatches do one mask test)."""
        found = kinds(ctx)
        if found & _INTERESTING:
            self._events(ctx)
        state = ctx.state
        if state.to_act is not None and state.acted_level[state.to_act] != NOT_ACTED:
            self._facing_raise(ctx, state, state.to_act)

    # -- points read from the events -----------------------------------------------------
    def _events(self, ctx: CheckContext) -> None:
        counts = self.counts
        config = ctx.state.config
        shown_in_hand = showing = False
        waiting = {s for s, status in enumerate(ctx.before.status) if status == WAITING}
        for event in ctx.events:
            if type(event) is BetsCollected:
                if len(event.pots) >= 3:
                    counts["three_way_side_pot"] += 1
            elif type(event) is PotAwarded:
                winners = len(event.shares)
                if winners > 1:
                    counts["split_pot"] += 1
                    if event.amount % winners:
                        counts["odd_chip_split"] += 1
            elif type(event) is BlindPosted:
                if event.kind == "live":
                    counts["posted_to_come_in"] += 1
                elif event.kind == "big" and event.amount < config.big_blind:
                    counts["short_big_blind"] += 1
            elif type(event) is HandStarted:
                shown_in_hand = False
                if len(event.dealt) == 2:
                    counts["heads_up_hand"] += 1
                # Waited for the big blind while a game ran (two or more sitting in).
                if (event.big_blind_seat in waiting
                        and sum(1 for x in event.dealt if x not in waiting) >= 2):
                    counts["waiting_for_big_blind"] += 1
                waiting.clear()
            elif type(event) is PlayerSeated or type(event) is SatIn:
                if event.waiting:
                    waiting.add(event.seat)
            elif type(event) is CardsShown:
                shown_in_hand = showing = True
            elif type(event) is BoardDealt:
                if showing:
                    counts["run_out"] += 1
                    showing = False  # one run-out, however many streets it deals
            elif type(event) is CardsMucked:
                shown_in_hand = True
                counts["showdown_muck"] += 1
            elif type(event) is HandEnded:
                if not shown_in_hand:
                    counts["everyone_folded"] += 1
                shown_in_hand = showing = False
            elif type(event) is BetReturned:
                counts["uncalled_bet_returned"] += 1
            elif type(event) is TimedOut:
                counts["timeout"] += 1
            elif type(event) is RequestQueued:
                if event.request == "leave":
                    counts["player_left_mid_hand"] += 1
            elif type(event) is RebuyApplied:
                if event.added > 0:
                    counts["rebuy"] += 1
            elif type(event) is AntePosted:
                if event.amount < config.ante or _stack_at_start(ctx, event.seat) <= event.amount:
                    counts["ante_all_in"] += 1

    # -- points read from the state --------------------------------------------------------
    def _facing_raise(self, ctx: CheckContext, s: TableState, seat: int) -> None:
        acted = s.acted_level[seat]
        raised = s.current_bet - acted
        if raised <= 0 or s.stack[seat] + s.bet[seat] <= s.current_bet:
            return  # nothing new to face, or no chips to raise with anyway
        if not oracle.others_with_chips(seat, s.order, s.folded, s.stack):
            return  # no raise against all-ins, whatever the raises were
        if raised < s.min_raise:
            self.counts["short_all_in_no_reopen"] += 1
        elif _short_wagers_since(ctx.log.current, seat) >= 2:
            self.counts["short_all_ins_reopen"] += 1


def _stack_at_start(ctx: CheckContext, seat: int) -> int:
    """The seat's stack when the current hand started (from the hand log's snapshot)."""
    record = ctx.log.current
    if record is None or record.hand_no != ctx.state.hand_no:
        return 1 << 62
    return record.snapshot.stack[seat]


def _short_wagers_since(record: HandRecord | None, seat: int) -> int:
    """Short all-in wagers this street since ``seat`` last acted; -1 if a full one came."""
    if record is None:
        return 0
    shorts = 0
    for _, events in reversed(record.steps):
        for event in reversed(events):
            if type(event) is BoardDealt:
                return shorts
            if type(event) is RaisedTo or type(event) is BetMade:
                if event.seat == seat:
                    return shorts
                if event.full:
                    return -1
                shorts += 1
            elif (type(event) is Checked or type(event) is Called) and event.seat == seat:
                return shorts
    return shorts


def total(coverages: Iterable[Coverage]) -> Coverage:
    """The sum of several tables' coverage."""
    out = Coverage()
    for coverage in coverages:
        out.merge(coverage)
    return out
