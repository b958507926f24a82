"""Facts about one dispatch that several checks share, computed once per CheckContext.

The masks of event kinds (``base.mask``) that several checks run on or test are here:
``CLOSERS`` (a betting round may have closed), ``ENDED`` (a hand ended), and the predicate
``hand_ended``; ``ended_records(ctx)`` are the records of the hands that ended.

``walk(ctx)`` replays the dispatch's events one by one on a copy of ``ctx.before`` and
keeps the moments in between that only the events reveal: the table just before a betting
round closed, right after bets were collected, just before a hand started and while it
posted, just before pots were awarded. The committed ``ctx.state`` alone cannot show these
(one dispatch can close a round, deal a street, end a hand and start the next).

Alongside, ``Betting`` keeps its own books of the street (each seat's bet, the bet to
match, the last full raise, the level each seat last acted at), rebuilt from the events
with no help from the engine's apply. Starting from ``ctx.before``'s books and checked
against ``ctx.state``'s after every dispatch, it proves the engine's books by induction.
"""

from __future__ import annotations

from typing import Final

from sim.engine.apply import apply
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
    Event,
    Folded,
    HandEnded,
    HandStarted,
    HoleCardsDealt,
    PotAwarded,
    RaisedTo,
    TurnStarted,
)
from sim.engine.log import HandRecord
from sim.engine.state import BETTING, STARTED, TableState
from sim.invariants.base import KIND_BITS, CheckContext, kinds, mask
from sim.invariants.oracle import NOT_ACTED


class Betting:
    """The street's betting books, kept from events only. ``acted[s]`` is the bet level when
    seat s last checked, called, bet or raised this street (NOT_ACTED if it has not);
    ``last_actor`` is where the search for the next player starts (the big blind preflop,
    the button after the flop, then whoever acted last)."""

    __slots__ = ("bet", "level", "min_raise", "acted", "last_actor", "button", "big_blind")

    def __init__(self, state: TableState) -> None:
        self.bet = state.bet[:]
        self.level = state.current_bet
        self.min_raise = state.min_raise
        self.acted = state.acted_level[:]
        self.last_actor = state.last_actor
        self.button = state.button
        self.big_blind = state.config.big_blind

    def on(self, event: Event) -> None:
        # type(event) tests narrow the event, so its fields are read directly; list items
        # change as x[i] = x[i] + n (see sim.engine.apply).
        if type(event) is Called:
            seat = event.seat
            self.bet[seat] = self.bet[seat] + event.amount
            self.acted[seat] = self.level
            self.last_actor = seat
        elif type(event) is Checked:
            self.acted[event.seat] = self.level
            self.last_actor = event.seat
        elif type(event) is Folded:
            self.last_actor = event.seat
        elif type(event) is RaisedTo or type(event) is BetMade:
            self._wager(event.seat, event.total)
        elif type(event) is BlindPosted:
            self.bet[event.seat] = self.bet[event.seat] + event.amount
            # A short big blind still sets the bet to match at the full big blind.
            level = event.amount if event.kind == "small" else self.big_blind
            if level > self.level:
                self.level = level
        elif type(event) is BetReturned:
            # Uncalled chips come off the bet first; any rest (an ante or a blind no one
            # could match) comes out of the pot.
            seat = event.seat
            self.bet[seat] = self.bet[seat] - min(event.amount, self.bet[seat])
        elif type(event) is BetsCollected:
            self.bet = [0] * len(self.bet)
        elif type(event) is BoardDealt:
            self._new_street(self.button)
        elif type(event) is HandStarted:
            self.button = event.button
            self.bet = [0] * len(self.bet)
            self._new_street(event.big_blind_seat)

    def _wager(self, seat: int, total: int) -> None:
        increment = total - self.level
        if increment >= self.min_raise:  # a full bet or raise; short all-ins leave it be
            self.min_raise = increment
        if total > self.level:
            self.level = total
        self.bet[seat] = total
        self.acted[seat] = total
        self.last_actor = seat

    def _new_street(self, anchor: int | None) -> None:
        self.level = 0
        self.min_raise = self.big_blind
        self.acted = [NOT_ACTED] * len(self.acted)
        self.last_actor = anchor


# The moments below are built per dispatch, so they are plain classes, not dataclasses
# (see ``sim.engine.record``).

class RoundEnd:
    """The table just before the event that closed a betting round."""

    def __init__(self, closer: Event, street: int, live: list[int], able: list[int],
                 bet: list[int], acted: list[int], level: int, board: int,
                 stack: list[int], contrib: list[int], folded: tuple[bool, ...],
                 order: tuple[int, ...]) -> None:
        self.closer = closer
        self.street = street
        self.live = live  # dealt in and not folded
        self.able = able  # live with chips behind
        self.bet = bet  # from Betting, not the engine
        self.acted = acted
        self.level = level
        self.board = board  # cards on the board
        self.stack = stack
        self.contrib = contrib
        self.folded = folded
        self.order = order


class Collection:
    """The table right after a BetsCollected."""

    def __init__(self, event: BetsCollected, contrib: list[int], live: list[bool],
                 all_in: list[bool], pot: int) -> None:
        self.event = event
        self.contrib = contrib
        self.live = live
        self.all_in = all_in
        self.pot = pot


class Start:
    """A hand's start: the table just before HandStarted (None when the hand started before
    this dispatch), the one right after it, and the posts that followed."""

    def __init__(self, prior: TableState | None, started: HandStarted | None,
                 base: TableState) -> None:
        self.prior = prior
        self.started = started
        self.base = base
        self.posts: list[Event] = []
        self.dealt = False  # the hole cards were dealt: posting is over


class Award:
    """The table just before a hand's first PotAwarded (or its HandEnded, if none came)."""

    def __init__(self, state: TableState) -> None:
        self.state = state
        self.awards: list[PotAwarded] = []


class Walk:
    """What one dispatch's events did, moment by moment (a plain class: built per dispatch)."""

    def __init__(self, betting: Betting) -> None:
        self.betting = betting
        self.round_ends: list[RoundEnd] = []
        self.collections: list[Collection] = []
        self.starts: list[Start] = []
        self.awards: list[Award] = []
        self.broken = ""  # set when an event failed to apply (only crafted or corrupt events)


# Events that close an open betting round, and those that open (or continue) one.
CLOSERS: Final = mask(BetReturned, BetsCollected, BoardDealt, CardsShown, CardsMucked,
                      PotAwarded, HandEnded)
OPENERS: Final = mask(HoleCardsDealt, TurnStarted, Folded, Checked, Called, BetMade, RaisedTo,
                      BoardDealt)
# A dispatch with none of these is a plain turn: only the betting books are needed.
MOMENTS: Final = CLOSERS | mask(HandStarted, AntePosted, BlindPosted, HoleCardsDealt)
ENDED: Final = mask(HandEnded)


def hand_ended(ctx: CheckContext, found: int) -> bool:
    """A hand ended in this dispatch (a condition for ``@invariant(on=...)``): a HandEnded
    among the events, or the log recorded a finished hand."""
    return ctx.ended is not None or bool(found & ENDED)


def ended_records(ctx: CheckContext) -> list[HandRecord]:
    """The records of the hands that ended during this dispatch, oldest first (memoized on
    the context: several checks ask)."""
    records: list[HandRecord] | None = ctx.records
    if records is None:
        numbers = [e.hand_no for e in ctx.events if type(e) is HandEnded]
        found: dict[int, HandRecord] = {}
        if numbers:
            # The log keeps hands in the order they were dealt, and these are the last.
            for record in reversed(ctx.log.hands):
                if record.hand_no < numbers[0]:
                    break
                if record.hand_no in numbers:
                    found[record.hand_no] = record
            if ctx.ended is not None:
                found[ctx.ended.hand_no] = ctx.ended
        records = [found[n] for n in numbers if n in found]
        ctx.records = records
    return records


def walk(ctx: CheckContext) -> Walk:
    """The dispatch replayed event by event (memoized on the context)."""
    found: Walk | None = ctx.walked
    if found is None:
        if kinds(ctx) & MOMENTS:
            found = _replay(ctx)
        else:
            betting = Betting(ctx.before)
            for event in ctx.events:
                betting.on(event)
            found = Walk(betting)
        ctx.walked = found
    return found


def _replay(ctx: CheckContext) -> Walk:
    before = ctx.before
    state = before.copy()
    out = Walk(Betting(before))
    betting = out.betting
    open_round = before.phase == BETTING
    start = Start(None, None, before) if before.phase == STARTED else None
    if start is not None:
        out.starts.append(start)
    award: Award | None = None
    bits = KIND_BITS
    for event in ctx.events:
        kind = type(event)
        bit = bits[kind]
        if bit & CLOSERS:
            if open_round:
                out.round_ends.append(_round_end(state, betting, event))
                open_round = False
            if award is None and (kind is PotAwarded or kind is HandEnded):
                award = Award(state.copy())
                out.awards.append(award)
        prior = state.copy() if kind is HandStarted else None
        try:
            apply(state, event)
        except AssertionError as error:  # events that contradict themselves: stop here,
            out.broken = f"{event} does not apply: {error}"  # the moments so far stand
            break
        betting.on(event)
        if bit & OPENERS:
            open_round = True
        # type(event) tests, not kind: they narrow the event for the calls below.
        if type(event) is BetsCollected:
            out.collections.append(_collection(state, event))
        elif type(event) is PotAwarded:
            assert award is not None
            award.awards.append(event)
        elif type(event) is HandEnded:
            award = None
        elif type(event) is HandStarted:
            start = Start(prior, event, state.copy())
            out.starts.append(start)
        elif type(event) is AntePosted or type(event) is BlindPosted:
            if start is None:  # posting with no hand starting: keep it for the check to flag
                start = Start(None, None, state.copy())
                out.starts.append(start)
            start.posts.append(event)
        elif type(event) is HoleCardsDealt and start is not None:
            start.dealt = True
            start = None
    return out


def _round_end(state: TableState, betting: Betting, closer: Event) -> RoundEnd:
    folded, stack = state.folded, state.stack
    live = [s for s in state.order if not folded[s]]
    return RoundEnd(closer, state.street, live, [s for s in live if stack[s] > 0],
                    betting.bet[:], betting.acted[:], betting.level, len(state.board),
                    stack[:], state.contrib[:], folded, state.order)


def _collection(state: TableState, event: BetsCollected) -> Collection:
    seats = range(state.config.seats)
    dealt, folded, stack = state.dealt, state.folded, state.stack
    return Collection(event, state.contrib[:], [dealt[s] and not folded[s] for s in seats],
                      [stack[s] == 0 for s in seats], state.pot)
