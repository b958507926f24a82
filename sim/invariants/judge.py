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
    'seat 0 may not check: 2 is owed'
    >>> judge(table.state, Fold(seat=0))
    ''
    >>> judge(table.state, Fold(seat=1))
    "it is not seat 1's turn (to act: 0)"

Only the committed state before the action is read: its betting books were proven equal
to the events' at the dispatch before (``legal_actions``).
"""

from __future__ import annotations

from typing import Any

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
from sim.invariants import oracle

Legal = tuple[int, bool, int, int, int, int, int, int]


def chips(value: Any) -> bool:
    """A positive whole number of chips (a bool is not one)."""
    return type(value) is int and value > 0


def legal_now(s: TableState, seat: int) -> Legal:
    """``oracle.legal_set`` for ``seat`` from the state's betting books."""
    room = oracle.answerable(seat, s.order, s.folded, s.stack, s.contrib)
    return oracle.legal_set(seat, s.stack[seat], s.bet[seat], s.current_bet, s.min_raise,
                            s.acted_level[seat], room is None, s.config.big_blind,
                            s.pot + total(s.bet), room)


def judge(s: TableState, action: Any, legal: Legal | None = None) -> str:
    """Why ``action`` is illegal in ``s`` (a phrase), or ``""`` when the rules allow it.
    ``legal`` may pass in ``legal_now(s, s.to_act)`` when the caller has it already."""
    kind = type(action)
    if kind not in ACTION_CLASSES:
        return f"{action!r} is not an action"
    seat = action.seat
    if type(seat) is not int or not 0 <= seat < s.config.seats:
        return f"seat {seat!r} does not exist"
    if kind is Fold or kind is Check or kind is Call or kind is Bet or kind is RaiseTo \
            or kind is Timeout:
        return _betting(s, action, seat, legal)
    if kind is Sit:
        return _sit(s, action, seat)
    if s.player[seat] is None:
        return f"seat {seat} is empty"
    if kind is Leave:
        return f"seat {seat} is already leaving" if s.pending_leave[seat] else ""
    if s.pending_leave[seat]:
        return f"seat {seat} is leaving and may ask for nothing more"
    out = s.pending_status[seat] == GO_OUT or (s.status[seat] == SITTING_OUT
                                                and s.pending_status[seat] != GO_IN)
    if kind is SitOut:
        return f"seat {seat} already sits out" if out else ""
    if kind is SitIn:
        return "" if out else f"seat {seat} already sits in"
    if kind is Rebuy:
        return _rebuy(s, action.amount, seat)
    return _post(s, seat)


def _betting(s: TableState, action: Any, seat: int, legal: Legal | None) -> str:
    kind = type(action)
    if kind is Bet or kind is RaiseTo:
        if not chips(action.amount):
            return f"{action.amount!r} is not a positive whole number of chips"
    if s.phase != BETTING or s.to_act != seat:
        return f"it is not seat {seat}'s turn (to act: {s.to_act})"
    if kind is Fold or kind is Timeout:
        return ""
    if legal is None:
        legal = legal_now(s, seat)
    if kind is Check:
        return "" if legal[1] else f"seat {seat} may not check: " \
            f"{s.current_bet - s.bet[seat]} is owed"
    if kind is Call:
        return "" if legal[2] > 0 else f"seat {seat} may not call: nothing is owed"
    amount: int = action.amount
    low, high = (legal[3], legal[4]) if kind is Bet else (legal[5], legal[6])
    verb = "bet" if kind is Bet else "raise to"
    if high == 0:
        return f"seat {seat} may not {verb} now"
    if not low <= amount <= high:
        return f"seat {seat} may {verb} {low} to {high}, not {amount}"
    return ""


def _sit(s: TableState, action: Sit, seat: int) -> str:
    name, buy_in, config = action.player, action.buy_in, s.config
    if s.player[seat] is not None:
        return f"seat {seat} is taken"
    if type(name) is not str or not name.strip():
        return f"{name!r} is not a player name"
    if name in s.player:
        return f"{name!r} is seated already"
    if not chips(buy_in) or not config.min_buy_in <= buy_in <= config.max_buy_in:
        return (f"a buy-in of {buy_in!r} is not {config.min_buy_in} to "
                f"{config.max_buy_in} chips")
    return ""


def _rebuy(s: TableState, amount: Any, seat: int) -> str:
    """Up to the maximum buy-in, counting what is queued and, during a hand the player is
    dealt into, the chips they put in the pot."""
    if not chips(amount):
        return f"a rebuy of {amount!r} is not a positive whole number of chips"
    held = s.stack[seat] + s.pending_rebuy[seat]
    if s.phase != IDLE and s.dealt[seat]:
        held += s.contrib[seat]
    if held + amount > s.config.max_buy_in:
        return (f"a rebuy of {amount} takes seat {seat} to {held + amount} chips (pot "
                f"included), above the maximum buy-in of {s.config.max_buy_in}")
    return ""


def _post(s: TableState, seat: int) -> str:
    waiting = s.status[seat] == WAITING or (s.pending_status[seat] == GO_IN
                                            and s.missed_bb[seat])
    if not waiting:
        return f"seat {seat} is not waiting for the big blind"
    if s.will_post[seat]:
        return f"seat {seat} has posted already"
    if s.stack[seat] <= 0:
        return f"seat {seat} has no chips to post"
    return ""
