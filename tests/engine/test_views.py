"""Per-player views and feeds: no hidden card of another player, ever."""

from __future__ import annotations

import random

from scenario import random_wager

from sim.engine import Controller, TableConfig
from sim.engine import events as ev
from sim.engine.actions import Rebuy
from sim.engine.views import HIDDEN, PlayerFeeds, player_view, public_view, visible_cards


def _play(hands: int, seed: int) -> tuple[Controller, PlayerFeeds, list]:
    feeds = PlayerFeeds(keep=10_000)
    table = Controller(TableConfig(seats=4, small_blind=1, big_blind=2, min_buy_in=20,
                                   max_buy_in=200),
                       seed=seed, players={s: (f"p{s}", 100) for s in range(4)},
                       subscribers=[feeds])
    rng = random.Random(seed)
    views = []
    for _ in range(100_000):
        if table.state.hand_no > hands:
            break
        legal = table.legal_actions()
        if legal is None:  # idle: someone busted; rebuy everyone who has nothing
            for seat in range(4):
                if table.state.stack[seat] == 0:
                    table.dispatch(Rebuy(seat, 100))
            continue
        views.append((table.state, [player_view(table.state, s) for s in range(4)]))
        table.dispatch(random_wager(legal, rng))
    return table, feeds, views


def test_a_player_view_shows_only_own_board_and_shown_cards() -> None:
    _, _, views = _play(30, 3)
    checked = 0
    for state, seat_views in views:
        shown = {c for s, h in enumerate(state.hole) if h and state.shown[s] for c in h}
        for seat, view in enumerate(seat_views):
            own = set(state.hole[seat] or ())
            assert visible_cards(view.public) <= own | set(state.board) | shown
            assert view.hole == state.hole[seat]
            checked += 1
        assert visible_cards(public_view(state)) <= set(state.board) | shown
    assert checked > 100


def test_each_feed_carries_only_its_own_hole_cards() -> None:
    table, feeds, _ = _play(20, 5)
    dealt = 0
    for seat, feed in feeds.feeds.items():
        for event in feed:
            if isinstance(event, ev.HoleCardsDealt):
                if event.seat == seat:
                    assert len(event.cards) == 2
                    dealt += 1
                else:
                    assert event.cards == ()
            if isinstance(event, ev.HandStarted):
                assert event.deck == ()
    assert dealt >= 20  # the seats got their own cards, hand after hand
    assert set(feeds.feeds) == {0, 1, 2, 3}


def test_no_feed_carries_the_dealers_secrets() -> None:
    # Found (by the issue-12 privacy check): feeds carried each hand's seed, from which the
    # deck follows, and the burnt cards.
    _, feeds, _ = _play(20, 5)
    boards = 0
    for feed in feeds.feeds.values():
        for event in feed:
            if isinstance(event, ev.HandStarted):
                assert event.deck == () and event.seed == HIDDEN
            if isinstance(event, ev.BoardDealt):
                assert event.burnt == HIDDEN and event.cards
                boards += 1
    assert boards >= 4  # flops, turns and rivers were dealt and checked


def test_view_equality_looks_at_every_field() -> None:
    """SeatView and PublicView write their equality out field by field (it runs after
    every dispatch); a field left out would make the animation check blind to it."""
    table = Controller(TableConfig(seats=3), 5, {s: (f"p{s}", 100) for s in range(3)})
    view = public_view(table.state)
    seat = view.seats[0]
    changed_seat = {"player": "other", "stack": 1, "bet": 7, "status": 9, "in_hand": False,
                    "folded": True, "holding": 0, "cards": (1, 2)}
    assert sorted(changed_seat) == sorted(seat.FIELDS)
    for name, value in changed_seat.items():
        assert getattr(seat, name) != value
        assert seat.replace(**{name: value}) != seat, name
        assert seat.replace() == seat and hash(seat.replace()) == hash(seat)
    changed_view = {"hand_no": 99, "running": False, "street": 3, "button": 2, "to_act": None,
                    "board": (5, 6, 7), "pot": 1234, "pots": ((3, (0,)),),
                    "seats": (seat.replace(stack=1), *view.seats[1:])}
    assert sorted(changed_view) == sorted(view.FIELDS)
    for name, value in changed_view.items():
        assert getattr(view, name) != value
        assert view.replace(**{name: value}) != view, name
    assert view.replace() == view and hash(view.replace()) == hash(view)


def test_a_view_built_on_the_previous_one_is_equal_and_shares_unchanged_seats() -> None:
    table = Controller(TableConfig(seats=6), 11, {s: (f"p{s}", 100) for s in range(4)})
    rng = random.Random(11)
    shared = 0
    for _ in range(200):
        before = public_view(table.state)
        legal = table.legal_actions()
        if legal is None:
            break
        table.dispatch(random_wager(legal, rng))
        fresh = public_view(table.state)
        built = public_view(table.state, previous=before)
        assert built == fresh and built.values() == fresh.values()
        for old, new, now in zip(before.seats, built.seats, fresh.seats, strict=True):
            assert (new is old) == (old == now)  # reused exactly when unchanged
            shared += new is old
    assert shared > 20
