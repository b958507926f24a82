"""bb/100 with a 95% confidence interval, by a bootstrap over tables (numpy).

Hands at one table are not independent (the same players, stacks carried from hand to
hand), so the interval resamples whole tables: each resample draws the group's tables
with replacement and takes sum(net in big blinds) / sum(hands) * 100. The resamples'
2.5th and 97.5th percentiles are the interval. Seeded: the same data, the same interval.

    >>> con = open_dataset([Path("runs/demo")])
    >>> for row in bb_per_100(con, by=("bot",)):
    ...     print(row.group, row.hands, row.bb_per_100, row.low, row.high)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import duckdb
import numpy as np

RESAMPLES: Final = 2000
GROUPINGS: Final = frozenset({"run_id", "bot", "position"})


@dataclass(frozen=True, slots=True)
class Estimate:
    """bb/100 of one group (e.g. ``("maniac",)``), with its bootstrap interval."""

    group: tuple[str, ...]
    hands: int
    tables: int
    bb_per_100: float
    low: float  # the 95% interval's ends
    high: float


def bb_per_100(con: duckdb.DuckDBPyConnection, by: Sequence[str] = ("bot",),
               resamples: int = RESAMPLES, seed: int = 0) -> list[Estimate]:
    """bb/100 per group of ``by`` (columns of ``table_results``: run_id, bot, position),
    best first, from the per-table sums of the ``table_results`` view."""
    unknown = [name for name in by if name not in GROUPINGS]
    if unknown or not by:
        raise ValueError(f"cannot group bb/100 by {', '.join(unknown) or 'nothing'}; "
                         f"group by one or more of {', '.join(sorted(GROUPINGS))}.")
    keys = ", ".join(by)
    rows = con.execute(
        # Chips summed exactly, then divided: a double sum's order (threads) moves its last bits.
        f"SELECT {keys}, run_id || '/' || table_id AS table_key, sum(hands), "
        f"sum(net) / min(big_blind) "
        f"FROM table_results GROUP BY ALL ORDER BY ALL").fetchall()
    groups: dict[tuple[str, ...], list[tuple[int, float]]] = {}
    for row in rows:
        groups.setdefault(tuple(row[:len(by)]), []).append((int(row[-2]), float(row[-1])))
    rng = np.random.default_rng(seed)
    estimates = [_estimate(group, per_table, rng, resamples)
                 for group, per_table in groups.items()]
    return sorted(estimates, key=lambda e: -e.bb_per_100)


def _estimate(group: tuple[str, ...], per_table: list[tuple[int, float]],
              rng: np.random.Generator, resamples: int) -> Estimate:
    hands = np.array([h for h, _ in per_table], dtype=np.float64)
    net = np.array([n for _, n in per_table], dtype=np.float64)
    point = 100 * net.sum() / hands.sum()
    if len(per_table) < 2:  # one table: nothing to resample, no interval
        return Estimate(group, int(hands.sum()), 1, float(point), float("nan"), float("nan"))
    picks = rng.integers(0, len(per_table), size=(resamples, len(per_table)))
    sampled = 100 * net[picks].sum(axis=1) / hands[picks].sum(axis=1)
    low, high = np.percentile(sampled, [2.5, 97.5])
    return Estimate(group, int(hands.sum()), len(per_table), float(point), float(low),
                    float(high))
