"""Every failure dump in tests/regressions/ is a test.

A dump from a real bug must replay clean once the bug is fixed. A dump recorded with a
planted bug must replay clean with the bug off, and still reproduce the recorded invariant
with it on, so the harness keeps catching it.

Except a ``determinism`` dump: it holds a hand the buggy engine dealt, and no fixed engine
deals that deck from the hand's seed again, so it reproduces with its bug off too; only
"with" is tested.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sim.failures.dump import load
from sim.failures.replay import replay

FOLDER = Path(__file__).parents[1] / "regressions"
DUMPS = sorted(FOLDER.glob("*.json"))
DEALT_BY_THE_BUG = {"determinism"}  # findings about the recorded deal itself
FIXABLE = [p for p in DUMPS if load(p).finding.name not in DEALT_BY_THE_BUG]


@pytest.mark.parametrize("path", FIXABLE, ids=[p.name for p in FIXABLE])
def test_dump_replays_clean_without_planted_bugs(path: Path) -> None:
    result = replay(replace(load(path).case, planted=()))
    assert not result.reproduced, f"{result.finding} at dispatch {result.finding.dispatch}"
    assert result.checks > 0


@pytest.mark.parametrize("path", [p for p in DUMPS if load(p).case.planted],
                         ids=[p.name for p in DUMPS if load(p).case.planted])
def test_planted_bug_dump_still_reproduces(path: Path) -> None:
    dump = load(path)
    result = replay(dump.case)
    assert result.finding is not None
    assert result.finding.name == dump.finding.name
    assert result.finding.dispatch == dump.finding.dispatch


def test_regression_folder_is_not_empty() -> None:
    assert DUMPS, "tests/regressions/ holds no dumps; the regression tests test nothing"


def test_a_determinism_dump_is_about_its_recorded_deal():
    """Why it is left out above: with its bug off, the deck still does not follow."""
    paths = [p for p in DUMPS if load(p).finding.name in DEALT_BY_THE_BUG]
    assert paths
    for path in paths:
        result = replay(replace(load(path).case, planted=()))
        assert result.finding is not None and result.finding.name == "determinism"
        assert "shuffles to a deck" in result.finding.message
