"""The statistics views, the bootstrap, several runs as one dataset, and the Parquet export.

The views' numbers are checked against the raw rows, computed here in Python."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import invoke_cli, query

from sim.reports.stats import bb_per_100
from sim.store.dataset import NoRuns, open_dataset
from sim.store.export import export_parquet


@pytest.fixture(scope="module")
def second_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("second") / "other"
    result = invoke_cli("run", "--hands", 200, "--hands-per-table", 50, "--seed", 9,
                        "--workers", 1, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def player_facts(run: Path) -> dict[tuple[int, int, int], dict[str, bool]]:
    """Per (table, hand, seat): VPIP, PFR, 3-bet chance and 3-bet, from the action rows."""
    facts: dict[tuple[int, int, int], dict[str, bool]] = defaultdict(lambda: defaultdict(bool))
    for table, hand, seat, action, raises in query(
            run, "SELECT table_id, hand_no, seat, action, raises_before FROM actions "
                 "WHERE street = 'preflop' ORDER BY table_id, seq"):
        f = facts[(table, hand, seat)]
        f["vpip"] |= action in ("Call", "Bet", "RaiseTo")
        f["pfr"] |= action in ("Bet", "RaiseTo")
        f["chance"] |= raises == 1
        f["three_bet"] |= raises == 1 and action == "RaiseTo"
    return facts


def test_bot_stats_agree_with_the_rows(small_run):
    facts = player_facts(small_run)
    per_bot: dict[str, list] = defaultdict(list)
    for table, hand, seat, bot, showdown, won, saw_flop in query(
            small_run, "SELECT table_id, hand_no, seat, bot, went_to_showdown, won, saw_flop "
                       "FROM results"):
        per_bot[bot].append((facts.get((table, hand, seat), {}), showdown, won, saw_flop))
    con = open_dataset([small_run])
    rows = con.execute("SELECT bot, hands, vpip_pct, pfr_pct, three_bet_pct, wtsd_pct, "
                       "wsd_pct FROM bot_stats").fetchall()
    assert {row[0] for row in rows} == set(per_bot)
    for bot, hands, vpip, pfr, three_bet, wtsd, wsd in rows:
        seen = per_bot[bot]
        assert hands == len(seen)
        assert vpip == round(100 * sum(f.get("vpip", False) for f, *_ in seen) / hands, 1)
        assert pfr == round(100 * sum(f.get("pfr", False) for f, *_ in seen) / hands, 1)
        chances = sum(f.get("chance", False) for f, *_ in seen)
        if chances:
            made = sum(f.get("three_bet", False) for f, *_ in seen)
            assert three_bet == round(100 * made / chances, 1)
        flops = sum(s for *_, s in seen)
        showdowns = sum(sd for _, sd, _, _ in seen)
        if flops:
            assert wtsd == round(100 * showdowns / flops, 1)
        if showdowns:
            assert wsd == round(100 * sum(sd and w > 0 for _, sd, w, _ in seen) / showdowns, 1)


def test_the_bootstrap_interval_holds_the_estimate_and_is_seeded(small_run):
    con = open_dataset([small_run])
    estimates = bb_per_100(con, ("bot",))
    again = bb_per_100(con, ("bot",))
    assert [repr(e) for e in estimates] == [repr(e) for e in again]  # NaN != NaN
    assert any(e.tables > 1 for e in estimates)
    nets = dict(con.execute("SELECT bot, 100 * sum(net_bb) / count(*) FROM player_hands "
                            "GROUP BY bot").fetchall())
    for e in estimates:
        assert e.bb_per_100 == pytest.approx(nets[e.group[0]])
        if e.tables > 1:
            assert e.low <= e.bb_per_100 <= e.high
        else:
            assert math.isnan(e.low)
    with pytest.raises(ValueError, match="group by one or more of run_id, bot, position"):
        bb_per_100(con, ("seat",))


def test_the_distributions_add_up(small_run):
    con = open_dataset([small_run])
    hands = con.execute("SELECT count(*) FROM hands").fetchone()[0]
    assert con.execute("SELECT sum(hands) FROM pot_sizes").fetchone()[0] == hands
    assert con.execute("SELECT sum(hands) FROM hand_lengths").fetchone()[0] == hands
    classes = con.execute("SELECT count(*), sum(hands) FROM hand_class_stats").fetchone()
    assert classes[0] <= 169
    assert classes[1] == con.execute("SELECT count(*) FROM results WHERE hand_class "
                                     "IS NOT NULL").fetchone()[0]


def test_several_runs_are_one_dataset(small_run, second_run, tmp_path):
    expected = {small_run.name: query(small_run, "SELECT count(*) FROM hands")[0][0],
                second_run.name: query(second_run, "SELECT count(*) FROM hands")[0][0]}
    sql = "SELECT run_id, count(*) FROM hands GROUP BY run_id ORDER BY run_id"
    result = invoke_cli("query", small_run, second_run, sql, "--csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == [f"{r},{n}" for r, n in sorted(expected.items())]
    # A folder of runs, and the Parquet export, give the same rows.
    folder = tmp_path / "runs"
    folder.mkdir()
    for run in (small_run, second_run):
        (folder / run.name).symlink_to(run)
    assert invoke_cli("query", folder, sql, "--csv").output == result.output
    written = export_parquet([small_run, second_run], tmp_path / "pq")
    assert written["hands"] == sum(expected.values())
    assert sorted(p.name for p in (tmp_path / "pq" / "hands").iterdir()) == \
        sorted(f"run_id={name}" for name in expected)
    assert invoke_cli("query", tmp_path / "pq", sql, "--csv").output == result.output
    stats = "SELECT run_id, bot, hands, bb_per_100 FROM bot_stats ORDER BY ALL"
    assert invoke_cli("query", tmp_path / "pq", stats).output == \
        invoke_cli("query", small_run, second_run, stats).output


def test_export_again_replaces_the_runs_partition(small_run, tmp_path):
    export_parquet([small_run], tmp_path)
    export_parquet([small_run], tmp_path)
    con = open_dataset([tmp_path])
    assert con.execute("SELECT count(*) FROM hands").fetchone()[0] == \
        query(small_run, "SELECT count(*) FROM hands")[0][0]


def test_a_folder_without_runs_is_refused(tmp_path):
    with pytest.raises(NoRuns, match="holds no run"):
        open_dataset([tmp_path])
    result = invoke_cli("export", tmp_path, "--parquet", tmp_path / "out")
    assert result.exit_code == 2
    assert "holds no run" in result.output
