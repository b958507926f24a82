"""`sim report`: the summary of one or more runs, computed from their databases alone.

The report is a set of named tables (``sections``): the runs, bb/100 per bot and per bot
and position with 95% intervals from a bootstrap over tables (``sim.reports.stats``), the
starting-hand classes, decisions per bot, coverage, the PokerKit oracle's counts and the
failures by signature. ``text`` prints them for a person (counts with thousands
separators, like everything sim prints: ``sim.reports.tables.count``); ``sim report
--json`` prints them all as one JSON object, ``--csv`` the bb/100 table.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import duckdb

from sim.reports.stats import bb_per_100
from sim.reports.tables import count, csv_table, json_value, number, plural, text_table
from sim.runner.handdata import other_names
from sim.store.dataset import open_dataset
from sim.store.views import STATS

Table = tuple[list[str], list[tuple[Any, ...]]]

# Table order: the blinds, then in acting order to the button.
POSITIONS: Final = ("SB", "BB", *other_names(7), "BTN")
DECISIONS: Final = "('Fold', 'Check', 'Call', 'Bet', 'RaiseTo', 'Timeout')"
FOLDS: Final = f"""
SELECT bot, count(*) FILTER (WHERE action IN {DECISIONS}) AS decisions,
       round(100 * count(*) FILTER (WHERE action = 'Fold')
             / nullif(count(*) FILTER (WHERE action IN {DECISIONS}), 0), 1) AS fold_pct,
       round(100 * count(*) FILTER (WHERE action IN ('Bet', 'RaiseTo'))
             / nullif(count(*) FILTER (WHERE action IN {DECISIONS}), 0), 1) AS aggression_pct
FROM actions GROUP BY bot ORDER BY bot
"""
RUNS: Final = ("SELECT run_id, seed, status, hands, tables, failures, seconds, hands_per_s, "
               "workers, planted_bugs, command FROM runs ORDER BY run_id")
COVERAGE: Final = "SELECT point, sum(hits) AS hits FROM coverage GROUP BY point"
HAND_CLASSES: Final = ("SELECT hand_class, count(*) AS hands, round(100 * avg(net_bb), 2) AS "
                       "bb_per_100, round(100 * avg(won_hand::INTEGER), 1) AS won_pct, "
                       "round(100 * avg(went_to_showdown::INTEGER), 1) AS showdown_pct "
                       "FROM player_hands WHERE hand_class IS NOT NULL GROUP BY hand_class "
                       "ORDER BY bb_per_100 DESC, hand_class")
FAILURES: Final = (
    "SELECT arg_min(invariant, (run_id, table_id)) AS invariant, count(*) AS tables, "
    "arg_min(run_id, (run_id, table_id)) AS run_id, min(table_id) AS first_table, "
    "arg_min(hand_no, (run_id, table_id)) AS hand, "
    "arg_min(message, (run_id, table_id)) AS message, "
    "arg_min(replay_command, (run_id, table_id)) AS replay_command FROM failures "
    "GROUP BY coalesce(signature, invariant || ': ' || message) ORDER BY run_id, first_table")
STAT_COLUMNS: Final = ["vpip_pct", "pfr_pct", "three_bet_pct", "af", "wtsd_pct", "wsd_pct"]
BOT_COLUMNS: Final = ["bot", "hands", "bb_per_100", "ci_low", "ci_high", "tables",
                      *STAT_COLUMNS]
POSITION_COLUMNS: Final = ["bot", "position", *BOT_COLUMNS[1:]]


def report(folders: Sequence[Path]) -> str:
    """The text report of the runs in ``folders``."""
    return text(sections(folders))


def sections(folders: Sequence[Path]) -> dict[str, Table]:
    """Every table of the report of the runs in ``folders``, by name."""
    con = open_dataset(list(folders))
    try:
        return read_sections(con)
    finally:
        con.close()


def read_sections(con: duckdb.DuckDBPyConnection) -> dict[str, Table]:
    out = {"runs": _query(con, RUNS)}
    if _total_hands(con):
        out["bots"] = per_bot(con)
        out["positions"] = per_position(con)
        out["hand_classes"] = _query(con, HAND_CLASSES)
        out["decisions"] = _query(con, FOLDS)
    out["coverage"] = _coverage(con)
    out["oracle"] = _query(con, "SELECT name, sum(count)::BIGINT AS count FROM counters "
                                "WHERE name LIKE 'oracle%' GROUP BY name ORDER BY name")
    out["failures"] = _query(con, FAILURES)
    out["totals"] = _query(con, "SELECT round(100 * avg(showdown::INTEGER), 1) AS "
                                "showdown_pct, (SELECT count(*) FROM (SELECT run_id, table_id, "
                                "hand_no FROM results GROUP BY ALL HAVING sum(net) <> 0)) AS "
                                "nonzero_sum_hands FROM hands")
    return out


def per_bot(con: duckdb.DuckDBPyConnection) -> Table:
    """One row per bot over every run: hands, bb/100 with its interval, the statistics."""
    stats = {row[0]: row[1:] for row in con.execute(_stats("bot")).fetchall()}
    return BOT_COLUMNS, [(e.group[0], e.hands, _round(e.bb_per_100), _round(e.low),
                          _round(e.high), e.tables, *stats.get(e.group[0], _NO_STATS))
                         for e in bb_per_100(con, ("bot",))]


def per_position(con: duckdb.DuckDBPyConnection) -> Table:
    """One row per bot and position, bots by name and positions in table order."""
    stats = {row[:2]: row[2:] for row in con.execute(_stats("bot, position")).fetchall()}
    estimates = sorted(bb_per_100(con, ("bot", "position")),
                       key=lambda e: (e.group[0] or "", position_rank(e.group[1])))
    return POSITION_COLUMNS, [(*e.group, e.hands, _round(e.bb_per_100), _round(e.low),
                               _round(e.high), e.tables, *stats.get(e.group, _NO_STATS))
                              for e in estimates]


_NO_STATS: Final = (None,) * len(STAT_COLUMNS)


def _stats(keys: str) -> str:
    """The statistics of STAT_COLUMNS per group of ``keys``, over every run."""
    return (f"SELECT {keys}, {', '.join(STAT_COLUMNS)} FROM (SELECT {keys}, {STATS} "
            f"FROM player_hands GROUP BY {keys})")


def position_rank(name: str | None) -> int:
    """Where ``name`` sits in table order (SB first, BTN last; unknown names after)."""
    return POSITIONS.index(name) if name in POSITIONS else len(POSITIONS)


def estimates_csv(found: dict[str, Table]) -> str:
    """bb/100 per bot (position empty) and per bot and position, with the statistics; an
    interval that cannot be had (one table) is empty."""
    bots = [(row[0], None, *row[1:]) for row in found.get("bots", ([], []))[1]]
    rows = bots + found.get("positions", ([], []))[1]
    return csv_table(POSITION_COLUMNS, [tuple(map(json_value, row)) for row in rows])


def as_json(found: dict[str, Table]) -> dict[str, list[dict[str, Any]]]:
    """Every section as a list of objects (NaN and infinities as null)."""
    return {name: [{column: json_value(value) for column, value in zip(columns, row,
                                                                        strict=True)}
                   for row in rows] for name, (columns, rows) in found.items()}


# -- text ----------------------------------------------------------------------------------

def text(found: dict[str, Table]) -> str:
    runs = found["runs"][1]
    if not runs:
        return "this database holds no run"
    out = [_run_line(run) for run in runs]
    planted = sorted({bug for run in runs for bug in run[9] or []})
    showdowns, nonzero = found["totals"][1][0]
    out += [f"planted bugs: {', '.join(planted) or 'none'}",
            f"showdown in {number(showdowns or 0, 1)}% of hands; hands whose nets do "
            f"not sum to zero: {count(nonzero)}"]
    out += [f"reproduce: {run[10]}" for run in runs] + [""]
    if "bots" in found:
        out += _player_text(found)
    out += _coverage_text(found["coverage"])
    out += _oracle_text(found["oracle"])
    out += _failures_text(found["failures"], sum(run[5] or 0 for run in runs))
    return "\n".join(out)


def _run_line(run: tuple[Any, ...]) -> str:
    run_id, seed, status, hands, tables, _, seconds, rate, workers = run[:9]
    return (f"run {run_id}: seed {seed}, {status}, {plural(hands or 0, 'hand')} on "
            f"{plural(tables or 0, 'table')} in {number(seconds or 0, 1)} s "
            f"({number(rate or 0, 0)} hands/s, {plural(workers or 0, 'worker')})")


def _player_text(found: dict[str, Table]) -> list[str]:
    columns, classes = found["hand_classes"]
    common = [row for row in classes if row[1] >= 20]
    shown = common[:5] + common[-5:] if len(common) > 10 else common
    position_columns, positions = found["positions"]
    return ["per bot (net in big blinds per 100 hands with its 95% confidence interval, "
            "by a bootstrap over tables; VPIP, PFR, 3-bet, WTSD and W$SD in %, AF postflop):",
            text_table(*found["bots"]), "",
            "per bot and position (bb/100, 95% interval; positions in table order):",
            text_table(position_columns[:6], [row[:6] for row in positions]), "",
            "starting hands (the 5 best and 5 worst classes by bb/100, of those dealt 20 "
            "times or more):", text_table(columns, shown), "",
            "decisions per bot:", text_table(*found["decisions"]), ""]


def _coverage(con: duckdb.DuckDBPyConnection) -> Table:
    from sim.invariants.coverage import COVERAGE_POINTS

    hits = dict(con.execute(COVERAGE).fetchall())
    return ["point", "hits"], [(p, int(hits.get(p) or 0)) for p in COVERAGE_POINTS]


def _coverage_text(coverage: Table) -> list[str]:
    rows = coverage[1]
    reached = [point for point, hits in rows if hits]
    out = [f"coverage: {len(reached)}/{len(rows)} points reached", text_table(*coverage)]
    missing = [point for point, hits in rows if not hits]
    if missing:
        out.append(f"never reached: {', '.join(missing)}")
    out.append("")
    return out


def _oracle_text(oracle: Table) -> list[str]:
    counted: dict[str, int] = dict(oracle[1])
    if not counted:
        return []
    masks = [(name.split(":", 1)[1], hits) for name, hits in sorted(counted.items())
             if name.startswith("oracle_mask:")]
    return [f"PokerKit oracle: {plural(counted.get('oracle_hands', 0), 'hand')} and "
            f"{plural(counted.get('oracle_decisions', 0), 'decision')} compared; rule "
            "differences masked:",
            text_table(["mask", "hits"], masks) if masks else "  none", ""]


def _failures_text(failures: Table, total: int) -> list[str]:
    # One row per bug: failures with one signature are one bug (sim triage shrinks them).
    columns, rows = failures
    out = [f"failures: {count(total)}, bugs (signatures): {count(len(rows))}"]
    if rows:
        out.append(text_table(columns, rows))
    return out


def _total_hands(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM hands").fetchone()
    return int(row[0]) if row is not None else 0


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> Table:
    cursor = con.execute(sql)
    return [d[0] for d in cursor.description], cursor.fetchall()


def _round(value: float) -> float:
    return round(value, 2)
