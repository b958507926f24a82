"""The task a worker runs: play some tables of a run and return their records.

An execution backend (``sim.backends``) calls ``play_task(settings, [(table_id, hands),
...])`` wherever its workers are. The worker writes the tables' hand rows itself, as one
shard in the run's folder (``sim.store.shards``), and hands back only the tables'
``TableRecord``s (counters, coverage, findings: a few hundred bytes a table) to the run
(``sim.run``), which keeps the bookkeeping. Nothing here knows of the store, the progress bar or
the other workers.
"""

from __future__ import annotations

import logging
import resource
import shlex

import pyarrow as pa

from sim.backends.base import stopping
from sim.failures.signature import signature
from sim.hooks.decks import DeckTally
from sim.runlevel.table import played_decks
from sim.runner.player import TableOutcome, play_table
from sim.runner.record import TableRecord
from sim.runner.settings import RunSettings
from sim.store.schema import to_arrow
from sim.store.shards import ROW_TABLES, write_shard

log = logging.getLogger("sim.run")


def play_task(settings: RunSettings, tables: list[tuple[int, int]]) -> list[TableRecord]:
    """Play ``[(table_id, hands), ...]``, write their rows as one shard into
    ``settings.shards_dir`` (the rows ``settings.keep_hands`` keeps, if any; none when it
    is None) and return their records."""
    records = []
    rows: dict[str, list[pa.Table]] = {table: [] for table in ROW_TABLES}
    for table_id, hands in tables:
        tally = DeckTally(hands)  # its decks, for the run-level checks (sim.runlevel)
        outcome = play_table(settings.draw(table_id), hands, settings, stop=stopping,
                             hooks=[tally])
        if outcome.interrupted:
            break  # a table cut short is dropped whole; --resume plays it again
        record = to_record(outcome, hands, settings.planted)
        record.decks = played_decks(tally.decks, tally.hands, hands, outcome)
        records.append(record)
        if outcome.finding is not None:
            log.warning("table %d failed at hand %s: %s", table_id, outcome.finding.hand_no,
                        outcome.finding)
        if keeps_rows(settings, outcome):
            for table in ROW_TABLES:
                rows[table].append(to_arrow(table, getattr(outcome.rows, table)))
    if settings.shards_dir is not None and rows["hands"]:
        name = write_shard(settings.shards_dir, records, rows)
        for record in records:
            record.shard = name
    return records


def keeps_rows(settings: RunSettings, outcome: TableOutcome) -> bool:
    """Whether a table's rows are stored: every table's (``keep_hands="all"``, ``sim
    run``), or the failing tables' only (``"failing"``, a fuzz's default)."""
    if settings.keep_hands == "all":
        return True
    assert settings.keep_hands == "failing", settings.keep_hands
    return outcome.finding is not None


def to_record(outcome: TableOutcome, hands_planned: int,
              planted: tuple[str, ...]) -> TableRecord:
    """The record of a table that was played (``outcome``)."""
    path = str(outcome.dump.path) if outcome.dump is not None else None
    return TableRecord(
        table_id=outcome.table_id, table_seed=outcome.table_seed, config=outcome.config,
        bots=outcome.bots, opening=outcome.opening, hands_planned=hands_planned,
        hands_played=outcome.hands, dispatches=outcome.dispatches, checks=outcome.checks,
        rejected=outcome.rejected, stalled=outcome.stalled, seconds=outcome.seconds,
        coverage=outcome.coverage, finding=outcome.finding,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # Linux: KiB
        planted=planted, dump_path=path,
        replay_command=shlex.join(["sim", "replay", path]) if path else None,
        signature=signature(outcome.finding) if outcome.finding is not None else None,
        counts=dict(outcome.counts))
