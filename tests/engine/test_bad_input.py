"""Bad input: every illegal action raises IllegalAction with a sentence naming the value and
a hint, and changes nothing: not the state, not the log."""

import pytest
from scenario import Table

from sim.engine.actions import (
    Bet,
    Call,
    Check,
    Fold,
    Leave,
    Post,
    RaiseTo,
    Rebuy,
    Sit,
    SitIn,
    SitOut,
    Timeout,
    action_from_dict,
)
from sim.engine.errors import IllegalAction
from sim.engine.state import FLOP, IDLE, TableConfig

NOT_AMOUNTS = [-5, 0, 2.5, 4.0, "ten", "10", None, True, False, [10]]
NOT_SEATS = [-1, 3, 99, "0", None, True, 0.0, 1.5]


@pytest.fixture
def table(monkeypatch) -> Table:
    """Three players, blinds 1/2, stacks 100; seat 0 (the button) is to act preflop."""
    t = Table({0: 100, 1: 100, 2: 100}, max_buy_in=200, min_buy_in=20)
    assert t.state.to_act == 0
    return t


@pytest.fixture
def wide_table(monkeypatch) -> Table:
    """Two players on four seats: seats 2 and 3 are empty."""
    return Table({0: 100, 1: 100}, seats=4, min_buy_in=20, max_buy_in=200)


@pytest.fixture
def flop(table) -> Table:
    table.do(Call(0), Call(1), Check(2))
    assert table.state.street == FLOP
    assert table.state.to_act == 1
    return table


def shown(value) -> str:
    """How a message names a value: ints as numbers, anything else by its repr."""
    return str(value) if type(value) is int else repr(value)


# -- amounts ----------------------------------------------------------------------------------

@pytest.mark.parametrize("amount", NOT_AMOUNTS, ids=repr)
def test_raise_amount_that_is_not_a_positive_integer(table, amount):
    table.reject(RaiseTo(0, amount), f"Raise to {shown(amount)} is not", "positive integers")


@pytest.mark.parametrize("amount", NOT_AMOUNTS, ids=repr)
def test_bet_amount_that_is_not_a_positive_integer(flop, amount):
    flop.reject(Bet(1, amount), f"Bet {shown(amount)} is not", "positive integers")


@pytest.mark.parametrize("amount", NOT_AMOUNTS, ids=repr)
def test_rebuy_amount_that_is_not_a_positive_integer(table, amount):
    table.reject(Rebuy(1, amount), f"Rebuy of {shown(amount)} is not", "positive integers")


@pytest.mark.parametrize("amount", NOT_AMOUNTS, ids=repr)
def test_sit_buy_in_that_is_not_a_positive_integer(wide_table, amount):
    wide_table.reject(Sit(3, "new", amount), f"Buy-in {shown(amount)} is not",
                      "positive integers")


def test_raise_below_the_minimum_raise(table):
    table.reject(RaiseTo(0, 3), "Raise to 3 is below the minimum raise to 4",
                 "legal: fold, call 2, raise to 4..100")


def test_raise_above_the_stack(table):
    table.reject(RaiseTo(0, 101), "Raise to 101 is above seat 0's all-in total of 100",
                 "raise to 4..100")
    table.reject(RaiseTo(0, 10 ** 30), str(10 ** 30), "all-in total of 100")


def test_bet_below_the_minimum_and_above_the_stack(flop):
    flop.reject(Bet(1, 1), "Bet of 1 is below the minimum bet of 2",
                "legal: fold, check, bet 2..98")
    flop.reject(Bet(1, 99), "Bet of 99 is above seat 1's stack of 98", "bet 2..98")


def test_buy_in_outside_the_table_limits(wide_table):
    wide_table.reject(Sit(3, "new", 19), "Buy-in of 19 is below the minimum",
                      "buy in for 20 to 200")
    wide_table.reject(Sit(3, "new", 201), "Buy-in of 201 is above the maximum", "20 to 200")


def test_rebuy_above_the_maximum_buy_in(table):
    table.reject(Rebuy(0, 101), "Rebuy of 101", "maximum buy-in of 200", "at most 100 more")


# -- wrong actions for the moment -------------------------------------------------------------

def test_action_out_of_turn(table):
    table.reject(Call(1), "Seat 1 cannot call", "it is seat 0's turn")
    table.reject(Fold(2), "Seat 2 cannot fold", "seat 0's turn")
    table.reject(RaiseTo(2, 10), "Seat 2 cannot raise", "seat 0's turn")
    table.reject(Timeout(1), "Seat 1 cannot time out", "seat 0's turn")


def test_check_when_owing_and_call_when_nothing_is_owed(table):
    table.reject(Check(0), "Seat 0 cannot check: 2 is owed", "legal: fold, call 2")
    table.do(Call(0), Call(1))
    table.reject(Call(2), "Seat 2 cannot call: nothing is owed", "legal: fold, check")


def test_bet_when_there_is_a_bet_and_raise_when_there_is_none(flop):
    flop.reject(RaiseTo(1, 10), "Seat 1 cannot raise", "bet instead")
    flop.do(Bet(1, 10))
    flop.reject(Bet(2, 20), "Seat 2 cannot bet", "already a bet of 10")


@pytest.mark.parametrize("action", [Fold(0), Check(0), Call(0), Bet(0, 10), RaiseTo(0, 10),
                                    Timeout(0)], ids=lambda a: type(a).__name__)
def test_betting_action_when_no_hand_is_running(monkeypatch, action):
    t = Table({0: 100, 1: 100})
    t.do(SitOut(1))
    t.fold_out()
    assert t.state.phase == IDLE
    t.reject(action, "Seat 0 cannot", "no hand is in progress")


# -- seats and actions that do not exist ------------------------------------------------------

@pytest.mark.parametrize("seat", NOT_SEATS, ids=repr)
@pytest.mark.parametrize("kind", [Fold, Check, Call, Leave, SitOut, SitIn, Post, Timeout])
def test_seat_that_does_not_exist(table, kind, seat):
    table.reject(kind(seat), f"Seat {seat!r} does not exist", "seats 0 to 2")


@pytest.mark.parametrize("seat", NOT_SEATS, ids=repr)
def test_seat_that_does_not_exist_with_an_amount(table, seat):
    table.reject(RaiseTo(seat, 10), f"Seat {seat!r} does not exist", "seats 0 to 2")
    table.reject(Rebuy(seat, 10), f"Seat {seat!r} does not exist", "seats 0 to 2")
    table.reject(Sit(seat, "new", 50), f"Seat {seat!r} does not exist", "seats 0 to 2")


def test_empty_seat(wide_table):
    for action in (Leave(3), SitOut(3), SitIn(3), Rebuy(3, 10), Post(3)):
        wide_table.reject(action, "Seat 3 is empty", "occupied seats are 0, 1")
    wide_table.reject(Fold(3), "Seat 3 cannot fold", "seat 0's turn")


class Lookalike:
    """Quacks like a Fold but is not one."""

    seat = 0


@pytest.mark.parametrize("action", ["fold", "Fold(0)", {"type": "Fold", "seat": 0}, None, 0,
                                    object(), Lookalike(), Fold, ("Fold", 0)],
                         ids=lambda a: type(a).__name__)
def test_unknown_action(table, action):
    table.reject(action, f"Unknown action {action!r}", "an action is one of", "RaiseTo")


# -- table actions at the wrong moment --------------------------------------------------------

def test_table_requests_that_make_no_sense(table, wide_table):
    table.reject(Sit(1, "new", 50), "Seat 1 is taken by 'p1'", "empty seats are none")
    table.reject(SitIn(1), "Seat 1 is already sitting in", "it may sit out")
    table.reject(Post(1), "Seat 1 cannot post", "waiting for the big blind")
    table.do(SitOut(1))
    table.reject(SitOut(1), "Seat 1 is already sitting out", "it may sit in")
    table.do(Leave(1))
    table.reject(Leave(1), "Seat 1 is already leaving")
    table.reject(SitIn(1), "Seat 1 is leaving", "no more requests")
    wide_table.reject(Sit(3, "p0", 50), "Player 'p0' already sits at seat 0")
    wide_table.reject(Sit(3, "", 50), "Player name ''", "non-empty string")
    wide_table.reject(Sit(3, 7, 50), "Player name 7", "non-empty string")


# -- the logged form ----------------------------------------------------------------------------

@pytest.mark.parametrize("data, fragments", [
    ("Fold", ["Action 'Fold' is not an object", '"type": "Call"']),
    ({"type": "Shove", "seat": 0}, ["Unknown action type 'Shove'", "known types are"]),
    ({"type": "Bet", "seat": 0}, ["Action Bet takes fields seat, amount", "missing ['amount']"]),
    ({"type": "Fold", "seat": 0, "amount": 3}, ["unexpected ['amount']"]),
])
def test_malformed_logged_actions(data, fragments):
    with pytest.raises(IllegalAction) as info:
        action_from_dict(data)
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.mark.parametrize("settings, fragment", [
    ({"seats": 1}, "2 to 10 seats, not 1"),
    ({"seats": 11}, "2 to 10 seats, not 11"),
    ({"big_blind": 0}, "big_blind=0"),
    ({"small_blind": 2.5}, "small_blind=2.5"),
    ({"small_blind": 3, "big_blind": 2}, "Small blind 3 is above the big blind 2"),
    ({"ante": -1}, "ante=-1"),
    ({"ante": "5"}, "ante='5'"),
    ({"seats": True}, "2 to 10 seats, not True"),
    ({"big_blind": 10**19}, "big_blind=10000000000000000000 is above 1,000,000,000,000, the most "
                            "chips a setting may be"),
    ({"ante": 10**13}, "ante=10000000000000 is above 1,000,000,000,000"),
    ({"max_buy_in": 10**12 + 1}, "max_buy_in=1000000000001 is above"),
    ({"max_buy_in": None}, "max_buy_in=None"),
    ({"min_buy_in": 500, "max_buy_in": 400}, "Minimum buy-in 500 is above the maximum 400"),
])
def test_bad_table_settings(settings, fragment):
    with pytest.raises(IllegalAction) as info:
        TableConfig(**settings)
    assert fragment in str(info.value)
