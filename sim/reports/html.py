"""`sim report RUN --html FILE`: one self-contained HTML page of plots (matplotlib).

Every picture is a PNG embedded as base64, so the file opens anywhere, offline, and can be
mailed or attached to CI. The plots answer which bot wins (cumulative winnings; bb/100
with 95% intervals by a bootstrap over tables), from which position, with which hands
(the 13x13 grid) and how the hands went (pot sizes), plus what the run covered (coverage
points) and what failed (failures grouped by signature).

    >>> Path("report.html").write_text(html_report(Path("runs/demo")))
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any, Final

import duckdb
import numpy as np

from sim.reports.stats import bb_per_100
from sim.reports.summary import open_run, per_bot
from sim.reports.tables import _cell
from sim.runner.handdata import all_classes

MISSING_EXTRA: Final = ("sim report --html needs the plots extra: "
                        "pip install 'sim[plots]' (matplotlib)")
POINTS: Final = 400  # points per line of the cumulative winnings plot
# Failures grouped by what went wrong: the invariant and its message with numbers blanked.
SIGNATURES: Final = """
SELECT kind, invariant, regexp_replace(message, '[0-9]+', 'N', 'g') AS signature,
       count(*) AS tables, min(table_id) AS first_table
FROM failures GROUP BY ALL ORDER BY tables DESC, signature
"""
CUMULATIVE: Final = f"""
WITH numbered AS (
    SELECT run_id, table_id, hand_no,
           row_number() OVER (ORDER BY run_id, table_id, hand_no) AS i,
           count(*) OVER () AS n
    FROM hands)
SELECT p.bot, (numbered.i - 1) * {POINTS} // numbered.n AS bucket, max(numbered.i) AS hands,
       sum(p.net) / min(p.big_blind) AS net_bb
FROM player_hands p JOIN numbered USING (run_id, table_id, hand_no)
GROUP BY ALL ORDER BY p.bot, bucket
"""


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError as error:
        raise RuntimeError(MISSING_EXTRA) from error
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def html_report(folder: Path) -> str:
    """The report of the run in ``folder`` as one HTML page."""
    plt = _pyplot()
    con = open_run(folder)
    try:
        return _page(con, plt)
    finally:
        con.close()


def _png(fig: Any, plt: Any, alt: str) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _table(columns: list[str], rows: list[tuple]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v, c))}</td>"
                                    for v, c in zip(row, columns, strict=True)) + "</tr>"
                   for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _page(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    run = con.execute("SELECT run_id, seed, status, hands, tables, command FROM runs").fetchone()
    if run is None:
        raise FileNotFoundError("this database holds no run")
    run_id, seed, status, hands, tables, command = run
    parts = [f"<h1>Run {html.escape(str(run_id))}</h1>",
             f"<p>seed {seed}, {status}, {_cell(hands or 0)} hands on {_cell(tables or 0)} "
             f"tables. Reproduce: <code>{html.escape(command or '')}</code></p>"]
    if hands:
        columns, rows = per_bot(con)
        parts += ["<h2>Which bot wins</h2>", _cumulative(con, plt), _intervals(con, plt),
                  "<p>bb/100 is net big blinds per 100 hands; the interval is 95%, from a "
                  "bootstrap over tables. VPIP, PFR, 3-bet, WTSD and W$SD in %, AF "
                  "postflop.</p>", _table(columns, rows),
                  "<h2>From which position</h2>", _positions(con, plt),
                  "<h2>With which hands</h2>", _grid(con, plt),
                  "<h2>How the hands went</h2>", _pot_sizes(con, plt)]
    parts += ["<h2>Coverage</h2>", _coverage(con, plt), "<h2>Failures</h2>", _failures(con, plt)]
    style = ("body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
             "text-align:right}img{max-width:100%;display:block;margin:1em 0}")
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>sim report "
            f"{html.escape(str(run_id))}</title><style>{style}</style></head><body>"
            + "\n".join(parts) + "</body></html>\n")


def _cumulative(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    lines: dict[str, tuple[list[int], list[float]]] = {}
    for bot, _, hands, net in con.execute(CUMULATIVE).fetchall():
        xs, ys = lines.setdefault(bot or "?", ([], []))
        xs.append(hands)
        ys.append(net)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for bot, (xs, ys) in sorted(lines.items()):
        ax.plot(xs, np.cumsum(ys), label=bot)
    ax.set_xlabel("hands played (run order)")
    ax.set_ylabel("cumulative winnings (big blinds)")
    ax.axhline(0, color="black", linewidth=0.5)
    ax.legend(fontsize="small", ncol=2)
    ax.set_title("Cumulative winnings per bot")
    return _png(fig, plt, "cumulative winnings per bot in big blinds")


def _error_bars(ax: Any, labels: list[str], estimates: list[Any]) -> None:
    points = np.array([e.bb_per_100 for e in estimates])
    low = np.array([e.low for e in estimates])
    high = np.array([e.high for e in estimates])
    known = ~np.isnan(low)
    errors = np.zeros((2, len(points)))
    errors[0, known] = points[known] - low[known]
    errors[1, known] = high[known] - points[known]
    ax.errorbar(points, range(len(points)), xerr=errors, fmt="o", capsize=3)
    ax.set_yticks(range(len(points)), labels)
    ax.axvline(0, color="black", linewidth=0.5)
    ax.set_xlabel("bb/100 (95% interval, bootstrap over tables)")


def _intervals(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    estimates = bb_per_100(con, ("bot",))
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(estimates) + 1.5))
    _error_bars(ax, [e.group[0] or "?" for e in estimates], estimates)
    ax.set_title("bb/100 per bot")
    return _png(fig, plt, "bb/100 per bot with 95% confidence intervals")


def _positions(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    estimates = sorted(bb_per_100(con, ("bot", "position")), key=lambda e: e.group)
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(estimates) + 1.5))
    _error_bars(ax, [f"{e.group[0]} {e.group[1]}" for e in estimates], estimates)
    ax.set_title("bb/100 per bot and position")
    return _png(fig, plt, "bb/100 per bot and position with 95% confidence intervals")


def _grid(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    stats = {c: (h, w) for c, h, w in con.execute(
        "SELECT hand_class, sum(hands), sum(won_pct * hands) / sum(hands) "
        "FROM hand_class_stats GROUP BY hand_class").fetchall()}
    classes = all_classes()
    grid = np.full((13, 13), np.nan)
    for index, name in enumerate(classes):
        if name in stats:
            grid[index // 13, index % 13] = stats[name][1]
    fig, ax = plt.subplots(figsize=(9, 8))
    image = ax.imshow(grid, cmap="RdYlGn", vmin=0, vmax=100)
    for index, name in enumerate(classes):
        dealt = stats.get(name, (0, 0.0))[0]
        ax.text(index % 13, index // 13, f"{name}\n{dealt:,}", ha="center", va="center",
                fontsize=6)
    ax.set_xticks([])
    ax.set_yticks([])
    fig.colorbar(image, ax=ax, label="hands won (%)")
    ax.set_title("Win rate by starting hand: share of hands won\n(suited above the diagonal; "
                 "the number is hands dealt)", fontsize=9)
    return _png(fig, plt, "13 by 13 grid of win rates by starting hand")


def _pot_sizes(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    rows = con.execute("SELECT pot_bb_from, sum(hands) FROM pot_sizes GROUP BY ALL "
                       "ORDER BY 1").fetchall()
    fig, ax = plt.subplots(figsize=(8, 3.5))
    labels = [f"<{int(to)}" if to == 1 else f"{int(lo)}-{int(2 * lo)}" for lo, _ in rows
              for to in [max(2 * lo, 1)]]
    ax.bar(range(len(rows)), [h for _, h in rows])
    ax.set_xticks(range(len(rows)), labels, rotation=45, fontsize=8)
    ax.set_xlabel("pot (big blinds)")
    ax.set_ylabel("hands")
    ax.set_title("Pot-size distribution")
    return _png(fig, plt, "pot-size distribution")


def _coverage(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    from sim.invariants.coverage import COVERAGE_POINTS

    hits = dict(con.execute("SELECT point, sum(hits) FROM coverage GROUP BY point").fetchall())
    counts = [int(hits.get(p, 0)) for p in COVERAGE_POINTS]
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(counts) + 1.5))
    ax.barh(range(len(counts)), [max(c, 0.8) for c in counts],
            color=["tab:blue" if c else "tab:red" for c in counts])
    ax.set_yticks(range(len(counts)), list(COVERAGE_POINTS), fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("hits (log scale; red: never reached)")
    ax.set_title(f"Coverage: {sum(1 for c in counts if c)}/{len(counts)} points reached")
    return _png(fig, plt, "coverage points")


def _failures(con: duckdb.DuckDBPyConnection, plt: Any) -> str:
    cursor = con.execute(SIGNATURES)
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    if not rows:
        return "<p>No failures.</p>"
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(rows) + 1.5))
    ax.barh(range(len(rows)), [r[3] for r in rows], color="tab:red")
    ax.set_yticks(range(len(rows)), [f"{r[1]}: {r[2][:60]}" for r in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("failing tables")
    ax.set_title("Failures by signature")
    return _png(fig, plt, "failures by signature") + _table(columns, rows)
