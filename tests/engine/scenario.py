"""Scenario helpers: a table with rigged decks, a log, and short ways to act and look.

    table = Table({0: 100, 1: 100, 2: 100},
                  decks={1: deck(["As Ad", "Ks Kd", "2c 7d"], board="2h 3h 9s Jc Qd")})
    table.do(Call(0))

Hand N is dealt from ``decks[N]`` and with the button at ``buttons[N]`` when given (a
``HandSetup``; other hands shuffle and move the button as usual).
A rigged deck is given as hole cards in dealing order (from the seat left of the button,
so hole k goes to ``state.order[k]``) and the board (flop, turn, river); burns and the
rest of the deck are filled with the unused cards in a fixed order.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest

from sim.engine import actions as ac
from sim.engine import events as ev
from sim.engine.cards import DECK_SIZE, cards_from_str
from sim.engine.controller import Controller
from sim.engine.errors import IllegalAction
from sim.engine.handsetup import HandSetup
from sim.engine.log import TableLog
from sim.engine.state import TableConfig
from sim.engine.subscriber import Subscriber

TABLE_SEED = 20240601


def deck(holes: Sequence[str], board: str = "") -> tuple[int, ...]:
    """A full deck dealing ``holes`` (in dealing order) and ``board`` (0 to 5 cards)."""
    pairs = [cards_from_str(h) for h in holes]
    assert all(len(p) == 2 for p in pairs), holes
    board_cards = cards_from_str(board)
    assert len(board_cards) <= 5, board
    used = [c for p in pairs for c in p] + list(board_cards)
    assert len(set(used)) == len(used), f"a card is used twice in {holes} / {board}"
    spare = [c for c in range(DECK_SIZE) if c not in used]

    def take() -> int:
        return spare.pop(0)

    out = [p[0] for p in pairs] + [p[1] for p in pairs]
    wanted = list(board_cards)
    for count in (3, 1, 1):  # burn + flop, burn + turn, burn + river
        out.append(take())
        for _ in range(count):
            out.append(wanted.pop(0) if wanted else take())
    out += spare
    assert sorted(out) == list(range(DECK_SIZE))
    return tuple(out)


class Table:
    """A Controller with a TableLog, built on rigged decks."""

    def __init__(self, stacks: Mapping[int, int], *,
                 seats: int | None = None, small_blind: int = 1, big_blind: int = 2,
                 ante: int = 0, min_buy_in: int = 1, max_buy_in: int = 10_000,
                 decks: Mapping[int, Sequence[int]] | None = None,
                 buttons: Mapping[int, int] | None = None,
                 seed: int = TABLE_SEED) -> None:
        buttons = buttons or {}
        self.config = TableConfig(seats=seats or max(2, max(stacks) + 1),
                                  small_blind=small_blind, big_blind=big_blind, ante=ante,
                                  min_buy_in=min_buy_in, max_buy_in=max_buy_in)
        self.log = TableLog(keep=64)
        self.events: list[ev.Event] = []  # every event since the table opened
        self.controller = Controller(
            self.config, seed=seed,
            players={s: (f"p{s}", chips) for s, chips in stacks.items()},
            subscribers=[self.log, _Recorder(self.events)],
            setups={n: HandSetup(button=buttons.get(n), deck=tuple(d) if d else None)
                    for n, d in {**dict.fromkeys(buttons), **(decks or {})}.items()})

    @property
    def state(self) -> Any:
        return self.controller.state

    def do(self, *actions: Any) -> list[ev.Event]:
        """Dispatch each action in turn; return all the events they caused."""
        out: list[ev.Event] = []
        for action in actions:
            self.check_conservation()
            out += self.controller.dispatch(action)
            self.check_conservation()
        return out

    def fold_out(self) -> None:
        """The players to act fold until the running hand ends."""
        hand_no = self.state.hand_no
        assert self.state.to_act is not None, "no hand is waiting for an action"
        for _ in range(self.config.seats):
            self.do(ac.Fold(self.state.to_act))
            if self.state.hand_no != hand_no or self.state.to_act is None:
                return
        raise AssertionError(f"hand {hand_no} did not end after {self.config.seats} folds")

    def reject(self, action: Any, *fragments: str) -> str:
        """Assert ``action`` raises IllegalAction, changes nothing, logs nothing; return the
        message, which must contain every fragment."""
        before = self.state.snapshot()
        logged = len(self.log.actions)
        events = len(self.events)
        with pytest.raises(IllegalAction) as info:
            self.controller.dispatch(action)
        message = str(info.value)
        for fragment in fragments:
            assert fragment in message, f"{fragment!r} not in {message!r}"
        assert self.state.snapshot() == before
        assert len(self.log.actions) == logged
        assert len(self.events) == events
        return message

    def legal(self) -> Any:
        legal = self.controller.legal_actions()
        assert legal is not None, "no one is to act"
        return legal

    def stacks(self) -> list[int]:
        return list(self.state.stack)

    def check_conservation(self) -> None:
        s = self.state
        assert s.table_chips() == s.chips_in - s.chips_out

    def of(self, kind: type, events: Sequence[ev.Event] | None = None) -> list[Any]:
        """The events of type ``kind`` (of ``events``, or of the whole table)."""
        return [e for e in (self.events if events is None else events) if type(e) is kind]

    def record(self, hand_no: int) -> Any:
        """The TableLog's HandRecord of hand ``hand_no`` (finished or running)."""
        for record in self.log.hands:
            if record.hand_no == hand_no:
                return record
        current = self.log.current
        assert current is not None and current.hand_no == hand_no, f"no record of {hand_no}"
        return current

    def final(self, hand_no: int) -> dict[str, Any]:
        """The snapshot taken at the HandEnded of hand ``hand_no``."""
        final = self.record(hand_no).final
        assert final is not None, f"hand {hand_no} has not ended"
        return as_snapshot(final)

    def final_stacks(self, hand_no: int) -> list[int]:
        return list(self.final(hand_no)["stack"])

    def hand_events(self, hand_no: int) -> list[ev.Event]:
        """Every event of hand ``hand_no``, HandStarted to HandEnded."""
        out: list[ev.Event] = []
        inside = False
        for e in self.events:
            if type(e) is ev.HandStarted:
                inside = e.hand_no == hand_no
            if inside:
                out.append(e)
                if type(e) is ev.HandEnded:
                    break
        assert out, f"hand {hand_no} not found"
        return out


def as_snapshot(state: Any) -> dict[str, Any]:
    """A snapshot dict of a TableState (or of a snapshot dict, unchanged)."""
    return state if isinstance(state, dict) else state.snapshot()


class _Recorder(Subscriber):
    """Subscriber that keeps the committed events (rolled-back ones are dropped)."""

    def __init__(self, sink: list[ev.Event]) -> None:
        self.sink = sink
        self.pending: list[ev.Event] = []

    def begin(self, state: Any, action: Any) -> None:
        self.pending = []

    def on_event(self, state: Any, event: ev.Event) -> None:
        self.pending.append(event)

    def commit(self, state: Any) -> None:
        self.sink.extend(self.pending)
        self.pending = []

    def rollback(self) -> None:
        self.pending = []


# -- random play ----------------------------------------------------------------------------

def random_wager(legal: Any, rng: random.Random) -> Any:
    """A random legal betting action for ``legal`` (edges weighted: min, max, one off)."""
    seat = legal.seat
    choices: list[Any] = [ac.Fold(seat)]
    choices += [ac.Check(seat) if legal.can_check else ac.Call(seat)] * 3
    for low, high, kind in ((legal.min_bet, legal.max_bet, ac.Bet),
                            (legal.min_raise_to, legal.max_raise_to, ac.RaiseTo)):
        if high:
            amount = rng.choice([low, high, rng.randint(low, high), min(low + 1, high),
                                 max(high - 1, low)])
            choices += [kind(seat, amount)] * 2
    if rng.random() < 0.03:
        return ac.Timeout(seat)
    return rng.choice(choices)


def random_table_action(state: Any, rng: random.Random, names: Iterator[str]) -> Any:
    """A random between-hands request for a random seat (it may well be illegal)."""
    config = state.config
    seat = rng.randrange(config.seats)
    kind = rng.choice(["sit_out", "sit_in", "leave", "rebuy", "sit", "post"])
    if kind == "sit":
        return ac.Sit(seat, next(names), rng.randint(config.min_buy_in, config.max_buy_in))
    if kind == "rebuy":
        return ac.Rebuy(seat, rng.randint(1, config.max_buy_in))
    return {"sit_out": ac.SitOut, "sit_in": ac.SitIn, "leave": ac.Leave,
            "post": ac.Post}[kind](seat)


def random_action(controller: Controller, rng: random.Random, names: Iterator[str],
                  table_rate: float = 0.05) -> Any:
    """A random action for the table: a wager when someone is to act, else a request that
    may restart play. Illegal table requests are possible; wagers are always legal."""
    legal = controller.legal_actions()
    if legal is not None and rng.random() >= table_rate:
        return random_wager(legal, rng)
    return random_table_action(controller.state, rng, names)


def player_names() -> Iterator[str]:
    return (f"guest{n}" for n in itertools.count())
