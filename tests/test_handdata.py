"""sim.runner.handdata and the complete hand data the store keeps (issue 15)."""

from __future__ import annotations

import pytest

from sim.engine.cards import cards_from_str
from sim.run import run
from sim.runner import RunSettings
from sim.runner.handdata import all_classes, hand_class, other_names, positions
from sim.store.dataset import open_dataset


def test_position_names_by_table_size():
    assert positions((0, 1), button=0, small_blind_seat=0, big_blind_seat=1) == {
        0: "BTN", 1: "BB"}
    assert positions((2, 5, 7), button=5, small_blind_seat=7, big_blind_seat=2) == {
        5: "BTN", 7: "SB", 2: "BB"}
    six = positions((0, 1, 2, 3, 4, 5), button=3, small_blind_seat=4, big_blind_seat=5)
    assert six == {3: "BTN", 4: "SB", 5: "BB", 0: "UTG", 1: "HJ", 2: "CO"}
    assert other_names(6) == ["UTG", "UTG+1", "UTG+2", "LJ", "HJ", "CO"]  # nine-handed
    assert other_names(7) == ["UTG", "UTG+1", "UTG+2", "UTG+3", "LJ", "HJ", "CO"]


@pytest.mark.parametrize(("cards", "expected"), [
    ("As Ks", "AKs"), ("Kd Ah", "AKo"), ("7c 7h", "77"), ("9d Td", "T9s"), ("2c 3d", "32o")])
def test_hand_class(cards: str, expected: str):
    assert hand_class(cards_from_str(cards)) == expected


def test_the_169_classes_cover_every_two_card_hand():
    classes = all_classes()
    assert len(set(classes)) == 169
    seen = {hand_class((a, b)) for a in range(52) for b in range(a + 1, 52)}
    assert seen == set(classes)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    settings = RunSettings(seed=11, hands=400, hands_per_table=100)
    out = tmp_path_factory.mktemp("hd") / "r"
    run(settings, out, 1, "sim run")
    connection = open_dataset([out])
    yield connection
    connection.close()


def scalar(con, sql: str):
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def test_every_result_row_has_a_position_cards_and_a_class(con):
    assert scalar(con, "SELECT count(*) FROM results") > 400
    assert scalar(con, "SELECT count(*) FROM results WHERE position IS NULL "
                       "OR hand_class IS NULL OR hole IS NULL") == 0
    # one button and one big blind per hand
    assert scalar(con, "SELECT count(*) FROM (SELECT table_id, hand_no FROM results "
                       "GROUP BY ALL HAVING count(*) FILTER (WHERE position = 'BTN') <> 1 "
                       "OR count(*) FILTER (WHERE position = 'BB') <> 1)") == 0
    assert scalar(con, "SELECT count(*) FROM results r JOIN tables t USING (table_id) "
                       "WHERE abs(r.start_bb * t.big_blind - r.start_stack) > 1e-6") == 0


def test_showdown_flags_agree_with_the_hands(con):
    assert scalar(con, "SELECT count(*) FROM results WHERE went_to_showdown") > 0
    assert scalar(con, "SELECT count(*) FROM results r JOIN hands h USING (table_id, hand_no) "
                       "WHERE r.went_to_showdown AND NOT h.showdown") == 0
    assert scalar(con, "SELECT count(*) FROM results WHERE went_to_showdown "
                       "AND final_category IS NULL") == 0
    assert scalar(con, "SELECT count(*) FROM results WHERE went_to_showdown "
                       "AND NOT saw_flop") == 0


def test_action_rows_say_what_the_player_faced(con):
    assert scalar(con, "SELECT count(*) FROM actions WHERE action = 'Check' "
                       "AND facing <> 0") == 0
    assert scalar(con, "SELECT count(*) FROM actions WHERE action = 'Call' "
                       "AND NOT facing > 0") == 0
    assert scalar(con, "SELECT count(*) FROM actions WHERE action IN ('Bet', 'RaiseTo') "
                       "AND NOT pot_fraction > 0") == 0
    assert scalar(con, "SELECT count(*) FROM actions WHERE action = 'Bet' "
                       "AND raises_before <> 0") == 0
    assert scalar(con, "SELECT count(*) FROM actions WHERE street IS NOT NULL "
                       "AND action IN ('Fold', 'Check', 'Call') AND position IS NULL") == 0


def test_the_fast_paths_agree_with_the_general_ones():
    from sim.engine.cards import cards_to_str
    from sim.runner.handdata import _by_role, class_of, hole_name

    for a in range(52):
        for b in range(52):
            if a != b:
                assert class_of((a, b)) == hand_class((a, b))
                assert hole_name((a, b)) == cards_to_str((a, b))
    for count in range(2, 11):
        seats = list(range(0, 2 * count, 2))  # gaps between seats
        for first in range(count):
            button = seats[first]
            after = seats[first + 1:] + seats[:first + 1]
            small, big = (button, after[0]) if count == 2 else (after[0], after[1])
            assert positions(seats, button, small, big) == _by_role(seats, button, small, big)
