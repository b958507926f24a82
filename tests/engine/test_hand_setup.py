"""HandSetup: dealing a given hand (its button and deck) through the public API."""

import pytest
from scenario import Table, deck

from sim.engine import Controller, HandSetup, IllegalAction, TableConfig
from sim.engine.actions import Call, Check, Fold
from sim.engine.cards import cards_to_str, shuffled_deck
from sim.engine.log import TableLog
from sim.engine.state import IDLE

BOARD = "2c 3d 7h 9s Tc"


def test_a_given_button_and_deck_deal_the_hand():
    # Seats 1, 4 and 6 of a table of 8; the button at seat 4, not the lowest seat.
    given = deck(["As Ad", "Ks Kd", "Qs Qd"], BOARD)
    table = Controller(TableConfig(seats=8), seed=1,
                       players={1: ("ann", 100), 4: ("bob", 100), 6: ("cy", 100)},
                       setups={1: HandSetup(button=4, deck=given)})
    s = table.state
    assert (s.button, s.small_blind_seat, s.big_blind_seat, s.to_act) == (4, 6, 1, 4)
    assert s.deck == given
    assert s.order == (6, 1, 4)  # dealt from the seat left of the button
    assert [cards_to_str(s.hole[seat]) for seat in (6, 1, 4)] == ["As Ad", "Ks Kd", "Qs Qd"]


def test_stop_at_hand_end_stops_after_the_given_hand():
    log = TableLog()
    table = Controller(TableConfig(seats=2), seed=1, players={0: ("ann", 100), 1: ("bob", 100)},
                       subscribers=[log], setups={1: HandSetup(button=1)},
                       stop_at_hand_end=True)
    assert table.state.button == 1
    table.dispatch(Fold(1))  # heads-up the button posts the small blind and acts first
    assert table.state.phase == IDLE
    assert table.state.hand_no == 1
    assert log.last_hand is not None and list(log.last_hand.final.stack) == [101, 99]


def test_later_hands_follow_their_setups_and_others_shuffle():
    t = Table({0: 100, 1: 100, 2: 100}, seed=5, buttons={2: 0},
              decks={2: deck(["As Ad", "Ks Kd", "Qs Qd"], BOARD)})
    first = t.hand_events(1)[0]
    assert first.button == 0 and first.deck == shuffled_deck(first.seed)
    t.fold_out()
    second = t.hand_events(2)[0]
    assert second.button == 0  # held where the setup put it, not moved on to seat 1
    assert second.deck == deck(["As Ad", "Ks Kd", "Qs Qd"], BOARD)
    t.do(Call(0), Call(1), Check(2))
    assert t.state.street == 1


def test_a_button_seat_that_cannot_hold_it_is_refused():
    with pytest.raises(IllegalAction, match="Seat 3 cannot hold the button of hand 1"):
        Controller(TableConfig(seats=6), seed=1, players={0: ("ann", 100), 1: ("bob", 100)},
                   setups={1: HandSetup(button=3)})


@pytest.mark.parametrize("bad", [(0,) * 52, tuple(range(51)), tuple(range(1, 53))])
def test_a_deck_that_is_not_a_permutation_is_refused(bad):
    with pytest.raises(ValueError, match="is not a permutation of the 52 cards"):
        HandSetup(deck=bad)


def test_setups_must_be_hand_setups():
    with pytest.raises(TypeError, match="give sim.engine.HandSetup values"):
        Controller(TableConfig(seats=2), seed=1, setups={1: (0, None)})  # type: ignore[dict-item]


def test_the_setup_is_in_the_log_so_the_hand_replays_without_it():
    log = TableLog()
    given = deck(["As Ad", "Ks Kd"], BOARD)
    table = Controller(TableConfig(seats=2), seed=1, players={0: ("ann", 100), 1: ("bob", 100)},
                       subscribers=[log], setups={1: HandSetup(button=1, deck=given)})
    table.dispatch(Call(1))
    record = log.current
    assert record is not None
    assert (record.snapshot.button, record.snapshot.deck) == (1, given)
    resumed = Controller.resume(record.snapshot)  # no setups: the snapshot holds the deck
    assert [cards_to_str(resumed.state.hole[s]) for s in (0, 1)] == ["As Ad", "Ks Kd"]
