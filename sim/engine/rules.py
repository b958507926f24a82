"""The pure rules: ``verify(state, action)`` and ``derive(state, action)``.

Neither knows of logs, bots, storage or processes. ``verify`` raises IllegalAction with a
sentence naming the value, the limit and what is legal; ``derive`` yields the events an
action causes, the automatic ones after it included (see ``dealer.advance``).

    >>> from sim.engine import Controller, TableConfig
    >>> from sim.engine.actions import Call
    >>> table = Controller(TableConfig(seats=2), seed=1,
    ...                    players={0: ("ann", 100), 1: ("bob", 100)})
    >>> events_for(table.state, Call(seat=0))   # computed on a copy: the table is unchanged
    [Called(seat=0, amount=1), TurnStarted(seat=1)]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import chain
from typing import Any

from sim.engine.actions import (
    ACTION_CLASSES,
    ACTION_TYPES,
    BETTING_CLASSES,
    ActionBase,
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
from sim.engine.apply import apply
from sim.engine.dealer import advance
from sim.engine.errors import IllegalAction
from sim.engine.events import (
    BetMade,
    Called,
    Checked,
    Event,
    Folded,
    PlayerLeft,
    PlayerSeated,
    RaisedTo,
    RebuyApplied,
    RequestQueued,
    SatIn,
    SatOut,
    TimedOut,
)
from sim.engine.handsetup import HandSetup
from sim.engine.legal import LegalActions, call_amount, legal_actions
from sim.engine.state import (
    BETTING,
    GO_IN,
    GO_OUT,
    IDLE,
    NOT_ACTED,
    PLAYING,
    SITTING_OUT,
    STATUS_NAMES,
    WAITING,
    TableState,
)

# -- validation ----------------------------------------------------------------------------


def _amount(label: str, value: Any) -> int:
    if type(value) is not int:
        # bool is an int subclass, and not an amount
        raise IllegalAction(f"{label} {value!r} is not a whole number of chips; "
                            "amounts are positive integers.")
    if value <= 0:
        raise IllegalAction(f"{label} {value} is not positive; amounts are positive integers.")
    return value


def _seat(state: TableState, seat: Any) -> int:
    last = state.config.seats - 1
    if type(seat) is not int or not 0 <= seat <= last:
        raise IllegalAction(f"Seat {seat!r} does not exist; this table has seats 0 to {last}.")
    return seat


def _occupied(state: TableState, seat: int) -> None:
    if state.player[seat] is None:
        taken = [str(s) for s, p in enumerate(state.player) if p is not None]
        raise IllegalAction(f"Seat {seat} is empty; occupied seats are "
                            f"{', '.join(taken) or 'none'}.")


def _not_leaving(state: TableState, seat: int) -> None:
    if state.pending_leave[seat]:
        raise IllegalAction(f"Seat {seat} is leaving at the end of the hand; "
                            "it can make no more requests.")


def _turn(state: TableState, seat: int, verb: str, legal: LegalActions | None) -> LegalActions:
    if state.phase != BETTING:
        raise IllegalAction(f"Seat {seat} cannot {verb}: no hand is in progress.")
    if state.to_act != seat:
        who = "no one" if state.to_act is None else f"seat {state.to_act}"
        raise IllegalAction(f"Seat {seat} cannot {verb}: it is {who}'s turn.")
    if legal is None:
        legal = legal_actions(state)
    assert legal is not None and legal.seat == seat
    return legal


def _closed_reason(state: TableState, seat: int) -> str:
    if state.current_bet >= state.bet[seat] + state.stack[seat]:
        return f"its stack of {state.stack[seat]} does not cover more than a call"
    level = state.acted_level[seat]
    if level != NOT_ACTED and state.current_bet - level < state.min_raise:
        return ("it has acted and the raises since add up to less than a full raise "
                f"of {state.min_raise}")
    return "every other player still in the hand is all-in"


def verify_fold(state: TableState, action: Fold,
                legal: LegalActions | None = None) -> None:
    _turn(state, action.seat, "fold", legal)


def verify_check(state: TableState, action: Check,
                 legal: LegalActions | None = None) -> None:
    legal = _turn(state, action.seat, "check", legal)
    if not legal.can_check:
        owed = state.current_bet - state.bet[action.seat]
        raise IllegalAction(f"Seat {action.seat} cannot check: {owed} is owed to call; "
                            f"legal: {legal.describe()}.")


def verify_call(state: TableState, action: Call,
                legal: LegalActions | None = None) -> None:
    legal = _turn(state, action.seat, "call", legal)
    if not legal.can_call:
        raise IllegalAction(f"Seat {action.seat} cannot call: nothing is owed; "
                            f"legal: {legal.describe()}.")


def verify_bet(state: TableState, action: Bet,
               legal: LegalActions | None = None) -> None:
    amount = _amount("Bet", action.amount)
    legal = _turn(state, action.seat, "bet", legal)
    if not legal.can_bet:
        if state.current_bet:
            why = (f"there is already a bet of {state.current_bet} this street (preflop the "
                   "blinds are the opening bet)")
        else:
            why = _closed_reason(state, action.seat)
        raise IllegalAction(f"Seat {action.seat} cannot bet: {why}; legal: {legal.describe()}.")
    if amount > legal.max_bet:
        raise IllegalAction(f"Bet of {amount} is above seat {action.seat}'s stack of "
                            f"{legal.max_bet}; legal: {legal.describe()}.")
    if amount < legal.min_bet:
        raise IllegalAction(f"Bet of {amount} is below the minimum bet of {legal.min_bet}; "
                            f"legal: {legal.describe()}.")


def verify_raise_to(state: TableState, action: RaiseTo,
                    legal: LegalActions | None = None) -> None:
    amount = _amount("Raise to", action.amount)
    legal = _turn(state, action.seat, "raise", legal)
    if not legal.can_raise:
        why = ("no one has bet this street; bet instead" if state.current_bet == 0
               else _closed_reason(state, action.seat))
        raise IllegalAction(f"Seat {action.seat} cannot raise: {why}; "
                            f"legal: {legal.describe()}.")
    if amount > legal.max_raise_to:
        raise IllegalAction(f"Raise to {amount} is above seat {action.seat}'s all-in total of "
                            f"{legal.max_raise_to}; legal: {legal.describe()}.")
    if amount < legal.min_raise_to:
        raise IllegalAction(f"Raise to {amount} is below the minimum raise to "
                            f"{legal.min_raise_to}; legal: {legal.describe()}.")


def verify_timeout(state: TableState, action: Timeout,
                   legal: LegalActions | None = None) -> None:
    _turn(state, action.seat, "time out", legal)


def verify_sit(state: TableState, action: Sit,
               legal: LegalActions | None = None) -> None:
    seat, name, config = action.seat, action.player, state.config
    if state.player[seat] is not None:
        free = [str(s) for s, p in enumerate(state.player) if p is None]
        raise IllegalAction(f"Seat {seat} is taken by {state.player[seat]!r}; empty seats are "
                            f"{', '.join(free) or 'none'}.")
    if not isinstance(name, str) or not name.strip():
        raise IllegalAction(f"Player name {name!r} must be a non-empty string.")
    if name in state.player:
        raise IllegalAction(f"Player {name!r} already sits at seat {state.player.index(name)}.")
    buy_in = _amount("Buy-in", action.buy_in)
    if not config.min_buy_in <= buy_in <= config.max_buy_in:
        side = "below the minimum" if buy_in < config.min_buy_in else "above the maximum"
        raise IllegalAction(f"Buy-in of {buy_in} is {side} buy-in; buy in for "
                            f"{config.min_buy_in} to {config.max_buy_in}.")


def verify_leave(state: TableState, action: Leave,
                 legal: LegalActions | None = None) -> None:
    _occupied(state, action.seat)
    if state.pending_leave[action.seat]:
        raise IllegalAction(f"Seat {action.seat} is already leaving at the end of the hand.")


def _sitting_out(state: TableState, seat: int) -> bool:
    """Out from the next hand on, counting a queued request."""
    pending = state.pending_status[seat]
    return pending == GO_OUT or (state.status[seat] == SITTING_OUT and pending != GO_IN)


def verify_sit_out(state: TableState, action: SitOut,
                   legal: LegalActions | None = None) -> None:
    _occupied(state, action.seat)
    _not_leaving(state, action.seat)
    if _sitting_out(state, action.seat):
        raise IllegalAction(f"Seat {action.seat} is already sitting out; it may sit in.")


def verify_sit_in(state: TableState, action: SitIn,
                  legal: LegalActions | None = None) -> None:
    _occupied(state, action.seat)
    _not_leaving(state, action.seat)
    if not _sitting_out(state, action.seat):
        raise IllegalAction(f"Seat {action.seat} is already sitting in "
                            f"({STATUS_NAMES[state.status[action.seat]]}); it may sit out.")


def verify_rebuy(state: TableState, action: Rebuy,
                 legal: LegalActions | None = None) -> None:
    amount = _amount("Rebuy of", action.amount)
    seat, most = action.seat, state.config.max_buy_in
    _occupied(state, seat)
    _not_leaving(state, seat)
    # In a running hand, count the chips the player brought into it.
    base = state.stack[seat] + state.pending_rebuy[seat]
    if state.phase != IDLE and state.dealt[seat]:
        base += state.contrib[seat]
    if base + amount > most:
        room = max(0, most - base)
        raise IllegalAction(f"Rebuy of {amount} would take seat {seat} to {base + amount} "
                            f"chips, above the maximum buy-in of {most}; at most {room} more "
                            "is allowed.")


def verify_post(state: TableState, action: Post,
                legal: LegalActions | None = None) -> None:
    seat = action.seat
    _occupied(state, seat)
    _not_leaving(state, seat)
    # A sitting-out player who missed the big blind and asked to sit in will be waiting.
    will_wait = (state.pending_status[seat] == GO_IN and state.missed_bb[seat])
    if state.status[seat] != WAITING and not will_wait:
        raise IllegalAction(f"Seat {seat} cannot post: only a player waiting for the big blind "
                            f"may post to come in, and seat {seat} is "
                            f"{STATUS_NAMES[state.status[seat]]}.")
    if state.will_post[seat]:
        raise IllegalAction(f"Seat {seat} has already posted for the next hand.")
    if state.stack[seat] == 0:
        raise IllegalAction(f"Seat {seat} cannot post with no chips; it may rebuy first.")


def verify(state: TableState, action: Any, legal: LegalActions | None = None) -> None:
    """Raise IllegalAction unless ``action`` is legal now; never changes ``state``.

    ``legal`` may pass in ``legal_actions(state)`` when the caller has it already. The
    verifier is found by exact type tests, commonest first (see ``apply``).
    """
    kind = type(action)
    if kind not in ACTION_CLASSES:
        raise IllegalAction(f"Unknown action {action!r}; an action is one of "
                            f"{', '.join(ACTION_TYPES)}.")
    known: ActionBase = action  # every action class is one: its seat reads directly
    _seat(state, known.seat)
    if kind is Call:
        verify_call(state, action, legal)
    elif kind is Check:
        verify_check(state, action, legal)
    elif kind is Fold:
        verify_fold(state, action, legal)
    elif kind is RaiseTo:
        verify_raise_to(state, action, legal)
    elif kind is Bet:
        verify_bet(state, action, legal)
    elif kind is Rebuy:
        verify_rebuy(state, action, legal)
    elif kind is Timeout:
        verify_timeout(state, action, legal)
    elif kind is Sit:
        verify_sit(state, action, legal)
    elif kind is SitOut:
        verify_sit_out(state, action, legal)
    elif kind is SitIn:
        verify_sit_in(state, action, legal)
    elif kind is Leave:
        verify_leave(state, action, legal)
    else:
        verify_post(state, action, legal)


def can(state: TableState, action: Any, legal: LegalActions | None = None) -> bool:
    try:
        verify(state, action, legal)
    except IllegalAction:
        return False
    return True


# -- derivation ----------------------------------------------------------------------------


def _wager_events(state: TableState, action: ActionBase) -> Iterator[Event]:
    # type(action) tests, not a saved kind: they narrow the action, so amount reads directly.
    seat: int = action.seat
    if type(action) is Call:
        yield Called(seat, call_amount(state, seat))
    elif type(action) is Check:
        yield Checked(seat)
    elif type(action) is Fold:
        yield Folded(seat, "action")
    elif type(action) is RaiseTo:
        amount: int = action.amount
        yield RaisedTo(seat, amount, amount - state.current_bet >= state.min_raise)
    elif type(action) is Bet:
        amount = action.amount
        yield BetMade(seat, amount, amount >= state.config.big_blind)
    else:
        assert type(action) is Timeout
        yield TimedOut(seat)  # sits the player out from the next hand
        if state.current_bet <= state.bet[seat]:
            yield Checked(seat)
        else:
            yield Folded(seat, "timeout")


def _table_events(state: TableState, action: Any) -> Iterator[Event]:
    seat, kind, running = action.seat, type(action), state.phase != IDLE
    if kind is Sit:
        yield PlayerSeated(seat, action.player, action.buy_in, waiting=running)
    elif kind is Post:
        yield RequestQueued(seat, "post", 0)
    elif running:
        request = {Leave: "leave", SitOut: "sit_out", SitIn: "sit_in",
                   Rebuy: "rebuy"}[kind]
        yield RequestQueued(seat, request, action.amount if kind is Rebuy else 0)
        if kind is Leave and state.to_act == seat:
            yield Folded(seat, "left")
    elif kind is Leave:
        name = state.player[seat]
        assert name is not None
        yield PlayerLeft(seat, name, state.stack[seat])
    elif kind is SitOut:
        yield SatOut(seat)
    elif kind is SitIn:
        yield SatIn(seat, waiting=state.missed_bb[seat] and state.status[seat] != PLAYING)
    else:
        assert kind is Rebuy
        yield RebuyApplied(seat, action.amount, action.amount)


def derive(state: TableState, action: Any, stop_at_hand_end: bool = False,
           setups: Mapping[int, HandSetup] | None = None) -> Iterator[Event]:
    """Yield the events ``action`` causes, then the automatic ones that follow.

    Contract: the caller applies each event to ``state`` before resuming the generator.
    ``action`` must already be verified. ``setups``: see ``dealer.advance``.
    """
    first = (_wager_events(state, action) if type(action) in BETTING_CLASSES
             else _table_events(state, action))
    # chain, not nested generators: every event of the hand passes through here, and
    # advance's body only starts once the action's own events were applied.
    return chain(first, advance(state, stop_at_hand_end, setups))


def run(state: TableState, events: Iterator[Event]) -> list[Event]:
    """Apply a derive/advance generator to ``state`` in place; return its events."""
    out = []
    for event in events:
        apply(state, event)
        out.append(event)
    return out


def events_for(state: TableState, action: Any) -> list[Event]:
    """The pure form: the events ``action`` causes from ``state``, which is left untouched."""
    verify(state, action)
    draft = state.copy()
    return run(draft, derive(draft, action))
