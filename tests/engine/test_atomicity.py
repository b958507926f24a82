"""A dispatch is atomic: when anything fails part-way, the state and every subscriber are
exactly as they were before it, and the table carries on as if it never happened."""

from typing import Any

import pytest
from scenario import TABLE_SEED, Table, deck

from sim.engine import events as ev
from sim.engine.actions import Bet, Call, Check, Fold, RaiseTo
from sim.engine.controller import Controller
from sim.engine.log import TableLog
from sim.engine.replay import Replayer
from sim.engine.state import TableConfig
from sim.engine.subscriber import Subscriber


class Boom(Exception):
    pass


class Bomb(Subscriber):
    """Subscriber that raises on the n-th event of the next dispatch (or on an event type)."""

    def __init__(self) -> None:
        self.at: int | None = None
        self.kind: type | None = None
        self.seen = 0
        self.rolled_back = 0
        self.committed = 0

    def arm(self, at: int | None = None, kind: type | None = None) -> None:
        self.at, self.kind = at, kind

    def begin(self, state: Any, action: Any) -> None:
        self.seen = 0

    def on_event(self, state: Any, event: ev.Event) -> None:
        self.seen += 1
        if self.seen == self.at or (self.kind is not None and type(event) is self.kind):
            self.at = self.kind = None
            raise Boom(f"subscriber failed on event {self.seen}: {event}")

    def commit(self, state: Any) -> None:
        self.committed += 1

    def rollback(self) -> None:
        self.rolled_back += 1


def log_fingerprint(log: TableLog) -> Any:
    current = log.current
    return (list(log.actions), log.finished, [h.to_dict() for h in log.hands],
            None if current is None else current.to_dict())


def make(monkeypatch, *, with_bomb_first: bool) -> tuple[Table, Bomb]:
    # Checked down, hand 1 shows seat 1's fours, seat 2's aces, and seat 0 mucks kings.
    t = Table({0: 100, 1: 100, 2: 100},
              decks={1: deck(["4c 4d", "As Ad", "Ks Kd"], "2c 3d 7h 9s Tc")})
    bomb = Bomb()
    subs = t.controller.subscribers
    if with_bomb_first:
        subs.insert(0, bomb)
    else:
        subs.append(bomb)  # after the log: the log has seen the events when the bomb goes off
    return t, bomb


def assert_failed_without_trace(t: Table, bomb: Bomb, action: Any) -> None:
    snapshot = t.state.snapshot()
    state = t.state
    log = log_fingerprint(t.log)
    events = len(t.events)
    rolled_back = bomb.rolled_back
    with pytest.raises(Boom):
        t.controller.dispatch(action)
    assert t.state is state
    assert t.state.snapshot() == snapshot
    assert log_fingerprint(t.log) == log
    assert len(t.events) == events
    assert bomb.rolled_back == rolled_back + 1


@pytest.mark.parametrize("bomb_first", [True, False], ids=["bomb-first", "bomb-last"])
@pytest.mark.parametrize("at", [1, 2])
def test_failure_on_the_nth_event_leaves_no_trace(monkeypatch, bomb_first, at):
    t, bomb = make(monkeypatch, with_bomb_first=bomb_first)
    t.do(Call(0), Call(1))
    bomb.arm(at=at)
    assert_failed_without_trace(t, bomb, RaiseTo(2, 10))  # RaisedTo, TurnStarted: 2 events
    # Unexploded, the same action works.
    events = t.do(RaiseTo(2, 10))
    assert events == [ev.RaisedTo(2, 10, True), ev.TurnStarted(0)]


@pytest.mark.parametrize("kind", [ev.Checked, ev.CardsShown, ev.CardsMucked, ev.PotAwarded,
                                  ev.HandEnded, ev.HandStarted, ev.BlindPosted,
                                  ev.HoleCardsDealt, ev.TurnStarted], ids=lambda k: k.__name__)
def test_failure_across_the_end_of_a_hand_and_the_start_of_the_next(monkeypatch, kind):
    t, bomb = make(monkeypatch, with_bomb_first=False)
    t.do(Call(0), Call(1), Check(2))
    t.do(Check(1), Check(2), Check(0), Check(1), Check(2), Check(0), Check(1), Check(2))
    assert t.state.hand_no == 1
    # The last check ends hand 1 and starts hand 2, all in one dispatch.
    bomb.arm(kind=kind)
    assert_failed_without_trace(t, bomb, Check(0))
    assert t.state.hand_no == 1
    assert len(t.log.hands) == 0
    events = t.do(Check(0))
    assert t.state.hand_no == 2
    assert [r.hand_no for r in t.log.hands] == [1]
    replayer = Replayer(t.log.hands[0])
    assert replayer.mismatches == []
    assert replayer.final_matches()
    assert ev.HandStarted in [type(e) for e in events]


def test_a_failed_dispatch_changes_nothing_downstream(monkeypatch):
    # Two tables with the same seed and actions; one has failures sprinkled in. Both end
    # with the same state and the same logs.
    def play(fail: bool) -> tuple[Table, Bomb]:
        t, bomb = make(monkeypatch, with_bomb_first=False)
        script = [Call(0), Call(1), Check(2), Bet(1, 10), RaiseTo(2, 30), Fold(0), Call(1),
                  Check(1), Check(2), Check(1), Check(2)]
        for n, action in enumerate(script):
            if fail:
                bomb.arm(at=1 + n % 2)  # every action causes 2 events or more
                with pytest.raises(Boom):
                    t.controller.dispatch(action)
            t.do(action)
        return t, bomb

    clean, _ = play(fail=False)
    dirty, bomb = play(fail=True)
    assert bomb.rolled_back == 11
    assert dirty.state.snapshot() == clean.state.snapshot()
    assert log_fingerprint(dirty.log) == log_fingerprint(clean.log)
    assert dirty.events == clean.events


def test_failure_while_opening_the_table_leaves_it_unopened():
    bomb = Bomb()
    bomb.arm(kind=ev.HoleCardsDealt)
    log = TableLog()
    with pytest.raises(Boom):
        Controller(TableConfig(seats=3), seed=TABLE_SEED,
                   players={0: ("a", 100), 1: ("b", 100)}, subscribers=[log, bomb])
    assert bomb.rolled_back == 1
    assert log.current is None
    assert list(log.hands) == []


class DuckTyped:
    """Has a subscriber's methods but does not subclass Subscriber."""

    def begin(self, state: Any, action: Any) -> None: ...

    def on_event(self, state: Any, event: Any) -> None: ...

    def commit(self, state: Any) -> None: ...

    def rollback(self) -> None: ...


def test_a_subscriber_must_subclass_subscriber():
    with pytest.raises(TypeError, match="DuckTyped; subscribers must subclass "
                                        "sim.engine.Subscriber"):
        Controller(TableConfig(seats=2), seed=TABLE_SEED, subscribers=[TableLog(), DuckTyped()])


def test_subscriber_methods_default_to_nothing():
    class CommitsOnly(Subscriber):
        def __init__(self) -> None:
            self.commits = 0

        def commit(self, state: Any) -> None:
            self.commits += 1

    counter = CommitsOnly()
    table = Controller(TableConfig(seats=2), seed=TABLE_SEED,
                       players={0: ("a", 100), 1: ("b", 100)}, subscribers=[counter])
    table.dispatch(Call(seat=table.state.to_act))
    assert counter.commits == 2  # the opening and the call
