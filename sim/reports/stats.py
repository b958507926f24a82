"""bb/100 with a 95% confidence interval, by a bootstrap over tables (numpy).

Hands at one table are not independent (the same players, stacks carried from hand to
hand), so the interval resamples whole tables: each resample draws the group's tables
with replacement and takes sum(net in big blinds) / sum(hands) * 100. The resamples'
2.5th and 97.5th percentiles are the interval. Seeded: the same data, the same interval.

The bootstrap is one SQL function, ``bb_per_100_interval(hands, net_bb)`` (lists of the
group's per-table sums, in table order), registered on every connection
``sim.store.dataset.open_dataset`` opens, with two views on it, ``bot_intervals`` and
``position_intervals``. ``bb_per_100`` asks the same function, so ``sim report``, the
HTML report and a query give the same interval.

    >>> from sim.store.dataset import open_dataset
    >>> con = open_dataset([run])
    >>> best = bb_per_100(con, by=("bot",))[0]       # best first
    >>> best.low <= best.bb_per_100 <= best.high or best.tables == 1
    True
    >>> row = f"SELECT ci_low FROM bot_intervals WHERE bot = '{best.group[0]}'"
    >>> con.execute(row).fetchall() == [(round(best.low, 2) if best.tables > 1 else None,)]
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import duckdb
import numpy as np

RESAMPLES: Final = 2000
SEED: Final = 0
GROUPINGS: Final = ("run_id", "bot", "position")
FUNCTION: Final = "bb_per_100_interval"

# The per-table sums a group's interval resamples: one row per run, table and group.
_PER_TABLE: Final = """
SELECT {keys}, run_id AS table_run, table_id, sum(hands)::BIGINT AS hands,
       -- chips summed exactly, then divided: a double sum's order moves its last bits
       sum(net) / min(big_blind) AS net_bb
FROM table_results GROUP BY ALL
"""
_GROUPED: Final = f"""
SELECT {{keys}}, sum(hands)::BIGINT AS hands, count(*) AS tables,
       {FUNCTION}(list(hands ORDER BY table_run, table_id),
                  list(net_bb ORDER BY table_run, table_id)) AS ci
FROM ({_PER_TABLE}) GROUP BY ALL
"""
_COLUMNS: Final = ("hands, tables, round(ci.bb_per_100, 2) AS bb_per_100, "
                   "round(ci.ci_low, 2) AS ci_low, round(ci.ci_high, 2) AS ci_high")
# view -> what it groups by (run_id first, as every statistics view)
INTERVAL_VIEWS: Final = {"bot_intervals": "run_id, bot",
                         "position_intervals": "run_id, bot, position"}


@dataclass(frozen=True, slots=True)
class Estimate:
    """bb/100 of one group (e.g. ``("maniac",)``), with its bootstrap interval."""

    group: tuple[str, ...]
    hands: int
    tables: int
    bb_per_100: float
    low: float  # the 95% interval's ends; NaN from a single table
    high: float


def interval(hands: Sequence[int], net_bb: Sequence[float], resamples: int = RESAMPLES,
             seed: int = SEED) -> tuple[float, float, float]:
    """(bb/100, low, high) of one group from its tables' hands and net big blinds; the
    interval is (NaN, NaN) with fewer than two tables (nothing to resample)."""
    played = np.asarray(hands, dtype=np.float64)
    net = np.asarray(net_bb, dtype=np.float64)
    point = float(100 * net.sum() / played.sum()) if played.sum() else float("nan")
    if len(played) < 2:
        return point, float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(played), size=(resamples, len(played)))
    sampled = 100 * net[picks].sum(axis=1) / played[picks].sum(axis=1)
    low, high = np.percentile(sampled, [2.5, 97.5])
    return point, float(low), float(high)


def register_intervals(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``bb_per_100_interval`` and the interval views on ``con`` (which has the
    ``table_results`` view)."""
    from duckdb.sqltypes import BIGINT, DOUBLE

    def function(hands: list[int] | None, net_bb: list[float] | None) -> dict[str, float | None]:
        point, low, high = interval(hands or [], net_bb or [])
        return {"bb_per_100": _null(point), "ci_low": _null(low), "ci_high": _null(high)}

    con.create_function(FUNCTION, function, [duckdb.list_type(BIGINT), duckdb.list_type(DOUBLE)],
                        duckdb.struct_type({"bb_per_100": DOUBLE, "ci_low": DOUBLE,
                                            "ci_high": DOUBLE}), side_effects=False)
    for view, keys in INTERVAL_VIEWS.items():
        con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {keys}, {_COLUMNS} "
                    f"FROM ({_GROUPED.format(keys=keys)})")


def bb_per_100(con: duckdb.DuckDBPyConnection, by: Sequence[str] = ("bot",)) -> list[Estimate]:
    """bb/100 per group of ``by`` (columns of ``table_results``: run_id, bot, position),
    best first, from the per-table sums of the ``table_results`` view."""
    unknown = [name for name in by if name not in GROUPINGS]
    if unknown or not by:
        raise ValueError(f"cannot group bb/100 by {', '.join(unknown) or 'nothing'}; "
                         f"group by one or more of {', '.join(GROUPINGS)}.")
    keys = ", ".join(by)
    rows = con.execute(f"SELECT {keys}, hands, tables, ci.bb_per_100, ci.ci_low, ci.ci_high "
                       f"FROM ({_GROUPED.format(keys=keys)}) ORDER BY ALL").fetchall()
    estimates = [Estimate(tuple(row[:len(by)]), int(row[-5]), int(row[-4]),
                          *(_nan(x) for x in row[-3:])) for row in rows]
    return sorted(estimates, key=lambda e: -e.bb_per_100)


def _null(value: float) -> float | None:
    return None if value != value else value


def _nan(value: float | None) -> float:
    return float("nan") if value is None else float(value)
