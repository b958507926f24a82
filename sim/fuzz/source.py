"""The fuzz's tables: steered table ids, one task at a time, until the time budget or the
table count is spent.

A run's tasks usually come from a fixed plan (``sim.runner.table_plan``). A fuzz makes
them as it goes: each from the steering's choice of table id (``sim.fuzz.steer``),
which learns from the tables that came back. A time budget stops it choosing; the tables
already chosen are played to the end, so the run stores whole tables, and ``--tables``
with the count it chose plays exactly the same tables again.

    >>> from sim.fuzz.steer import Steering
    >>> source = FuzzSource(Steering(seed=7), hands_per_table=200, tables=2)
    >>> source.next(), source.next(), source.next()   # a task, None (not yet) or DONE
    ([(0, 200)], [(16, 200)], 'done')
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Final

from sim.fuzz.steer import Steering
from sim.runner.record import TableRecord

DONE: Final = "done"


class FuzzSource:
    """Tasks of one table each, chosen by ``steering``; at most ``tables`` of them, and
    none after ``seconds`` have passed (either may be None: no limit)."""

    def __init__(self, steering: Steering, hands_per_table: int, seconds: float | None = None,
                 tables: int | None = None) -> None:
        assert seconds is not None or tables is not None, "a fuzz needs a bound"
        self.steering = steering
        self.hands_per_table = hands_per_table
        self.deadline = time.monotonic() + seconds if seconds is not None else None
        self.tables = tables
        self.chosen = 0  # tables handed out

    def next(self) -> list[tuple[int, int]] | None | str:
        """The next task, None while the steering waits for a table in flight, or DONE."""
        if self.tables is not None and self.chosen >= self.tables:
            return DONE
        if self.deadline is not None and time.monotonic() >= self.deadline:
            return DONE
        table_id = self.steering.choose()
        if table_id is None:
            return None
        self.chosen += 1
        return [(table_id, self.hands_per_table)]

    def observe(self, records: Iterable[TableRecord]) -> None:
        """Tables that came back: what the steering learns from."""
        for record in records:
            self.steering.observe(record.table_id, record.dispatches, record.coverage)
