"""What a worker hands back for each table it played: ``TableRecord``.

A record is built by field name (``sim.runner.task.to_record`` for a table that was
played, ``sim.backends.base.failed_record`` for one whose worker died or hung); the run
stores it (``sim.store.writer.Store``), counts it and shows it. It holds no hand rows: the
worker wrote those into the run's shards (``sim.store.shards``), and ``shard`` says where.
A shard's journal keeps its records as JSON (``to_json``, ``from_json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from sim.finding import Finding

if TYPE_CHECKING:
    from sim.runlevel.table import TableDecks


@dataclass(slots=True)
class TableRecord:
    """One finished table, ready for the writer: its settings, counters and findings."""

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
    shard: str | None = None  # the shard holding its rows (sim.store.shards); None: none
    peak_rss_mb: float | None = None  # the worker's peak memory when the table finished
    planted: tuple[str, ...] = ()  # the planted bugs that were on
    dump_path: str | None = None  # the failure dump, when one was written
    replay_command: str | None = None  # the command that reproduces the finding
    signature: str | None = None  # the finding's signature (sim.failures.signature)
    counts: dict[str, int] = field(default_factory=dict)  # what the table's hooks counted
    # The failure dump's JSON, on its way from a worker that could not write it into the
    # run folder (see sim.backends.dumps); never stored in the database.
    dump: str | None = None
    # The decks of the hands it played, for the run-level checks (a
    # sim.runlevel.table.TableDecks; None: a table whose worker died); never stored.
    decks: TableDecks | None = None


def to_json(record: TableRecord) -> dict[str, Any]:
    """``record`` as JSON-ready data, without what is never stored (its dump, on its way to
    the run, and its decks, which only this session's run-level checks read)."""
    data = {f.name: getattr(record, f.name) for f in fields(record)
            if f.name not in ("dump", "decks")}
    data["finding"] = record.finding.to_dict() if record.finding is not None else None
    data["opening"] = {seat: list(player) for seat, player in record.opening.items()}
    return data


def from_json(data: dict[str, Any]) -> TableRecord:
    """The record ``to_json`` gave ``data`` for (JSON's keys are strings: seats are ints)."""
    finding = data["finding"]
    return TableRecord(**{
        **data, "finding": Finding.from_dict(finding) if finding is not None else None,
        "bots": {int(seat): kind for seat, kind in data["bots"].items()},
        "opening": {int(seat): (name, stack) for seat, (name, stack) in data["opening"].items()},
        "planted": tuple(data["planted"])})
