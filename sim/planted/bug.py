"""One planted bug: a record of what it breaks, how, and what catches it.

>>> edit = Edit("engine/pots.py", "first = button + 1", "first = button")
>>> bug = PlantedBug("odd_chip_to_button", "Odd chips go to the winner nearest the button.",
...                  (edit,), caught_by="awards_correct", hands=32)
>>> bug.files
('engine/pots.py',)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``old`` by ``new`` in ``file`` (a path under the package, ``sim/``). ``old``
    must occur in the file exactly once, so the edit says where it goes by itself."""

    file: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class PlantedBug:
    """A realistic engine mistake, planted on purpose to prove the harness catches it.

    ``edits`` make it (applied in order); ``caught_by`` is the name of the finding that
    catches it (an invariant's, a fault's, or a run-level check's), and ``fault`` the fault
    a run must inject for that (``"crash_restore=1"``; None: the invariants alone).
    ``hands`` is how many hands ``benchmarks/planted_bugs.py`` takes to catch it (the
    README's table is made from these records, and the benchmark checks them)."""

    name: str
    description: str
    edits: tuple[Edit, ...]
    caught_by: str
    hands: int
    fault: str | None = None

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(edit.file for edit in self.edits))
