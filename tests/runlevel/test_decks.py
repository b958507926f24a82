"""What a table keeps of its decks (the hook), what its worker sums up (sim.runlevel.table)
and what the main process adds up (sim.runlevel.decks)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.bots import draw_table
from sim.engine import dealer
from sim.hooks.decks import DeckTally
from sim.runlevel.decks import HAND_NUMBERS, DeckSample, RunDecks
from sim.runlevel.table import TableDecks, dealt_again, played_decks, table_decks
from sim.runner.player import play_table
from sim.runner.settings import RunSettings


def test_a_tables_decks_are_the_ones_its_seed_deals_again():
    spec = draw_table(5, 0)
    tally = DeckTally(60)
    outcome = play_table(spec, 60, RunSettings(seed=5, hands=60), hooks=[tally])
    assert outcome.finding is None
    assert tally.hands == outcome.hands == 60
    decks = played_decks(tally.decks, tally.hands, 60, outcome)
    assert decks == dealt_again(spec.seed, 60)
    assert decks.digest == dealt_again(spec.seed, 60).digest


def test_counts_fingerprints_and_digest():
    decks = dealt_again(11, 300)
    assert decks.counts.shape == (52, 52)
    assert (decks.counts.sum(axis=0) == 300).all() and (decks.counts.sum(axis=1) == 300).all()
    first = decks.array()[0]
    assert decks.counts[first[7], 7] >= 1
    assert len(set(decks.fingerprints.tolist())) == 300
    assert table_decks(decks.decks[:52 * 10]).digest == dealt_again(11, 10).digest
    assert decks.digest != dealt_again(12, 300).digest


def test_the_hand_a_finding_stopped_is_counted():
    """Leaving it out would leave out a deck the failure chose."""
    decks = dealt_again(3, 4)
    fifth = dealer.deck_for(dealer.hand_seed(3, 5))
    record = SimpleNamespace(hand_no=5, started=SimpleNamespace(deck=fifth))
    stopped = SimpleNamespace(finding="a finding", dump=SimpleNamespace(
        case=SimpleNamespace(record=record)))
    assert played_decks(decks.decks, 4, 200, stopped) == dealt_again(3, 5)
    # a hand already counted, or past the target, is not counted twice
    assert played_decks(decks.decks, 4, 4, stopped) == decks
    clean = SimpleNamespace(finding=None, dump=None)
    assert played_decks(decks.decks, 4, 200, clean) == decks


def test_the_sample_keeps_copies_together_whatever_the_order():
    tables = {table: dealt_again(100 + table, 40) for table in range(6)}
    tables[6] = tables[2]  # table 6 deals table 2's decks again
    kept = []
    for order in (range(7), reversed(range(7))):
        sample = DeckSample(capacity=64)
        for table in order:
            sample.add(table, tables[table])
        assert sample.distinct <= 64 and sample.level > 0
        kept.append([column.tolist() for column in sample.rows])
        repeated = sample.repeated()
        assert repeated and all(entry[1] == 2 for entry in repeated)
        assert {(entry[2], entry[4]) for entry in repeated} == {(2, 6)}
        assert all(int(fingerprint) < sample.threshold for fingerprint in sample.rows[0])
    assert kept[0] == kept[1]


def test_the_sample_counts_every_copy_and_keeps_the_first_two_places():
    decks = dealt_again(5, 3)
    sample = DeckSample(capacity=4)
    for table in (9, 4, 7, 4):  # table 4 twice: its hands 1 to 3 twice
        sample.add(table, decks)
    assert sample.distinct == 3
    assert sample.repeated() == sorted(
        [[int(decks.fingerprints[h - 1]), 4, 4, h, 4, h] for h in (1, 2, 3)],
        key=lambda entry: entry[3])
    sample.add(1, dealt_again(6, 1))  # a fourth deck, and the pending rows over capacity
    assert sample.distinct == 4 and sample.repeated()[0][1] == 4


def test_decks_sharing_only_a_fingerprint_are_not_a_repeat():
    decks = dealt_again(5, 2)
    forged = TableDecks(2, decks.decks, decks.counts,
                        np.array([decks.fingerprints[0]] * 2, dtype=np.uint64), 0)
    sample = DeckSample()
    sample.add(0, forged)
    assert sample.distinct == 1 and sample.repeated() == []


def test_run_decks_add_up_tables():
    run = RunDecks()
    run.add(0, 7, dealt_again(7, 300))
    run.add(1, 8, dealt_again(8, 20))
    run.add(2, 9, dealt_again(9, 0))  # no hands: nothing to add
    assert run.hands == 320 and run.table_count == 2
    assert list(run.tables()) == [(0, 7, 300), (1, 8, 20)]
    assert (run.counts == dealt_again(7, 300).counts + dealt_again(8, 20).counts).all()
    assert run.tables_at[0] == 2 and run.tables_at[19] == 2 and run.tables_at[20] == 1
    assert run.tables_at[HAND_NUMBERS - 1] == 1  # table 0's first HAND_NUMBERS hands only
    assert run.by_hand[0].sum() == 2 * 52
    assert (run.by_hand[HAND_NUMBERS - 1] == np.eye(52, dtype=np.uint32)[
        dealt_again(7, HAND_NUMBERS).array()[-1]].T).all()
    other = RunDecks()
    other.add(1, 8, dealt_again(8, 20))
    other.add(0, 7, dealt_again(7, 300))
    assert other.digest == run.digest
