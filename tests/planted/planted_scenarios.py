"""Short scripted hands that show what a planted bug does, one function per bug.

Each function plays a table with whichever engine ``sim`` is (the package, or a patched
copy carrying a bug: ``tests/planted/test_bug_scenarios.py`` runs it in both) and returns
what the bug changes, as plain values (JSON). No invariant runs: this is the engine alone.
"""

from __future__ import annotations

from typing import Any

from sim.engine import actions as ac
from sim.engine.animation import Animator
from sim.engine.controller import Controller
from sim.engine.dealer import hand_seed
from sim.engine.state import TableConfig, TableState
from sim.engine.subscriber import Subscriber

SEED = 20240601


class Recorder(Subscriber):
    """Every event the table applies, as text."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def on_event(self, state: TableState, event: Any) -> None:
        self.events.append(repr(event))


def table(stacks: dict[int, int], seats: int | None = None, small: int = 1, big: int = 2,
          ante: int = 0, subscriber: Subscriber | None = None) -> Controller:
    """A table whose first hand is dealt with the button on the lowest seat."""
    config = TableConfig(seats=seats or len(stacks), small_blind=small, big_blind=big,
                         ante=ante, min_buy_in=1, max_buy_in=10_000)
    return Controller(config, seed=SEED, players={s: (f"p{s}", n) for s, n in stacks.items()},
                      subscribers=[subscriber] if subscriber is not None else [])


def names(events: list[Any]) -> list[str]:
    return [repr(event) for event in events]


def fold_to_next_hand(c: Controller) -> list[str]:
    """Fold whoever is to act until the hand ends; the events of those dispatches."""
    hand, out = c.state.hand_no, []
    while c.state.hand_no == hand and c.state.to_act is not None:
        out += names(c.dispatch(ac.Fold(c.state.to_act)))
    return out


def legal(c: Controller) -> dict[str, Any]:
    found = c.legal_actions()
    assert found is not None
    return dict(zip(found.FIELDS, found.values(), strict=True))


def call_exceeds_stack() -> dict[str, Any]:
    """Heads-up, seat 0 (button, small blind) shoves 100 into seat 1's 30."""
    c = table({0: 100, 1: 30})
    c.dispatch(ac.RaiseTo(0, 100))
    offered = legal(c)["call"]
    return {"offered": offered, "events": names(c.dispatch(ac.Call(1)))[:1]}


def short_bet_reopens() -> dict[str, Any]:
    """Three-handed, 2/4: seat 2 (big blind) has 1 chip left after preflop; on the flop seat
    1 checks, seat 2 bets its last chip, seat 0 calls; then seat 1 decides."""
    c = table({0: 100, 1: 100, 2: 5}, small=2, big=4)
    c.dispatch(ac.Call(0))
    c.dispatch(ac.Call(1))
    c.dispatch(ac.Check(2))
    c.dispatch(ac.Check(1))
    c.dispatch(ac.Bet(2, 1))
    c.dispatch(ac.Call(0))
    found = legal(c)
    return {"seat": found["seat"], "max_raise_to": found["max_raise_to"],
            "min_raise": c.state.min_raise}


def raise_not_answered() -> dict[str, Any]:
    """Three-handed: seats 0 and 1 limp, the big blind raises to 12."""
    c = table({0: 100, 1: 100, 2: 100})
    c.dispatch(ac.Call(0))
    c.dispatch(ac.Call(1))
    return {"after_raise": names(c.dispatch(ac.RaiseTo(2, 12)))[1:2]}


def all_in_player_asked() -> dict[str, Any]:
    """Three-handed, 2/4: the big blind posts its 3 chips all-in; seats 0 and 1 call."""
    c = table({0: 100, 1: 100, 2: 3}, small=2, big=4)
    c.dispatch(ac.Call(0))
    return {"after_calls": names(c.dispatch(ac.Call(1)))[1:2]}


def pot_leaves_out_bets() -> dict[str, Any]:
    """Heads-up, the first decision: the blinds (1 and 2) are in front of the players."""
    return {"pot": legal(table({0: 100, 1: 100}))["pot"]}


def big_blind_cannot_check() -> dict[str, Any]:
    """Heads-up, the button completes the small blind; the big blind decides."""
    c = table({0: 100, 1: 100})
    c.dispatch(ac.Call(0))
    found = legal(c)
    return {"seat": found["seat"], "can_check": found["can_check"]}


def blinds_before_antes() -> dict[str, Any]:
    """Three-handed, 1/2 with an ante of 1; the big blind (seat 2) has 2 chips."""
    recorder = Recorder()
    table({0: 100, 1: 100, 2: 2}, ante=1, subscriber=recorder)
    return {"posts": [e for e in recorder.events if "Posted" in e]}


def live_post_goes_dead() -> dict[str, Any]:
    """Seats 0 and 1 play; seat 2 sits down during hand 1 and posts to come in; hand 2."""
    c = table({0: 100, 1: 100}, seats=3)
    c.dispatch(ac.Sit(2, "p2", 100))
    c.dispatch(ac.Post(2))
    fold_to_next_hand(c)
    s = c.state
    return {"posters": list(s.posters), "bet": s.bet[2], "contrib": s.contrib[2], "pot": s.pot}


def newcomer_skips_big_blind() -> dict[str, Any]:
    """Seats 0 and 1 play; seat 2 sits down during hand 1; hand 2 is dealt."""
    c = table({0: 100, 1: 100}, seats=3)
    seated = names(c.dispatch(ac.Sit(2, "p2", 100)))
    fold_to_next_hand(c)
    return {"seated": seated, "dealt": list(c.state.order)}


def missed_blind_forgiven() -> dict[str, Any]:
    """Four seats: seat 3 sits out during hand 1 and misses the big blind in hand 2, asks
    to sit in during hand 2, and hand 3 is dealt."""
    c = table({0: 100, 1: 100, 2: 100, 3: 100})
    c.dispatch(ac.SitOut(3))
    fold_to_next_hand(c)
    missed = c.state.missed_bb[3]
    c.dispatch(ac.SitIn(3))
    between = [e for e in fold_to_next_hand(c) if e.startswith("SatIn")]
    return {"missed": missed, "sat_in": between, "dealt": list(c.state.order)}


def sit_out_mid_hand() -> dict[str, Any]:
    """A player asks to sit out during hand 1."""
    c = table({0: 100, 1: 100, 2: 100})
    return {"events": names(c.dispatch(ac.SitOut(1))), "status": list(c.state.status)}


def antes_not_contributed() -> dict[str, Any]:
    """Three-handed, 1/2 with an ante of 1, before anyone acts."""
    c = table({0: 100, 1: 100, 2: 100}, ante=1)
    return {"contrib": list(c.state.contrib), "pot": c.state.pot, "bet": list(c.state.bet)}


def run_out_not_tabled() -> dict[str, Any]:
    """Heads-up, all-in preflop: the board runs out."""
    c = table({0: 100, 1: 100})
    c.dispatch(ac.RaiseTo(0, 100))
    events = names(c.dispatch(ac.Call(1)))
    first_board = next(i for i, e in enumerate(events) if e.startswith("BoardDealt"))
    return {"tabled_before_board": [e.split(",")[0] for e in events[:first_board]
                                    if e.startswith("CardsShown")]}


def aggressor_kept_across_streets() -> dict[str, Any]:
    """Heads-up: the button raises preflop and is called; every later street is checked."""
    c = table({0: 100, 1: 100})
    c.dispatch(ac.RaiseTo(0, 6))
    events = names(c.dispatch(ac.Call(1)))
    while c.state.hand_no == 1:
        events = names(c.dispatch(ac.Check(c.state.to_act)))
    shown = [e for e in events if e.startswith(("CardsShown", "CardsMucked"))]
    return {"first": shown[0].split("(")[1].split(",")[0]}


def hole_cards_in_pairs() -> dict[str, Any]:
    """Three-handed: the deck positions each seat's hole cards came from, in dealing order."""
    c = table({0: 100, 1: 100, 2: 100})
    s = c.state
    return {"positions": [[s.deck.index(card) for card in s.hole[seat]] for seat in s.order]}


def deal_animation_shows_cards() -> dict[str, Any]:
    """Heads-up: the first hand's deal, as animation steps."""
    animator = Animator()
    table({0: 100, 1: 100}, subscriber=animator)
    return {"cards": [list(step.cards) for frame in animator.frames for step in frame.steps
                      if step.kind == "card_dealt"]}


def ante_animated_as_bet() -> dict[str, Any]:
    """Heads-up with an ante: the posting, as animation steps, and the view they give."""
    animator = Animator()
    table({0: 100, 1: 100}, ante=1, subscriber=animator)
    frame = animator.frames[-1]
    return {"steps": [[step.kind, step.seat, step.amount] for step in frame.steps
                      if step.kind.startswith("chips_to")]}


def hand_seed_chained() -> dict[str, Any]:
    """Hand 2's seed, and the seed its table's seed and its number give."""
    c = table({0: 100, 1: 100})
    fold_to_next_hand(c)
    return {"dealt": c.state.hand_seed, "derived": hand_seed(SEED, 2)}
