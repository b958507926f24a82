"""Every planted bug, one record each (``sim.planted.bug.PlantedBug``), by name.

The records live in one module per area of the rules; this gathers them. ``sim bugs``
lists them, ``--plant-bug NAME`` takes their names, and the README's table of rules,
checks and planted bugs is made from them.

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


def known(names: Iterable[str]) -> tuple[str, ...]:
    """``names`` sorted, once each; ValueError naming any not in the catalogue."""
    wanted = tuple(sorted(set(names)))
    unknown = [name for name in wanted if name not in CATALOGUE]
    if unknown:
        raise ValueError(f"Unknown planted bug {', '.join(unknown)}; known bugs are "
                         f"{', '.join(CATALOGUE)} (`sim bugs` lists them).")
    return wanted
