"""What a worker hands back for each table it played: ``TableRecord``.

A record is built by field name (``sim.runner.task.to_record`` for a table that was
played, ``sim.backends.base.failed_record`` for one whose worker died or hung); the run
stores it (``sim.store.writer.Store``), counts it and shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from sim.finding import Finding


@dataclass(slots=True)
class TableRecord:
    """One finished table, ready for the writer: its settings, counters, rows and findings."""

    table_id: int
    table_seed: int
    config: dict[str, int]
    bots: dict[int, str]
    opening: dict[int, tuple[str, int]]
    hands_planned: int
    hands_played: int
    dispatches: int
    checks: int
    rejected: int
    stalled: bool
    seconds: float
    coverage: dict[str, int]
    finding: Finding | None  # what stopped the table, if anything did
    arrow: dict[str, pa.Table]
    peak_rss_mb: float | None = None  # the worker's peak memory when the table finished
    planted: tuple[str, ...] = ()  # the planted bugs that were on
    dump_path: str | None = None  # the failure dump, when one was written
    replay_command: str | None = None  # the command that reproduces the finding
    signature: str | None = None  # the finding's signature (sim.failures.signature)
    counts: dict[str, int] = field(default_factory=dict)  # what the table's hooks counted
    # The failure dump's JSON, on its way from a worker that could not write it into the
    # run folder (see sim.backends.dumps); never stored in the database.
    dump: str | None = None
