"""``apply(state, event)``: the only code that changes a TableState.

Each handler is small and does exactly what the event says; the decisions (who acts, how
much is owed, who wins) were made by the rules when the event was derived. The per-seat
fields that are tuples (see ``sim.engine.state``) are replaced whole, with ``_put``. List
items change as ``s.stack[seat] = s.stack[seat] - n``, not ``-=``: compiled, augmented
assignment to an item goes through Python's generic number protocol.
"""

from __future__ import annotations

from typing import TypeVar

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
    PlayerLeft,
    PlayerSeated,
    PotAwarded,
    RaisedTo,
    RebuyApplied,
    RequestQueued,
    SatIn,
    SatOut,
    TimedOut,
    TurnStarted,
)
from sim.engine.state import (
    BETTING,
    EMPTY,
    GO_IN,
    GO_OUT,
    IDLE,
    NO_CHANGE,
    NOT_ACTED,
    PLAYING,
    PREFLOP,
    SITTING_OUT,
    STARTED,
    WAITING,
    TableState,
    total,
)

T = TypeVar("T")


def _put(values: tuple[T, ...], seat: int, value: T) -> tuple[T, ...]:
    """``values`` with the item at ``seat`` replaced."""
    items = list(values)
    items[seat] = value
    return tuple(items)


def _seated(s: TableState, e: PlayerSeated) -> None:
    assert s.player[e.seat] is None, f"seat {e.seat} is taken"
    s.player = _put(s.player, e.seat, e.player)
    s.stack[e.seat] = e.buy_in
    s.status = _put(s.status, e.seat, WAITING if e.waiting else PLAYING)
    s.missed_bb = _put(s.missed_bb, e.seat, False)
    s.chips_in += e.buy_in


def _left(s: TableState, e: PlayerLeft) -> None:
    seat = e.seat
    assert s.stack[seat] == e.cashed_out
    s.chips_out += e.cashed_out
    s.player = _put(s.player, seat, None)
    s.stack[seat] = 0
    s.status = _put(s.status, seat, EMPTY)
    s.pending_status = _put(s.pending_status, seat, NO_CHANGE)
    s.pending_leave = _put(s.pending_leave, seat, False)
    s.pending_rebuy = _put(s.pending_rebuy, seat, 0)
    s.will_post = _put(s.will_post, seat, False)
    s.missed_bb = _put(s.missed_bb, seat, False)
    s.dealt = _put(s.dealt, seat, False)
    s.hole = _put(s.hole, seat, None)


def _rebuy(s: TableState, e: RebuyApplied) -> None:
    s.stack[e.seat] = s.stack[e.seat] + e.added
    s.chips_in += e.added
    s.pending_rebuy = _put(s.pending_rebuy, e.seat, 0)


def _sat_out(s: TableState, e: SatOut) -> None:
    if s.status[e.seat] == WAITING:  # never posted: still owes the big blind on return
        s.missed_bb = _put(s.missed_bb, e.seat, True)
    s.status = _put(s.status, e.seat, SITTING_OUT)
    s.pending_status = _put(s.pending_status, e.seat, NO_CHANGE)
    s.will_post = _put(s.will_post, e.seat, False)


def _sat_in(s: TableState, e: SatIn) -> None:
    s.status = _put(s.status, e.seat, WAITING if e.waiting else PLAYING)
    s.pending_status = _put(s.pending_status, e.seat, NO_CHANGE)


def _queued(s: TableState, e: RequestQueued) -> None:
    seat, request = e.seat, e.request
    if request == "sit_out":
        s.pending_status = _put(s.pending_status, seat, GO_OUT)
    elif request == "sit_in":
        s.pending_status = _put(s.pending_status, seat, GO_IN)
    elif request == "leave":
        s.pending_leave = _put(s.pending_leave, seat, True)
    elif request == "rebuy":
        s.pending_rebuy = _put(s.pending_rebuy, seat, s.pending_rebuy[seat] + e.amount)
    else:
        assert request == "post", request
        s.will_post = _put(s.will_post, seat, True)


def _hand_started(s: TableState, e: HandStarted) -> None:
    n = s.config.seats
    s.hand_no = e.hand_no
    s.hand_seed = e.seed
    s.phase = STARTED
    s.button = e.button
    s.small_blind_seat = e.small_blind_seat
    s.big_blind_seat = e.big_blind_seat
    s.order = e.dealt
    s.posters = e.posters
    s.deck = e.deck
    s.deck_pos = 0
    s.board = ()
    s.burnt = ()
    s.pots = ()
    s.pot = 0
    s.street = PREFLOP
    s.current_bet = 0
    s.min_raise = s.config.big_blind
    s.last_actor = e.big_blind_seat  # preflop action starts left of the big blind
    s.to_act = None
    s.last_aggressor = None
    s.hand_actions = 0
    s.folded = (False,) * n
    s.shown = (False,) * n
    s.bet = [0] * n
    s.contrib = [0] * n
    s.hole = (None,) * n
    s.acted_level = [NOT_ACTED] * n
    dealt = [False] * n
    status, will_post, missed_bb = list(s.status), list(s.will_post), list(s.missed_bb)
    for seat in e.dealt:
        dealt[seat] = True
        status[seat] = PLAYING
        will_post[seat] = False
        missed_bb[seat] = False
    for seat in e.missed:
        missed_bb[seat] = True
    s.dealt, s.status = tuple(dealt), tuple(status)
    s.will_post, s.missed_bb = tuple(will_post), tuple(missed_bb)


def _ante(s: TableState, e: AntePosted) -> None:
    s.stack[e.seat] = s.stack[e.seat] - e.amount
    s.contrib[e.seat] = s.contrib[e.seat] + e.amount
    s.pot += e.amount


def _blind(s: TableState, e: BlindPosted) -> None:
    seat = e.seat
    s.stack[seat] = s.stack[seat] - e.amount
    s.bet[seat] = s.bet[seat] + e.amount
    s.contrib[seat] = s.contrib[seat] + e.amount
    # A short big blind still sets the amount to call at the full big blind.
    level = e.amount if e.kind == "small" else s.config.big_blind
    if level > s.current_bet:
        s.current_bet = level


def _hole(s: TableState, e: HoleCardsDealt) -> None:
    s.hole = _put(s.hole, e.seat, e.cards)
    s.deck_pos += len(e.cards)
    s.phase = BETTING


def _turn(s: TableState, e: TurnStarted) -> None:
    s.to_act = e.seat


def _timed_out(s: TableState, e: TimedOut) -> None:
    s.pending_status = _put(s.pending_status, e.seat, GO_OUT)


def _acted(s: TableState, seat: int) -> None:
    s.to_act = None
    s.last_actor = seat
    s.hand_actions += 1


def _folded(s: TableState, e: Folded) -> None:
    s.folded = _put(s.folded, e.seat, True)
    _acted(s, e.seat)


def _checked(s: TableState, e: Checked) -> None:
    s.acted_level[e.seat] = s.current_bet
    _acted(s, e.seat)


def _called(s: TableState, e: Called) -> None:
    seat = e.seat
    s.stack[seat] = s.stack[seat] - e.amount
    s.bet[seat] = s.bet[seat] + e.amount
    s.contrib[seat] = s.contrib[seat] + e.amount
    s.acted_level[seat] = s.current_bet
    _acted(s, seat)


def _wagered(s: TableState, seat: int, total: int, full: bool) -> None:
    added = total - s.bet[seat]
    s.stack[seat] = s.stack[seat] - added
    s.bet[seat] = total
    s.contrib[seat] = s.contrib[seat] + added
    if full:
        s.min_raise = total - s.current_bet
    if total > s.current_bet:
        s.current_bet = total
    s.acted_level[seat] = total
    s.last_aggressor = seat
    _acted(s, seat)


def _bet(s: TableState, e: BetMade) -> None:
    _wagered(s, e.seat, e.total, e.full)


def _raised(s: TableState, e: RaisedTo) -> None:
    _wagered(s, e.seat, e.total, e.full)


def _returned(s: TableState, e: BetReturned) -> None:
    # Uncalled chips come from the bet in front of the player first, then from the pot
    # (an ante or an earlier blind that no one could match).
    from_bet = min(e.amount, s.bet[e.seat])
    s.bet[e.seat] = s.bet[e.seat] - from_bet
    s.pot -= e.amount - from_bet
    s.contrib[e.seat] = s.contrib[e.seat] - e.amount
    s.stack[e.seat] = s.stack[e.seat] + e.amount


def _collected(s: TableState, e: BetsCollected) -> None:
    s.pot += total(s.bet)
    s.bet = [0] * s.config.seats
    s.pots = e.pots


def _board(s: TableState, e: BoardDealt) -> None:
    s.burnt = (*s.burnt, e.burnt)
    s.board = (*s.board, *e.cards)
    s.deck_pos += 1 + len(e.cards)
    s.street = e.street
    s.current_bet = 0
    s.min_raise = s.config.big_blind
    s.acted_level = [NOT_ACTED] * s.config.seats
    # after the flop, action starts left of the button
    s.last_actor = s.button
    s.to_act = None
    s.last_aggressor = None


def _shown(s: TableState, e: CardsShown) -> None:
    s.shown = _put(s.shown, e.seat, True)


def _mucked(s: TableState, e: CardsMucked) -> None:
    pass  # mucked cards stay hidden; the event exists for logs and animations


def _awarded(s: TableState, e: PotAwarded) -> None:
    for seat, chips in e.shares:
        s.stack[seat] = s.stack[seat] + chips
    s.pot -= e.amount


def _ended(s: TableState, e: HandEnded) -> None:
    assert s.pot == 0, f"hand {e.hand_no} ended with {s.pot} chips unawarded"
    s.phase = IDLE
    s.to_act = None


def apply(state: TableState, event: Event) -> None:
    """Apply one event to ``state`` in place.

    A chain of exact type tests, commonest first, not a dict of handlers: compiled, each
    test is a pointer comparison and each call a direct one, where a dict's handler is
    called through Python's calling convention. This runs for every event, several times."""
    if type(event) is TurnStarted:
        _turn(state, event)
    elif type(event) is Called:
        _called(state, event)
    elif type(event) is Folded:
        _folded(state, event)
    elif type(event) is Checked:
        _checked(state, event)
    elif type(event) is BlindPosted:
        _blind(state, event)
    elif type(event) is HoleCardsDealt:
        _hole(state, event)
    elif type(event) is BetsCollected:
        _collected(state, event)
    elif type(event) is RaisedTo:
        _raised(state, event)
    elif type(event) is BoardDealt:
        _board(state, event)
    elif type(event) is BetMade:
        _bet(state, event)
    elif type(event) is HandStarted:
        _hand_started(state, event)
    elif type(event) is PotAwarded:
        _awarded(state, event)
    elif type(event) is HandEnded:
        _ended(state, event)
    elif type(event) is AntePosted:
        _ante(state, event)
    elif type(event) is BetReturned:
        _returned(state, event)
    elif type(event) is CardsShown:
        _shown(state, event)
    elif type(event) is CardsMucked:
        _mucked(state, event)
    elif type(event) is TimedOut:
        _timed_out(state, event)
    elif type(event) is RequestQueued:
        _queued(state, event)
    elif type(event) is SatOut:
        _sat_out(state, event)
    elif type(event) is SatIn:
        _sat_in(state, event)
    elif type(event) is RebuyApplied:
        _rebuy(state, event)
    elif type(event) is PlayerSeated:
        _seated(state, event)
    elif type(event) is PlayerLeft:
        _left(state, event)
    else:
        raise TypeError(f"{event!r} is not an event")
