"""Every failure dump in tests/regressions/ is a test.

A dump from a real bug must replay clean once the bug is fixed. A dump recorded with a
planted bug must replay clean with the bug off, and still reproduce the recorded invariant
with it on, so the harness keeps catching it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.failures import load
from sim.reproduce import reproduce

FOLDER = Path(__file__).parent / "regressions"
DUMPS = sorted(FOLDER.glob("*.json"))


@pytest.mark.parametrize("path", DUMPS, ids=[p.name for p in DUMPS])
def test_dump_replays_clean_without_planted_bugs(path: Path) -> None:
    failure = load(path)
    failure.planted = ()
    result = reproduce(failure)
    assert not result.reproduced, f"{result.invariant} at dispatch {result.step}: {result.message}"
    assert result.checks > 0


@pytest.mark.parametrize("path", [p for p in DUMPS if load(p).planted],
                         ids=[p.name for p in DUMPS if load(p).planted])
def test_planted_bug_dump_still_reproduces(path: Path) -> None:
    failure = load(path)
    result = reproduce(failure)
    assert result.reproduced
    assert result.invariant == failure.invariant


def test_regression_folder_is_not_empty() -> None:
    assert DUMPS, "tests/regressions/ holds no dumps; the regression tests test nothing"
