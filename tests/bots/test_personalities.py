"""The scripted personalities, the random bot, the seat-hopper and the timeout bot behave
as named: checked on every turn they took, against the view they were shown."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from bot_table import Game

from sim.bots import make_bot
from sim.bots.random_bot import pot_raise_to
from sim.bots.scripted import strong_made_hand, strong_start
from sim.engine import actions as ac
from sim.engine.seeds import derive_seed
from sim.engine.state import TableConfig
from sim.engine.views import PlayerView

CONFIG = TableConfig(seats=6, small_blind=1, big_blind=2, ante=1, min_buy_in=2, max_buy_in=150)
STACKS = {0: 150, 1: 150, 2: 6, 3: 80, 4: 150, 5: 30}


def turns_of(kind: str, hands: int = 150, opponents: str = "random",
             seed: int = 0) -> list[tuple[PlayerView, Any]]:
    """(view, action) for every turn the ``kind`` bots took at a table where they hold the
    even seats and ``opponents`` the odd ones."""
    bots = {seat: make_bot(kind if seat % 2 == 0 else opponents,
                           f"{kind if seat % 2 == 0 else opponents}-{seat}")
            for seat in range(CONFIG.seats)}
    game = Game(CONFIG, bots, STACKS, seed=derive_seed(seed, kind), keep_turns=True)
    game.play(hands)
    assert game.engine_failure is None
    turns = [(view, action) for bot, view, action in game.turns if bot.kind == kind]
    assert len(turns) > 100
    return turns


def is_wager(action: Any) -> bool:
    return type(action) in (ac.Bet, ac.RaiseTo)


def test_calling_station_never_folds_and_never_wagers() -> None:
    for view, action in turns_of("calling_station"):
        legal = view.legal
        expected = ac.Check if legal.can_check else ac.Call
        assert type(action) is expected, (legal, action)


def test_shover_wagers_are_all_in() -> None:
    kinds = Counter()
    for view, action in turns_of("shover"):
        legal = view.legal
        kinds[type(action)] += 1
        if type(action) is ac.Bet:
            assert action.amount == legal.max_bet
        elif type(action) is ac.RaiseTo:
            assert action.amount == legal.max_raise_to
        elif type(action) is ac.Call:
            assert not (legal.can_bet or legal.can_raise), "called when it could shove"
        elif type(action) is ac.Fold:
            assert not legal.can_check
    assert kinds[ac.RaiseTo] and kinds[ac.Fold]


def test_min_raiser_raises_exactly_the_minimum() -> None:
    raises = deep_calls = 0
    for view, action in turns_of("min_raiser"):
        legal = view.legal
        small = legal.min_raise_to <= 10 * view.config.big_blind
        if legal.can_raise and small:
            assert action == ac.RaiseTo(legal.seat, legal.min_raise_to)
            raises += 1
        elif legal.can_raise:  # past ten big blinds: a min-raise now and then, else a call
            assert action in (ac.RaiseTo(legal.seat, legal.min_raise_to), ac.Call(legal.seat))
            deep_calls += type(action) is ac.Call
        elif legal.can_bet:
            assert action == ac.Bet(legal.seat, legal.min_bet)
        else:
            assert type(action) in (ac.Check, ac.Call)
    assert raises > 50
    assert deep_calls > 0


def test_maniac_wagers_whenever_it_can_mostly_all_in() -> None:
    wagers = all_ins = 0
    for view, action in turns_of("maniac"):
        legal = view.legal
        if legal.can_bet or legal.can_raise:
            assert is_wager(action), (legal, action)
            wagers += 1
            high = legal.max_bet if legal.can_bet else legal.max_raise_to
            low = legal.min_bet if legal.can_bet else legal.min_raise_to
            all_ins += action.amount == high
            target = pot_raise_to(view) if legal.can_raise else legal.pot
            pot_sized = min(max(target, low), high)
            big = action.amount >= (low + high) // 2
            assert big or action.amount == pot_sized, (legal, action)
        else:
            assert type(action) in (ac.Check, ac.Call)
    assert wagers > 50
    assert all_ins > wagers / 2


def test_nit_puts_chips_in_only_with_strong_hands() -> None:
    raised_preflop = 0
    for view, action in turns_of("nit", hands=250):
        legal = view.legal
        preflop = not view.public.board
        strong = strong_start(view.hole) if preflop else strong_made_hand(view)
        if not strong:
            expected = ac.Check if legal.can_check else ac.Fold
            assert type(action) is expected, (view.hole, view.public.board, action)
        elif preflop and legal.can_raise:
            assert type(action) is ac.RaiseTo
            raised_preflop += 1
    assert raised_preflop > 0


@pytest.mark.parametrize("hole, strong", [
    ((28, 29), True),   # 9c 9d
    ((24, 25), False),  # 8c 8d
    ((51, 44), True),   # As Kc
    ((51, 40), True),   # As Qc
    ((51, 36), False),  # As Jc
    ((44, 40), False),  # Kc Qc
])
def test_nit_starting_hands(hole: tuple[int, int], strong: bool) -> None:
    assert strong_start(hole) is strong


def test_limper_calls_the_big_blind_and_never_raises() -> None:
    calls = 0
    for view, action in turns_of("limper"):
        legal = view.legal
        assert not is_wager(action)
        if legal.can_check:
            assert type(action) is ac.Check
        elif not view.public.board:
            to_match = view.public.seats[view.seat].bet + legal.call
            if to_match <= CONFIG.big_blind:
                assert type(action) is ac.Call
                calls += 1
            else:
                assert type(action) is ac.Fold
    assert calls > 20


def test_random_bot_uses_every_type_and_the_amount_edges() -> None:
    types: Counter[type] = Counter()
    edges: Counter[str] = Counter()
    for view, action in turns_of("random", hands=200, opponents="calling_station"):
        legal = view.legal
        types[type(action)] += 1
        if type(action) is ac.Fold:
            assert not legal.can_check, "folded when checking was free"
        if type(action) is ac.RaiseTo:
            low, high = legal.min_raise_to, legal.max_raise_to
            pot = pot_raise_to(view)
        elif type(action) is ac.Bet:
            low, high, pot = legal.min_bet, legal.max_bet, legal.pot
        else:
            continue
        if low < high - 1 and low < pot < high - 1:
            edges["min"] += action.amount == low
            edges["one_under"] += action.amount == high - 1
            edges["all_in"] += action.amount == high
            edges["pot"] += action.amount == pot
            edges["inside"] += low < action.amount < high - 1 and action.amount != pot
    assert set(types) == {ac.Fold, ac.Check, ac.Call, ac.Bet, ac.RaiseTo}
    assert all(edges[name] > 0 for name in ("min", "one_under", "all_in", "pot", "inside")), edges


def dispatched_kinds(kind: str, hands: int, seed: int = 3) -> Counter[type]:
    bots = {seat: make_bot(kind, f"{kind}-{seat}") for seat in range(CONFIG.seats)}
    game = Game(CONFIG, bots, STACKS, seed=derive_seed(seed, kind)).play(hands)
    assert game.engine_failure is None
    return Counter(type(action) for _, action in game.dispatched)


def test_seat_hopper_hops() -> None:
    kinds = dispatched_kinds("seat_hopper", 200)
    for expected in (ac.SitOut, ac.SitIn, ac.Leave, ac.Sit, ac.Rebuy, ac.Post):
        assert kinds[expected] > 0, (expected, kinds)


def test_timeout_bot_times_out_and_sits_back_in() -> None:
    kinds = dispatched_kinds("timeout", 150)
    assert kinds[ac.Timeout] > 10
    assert kinds[ac.SitIn] > 5
    assert kinds[ac.Bet] + kinds[ac.RaiseTo] > 10  # otherwise it plays like RandomBot
