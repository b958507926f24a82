"""Printing query results as an aligned text table, CSV or JSON; numbers one way everywhere.

Counts and chips print with thousands separators (``10,783``, ``9,199``), other numbers
with two decimals; identifiers (seeds, table and hand numbers, seats) print plain, since
they are names, not amounts. ``count()`` and ``number()`` are what every report uses.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from typing import Any, Final

# Columns that name things: printed without separators.
IDENTIFIERS: Final = frozenset({"run_id", "table_id", "hand_no", "seq", "seat", "seed",
                                "table_seed", "hand_seed", "dispatch", "button",
                                "small_blind_seat", "big_blind_seat", "only_table"})


def count(value: int) -> str:
    """A count or an amount of chips: ``count(9199) == "9,199"``."""
    return f"{value:,}"


def plural(value: int, noun: str) -> str:
    """A count and its noun, singular for one: ``plural(1, "table") == "1 table"``,
    ``plural(2_000, "hand") == "2,000 hands"``."""
    return f"{value:,} {noun}{'' if value == 1 else 's'}"


def number(value: float, decimals: int = 2) -> str:
    """A measured number: ``number(1234.5) == "1,234.50"``; NaN prints as ``-``."""
    return "-" if value != value else f"{value:,.{decimals}f}"


def cell(value: Any, column: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return number(value)
    if isinstance(value, int):
        return str(value) if column in IDENTIFIERS else count(value)
    return str(value)


def text_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], limit: int = 1000) -> str:
    """An aligned table; numbers right-aligned. Shows at most ``limit`` rows."""
    shown = [[cell(v, c) for v, c in zip(row, columns, strict=True)] for row in rows[:limit]]
    widths = [max([len(c)] + [len(r[i]) for r in shown]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(row[i], (int, float)) or row[i] is None for row in rows[:limit])
               for i in range(len(columns))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w)
                         for c, w, n in zip(cells, widths, numeric, strict=True)).rstrip()

    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in shown]
    if len(rows) > limit:
        out.append(f"... {len(rows) - limit:,} more rows (use --csv or --json for all)")
    out.append(f"({len(rows):,} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def csv_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def json_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A list of objects, one a row; NaN and infinities (which JSON has not) are null."""
    return dumps([{c: json_value(v) for c, v in zip(columns, row, strict=True)}
                  for row in rows])


def dumps(data: Any) -> str:
    """JSON as sim prints it: strict (no NaN), and what JSON has no type for (dates,
    decimals) as text."""
    return json.dumps(data, default=str, indent=1, allow_nan=False)


def json_value(value: Any) -> Any:
    """``value`` as JSON holds it: a float that is not finite is null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: json_value(item) for key, item in value.items()}
    return value
