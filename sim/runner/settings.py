"""What a run plays: its settings, its tables, and the command that plays it again.

    >>> settings = RunSettings(seed=7, hands=20_000)
    >>> table_plan(settings)[:2]          # [(table_id, hands), ...]
    [(0, 200), (1, 200)]
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from sim.bots import TableSpec, draw_fuzz_table, draw_table
from sim.hooks.faults import WATCHDOG, Fault
from sim.hooks.watchdog import DEFAULT_S

EXPERIMENT_FILE = "experiment.json"  # the run folder's copy of its experiment


@dataclass(frozen=True, slots=True)
class RunSettings:
    """What a run plays. ``invariants`` None means all of them. ``faults`` holds the hand
    watchdog too (``hand_timeout=SECONDS``, what ``--hand-timeout`` sets; see
    ``with_hand_timeout``): one fault, as the dumps record it."""

    seed: int
    hands: int
    hands_per_table: int = 200
    invariants: tuple[str, ...] | None = None
    planted: tuple[str, ...] = ()
    failures_dir: Path | None = None
    collect_rows: bool = True
    only_table: int | None = None  # play just this table of the run (to chase one failure)
    faults: tuple[Fault, ...] = ()  # faults injected on purpose (sim.hooks.faults)
    oracle: int = 0  # compare 1 finished hand in this many with PokerKit (0: never)
    # A sim.experiment.Experiment: the tables and bots to play; None: swarm testing.
    experiment: Any = None
    fuzz: bool = False  # swarm tables from the fuzz's wider swarm (sim.bots.draw_fuzz_table)
    # Where workers write the tables' hand rows (the run's shards, sim.store.shards); None:
    # nowhere. Which tables' rows: "all", or "failing" (a fuzz's default).
    shards_dir: Path | None = None
    keep_hands: str = "all"

    def draw(self, table_id: int) -> TableSpec:
        """Table ``table_id`` of this run: from the experiment, or drawn by the swarm (the
        fuzz's wider one in a fuzz)."""
        if self.experiment is not None:
            spec: TableSpec = self.experiment.draw(self.seed, table_id)
            return spec
        if self.fuzz:
            return draw_fuzz_table(self.seed, table_id)
        return draw_table(self.seed, table_id)

    @property
    def hand_timeout_s(self) -> float:
        """The hand watchdog's limit in seconds (0: off)."""
        for fault in self.faults:
            if fault.name == WATCHDOG:
                return fault.value
        return 0.0

    def replayed_faults(self) -> tuple[str, ...]:
        """The specs of the faults that check a hand's play, which a dump records and a
        replay runs again (the watchdog included)."""
        return tuple(fault.spec() for fault in self.faults if fault.replayed)

    def __reduce__(self) -> tuple[Any, ...]:
        # Settings go to worker processes; compiled, a frozen dataclass cannot be unpickled
        # attribute by attribute, so it is rebuilt through its constructor.
        return (RunSettings, tuple(getattr(self, f.name) for f in fields(self)))


def with_hand_timeout(settings: RunSettings, seconds: float) -> RunSettings:
    """``settings`` with the hand watchdog at ``seconds`` (0: off)."""
    assert seconds >= 0, seconds
    faults = tuple(fault for fault in settings.faults if fault.name != WATCHDOG)
    watchdog = (Fault(WATCHDOG, seconds),) if seconds else ()
    return replace(settings, faults=faults + watchdog)


def reproduce_command(settings: RunSettings, workers: int, out: Path | None = None) -> str:
    """The one command that plays ``settings`` again (shell-quoted)."""
    parts = ["sim", "run", "--hands", str(settings.hands), "--seed", str(settings.seed),
             "--workers", str(workers), "--hands-per-table", str(settings.hands_per_table)]
    if out is not None:
        parts += ["--out", str(out)]
    if settings.experiment is not None:
        # The run folder keeps the experiment it played (plug-in bots included).
        parts += ["--config", str((out or Path(".")) / EXPERIMENT_FILE)]
    if settings.only_table is not None:
        parts += ["--table", str(settings.only_table)]
    return shlex.join(parts + checking_options(settings))


def checking_options(settings: RunSettings) -> list[str]:
    """The options of ``settings`` that say what is checked and broken on purpose (planted
    bugs, invariants, faults, the oracle, the hand timeout unless it is the default), as
    ``sim run`` and ``sim fuzz`` take them."""
    parts: list[str] = []
    for name in settings.planted:
        parts += ["--plant-bug", name]
    if settings.invariants is not None:
        parts += ["--invariants", ",".join(settings.invariants)]
    for fault in settings.faults:
        if fault.name != WATCHDOG:
            parts += ["--fault", fault.spec()]
    if settings.hand_timeout_s != DEFAULT_S:
        parts += ["--hand-timeout", f"{settings.hand_timeout_s:g}"]
    if settings.oracle:
        parts += ["--oracle", f"pokerkit={settings.oracle}"]
    return parts


def table_plan(settings: RunSettings) -> list[tuple[int, int]]:
    """``[(table_id, hands), ...]`` covering ``settings.hands``; independent of workers."""
    plan, left, table_id = [], settings.hands, 0
    while left > 0:
        count = min(settings.hands_per_table, left)
        if settings.only_table is None or settings.only_table == table_id:
            plan.append((table_id, count))
        left -= count
        table_id += 1
    return plan
