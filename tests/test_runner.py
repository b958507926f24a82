"""sim.runner: one table of bots against the engine, checked after every dispatch.

The rows a table hands the store must be consistent with each other and with poker (every
hand zero-sum), the whole outcome must follow from the table's seed, and the counters must
mean what the README says."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import call_in_copy

from sim.bots import TableSpec, draw_table
from sim.engine import TableConfig
from sim.failures.dump import load
from sim.finding import Finding
from sim.invariants.base import INVARIANTS, select
from sim.invariants.coverage import COVERAGE_POINTS
from sim.planted.copy import NotCarried, carried
from sim.runner import RunSettings, TableOutcome, play_table, table_plan
from sim.store.schema import SCHEMA

SEED = 4
HANDS = 60
SETTINGS = RunSettings(seed=SEED, hands=10 * HANDS, hands_per_table=HANDS)
REQUESTS = ("Sit", "Leave", "SitOut", "SitIn", "Rebuy", "Post")


def columns(name: str) -> list[str]:
    return [column for column, _, _ in SCHEMA[name]]


def as_dicts(name: str, rows: list[tuple]) -> list[dict]:
    names = columns(name)
    for row in rows:
        assert len(row) == len(names), (name, row)
    return [dict(zip(names, row, strict=True)) for row in rows]


def table_with(kind: str, present: bool = True) -> int:
    """The first table of SEED whose bots include (or leave out) ``kind``."""
    for table_id in range(200):
        if (kind in draw_table(SEED, table_id).kinds()) == present:
            return table_id
    raise AssertionError(f"no table of seed {SEED} {'has' if present else 'lacks'} {kind}")


def play(table_id: int, hands: int = HANDS, settings: RunSettings = SETTINGS) -> TableOutcome:
    return play_table(draw_table(settings.seed, table_id), hands, settings)


@pytest.fixture(scope="module")
def outcomes() -> dict[int, TableOutcome]:
    """Tables with chaos bots, seat-hoppers and timeouts among them, played once."""
    ids = {table_with("chaos"), table_with("seat_hopper"), table_with("timeout"),
           table_with("chaos", present=False)}
    return {table_id: play(table_id) for table_id in sorted(ids)}


def test_a_table_plays_the_same_from_its_seed(outcomes):
    table_id = table_with("chaos")
    first, second = outcomes[table_id], play(table_id)
    assert first.finding is None and second.finding is None
    assert first.rows.hands == second.rows.hands
    assert first.rows.actions == second.rows.actions
    assert first.rows.results == second.rows.results
    assert (first.dispatches, first.checks, first.rejected, first.coverage) == \
        (second.dispatches, second.checks, second.rejected, second.coverage)
    assert first.table_seed == draw_table(SEED, table_id).seed


def test_a_different_table_plays_different_hands(outcomes):
    a, b = sorted(outcomes)[:2]
    assert outcomes[a].rows.hands != outcomes[b].rows.hands


def test_every_table_plays_its_hands_without_failure(outcomes):
    for table_id, outcome in outcomes.items():
        assert outcome.finding is None, (table_id, outcome.finding)
        assert not outcome.interrupted
        assert outcome.hands == HANDS or outcome.stalled
        assert [h["hand_no"] for h in as_dicts("hands", outcome.rows.hands)] == \
            list(range(1, outcome.hands + 1))


def test_every_hand_is_zero_sum_and_net_is_final_minus_start(outcomes):
    for outcome in outcomes.values():
        per_hand: dict[tuple[int, int], int] = defaultdict(int)
        for row in as_dicts("results", outcome.rows.results):
            assert row["final_stack"] - row["start_stack"] == row["net"], row
            assert row["start_stack"] >= 0 and row["final_stack"] >= 0, row
            assert row["won"] >= 0, row
            per_hand[row["table_id"], row["hand_no"]] += row["net"]
        assert per_hand, "no results"
        assert set(per_hand.values()) == {0}, {k: v for k, v in per_hand.items() if v}


def test_results_and_hands_describe_the_same_hands(outcomes):
    for outcome in outcomes.values():
        hands = {(h["table_id"], h["hand_no"]): h for h in as_dicts("hands", outcome.rows.hands)}
        results: dict[tuple[int, int], list[dict]] = defaultdict(list)
        for row in as_dicts("results", outcome.rows.results):
            results[row["table_id"], row["hand_no"]].append(row)
        assert set(results) == set(hands)
        for key, hand in hands.items():
            rows = results[key]
            assert hand["table_id"] == outcome.table_id
            assert len(rows) == hand["players"], (hand, rows)
            assert len({r["seat"] for r in rows}) == len(rows)
            assert sum(r["won"] for r in rows) == hand["pot"], (hand, rows)
            winners = ",".join(str(r["seat"]) for r in sorted(rows, key=lambda r: r["seat"])
                               if r["won"] > 0)
            assert hand["winners"] == winners, (hand, rows)
            assert 1 <= hand["pots"] or hand["pot"] == 0
            assert hand["last_street"] in ("preflop", "flop", "turn", "river")
            board = hand["board"].split()
            assert len(board) in (0, 3, 4, 5)
            assert len(board) == {"preflop": 0, "flop": 3, "turn": 4, "river": 5}[
                hand["last_street"]] or hand["showdown"]


def test_actions_are_in_dispatch_order_and_belong_to_hands(outcomes):
    for outcome in outcomes.values():
        actions = as_dicts("actions", outcome.rows.actions)
        assert actions
        assert [a["seq"] for a in actions] == list(range(1, len(actions) + 1))
        hand_nos = [a["hand_no"] for a in actions if a["hand_no"] is not None]
        assert hand_nos == sorted(hand_nos)  # hands follow each other
        assert set(hand_nos) <= set(range(1, outcome.hands + 2))
        # The requests asked after the last hand land in the next hand, already dealt but
        # never played or stored: they may only be requests, never decisions.
        for action in actions:
            if action["hand_no"] == outcome.hands + 1:
                assert action["legal_count"] is None, action
                assert action["action"] in REQUESTS, action
        decisions: dict[int, int] = defaultdict(int)
        leaves: dict[int, int] = defaultdict(int)
        for action in actions:
            assert action["table_id"] == outcome.table_id
            if action["hand_no"] is None:
                assert action["street"] is None and action["pot_before"] is None
            elif action["legal_count"] is not None:
                decisions[action["hand_no"]] += 1
                assert 1 <= action["legal_count"] <= 5
                assert action["action"] in ("Fold", "Check", "Call", "Bet", "RaiseTo",
                                            "Timeout")
            elif action["action"] == "Leave":
                leaves[action["hand_no"]] += 1  # leaving in a hand folds it: a decision too
        # `actions` in hands counts the player decisions of the hand.
        for hand in as_dicts("hands", outcome.rows.hands):
            hand_no = hand["hand_no"]
            assert decisions[hand_no] <= hand["actions"] <= decisions[hand_no] + leaves[hand_no]


def test_chaos_junk_is_rejected_unchanged_and_counted(outcomes):
    chaos = outcomes[table_with("chaos")]
    assert chaos.finding is None  # the runner checks each rejection left the state alone
    assert chaos.rejected > 0
    assert chaos.coverage["chaos_rejected"] == chaos.rejected
    # Rejected actions are not logged: none of the stored actions is junk.
    for action in as_dicts("actions", chaos.rows.actions):
        assert isinstance(action["seat"], int) and not isinstance(action["seat"], bool)
        assert action["amount"] is None or type(action["amount"]) is int


def test_a_table_without_chaos_rejects_nothing(outcomes):
    calm = outcomes[table_with("chaos", present=False)]
    assert calm.rejected == 0
    assert calm.coverage["chaos_rejected"] == 0


def test_coverage_counts_every_point_and_never_goes_negative(outcomes):
    total: dict[str, int] = defaultdict(int)
    for outcome in outcomes.values():
        assert set(outcome.coverage) == set(COVERAGE_POINTS)
        for point, hits in outcome.coverage.items():
            assert hits >= 0, point
            total[point] += hits
    assert sum(total.values()) > 0


def test_all_invariants_run_after_every_dispatch(outcomes):
    select(None)
    for outcome in outcomes.values():
        assert outcome.dispatches > outcome.hands
        assert outcome.checks == outcome.dispatches * len(INVARIANTS)


def test_a_selection_of_invariants_runs_only_those():
    settings = replace(SETTINGS, invariants=("chip_conservation",))
    outcome = play(table_with("chaos"), 30, settings)
    assert outcome.finding is None
    assert outcome.dispatches > 0
    assert outcome.checks == outcome.dispatches
    two = play(table_with("chaos"), 30, replace(settings, invariants=("chip_conservation",
                                                                      "no_negative")))
    assert two.checks == 2 * two.dispatches
    # What is checked does not change what is played.
    assert two.rows.results == outcome.rows.results


def test_rows_can_be_left_out_without_changing_the_play():
    table_id = table_with("seat_hopper")
    with_rows = play(table_id, 30)
    without = play(table_id, 30, replace(SETTINGS, collect_rows=False))
    assert without.rows.hands == [] and without.rows.actions == [] and without.rows.results == []
    assert (without.hands, without.dispatches, without.checks, without.rejected,
            without.coverage) == (with_rows.hands, with_rows.dispatches, with_rows.checks,
                                  with_rows.rejected, with_rows.coverage)


def test_stop_drops_the_table_after_the_hand_in_play():
    asked = []

    def stop() -> bool:
        asked.append(True)
        return len(asked) >= 3

    outcome = play_table(draw_table(SEED, 0), HANDS, SETTINGS, stop=stop)
    assert outcome.interrupted
    assert 3 <= outcome.hands < HANDS
    assert len(asked) == 3


def planted_outcome(folder: str) -> dict:
    """(In the copy carrying deal_reuses_card.) Table 0 played with the bug, dumping into
    ``folder``: its finding, its dump's path, the hands of its rows and how many it
    played."""
    settings = replace(SETTINGS, planted=("deal_reuses_card",), failures_dir=Path(folder))
    outcome = play(0, HANDS, settings)
    assert outcome.dump is not None and outcome.dump.finding == outcome.finding
    return {"finding": outcome.finding.to_dict() if outcome.finding else None,
            "dump": str(outcome.dump.path) if outcome.dump.path else None,
            "rows": [h.hand_no for h in outcome.rows.hands], "hands": outcome.hands}


def test_a_planted_bug_stops_the_table_with_a_failure(tmp_path):
    outcome = call_in_copy(["deal_reuses_card"], planted_outcome, str(tmp_path))
    assert outcome["finding"] is not None and outcome["dump"] is not None
    finding = Finding.from_dict(outcome["finding"])
    dump = load(Path(outcome["dump"]))  # written there, read back here
    assert finding.name == "cards_unique" and dump.finding == finding
    assert (finding.table_id, finding.dispatch) == (0, len(dump.case.actions))
    assert dump.case.planted == ("deal_reuses_card",)
    assert dump.path is not None and dump.path.parent == tmp_path
    assert dump.path.exists()
    # Only hands that finished before the failing one have rows.
    assert finding.hand_no is not None
    assert all(hand_no < finding.hand_no for hand_no in outcome["rows"])
    assert outcome["hands"] < HANDS


def test_play_table_never_plays_planted_bugs_the_running_code_lacks():
    # Found: play_table left settings.planted switched on in the process. Now nothing is
    # switched: the package carries no bug, and play_table refuses to play one it lacks
    # (it would report the table clean), naming both sets, and changes nothing.
    assert carried() == ()
    with pytest.raises(NotCarried, match="planted bugs deal_reuses_card, and the running "
                                         "code carries none"):
        play(0, 3, replace(SETTINGS, planted=("deal_reuses_card",)))
    assert carried() == ()
    assert play(0, 3).finding is None  # and the package plays on as shipped


def test_every_finished_hand_has_rows_when_a_player_leaves_heads_up():
    # Found: a hand ended by a between-hand request (a seat-hopper leaving a heads-up table)
    # got no rows, and as a table's last hand left outcome.hands one short.
    config = TableConfig(seats=2, small_blind=5, big_blind=10, ante=2, min_buy_in=100,
                         max_buy_in=1000)
    bots = ((0, "random", "random-0", 1000), (1, "seat_hopper", "seat_hopper-1", 1000))
    settings = RunSettings(seed=1, hands=40, hands_per_table=40,
                           invariants=("chip_conservation",))
    lost = {}
    for seed in range(1, 6):
        outcome = play_table(TableSpec(0, seed, config, bots), 40, settings)
        stored = [row[1] for row in outcome.rows.hands]
        if outcome.hands != 40 or stored != list(range(1, 41)):
            lost[seed] = (outcome.hands, sorted(set(range(1, 41)) - set(stored)))
    assert lost == {}


def test_between_hand_requests_that_keep_ending_hands_are_progress_not_a_hang():
    # Found by a 13.6-million-hand run (seed 3, table 68096): short stacks whose rebuys
    # each dealt a hand that the blinds put all in, so every round of requests ended one;
    # after seats + 2 such rounds the table stopped with a liveness failure at hand 75.
    spec = draw_table(3, 68096)
    outcome = play_table(spec, 200, RunSettings(seed=3, hands=200, hands_per_table=200))
    assert outcome.finding is None, outcome.finding
    assert outcome.hands == 200


@pytest.mark.parametrize("hands, per_table, only, expected", [
    (250, 100, None, [(0, 100), (1, 100), (2, 50)]),
    (300, 100, None, [(0, 100), (1, 100), (2, 100)]),
    (5, 100, None, [(0, 5)]),
    (250, 100, 2, [(2, 50)]),
    (250, 100, 7, []),
])
def test_table_plan_covers_exactly_the_hands(hands, per_table, only, expected):
    plan = table_plan(RunSettings(seed=1, hands=hands, hands_per_table=per_table,
                                  only_table=only))
    assert plan == expected
