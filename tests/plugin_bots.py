"""Plug-in bots that break the rules, for tests/test_experiment.py and the hand watchdog's
tests in tests/cli/test_run_command.py (loaded as plugin_bots:X)."""

from __future__ import annotations

import random
import sys
import time
from typing import Any

from sim.bots.base import Bot
from sim.engine.actions import Call, Check, RaiseTo
from sim.engine.views import PlayerView


class Crasher(Bot):
    """Plays a few hands, then raises an exception on its turn."""

    def __init__(self, name: str, after: int = 3) -> None:
        super().__init__(name)
        self.after = after

    def act(self, view: PlayerView, rng: random.Random) -> Any:
        if view.public.hand_no > self.after:
            raise RuntimeError("my model's weights are missing")
        assert view.legal is not None
        return Check(view.seat) if view.legal.can_check else Call(view.seat)


class Overbettor(Bot):
    """Raises to more chips than anyone has."""

    def act(self, view: PlayerView, rng: random.Random) -> Any:
        return RaiseTo(view.seat, 10**9)


class NotABot:
    pass


class Spy(Bot):
    """Checks on every turn that it sees no other player's hidden cards; then calls."""

    def act(self, view: PlayerView, rng: random.Random) -> Any:
        for seat, other in enumerate(view.public.seats):
            if seat != view.seat and other.cards is not None:
                raise AssertionError(f"seat {seat}'s cards {other.cards} are visible")
        assert view.hole is not None and view.legal is not None
        return Check(view.seat) if view.legal.can_check else Call(view.seat)


class Quitter(Bot):
    """Calls sys.exit(7) on its first turn, as a careless script might."""

    def act(self, view: PlayerView, rng: random.Random) -> Any:
        sys.exit(7)


class QuitsBetweenHands(Bot):
    """Plays, then calls sys.exit(7) when asked between hands."""

    def act(self, view: PlayerView, rng: random.Random) -> Any:
        assert view.legal is not None
        return Check(view.seat) if view.legal.can_check else Call(view.seat)

    def request(self, view: PlayerView, rng: random.Random) -> Any:
        sys.exit(7)


class QuitsWhenBuilt(Bot):
    """Calls sys.exit(7) in its constructor."""

    def __init__(self, name: str) -> None:
        sys.exit(7)
class Dawdler(Bot):
    """Thinks for ``seconds`` on its first turn from hand ``hand`` on (a slow hand that
    ends), then checks or calls, as on every other turn."""

    def __init__(self, name: str, seconds: float = 1.5, hand: int = 2) -> None:
        super().__init__(name)
        self.seconds = seconds
        self.hand = hand
        self.dawdled = False

    def act(self, view: PlayerView, rng: random.Random) -> Any:
        if view.public.hand_no >= self.hand and not self.dawdled:
            self.dawdled = True
            time.sleep(self.seconds)
        assert view.legal is not None
        return Check(view.seat) if view.legal.can_check else Call(view.seat)
