"""Turn invariants: who is to act, and what they may do.

- ``valid_to_act``: the player to act is dealt in, live, with chips, has not acted and
  matched the bet, and is the first such seat clockwise; a hand in play always has one, an
  idle table none;
- ``legal_actions``: the engine's legal actions equal an independent computation
  (``oracle.legal_set``) from the street's betting books, which ``walk.Betting`` rebuilds
  from the events and which must equal the engine's;
- ``action_legal``: the action the engine just accepted is legal by an independent judge
  (``sim.invariants.judge``), and made the events the rules give (a timeout's included);
- ``verify_agrees``: probed with actions at the edges of what is legal, the engine's
  ``rules.can`` and the judge agree (when every 16th hand ends, one seat's requests in
  turn; every dispatch and every seat in thorough mode).

Both run after every dispatch (the turn changes with nearly every one), so they stay on the
committed state and the betting books, which are cheap.
"""

from __future__ import annotations

from typing import Any, Final

from sim.engine.actions import (
    Bet,
    Call,
    Check,
    Fold,
    Leave,
    Post,
    RaiseTo,
    Rebuy,
    Sit,
    SitIn,
    SitOut,
    Timeout,
)
from sim.engine.events import BetMade, Called, Checked, Event, Folded, RaisedTo, TimedOut
from sim.engine.legal import LegalActions
from sim.engine.legal import legal_actions as engine_legal_actions
from sim.engine.rules import can
from sim.engine.state import (
    BETTING,
    GO_OUT,
    IDLE,
    PHASE_NAMES,
    SITTING_OUT,
    STATUS_NAMES,
    STREET_NAMES,
    TableState,
    total,
)
from sim.finding import FindingError, Message, shown
from sim.invariants import oracle
from sim.invariants.base import MODE, CheckContext, fail, invariant
from sim.invariants.judge import ACCEPTED_ILLEGAL, Legal, judge, legal_now
from sim.invariants.walk import Betting, hand_ended, walk


class Ruled:
    """The rules' legal set that ``legal_actions`` computed for a committed state, kept
    for ``action_legal`` to judge the next dispatch's action from that state (the state
    object is the next dispatch's ``before``). One instance, changed in place."""

    __slots__ = ("state", "legal")

    def __init__(self) -> None:
        self.state: TableState | None = None
        self.legal: Legal = (0, False, 0, 0, 0, 0, 0, 0)


RULED: Final = Ruled()


def acted(ctx: CheckContext, found: int) -> bool:
    """The dispatch carried an action (not the table's opening nor a resumed hand)."""
    return ctx.action is not None


@invariant("action_legal",
           "Every accepted action is legal by an independent reading of the rules (turn, "
           "action type, amount range, seat requests, a rebuy counting the chips its player "
           "has in the pot), and does what the rules say: a check, call, bet or raise "
           "makes that event for that amount; a timeout checks when checking is free, "
           "otherwise folds, and sits the player out from the next hand; a leave on one's "
           "turn folds.",
           on=acted)
def action_legal(ctx: CheckContext) -> None:
    action, b = ctx.action, ctx.before
    kind = type(action)
    legal: Legal | None = None  # the rules' legal set, for an action on one's turn
    if (kind is Call or kind is Check or kind is Fold or kind is RaiseTo or kind is Bet
            or kind is Timeout):
        actor: Any = action.seat  # type: ignore[union-attr]
        if type(actor) is int and actor == b.to_act:
            legal = RULED.legal if RULED.state is b else legal_now(b, actor)
    why = judge(b, action, legal)
    if why is not None:  # the judge's reason, nested: its template is part of the shape
        raise fail("action_legal", ACCEPTED_ILLEGAL,
                   action=shown(action), why=why)
    seat: int = action.seat  # type: ignore[union-attr]  # legal: a seat of the table
    if kind is Leave:
        if b.to_act == seat and not _has(ctx.events, Folded(seat, "left")):
            raise fail("action_legal", "Seat {seat} left on its turn but was not folded.",
                       seat=seat)
        return
    if legal is None:  # a request between or during hands
        return
    events = ctx.events
    if not _made(events, action, seat, legal):
        expected = _outcome(b, action, seat, legal)
        raise fail("action_legal", "{action} made the events {events}; the rules give "
                                   "{expected}.", action=shown(action),
                   events=events[:len(expected)], expected=expected)
    if kind is Timeout:
        _check_sat_out(ctx, seat)


def _has(events: list[Event], wanted: Event) -> bool:
    for event in events:
        if event == wanted:
            return True
    return False


def _made(events: list[Event], action: Any, seat: int, legal: Legal) -> bool:
    """The dispatch's first events are what the action makes by the rules (``_outcome``,
    compared field by field: this runs after every action)."""
    if not events:
        return False
    first = events[0]
    kind = type(action)
    if kind is Call:
        return type(first) is Called and first.seat == seat and first.amount == legal[2]
    if kind is Check:
        return type(first) is Checked and first.seat == seat
    if kind is Fold:
        return type(first) is Folded and first.seat == seat and first.reason == "action"
    if kind is RaiseTo:
        return type(first) is RaisedTo and first.seat == seat and first.total == action.amount
    if kind is Bet:
        return type(first) is BetMade and first.seat == seat and first.total == action.amount
    if len(events) < 2 or type(first) is not TimedOut or first.seat != seat:
        return False  # a timeout: it checks when that is free, otherwise folds
    then = events[1]
    if legal[1]:
        return type(then) is Checked and then.seat == seat
    return type(then) is Folded and then.seat == seat and then.reason == "timeout"


def _outcome(b: TableState, action: Any, seat: int, legal: Legal) -> list[Event]:
    """The events an action on one's turn makes first, by the rules."""
    kind = type(action)
    if kind is Fold:
        return [Folded(seat, "action")]
    if kind is Check:
        return [Checked(seat)]
    if kind is Call:
        return [Called(seat, legal[2])]
    if kind is Bet:
        return [BetMade(seat, action.amount, action.amount >= b.config.big_blind)]
    if kind is RaiseTo:
        return [RaisedTo(seat, action.amount, action.amount - b.current_bet >= b.min_raise)]
    return [TimedOut(seat), Checked(seat) if legal[1] else Folded(seat, "timeout")]


def _check_sat_out(ctx: CheckContext, seat: int) -> None:
    """A timed-out player sits out from the next hand: queued while the hand runs, applied
    once it ended (unless the player left)."""
    s, b = ctx.state, ctx.before
    if s.player[seat] != b.player[seat]:
        return
    if s.hand_no == b.hand_no and s.phase != IDLE:
        out = s.pending_status[seat] == GO_OUT
    else:
        out = s.status[seat] == SITTING_OUT and not (s.phase != IDLE and s.dealt[seat])
    if not out:
        raise fail("action_legal",
                   "Seat {seat} timed out but is not sitting out from the next hand (status "
                   "{status}, dealt {dealt}).", seat=seat, status=STATUS_NAMES[s.status[seat]],
                   dealt=s.dealt[seat])


@invariant("valid_to_act",
           "The player to act is dealt in, not folded, has chips, has not acted and matched "
           "the bet, and is the first such seat clockwise; a committed hand always has someone to "
           "act; an idle table has no one.")
def valid_to_act(ctx: CheckContext) -> None:
    s = ctx.state
    seat = s.to_act
    if seat is None:
        if s.phase != IDLE:
            raise fail("valid_to_act",
                       "Hand {hand} is in phase {phase} on the {street} but no one is to act.",
                       hand=s.hand_no, phase=PHASE_NAMES[s.phase],
                       street=STREET_NAMES[s.street])
        return
    if s.phase != BETTING:
        raise fail("valid_to_act", "Seat {seat} is to act in phase {phase}.", seat=seat,
                   phase=PHASE_NAMES[s.phase])
    if not 0 <= seat < s.config.seats or s.player[seat] is None or not s.dealt[seat]:
        raise fail("valid_to_act", "Seat {seat} is to act but is not dealt in.", seat=seat)
    if s.folded[seat]:
        raise fail("valid_to_act", "Seat {seat} is to act but has folded.", seat=seat)
    if s.pending_leave[seat]:
        raise fail("valid_to_act", "Seat {seat} is to act but has left.", seat=seat)
    if s.stack[seat] <= 0:
        raise fail("valid_to_act", "Seat {seat} is to act but has a stack of {stack}.",
                   seat=seat, stack=s.stack[seat])
    books = walk(ctx).betting
    if not oracle.needs_to_act(books.acted[seat], books.bet[seat], books.level):
        raise fail("valid_to_act",
                   "Seat {seat} is to act but already acted at {acted} and matched the bet of "
                   "{level} with {bet}.", seat=seat, acted=books.acted[seat], level=books.level,
                   bet=books.bet[seat])
    _check_turn_order(s, seat, books.last_actor, books)


def _check_turn_order(s: TableState, seat: int, anchor: int | None, books: Betting) -> None:
    if anchor is None:
        raise fail("valid_to_act", "Seat {seat} is to act but no one acted or posted first.",
                   seat=seat)
    n = s.config.seats
    for step in range(1, n + 1):  # the anchor itself comes last
        other = (anchor + step) % n
        if other == seat:
            return
        if (s.dealt[other] and not s.folded[other] and s.stack[other] > 0
                and oracle.needs_to_act(books.acted[other], books.bet[other], books.level)):
            raise fail("valid_to_act",
                       "Seat {seat} is to act, but seat {other} comes first clockwise after "
                       "seat {anchor} and still has to act (bet {bet} of {level}).", seat=seat,
                       other=other, anchor=anchor, bet=books.bet[other], level=books.level)


@invariant("legal_actions",
           "The engine's legal actions equal an independent computation (check, call, bet "
           "and raise-to ranges, short all-ins not reopening, no raise against all-ins, the "
           "full big blind to call where someone can win it), and its betting books match "
           "the events.")
def legal_actions(ctx: CheckContext) -> None:
    s = ctx.state
    books = walk(ctx).betting
    if books.bet != s.bet:
        raise fail("legal_actions", "The state's bets are {bets} but the events give {given}.",
                   bets=s.bet, given=books.bet)
    # Compared directly first; the loop below only finds what differs, for the message.
    if s.phase == BETTING and (books.level != s.current_bet or books.min_raise != s.min_raise
                               or books.acted != s.acted_level
                               or books.last_actor != s.last_actor):
        for name, mine, theirs in (("bet to match", books.level, s.current_bet),
                                   ("last full raise", books.min_raise, s.min_raise),
                                   ("acted levels", books.acted, s.acted_level),
                                   ("last actor", books.last_actor, s.last_actor)):
            if mine != theirs:
                # Which book differs belongs to the shape: a Message.
                raise fail("legal_actions",
                           "The state's {book} is {theirs} but the street's events give "
                           "{mine}.", book=Message(name), theirs=theirs, mine=mine)
    seat = s.to_act
    engine = engine_legal_actions(s)
    if seat is None:
        if engine is not None:
            raise fail("legal_actions", "No one is to act but the engine offers {engine}.",
                       engine=engine)
        return
    room = oracle.answerable(seat, s.order, s.folded, s.stack, s.contrib)
    if room is not None and room <= 0:
        return  # no decision to price: no_dead_decision reports the turn
    expected = oracle.legal_set(seat, s.stack[seat], books.bet[seat], books.level,
                                books.min_raise, books.acted[seat], room is None,
                                s.config.big_blind, s.pot + total(s.bet), room)
    RULED.state, RULED.legal = s, expected  # the next action's legal set (action_legal)
    if engine is None or engine.values() != expected:
        raise _legal_difference(seat, engine, expected, books)


def _legal_difference(seat: int, engine: Any, expected: tuple[Any, ...],
                      books: Any) -> FindingError:
    context = Message("(bet {bet}, bet to match {level}, last full raise {min_raise}, acted "
                      "at {acted})", bet=books.bet[seat], level=books.level,
                      min_raise=books.min_raise, acted=books.acted[seat])
    if engine is None:
        return fail("legal_actions",
                    "Seat {seat} is to act but the engine offers no legal actions {context}.",
                    seat=seat, context=context)
    for name, mine, theirs in zip(LegalActions.FIELDS, expected, engine.values(),
                                  strict=True):
        if mine != theirs:  # which of the legal set's fields differs belongs to the shape
            return fail("legal_actions",
                        "For seat {seat} the engine's {field} is {theirs}, the rules give "
                        "{mine} {context}; engine: {engine}.", seat=seat, field=Message(name),
                        theirs=theirs, mine=mine, context=context, engine=engine.describe())
    raise AssertionError("no difference")



# In fast mode the probes run when every PROBE_EVERY-th hand ends: a hundred probes cost
# about as much as the rest of a hand's checks, and a lax verify shows at any hand's end.
PROBE_EVERY: Final = 16


def probing(ctx: CheckContext, found: int) -> bool:
    """When ``verify_agrees`` probes: when every ``PROBE_EVERY``-th hand ends (every
    dispatch in thorough mode)."""
    if MODE.thorough:
        return True
    return hand_ended(ctx, found) and ctx.state.hand_no % PROBE_EVERY == 0


@invariant("verify_agrees",
           "The engine accepts exactly the actions the independent judge allows, probed "
           "without dispatching: every seat's requests (sit, leave, sit out, sit in, post, "
           "rebuys at the maximum buy-in's edge) and the player to act's actions at the "
           "edges of each amount range; when every 16th hand ends, one seat's requests in "
           "turn (every dispatch, every seat in thorough mode).",
           on=probing)
def verify_agrees(ctx: CheckContext) -> None:
    s = ctx.state
    legal = engine_legal_actions(s)
    for probe in _probes(s, MODE.thorough):
        accepted = can(s, probe, legal)
        why = judge(s, probe)
        if accepted and why is not None:  # the judge's reason nested: part of the shape
            # action_legal's sentence: the same failure, probed rather than dispatched
            raise fail("verify_agrees", ACCEPTED_ILLEGAL, action=shown(probe), why=why)
        if not accepted and why is None:
            raise fail("verify_agrees", "The engine rejects {probe}, which the rules allow.",
                       probe=shown(probe))


def _probes(s: TableState, every_seat: bool) -> list[Any]:
    """Actions at the edges of what is legal now: the player to act's, and the requests of
    every seat or of one, a different one each time (a list: a few dozen)."""
    config = s.config
    probes: list[Any] = []
    one = (s.hand_no // PROBE_EVERY) % config.seats
    for seat in range(config.seats):
        if not every_seat and seat != one:
            continue
        probes += [Leave(seat), SitOut(seat), SitIn(seat), Post(seat)]
        if s.player[seat] is None:
            probes += [Sit(seat, f"probe-{seat}", config.min_buy_in),
                       Sit(seat, f"probe-{seat}", config.max_buy_in + 1)]
            continue
        held = s.stack[seat] + s.pending_rebuy[seat]
        if s.phase != IDLE and s.dealt[seat]:
            held += s.contrib[seat]
        room = config.max_buy_in - held
        probes += [Rebuy(seat, amount) for amount in (1, room, room + 1) if amount > 0]
        probes.append(Rebuy(seat, True))  # not an amount, though an int to Python
    actor = s.to_act
    if actor is not None:
        probes += [Fold(actor), Check(actor), Call(actor), Timeout(actor),
                   Check((actor + 1) % config.seats)]
        # Each wager at its own edges: a bet around the big blind and the bet range, a
        # raise around the bet to match and the raise range (a range that is closed has
        # both ends 0, so a wager it forbids is still probed).
        legal = legal_now(s, actor)
        big = config.big_blind
        bets = {1, big - 1, big, legal[3] - 1, legal[3], legal[4], legal[4] + 1}
        raises = {s.current_bet, s.current_bet + 1, legal[5] - 1, legal[5], legal[6],
                  legal[6] + 1}
        probes += [Bet(actor, amount) for amount in sorted(bets) if amount > 0]
        probes += [RaiseTo(actor, amount) for amount in sorted(raises) if amount > 0]
    return probes
