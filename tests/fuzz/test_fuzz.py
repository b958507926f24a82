"""sim fuzz: steered tables until the time is up, the same tables again from the printed
command, one triage row per bug with a shrunk repro, and the exit codes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from conftest import invoke_cli, query

from sim.bots import draw_fuzz_table
from sim.fuzz.steer import CANDIDATES, EXPLORE_EVERY, LAG, Steering, features
from sim.invariants.coverage import COVERAGE_POINTS
from sim.store.digest import digest

STORED = ("hands", "actions", "results", "tables", "failures")


def stored(out: Path) -> dict[str, str]:
    found = digest(out)
    return {name: found[name] for name in STORED}


def fuzz(out: Path, *args: object) -> tuple[int, str]:
    result = invoke_cli("fuzz", "--out", out, "--shrink-seconds", 5, *args)
    return result.exit_code, result.output


# -- steering ---------------------------------------------------------------------------------

def test_steering_waits_for_the_slot_it_learns_from_and_not_for_the_order():
    a, b = Steering(7), Steering(7)
    first = [a.choose() for _ in range(LAG + 1)]
    assert first == [b.choose() for _ in range(LAG + 1)]
    assert first[:4] == [0, CANDIDATES, 2 * CANDIDATES, 3 * CANDIDATES]  # nothing learnt yet
    assert a.choose() is None  # slot LAG + 1 learns from slot 0, not back yet
    for table_id in first:
        a.observe(table_id, 200, {"short_big_blind": table_id % 3})
    for table_id in reversed(first):  # tables finish in another order: the same choices
        b.observe(table_id, 200, {"short_big_blind": table_id % 3})
    more = [a.choose() for _ in range(LAG)]
    assert more == [b.choose() for _ in range(LAG)]
    assert None not in more
    for slot, table_id in enumerate(more, start=LAG + 1):
        assert slot * CANDIDATES <= table_id < (slot + 1) * CANDIDATES
        if slot % EXPLORE_EVERY == 0:
            assert table_id == slot * CANDIDATES  # an unsteered slot


def test_steering_prefers_the_settings_that_reach_the_rare_points():
    steer = Steering(11)

    def play(table_id: int) -> None:
        # Pretend only heads-up tables reach three-way side pots, and every other point is
        # common everywhere.
        heads_up = "size:heads-up" in features(draw_fuzz_table(11, table_id))
        steer.observe(table_id, 200, {**dict.fromkeys(COVERAGE_POINTS, 100),
                                      "three_way_side_pot": 50 if heads_up else 0})

    for _ in range(4 * LAG):  # each table comes back at once
        table_id = steer.choose()
        assert table_id is not None
        play(table_id)
    # By now heads-up tables are chosen whenever one is a candidate of a steered slot.
    taken = offered = 0
    for slot in range(3 * LAG, 4 * LAG):
        if slot % EXPLORE_EVERY == 0:
            continue
        candidates = [slot * CANDIDATES + v for v in range(CANDIDATES)]
        heads_up = [c for c in candidates if "size:heads-up" in features(draw_fuzz_table(11, c))]
        offered += bool(heads_up)
        taken += steer.slots[slot] in heads_up
    assert offered >= 5 and taken >= offered - 1, (taken, offered)


def test_features_name_the_setting_steering_chooses_between():
    named = [features(draw_fuzz_table(5, table_id)) for table_id in range(300)]
    for prefix in ("size:", "depth:", "cap:", "ante:", "blinds:", "kinds:", "most:"):
        assert all(sum(f.startswith(prefix) for f in one) == 1 for one in named), prefix
    seen = {f for one in named for f in one}
    assert {"cap:2-4bb", "cap:5-8bb", "cap:10-20bb", "cap:deep"} <= seen
    assert {"kinds:1-2", "kinds:3-5", "kinds:6+"} <= seen
    assert len({f for f in seen if f.startswith("most:")}) >= 6


def test_the_rarer_point_pulls_harder():
    # Two settings, the same work: "a" alone reaches a point 5 times, "b" alone another
    # point 200 times. Each is about as many times above the run's rate of its point, but
    # the point hit 5 times is the rarer: "a" is worth more.
    steer = Steering(2)
    steer._add(("a",), 100_000, {"short_big_blind": 1000, "three_way_side_pot": 5})
    steer._add(("b",), 100_000, {"short_big_blind": 1000, "odd_chip_split": 200})
    assert steer._score(("a",)) > steer._score(("b",))
    # Once the rare point is hit as often as the other, the pull evens out.
    steer._add(("c",), 100_000, {"three_way_side_pot": 195})
    assert steer._score(("b",)) > steer._score(("a",))


# -- the command ------------------------------------------------------------------------------

def test_the_same_tables_whatever_the_workers(tmp_path):
    code, one = fuzz(tmp_path / "one", "--tables", 40, "--seed", 3, "--workers", 1,
                     "--hands-per-table", 20)
    assert code == 0, one
    code, two = fuzz(tmp_path / "two", "--tables", 40, "--seed", 3, "--workers", 2,
                     "--hands-per-table", 20)
    assert code == 0, two
    assert stored(tmp_path / "one") == stored(tmp_path / "two")
    ids = [t for t, in query(tmp_path / "one", "SELECT table_id FROM tables ORDER BY 1")]
    assert len(ids) == 40 and ids != list(range(40))  # steered: not the plain plan
    # A fuzz's tables are steered ids of its own swarm: --resume cannot finish one, and
    # says which command plays it again, leaving the folder as it was.
    resumed = invoke_cli("run", "--resume", tmp_path / "one")
    assert resumed.exit_code == 2, resumed.output
    assert "sim fuzz --seed 3 --tables 40" in resumed.output
    assert stored(tmp_path / "one") == stored(tmp_path / "two")


def test_a_timed_fuzz_prints_the_command_that_plays_its_tables_again(tmp_path):
    code, output = fuzz(tmp_path / "timed", "--minutes", 0.05, "--seed", 5, "--workers", 2,
                        "--hands-per-table", 20)
    assert code == 0, output
    assert output.startswith("sim fuzz: seed 5, 0.05 minutes")
    command = re.search(r"^reproduce: (.*)$", output, flags=re.M)
    assert command is not None
    words = shlex.split(command[1])
    tables = int(words[words.index("--tables") + 1])
    played = query(tmp_path / "timed", "SELECT count(*), sum(hands_played) FROM tables")[0]
    assert played[0] == tables and played[1] == 20 * tables  # whole tables only
    again = tmp_path / "again"
    words[words.index("--out") + 1] = str(again)
    code, output = fuzz(again, *words[2:words.index("--out")],
                        *words[words.index("--out") + 2:])
    assert code == 0, output
    assert stored(again) == stored(tmp_path / "timed")
    assert query(again, "SELECT command FROM runs")[0][0].startswith("sim fuzz --seed 5 "
                                                                      f"--tables {tables} ")


def test_a_planted_bug_gives_one_triage_row_with_a_shrunk_repro(tmp_path):
    out = tmp_path / "buggy"
    code, output = fuzz(out, "--minutes", 0.1, "--seed", 5, "--workers", 2,
                        "--plant-bug", "odd_chip_to_button")
    assert code == 1, output
    bugs = query(out, "SELECT invariant, failures, shrunk_path FROM bugs")
    assert len(bugs) == 1, bugs
    invariant, failures, shrunk = bugs[0]
    assert invariant == "awards_correct" and failures >= 1
    assert "bugs: 1 (one per signature" in output and shrunk in output
    replayed = invoke_cli("replay", shrunk)
    assert replayed.exit_code == 1 and "REPRODUCED" in replayed.output


def test_a_clean_fuzz_exits_0_with_no_bug(tmp_path):
    out = tmp_path / "clean"
    code, output = fuzz(out, "--minutes", 0.05, "--seed", 8, "--workers", 1)
    assert code == 0, output
    assert query(out, "SELECT count(*) FROM bugs") == [(0,)]
    assert "failures: 0, bugs (signatures): 0" in output


@pytest.mark.parametrize("args", [(), ("--minutes", 1, "--tables", 3)])
def test_a_fuzz_needs_one_bound(tmp_path, args):
    code, output = fuzz(tmp_path / "x", *args)
    assert code == 2
    assert "--minutes" in output and "--tables" in output


# -- what a fuzz stores ------------------------------------------------------------------------

def test_a_fuzz_stores_the_failing_tables_hands_and_a_bounded_number_of_dumps(tmp_path):
    out = tmp_path / "buggy"
    code, output = fuzz(out, "--tables", 30, "--seed", 5, "--workers", 2, "--hands-per-table",
                        20, "--plant-bug", "odd_chip_to_button", "--dumps-per-signature", 2)
    assert code == 1, output
    failed = query(out, "SELECT table_id, signature, dump_path FROM failures ORDER BY 1")
    assert len(failed) > 2, "the planted bug should break more tables than the quota"
    kept = [(table_id, path) for table_id, _, path in failed if path is not None]
    # The lowest table ids of the signature keep their dump, whatever order they came in.
    assert [table_id for table_id, _ in kept] == [t for t, _, _ in failed][:2]
    assert sorted(p.name for p in (out / "failures").iterdir()) == \
        sorted(Path(path).name for _, path in kept)
    # Hands: the kept failing tables' only, all of theirs; every table's summary.
    assert query(out, "SELECT DISTINCT table_id FROM hands ORDER BY 1") == \
        [(table_id,) for table_id, _ in kept]
    assert query(out, "SELECT count(*) FROM tables") == [(30,)]
    assert query(out, "SELECT stored_hands FROM runs") == [("failing",)]
    clean = query(out, "SELECT min(table_id) FROM tables WHERE NOT failed")[0][0]
    replayed = invoke_cli("replay", out, "--hand", f"{clean}:1")
    assert replayed.exit_code == 2, replayed.output
    [error] = [line for line in replayed.output.splitlines() if line.startswith("Error")]
    assert "is not stored: this fuzz stored the failing tables' hands only" in error
    exported = invoke_cli("export-phh", out, tmp_path / "x.phhs", "--where",
                          f"table_id = {clean}")
    assert exported.exit_code == 2, exported.output
    assert "a fuzz stores the failing tables' hands only" in exported.output
    first = kept[0][0]
    assert invoke_cli("replay", out, "--hand", f"{first}:1").exit_code != 2


def test_a_fuzz_keeps_every_hand_when_asked(tmp_path):
    out = tmp_path / "all"
    code, output = fuzz(out, "--tables", 6, "--seed", 5, "--workers", 1, "--hands-per-table",
                        20, "--keep-hands", "all")
    assert code == 0, output
    assert query(out, "SELECT (SELECT count(*) FROM hands), sum(hands_played) FROM tables") \
        == [(120, 120)]
    assert "--keep-hands all" in query(out, "SELECT command FROM runs")[0][0]
