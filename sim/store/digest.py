"""A content digest of a run's stored results: equal digests, equal results.

Two runs of the same seed must store the same hands, actions and results whatever the
number of workers, the backend or where the rows are kept (the run's shards, or the file
of a run stored before them); this says so in a line. It reads a run as every reader
does (``sim.store.dataset.open_dataset``). Timings, memory, paths and the run's name
are left out (they differ from run to run by nature).

    >>> found = digest(run)    # a run's folder -> table -> the first 16 hex digits
    >>> sorted(found), len(found["hands"])
    (['actions', 'coverage', 'failures', 'hands', 'results', 'tables'], 16)
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

from sim.store.dataset import open_dataset

# table -> the order its rows are hashed in
ORDER: Final[dict[str, str]] = {
    "hands": "table_id, hand_no", "actions": "table_id, seq",
    "results": "table_id, hand_no, seat", "tables": "table_id",
    "failures": "table_id", "coverage": "table_id, point",
}
# Columns that differ between two runs of the same seed by nature.
VARYING: Final = frozenset({"run_id", "seconds", "peak_rss_mb", "dump_path", "replay_command"})


def digest(folder: Path) -> dict[str, str]:
    """SHA-256 (first 16 hex digits) of each stored table's content, in a fixed order."""
    con = open_dataset([folder])
    try:
        result = {}
        for table, order in ORDER.items():
            columns = [name for name, in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND table_catalog = 'memory' AND table_schema = 'main' "
                "ORDER BY ordinal_position", [table]).fetchall() if name not in VARYING]
            sha = hashlib.sha256()
            cursor = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")
            while batch := cursor.fetchmany(10_000):
                sha.update(repr(batch).encode())
            result[table] = sha.hexdigest()[:16]
        return result
    finally:
        con.close()
