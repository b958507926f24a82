"""The task a worker runs: play some tables of a run and return their records.

An execution backend (``sim.backends``) calls ``play_task(settings, [(table_id, hands),
...])`` wherever its workers are and hands the ``TableRecord``s back to the run
(``sim.run``), which stores them. Nothing here knows of the store, the progress bar or
the other workers.
"""

from __future__ import annotations

import logging
import resource
import shlex

from sim.backends.base import stopping
from sim.failures.signature import signature
from sim.runner.player import TableOutcome, play_table
from sim.runner.record import TableRecord
from sim.runner.settings import RunSettings
from sim.store.schema import to_arrow

log = logging.getLogger("sim.run")


def play_task(settings: RunSettings, tables: list[tuple[int, int]]) -> list[TableRecord]:
    """Play ``[(table_id, hands), ...]`` and return their records (rows as Arrow tables)."""
    records = []
    for table_id, hands in tables:
        outcome = play_table(settings.draw(table_id), hands, settings, stop=stopping)
        if outcome.interrupted:
            break  # a table cut short is dropped whole; --resume plays it again
        records.append(to_record(outcome, hands, settings.planted))
        if outcome.finding is not None:
            log.warning("table %d failed at hand %s: %s", table_id, outcome.finding.hand_no,
                        outcome.finding)
    return records


def to_record(outcome: TableOutcome, hands_planned: int,
              planted: tuple[str, ...]) -> TableRecord:
    """The record of a table that was played (``outcome``)."""
    rows = outcome.rows
    path = str(outcome.dump.path) if outcome.dump is not None else None
    return TableRecord(
        table_id=outcome.table_id, table_seed=outcome.table_seed, config=outcome.config,
        bots=outcome.bots, opening=outcome.opening, hands_planned=hands_planned,
        hands_played=outcome.hands, dispatches=outcome.dispatches, checks=outcome.checks,
        rejected=outcome.rejected, stalled=outcome.stalled, seconds=outcome.seconds,
        coverage=outcome.coverage, finding=outcome.finding,
        arrow={"hands": to_arrow("hands", rows.hands),
               "actions": to_arrow("actions", rows.actions),
               "results": to_arrow("results", rows.results)},
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # Linux: KiB
        planted=planted, dump_path=path,
        replay_command=shlex.join(["sim", "replay", path]) if path else None,
        signature=signature(outcome.finding) if outcome.finding is not None else None,
        counts=dict(outcome.counts))
