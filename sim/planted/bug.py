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
    a run must inject for that (``"crash_restore=1"``, or ``"hand_timeout=S"``, the watchdog
    ``--hand-timeout S`` sets; None: the invariants alone). ``hangs_process``: it hangs the
    process that plays it in code no timer signal interrupts, so only a run's main process
    (the pool's or Dask's watchdog) catches it, and tests and benchmarks that play tables
    in their own process leave it out.
    ``hands`` is how many hands ``benchmarks/planted_bugs.py`` takes to catch it (the
    README's table is made from these records, and the benchmark checks them); None for a
    bug that ``hangs_process``, which the benchmark cannot play."""

    name: str
    description: str
    edits: tuple[Edit, ...]
    caught_by: str
    hands: int | None
    fault: str | None = None
    hangs_process: bool = False

    @property
    def options(self) -> tuple[str, ...]:
        """The command line's words for the bug's fault: ``("--fault", "crash_restore=1")``,
        or ``("--hand-timeout", "0.5")`` for the watchdog, which has an option of its own."""
        if self.fault is None:
            return ()
        name, _, value = self.fault.partition("=")
        return ("--hand-timeout", value) if name == "hand_timeout" else ("--fault", self.fault)

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(edit.file for edit in self.edits))
