"""Scripted personalities: each plays one style hard, so a table of them drives the engine
into the corners that style reaches (many showdowns, many all-ins, min-raise wars...).

    >>> import random
    >>> from sim.engine import Controller, TableConfig
    >>> from sim.engine.views import player_view
    >>> players = {seat: (f"p{seat}", 100) for seat in range(4)}
    >>> table = Controller(TableConfig(seats=4), seed=1, players=players)
    >>> seat = table.state.to_act
    >>> view = player_view(table.state, seat)
    >>> MinRaiser("min_raiser-3").act(view, random.Random(1))  # the minimum raise to
    RaiseTo(seat=3, amount=4)

- CallingStation: checks when free, otherwise calls; never folds, never bets.
- Maniac: bets or raises whenever it can, all-in most of the time, otherwise big.
- Nit: preflop folds all but 99+, AK and AQ, which it raises; after the flop checks or
  folds unless it holds two pair or better, which it bets or raises.
- MinRaiser: the minimum bet or raise whenever it can, otherwise calls or checks.
- Shover: all-in or fold (check when free); shoves good starting hands and some others.
- Limper: calls the big blind preflop and folds to raises; after the flop checks, calls
  small bets, and folds to big ones unless it holds two pair or better.

Only the Nit and the Limper call the evaluator, and only after the flop when it matters.
"""

from __future__ import annotations

import random
from typing import ClassVar, Final

from sim.bots.memory import CarefulBot
from sim.bots.random_bot import all_in, check_or_fold, current_bet, passive_action, pot_raise_to
from sim.engine.actions import Action, Bet, Call, Check, Fold, RaiseTo
from sim.engine.evaluator import category, evaluate7
from sim.engine.legal import LegalActions
from sim.engine.views import PlayerView

# Rank index = card // 4.
NINE: Final = 7
TEN: Final = 8
QUEEN: Final = 10
KING: Final = 11
ACE: Final = 12
STRONG_CATEGORIES: Final = frozenset({"two pair", "trips", "straight", "flush", "full house",
                                      "quads", "straight flush"})


def _legal(view: PlayerView) -> LegalActions:
    legal = view.legal
    assert legal is not None, f"seat {view.seat} asked to act off its turn"
    return legal


def strong_start(hole: tuple[int, ...]) -> bool:
    """Pairs of nines or better, AK, AQ."""
    high, low = hole[0] // 4, hole[1] // 4
    if low > high:
        high, low = low, high
    if high == low:
        return high >= NINE
    return high == ACE and low >= QUEEN


def strong_made_hand(view: PlayerView) -> bool:
    """Two pair or better with the board (after the flop only)."""
    hole, board = view.hole, view.public.board
    assert hole is not None and len(board) >= 3
    return category(evaluate7((*hole, *board))) in STRONG_CATEGORIES


def sized_wager(legal: LegalActions, target: int) -> Action:
    """A bet or raise to ``target``, clamped into the legal range."""
    if legal.can_bet:
        return Bet(legal.seat, min(max(target, legal.min_bet), legal.max_bet))
    assert legal.can_raise
    return RaiseTo(legal.seat, min(max(target, legal.min_raise_to), legal.max_raise_to))


class CallingStation(CarefulBot):
    kind: ClassVar[str] = "calling_station"

    def act(self, view: PlayerView, rng: random.Random) -> Action:
        return passive_action(_legal(view))


class Maniac(CarefulBot):
    kind: ClassVar[str] = "maniac"

    def act(self, view: PlayerView, rng: random.Random) -> Action:
        legal = _legal(view)
        if not (legal.can_bet or legal.can_raise):
            return passive_action(legal)
        if rng.random() < 0.6:
            shove = all_in(legal)
            assert shove is not None
            return shove
        if legal.can_bet:
            low, high = legal.min_bet, legal.max_bet
        else:
            low, high = legal.min_raise_to, legal.max_raise_to
        if rng.random() < 0.5:
            return sized_wager(legal, pot_raise_to(view) if legal.can_raise else legal.pot)
        return sized_wager(legal, rng.randint((low + high) // 2, high))  # the upper half


class Nit(CarefulBot):
    kind: ClassVar[str] = "nit"

    def act(self, view: PlayerView, rng: random.Random) -> Action:
        legal = _legal(view)
        hole = view.hole
        assert hole is not None
        if not view.public.board:
            if not strong_start(hole):
                return check_or_fold(legal)
            if legal.can_raise:
                return sized_wager(legal, 3 * current_bet(view))
            return passive_action(legal)
        if not strong_made_hand(view):
            return check_or_fold(legal)
        if legal.can_bet:
            return sized_wager(legal, 2 * legal.pot // 3)
        if legal.can_raise and rng.random() < 0.5:
            return sized_wager(legal, pot_raise_to(view))
        return passive_action(legal)


class MinRaiser(CarefulBot):
    """Min-bets and min-raises. Past a bet of ten big blinds it re-raises one time in four
    and calls otherwise: two of them at a deep table would trade a thousand min-raises per
    hand, which tests liveness once and then only burns the run's time."""

    kind: ClassVar[str] = "min_raiser"

    def act(self, view: PlayerView, rng: random.Random) -> Action:
        legal = _legal(view)
        big_blind = view.config.big_blind
        if legal.can_raise and (legal.min_raise_to <= 10 * big_blind or rng.random() < 0.25):
            return RaiseTo(legal.seat, legal.min_raise_to)
        if legal.can_bet:
            return Bet(legal.seat, legal.min_bet)
        return passive_action(legal)


class Shover(CarefulBot):
    kind: ClassVar[str] = "shover"

    def act(self, view: PlayerView, rng: random.Random) -> Action:
        legal = _legal(view)
        hole = view.hole
        assert hole is not None
        if view.public.board:
            go = rng.random() < 0.4
        else:
            high, low = hole[0] // 4, hole[1] // 4
            go = high == low or max(high, low) >= QUEEN or rng.random() < 0.25
        if not go:
            return check_or_fold(legal)
        shove = all_in(legal)
        if shove is not None:
            return shove
        # Betting is closed to it (a short all-in, or everyone else is all-in): its call
        # is all it can put in.
        return passive_action(legal)


class Limper(CarefulBot):
    kind: ClassVar[str] = "limper"

    def act(self, view: PlayerView, rng: random.Random) -> Action:
        legal = _legal(view)
        if legal.can_check:
            return Check(legal.seat)
        if not view.public.board:
            # Call as long as no one raised past the big blind.
            if current_bet(view) <= view.config.big_blind:
                return Call(legal.seat)
            return Fold(legal.seat)
        if 3 * legal.call <= legal.pot or strong_made_hand(view):
            return Call(legal.seat)  # a small bet (at most half the pot before it)
        return Fold(legal.seat)
