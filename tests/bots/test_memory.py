"""RequestMemory: what a bot queued in the running hand keeps its next requests legal."""

from __future__ import annotations

import random

from sim.bots.memory import RequestMemory, default_request
from sim.engine import Controller
from sim.engine import actions as ac
from sim.engine.state import NO_CHANGE, TableConfig
from sim.engine.views import player_view

CONFIG = TableConfig(seats=4, small_blind=1, big_blind=2, min_buy_in=2, max_buy_in=400)


def table() -> Controller:
    return Controller(CONFIG, seed=1, players={0: ("a", 100), 1: ("b", 100), 2: ("c", 100)})


def send(controller: Controller, memory: RequestMemory, seat: int, action: ac.Action) -> None:
    assert controller.can(action), action
    memory.note(player_view(controller.state, seat), action)
    controller.dispatch(action)


def me(controller: Controller, memory: RequestMemory, seat: int):  # type: ignore[no-untyped-def]
    return memory.sync(player_view(controller.state, seat))


def finish_hand(controller: Controller) -> None:
    hand = controller.state.hand_no
    while controller.state.hand_no == hand and controller.state.to_act is not None:
        legal = controller.legal_actions()
        assert legal is not None
        controller.dispatch(ac.Check(legal.seat) if legal.can_check else ac.Call(legal.seat))


def test_queued_sit_out_and_sit_in() -> None:
    controller, memory = table(), RequestMemory()
    send(controller, memory, 2, ac.SitOut(2))
    assert memory.sitting_out(me(controller, memory, 2))
    assert not controller.can(ac.SitOut(2))
    send(controller, memory, 2, ac.SitIn(2))
    assert not memory.sitting_out(me(controller, memory, 2))
    assert not controller.can(ac.SitIn(2))
    finish_hand(controller)
    me(controller, memory, 2)
    assert memory.status == NO_CHANGE  # the hand ended: the engine carried it out


def test_rebuy_room_never_passes_the_maximum() -> None:
    controller, memory = table(), RequestMemory()
    for _ in range(3):
        room = memory.rebuy_room(player_view(controller.state, 1), me(controller, memory, 1))
        if room:
            send(controller, memory, 1, ac.Rebuy(1, room))
        assert not controller.can(ac.Rebuy(1, room + 1))


def test_leave_then_nothing() -> None:
    controller, memory = table(), RequestMemory()
    send(controller, memory, 0, ac.Leave(0))
    rng = random.Random(0)
    view = player_view(controller.state, 0)
    assert all(default_request(view, memory, rng) is None for _ in range(20))


def test_post_once_while_waiting() -> None:
    controller, memory = table(), RequestMemory()
    controller.dispatch(ac.Sit(3, "late", 50))  # joins a running hand: waits
    view = player_view(controller.state, 3)
    assert memory.can_post(view, memory.sync(view))
    send(controller, memory, 3, ac.Post(3))
    view = player_view(controller.state, 3)
    assert not memory.can_post(view, memory.sync(view))
    assert not controller.can(ac.Post(3))


def test_timeout_counts_as_a_queued_sit_out() -> None:
    controller, memory = table(), RequestMemory()
    seat = controller.state.to_act
    assert seat is not None
    send(controller, memory, seat, ac.Timeout(seat))
    assert memory.sitting_out(me(controller, memory, seat))
    assert controller.can(ac.SitIn(seat))
