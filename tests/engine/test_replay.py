"""Replay: every hand's record re-derives the same events and states, from the actions
(Replayer), from the events (apply_recorded), and from its JSON form; chips are conserved
after every dispatch."""

import json
import random
from typing import Any

import pytest
from scenario import Table, as_snapshot, deck, player_names, random_action

from sim.engine import events as ev
from sim.engine.actions import Bet, Call, Check, RaiseTo
from sim.engine.controller import Controller
from sim.engine.errors import IllegalAction
from sim.engine.log import VERSION, HandRecord, TableLog, upcast
from sim.engine.replay import Replayer, apply_recorded
from sim.engine.state import TableConfig

# (table seed, config, opening stacks, hands to play): a few hundred hands in all.
TABLES = [
    (1, TableConfig(seats=2, small_blind=1, big_blind=2, min_buy_in=20, max_buy_in=200),
     {0: 100, 1: 60}, 100),
    (2, TableConfig(seats=3, small_blind=1, big_blind=2, ante=1, min_buy_in=10, max_buy_in=100),
     {0: 40, 1: 100, 2: 15}, 100),
    (3, TableConfig(seats=6, small_blind=5, big_blind=10, min_buy_in=20, max_buy_in=400),
     {0: 400, 1: 35, 2: 120, 4: 60, 5: 400}, 80),
    (4, TableConfig(seats=9, small_blind=2, big_blind=5, ante=1, min_buy_in=5, max_buy_in=300),
     {s: 5 + 30 * s for s in range(9)}, 50),
    (5, TableConfig(seats=10, small_blind=1, big_blind=2, min_buy_in=2, max_buy_in=50),
     {s: 2 + 5 * s for s in range(0, 10, 2)}, 50),
    (6, TableConfig(seats=4, small_blind=3, big_blind=3, ante=2, min_buy_in=1, max_buy_in=40),
     {0: 1, 1: 40, 2: 7, 3: 40}, 40),
]
MAX_DISPATCHES = 4000  # per table: far more than its hands need; a stuck table fails


def check_record(record: HandRecord, live: dict[int, dict[str, Any]]) -> None:
    """Every way of replaying ``record`` agrees with the table that played it."""
    replayer = Replayer(record)
    assert replayer.mismatches == [], replayer.mismatches
    assert replayer.final_matches()
    assert replayer.cursor.last == len(record.steps) - 1
    for step, snapshot in live.items():  # the live state after each dispatch of the hand
        assert replayer.states[step].snapshot() == snapshot, f"hand {record.hand_no} step {step}"
    final = as_snapshot(record.final)
    assert apply_recorded(record).snapshot() == final
    document = json.loads(json.dumps(record.to_dict()))
    assert document["version"] == VERSION
    loaded = HandRecord.from_dict(document)
    assert loaded.to_dict() == document
    again = Replayer(loaded)
    assert again.mismatches == []
    assert again.final_matches()
    assert apply_recorded(loaded).snapshot() == final


def play_table(seed: int, config: TableConfig, stacks: dict[int, int], hands: int) -> int:
    rng = random.Random(seed)
    names = player_names()
    log = TableLog(keep=4)
    table = Controller(config, seed=seed, players={s: (f"p{s}", c) for s, c in stacks.items()},
                       subscribers=[log])
    live: dict[int, dict[int, dict[str, Any]]] = {}  # hand -> step -> snapshot
    checked = 0
    for _ in range(MAX_DISPATCHES):
        if log.finished >= hands:
            break
        state = table.state
        assert state.table_chips() == state.chips_in - state.chips_out
        action = random_action(table, rng, names,
                               table_rate=0.05 if table.legal_actions() else 1.0)
        before = state.snapshot()
        try:
            table.dispatch(action)
        except IllegalAction:
            assert table.state is state
            assert state.snapshot() == before
            continue
        state = table.state
        assert state.table_chips() == state.chips_in - state.chips_out
        assert min(state.stack) >= 0
        current = log.current
        if current is not None and not current.ended:
            live.setdefault(current.hand_no, {})[len(current.steps) - 1] = state.snapshot()
        for record in log.hands:
            if record.hand_no > checked:
                check_record(record, live.pop(record.hand_no, {}))
                checked = record.hand_no
    assert log.finished >= hands, f"table {seed} played only {log.finished} hands"
    return log.finished


@pytest.mark.parametrize("reseed", [0, 1000])
@pytest.mark.parametrize("seed, config, stacks, hands", TABLES,
                         ids=[f"table{t[0]}" for t in TABLES])
def test_random_hands_replay_exactly(seed, config, stacks, hands, reseed):
    assert play_table(seed + reseed, config, stacks, hands) >= hands


def test_replayer_steps_backwards_and_forwards(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100},
              decks={1: deck(["4c 4d", "As Ad", "Ks Kd"], "2c 3d 7h 9s Tc")})
    script = [Call(0), Call(1), Check(2), Bet(1, 10), RaiseTo(2, 30), Call(0), Call(1),
              Check(1), Check(2), Check(0), Check(1), Check(2), Check(0)]
    live = [t.state.snapshot()]
    for action in script:
        t.do(action)
        live.append(t.state.snapshot())
    record = t.record(1)
    assert record.actions == script
    replayer = Replayer(record)
    assert replayer.mismatches == []
    cursor = replayer.cursor
    assert cursor.last == len(script)
    assert cursor.position == cursor.last
    assert cursor.state.snapshot() == as_snapshot(record.final)
    assert cursor.goto(0).snapshot() == live[0]
    assert cursor.back().snapshot() == live[0]  # stays at the start
    for i in range(1, len(script)):
        assert cursor.forward().snapshot() == live[i]
    assert cursor.forward().snapshot() == as_snapshot(record.final)
    assert cursor.forward().snapshot() == as_snapshot(record.final)  # stays at the end
    assert cursor.goto(4).snapshot() == live[4]
    assert cursor.back().snapshot() == live[3]
    for bad in (-1, len(script) + 1):
        with pytest.raises(ValueError, match=f"Dispatch {bad} does not exist"):
            cursor.goto(bad)
    cursor.goto(3)
    assert cursor.describe().startswith("--- after dispatch 3/13: Check(seat=2)")


def test_a_tampered_record_is_caught(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100})
    t.do(Call(0), Call(1), Check(2), Bet(1, 10))
    t.fold_out()
    document = t.record(1).to_dict()
    # Change the recorded bet: the replay derives a different event at that step.
    step = next(i for i, events in enumerate(document["events"])
                if any(e["type"] == "BetMade" for e in events))
    for e in document["events"][step]:
        if e["type"] == "BetMade":
            e["total"] = 12
    replayer = Replayer(HandRecord.from_dict(document))
    assert [m.step for m in replayer.mismatches] == [step]
    # An action the rules reject stops the replay there.
    document = t.record(1).to_dict()
    document["actions"][0] = {"type": "RaiseTo", "seat": 0, "amount": 1}
    replayer = Replayer(HandRecord.from_dict(document))
    assert replayer.mismatches[0].step == 1
    assert "rejected" in replayer.mismatches[0].message
    assert not replayer.final_matches()


def test_stored_logs_are_versioned():
    with pytest.raises(ValueError, match="Not a hand log"):
        upcast({"format": "something else", "version": 1})
    with pytest.raises(ValueError, match=f"version {VERSION + 1} is not supported"):
        upcast({"format": "sim.hand", "version": VERSION + 1})


def test_hand_record_lists_every_event_of_the_hand(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100})
    t.do(Call(0), Call(1), Check(2))
    t.fold_out()
    record = t.record(1)
    assert record.events == t.hand_events(1)
    assert type(record.events[0]) is ev.HandStarted
    assert type(record.events[-1]) is ev.HandEnded


@pytest.mark.parametrize("stacks, ante", [({0: 1, 1: 2}, 0), ({0: 3, 1: 3, 2: 3}, 3)],
                         ids=["all-in-from-the-blinds", "all-in-from-the-antes"])
def test_a_hand_that_plays_itself_replays(monkeypatch, stacks, ante):
    # Everyone is all-in from posting: the hand runs out inside the opening dispatch.
    t = Table(stacks, ante=ante)
    record = t.record(1)
    assert record.ended
    assert len(record.steps) == 1  # only the automatic start: no one ever acted
    assert record.actions == []
    replayer = Replayer(record)
    assert replayer.mismatches == []
    assert replayer.final_matches()
    assert apply_recorded(record).snapshot() == as_snapshot(record.final)
    assert sum(t.final_stacks(1)) == sum(stacks.values())
    assert t.state.hand_no == 1  # the winner alone has chips: no hand 2


def test_the_full_deck_order_is_in_the_hand_log(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100})
    t.fold_out()
    document = json.loads(json.dumps(t.record(1).to_dict()))
    started = t.hand_events(1)[0]
    assert document["snapshot"]["deck"] == list(started.deck)
    assert sorted(document["snapshot"]["deck"]) == list(range(52))
