"""RandomBot: uniform over the legal action types, amounts over the whole legal range with
extra weight on the edges, where engines break: the minimum, one chip under all-in,
all-in, and exactly pot-sized.

    >>> import random
    >>> from sim.engine import Controller, TableConfig
    >>> from sim.engine.views import player_view
    >>> players = {seat: (f"p{seat}", 100) for seat in range(4)}
    >>> table = Controller(TableConfig(seats=4), seed=1, players=players)
    >>> seat = table.state.to_act
    >>> view = player_view(table.state, seat)
    >>> RandomBot("random-3").act(view, random.Random(1))
    Fold(seat=3)
    >>> [random_amount(10, 200, 45, random.Random(i)) for i in range(8)]  # often an edge
    [45, 26, 11, 149, 36, 200, 45, 48]

The small helpers here (``random_action``, ``passive_action``, ``pot_raise_to``...) are
shared by the other bots; each is a few comparisons, since ``act`` runs on every turn.
"""

from __future__ import annotations

import random
from typing import ClassVar, Final

from sim.bots.memory import CarefulBot
from sim.engine.actions import Action, Bet, Call, Check, Fold, RaiseTo
from sim.engine.legal import LegalActions
from sim.engine.views import PlayerView

FOLD: Final = 0
CHECK: Final = 1
CALL: Final = 2
BET: Final = 3
RAISE: Final = 4


def random_amount(low: int, high: int, pot: int, rng: random.Random) -> int:
    """An amount in ``low..high``: a third of the time uniform over the range, otherwise
    an edge: ``low``, ``high - 1``, ``high``, ``pot`` (when in range) or near ``low``."""
    assert 0 < low <= high, (low, high)
    if low == high:
        return low
    r = rng.random()
    if r < 0.35:
        return rng.randint(low, high)
    if r < 0.50:
        return low
    if r < 0.60:
        return high - 1  # one chip under all-in; >= low since low < high
    if r < 0.75:
        return high
    if r < 0.85 and low <= pot <= high:
        return pot
    return rng.randint(low, min(high, 3 * low))  # small wagers, so hands see later streets


def action_types(legal: LegalActions) -> list[int]:
    """The legal action types; fold only when facing a bet (folding a free check is legal
    but pointless)."""
    types = [CHECK] if legal.can_check else [FOLD]
    if legal.can_call:
        types.append(CALL)
    if legal.can_bet:
        types.append(BET)
    if legal.can_raise:
        types.append(RAISE)
    return types


def current_bet(view: PlayerView) -> int:
    """The bet to match this street. Exact when the player can raise; when its call is
    short (all-in for less), this is its all-in total instead, which is smaller."""
    legal = view.legal
    assert legal is not None
    return view.public.seats[view.seat].bet + legal.call


def pot_raise_to(view: PlayerView) -> int:
    """The total of a pot-sized raise: call, then raise by the pot after the call."""
    legal = view.legal
    assert legal is not None
    return current_bet(view) + legal.pot + legal.call


def random_wager(view: PlayerView, rng: random.Random) -> Action:
    """A bet or raise (whichever is legal) of a ``random_amount``."""
    legal = view.legal
    assert legal is not None
    if legal.can_bet:
        return Bet(legal.seat, random_amount(legal.min_bet, legal.max_bet, legal.pot, rng))
    assert legal.can_raise, legal
    return RaiseTo(legal.seat, random_amount(legal.min_raise_to, legal.max_raise_to,
                                             pot_raise_to(view), rng))


def random_action(view: PlayerView, rng: random.Random) -> Action:
    """Uniform over ``action_types``; wagers sized by ``random_amount``."""
    legal = view.legal
    assert legal is not None, f"seat {view.seat} asked to act off its turn"
    kind = rng.choice(action_types(legal))
    seat = legal.seat
    if kind == CHECK:
        return Check(seat)
    if kind == FOLD:
        return Fold(seat)
    if kind == CALL:
        return Call(seat)
    return random_wager(view, rng)


def passive_action(legal: LegalActions) -> Action:
    """Check when free, otherwise call."""
    return Check(legal.seat) if legal.can_check else Call(legal.seat)


def check_or_fold(legal: LegalActions) -> Action:
    return Check(legal.seat) if legal.can_check else Fold(legal.seat)


def all_in(legal: LegalActions) -> Action | None:
    """The all-in bet or raise, or None when neither is open."""
    if legal.can_bet:
        return Bet(legal.seat, legal.max_bet)
    if legal.can_raise:
        return RaiseTo(legal.seat, legal.max_raise_to)
    return None


class RandomBot(CarefulBot):
    """Uniform over the legal action types; amounts from ``random_amount``."""

    kind: ClassVar[str] = "random"

    def act(self, view: PlayerView, rng: random.Random) -> Action:
        return random_action(view, rng)
