"""The coverage counter's interface and the dispatch-and-check driver."""

from __future__ import annotations

import pytest
from invariant_cases import checked_table

from sim.engine import events as ev
from sim.engine.actions import Call, Check, Fold, RaiseTo
from sim.engine.animation import Animator
from sim.engine.controller import Controller
from sim.engine.errors import IllegalAction
from sim.engine.log import TableLog
from sim.engine.state import TableConfig
from sim.invariants.base import InvariantViolation, select
from sim.invariants.coverage import COVERAGE_POINTS, Coverage, total
from sim.invariants.driver import CheckedTable, check_dispatch, check_opening


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


def test_check_dispatch_checks_and_reports_the_ended_hand():
    config = TableConfig(seats=3)
    log, animator = TableLog(), Animator()
    controller = Controller(config, seed=5, subscribers=[log, animator])
    checks, coverage = select(None), Coverage()
    opening = check_opening(controller, log, animator,
                            {0: ("a", 100), 1: ("b", 100), 2: ("c", 100)}, checks, coverage)
    assert opening.action is None and opening.before.hand_no == 0
    assert any(type(e) is ev.HandStarted for e in opening.events)
    ctx = check_dispatch(controller, log, animator, Fold(0), checks, coverage)
    assert ctx.ended is None
    ctx = check_dispatch(controller, log, animator, Fold(1), checks, coverage)
    assert ctx.ended is not None and ctx.ended.hand_no == 1
    assert ctx.state.hand_no == 2
    with pytest.raises(IllegalAction):
        check_dispatch(controller, log, animator, Check(0), checks, coverage)


def test_checked_table_raises_the_first_broken_invariant():
    t = CheckedTable(TableConfig(seats=2), seed=3, players={0: ("a", 50), 1: ("b", 50)},
                     checks=["chip_conservation"])
    assert [name for name, _ in t.checks] == ["chip_conservation"]
    t.dispatch(Call(0))
    t.state.stack[0] += 7  # corrupt the committed state behind the controller's back
    with pytest.raises(InvariantViolation, match="chip_conservation"):
        t.dispatch(Check(1))
