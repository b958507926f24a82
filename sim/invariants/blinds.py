"""Blind invariants: how a hand starts.

- ``button_and_blinds``: the button moves to the next seat sitting in with chips, the small
  and big blinds follow it (heads-up the button posts the small blind), the right seats are
  dealt in, and antes and blinds post min(amount, stack) in order;
- ``waiting_for_big_blind``: the seats' statuses and missed big blinds, kept from the
  events alone and compared with the state's (by induction, as ``walk.Betting`` does for
  the betting): who waits for the big blind, and sit-out and sit-in requests applied
  between hands, only when asked.

``button_and_blinds`` runs when a hand started or posted (``POSTING``), on the table just
before the hand started and the posts that followed, as ``walk.walk`` kept them;
``waiting_for_big_blind`` when a status may have changed (``STATUS_EVENTS``).
"""

from __future__ import annotations

from typing import Any, Final

from sim.engine.actions import SitIn, SitOut
from sim.engine.events import (
    AntePosted,
    BlindPosted,
    HandEnded,
    HandStarted,
    PlayerLeft,
    PlayerSeated,
    RebuyApplied,
    RequestQueued,
    SatIn,
    SatOut,
    TimedOut,
)
from sim.engine.state import (
    EMPTY,
    GO_IN,
    GO_OUT,
    IDLE,
    NO_CHANGE,
    PLAYING,
    SITTING_OUT,
    WAITING,
    TableState,
)
from sim.finding import Message
from sim.invariants import oracle
from sim.invariants.base import CheckContext, fail, invariant, mask, seats_text
from sim.invariants.walk import Start, walk

POSTING: Final = mask(HandStarted, AntePosted, BlindPosted)


@invariant("button_and_blinds",
           "The button moves to the next seat sitting in with chips; the small and big "
           "blinds follow it (heads-up the button posts the small blind); antes and blinds "
           "post min(amount, stack) in order.",
           on=POSTING)
def button_and_blinds(ctx: CheckContext) -> None:
    for start in walk(ctx).starts:
        if start.started is not None:
            assert start.prior is not None
            _check_positions(start.prior, start.started, start.base)
        if start.dealt:
            _check_posts(start)


def _check_positions(prior: TableState, e: HandStarted, base: TableState) -> None:
    n = prior.config.seats
    found = oracle.dealable([p is not None for p in prior.player], prior.stack, prior.status,
                            prior.will_post, PLAYING, WAITING)
    if found is None:
        raise fail("button_and_blinds",
                   "Hand {hand} started although fewer than two players could play.",
                   hand=e.hand_no)
    sitting_in, waiters, posters = found
    if e.hand_no != prior.hand_no + 1:
        raise fail("button_and_blinds", "Hand {hand} followed hand {prior}.", hand=e.hand_no,
                   prior=prior.hand_no)
    if prior.button is None:
        if e.button not in sitting_in:
            raise fail("button_and_blinds",
                       "The first button is seat {button}, not one of the seats sitting in "
                       "({sitting_in}).", button=e.button, sitting_in=seats_text(sitting_in))
    else:
        button = oracle.next_clockwise(sitting_in, prior.button, n)
        if e.button != button:
            raise fail("button_and_blinds",
                       "The button moved from seat {prior} to seat {button}; the next seat "
                       "sitting in with chips is seat {expected} (sitting in: {sitting_in}).",
                       prior=prior.button, button=e.button, expected=button,
                       sitting_in=seats_text(sitting_in))
    small, big = oracle.blind_seats(e.button, sitting_in, waiters, n)
    if (e.small_blind_seat, e.big_blind_seat) != (small, big):
        raise fail("button_and_blinds",
                   "With the button on seat {button} the blinds are seats {small} and {big}; "
                   "they should be seats {expected_small} and {expected_big} (sitting in: "
                   "{sitting_in}, waiting: {waiting}).", button=e.button,
                   small=e.small_blind_seat, big=e.big_blind_seat, expected_small=small,
                   expected_big=big, sitting_in=seats_text(sitting_in),
                   waiting=seats_text(waiters))
    dealt = oracle.clockwise_from((e.button + 1) % n,
                                  sorted(set(sitting_in) | set(posters) | {big}), n)
    if e.dealt != dealt or tuple(sorted(e.posters)) != tuple(sorted(posters)):
        raise fail("button_and_blinds",
                   "Hand {hand} deals in seats {dealt} with posters {posters}; expected seats "
                   "{expected_dealt} with posters {expected_posters}.", hand=e.hand_no,
                   dealt=seats_text(e.dealt), posters=seats_text(e.posters),
                   expected_dealt=seats_text(dealt), expected_posters=seats_text(posters))
    if (base.button, base.small_blind_seat, base.big_blind_seat) != (e.button, small, big):
        raise fail("button_and_blinds",
                   "The state's button and blinds {button}, {small}, {big} differ from hand "
                   "{hand}'s start.", button=base.button, small=base.small_blind_seat,
                   big=base.big_blind_seat, hand=e.hand_no)


def _check_posts(start: Start) -> None:
    base = start.base
    config = base.config
    stack = base.stack[:]
    expected: list[tuple[str, int, int]] = []

    def post(kind: str, seat: int, amount: int) -> None:
        amount = min(amount, stack[seat])
        stack[seat] -= amount
        if amount:
            expected.append((kind, seat, amount))

    if config.ante:
        for seat in base.order:
            post("ante", seat, config.ante)
    assert base.small_blind_seat is not None and base.big_blind_seat is not None
    post("small", base.small_blind_seat, config.small_blind)
    post("big", base.big_blind_seat, config.big_blind)
    for seat in base.posters:
        post("live", seat, config.big_blind)
    posts: list[Any] = start.posts
    got = [("ante" if type(e) is AntePosted else e.kind, e.seat, e.amount)
           for e in posts if e.amount]
    if got != expected:
        raise fail("button_and_blinds",
                   "Hand {hand} posted {got}; with stacks {stacks} (seats {seats}) the posts "
                   "are {expected}.", hand=base.hand_no, got=got,
                   stacks=[base.stack[s] for s in base.order], seats=seats_text(base.order),
                   expected=expected)


STATUS_EVENTS: Final = mask(PlayerSeated, PlayerLeft, SatOut, SatIn, HandStarted,
                            RequestQueued, RebuyApplied, TimedOut)


@invariant("waiting_for_big_blind",
           "Statuses change only as the rules say: a player seated while a hand runs waits "
           "for the big blind; sit-out and sit-in take effect between hands and only when "
           "asked (a timeout asks to sit out); a player who sat out while the big blind "
           "passed them, or before posting, waits again on sitting in; one dealt in no "
           "longer waits. The requests queued during a hand (leave, rebuy, post, sit out, "
           "sit in) are kept until carried out, and a rebuy is applied between hands.",
           on=STATUS_EVENTS)
def waiting_for_big_blind(ctx: CheckContext) -> None:
    b, s = ctx.before, ctx.state
    books = _Seats(b, ctx.action)
    for event in ctx.events:
        books.on(event)
    if tuple(books.status) != s.status or tuple(books.missed) != s.missed_bb:
        raise fail("waiting_for_big_blind",
                   "The seats' statuses {statuses} and missed big blinds {missed} should be "
                   "{expected_statuses} and {expected_missed} by the events.",
                   statuses=list(s.status), missed=list(s.missed_bb),
                   expected_statuses=books.status, expected_missed=books.missed)
    # Compared one by one, not in a loop over a tuple of pairs: this runs a few times a hand.
    _queued("leaves", books.leaving, s.pending_leave)
    _queued("rebuys", books.rebuy, s.pending_rebuy)
    _queued("posts", books.post, s.will_post)
    _queued("status requests", books.asked, s.pending_status)


def _queued(name: str, mine: list[Any], theirs: tuple[Any, ...]) -> None:
    if tuple(mine) != theirs:
        # Which queue differs belongs to the shape: a Message.
        raise fail("waiting_for_big_blind",
                   "The seats' queued {queue} are {theirs}; the events give {mine}.",
                   queue=Message(name), theirs=list(theirs), mine=mine)


class _Seats:
    """Each seat's status, missed big blind and queued status request, from the events
    alone (a plain class: built per dispatch that changes a status)."""

    def __init__(self, b: TableState, action: Any) -> None:
        self.status = list(b.status)
        self.missed = list(b.missed_bb)
        self.asked = list(b.pending_status)
        self.leaving = list(b.pending_leave)
        self.rebuy = list(b.pending_rebuy)
        self.post = list(b.will_post)
        self.running = b.phase != IDLE
        self.big = b.big_blind_seat
        kind = type(action)
        if not self.running and (kind is SitIn or kind is SitOut):
            self.asked[action.seat] = GO_IN if kind is SitIn else GO_OUT  # at once

    def on(self, e: Any) -> None:
        # type(e) tests narrow the event for its fields.
        if type(e) is PlayerSeated:
            # Two failures, two sentences: seated during a hand one waits, between hands not.
            if e.waiting != self.running:
                if self.running:
                    raise fail("waiting_for_big_blind",
                               "Seat {seat} sat down during hands but does not wait for the "
                               "big blind.", seat=e.seat)
                raise fail("waiting_for_big_blind",
                           "Seat {seat} sat down between hands but waits for the big blind.",
                           seat=e.seat)
            self.status[e.seat] = WAITING if e.waiting else PLAYING
            self.missed[e.seat] = False
        elif type(e) is PlayerLeft:
            self.status[e.seat] = EMPTY
            self.missed[e.seat] = False
            self.asked[e.seat] = NO_CHANGE
            self.leaving[e.seat] = self.post[e.seat] = False
            self.rebuy[e.seat] = 0
        elif type(e) is RequestQueued:
            if e.request == "sit_in" or e.request == "sit_out":
                self.asked[e.seat] = GO_IN if e.request == "sit_in" else GO_OUT
            elif e.request == "leave":
                self.leaving[e.seat] = True
            elif e.request == "rebuy":
                self.rebuy[e.seat] += e.amount
            elif e.request == "post":
                self.post[e.seat] = True
        elif type(e) is RebuyApplied:
            if self.running:  # a rebuy asked for during a hand waits for its end
                raise fail("waiting_for_big_blind", "Seat {seat}'s rebuy of {amount} was "
                           "applied during a hand.", seat=e.seat, amount=e.added)
            self.rebuy[e.seat] = 0
        elif type(e) is TimedOut:
            self.asked[e.seat] = GO_OUT
        elif type(e) is SatOut:
            self._asked(e.seat, GO_OUT, "sat out")
            self.post[e.seat] = False
            if self.status[e.seat] == WAITING:
                self.missed[e.seat] = True
            self.status[e.seat] = SITTING_OUT
        elif type(e) is SatIn:
            self._asked(e.seat, GO_IN, "sat in")
            waits = self.missed[e.seat] or self.status[e.seat] == WAITING
            if e.waiting != waits:
                if waits:
                    raise fail("waiting_for_big_blind",
                               "Seat {seat} sat in playing; it owes the big blind.", seat=e.seat)
                raise fail("waiting_for_big_blind",
                           "Seat {seat} sat in waiting; it does not owe the big blind.",
                           seat=e.seat)
            self.status[e.seat] = WAITING if waits else PLAYING
        elif type(e) is HandStarted:
            self._started(e)
        elif type(e) is HandEnded:
            self.running = False

    def _asked(self, seat: int, request: int, verb: str) -> None:
        # ``verb`` says which event came ("sat out", "sat in"): part of the shape.
        if self.running:
            raise fail("waiting_for_big_blind", "Seat {seat} {verb} during a hand.", seat=seat,
                       verb=Message(verb))
        if self.asked[seat] != request:
            raise fail("waiting_for_big_blind", "Seat {seat} {verb} without asking to.",
                       seat=seat, verb=Message(verb))
        self.asked[seat] = NO_CHANGE

    def _started(self, e: HandStarted) -> None:
        n = len(self.status)
        passed = []
        if self.big is not None:
            for step in range(1, n + 1):  # from the last big blind to this one
                seat = (self.big + step) % n
                if self.status[seat] == SITTING_OUT:
                    passed.append(seat)
                if seat == e.big_blind_seat:
                    break
        if tuple(passed) != tuple(e.missed):
            raise fail("waiting_for_big_blind",
                       "Hand {hand}'s big blind moved from seat {last_big} to seat {big}, "
                       "passing sitting-out seats {passed}; the hand says {missed}.",
                       hand=e.hand_no, last_big=self.big, big=e.big_blind_seat,
                       passed=seats_text(passed), missed=seats_text(e.missed))
        for seat in e.dealt:
            self.status[seat] = PLAYING
            self.missed[seat] = False
            self.post[seat] = False
        for seat in passed:
            self.missed[seat] = True
        self.big = e.big_blind_seat
        self.running = True
