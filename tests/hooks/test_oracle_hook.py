"""The PokerKit oracle as a table hook: sampled hands compared, masks counted, an unmasked
difference stops the table as invariant `oracle`."""

from __future__ import annotations

import pytest
from conftest import call_in_copy, invoke_cli, query

pytest.importorskip("pokerkit")

from sim.bots import draw_table  # noqa: E402
from sim.finding import Finding  # noqa: E402
from sim.runner import RunSettings, play_table  # noqa: E402


def test_a_clean_table_agrees_and_counts_what_it_compared():
    settings = RunSettings(seed=3, hands=100, hands_per_table=100, oracle=1)
    outcome = play_table(draw_table(3, 0), 100, settings)
    assert outcome.finding is None, outcome.finding
    assert outcome.counts["oracle_hands"] == outcome.hands == 100
    assert outcome.counts["oracle_decisions"] > 0


def first_finding_of_the_oracle_run() -> dict | None:
    """(In the copy carrying min_raise_ignores_last_raise.) The first finding of the first
    six tables of seed 5 checked by the oracle and chip_conservation alone."""
    settings = RunSettings(seed=5, hands=400, hands_per_table=400, oracle=1,
                           planted=("min_raise_ignores_last_raise",),
                           invariants=("chip_conservation",))
    for table_id in range(6):
        outcome = play_table(draw_table(5, table_id), 400, settings)
        if outcome.finding is not None:
            return outcome.finding.to_dict()
    return None


def test_the_oracle_alone_catches_a_planted_rules_bug():
    # With only the chip check on, legal_actions cannot catch the min-raise bug; PokerKit
    # can. (The tables play in the copy of the package that carries the bug.)
    found = call_in_copy(["min_raise_ignores_last_raise"], first_finding_of_the_oracle_run)
    assert found is not None
    finding = Finding.from_dict(found)
    assert finding.name == "oracle"
    assert "PokerKit disagrees on hand" in finding.message


def test_the_rate_samples_about_one_hand_in_rate():
    settings = RunSettings(seed=3, hands=200, hands_per_table=200, oracle=10)
    outcome = play_table(draw_table(3, 1), 200, settings)
    assert 5 <= outcome.counts["oracle_hands"] <= 40


def test_sim_run_with_the_oracle_stores_its_counters(tmp_path):
    out = tmp_path / "run"
    result = invoke_cli("run", "--hands", 200, "--seed", 3, "--workers", 1, "--out", out,
                        "--oracle", "pokerkit=2")
    assert result.exit_code == 0, result.output
    assert "--oracle pokerkit=2" in result.output  # the reproduce command keeps it
    counted = dict(query(out, "SELECT name, sum(count) FROM counters GROUP BY name"))
    assert 50 <= counted["oracle_hands"] <= 150


@pytest.mark.parametrize("spec", ["foo", "pokerkit=0", "pokerkit=x", "pokerkit=-1"])
def test_a_bad_oracle_is_a_usage_error(tmp_path, spec):
    result = invoke_cli("run", "--hands", 10, "--oracle", spec, "--out", tmp_path / "x")
    assert result.exit_code == 2
    assert "pokerkit=RATE" in result.output


def test_sim_report_counts_each_mask(tmp_path):
    out = tmp_path / "run"
    assert invoke_cli("run", "--hands", 400, "--seed", 3, "--workers", 1, "--out", out,
                      "--oracle", "pokerkit=1").exit_code == 0
    report = invoke_cli("report", out)
    assert report.exit_code == 0, report.output
    hands = query(out, "SELECT sum(count) FROM counters WHERE name = 'oracle_hands'")[0][0]
    assert f"PokerKit oracle: {hands:,} hands" in report.output
    for name, _count in query(out, "SELECT name, sum(count) FROM counters "
                                  "WHERE name LIKE 'oracle_mask:%' GROUP BY name"):
        assert name.split(":", 1)[1] in report.output
