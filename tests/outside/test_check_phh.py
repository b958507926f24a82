"""sim check-phh: real hands (Pluribus, an online site, the PHH specification's examples)
replay through the engine with every invariant on."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.outside.check import check_paths, replay
from sim.outside.phh import NotPhh, read_path, read_text
from sim.outside.plan import Plan, Skip, make_plan

DATA = Path(__file__).parent / "data"
# 500 of the 5,000 Pluribus hands (data/README.md): six-max, deep stacks, every card known.
PLURIBUS = DATA / "pluribus-2019-sample.phhs"

HAND = """variant = 'NT'
antes = [0, 0, 0]
blinds_or_straddles = [1, 2, 0]
min_bet = 2
starting_stacks = [100, 100, 100]
actions = ['d dh p1 AsAd', 'd dh p2 KsKd', 'd dh p3 QsQd', 'p3 f', 'p1 cbr 6', 'p2 f']
finishing_stacks = [102, 98, 100]
"""


def plan_of(text: str) -> Plan | Skip:
    return make_plan(read_text(text, "hand", collection=False)[0])


def test_the_fixtures_are_accepted_with_nothing_rejected_or_mismatched():
    report = check_paths([path for path in DATA.glob("*.phh*") if path != PLURIBUS])
    assert report.counts() == {"accepted": 25, "skipped": 1, "rejected": 0, "mismatched": 0,
                               "failed": 0}
    assert dict(report.skipped) == {"variant F2L3D (only no-limit hold'em, NT, is replayed)": 1}
    assert report.scaled == {10: 8, 100: 16}  # dollars and cents became whole chips
    assert report.rake == 10  # the online site raked ten of its pots


def test_a_sample_of_the_pluribus_hands_is_accepted():
    hands = read_path(PLURIBUS)[::5]  # 100 of the 500
    for hand in hands:
        plan = make_plan(hand)
        assert isinstance(plan, Plan)
        replayed = replay(plan)
        assert replayed.finding is None, replayed.finding
        assert plan.finishing is not None
        assert replayed.final == dict(plan.finishing), hand.where


@pytest.mark.slow
def test_every_pluribus_hand_is_accepted():
    report = check_paths([PLURIBUS])
    assert report.counts()["accepted"] == 500, report.lines()[:5]


def test_the_fast_reader_agrees_with_tomllib():
    import tomllib
    text = (DATA / "spec-dwan-ivey-2009.phh").read_text()
    assert read_text(text, "x", collection=False)[0].fields == tomllib.loads(
        text, parse_float=Decimal)
    one_line = HAND + "rake = 0.5\nnote = \"a, b\"\nflags = [true, false,]\n"
    assert read_text(one_line, "x", collection=False)[0].fields == tomllib.loads(
        one_line, parse_float=Decimal)


def test_the_fast_reader_reads_exactly_what_tomllib_reads_or_leaves_it_to_tomllib():
    """Mutated documents (characters TOML treats apart inserted, deleted, lines doubled):
    whatever the fast reader reads, tomllib reads the same (with the same types)."""
    import random
    import tomllib

    from sim.outside.phh import _fast_parse

    def typed(value):
        if isinstance(value, dict):
            return {k: typed(v) for k, v in value.items()}
        if isinstance(value, list):
            return [typed(v) for v in value]
        return type(value).__name__, str(value)

    base = "[1]\n" + HAND + "rake = 0.5\n\n# a comment\n[2]\n" + HAND.replace("2]", "2,]")
    assert typed(_fast_parse(base)) == typed(tomllib.loads(base, parse_float=Decimal))
    pieces = [" ", "\t", "\r", "\r\n", "\n", "\x00", "\x7f", "\u00a0", "\u2028", "\x85", "#",
              "=", ",", ",]", "[", "]", "'", '"', "\\", ".", "-", "_", "0", "e", "inf", "true"]
    rng = random.Random(14)
    read = 0
    for _ in range(600):
        text = base
        for _ in range(rng.randrange(1, 3)):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.7:
                text = text[:at] + rng.choice(pieces) + text[at:]
            else:
                text = text[:at] + text[at + 1:]
        fast = _fast_parse(text)
        if fast is not None:
            read += 1
            assert typed(fast) == typed(tomllib.loads(text, parse_float=Decimal)), repr(text)
    assert read > 100  # the mutants it reads are many: the comparison is not vacuous


def test_a_plan_deals_the_files_cards_with_the_button_on_the_last_player():
    plan = plan_of(HAND)
    assert isinstance(plan, Plan)
    assert plan.setup.button == 2
    assert plan.setup.deck is not None
    assert plan.setup.deck[:6] == (51, 47, 43, 49, 45, 41)  # As Ks Qs, then Ad Kd Qd
    assert replay(plan).final == {0: 102, 1: 98, 2: 100}


def test_heads_up_the_first_player_is_the_big_blind():
    plan = plan_of(HAND.replace("[0, 0, 0]", "[0, 0]").replace("[1, 2, 0]", "[1, 2]")
                   .replace("[100, 100, 100]", "[100, 100]")
                   .replace("'d dh p3 QsQd', 'p3 f', 'p1 cbr 6', 'p2 f'", "'p2 f'")
                   .replace("[102, 98, 100]", "[101, 99]"))
    assert isinstance(plan, Plan)
    replayed = replay(plan)
    assert replayed.finding is None
    assert replayed.final == {0: 101, 1: 99}  # the button (p2) folded its small blind


@pytest.mark.parametrize("change, reason", [
    (("[1, 2, 0]", "[1, 2, 4]"), "straddles"),
    (("antes = [0, 0, 0]", "antes = [1, 0, 0]"), "uneven antes"),
    (("variant = 'NT'", "variant = 'PO'"), "variant PO"),
    (("'d dh p1 AsAd'", "'d dh p1 AsAd', 'd db 2c3c4c5c6c7c'"), "run it twice"),
    (("min_bet = 2", "min_bet = 4"), "a minimum bet other than the big blind"),
    (("[100, 100, 100]", "[100, inf, 100]"), "unknown starting stacks (inf)"),
])
def test_what_the_engine_cannot_express_is_skipped_with_its_reason(change, reason):
    skipped = plan_of(HAND.replace(*change))
    assert isinstance(skipped, Skip)
    assert reason in skipped.reason


def test_an_action_the_engine_refuses_is_rejected_with_its_sentence(tmp_path):
    path = tmp_path / "bad.phh"
    path.write_text(HAND.replace("'p1 cbr 6'", "'p1 cbr 3'"))  # below the minimum raise
    report = check_paths([path])
    assert report.counts()["rejected"] == 1
    finding = report.findings[0]
    assert (finding.step, finding.where) == (5, str(path))
    assert "Raise to 3 is below the minimum raise to 4" in finding.message


def test_an_outcome_the_engine_does_not_reach_is_a_mismatch(tmp_path):
    path = tmp_path / "wrong.phh"
    path.write_text(HAND.replace("[102, 98, 100]", "[103, 97, 100]"))
    report = check_paths([path])
    assert report.counts()["mismatched"] == 1
    assert "seat 0 ends with 102" in report.findings[0].message


def test_the_command_counts_and_exits(tmp_path):
    others = sorted(str(path) for path in DATA.glob("*.phh*") if path != PLURIBUS)
    result = CliRunner().invoke(main, ["check-phh", *others, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[-1]) == {
        "accepted": 25, "skipped": 1, "rejected": 0, "mismatched": 0, "failed": 0}
    assert "amounts scaled by 100 to whole chips in 16 hands" in result.output
    bad = tmp_path / "bad.phh"
    bad.write_text(HAND.replace("'p1 cbr 6'", "'p1 cbr 3'"))
    assert CliRunner().invoke(main, ["check-phh", str(bad)]).exit_code == 1


@pytest.mark.parametrize("text, why", [
    ("variant = 'NT'\nactions = [\n", "not TOML"),
    ("variant = 'NT'\n", "no antes, blinds_or_straddles"),
    (HAND.replace("'p2 f'", "'p2 x'"), "is not PHH action notation"),
])
def test_a_file_that_is_not_phh_exits_2_with_one_line(tmp_path, text, why):
    path = tmp_path / "x.phh"
    path.write_text(text)
    with pytest.raises(NotPhh, match=why):
        check_paths([path])
    result = CliRunner().invoke(main, ["check-phh", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.output and why in result.output
    assert len(result.output.strip().splitlines()) == 1


# -- impossible outcomes are bad input, never rake ----------------------------------------------

@pytest.mark.parametrize("finishing, why", [
    ("[102, -2, 100]", "finishing_stacks holds -2"),
    ("[50, 98, 100]", "52 chips short of the engine's, more than the 4 chips the pot paid"),
    ("[90, 98, 90]", "22 chips short of the engine's, more than the 4 chips"),
])
def test_an_outcome_no_hand_could_have_exits_2_and_is_never_rake(tmp_path, finishing, why):
    path = tmp_path / "impossible.phh"
    path.write_text(HAND.replace("[102, 98, 100]", finishing))
    with pytest.raises(NotPhh, match=why):
        check_paths([path])
    result = CliRunner().invoke(main, ["check-phh", str(path)])
    assert result.exit_code == 2, result.output
    assert why in result.output and "accepted" not in result.output


def test_rake_comes_only_out_of_what_the_pot_paid_and_its_amount_is_reported(tmp_path):
    raked = tmp_path / "raked.phh"
    raked.write_text(HAND.replace("[102, 98, 100]", "[101, 98, 100]"))  # one chip kept
    report = check_paths([raked])
    assert report.counts()["accepted"] == 1 and report.rake == 1
    assert report.raked == Decimal(1)
    assert any("paid out less than the pot" in line and ": 1, 1 in all" in line
               for line in report.lines())
    unpaid = tmp_path / "unpaid.phh"  # a chip short from a seat the pot paid nothing
    unpaid.write_text(HAND.replace("[102, 98, 100]", "[102, 97, 100]"))
    report = check_paths([unpaid])
    assert report.counts()["mismatched"] == 1 and report.rake == 0
