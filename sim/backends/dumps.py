"""Failure dumps: how many a run keeps, and how they reach it from workers that may not
share a file system with the main process.

A run keeps the dumps of ``DUMPS_PER_SIGNATURE`` failures of each signature, those of the
lowest table ids (``DumpQuota``); the other failures keep their row in ``failures``,
without a dump.

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


class DumpQuota:
    """The failures of each signature that keep their dump: the ``per_signature`` with the
    lowest table ids (None: every one), the same whatever order the tables come back in,
    so runs of the same seed keep the same dumps. ``kept``: a resumed run's, by signature.

        >>> quota = DumpQuota(2)
        >>> quota.admit("a", 5), quota.admit("a", 7), quota.admit("a", 9), quota.admit("a", 3)
        ((True, None), (True, None), (False, None), (True, 7))
    """

    def __init__(self, per_signature: int | None,
                 kept: dict[str | None, list[int]] | None = None) -> None:
        assert per_signature is None or per_signature >= 0, per_signature
        self.per_signature = per_signature
        self.kept: dict[str | None, list[int]] = {
            signature: sorted(tables) for signature, tables in (kept or {}).items()}

    def admit(self, signature: str | None, table_id: int) -> tuple[bool, int | None]:
        """Whether table ``table_id``'s failure keeps its dump, and the table whose dump
        it pushes out (None: none)."""
        kept = self.kept.setdefault(signature, [])
        assert table_id not in kept, f"table {table_id} admitted twice"
        if self.per_signature is None or len(kept) < self.per_signature:
            kept.append(table_id)
            kept.sort()
            return True, None
        if not kept or table_id > kept[-1]:
            return False, None
        evicted = kept.pop()
        kept.append(table_id)
        kept.sort()
        return True, evicted


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
