"""Recorded digests: the same seed stores the same results, release after release.

The digests below were recorded from the stores of commit f3dcab3 (before the harness's
plumbing was rebuilt around one checked pipeline and one finding type), with
``sim.store.digest``. A change to the engine's rules or to the bots changes them on
purpose: record the new ones in the same commit and say why. Any other change that
moves them changed what a run stores.

The digests of ``actions`` and ``results`` were recorded again when the complete hand data
joined them (issue 15: positions, hole cards, starting-hand class, facing amount, ...);
digested without the new columns, both tables still give the digests recorded at f3dcab3.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.run import run
from sim.runner import RunSettings
from sim.store.digest import digest

STORED = ("hands", "actions", "results", "tables", "coverage")
RECORDED = {
    # sim run --hands 6000 --seed 7 --workers 1
    (7, ()): {"hands": "c7e364818f831fe8", "actions": "f96bdc2da7636624",
              "results": "93993037c0fd1097", "tables": "e3437f55f5876b31",
              "coverage": "53d6336ac40274ea"},
    # sim run --hands 6000 --seed 5 --workers 1 --plant-bug odd_chip_to_button
    (5, ("odd_chip_to_button",)): {"hands": "2b3ed779273b40d9", "actions": "03500aa6aef8508f",
                                   "results": "e5c5c549962a3e09", "tables": "5c3c61b16cf3efba",
                                   "coverage": "4c0db4f9ccd2a39c"},
}


@pytest.mark.parametrize(("seed", "planted"), list(RECORDED), ids=["clean", "planted"])
def test_a_run_stores_what_it_stored_before(tmp_path: Path, seed: int,
                                            planted: tuple[str, ...]) -> None:
    out = tmp_path / "run"
    settings = RunSettings(seed=seed, hands=6000, planted=planted,
                           failures_dir=out / "failures")
    summary = run(settings, out, workers=1, command="test")
    stored = digest(out / "stats.duckdb")
    assert {name: stored[name] for name in STORED} == RECORDED[(seed, planted)]
    assert bool(summary.failures) == bool(planted)
