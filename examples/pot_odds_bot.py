"""A complete plug-in bot: it calls when the price is right and bets its strong hands.

Run it against two built-in bots:

    sim run --config examples/experiment.toml

A plug-in bot subclasses ``sim.bots.base.Bot`` and overrides ``act(view, rng)``. On its
turn it is given its own view (``view.hole`` its cards, ``view.public`` the table as
everyone sees it: board, pot, stacks and bets, no other player's hidden cards) and
``view.legal``, the legal actions with their amounts; it returns one action built for its
own seat (``view.seat``). An action that is not legal, or an exception, stops the table
and is reported as this bot's fault (``bot_fault``), not the engine's. All randomness must
come from ``rng`` (seeded per seat), so a run replays from its seed.

Keyword arguments after the name come from the config's ``params``.
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from sim.bots.base import Bot
from sim.engine.actions import Bet, Call, Check, Fold, RaiseTo
from sim.engine.evaluator import CATEGORIES, evaluate7
from sim.engine.views import PlayerView

# A rough chance to win by the category of the best hand after the flop.
EQUITY_BY_CATEGORY = dict(zip(CATEGORIES, (0.15, 0.45, 0.7, 0.8, 0.85, 0.88, 0.95, 0.99, 1.0),
                              strict=True))


def preflop_equity(hole: tuple[int, ...]) -> float:
    """A rough chance to win from the two hole cards alone: pairs, high cards, suits."""
    high, low = sorted((card // 4 for card in hole), reverse=True)  # rank 0 is a deuce
    if high == low:
        return 0.5 + 0.035 * high
    equity = 0.2 + 0.02 * high + 0.01 * low
    if hole[0] % 4 == hole[1] % 4:
        equity += 0.03
    if high - low == 1:
        equity += 0.02
    return equity


class PotOddsBot(Bot):
    """Calls when its rough equity beats the pot odds by ``margin``; bets two-thirds of the
    pot (or raises) with an equity of ``value`` or more."""

    kind: ClassVar[str] = "pot_odds"

    def __init__(self, name: str, margin: float = 0.05, value: float = 0.7) -> None:
        super().__init__(name)
        if not 0 <= margin < 1 or not 0 < value <= 1:
            raise TypeError(f"margin={margin!r} must be in [0, 1) and value={value!r} in (0, 1]")
        self.margin = margin
        self.value = value

    def act(self, view: PlayerView, rng: random.Random) -> Any:
        legal = view.legal
        assert legal is not None and view.hole is not None  # it is our turn: we hold cards
        seat = view.seat
        equity = self.equity(view)
        pot = legal.pot
        if equity >= self.value:
            target = pot * 2 // 3
            if legal.can_bet:
                return Bet(seat, min(max(target, legal.min_bet), legal.max_bet))
            if legal.can_raise:
                return RaiseTo(seat, min(max(legal.min_raise_to, target), legal.max_raise_to))
        if legal.can_check:
            return Check(seat)
        price = legal.call / (pot + legal.call)
        if equity - self.margin >= price:
            return Call(seat)
        return Fold(seat)

    def equity(self, view: PlayerView) -> float:
        assert view.hole is not None
        board = view.public.board
        if len(board) < 3:
            return preflop_equity(view.hole)
        strength = evaluate7(view.hole + board)
        return EQUITY_BY_CATEGORY[CATEGORIES[strength >> 24]]
