"""Recorded digests: the same seed stores the same results, release after release.

The digests below are of the stores ``sim.store.digest`` reads. They were first recorded
from commit f3dcab3's stores, and the harness's rebuild around one checked pipeline and one
finding type kept them; they were recorded again when the engine stopped asking players to
act with nothing to decide (the dead-decision rule of RULES.md, issue 14), which changes
hands on purpose. A change to the engine's rules or to the bots changes them on purpose:
record the new ones in the same commit and say why. Any other change that moves them
changed what a run stores.

The digests of ``actions`` and ``results`` were recorded again when the complete hand data
joined them (issue 15: positions, hole cards, starting-hand class, facing amount, ...);
digested without the new columns, both tables kept the digests recorded before.

The tables digest alone was recorded again when issue 12 added four invariants
(action_legal, verify_agrees, showdown_order, waiting_for_big_blind): each table's stored
count of checks run grew.

The run with a planted bug plays in the copy of the package that carries it (the digests
come back); the clean run plays here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import call_in_copy

from sim.run import run
from sim.runner import RunSettings
from sim.store.digest import digest

STORED = ("hands", "actions", "results", "tables", "coverage")
RECORDED = {
    # sim run --hands 6000 --seed 7 --workers 1
    (7, ()): {"hands": "0ab0cf42939d0f8e", "actions": "782f201daba675c4",
              "results": "9ca12c0af992ffeb", "tables": "04a383b37b60c03e",
              "coverage": "8a9b95dc206a5d1b"},
    # sim run --hands 6000 --seed 5 --workers 1 --plant-bug odd_chip_to_button
    (5, ("odd_chip_to_button",)): {"hands": "6cf2648409da11cd", "actions": "c0a761f9ca374415",
                                   "results": "15435ad2376667d0", "tables": "ad307d4327ebad47",
                                   "coverage": "4c0db4f9ccd2a39c"},
}


def stored_by_run(seed: int, planted: list[str], folder: str) -> tuple[dict[str, str], bool]:
    """The digests of what a run of 6000 hands stored in ``folder``, and whether it failed
    (in the copy carrying ``planted``, when there are any)."""
    out = Path(folder)
    settings = RunSettings(seed=seed, hands=6000, planted=tuple(planted),
                           failures_dir=out / "failures")
    summary = run(settings, out, workers=1, command="test")
    stored = digest(out)
    return {name: stored[name] for name in STORED}, bool(summary.failures)


@pytest.mark.parametrize(("seed", "planted"), list(RECORDED), ids=["clean", "planted"])
def test_a_run_stores_what_it_stored_before(tmp_path: Path, seed: int,
                                            planted: tuple[str, ...]) -> None:
    arguments = (seed, list(planted), str(tmp_path / "run"))
    stored, failed = (call_in_copy(planted, stored_by_run, *arguments) if planted
                      else stored_by_run(*arguments))
    assert stored == RECORDED[(seed, planted)]
    assert failed == bool(planted)
