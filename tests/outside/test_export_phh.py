"""sim export-phh: stored hands written as PHH replay in sim check-phh and in PokerKit."""

from __future__ import annotations

import tomllib

import pytest
from conftest import invoke_cli

from sim.engine import Controller, TableConfig
from sim.engine.actions import Call
from sim.engine.log import TableLog
from sim.outside.check import check_paths
from sim.outside.export import hand_to_phh
from sim.outside.phh import read_path


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    run = folder / "run"
    result = invoke_cli("run", "--hands", 200, "--seed", 3, "--workers", 1, "--out", run)
    assert result.exit_code == 0, result.output
    out = folder / "hands.phhs"
    result = invoke_cli("export-phh", run, out)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote ")
    return out


def test_check_phh_accepts_its_own_exports(exported):
    report = check_paths([exported])
    counts = report.counts()
    assert counts["accepted"] >= 190, report.lines()[:5]
    assert counts["rejected"] == counts["mismatched"] == counts["failed"] == 0
    assert report.unchecked == 0  # every card is known and every finishing stack recorded


def test_exported_hands_replay_in_pokerkit_to_the_same_finishing_stacks(exported):
    pokerkit = pytest.importorskip("pokerkit", reason="pokerkit is in the bench extra")
    agreed = refused = 0
    for hand in read_path(exported):
        body = _single(hand.fields)  # PokerKit reads one hand at a time
        try:
            state = list(pokerkit.HandHistory.loads(body))[-1]
        except ValueError:
            # A rule PokerKit follows on purpose (RULES.md): it refuses a fold when checking
            # is free and a raise no one can call.
            refused += 1
            continue
        assert list(state.stacks) == hand.fields["finishing_stacks"], hand.where
        agreed += 1
    assert agreed >= 0.9 * (agreed + refused)


def _single(fields):
    lines = []
    for name, value in fields.items():
        lines.append(f"{name} = {_toml(value)}")
    text = "\n".join(lines) + "\n"
    tomllib.loads(text)
    return text


def _toml(value):
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        return repr(value) if "'" not in value else '"' + value + '"'
    return str(value).lower() if isinstance(value, bool) else str(value)


def test_an_unfinished_hand_is_written_without_finishing_stacks():
    # A failure dump's hand stops at the failing dispatch: PHH keeps the actions so far.
    table = Controller(TableConfig(seats=3), 1, {0: ("a", 100), 1: ("b", 100), 2: ("c", 100)},
                       subscribers=[log := TableLog()])
    table.dispatch(Call(table.state.to_act))
    assert log.current is not None and log.current.final is None
    text = hand_to_phh(log.current)
    assert "finishing_stacks" not in text
    assert "starting_stacks = [100, 100, 100]" in text and " cc'" in text
