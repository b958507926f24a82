"""`sim report`: a run's summary computed from its DuckDB file alone."""

from __future__ import annotations

from pathlib import Path

import duckdb

from sim.reports.tables import text_table

PER_BOT = """
SELECT r.bot,
       count(*) AS hands,
       round(100 * avg(r.net / t.big_blind), 2) AS bb_per_100,
       round(100 * 1.96 * stddev_samp(r.net / t.big_blind) / sqrt(count(*)), 2) AS ci95,
       round(100 * avg(CASE WHEN r.showed_down THEN 1 ELSE 0 END), 1) AS showdown_pct,
       round(100 * avg(CASE WHEN r.won > 0 THEN 1 ELSE 0 END), 1) AS won_pct
FROM results r JOIN tables t USING (run_id, table_id)
GROUP BY r.bot ORDER BY bb_per_100 DESC
"""

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


def report(folder: Path) -> str:
    path = Path(folder) / "stats.duckdb"
    if not path.exists():
        raise FileNotFoundError(f"{folder} holds no stats.duckdb; give the folder of a run.")
    con = duckdb.connect(str(path), read_only=True)
    try:
        return "\n".join(_sections(con))
    finally:
        con.close()


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Runs stored by an older harness lack the newer tables."""
    return bool(con.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_name = ?", [name]).fetchone()[0])  # type: ignore[index]


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(sql)
    return [d[0] for d in cursor.description], cursor.fetchall()


def _sections(con: duckdb.DuckDBPyConnection) -> list[str]:
    from sim.invariants.coverage import COVERAGE_POINTS

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
    out = [f"run {run_id}: seed {seed}, {status}, {hands or 0:,} hands on {tables or 0:,} tables "
           f"in {seconds or 0:,.1f} s ({rate or 0:,.0f} hands/s, {workers} "
           f"worker{'s' if workers != 1 else ''})",
           f"planted bugs: {', '.join(planted or []) or 'none'}",
           f"showdown in {100 * (showdowns or 0):.1f}% of hands; hands whose nets do not sum "
           f"to zero: {zero_sum}",
           f"reproduce: {command}", "",
           "per bot (net in big blinds per 100 hands, 95% confidence interval):",
           text_table(*_query(con, PER_BOT)), "",
           "decisions per bot:", text_table(*_query(con, FOLDS)), ""]
    hits = dict(con.execute(COVERAGE).fetchall())
    reached = [p for p in COVERAGE_POINTS if hits.get(p)]
    out.append(f"coverage: {len(reached)}/{len(COVERAGE_POINTS)} points reached")
    out.append(text_table(["point", "hits"], [(p, hits.get(p, 0)) for p in COVERAGE_POINTS]))
    missing = [p for p in COVERAGE_POINTS if not hits.get(p)]
    if missing:
        out.append(f"never reached: {', '.join(missing)}")
    out.append("")
    oracle = dict(con.execute("SELECT name, sum(count) FROM counters "
                              "WHERE name LIKE 'oracle%' GROUP BY name").fetchall()) \
        if _has_table(con, "counters") else {}
    if oracle:
        masks = [(name.split(":", 1)[1], count) for name, count in sorted(oracle.items())
                 if name.startswith("oracle_mask:")]
        out.append(f"PokerKit oracle: {oracle.get('oracle_hands', 0):,} hands and "
                   f"{oracle.get('oracle_decisions', 0):,} decisions compared; rule "
                   "differences masked:")
        out.append(text_table(["mask", "hits"], masks) if masks else "  none")
        out.append("")
    # One row per bug: failures with one signature are one bug (sim triage shrinks them).
    columns, rows = _query(
        con, "SELECT arg_min(invariant, table_id) AS invariant, count(*) AS tables, "
             "min(table_id) AS first_table, arg_min(hand_no, table_id) AS hand, "
             "arg_min(message, table_id) AS message, "
             "arg_min(replay_command, table_id) AS replay_command FROM failures "
             "GROUP BY coalesce(signature, invariant || ': ' || message) ORDER BY first_table")
    out.append(f"failures: {failures or 0}, bugs (signatures): {len(rows)}")
    if rows:
        out.append(text_table(columns, rows))
    return out
