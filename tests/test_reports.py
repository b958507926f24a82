"""`sim report` and `sim query` over a run's database, and the tables they print.

The report's numbers are checked against the raw rows, computed here independently."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict

import pytest
from conftest import invoke_cli, query

from sim.invariants.coverage import COVERAGE_POINTS
from sim.reports.tables import csv_table, json_table, text_table
from sim.store.writer import Store

NUMBER = r"-?[\d,]+(?:\.\d+)?"


def number(text: str) -> float:
    return float(text.replace(",", ""))


def section(report: str, title: str) -> list[str]:
    """The lines of the text table printed under the line starting with ``title``."""
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    table = []
    for line in lines[start + 3:]:  # title, header, dashes
        if line.startswith("("):
            break
        table.append(line)
    return table


@pytest.fixture(scope="module")
def report(small_run) -> str:
    result = invoke_cli("report", small_run)
    assert result.exit_code == 0, result.output
    return result.output


# -- sim report --------------------------------------------------------------------------------

def test_report_names_the_run_and_its_totals(report, small_run):
    seed, hands, tables, command = query(small_run, "SELECT seed, hands, tables, command "
                                                    "FROM runs")[0]
    first = report.splitlines()[0]
    assert first.startswith(f"run {small_run.name}: seed {seed}, completed, {hands} hands on "
                            f"{tables} tables")
    assert f"reproduce: {command}" in report
    assert "planted bugs: none" in report
    assert "hands whose nets do not sum to zero: 0" in report
    assert "failures: 0" in report


def test_report_has_a_row_per_bot_with_its_results(report, small_run):
    nets: dict[str, list[float]] = defaultdict(list)
    for bot, net, big_blind in query(small_run, "SELECT r.bot, r.net, t.big_blind FROM results r "
                                                "JOIN tables t USING (run_id, table_id)"):
        nets[bot].append(net / big_blind)
    rows = section(report, "per bot")
    assert len(rows) == len(nets) >= 3
    for line in rows:
        bot, hands, bb_per_100, *_ = line.split()
        assert int(number(hands)) == len(nets[bot]), line
        expected = 100 * sum(nets[bot]) / len(nets[bot])
        assert number(bb_per_100) == pytest.approx(expected, abs=0.006), line
    assert {line.split()[0] for line in rows} == set(nets)


def test_report_counts_decisions_per_bot(report, small_run):
    decisions = dict(query(small_run, "SELECT bot, count(*) FROM actions WHERE action IN "
                                      "('Fold', 'Check', 'Call', 'Bet', 'RaiseTo', 'Timeout') "
                                      "GROUP BY bot"))
    rows = {line.split()[0]: int(number(line.split()[1]))
            for line in section(report, "decisions per bot")}
    assert {bot: n for bot, n in rows.items() if n} == decisions


def test_report_shows_coverage_from_the_database(report, small_run):
    hits = dict(query(small_run, "SELECT point, sum(hits) FROM coverage GROUP BY point"))
    reached = [point for point in COVERAGE_POINTS if hits.get(point)]
    assert f"coverage: {len(reached)}/{len(COVERAGE_POINTS)} points reached" in report
    rows = {line.split()[0]: int(number(line.split()[1]))
            for line in section(report, "coverage:")}
    assert rows == {point: int(hits.get(point, 0)) for point in COVERAGE_POINTS}
    missing = [point for point in COVERAGE_POINTS if not hits.get(point)]
    if missing:
        assert f"never reached: {', '.join(missing)}" in report
    # `sim run` printed the same coverage at the end of the run.
    printed = (small_run.parent / "output.txt").read_text()
    assert f"coverage: {len(reached)}/{len(COVERAGE_POINTS)} points reached" in printed
    for point in COVERAGE_POINTS:
        assert re.search(rf"^\s+{point}\s+{hits.get(point, 0):,}$", printed, flags=re.M), point


def test_report_lists_failures(tmp_path):
    out = tmp_path / "run"
    result = invoke_cli("run", "--hands", 50, "--hands-per-table", 25, "--seed", 5,
                        "--workers", 1, "--plant-bug", "neighbour_sees_hole", "--out", out)
    assert result.exit_code == 1, result.output
    failures = query(out, "SELECT table_id, invariant, replay_command FROM failures")
    assert failures
    report = invoke_cli("report", out)
    assert report.exit_code == 0, report.output
    signatures = query(out, "SELECT count(DISTINCT signature) FROM failures")[0][0]
    assert f"failures: {len(failures)}, bugs (signatures): {signatures}" in report.output
    assert "planted bugs: neighbour_sees_hole" in report.output
    first = min(failures)
    assert first[1] in report.output and first[2] in report.output
    # One row per signature, not one per failing table.
    assert sum(command in report.output for _, _, command in failures) == signatures


def test_report_of_a_run_that_stored_nothing_yet(tmp_path):
    with Store(tmp_path / "stats.duckdb") as store:
        store.start_run(tmp_path.name, 1, 100, 100, 2, (), None, "sim run ...", "1", "2")
    result = invoke_cli("report", tmp_path)
    assert result.exit_code == 0, result.output
    assert "running" in result.output
    assert f"coverage: 0/{len(COVERAGE_POINTS)} points reached" in result.output


def test_report_of_a_folder_without_a_database_is_bad_input_like_a_missing_one(tmp_path):
    empty = invoke_cli("report", tmp_path)
    assert empty.exit_code == 2
    assert isinstance(empty.exception, SystemExit)
    assert f"{tmp_path} holds no run: give a run folder (with stats.duckdb)" in empty.output
    missing = invoke_cli("report", tmp_path / "missing")
    assert missing.exit_code == 2
    assert "does not exist" in missing.output


# -- sim query ----------------------------------------------------------------------------------

SQL = "SELECT bot, count(*) AS hands, sum(net) AS net FROM results GROUP BY bot ORDER BY bot"


def test_query_prints_an_aligned_table(small_run):
    expected = query(small_run, SQL)
    result = invoke_cli("query", small_run, SQL)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["bot", "hands", "net"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[-1] == f"({len(expected)} rows)"
    body = lines[2:-1]
    assert [(b, int(number(h)), int(number(n))) for b, h, n in map(str.split, body)] == expected
    # Numbers are right-aligned: every row of a numeric column ends where its header ends.
    ends = {len(line) for line in [lines[0], *body]}
    assert len(ends) == 1


def test_query_csv_parses_with_the_header(small_run):
    expected = query(small_run, SQL)
    result = invoke_cli("query", small_run, SQL, "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["bot", "hands", "net"]
    assert [(b, int(h), int(n)) for b, h, n in rows[1:]] == expected


def test_query_json_parses_as_a_list_of_objects(small_run):
    expected = query(small_run, SQL)
    result = invoke_cli("query", small_run, SQL, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == [{"bot": b, "hands": h, "net": n} for b, h, n in expected]


def test_query_json_and_csv_carry_timestamps_lists_and_nulls(small_run):
    sql = "SELECT run_id, started_at, planted_bugs, invariants FROM runs"
    data = json.loads(invoke_cli("query", small_run, sql, "--json").output)
    assert data[0]["run_id"] == small_run.name
    assert data[0]["planted_bugs"] == [] and data[0]["invariants"] is None
    assert re.match(r"\d{4}-\d\d-\d\d", data[0]["started_at"])
    rows = list(csv.reader(io.StringIO(invoke_cli("query", small_run, sql, "--csv").output)))
    assert rows[0] == ["run_id", "started_at", "planted_bugs", "invariants"]
    assert rows[1][0] == small_run.name and rows[1][3] == ""


def test_query_shows_at_most_a_thousand_rows_as_text(small_run):
    total = query(small_run, "SELECT count(*) FROM actions")[0][0]
    assert total > 1000
    result = invoke_cli("query", small_run, "SELECT seq FROM actions")
    lines = result.output.splitlines()
    assert len(lines) == 2 + 1000 + 2
    assert lines[-2] == f"... {total - 1000:,} more rows (use --csv or --json for all)"
    assert lines[-1] == f"({total:,} rows)"
    every = invoke_cli("query", small_run, "SELECT seq FROM actions", "--csv")
    assert len(every.output.splitlines()) == total + 1


@pytest.mark.parametrize("sql", ["SELEC nonsense", "SELECT no_such_column FROM hands",
                                 "SELECT * FROM no_such_table"])
def test_a_bad_query_is_a_clean_error(small_run, sql):
    result = invoke_cli("query", small_run, sql)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.output.startswith("Error: the query failed")
    assert "Traceback" not in result.output


def test_query_is_read_only(small_run):
    before = query(small_run, "SELECT count(*) FROM hands")
    result = invoke_cli("query", small_run, "DELETE FROM hands")
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert query(small_run, "SELECT count(*) FROM hands") == before


def test_query_usage_errors(small_run, tmp_path):
    assert invoke_cli("query", small_run, SQL, "--csv", "--json").exit_code == 2
    missing = invoke_cli("query", tmp_path, SQL)
    assert missing.exit_code == 2
    assert "stats.duckdb" in missing.output


# -- the table printers ---------------------------------------------------------------------------

def test_text_table_cells():
    text = text_table(["name", "n", "x"], [("a", 12345, 1.5), ("bb", None, None), ("c", 7, 0.25)])
    lines = text.splitlines()
    assert lines[2].split() == ["a", "12,345", "1.50"]
    assert lines[3].split() == ["bb"]
    assert lines[4].split() == ["c", "7", "0.25"]
    assert lines[-1] == "(3 rows)"
    assert text_table(["a"], []).splitlines()[-1] == "(0 rows)"
    assert text_table(["a"], [(1,)]).splitlines()[-1] == "(1 row)"


def test_csv_and_json_tables_round_trip():
    columns, rows = ["a", "b"], [(1, "x,y"), (None, 'say "hi"')]
    assert list(csv.reader(io.StringIO(csv_table(columns, rows)))) == \
        [["a", "b"], ["1", "x,y"], ["", 'say "hi"']]
    assert json.loads(json_table(columns, rows)) == \
        [{"a": 1, "b": "x,y"}, {"a": None, "b": 'say "hi"'}]


def test_a_run_summary_and_report_agree_on_totals(small_run):
    printed = (small_run.parent / "output.txt").read_text()
    hands, tables = query(small_run, "SELECT hands, tables FROM runs")[0]
    assert re.search(rf"^played {hands:,} hands on {tables:,} tables in {NUMBER} s",
                     printed, flags=re.M)
    rejected = query(small_run, "SELECT sum(rejected) FROM tables")[0][0]
    assert f"chaos actions rejected {rejected:,}" in printed
    assert rejected > 0
    assert f"stats: {small_run / 'stats.duckdb'};" in printed


# -- several runs, JSON and CSV, intervals in SQL -------------------------------------------------

def test_report_json_holds_every_section_and_no_nan(small_run):
    result = invoke_cli("report", small_run, "--json")
    assert result.exit_code == 0, result.output
    assert "NaN" not in result.output
    data = json.loads(result.output)
    assert set(data) >= {"runs", "bots", "positions", "hand_classes", "decisions",
                         "coverage", "oracle", "failures"}
    assert [run["run_id"] for run in data["runs"]] == [small_run.name]
    hands = query(small_run, "SELECT count(*) FROM results")[0][0]
    assert sum(row["hands"] for row in data["bots"]) == hands
    assert sum(row["hands"] for row in data["positions"]) == hands
    assert sum(row["hands"] for row in data["hand_classes"]) == query(
        small_run, "SELECT count(*) FROM results WHERE hand_class IS NOT NULL")[0][0]


def test_report_csv_is_bb_per_100_per_bot_then_per_position(small_run):
    result = invoke_cli("report", small_run, "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    per_bot = [row for row in rows if row["position"] == ""]
    bots = dict(query(small_run, "SELECT bot, count(*) FROM results GROUP BY bot"))
    assert {row["bot"]: int(row["hands"]) for row in per_bot} == bots
    assert len(rows) > len(per_bot)
    assert "nan" not in result.output  # an interval from one table is empty, not NaN


def test_report_of_several_runs_adds_them_up(small_run, tmp_path):
    other = tmp_path / "other"
    assert invoke_cli("run", "--hands", 100, "--hands-per-table", 50, "--seed", 8, "--workers",
                      1, "--out", other).exit_code == 0
    result = invoke_cli("report", small_run, other, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert sorted(run["run_id"] for run in data["runs"]) == sorted([small_run.name, "other"])
    hands = sum(query(run, "SELECT count(*) FROM results")[0][0] for run in (small_run, other))
    assert sum(row["hands"] for row in data["bots"]) == hands
    text = invoke_cli("report", small_run, other).output
    assert f"run {small_run.name}: " in text and "run other: " in text


def test_the_intervals_in_sql_are_the_reports(small_run):
    from sim.reports.stats import bb_per_100
    from sim.store.dataset import open_dataset

    con = open_dataset([small_run])
    try:
        viewed = {row[0]: row[1:] for row in con.execute(
            "SELECT bot, hands, tables, bb_per_100, ci_low, ci_high FROM bot_intervals")
            .fetchall()}
        for e in bb_per_100(con, ("bot",)):
            hands, tables, point, low, high = viewed[e.group[0]]
            assert (hands, tables) == (e.hands, e.tables)
            assert point == round(e.bb_per_100, 2)
            if e.tables > 1:
                assert (low, high) == (round(e.low, 2), round(e.high, 2))
            else:
                assert low is None and high is None
        by_position = con.execute("SELECT count(*), sum(hands) FROM position_intervals") \
            .fetchone()
        assert by_position[1] == con.execute("SELECT count(*) FROM results").fetchone()[0]
        # The function takes any grouping: here, per run.
        ((low, high),) = con.execute(
            "SELECT ci.ci_low, ci.ci_high FROM (SELECT bb_per_100_interval(list(hands ORDER BY "
            "table_id), list(net_bb ORDER BY table_id)) AS ci FROM (SELECT table_id, "
            "sum(hands)::BIGINT AS hands, sum(net) / min(big_blind) AS net_bb FROM "
            "table_results WHERE bot = 'random' GROUP BY table_id))").fetchall()
        assert low is None or low <= high
    finally:
        con.close()
    result = invoke_cli("query", small_run, "SELECT * FROM bot_intervals")
    assert result.exit_code == 0, result.output
