"""`sim report RUN... --html FILE`: one self-contained HTML page of plots (matplotlib) and
tables.

Every picture is a PNG embedded as base64, so the file opens anywhere, offline, and can be
mailed or attached to CI; the page has no script. The plots answer which bot wins
(cumulative winnings; bb/100 with 95% intervals by a bootstrap over tables), from which
position (one panel per bot, positions in table order; cells of too few hands greyed, not
drawn), with which hands (the 13x13 grid) and how the hands went (pot sizes), plus what
the runs covered (coverage points) and what failed (failures grouped by signature).
Results by position and by starting-hand class are tables too, complete, under each plot.

    >>> page = html_report([run])                  # write it where you like
    >>> page.startswith("<!DOCTYPE html>"), "<script" in page
    (True, False)
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import duckdb
import numpy as np

from sim.reports.stats import bb_per_100
from sim.reports.summary import Table, read_sections
from sim.reports.tables import cell, plural
from sim.runner.handdata import all_classes
from sim.store.dataset import open_dataset

MISSING_EXTRA: Final = ("sim report --html needs the plots extra: "
                        "pip install 'sim[plots]' (matplotlib)")
MIN_CELL_HANDS: Final = 200  # a bot and position with fewer hands is greyed, not drawn
POINTS: Final = 400  # points per line of the cumulative winnings plot
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


def html_report(folders: Sequence[Path]) -> str:
    """The report of the runs in ``folders`` as one HTML page."""
    con = open_dataset(list(folders))
    try:
        return page(con)
    finally:
        con.close()


def page(con: duckdb.DuckDBPyConnection) -> str:
    """The HTML report of the runs open on ``con`` (``sim.store.dataset.open_dataset``)."""
    return _page(con, _pyplot(), read_sections(con))


def _png(fig: Any, plt: Any, alt: str) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _table(columns: list[str], rows: list[tuple[Any, ...]],
           greyed: list[bool] | None = None) -> str:
    """An HTML table of every row; ``greyed`` marks rows too small to mean anything."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    marks = greyed or [False] * len(rows)
    body = "".join(("<tr class=\"small\">" if mark else "<tr>")
                   + "".join(f"<td>{html.escape(cell(v, c))}</td>"
                             for v, c in zip(row, columns, strict=True)) + "</tr>"
                   for row, mark in zip(rows, marks, strict=True))
    return f"<table><tr>{head}</tr>{body}</table>"


def _page(con: duckdb.DuckDBPyConnection, plt: Any, found: dict[str, Table]) -> str:
    runs = found["runs"][1]
    if not runs:
        raise RuntimeError("this database holds no run")
    title = ", ".join(str(run[0]) for run in runs)
    parts = [f"<h1>Run{'s' if len(runs) > 1 else ''} {html.escape(title)}</h1>"]
    parts += [f"<p>{html.escape(str(run_id))}: seed {seed}, {status}, "
              f"{plural(hands or 0, 'hand')} on {plural(tables or 0, 'table')}. Reproduce: "
              f"<code>{html.escape(command or '')}</code></p>"
              for run_id, seed, status, hands, tables, *_, command in runs]
    if "bots" in found:
        parts += ["<h2>Which bot wins</h2>", _cumulative(con, plt), _intervals(con, plt),
                  "<p>bb/100 is net big blinds per 100 hands; the interval is 95%, from a "
                  "bootstrap over tables. VPIP, PFR, 3-bet, WTSD and W$SD in %, AF "
                  "postflop.</p>", _table(*found["bots"]),
                  "<h2>From which position</h2>", *_positions(found["positions"], plt),
                  "<h2>With which hands</h2>", _grid(found["hand_classes"], plt),
                  _details(f"Every starting-hand class dealt "
                           f"({len(found['hand_classes'][1])}), best bb/100 first",
                           _table(*found["hand_classes"])),
                  "<h2>How the hands went</h2>", _pot_sizes(con, plt)]
    parts += ["<h2>Coverage</h2>", _coverage(found["coverage"], plt), "<h2>Failures</h2>",
              _failures(found["failures"], plt)]
    style = ("body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
             "text-align:right}img{max-width:100%;display:block;margin:1em 0}"
             "tr.small td{color:#999}")
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>sim report "
            f"{html.escape(title)}</title><style>{style}</style></head><body>"
            + "\n".join(parts) + "</body></html>\n")


def _details(summary: str, body: str) -> str:
    return f"<details><summary>{html.escape(summary)}</summary>{body}</details>"


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


def small(hands: int, tables: int) -> bool:
    """A cell too small to mean anything: few hands, or one table (no interval)."""
    return hands < MIN_CELL_HANDS or tables < 2


def _positions(positions: Table, plt: Any) -> list[str]:
    """One panel per bot, positions in table order; small cells greyed and not drawn, so
    they do not stretch the axes. Then every cell as a table."""
    columns, rows = positions
    at = {name: columns.index(name) for name in ("bot", "position", "hands", "bb_per_100",
                                                  "ci_low", "ci_high", "tables")}
    bots = sorted({row[at["bot"]] or "?" for row in rows})
    by_bot = {bot: [row for row in rows if (row[at["bot"]] or "?") == bot] for bot in bots}
    across = min(3, len(bots))
    down = -(-len(bots) // across)
    tallest = max(len(cells) for cells in by_bot.values())
    height = down * (0.22 * tallest + 1.0) + 0.4
    fig, axes = plt.subplots(down, across, squeeze=False, figsize=(11, height))
    hidden = 0
    for ax, bot in zip(axes.flat, bots, strict=False):
        hidden += _bot_panel(ax, bot, by_bot[bot], at)
    for ax in list(axes.flat)[len(bots):]:
        ax.set_visible(False)
    fig.suptitle("bb/100 per bot and position, 95% interval (hands in brackets; each bot on "
                 "its own scale)")
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.15 / height))  # room for the title
    note = (f"<p>Grey positions ({hidden} of {len(rows)}) had fewer than {MIN_CELL_HANDS} "
            "hands or a single table: too few to mean anything, so they are not drawn. The "
            "table lists every cell.</p>") if hidden else ""
    return [_png(fig, plt, "bb/100 per bot and position with 95% confidence intervals"), note,
            _details(f"Every bot and position ({len(rows)})", _table(
                columns, rows, [small(row[at["hands"]], row[at["tables"]]) for row in rows]))]


def _bot_panel(ax: Any, bot: str, cells: list[tuple[Any, ...]], at: dict[str, int]) -> int:
    """Draw one bot's positions; returns how many were too small to draw."""
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    shown = [i for i, row in enumerate(cells) if not small(row[at["hands"]], row[at["tables"]])]
    for i in shown:
        point, low, high = (cells[i][at[k]] for k in ("bb_per_100", "ci_low", "ci_high"))
        ax.errorbar([point], [i], xerr=[[point - low], [high - point]], fmt="o", capsize=3,
                    color="tab:blue")
    labels = [f"{row[at['position']]} ({row[at['hands']]:,})" for row in cells]
    ax.set_yticks(range(len(cells)), labels, fontsize=8)
    for i, label in enumerate(ax.get_yticklabels()):
        if i not in shown:
            label.set_color("#aaaaaa")
    ax.set_ylim(len(cells) - 0.5, -0.5)  # table order, top to bottom
    ax.axvline(0, color="black", linewidth=0.5)
    ax.set_title(bot, fontsize=10)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.tick_params(axis="x", labelsize=8)
    return len(cells) - len(shown)


def _grid(hand_classes: Table, plt: Any) -> str:
    columns, rows = hand_classes
    at = {name: columns.index(name) for name in ("hand_class", "hands", "won_pct")}
    stats = {row[at["hand_class"]]: (row[at["hands"]], row[at["won_pct"]]) for row in rows}
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


def _coverage(coverage: Table, plt: Any) -> str:
    points = [point for point, _ in coverage[1]]
    counts = [hits for _, hits in coverage[1]]
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(counts) + 1.5))
    ax.barh(range(len(counts)), [max(c, 0.8) for c in counts],
            color=["tab:blue" if c else "tab:red" for c in counts])
    ax.set_yticks(range(len(counts)), points, fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("hits (log scale; red: never reached)")
    ax.set_title(f"Coverage: {sum(1 for c in counts if c)}/{len(counts)} points reached")
    return _png(fig, plt, "coverage points")


def _failures(failures: Table, plt: Any) -> str:
    """One bar per bug (failure signature, as ``sim report`` and ``sim triage`` group
    them), then the table."""
    columns, rows = failures
    if not rows:
        return "<p>No failures.</p>"
    at = {name: columns.index(name) for name in ("invariant", "tables", "message")}
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(rows) + 1.5))
    ax.barh(range(len(rows)), [row[at["tables"]] for row in rows], color="tab:red")
    ax.set_yticks(range(len(rows)), [f"{row[at['invariant']]}: {str(row[at['message']])[:60]}"
                                     for row in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("failing tables")
    ax.set_title("Failures by signature")
    return _png(fig, plt, "failures by signature") + _table(columns, rows)
