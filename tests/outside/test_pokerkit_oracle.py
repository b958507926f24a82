"""The PokerKit oracle: harness hands agree, each mask is hit by its situation, and a planted
engine bug comes out as an unmasked difference (its hand played, and compared, in the copy
of the package that carries the bug)."""

from __future__ import annotations

import random
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pokerkit")

from conftest import call_in_copy  # noqa: E402

from sim.bots import draw_table  # noqa: E402
from sim.driver.hooks import TableHook  # noqa: E402
from sim.engine import actions as ac  # noqa: E402
from sim.engine.controller import Controller  # noqa: E402
from sim.engine.handsetup import HandSetup  # noqa: E402
from sim.engine.log import (
    HandRecord,  # noqa: E402
    TableLog,  # noqa: E402
)
from sim.engine.state import TableConfig  # noqa: E402
from sim.outside import pokerkit_oracle as oracle  # noqa: E402
from sim.outside.pokerkit_oracle import OracleTally, compare_hand  # noqa: E402
from sim.runner import RunSettings, TablePlayer  # noqa: E402

sys.path.insert(0, str(Path(__file__).parents[1] / "engine"))
from scenario import deck  # noqa: E402

SEED = 20240601


def play(monkeypatch: pytest.MonkeyPatch, stacks: Mapping[int, int], moves: Sequence[Any], *,
         seats: int | None = None, small: int = 1, big: int = 2, ante: int = 0,
         holes: Sequence[str] = (), board: str = "", hands: int = 1) -> list[HandRecord]:
    """Play ``moves`` at a fresh table (the first button is the lowest seat), then check or
    call until ``hands`` hands have finished; return their records.

    A move is "fold", "check", "call", "bet N", "raise N" (to N) for the player to act, or
    an Action (a table request)."""
    config = TableConfig(seats=seats or max(stacks) + 1, small_blind=small, big_blind=big,
                         ante=ante, min_buy_in=1, max_buy_in=10_000)
    setups = {1: HandSetup(deck=deck(holes, board))} if holes else {}
    log = TableLog(keep=16)
    table = Controller(config, SEED, players={s: (f"p{s}", c) for s, c in stacks.items()},
                       subscribers=[log], setups=setups)
    for move in moves:
        table.dispatch(_action(table, move))
    for _ in range(200):
        if log.finished >= hands:
            return list(log.hands)
        legal = table.legal_actions()
        assert legal is not None, "the table stopped before the hands finished"
        table.dispatch(ac.Check(legal.seat) if legal.can_check else ac.Call(legal.seat))
    raise AssertionError("the hands did not finish")


def _action(table: Controller, move: Any) -> Any:
    if not isinstance(move, str):
        return move
    seat = table.state.to_act
    assert seat is not None, f"no one is to act for {move!r}"
    verb, _, amount = move.partition(" ")
    kinds = {"fold": ac.Fold, "check": ac.Check, "call": ac.Call}
    if verb in kinds:
        return kinds[verb](seat)
    return (ac.Bet if verb == "bet" else ac.RaiseTo)(seat, int(amount))


def assert_masked(report: oracle.OracleReport, masks: dict[str, int], complete: bool) -> None:
    assert report.differences == []
    assert report.masks == masks
    assert report.complete is complete


# -- hands the harness plays ----------------------------------------------------------------

def harness_records(run_seed: int, tables: int, hands: int) -> list[HandRecord]:
    """Finished hands of the run's first ``tables`` tables, as `sim run` plays them."""
    collect = Collect()
    settings = RunSettings(seed=run_seed, hands=tables * hands, collect_rows=False)
    for table_id in range(tables):
        outcome = TablePlayer(draw_table(run_seed, table_id), hands, settings,
                              hooks=[collect]).play()
        assert outcome.finding is None, outcome.finding
    return collect.records


class Collect(TableHook):
    """Keeps every finished hand's record."""

    def __init__(self) -> None:
        self.records: list[HandRecord] = []

    def hand_ended(self, table: Any, record: HandRecord) -> None:
        self.records.append(record)


@pytest.mark.parametrize("run_seed", [1, 7])
def test_harness_hands_agree_with_pokerkit(run_seed):
    tally = OracleTally()
    for record in harness_records(run_seed, tables=12, hands=40):
        tally.add(compare_hand(record))
    assert tally.differences == [], tally.differences[:5]
    assert tally.hands >= 400
    # Masks that end a hand's comparison are rare, but a heads-up table with equal blinds
    # masks every hand it deals.
    assert tally.complete > 0.6 * tally.hands, tally.summary()
    assert tally.decisions > 3 * tally.hands, tally.summary()
    assert set(tally.masks) <= set(oracle.MASKS)


def test_a_hand_compares_the_same_after_a_json_round_trip():
    records = harness_records(3, tables=2, hands=20)
    for record in records:
        again = HandRecord.from_dict(record.to_dict())
        assert compare_hand(again) == compare_hand(record)


def test_the_oracle_leaves_the_global_random_module_alone():
    record = harness_records(3, tables=1, hands=2)[0]
    random.seed(11)
    expected = random.random()
    random.seed(11)
    compare_hand(record)
    assert random.random() == expected


# -- each mask, by its situation ------------------------------------------------------------

def test_a_plain_hand_to_showdown_is_compared_to_the_end(monkeypatch):
    # 3-handed, blinds 1/2: a raise, a call, bets on every street, a showdown.
    records = play(monkeypatch, {0: 100, 1: 100, 2: 100},
                   ["raise 6", "call", "fold", "bet 4", "raise 12", "call", "check", "bet 10",
                    "call", "check", "check"],
                   holes=["As Ad", "Kc Kd", "7h 2c"], board="Qs 9d 4c 3h 8s")
    report = compare_hand(records[0])
    assert_masked(report, {}, complete=True)
    assert report.decisions == 11


def test_short_big_blind_call(monkeypatch):
    # Blinds 5/10, the big blind holds 3: we price the call at 10, PokerKit at 5.
    report = compare_hand(play(monkeypatch, {0: 100, 1: 100, 2: 3}, ["call"], small=5,
                               big=10)[0])
    assert_masked(report, {"short_big_blind_call": 1}, complete=False)
    assert report.decisions == 0


def test_heads_up_equal_blinds(monkeypatch):
    report = compare_hand(play(monkeypatch, {0: 100, 1: 100}, ["check"], small=2, big=2)[0])
    assert_masked(report, {"heads_up_equal_blinds": 1}, complete=False)


@pytest.mark.parametrize(("small", "masks"), [(10, {"heads_up_equal_blinds": 1}), (5, {})])
def test_the_button_posting_the_small_blind_beside_a_live_post(monkeypatch, small, masks):
    # Seat 5 joins the heads-up game of seats 0 and 4 and posts: in hand 2 the button (4)
    # posts the small blind, seat 0 the big blind, seat 5 a live one before it. With equal
    # blinds PokerKit starts the betting after the button, we after the big blind.
    moves = [ac.Sit(5, "late", 100), ac.Post(5), "fold"]
    records = play(monkeypatch, {0: 100, 4: 100}, moves, seats=6, small=small, big=10,
                   hands=2)
    started = records[1].started
    assert (started.button, started.small_blind_seat, started.big_blind_seat) == (4, 4, 0)
    assert started.dealt == (5, 0, 4)
    assert_masked(compare_hand(records[1]), masks, complete=not masks)


def test_heads_up_with_a_smaller_small_blind_is_compared(monkeypatch):
    # PokerKit's heads-up blind order (index 0 posts the big blind) matches ours.
    records = play(monkeypatch, {3: 100, 5: 60}, ["raise 6", "raise 20", "call", "bet 10",
                                                  "call"], seats=6)
    report = compare_hand(records[0])
    assert_masked(report, {}, complete=True)
    assert report.decisions >= 5


def test_live_blind_order(monkeypatch):
    # Seat 4 joins during hand 1 and posts; in hand 2 (button 1, blinds 2 and 3) it posts
    # after the big blind: PokerKit starts the betting after it, as after a straddle.
    moves = [ac.Sit(4, "late", 100), ac.Post(4), "fold", "fold", "fold"]
    records = play(monkeypatch, {0: 100, 1: 100, 2: 100, 3: 100}, moves, seats=5, hands=2)
    assert records[1].started.posters == (4,)
    assert records[1].started.big_blind_seat == 3
    assert_masked(compare_hand(records[1]), {"live_blind_order": 1}, complete=False)


def test_a_live_post_before_the_big_blind_is_compared(monkeypatch):
    # Seat 2 joins and posts; in hand 2 (button 1) it sits between the button and the small
    # blind's seat 3, and the betting starts after the big blind in both engines.
    moves = [ac.Sit(2, "late", 100), ac.Post(2), "fold", "fold"]
    records = play(monkeypatch, {0: 100, 1: 100, 3: 100}, moves, seats=5, hands=2)
    started = records[1].started
    assert started.posters == (2,)
    assert started.dealt.index(2) < started.dealt.index(started.big_blind_seat)
    assert_masked(compare_hand(records[1]), {}, complete=True)


def test_incomplete_all_in_reopens(monkeypatch):
    # Blinds 5/10; the big blind keeps 5 and bets them on the flop after the small blind
    # checked: we do not let the small blind raise, PokerKit does.
    report = compare_hand(play(monkeypatch, {0: 100, 1: 100, 2: 15},
                               ["call", "call", "check", "check", "bet 5", "call", "call"],
                               small=5, big=10)[0])
    assert_masked(report, {"incomplete_all_in_reopens": 1}, complete=True)


def test_raise_nobody_can_call_is_masked_and_a_call_there_goes_on(monkeypatch):
    # The button shoves 50; the small blind faces it while the big blind can put in only
    # 30 in all: we offer a raise, PokerKit does not.
    report = compare_hand(play(monkeypatch, {0: 50, 1: 200, 2: 30}, ["raise 50", "call"])[0])
    assert_masked(report, {"raise_nobody_can_call": 1}, complete=True)


def test_raise_nobody_can_call_taken_ends_the_comparison(monkeypatch):
    report = compare_hand(play(monkeypatch, {0: 50, 1: 200, 2: 30},
                               ["raise 50", "raise 100"])[0])
    assert_masked(report, {"raise_nobody_can_call": 1}, complete=False)


def test_dead_decision_asked(monkeypatch):
    # The button calls all-in for the big blind, the small blind folds: the big blind has
    # nothing to decide; PokerKit asks it anyway.
    report = compare_hand(play(monkeypatch, {0: 10, 1: 100, 2: 100}, ["call", "fold"],
                               small=5, big=10)[0])
    assert_masked(report, {"dead_decision_asked": 1}, complete=True)


def test_odd_chips_remainder(monkeypatch):
    # Blinds 2/4, the small blind folds: 14 chips for three tied players, 2 odd chips.
    holes = ["3c 4d", "5c 6d", "7c 8d", "2d 3d"]  # seats 1, 2, 3, 0
    records = play(monkeypatch, {0: 100, 1: 100, 2: 100, 3: 100}, ["call", "call", "fold"],
                   small=2, big=4, holes=holes, board="As Ks Qs Js Ts")
    awards = [e for _, events in records[0].steps for e in events
              if type(e).__name__ == "PotAwarded"]
    assert [a.amount for a in awards] == [14]
    assert_masked(compare_hand(records[0]), {"odd_chips_remainder": 1}, complete=True)


def test_merged_side_pots(monkeypatch):
    # Two pots (21 and 9 chips) both split between seats 3 and 0, one odd chip each.
    holes = ["3c 4d", "7c 2d", "Ah Kd", "5c 6d", "Ac Ks"]  # seats 1, 2, 3, 4, 0
    moves = ["raise 8", "call", "call", "fold", "call", "check", "fold"]
    records = play(monkeypatch, {0: 100, 1: 100, 2: 5, 3: 100, 4: 100}, moves,
                   holes=holes, board="Ad Kh 9s 8c 2h")
    awards = [e for _, events in records[0].steps for e in events
              if type(e).__name__ == "PotAwarded"]
    assert sorted(a.amount for a in awards) == [9, 21]
    assert_masked(compare_hand(records[0]), {"merged_side_pots": 1}, complete=True)


# -- differences that are not masked ------------------------------------------------------

PLANTED_HANDS: dict[str, dict[str, Any]] = {
    # A raise to 10 over the big blind of 2: the next minimum raise is to 18, not 12.
    "min_raise_ignores_last_raise": dict(stacks={0: 100, 1: 100, 2: 100}, moves=["raise 10"]),
    # Blinds 1/2, the small blind folds: 7 chips for three tied players, 1 odd chip, which
    # the bug hands to the button instead of the first winner left of it.
    "odd_chip_to_button": dict(stacks={0: 100, 1: 100, 2: 100, 3: 100},
                               moves=["call", "call", "fold"],
                               holes=["3c 4d", "5c 6d", "7c 8d", "2d 3d"],  # seats 1, 2, 3, 0
                               board="As Ks Qs Js Ts"),
    # A bets 20 (a full bet), B shoves 25: A may only call; the bug lets A raise.
    "short_all_in_reopens": dict(stacks={0: 100, 1: 100, 2: 27},
                                 moves=["call", "call", "check", "bet 20", "raise 25", "call"]),
}


def planted_report(bug: str) -> dict[str, Any]:
    """(In the copy carrying ``bug``.) The oracle's report of its hand in PLANTED_HANDS."""
    hand = PLANTED_HANDS[bug]
    report = compare_hand(play(pytest.MonkeyPatch(), hand["stacks"], hand["moves"],
                               holes=hand.get("holes", ()), board=hand.get("board", ""))[0])
    return {"masks": report.masks, "differences": report.differences,
            "complete": report.complete}


def test_a_planted_min_raise_bug_is_an_unmasked_difference():
    report = call_in_copy(["min_raise_ignores_last_raise"], planted_report,
                          "min_raise_ignores_last_raise")
    assert report["masks"] == {}
    assert report["complete"] is False
    assert len(report["differences"]) == 1
    difference = report["differences"][0]
    assert difference.startswith("dispatch 1: seat 1 (preflop) to act")
    assert "we offer call 9, bet or raise to 12..100" in difference
    assert "PokerKit offers call 9, bet or raise to 18..100" in difference


def test_a_planted_odd_chip_bug_is_an_unmasked_difference(monkeypatch):
    report = call_in_copy(["odd_chip_to_button"], planted_report, "odd_chip_to_button")
    assert report["masks"] == {}
    assert report["differences"] == [
        "dispatch 13: final stacks differ: seat 2 ends with 100 here, 101 in PokerKit; "
        "seat 0 ends with 101 here, 100 in PokerKit."]
    # Without the bug the same hand agrees.
    hand = PLANTED_HANDS["odd_chip_to_button"]
    assert_masked(compare_hand(play(monkeypatch, hand["stacks"], hand["moves"],
                                    holes=hand["holes"], board=hand["board"])[0]),
                  {}, complete=True)


def test_a_planted_short_all_in_bug_is_an_unmasked_difference():
    report = call_in_copy(["short_all_in_reopens"], planted_report, "short_all_in_reopens")
    assert report["masks"] == {}
    assert len(report["differences"]) == 1
    assert "we offer call 5, bet or raise to" in report["differences"][0]
    assert "PokerKit offers call 5, no bet or raise" in report["differences"][0]


# -- use ------------------------------------------------------------------------------------

def test_an_unfinished_hand_is_refused(monkeypatch):
    log = TableLog()
    Controller(TableConfig(seats=2), SEED, players={0: ("a", 100), 1: ("b", 100)},
               subscribers=[log])
    assert log.current is not None
    with pytest.raises(ValueError, match="has not ended"):
        compare_hand(log.current)


def test_without_pokerkit_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pokerkit", None)  # import pokerkit raises ImportError
    with pytest.raises(oracle.OracleUnavailable) as info:
        oracle.require_pokerkit()
    assert str(info.value) == "--oracle needs the oracle extra: pip install 'sim[oracle]'"


def test_every_mask_has_a_one_line_description():
    assert oracle.ENDING <= set(oracle.MASKS)
    for name, description in oracle.MASKS.items():
        assert name.isidentifier()
        assert description.endswith(".") and "\n" not in description


def test_the_tally_adds_reports_up():
    tally = OracleTally()
    tally.add(oracle.OracleReport(1, 3, {"odd_chips_remainder": 1}, [], True))
    tally.add(oracle.OracleReport(2, 2, {"odd_chips_remainder": 1, "heads_up_equal_blinds": 1},
                                  ["dispatch 1: x."], False), where="table 4 hand 2")
    assert (tally.hands, tally.complete, tally.decisions) == (2, 1, 5)
    assert tally.masks == {"odd_chips_remainder": 2, "heads_up_equal_blinds": 1}
    assert tally.differences == ["table 4 hand 2: dispatch 1: x."]
    assert "2 hands compared (1 to the end), 5 decisions, 1 unmasked difference;" in (
        tally.summary())
