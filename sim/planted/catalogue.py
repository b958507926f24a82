"""Every planted bug, one record each (``sim.planted.bug.PlantedBug``), by name.

The records live in one module per area of the rules; this gathers them. ``sim bugs``
lists them, ``--plant-bug NAME`` takes their names, and the README's table of planted bugs
is made from them (``markdown``, which ``sim bugs --markdown`` prints).

>>> CATALOGUE["odd_chip_to_button"].caught_by
'awards_correct'
>>> known(["uncalled_bet_kept", "odd_chip_to_button", "uncalled_bet_kept"])
('odd_chip_to_button', 'uncalled_bet_kept')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from sim.planted import betting, dealing, harness, seats, showdown, statistics, views
from sim.planted.bug import PlantedBug

CATALOGUE: Final[dict[str, PlantedBug]] = {
    bug.name: bug for area in (seats, dealing, betting, showdown, views, harness, statistics)
    for bug in area.BUGS
}

# The bugs only the run-level checks see (``sim.runlevel``): no table of a run fails, so
# they take a run of their ``hands`` (``benchmarks/runchecks.py``), not a table's.
RUN_LEVEL: Final = frozenset(bug.name for bug in statistics.BUGS)


def known(names: Iterable[str]) -> tuple[str, ...]:
    """``names`` sorted, once each; ValueError naming any not in the catalogue."""
    wanted = tuple(sorted(set(names)))
    unknown = [name for name in wanted if name not in CATALOGUE]
    if unknown:
        raise ValueError(f"Unknown planted bug {', '.join(unknown)}; known bugs are "
                         f"{', '.join(CATALOGUE)} (`sim bugs` lists them).")
    return wanted


def markdown() -> str:
    """The README's table of planted bugs, made from the records, in catalogue order: each
    bug's name, what goes wrong, the finding that catches it (and the fault a run injects
    for it), and the hands ``benchmarks/planted_bugs.py`` took to catch it."""
    rows = ["| planted bug | what goes wrong | caught by | hands to catch |",
            "|---|---|---|---:|"]
    for bug in CATALOGUE.values():
        caught = f"`{bug.caught_by}`" + (f" with `{' '.join(bug.options)}`" if bug.fault else "")
        if bug.hangs_process:
            caught += ", by the run's main process (the pool's or Dask's watch)"
        if bug.hands is None:
            hands = "not measured: it hangs the process that plays it"
        elif bug.name in RUN_LEVEL:
            hands = f"a run of {bug.hands:,} (`benchmarks/runchecks.py`)"
        else:
            hands = str(bug.hands)
        rows.append(f"| `{bug.name}` | {bug.description} | {caught} | {hands} |")
    return "\n".join(rows) + "\n"
