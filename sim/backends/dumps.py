"""Failure dumps from workers that may not share a file system with the main process.

On such a backend (Dask on several machines) a worker writes each dump into a folder of
its own, reads it back into the table's record (``TableRecord.dump``) and deletes it; the
main process writes it into the run's ``failures/`` folder, byte for byte what a local
worker would have written there.
"""

from __future__ import annotations

import json
import shlex
import tempfile
from dataclasses import replace
from pathlib import Path

from sim.backends.base import PlayTask, Task
from sim.failures.dump import Dump
from sim.runner import RunSettings
from sim.runner.record import TableRecord


def play_shipping_dumps(play_task: PlayTask, settings: RunSettings,
                        tables: Task) -> list[TableRecord]:
    """``play_task(settings, tables)`` with the dumps carried in the records (in a worker)."""
    if settings.failures_dir is None:  # the run keeps no dumps
        return play_task(settings, tables)
    with tempfile.TemporaryDirectory(prefix="sim-dumps-") as folder:
        records = play_task(replace(settings, failures_dir=Path(folder)), tables)
        for record in records:
            if record.dump_path is not None:
                record.dump = Path(record.dump_path).read_text()
    return records


def land_dumps(records: list[TableRecord], failures_dir: Path | None) -> None:
    """Write the dumps that came back inside ``records`` into ``failures_dir`` (in the main
    process) and point the records' failure rows at them."""
    for record in records:
        if record.dump is None:
            continue
        assert record.finding is not None, f"table {record.table_id}: a dump with no finding"
        assert failures_dir is not None, "dumps came back from a run that keeps none"
        path = Dump.from_dict(json.loads(record.dump)).write(failures_dir)
        record.dump_path = str(path)
        record.replay_command = shlex.join(["sim", "replay", str(path)])
        record.dump = None
