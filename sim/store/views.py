"""The standard poker statistics as DuckDB views, created in every store.

A researcher recognises these without reading our code; README.md ("Statistics views")
documents each with an example query. All are grouped by ``run_id`` first, so they work
the same over one run and over several (``sim query`` with many runs, or Parquet).

A confidence interval for bb/100 cannot be a view: hands at one table are not independent,
so ``sim.reports.stats.bb_per_100`` bootstraps over tables from ``table_results``.

``create_views(con)`` (CREATE OR REPLACE: safe on an existing store) makes them; every
connection ``sim.store.dataset.open_dataset`` opens has them:

    >>> from sim.store.dataset import open_dataset
    >>> con = open_dataset([run])
    >>> con.execute("SELECT sum(hands) = (SELECT count(*) FROM results) FROM bot_stats").fetchall()
    [(True,)]
"""

from __future__ import annotations

from typing import Final

import duckdb

# The per-seat, per-hand facts the rest are sums of: the results, with the big blind. The
# decisions' flags (vpip, pfr, ...) are kept by the table player in `results`, not
# re-derived here from `actions`: a view that grouped 14 million actions took seconds.
PLAYER_HANDS: Final = """
CREATE OR REPLACE VIEW player_hands AS
SELECT r.run_id, r.table_id, r.hand_no, r.seat, r.bot, r.position, r.hand_class,
       r.net, t.big_blind, r.net / t.big_blind AS net_bb, r.net > 0 AS won_hand, r.saw_flop,
       r.went_to_showdown, r.went_to_showdown AND r.won > 0 AS won_at_showdown,
       r.vpip, r.pfr, r.three_bet_chance, r.three_bet, r.postflop_aggressive, r.postflop_calls
FROM results r
JOIN tables t USING (run_id, table_id);
"""

# The statistics of a group of player-hands, for the per-bot and per-position views.
STATS: Final = """
       count(*) AS hands,
       round(100 * avg(net_bb), 2) AS bb_per_100,
       round(100 * avg(vpip::INTEGER), 1) AS vpip_pct,
       round(100 * avg(pfr::INTEGER), 1) AS pfr_pct,
       round(100 * sum(three_bet::INTEGER) / nullif(sum(three_bet_chance::INTEGER), 0), 1)
           AS three_bet_pct,
       round(sum(postflop_aggressive) / nullif(sum(postflop_calls), 0), 2) AS af,
       round(100 * sum(went_to_showdown::INTEGER) / nullif(sum(saw_flop::INTEGER), 0), 1)
           AS wtsd_pct,
       round(100 * sum(won_at_showdown::INTEGER) / nullif(sum(went_to_showdown::INTEGER), 0),
             1) AS wsd_pct
"""

VIEWS: Final = PLAYER_HANDS + f"""
CREATE OR REPLACE VIEW bot_stats AS
SELECT run_id, bot, {STATS}
FROM player_hands GROUP BY run_id, bot;

CREATE OR REPLACE VIEW position_stats AS
SELECT run_id, bot, position, {STATS}
FROM player_hands GROUP BY run_id, bot, position;

CREATE OR REPLACE VIEW table_results AS
SELECT run_id, table_id, bot, position, min(big_blind) AS big_blind, count(*) AS hands,
       sum(net) AS net, sum(net) / min(big_blind) AS net_bb
FROM player_hands GROUP BY run_id, table_id, bot, position;

CREATE OR REPLACE VIEW hand_class_stats AS
SELECT run_id, hand_class,
       count(*) AS hands,
       round(100 * avg(net_bb), 2) AS bb_per_100,
       round(100 * avg(won_hand::INTEGER), 1) AS won_pct,
       round(100 * avg(went_to_showdown::INTEGER), 1) AS showdown_pct
FROM player_hands WHERE hand_class IS NOT NULL GROUP BY run_id, hand_class;

CREATE OR REPLACE VIEW pot_sizes AS
SELECT run_id, pot_bb_from, greatest(pot_bb_from * 2, 1) AS pot_bb_to, count(*) AS hands,
       round(100 * count(*) / sum(count(*)) OVER (PARTITION BY run_id), 2) AS share_pct
FROM (SELECT h.run_id, CASE WHEN h.pot < t.big_blind THEN 0
                            ELSE 2 ** floor(log2(h.pot / t.big_blind)) END AS pot_bb_from
      FROM hands h JOIN tables t USING (run_id, table_id))
GROUP BY run_id, pot_bb_from;

CREATE OR REPLACE VIEW hand_lengths AS
SELECT run_id, actions, count(*) AS hands,
       round(100 * count(*) / sum(count(*)) OVER (PARTITION BY run_id), 2) AS share_pct
FROM hands GROUP BY run_id, actions;
"""

NAMES: Final = ("player_hands", "bot_stats", "position_stats", "table_results",
                "hand_class_stats", "pot_sizes", "hand_lengths")


def create_views(con: duckdb.DuckDBPyConnection, temporary: bool = False) -> None:
    """Create (or replace) every statistics view on ``con``; ``temporary`` makes them
    views of this connection only (for a read-only or in-memory connection)."""
    sql = VIEWS.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW") \
        if temporary else VIEWS
    con.execute(sql)
