"""Experiments (sim run --config) and plug-in bots (--bot): validation, deterministic tables,
resume, command-line overrides, and a plug-in's faults reported as its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import forget_tables, invoke_cli, query

from sim import experiment as ex
from sim.store.digest import digest

EXAMPLE = Path(__file__).parents[1] / "examples" / "experiment.toml"


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "experiment.toml"
    path.write_text(text)
    return path


BASE = """
[table]
seats = 4
[[bots]]
bot = "nit"
count = 2
[[bots]]
bot = "calling_station"
count = 2
"""


def test_the_example_loads_with_its_plugin_bot():
    experiment = ex.load(EXAMPLE)
    assert [(e.kind, e.count) for e in experiment.bots] == [
        ("pot_odds", 2), ("nit", 2), ("calling_station", 2)]
    assert experiment.stack_bb == (50, 150)
    assert ex.from_json(experiment.to_json()) == experiment


@pytest.mark.parametrize(("text", "message"), [
    ("colour = 1\n" + BASE, "the experiment has unknown key 'colour'; the keys allowed there "
                            "are hands, seed, hands_per_table, table, bots"),
    (BASE.replace("seats = 4", "seats = 11"), "table.seats = 11: give a number of seats from 2 "
                                              "to 10"),
    (BASE.replace("seats = 4", "seats = 4\nstack_bb = [90, 10]"),
     "table.stack_bb = [90, 10]: give a whole number of big blinds"),
    (BASE.replace("seats = 4", "seats = 4\nsmall_blind = 5\nbig_blind = 2"),
     "table.small_blind = 5 is above table.big_blind = 2"),
    (BASE.replace('bot = "nit"', 'bot = "shark"'), "bots[0].bot = 'shark' is not a built-in"),
    (BASE.replace("count = 2", "count = 0", 1), "bots[0] count = 0: give a whole number from "
                                                "1 to 1,000"),
    (BASE.replace('bot = "nit"', 'bot = "nit"\nparams = { x = 1 }'),
     "the built-in bot 'nit' takes no parameters"),
    (BASE.replace('bot = "nit"', 'bot = "no_such_module:Bot"'), "importing no_such_module "
                                                                "failed"),
    (BASE.replace('bot = "nit"', 'bot = "plugin_bots:NotABot"'), "is not a subclass of "
                                                                 "sim.bots.base.Bot"),
    (BASE.replace('bot = "nit"', 'bot = "plugin_bots:Crasher"\nparams = { speed = 2 }'),
     "cannot be built"),
    ("[table]\nseats = 2\n[[bots]]\nbot = \"nit\"\n", "the line-up seats 1 bot"),
    ("hands = 0\n" + BASE, "hands = 0: give a whole number from 1 to 10,000,000,000"),
])
def test_a_bad_config_is_one_sentence_naming_the_key(tmp_path, text, message):
    with pytest.raises(ex.ExperimentError) as caught:
        ex.load(config(tmp_path, text))
    assert message in str(caught.value)
    result = invoke_cli("run", "--config", config(tmp_path, text), "--out", tmp_path / "run")
    assert result.exit_code == 2
    assert message.split(":")[0] in " ".join(result.output.split())


def test_tables_are_drawn_from_the_seed():
    experiment = ex.from_dict({"table": {"seats": [2, 6, 9], "stack_bb": [20, 200]},
                               "bots": [{"bot": "nit", "count": 5}, {"bot": "maniac",
                                                                     "count": 5}]})
    specs = [experiment.draw(3, table_id) for table_id in range(40)]
    assert specs == [experiment.draw(3, table_id) for table_id in range(40)]
    assert specs != [experiment.draw(4, table_id) for table_id in range(40)]
    assert {spec.config.seats for spec in specs} == {2, 6, 9}
    for spec in specs:
        assert len(spec.bots) == spec.config.seats  # 10 bots: a sample fills every seat
        assert all(20 * 2 <= buy_in <= 200 * 2 for *_, buy_in in spec.bots)
        assert spec.config.max_buy_in == 400


def test_an_experiment_run_is_the_same_with_any_workers_and_resumes(tmp_path):
    path = config(tmp_path, BASE)
    outs = {}
    for workers in (1, 2):
        outs[workers] = tmp_path / f"w{workers}"
        result = invoke_cli("run", "--config", path, "--hands", 300, "--hands-per-table", 100,
                            "--seed", 3, "--workers", workers, "--out", outs[workers])
        assert result.exit_code == 0, result.output
    stored = digest(outs[1])
    assert digest(outs[2]) == stored
    assert query(outs[1], "SELECT DISTINCT bot FROM results ORDER BY bot") == [
        ("calling_station",), ("nit",)]
    assert query(outs[1], "SELECT DISTINCT seats, big_blind FROM tables") == [(4, 2)]
    # Drop table 1 as a killed run would have, and resume: the same tables again.
    forget_tables(outs[1], {1}, shards_too=True)
    result = invoke_cli("run", "--resume", outs[1], "--workers", 1)
    assert result.exit_code == 0, result.output
    assert digest(outs[1]) == stored


def test_the_command_line_overrides_the_file(tmp_path):
    path = config(tmp_path, "hands = 50000\nseed = 99\n" + BASE)
    result = invoke_cli("run", "--config", path, "--hands", 40, "--workers", 1,
                        "--out", tmp_path / "run")
    assert result.exit_code == 0, result.output
    assert query(tmp_path / "run", "SELECT seed, hands_requested FROM runs") == [(99, 40)]
    stored = query(tmp_path / "run", "SELECT config FROM runs")[0][0]
    assert ex.from_json(stored) == ex.load(path)


def test_the_example_bot_plays_against_two_built_in_bots(tmp_path):
    result = invoke_cli("run", "--config", EXAMPLE, "--hands", 200, "--hands-per-table", 100,
                        "--workers", 1, "--out", tmp_path / "run")
    assert result.exit_code == 0, result.output
    rows = dict(query(tmp_path / "run", "SELECT bot, count(*) FROM results GROUP BY bot"))
    assert set(rows) == {"pot_odds", "nit", "calling_station"}
    assert query(tmp_path / "run", "SELECT count(*) FROM failures") == [(0,)]


@pytest.mark.parametrize(("bot", "words"), [
    ("plugin_bots:Crasher", "raised RuntimeError(\"my model's weights are missing\") on its "
                            "turn"),
    ("plugin_bots:Overbettor", "which is not legal now"),
])
def test_a_faulty_plugin_bot_is_reported_as_its_own_fault(tmp_path, bot, words):
    out = tmp_path / "run"
    result = invoke_cli("run", "--bot", bot, "--hands", 100, "--hands-per-table", 50,
                        "--seed", 1, "--workers", 1, "--out", out)
    assert result.exit_code == 3, result.output
    failures = query(out, "SELECT kind, invariant, message FROM failures")
    assert failures
    for kind, name, message in failures:
        assert (kind, name) == ("bot_fault", "bot_fault")
        assert words in message
    assert query(out, "SELECT count(*) FROM failures WHERE kind <> 'bot_fault'") == [(0,)]


def test_a_plugin_bot_sees_only_its_own_cards(tmp_path):
    out = tmp_path / "run"
    result = invoke_cli("run", "--bot", "plugin_bots:Spy", "--bot", "plugin_bots:Spy",
                        "--hands", 200, "--hands-per-table", 100, "--seed", 2, "--workers", 1,
                        "--out", out)
    assert result.exit_code == 0, result.output
    assert dict(query(out, "SELECT bot, count(*) FROM results GROUP BY bot"))["Spy"] > 200
