"""Faults injected on purpose, to test the harness and the engine's robustness: table hooks
that a run takes from its settings (``sim run --fault NAME=VALUE``).

Faults that test the harness's processes:

- ``crash_worker=TABLE``: the worker process about to play table TABLE dies at once
  (exit 13), as a segfault would; the run must survive it and report the table.
- ``slow_tables=SECONDS``: every table starts SECONDS late, so that a test can stop a run
  in its middle whatever the machine's speed.

Faults that test the engine, each its own invariant (a finding names it) and each in its
own module; a failure dump records them, and ``sim replay`` runs them again:

- ``crash_restore=RATE`` (``sim.hooks.crash_restore``): in a share RATE of hands, crash
  mid-hand, restore the table from its log, and compare the rest of the hand.
- ``duplicate_dispatch=RATE`` (``sim.hooks.duplicate_dispatch``): after a share RATE of
  in-turn dispatches, send the action again, and a stale one; both must be refused.
- ``determinism=N`` (``sim.hooks.determinism``): one hand in N is dealt and played again
  from its seed and compared event by event.
- ``hand_timeout=SECONDS`` (``sim.hooks.watchdog``): a hand that does not end within
  SECONDS stops its table with a ``liveness`` finding. A run sets it with
  ``--hand-timeout SECONDS`` (on by default), not ``--fault``; it is a fault here so that
  settings and dumps carry it as one (``parse`` reads it back, and a replay re-arms it).

``FUZZ_FAULTS`` are the engine faults at the rates a fuzz run uses by default.

    >>> hooks = [parse("crash_worker=3").hook()]
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from sim.driver.hooks import TableHook
from sim.hooks.crash_restore import CrashRestore
from sim.hooks.determinism import Determinism
from sim.hooks.duplicate_dispatch import DuplicateDispatch
from sim.hooks.watchdog import HandWatchdog


@dataclass(frozen=True, slots=True)
class Fault:
    """A fault as the settings carry it: a name and its value."""

    name: str
    value: float

    def __reduce__(self) -> tuple[Any, ...]:
        return (Fault, (self.name, self.value))  # compiled: rebuilt through the constructor

    def spec(self) -> str:
        value = int(self.value) if self.value == int(self.value) else self.value
        return f"{self.name}={value}"

    @property
    def replayed(self) -> bool:
        """Does a replay of a hand run this fault again (it checks the hand's play)?"""
        return self.name in REPLAYED

    def hook(self) -> TableHook:
        name, value = self.name, self.value
        if name == "crash_worker":
            return CrashWorker(int(value))
        if name == "slow_tables":
            return SlowTables(value)
        if name == "crash_restore":
            return CrashRestore(value)
        if name == "duplicate_dispatch":
            return DuplicateDispatch(value)
        if name == "determinism":
            return Determinism(int(value))
        assert name == "hand_timeout", name
        return HandWatchdog(value)


FAULTS: Final[dict[str, str]] = {
    "crash_worker": "TABLE: the worker process about to play table TABLE dies (exit 13)",
    "slow_tables": "SECONDS: every table starts SECONDS late",
    "crash_restore": "RATE: in that share of hands (0 to 1), crash mid-hand, restore the "
                     "table from its log and compare the rest of the hand",
    "duplicate_dispatch": "RATE: after that share of in-turn dispatches (0 to 1), send the "
                          "action again and a stale one; both must be refused",
    "determinism": "N: one hand in N is dealt and played again from its seed and compared",
}
# What a run's settings and dumps carry besides the faults of --fault: the hand watchdog,
# which --hand-timeout sets.
WATCHDOG: Final = "hand_timeout"
_KNOWN: Final[dict[str, str]] = {
    **FAULTS, WATCHDOG: "SECONDS: a hand that does not end within SECONDS is a liveness failure"}
REPLAYED: Final = frozenset({"crash_restore", "duplicate_dispatch", "determinism", WATCHDOG})
# name -> (smallest, largest, smallest allowed, whole numbers only, in words)
_INF: Final = float("inf")
_RANGES: Final[dict[str, tuple[float, float, bool, bool, str]]] = {
    "crash_worker": (0, _INF, True, True, "a whole number of at least 0"),
    "slow_tables": (0, _INF, True, False, "a number of at least 0"),
    "crash_restore": (0, 1, True, False, "a number from 0 to 1"),
    "duplicate_dispatch": (0, 1, True, False, "a number from 0 to 1"),
    "determinism": (1, _INF, True, True, "a whole number of at least 1"),
    "hand_timeout": (0, _INF, False, False, "a number above 0"),
}
FUZZ_FAULTS: Final = (Fault("crash_restore", 0.01), Fault("duplicate_dispatch", 0.01),
                      Fault("determinism", 1000))


def parse(spec: str) -> Fault:
    """``"crash_worker=3"`` -> Fault (``hand_timeout=S`` too, as settings and dumps write
    the watchdog); bad specs raise ValueError with what is allowed."""
    name, _, value = spec.partition("=")
    if name not in _KNOWN:
        known = ", ".join(f"{n}={d.split(':')[0]}" for n, d in FAULTS.items())
        raise ValueError(f"Unknown fault {name!r}; known faults are {known}.")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"Fault {spec!r} needs a number after '=': {name}={_KNOWN[name]}.") \
            from None
    low, high, low_allowed, whole, allowed = _RANGES[name]
    if (not (math.isfinite(number) and low <= number <= high) or (number == low and not low_allowed)
            or (whole and number != int(number))):
        raise ValueError(f"Fault {spec!r}: {name} takes {_KNOWN[name].split(':')[0]}, "
                         f"{allowed}.")
    return Fault(name, number)


def replayed_hooks(specs: Iterable[str]) -> list[TableHook]:
    """The hooks a replay runs for a case's faults (those that check a hand's play)."""
    return [fault.hook() for fault in map(parse, specs) if fault.replayed]


class CrashWorker(TableHook):
    def __init__(self, table_id: int) -> None:
        self.table_id = table_id

    def table_started(self, table_id: int) -> None:
        # Only in a worker process: a run with --workers 1 plays in the main process.
        if table_id == self.table_id and mp.parent_process() is not None:
            os._exit(13)


class SlowTables(TableHook):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def table_started(self, table_id: int) -> None:
        time.sleep(self.seconds)
