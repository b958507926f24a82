"""Faults injected on purpose, to test the harness itself: table hooks that a run takes
from its settings (``sim run --fault NAME=VALUE``).

- ``crash_worker=TABLE``: the worker process about to play table TABLE dies at once
  (exit 13), as a segfault would; the run must survive it and report the table.
- ``slow_tables=SECONDS``: every table starts SECONDS late, so that a test can stop a run
  in its middle whatever the machine's speed.

    >>> hooks = [parse("crash_worker=3").hook()]
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from dataclasses import dataclass
from typing import Any, Final

from sim.runner.hooks import TableHook


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

    def hook(self) -> TableHook:
        if self.name == "crash_worker":
            return CrashWorker(int(self.value))
        assert self.name == "slow_tables", self.name
        return SlowTables(self.value)


FAULTS: Final[dict[str, str]] = {
    "crash_worker": "TABLE: the worker process about to play table TABLE dies (exit 13)",
    "slow_tables": "SECONDS: every table starts SECONDS late",
}


def parse(spec: str) -> Fault:
    """``"crash_worker=3"`` -> Fault; bad specs raise ValueError with what is allowed."""
    name, _, value = spec.partition("=")
    if name not in FAULTS:
        raise ValueError(f"Unknown fault {name!r}; known faults are "
                         f"{', '.join(f'{n}={d}' for n, d in FAULTS.items())}.")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"Fault {spec!r} needs a number after '=': {name}={FAULTS[name]}.") \
            from None
    if number < 0 or (name == "crash_worker" and number != int(number)):
        raise ValueError(f"Fault {spec!r}: {name} takes {FAULTS[name].split(':')[0]}, a "
                         f"{'whole ' if name == 'crash_worker' else ''}number of at least 0.")
    return Fault(name, number)


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
