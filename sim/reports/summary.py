"""`sim report`: a run's summary computed from its DuckDB file alone.

Counts print with thousands separators, like everything sim prints
(``sim.reports.tables.count``). bb/100 comes with its 95% interval from a bootstrap over
tables (``sim.reports.stats``); the rest from the statistics views (``sim.store.views``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from sim.reports.stats import Estimate, bb_per_100
from sim.reports.tables import count, number, text_table
from sim.store.dataset import open_dataset

FOLDS = """
SELECT bot,
       count(*) FILTER (WHERE action IN ('Fold', 'Check', 'Call', 'Bet', 'RaiseTo', 'Timeout'))
           AS decisions,
       round(100 * count(*) FILTER (WHERE action = 'Fold') / nullif(count(*) FILTER (
           WHERE action IN ('Fold', 'Check', 'Call', 'Bet', 'RaiseTo', 'Timeout')), 0), 1)
           AS fold_pct,
       round(100 * count(*) FILTER (WHERE action IN ('Bet', 'RaiseTo')) / nullif(count(*)
           FILTER (WHERE action IN ('Fold', 'Check', 'Call', 'Bet', 'RaiseTo', 'Timeout')), 0),
           1) AS aggression_pct
FROM actions GROUP BY bot ORDER BY bot
"""

COVERAGE = "SELECT point, sum(hits) AS hits FROM coverage GROUP BY point ORDER BY point"
BOT_STATS = ("SELECT bot, vpip_pct, pfr_pct, three_bet_pct, af, wtsd_pct, wsd_pct "
             "FROM bot_stats")
HAND_CLASSES = ("SELECT hand_class, sum(hands) AS hands, round(100 * sum(bb_per_100 * hands) "
                "/ sum(hands) / 100, 2) AS bb_per_100, round(sum(won_pct * hands) / "
                "sum(hands), 1) AS won_pct, round(sum(showdown_pct * hands) / sum(hands), 1) "
                "AS showdown_pct FROM hand_class_stats GROUP BY hand_class")
BOT_COLUMNS = ["bot", "hands", "bb_per_100", "ci_low", "ci_high", "vpip_pct", "pfr_pct",
               "three_bet_pct", "af", "wtsd_pct", "wsd_pct"]


def open_run(folder: Path) -> duckdb.DuckDBPyConnection:
    """The run in ``folder`` through ``open_dataset``; FileNotFoundError when there is none."""
    path = Path(folder) / "stats.duckdb"
    if not path.exists():
        raise FileNotFoundError(f"{folder} holds no stats.duckdb; give the folder of a run.")
    return open_dataset([Path(folder)])


def report(folder: Path) -> str:
    con = open_run(folder)
    try:
        return "\n".join(_sections(con))
    finally:
        con.close()


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Runs stored by an older harness lack the newer tables."""
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE "
                            "table_name = ? AND table_catalog = current_database()",
                            [name]).fetchone()[0])  # type: ignore[index]


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(sql)
    return [d[0] for d in cursor.description], cursor.fetchall()


def per_bot(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[tuple]]:
    """One row per bot: hands, bb/100 with its interval, and the standard statistics."""
    stats = {row[0]: row[1:] for row in con.execute(BOT_STATS).fetchall()}
    return BOT_COLUMNS, [(e.group[0], e.hands, round(e.bb_per_100, 2), round(e.low, 2),
                          round(e.high, 2), *stats.get(e.group[0], (None,) * 6))
                         for e in bb_per_100(con, ("bot",))]


def per_position(estimates: list[Estimate]) -> tuple[list[str], list[tuple]]:
    rows = sorted(estimates, key=lambda e: (e.group[0], -e.bb_per_100))
    return (["bot", "position", "hands", "bb_per_100", "ci_low", "ci_high"],
            [(*e.group, e.hands, round(e.bb_per_100, 2), round(e.low, 2), round(e.high, 2))
             for e in rows])


def _sections(con: duckdb.DuckDBPyConnection) -> list[str]:
    run = con.execute("SELECT run_id, seed, status, hands, tables, failures, seconds, "
                      "hands_per_s, workers, planted_bugs, command FROM runs").fetchone()
    if run is None:
        return ["this database holds no run"]
    run_id, seed, status, hands, tables, failures, seconds, rate, workers, planted, command = run
    rates = con.execute(
        "SELECT avg(CASE WHEN showdown THEN 1 ELSE 0 END), "
        "(SELECT count(*) FROM (SELECT table_id, hand_no FROM results GROUP BY ALL "
        "HAVING sum(net) <> 0)) FROM hands").fetchone()
    assert rates is not None
    showdowns, zero_sum = rates
    out = [f"run {run_id}: seed {seed}, {status}, {count(hands or 0)} hands on "
           f"{count(tables or 0)} tables in {number(seconds or 0, 1)} s "
           f"({number(rate or 0, 0)} hands/s, {workers} worker{'s' if workers != 1 else ''})",
           f"planted bugs: {', '.join(planted or []) or 'none'}",
           f"showdown in {number(100 * (showdowns or 0), 1)}% of hands; hands whose nets do "
           f"not sum to zero: {count(zero_sum)}",
           f"reproduce: {command}", ""]
    if hands:
        out += _player_sections(con)
    out += _coverage_section(con)
    out += _oracle_section(con)
    out += _failures_section(con, failures or 0)
    return out


def _player_sections(con: duckdb.DuckDBPyConnection) -> list[str]:
    classes = _query(con, HAND_CLASSES + " HAVING sum(hands) >= 20 ORDER BY bb_per_100 DESC")
    best = classes[1][:5] + classes[1][-5:] if len(classes[1]) > 10 else classes[1]
    return ["per bot (net in big blinds per 100 hands with its 95% confidence interval, "
            "by a bootstrap over tables; VPIP, PFR, 3-bet, WTSD and W$SD in %, AF postflop):",
            text_table(*per_bot(con)), "",
            "per bot and position (bb/100, 95% interval):",
            text_table(*per_position(bb_per_100(con, ("bot", "position")))), "",
            "starting hands (the 5 best and 5 worst classes by bb/100, of those dealt 20 "
            "times or more):", text_table(classes[0], best), "",
            "decisions per bot:", text_table(*_query(con, FOLDS)), ""]


def _coverage_section(con: duckdb.DuckDBPyConnection) -> list[str]:
    from sim.invariants.coverage import COVERAGE_POINTS

    hits = dict(con.execute(COVERAGE).fetchall())
    reached = [p for p in COVERAGE_POINTS if hits.get(p)]
    out = [f"coverage: {len(reached)}/{len(COVERAGE_POINTS)} points reached",
           text_table(["point", "hits"], [(p, hits.get(p, 0)) for p in COVERAGE_POINTS])]
    missing = [p for p in COVERAGE_POINTS if not hits.get(p)]
    if missing:
        out.append(f"never reached: {', '.join(missing)}")
    out.append("")
    return out


def _oracle_section(con: duckdb.DuckDBPyConnection) -> list[str]:
    oracle = dict(con.execute("SELECT name, sum(count) FROM counters "
                              "WHERE name LIKE 'oracle%' GROUP BY name").fetchall()) \
        if _has_table(con, "counters") else {}
    if not oracle:
        return []
    masks = [(name.split(":", 1)[1], hits) for name, hits in sorted(oracle.items())
             if name.startswith("oracle_mask:")]
    return [f"PokerKit oracle: {count(oracle.get('oracle_hands', 0))} hands and "
            f"{count(oracle.get('oracle_decisions', 0))} decisions compared; rule "
            "differences masked:",
            text_table(["mask", "hits"], masks) if masks else "  none", ""]


def _failures_section(con: duckdb.DuckDBPyConnection, failures: int) -> list[str]:
    # One row per bug: failures with one signature are one bug (sim triage shrinks them).
    columns, rows = _query(
        con, "SELECT arg_min(invariant, table_id) AS invariant, count(*) AS tables, "
             "min(table_id) AS first_table, arg_min(hand_no, table_id) AS hand, "
             "arg_min(message, table_id) AS message, "
             "arg_min(replay_command, table_id) AS replay_command FROM failures "
             "GROUP BY coalesce(signature, invariant || ': ' || message) ORDER BY first_table")
    out = [f"failures: {count(failures)}, bugs (signatures): {count(len(rows))}"]
    if rows:
        out.append(text_table(columns, rows))
    return out
