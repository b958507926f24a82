"""The guarded replay (sim.failures.guard): a case replayed in a plain-Python child process
gives what ``replay`` gives in this process; a case that cannot be replayed is refused the
same way. (A replay that hangs is in tests/backends/test_hangs.py, with the run that made
its dump.)"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sim.failures.dump import load
from sim.failures.guard import case_from_dict, case_timeout, case_to_dict, replay_guarded
from sim.failures.replay import Replay, replay
from sim.failures.sources import from_store
from sim.finding import Finding

REGRESSIONS = Path(__file__).parents[1] / "regressions"


def same(guarded: Replay, here: Replay) -> None:
    # The traceback is the plain-Python child's; here, the package may be compiled.
    assert untraced(guarded.finding) == untraced(here.finding)
    assert guarded.checks == here.checks
    assert guarded.cursor.last == here.cursor.last
    assert guarded.cursor.actions == here.cursor.actions
    for position in range(here.cursor.last + 1):
        assert guarded.cursor.states[position] == here.cursor.states[position], position
    assert guarded.record.to_dict() == here.record.to_dict()


def untraced(finding: Finding | None) -> Finding | None:
    return replace(finding, trace="") if finding is not None else None


@pytest.mark.parametrize("name", ["planted-odd_chip_to_button.json",
                                  "planted-dealer_waits_for_leaver.json"])
def test_a_guarded_replay_is_the_replay(name):
    case = load(REGRESSIONS / name).case
    here = replay(case)
    assert here.finding is not None
    same(replay_guarded(case), here)
    same(replay_guarded(replace(case, planted=())), replay(replace(case, planted=())))


def test_a_stored_hand_replays_the_same_guarded(small_run):
    case = from_store(small_run, 0, 7)
    assert case.stop_at_hand_end
    assert case_from_dict(case_to_dict(case)) == case
    same(replay_guarded(case), replay(case))


def test_a_case_without_a_hand_is_refused_as_replay_refuses_it():
    case = replace(load(REGRESSIONS / "planted-odd_chip_to_button.json").case, record=None)
    with pytest.raises(ValueError) as here:
        replay(case)
    with pytest.raises(ValueError) as guarded:
        replay_guarded(case)
    assert str(guarded.value) == str(here.value)


def test_a_case_is_guarded_by_its_own_hand_timeout_else_the_default():
    case = load(REGRESSIONS / "planted-dealer_waits_for_leaver.json").case
    assert case.faults == ("hand_timeout=1",)
    assert case_timeout(case) == 1.0
    assert case_timeout(replace(case, faults=())) == 10.0
