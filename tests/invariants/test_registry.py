"""The invariant registry: each check runs when its declared condition holds, in a fixed
order, and run_all counts every selected check."""

from __future__ import annotations

import subprocess
import sys

import pytest
from invariant_cases import checked_table, variant

from sim.engine import events as ev
from sim.engine.actions import Call, Fold, RaiseTo
from sim.invariants import base
from sim.invariants.base import (
    EVERY_DISPATCH,
    INVARIANTS,
    CheckContext,
    Invariant,
    kinds,
    mask,
    run_all,
    select,
)
from sim.invariants.walk import CLOSERS

ORDER = ["chip_conservation", "no_negative", "pot_consistency", "cards_unique",
         "action_legal", "valid_to_act", "legal_actions", "verify_agrees", "round_closure",
         "liveness", "button_and_blinds", "waiting_for_big_blind", "awards_correct",
         "showdown_order", "no_private_leak", "animation_sanity", "replay",
         "no_dead_decision"]


def recorder(name: str, on: int, when: base.Condition | None = None
             ) -> tuple[Invariant, list[str]]:
    ran: list[str] = []
    return Invariant(name, "Records that it ran.", lambda ctx: ran.append(name), on, when,
                     "chips"), ran


def test_checks_run_only_when_their_condition_holds():
    t = checked_table({0: 100, 1: 100, 2: 100})
    ctx = t.dispatch(Call(0))  # a plain turn: the call and the next turn
    assert not kinds(ctx) & mask(ev.PotAwarded, ev.HandEnded)
    always, always_ran = recorder("always", EVERY_DISPATCH)
    on_call, call_ran = recorder("on_call", mask(ev.Called))
    on_award, award_ran = recorder("on_award", mask(ev.PotAwarded, ev.HandEnded))
    asked: list[int] = []

    def never(c: CheckContext, found: int) -> bool:
        asked.append(found)
        return False

    by_predicate, predicate_ran = recorder("by_predicate", 0, never)
    selected = [always, on_call, on_award, by_predicate]
    # Every selected check counts, run or skipped: the stored "checks" count depends on it.
    assert run_all(variant(ctx), selected) == 4
    assert (always_ran, call_ran, award_ran, predicate_ran) == (["always"], ["on_call"], [], [])
    assert asked == [kinds(ctx) | EVERY_DISPATCH]


def test_every_dispatch_runs_even_with_no_events():
    t = checked_table({0: 100, 1: 100})
    always, ran = recorder("always", EVERY_DISPATCH)
    assert run_all(variant(t.last, events=[]), [always]) == 1
    assert ran == ["always"]


def test_the_registry_declares_when_each_check_runs():
    select(None)
    conditional = {name: inv for name, inv in INVARIANTS.items() if inv.on != EVERY_DISPATCH}
    assert sorted(conditional) == ["action_legal", "awards_correct", "button_and_blinds",
                                   "replay", "round_closure", "showdown_order",
                                   "verify_agrees", "waiting_for_big_blind"]
    assert conditional["round_closure"].on == CLOSERS
    assert conditional["awards_correct"].on == mask(ev.PotAwarded, ev.HandEnded)
    assert conditional["button_and_blinds"].on == mask(ev.HandStarted, ev.AntePosted,
                                                       ev.BlindPosted)
    assert conditional["replay"].on == 0 and conditional["replay"].when is not None
    for name in ("action_legal", "showdown_order", "verify_agrees"):  # by predicate
        assert conditional[name].on == 0 and conditional[name].when is not None
    assert [inv.family for inv in select(None)] == [
        "chips", "chips", "chips", "cards", "turns", "turns", "turns", "turns", "rounds",
        "rounds", "blinds", "blinds", "awards", "awards", "views", "views", "replay",
        "decisions"]
    assert all(inv.description.endswith(".") for inv in INVARIANTS.values())


def test_replay_runs_only_when_a_hand_ended():
    # Its condition is a predicate (hand_ended), not only a mask: a stand-in with the same
    # condition is not called on a plain turn, and is called when the hand ends.
    t = checked_table({0: 100, 1: 100})
    calls: list[str] = []
    replay = INVARIANTS["replay"]
    spy = Invariant("replay", replay.description, lambda ctx: calls.append("replay"),
                    replay.on, replay.when, replay.family)
    ctx = t.dispatch(RaiseTo(0, 10))
    run_all(variant(ctx), [spy])
    assert calls == []
    ctx = t.dispatch(Fold(1))
    assert ctx.ended is not None
    run_all(variant(ctx), [spy])
    assert calls == ["replay"]


@pytest.mark.parametrize("first", ["awards", "decisions"])
def test_the_order_does_not_depend_on_which_family_is_imported_first(first):
    code = (f"import sim.invariants.{first}\n"
            "from sim.invariants.base import select\n"
            "print(','.join(inv.name for inv in select(None)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().split(",") == ORDER


def test_the_order_is_the_registration_order():
    assert [inv.name for inv in select(None)] == ORDER
    assert list(INVARIANTS) == ORDER
