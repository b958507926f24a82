"""Legal actions for the player to act: computed here, once, for bots, checks and people."""

from __future__ import annotations

from typing import Any, Final

from sim.engine.record import Record
from sim.engine.state import NOT_ACTED, TableState, total


class LegalActions(Record):
    """What ``seat`` may do now. Amount ranges are inclusive; 0 means not allowed.

    ``min_bet``/``max_bet`` are totals for ``Bet``; ``min_raise_to``/``max_raise_to`` are
    totals for ``RaiseTo``; ``call`` is the chips a ``Call`` adds. Built on every turn, so a
    Record (see ``sim.engine.record``).
    """

    FIELDS = ("seat", "can_check", "call", "min_bet", "max_bet", "min_raise_to",
                        "max_raise_to", "pot")

    def __init__(self, seat: int, can_check: bool, call: int, min_bet: int, max_bet: int,
                 min_raise_to: int, max_raise_to: int, pot: int) -> None:
        self.seat: Final = seat
        self.can_check: Final = can_check
        self.call: Final = call
        self.min_bet: Final = min_bet
        self.max_bet: Final = max_bet
        self.min_raise_to: Final = min_raise_to
        self.max_raise_to: Final = max_raise_to
        self.pot: Final = pot  # chips in the middle and in front of players, for pot-sized bets

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.can_check, self.call, self.min_bet, self.max_bet,
                self.min_raise_to, self.max_raise_to, self.pot)


    @property
    def can_call(self) -> bool:
        return self.call > 0

    @property
    def can_bet(self) -> bool:
        return self.max_bet > 0

    @property
    def can_raise(self) -> bool:
        return self.max_raise_to > 0

    def describe(self) -> str:
        """``fold, call 4, raise to 8..200``"""
        parts = ["fold"]
        if self.can_check:
            parts.append("check")
        if self.can_call:
            parts.append(f"call {self.call}")
        if self.can_bet:
            parts.append(_range("bet", self.min_bet, self.max_bet))
        if self.can_raise:
            parts.append(_range("raise to", self.min_raise_to, self.max_raise_to))
        return ", ".join(parts)


def _range(verb: str, low: int, high: int) -> str:
    return f"{verb} {low}" if low == high else f"{verb} {low}..{high}"


def can_reopen(state: TableState, seat: int) -> bool:
    """May ``seat`` bet or raise? Not once it has acted, unless the raises since then add up
    to a full raise; and never when every other player still in the hand is all-in."""
    level = state.acted_level[seat]
    if level != NOT_ACTED and state.current_bet - level < state.min_raise:
        return False
    stack, folded = state.stack, state.folded
    for other in state.order:
        if other != seat and stack[other] and not folded[other]:
            return True
    return False


def contestable(state: TableState, seat: int) -> int | None:
    """The chips ``seat`` may still put in that another player could win: when every other
    player still in the hand is all-in, the largest of their contributions less its own
    (0 or less: nothing to decide); None while one of them has chips behind."""
    stack, folded, contrib = state.stack, state.folded, state.contrib
    top = 0
    for other in state.order:
        if other != seat and not folded[other]:
            if stack[other]:
                return None
            if contrib[other] > top:
                top = contrib[other]
    return top - contrib[seat]


def call_amount(state: TableState, seat: int) -> int:
    """The chips a call by ``seat`` adds: what it owes, at most its stack, and, facing only
    all-in players, no more than anyone can win (a short big blind prices a call at the
    full big blind only where someone can still answer it). 0 when nothing is owed."""
    owed = state.current_bet - state.bet[seat]
    if owed <= 0:
        return 0
    call = min(owed, state.stack[seat])
    room = contestable(state, seat)
    if room is not None and 0 < room < call:
        call = room
    return call


def legal_actions(state: TableState) -> LegalActions | None:
    """The legal actions of the player to act, or None when no one is to act."""
    seat = state.to_act
    if seat is None:
        return None
    stack = state.stack[seat]
    owed = state.current_bet - state.bet[seat]
    call = call_amount(state, seat)
    most = state.bet[seat] + stack  # all-in total
    min_bet = max_bet = min_raise_to = max_raise_to = 0
    if most > state.current_bet and can_reopen(state, seat):
        if state.current_bet == 0:
            min_bet, max_bet = min(state.config.big_blind, most), most
        else:
            increment = state.min_raise
            min_raise_to, max_raise_to = min(state.current_bet + increment, most), most
    return LegalActions(seat, owed <= 0, call, min_bet, max_bet, min_raise_to, max_raise_to,
                        state.pot + total(state.bet))
