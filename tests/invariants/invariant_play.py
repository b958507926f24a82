"""Random legal play for the invariant tests: seeded, checked after every dispatch.

    table = new_table(rng, seats=6)
    play(table, rng, hands=200)          # raises FindingError on a broken rule

Actions are uniform over the legal kinds with weight on the edges (min bet or raise,
all-in, one chip short of all-in); now and then a timeout, and seats that sit out, sit in,
leave, come back, rebuy or post to come in, so every rule gets exercised.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from sim.bots.chaos import junk_action
from sim.engine import actions as ac
from sim.engine.legal import LegalActions
from sim.engine.state import IDLE, SITTING_OUT, WAITING, TableConfig
from sim.engine.views import player_view
from sim.invariants.pipeline import CheckedTable


@dataclass(frozen=True, slots=True)
class Mix:
    """How the random players behave."""

    aggression: float = 0.3  # chance to bet or raise when allowed
    fold: float = 0.25  # chance to fold when facing a bet
    timeout: float = 0.01
    requests: float = 0.04  # chance per turn that some seat makes a table request
    leave: float = 0.15  # share of those requests that are Leave
    junk: float = 0.0  # chance per turn that the player to act first offers chaos junk


def new_table(rng: random.Random, seats: int | None = None, *, small_blind: int | None = None,
              big_blind: int | None = None, ante: int | None = None,
              stacks: tuple[int, int] | None = None, players: int | None = None,
              checks: Any = None) -> CheckedTable:
    """A checked table with random settings (any of them may be fixed)."""
    seats = seats or rng.randint(2, 10)
    big_blind = big_blind or rng.choice((2, 2, 4, 10))
    small_blind = small_blind or max(1, big_blind // 2 - rng.choice((0, 0, 1)))
    small_blind = min(small_blind, big_blind)
    ante = rng.choice((0, 0, 0, 1, big_blind // 4)) if ante is None else ante
    low, high = stacks or rng.choice(((1, 20), (10, 60), (80, 300)))
    config = TableConfig(seats=seats, small_blind=small_blind, big_blind=big_blind, ante=ante,
                         min_buy_in=low * big_blind, max_buy_in=high * big_blind)
    count = players or rng.randint(2, seats)
    chosen = sorted(rng.sample(range(seats), count))
    return CheckedTable(config, rng.getrandbits(32),
                        {seat: (f"p{seat}", _buy_in(config, rng)) for seat in chosen},
                        checks=checks)


def _buy_in(config: TableConfig, rng: random.Random) -> int:
    return rng.randint(config.min_buy_in, config.max_buy_in)


def random_action(legal: LegalActions, rng: random.Random, mix: Mix = Mix()) -> ac.Action:
    seat = legal.seat
    if legal.can_call and rng.random() < mix.fold:
        return ac.Fold(seat)
    if (legal.can_bet or legal.can_raise) and rng.random() < mix.aggression:
        low, high = ((legal.min_bet, legal.max_bet) if legal.can_bet
                     else (legal.min_raise_to, legal.max_raise_to))
        amount = rng.choice((low, high, high - 1, rng.randint(low, high)))
        amount = min(max(amount, low), high)
        return ac.Bet(seat, amount) if legal.can_bet else ac.RaiseTo(seat, amount)
    if legal.can_check:
        return ac.Check(seat) if rng.random() > 0.02 else ac.Fold(seat)
    return ac.Call(seat)


def play(table: CheckedTable, rng: random.Random, hands: int, mix: Mix = Mix()) -> int:
    """Play until ``hands`` more hands finished (or the table cannot go on). Returns the
    number of hands played."""
    start = finished = table.log.finished
    budget = hands * 400  # dispatches; a hand takes a few dozen at most
    while table.log.finished - start < hands and budget > 0:
        budget -= 1
        if table.log.finished != finished:
            finished = table.log.finished
            _between_hands(table, rng)
        if rng.random() < mix.requests:
            _request(table, rng, mix)
        legal = table.controller.legal_actions()
        if legal is None:
            if not _revive(table, rng):
                break
            continue
        if mix.junk and rng.random() < mix.junk:
            view = player_view(table.state, legal.seat, legal=legal)
            table.offer(junk_action(view, rng), junk=True)
            continue
        if rng.random() < mix.timeout:
            action: Any = ac.Timeout(legal.seat)
        else:
            action = random_action(legal, rng, mix)
        table.dispatch(action)
    return table.log.finished - start


def _between_hands(table: CheckedTable, rng: random.Random) -> None:
    """After a hand: most busted players rebuy, and empty seats fill up now and then."""
    state = table.state
    for seat in range(state.config.seats):
        if state.player[seat] is None:
            action: Any = ac.Sit(seat, f"n{seat}-{state.hand_no}", _buy_in(state.config, rng))
            if rng.random() > 0.1:
                continue
        elif state.stack[seat] == 0 and rng.random() < 0.7:
            action = ac.Rebuy(seat, _buy_in(state.config, rng))
        else:
            continue
        if table.controller.can(action):
            table.dispatch(action)
            state = table.state


def _request(table: CheckedTable, rng: random.Random, mix: Mix) -> None:
    state = table.state
    seat = rng.randrange(state.config.seats)
    if state.player[seat] is None:
        action: Any = ac.Sit(seat, f"q{seat}-{state.hand_no}", _buy_in(state.config, rng))
    elif rng.random() < mix.leave:
        action = ac.Leave(seat)
    elif state.status[seat] == WAITING and rng.random() < 0.5:
        action = ac.Post(seat)
    else:
        action = rng.choice((ac.SitOut(seat), ac.SitIn(seat), ac.Post(seat), ac.Post(seat),
                             ac.Rebuy(seat, rng.randint(1, state.config.max_buy_in))))
    if table.controller.can(action):
        table.dispatch(action)


def _revive(table: CheckedTable, rng: random.Random) -> bool:
    """An idle table: rebuy the busted, sit in the sitting-out, seat newcomers."""
    for _ in range(4):
        state = table.state
        if state.phase != IDLE:
            return True
        for seat in range(state.config.seats):
            state = table.state
            if state.phase != IDLE:
                return True
            if state.player[seat] is None:
                if rng.random() < 0.5:
                    action: Any = ac.Sit(seat, f"r{seat}-{state.hand_no}",
                                         _buy_in(state.config, rng))
                else:
                    continue
            elif state.stack[seat] == 0:
                action = ac.Rebuy(seat, state.config.min_buy_in)
            elif state.status[seat] in (SITTING_OUT, WAITING):
                action = ac.SitIn(seat)
            else:
                continue
            if table.controller.can(action):
                table.dispatch(action)
    return table.state.phase != IDLE
