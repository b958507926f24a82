"""The coverage counter's interface and the checked pipeline."""

from __future__ import annotations

import pytest
from invariant_cases import checked_table

from sim.engine import events as ev
from sim.engine.actions import Call, Check, Fold, RaiseTo
from sim.engine.state import TableConfig
from sim.finding import FindingError, Kind
from sim.invariants.coverage import COVERAGE_POINTS, Coverage, total
from sim.invariants.pipeline import CheckedTable


def test_every_coverage_point_has_a_sentence():
    assert len(COVERAGE_POINTS) == 18
    assert all(text.endswith(".") for text in COVERAGE_POINTS.values())


def test_coverage_counts_hits_merges_and_lists_the_missing():
    a, b = Coverage(), Coverage()
    a.hit("split_pot")
    a.chaos_rejected()
    b.hit("split_pot", 2)
    a.merge(b)
    a.merge({"rebuy": 3})
    assert a.counts["split_pot"] == 3
    assert a.counts["chaos_rejected"] == 1
    assert "rebuy" not in a.missing() and "timeout" in a.missing()
    assert total([a, b]).counts["split_pot"] == 5
    with pytest.raises(ValueError, match="Unknown coverage point 'nope'"):
        a.hit("nope")


def test_coverage_observes_points_from_events(monkeypatch):
    t = checked_table({0: 100, 1: 100})
    assert t.coverage.counts["heads_up_hand"] == 1
    t.dispatch(RaiseTo(0, 10))
    t.dispatch(Fold(1))
    counts = t.coverage.counts
    assert counts["uncalled_bet_returned"] == 1
    assert counts["everyone_folded"] == 1
    assert counts["heads_up_hand"] == 2


def test_the_pipeline_checks_and_reports_the_ended_hand():
    table = CheckedTable(TableConfig(seats=3), seed=5, table_id=4)
    opening = table.open({0: ("a", 100), 1: ("b", 100), 2: ("c", 100)})
    assert opening.action is None and opening.before.hand_no == 0
    assert any(type(e) is ev.HandStarted for e in opening.events)
    ctx = table.dispatch(Fold(0))
    assert ctx.ended is None
    ctx = table.dispatch(Fold(1))
    assert ctx.ended is not None and ctx.ended.hand_no == 1
    assert ctx.state.hand_no == 2
    assert table.dispatches == 3 and table.checks_run == 3 * len(table.checks)
    before = table.state
    with pytest.raises(FindingError) as info:  # a trusted action must be accepted
        table.dispatch(Check(0), chosen_by="a bot")
    assert table.state is before
    finding = info.value.finding
    assert finding.kind is Kind.LEGAL_ACTION_REFUSED
    assert (finding.table_id, finding.hand_no, finding.dispatch) == (4, 2, 1)
    assert finding.message.startswith("'a bot' chose Check(seat=0), which the engine rejected")


def test_the_pipeline_counts_an_untrusted_action_rejected_with_nothing_changed():
    table = CheckedTable(TableConfig(seats=2), seed=3, players={0: ("a", 50), 1: ("b", 50)})
    before, steps = table.state, len(table.log.current.steps)
    assert table.offer(Check(7)) is None
    assert table.offer("junk") is None
    assert table.state is before and len(table.log.current.steps) == steps
    assert table.rejected == 2 and table.coverage.counts["chaos_rejected"] == 2
    assert table.offer(Call(0)) is not None  # a legal one is played


def test_checked_table_raises_the_first_broken_invariant():
    t = CheckedTable(TableConfig(seats=2), seed=3, players={0: ("a", 50), 1: ("b", 50)},
                     checks=["chip_conservation"])
    assert [inv.name for inv in t.checks] == ["chip_conservation"]
    t.dispatch(Call(0))
    t.state.stack[0] += 7  # corrupt the committed state behind the controller's back
    with pytest.raises(FindingError, match="chip_conservation") as info:
        t.dispatch(Check(1))
    assert info.value.finding.kind is Kind.INVARIANT
    assert info.value.finding.dispatch == 2 and "Traceback" in info.value.finding.trace
