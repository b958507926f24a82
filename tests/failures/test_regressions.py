"""Every failure dump in tests/regressions/ is a test, judged by the replay's verdict.

A dump recorded with planted bugs must reproduce its own recorded signature with them on
(verdict "reproduced": the harness still catches the bug), and with them off replay
"clean" or stop early at the logged junk the bug accepted ("stopped early": the engine
refuses it). A dump from a real bug (no planted bug) must be "clean" or "stopped early":
the bug is fixed. Any other verdict fails the test, and says which.

Except a ``determinism`` dump: it holds a hand the buggy engine dealt, and no fixed engine
deals that deck (or derives that seed) for the hand again, so it reproduces with its bug
off too; only
"with" is tested, and what it says "without" is pinned below.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sim.failures.dump import load
from sim.failures.replay import replay
from sim.failures.verdict import Verdict, judge_replay

FOLDER = Path(__file__).parents[1] / "regressions"
DUMPS = sorted(FOLDER.glob("*.json"))
DEALT_BY_THE_BUG = {"determinism"}  # findings about the recorded deal itself
FIXABLE = [p for p in DUMPS if load(p).finding.name not in DEALT_BY_THE_BUG]
PLANTED = [p for p in DUMPS if load(p).case.planted]


@pytest.mark.parametrize("path", FIXABLE, ids=[p.name for p in FIXABLE])
def test_dump_is_fixed_without_planted_bugs(path: Path) -> None:
    dump = load(path)
    result = replay(replace(dump.case, planted=()))
    judged = judge_replay(dump.finding, result)
    assert judged.verdict in (Verdict.CLEAN, Verdict.STOPPED), judged.lines()
    assert result.checks > 0


@pytest.mark.parametrize("path", PLANTED, ids=[p.name for p in PLANTED])
def test_planted_bug_dump_still_reproduces(path: Path) -> None:
    dump = load(path)
    judged = judge_replay(dump.finding, replay(dump.case))
    assert judged.verdict is Verdict.REPRODUCED, judged.lines()
    assert judged.exit_code == dump.finding.kind.exit_code


def test_regression_folder_is_not_empty() -> None:
    assert DUMPS, "tests/regressions/ holds no dumps; the regression tests test nothing"


def test_a_determinism_dump_is_about_its_recorded_deal():
    """Why it is left out above: with its bug off, the deck still does not follow."""
    paths = [p for p in DUMPS if load(p).finding.name in DEALT_BY_THE_BUG]
    assert paths
    for path in paths:
        result = replay(replace(load(path).case, planted=()))
        assert result.finding is not None and result.finding.name == "determinism"
        message = result.finding.message  # the deck, or the seed it came from, is the bug's
        assert "shuffles to a deck" in message or "its seed derives to" in message, message
