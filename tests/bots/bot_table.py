"""A small driver that plays bots against a real Controller and checks them as it goes.

    game = Game(TableConfig(seats=6), {seat: make_bot("nit", f"nit-{seat}") for seat in
                range(6)}, stacks={seat: 200 for seat in range(6)}, seed=7)
    game.play(hands=200)

On every turn it builds the player's view, asks the bot, and dispatches only what
``controller.can`` accepts; a non-chaos bot's illegal action or request fails the test at
once, with the view. A chaos bot's illegal ones are dispatched anyway and must raise
IllegalAction with the state snapshot unchanged. Requests are asked once per hand of every
seated bot (the runner's contract) and, at random moments, again (to prove the bots stay
legal when asked more than once); empty seats are offered to their bot's ``rejoin``.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Mapping
from typing import Any

import pytest

from sim.bots.base import Bot
from sim.bots.swarm import TableSpec, make_bot
from sim.engine import Controller, IllegalAction
from sim.engine.seeds import derive_seed
from sim.engine.state import TableConfig
from sim.engine.views import PlayerView, player_view

MAX_TRIES = 100  # attempts per turn (a chaos bot keeps sending junk now and then)
MAX_IDLE_ROUNDS = 200  # rounds of requests at an idle table before the game ends
STEPS_PER_HAND = 400  # a bound on the whole game: hands * this many dispatches


class EngineFailure(Exception):
    """The engine crashed on a legal action: its bug, not the bot's (reported, not ours)."""


def label(action: Any) -> str:
    """A repr that is the same from run to run (a plain object's repr has its address)."""
    return "object()" if type(action) is object else repr(action)


class Game:
    def __init__(self, config: TableConfig, bots: Mapping[int, Bot], stacks: Mapping[int, int],
                 seed: int, extra_requests: float = 0.1, keep_turns: bool = False,
                 check_rejections: bool = True) -> None:
        self.config = config
        self.bots = dict(bots)
        self.controller = Controller(config, seed=seed,
                                     players={s: (self.bots[s].name, stacks[s]) for s in stacks})
        self.rngs = {seat: random.Random(derive_seed(seed, "seat", seat)) for seat in self.bots}
        self.driver_rng = random.Random(derive_seed(seed, "driver"))
        self.extra_requests = extra_requests
        self.keep_turns = keep_turns
        self.check_rejections = check_rejections
        self.trace: list[str] = []  # every action asked for, in order, legal or not
        self.turns: list[tuple[Bot, PlayerView, Any]] = []  # kept when keep_turns
        self.dispatched: list[tuple[int, Any]] = []  # (seat, action), legal ones
        self.rejected: list[tuple[int, Any]] = []  # chaos bots' illegal ones
        self.attempts = 0  # chaos bots' actions and requests asked for
        self.hands_seen = 0
        self.engine_failure: str | None = None

    @classmethod
    def from_spec(cls, spec: TableSpec, **options: Any) -> Game:
        bots = {seat: make_bot(kind, name) for seat, kind, name, _ in spec.bots}
        # Empty seats get a seat-hopper that may sit down later (as the runner re-seats).
        for seat in range(spec.config.seats):
            bots.setdefault(seat, make_bot("seat_hopper", f"seat_hopper-{seat}"))
        stacks = {seat: buy_in for seat, _, _, buy_in in spec.bots}
        return cls(spec.config, bots, stacks, spec.seed, **options)

    # -- playing ----------------------------------------------------------------------------
    def play(self, hands: int) -> Game:
        """Play until ``hands`` hands have started, or the table stays idle.

        An engine crash on a legal action ends the game with a warning (the engine is
        tested elsewhere; these tests are about the bots)."""
        try:
            self._play(hands)
        except EngineFailure as failure:
            self.engine_failure = str(failure)
            warnings.warn(f"engine failure, game cut short: {failure}", stacklevel=2)
        return self

    def _play(self, hands: int) -> None:
        last_hand = -1
        idle_rounds = 0
        for _ in range(hands * STEPS_PER_HAND):
            state = self.controller.state
            if state.hand_no > hands:
                break
            if state.hand_no != last_hand:
                last_hand = state.hand_no
                self.hands_seen += 1
                self.request_round()
                continue
            if state.to_act is None:
                idle_rounds += 1
                if idle_rounds > MAX_IDLE_ROUNDS:
                    break
                self.request_round()
                continue
            if self.driver_rng.random() < self.extra_requests:
                self.ask(self.driver_rng.randrange(self.config.seats))
            else:
                self.turn()

    def turn(self) -> None:
        state = self.controller.state
        seat = state.to_act
        assert seat is not None
        bot, rng = self.bots[seat], self.rngs[seat]
        for _ in range(MAX_TRIES):
            view = player_view(self.controller.state, seat)
            action = bot.act(view, rng)
            self.trace.append(f"act {seat} {label(action)}")
            if self.keep_turns:
                self.turns.append((bot, view, action))
            if self.try_dispatch(bot, seat, action, view):
                return
        raise AssertionError(f"{bot} sent {MAX_TRIES} illegal actions in a row")

    def request_round(self) -> None:
        for seat in range(self.config.seats):
            self.ask(seat)

    def ask(self, seat: int) -> None:
        """A request from the seat's bot, or a rejoin when its seat is empty."""
        bot, rng = self.bots[seat], self.rngs[seat]
        state = self.controller.state
        if state.player[seat] is None:
            action = bot.rejoin(seat, self.config, rng)
            self.trace.append(f"rejoin {seat} {label(action)}")
            if action is not None:
                assert self.controller.can(action), f"{bot} rejoin {action!r} is illegal"
                self.dispatched.append((seat, action))
                self.dispatch(action)
            return
        assert state.player[seat] == bot.name
        view = player_view(state, seat)
        action = bot.request(view, rng)
        self.trace.append(f"request {seat} {label(action)}")
        if action is not None:
            self.try_dispatch(bot, seat, action, view)

    def dispatch(self, action: Any) -> None:
        try:
            self.controller.dispatch(action)
        except AssertionError as error:
            raise EngineFailure(f"{action!r} raised AssertionError({error}) at\n"
                                f"{self.controller.describe()}") from error

    def try_dispatch(self, bot: Bot, seat: int, action: Any, view: PlayerView) -> bool:
        """Dispatch a legal action; a chaos bot's illegal one must be rejected cleanly."""
        controller = self.controller
        if bot.chaos:
            self.attempts += 1
        if controller.can(action):
            self.dispatched.append((seat, action))
            self.dispatch(action)
            return True
        assert bot.chaos, (f"{bot} sent the illegal {action!r}\n{view}\n"
                           f"{controller.describe()}")
        self.rejected.append((seat, action))
        if self.check_rejections:
            before = controller.state.snapshot()
            state = controller.state
            with pytest.raises(IllegalAction):
                controller.dispatch(action)
            assert controller.state is state
            assert state.snapshot() == before, f"rejected {action!r} changed the state"
        return False


def uniform_table(kind: str, config: TableConfig, stacks: Mapping[int, int], seed: int,
                  **options: Any) -> Game:
    """A table where every seat (filled or empty) has a bot of ``kind``."""
    bots = {seat: make_bot(kind, f"{kind}-{seat}") for seat in range(config.seats)}
    return Game(config, bots, stacks, seed, **options)
