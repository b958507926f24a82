"""Objects cross between the package and a patched copy (``sim.planted.transfer``): the
package may be compiled and the copy never is, and each build pickles its classes its own
way. A replay (states, actions, the hand's record, a finding) goes to a copy and comes
back equal; so do a run's settings."""

from __future__ import annotations

import pickle
from pathlib import Path

from conftest import call_in_copy, pickled, unpickled

from sim.failures.dump import load
from sim.failures.replay import replay
from sim.planted import transfer
from sim.runner import RunSettings

REGRESSIONS = Path(__file__).parents[1] / "regressions"


def there_and_back(text: str) -> str:
    """(Run in a copy.) What came, loaded by the copy's classes and sent back."""
    value = unpickled(text)
    assert type(value).__module__.startswith(("sim.", "builtins")), type(value)
    return pickled(value)


def test_a_replay_goes_to_a_copy_and_comes_back_equal():
    result = replay(load(REGRESSIONS / "planted-odd_chip_to_button.json").case)
    back = unpickled(call_in_copy((), there_and_back, pickled(result)))
    assert back.finding == result.finding and back.checks == result.checks
    assert back.cursor.actions == result.cursor.actions
    assert back.cursor.states == result.cursor.states
    assert back.record.to_dict() == result.record.to_dict()
    assert back.case == result.case


def test_settings_go_to_a_copy_and_come_back_equal():
    settings = RunSettings(seed=3, hands=40, hands_per_table=20, planted=("deal_reuses_card",))
    assert unpickled(call_in_copy((), there_and_back, pickled(settings))) == settings


def test_a_class_with_its_own_reduce_keeps_it():
    from sim.engine.config import TableConfig

    config = TableConfig(seats=4)
    assert pickle.loads(transfer.dumps(config)) == config
    assert transfer.dumps(config) == pickle.dumps(config, pickle.HIGHEST_PROTOCOL)
