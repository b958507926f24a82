"""The run-level checks on known inputs: uniform decks pass, biased or repeated decks
fail the check written for them, too regular decks fail too, a run too small tests
nothing; the statistic of the whole table is Pearson's scaled by 51/52."""

from __future__ import annotations

import numpy as np
import pytest

from sim import exits
from sim.bots import draw_table
from sim.finding import Kind
from sim.runlevel.checks import (
    ALPHA,
    MIN_HANDS,
    TABLE_DF,
    agreements,
    card_positions,
    evaluate,
    position_cards,
    positions_overall,
    tables_independent,
)
from sim.runlevel.decks import HAND_NUMBERS, RunDecks, dealt_run
from sim.runlevel.table import dealt_again, table_decks
from sim.runlevel.tails import chi2_sf


def swarm_run(seed: int, hands: int, per_table: int = 200) -> RunDecks:
    """The decks a run of ``hands`` hands in swarm tables of ``per_table`` deals."""
    return dealt_run((table, draw_table(seed, table).seed,
                      min(per_table, hands - table * per_table))
                     for table in range(-(-hands // per_table)))


def from_decks(cards: np.ndarray, per_table: int = 200) -> RunDecks:
    """A run whose tables deal ``cards`` (rows of 52) in order."""
    run = RunDecks()
    for table, start in enumerate(range(0, len(cards), per_table)):
        run.add(table, table, table_decks(cards[start:start + per_table]
                                          .astype(np.uint8).tobytes()))
    return run


@pytest.fixture(scope="module")
def clean() -> RunDecks:
    return swarm_run(8, 20_000)


def test_a_clean_run_passes(clean):
    evaluation = evaluate(clean)
    assert not evaluation.skipped
    assert len(evaluation.judged) == 52 + 52 + 1 + 1 + 1
    assert evaluation.failed() == []
    assert "107 tests" in evaluation.line() and "all passed" in evaluation.line()
    assert min(j.adjusted for j in evaluation.judged) > ALPHA


def test_a_run_too_small_tests_nothing():
    evaluation = evaluate(swarm_run(8, MIN_HANDS - 1))
    assert evaluation.judged == () and evaluation.failed() == []
    assert evaluation.line() == ("run checks: nothing tested: 1,999 hands, fewer than the "
                                 "2,000 the run checks need")


def test_a_biased_position_fails_its_check(clean):
    """Position 0 always holds the lower of the first two cards (a last swap left out
    would bias it like this, more weakly)."""
    cards = np.concatenate([dealt_again(draw_table(8, t).seed, 200).array()
                            for t in range(25)])
    first, second = cards[:, 0].copy(), cards[:, 1].copy()
    cards[:, 0], cards[:, 1] = np.minimum(first, second), np.maximum(first, second)
    evaluation = evaluate(from_decks(cards))
    failed = {f.finding.name: f for f in evaluation.failed()}
    assert "position_cards" in failed
    worst = failed["position_cards"].worst.test
    assert worst.subject in ("position 0", "position 1")
    finding = failed["position_cards"].finding
    assert finding.kind is Kind.STATISTICAL and finding.kind.exit_code == exits.FAILED
    assert finding.table_id is None and finding.hand_no is None
    assert "over 5,000 hands" in finding.message and "51 degrees of freedom" in finding.message


def test_row_statistics_against_a_hand_computation():
    hands = 5200
    counts = np.full((52, 52), 100)
    counts[3, 0], counts[3, 1] = 130, 70  # card 2s: 30 more at position 0, 30 fewer at 1
    counts[4, 0], counts[4, 1] = 70, 130  # ... and 3c the other way: margins stay 5200
    rows = card_positions(counts, hands)
    expected = (30 ** 2 + 30 ** 2) / 100
    assert rows[3].value == pytest.approx(expected) and rows[3].df == 51
    assert rows[3].p == pytest.approx(chi2_sf(expected, 51), rel=0.05)  # 5,200 hands: close
    assert rows[0].value == 0 and rows[0].p == 1.0
    columns = position_cards(counts, hands)
    assert columns[0].value == pytest.approx(expected) and columns[2].value == 0


def test_the_whole_table_is_pearson_scaled_by_51_over_52(clean):
    counts, hands = clean.counts, clean.hands
    expected = hands / 52
    pearson = float(((counts - expected) ** 2).sum() / expected)
    test = positions_overall(counts, hands)
    assert test.value == pytest.approx(pearson * 51 / 52, rel=1e-12)
    assert test.df == TABLE_DF == 2601
    assert agreements(counts, hands) == pytest.approx((test.value - 2601) * hands / 102)


def test_decks_too_regular_fail_as_more_even():
    """Each hand's deck is the last one cut by one card: every card at every position
    equally often, exactly. No shuffle is that even."""
    base = dealt_again(5, 1).array()[0]
    cards = np.array([np.roll(base, hand) for hand in range(52 * 60)])
    evaluation = evaluate(from_decks(cards))
    failed = {f.finding.name: f.finding for f in evaluation.failed()}
    assert "more even" in failed["positions_overall"].message
    assert "card_positions" not in failed  # each card's spread is perfectly even


def test_identical_tables_fail_independence_and_repeat():
    one = dealt_again(21, 200).array()
    evaluation = evaluate(from_decks(np.concatenate([one] * 12)))
    failed = {f.finding.name: f.finding for f in evaluation.failed()}
    assert {"tables_independent", "repeated_decks"} <= set(failed)
    assert "first at table 0 hand 1 and at table 1 hand 1" in failed["repeated_decks"].message
    assert "dealt 12 times" in failed["repeated_decks"].message
    assert ("agree at 686,400 positions over 13,200 pairs of tables (hand numbers 1 to 200)"
            in failed["tables_independent"].message)  # 52 a pair: every position


def test_one_repeated_deck_is_enough(clean):
    cards = np.concatenate([dealt_again(draw_table(8, t).seed, 200).array()
                            for t in range(20)])
    cards[-1] = cards[57]  # table 19's last hand deals table 0's 58th deck again
    evaluation = evaluate(from_decks(cards))
    assert [f.finding.name for f in evaluation.failed()] == ["repeated_decks"]
    assert ("first at table 0 hand 58 and at table 19 hand 200"
            in evaluation.failed()[0].finding.message)


def test_one_table_has_no_independence_test():
    run = from_decks(np.concatenate([dealt_again(4, 2000).array()]), per_table=2000)
    evaluation = evaluate(run)
    assert len(evaluation.judged) == 106
    assert "tables_independent" not in {j.test.check for j in evaluation.judged}


def test_each_check_has_a_signature_of_its_own():
    one = dealt_again(21, 200).array()
    evaluation = evaluate(from_decks(np.concatenate([one] * 12)))
    shapes = {f.finding.shape for f in evaluation.failed()}
    assert len(shapes) == len(evaluation.failed()) == 5


def test_p_values_are_uniform_without_a_bug():
    """Uniform shuffles (numpy's): p-values of the whole table and of the tables' test
    below 0.1 in about a tenth of 200 runs of 2,000 hands (10 tables of 200)."""
    rng = np.random.default_rng(3)
    positions = np.arange(52)
    low = {"positions_overall": 0, "tables_independent": 0}
    for _ in range(200):
        cards = np.argsort(rng.random((2000, 52)), axis=1)
        counts = np.bincount((cards * 52 + positions).ravel(), minlength=2704).reshape(52, 52)
        low["positions_overall"] += positions_overall(counts, 2000).p < 0.1
        by_hand = np.zeros((HAND_NUMBERS, 52, 52), dtype=np.int64)
        cells = (np.arange(200)[None, :, None] * 2704 + cards.reshape(10, 200, 52) * 52
                 + positions).ravel()
        np.add.at(by_hand.reshape(-1), cells, 1)
        at = np.where(np.arange(HAND_NUMBERS) < 200, 10, 0)
        low["tables_independent"] += tables_independent(by_hand, at)[0].p < 0.1
    for check, count in low.items():
        assert 7 <= count <= 35, (check, count)  # 20 expected; 3.5 sd either side
