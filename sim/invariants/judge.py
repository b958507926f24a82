"""An independent judge of actions: is an action legal in a state, by RULES.md?

The engine's ``rules.verify`` decides what it accepts; this is a second reading of the same
rules, written apart from it (the betting part through ``oracle.legal_set``), so the checks
can tell when the engine accepted what the rules forbid (the ``action_legal`` invariant)
or refused what they allow (``CheckedTable.offer``).

    >>> from sim.engine import Controller, TableConfig
    >>> from sim.engine.actions import Check, Fold
    >>> table = Controller(TableConfig(seats=3), seed=7,
    ...                    players={0: ("ann", 200), 1: ("bob", 200), 2: ("cy", 200)})
    >>> judge(table.state, Check(seat=0))
    Message('seat 0 may not check: 2 is owed')
    >>> judge(table.state, Fold(seat=0)) is None
    True
    >>> print(judge(table.state, Fold(seat=1)))
    it is not seat 1's turn (to act: 0)

The reasons are ``sim.finding.Message``s: a check that quotes one keeps its template in
the finding's shape, so two bugs the judge tells apart stay two bugs.

Only the committed state before the action is read: its betting books were proven equal
to the events' at the dispatch before (``legal_actions``).
"""

from __future__ import annotations

from typing import Any, Final

from sim.engine.actions import (
    ACTION_CLASSES,
    Bet,
    Call,
    Check,
    Fold,
    Leave,
    RaiseTo,
    Rebuy,
    Sit,
    SitIn,
    SitOut,
    Timeout,
)
from sim.engine.state import (
    BETTING,
    GO_IN,
    GO_OUT,
    IDLE,
    SITTING_OUT,
    WAITING,
    TableState,
    total,
)
from sim.finding import Message, shown
from sim.invariants import oracle

Legal = tuple[int, bool, int, int, int, int, int, int]
# What ``action_legal`` says of an accepted action the judge forbids, whoever sent it (a
# bot, or the chaos bot's junk): one sentence, so one bug is one signature.
ACCEPTED_ILLEGAL: Final = "The engine accepted {action} though {why}."


def chips(value: Any) -> bool:
    """A positive whole number of chips (a bool is not one)."""
    return type(value) is int and value > 0


def legal_now(s: TableState, seat: int) -> Legal:
    """``oracle.legal_set`` for ``seat`` from the state's betting books."""
    room = oracle.answerable(seat, s.order, s.folded, s.stack, s.contrib)
    return oracle.legal_set(seat, s.stack[seat], s.bet[seat], s.current_bet, s.min_raise,
                            s.acted_level[seat], room is None, s.config.big_blind,
                            s.pot + total(s.bet), room)


def judge(s: TableState, action: Any, legal: Legal | None = None) -> Message | None:
    """Why ``action`` is illegal in ``s`` (a phrase), or None when the rules allow it.
    ``legal`` may pass in ``legal_now(s, s.to_act)`` when the caller has it already."""
    kind = type(action)
    if kind not in ACTION_CLASSES:
        return Message("{action} is not an action", action=shown(action))
    seat = action.seat
    if type(seat) is not int or not 0 <= seat < s.config.seats:
        return Message("seat {seat} does not exist", seat=repr(seat))
    if kind is Fold or kind is Check or kind is Call or kind is Bet or kind is RaiseTo \
            or kind is Timeout:
        return _betting(s, action, seat, legal)
    if kind is Sit:
        return _sit(s, action, seat)
    if s.player[seat] is None:
        return Message("seat {seat} is empty", seat=seat)
    if kind is Leave:
        return Message("seat {seat} is already leaving", seat=seat) \
            if s.pending_leave[seat] else None
    if s.pending_leave[seat]:
        return Message("seat {seat} is leaving and may ask for nothing more", seat=seat)
    out = s.pending_status[seat] == GO_OUT or (s.status[seat] == SITTING_OUT
                                                and s.pending_status[seat] != GO_IN)
    if kind is SitOut:
        return Message("seat {seat} already sits out", seat=seat) if out else None
    if kind is SitIn:
        return None if out else Message("seat {seat} already sits in", seat=seat)
    if kind is Rebuy:
        return _rebuy(s, action.amount, seat)
    return _post(s, seat)


def _betting(s: TableState, action: Any, seat: int, legal: Legal | None) -> Message | None:
    kind = type(action)
    if kind is Bet or kind is RaiseTo:
        if not chips(action.amount):
            return Message("{amount} is not a positive whole number of chips",
                           amount=repr(action.amount))
    if s.phase != BETTING or s.to_act != seat:
        return Message("it is not seat {seat}'s turn (to act: {to_act})", seat=seat,
                       to_act=s.to_act)
    if kind is Fold or kind is Timeout:
        return None
    if legal is None:
        legal = legal_now(s, seat)
    if kind is Check:
        return None if legal[1] else Message("seat {seat} may not check: {owed} is owed",
                                             seat=seat, owed=s.current_bet - s.bet[seat])
    if kind is Call:
        return None if legal[2] > 0 else Message("seat {seat} may not call: nothing is owed",
                                                 seat=seat)
    amount: int = action.amount
    low, high = (legal[3], legal[4]) if kind is Bet else (legal[5], legal[6])
    if high == 0:
        return Message("seat {seat} may not bet now", seat=seat) if kind is Bet else \
            Message("seat {seat} may not raise now", seat=seat)
    if not low <= amount <= high:
        return Message("seat {seat} may bet {low} to {high}, not {amount}", seat=seat,
                       low=low, high=high, amount=amount) if kind is Bet else \
            Message("seat {seat} may raise to {low} to {high}, not {amount}", seat=seat,
                    low=low, high=high, amount=amount)
    return None


def _sit(s: TableState, action: Sit, seat: int) -> Message | None:
    name, buy_in, config = action.player, action.buy_in, s.config
    if s.player[seat] is not None:
        return Message("seat {seat} is taken", seat=seat)
    if type(name) is not str or not name.strip():
        return Message("{name} is not a player name", name=repr(name))
    if name in s.player:
        return Message("{name} is seated already", name=repr(name))
    if not chips(buy_in) or not config.min_buy_in <= buy_in <= config.max_buy_in:
        return Message("a buy-in of {buy_in} is not {low} to {high} chips",
                       buy_in=repr(buy_in), low=config.min_buy_in, high=config.max_buy_in)
    return None


def _rebuy(s: TableState, amount: Any, seat: int) -> Message | None:
    """Up to the maximum buy-in, counting what is queued and, during a hand the player is
    dealt into, the chips they put in the pot."""
    if not chips(amount):
        return Message("a rebuy of {amount} is not a positive whole number of chips",
                       amount=repr(amount))
    held = s.stack[seat] + s.pending_rebuy[seat]
    if s.phase != IDLE and s.dealt[seat]:
        held += s.contrib[seat]
    if held + amount > s.config.max_buy_in:
        return Message("a rebuy of {amount} takes seat {seat} to {held} chips (pot "
                       "included), above the maximum buy-in of {high}", amount=amount,
                       seat=seat, held=held + amount, high=s.config.max_buy_in)
    return None


def _post(s: TableState, seat: int) -> Message | None:
    waiting = s.status[seat] == WAITING or (s.pending_status[seat] == GO_IN
                                            and s.missed_bb[seat])
    if not waiting:
        return Message("seat {seat} is not waiting for the big blind", seat=seat)
    if s.will_post[seat]:
        return Message("seat {seat} has posted already", seat=seat)
    if s.stack[seat] <= 0:
        return Message("seat {seat} has no chips to post", seat=seat)
    return None
