"""Blind invariants: how a hand starts.

- ``button_and_blinds``: the button moves to the next seat sitting in with chips, the small
  and big blinds follow it (heads-up the button posts the small blind), the right seats are
  dealt in, and antes and blinds post min(amount, stack) in order.

It runs when a hand started or posted (``POSTING``), on the table just before the hand
started and the posts that followed, as ``walk.walk`` kept them.
"""

from __future__ import annotations

from typing import Any, Final

from sim.engine.events import AntePosted, BlindPosted, HandStarted
from sim.engine.state import PLAYING, WAITING, TableState
from sim.invariants import oracle
from sim.invariants.base import CheckContext, fail, invariant, mask, seats_text
from sim.invariants.walk import Start, walk

POSTING: Final = mask(HandStarted, AntePosted, BlindPosted)


@invariant("button_and_blinds",
           "The button moves to the next seat sitting in with chips; the small and big "
           "blinds follow it (heads-up the button posts the small blind); antes and blinds "
           "post min(amount, stack) in order.",
           on=POSTING)
def button_and_blinds(ctx: CheckContext) -> None:
    for start in walk(ctx).starts:
        if start.started is not None:
            assert start.prior is not None
            _check_positions(start.prior, start.started, start.base)
        if start.dealt:
            _check_posts(start)


def _check_positions(prior: TableState, e: HandStarted, base: TableState) -> None:
    n = prior.config.seats
    found = oracle.dealable([p is not None for p in prior.player], prior.stack, prior.status,
                            prior.will_post, PLAYING, WAITING)
    if found is None:
        raise fail("button_and_blinds",
                   f"Hand {e.hand_no} started although fewer than two players could play.")
    sitting_in, waiters, posters = found
    if e.hand_no != prior.hand_no + 1:
        raise fail("button_and_blinds",
                   f"Hand {e.hand_no} followed hand {prior.hand_no}.")
    if prior.button is None:
        if e.button not in sitting_in:
            raise fail("button_and_blinds",
                       f"The first button is seat {e.button}, not one of the seats sitting "
                       f"in ({seats_text(sitting_in)}).")
    else:
        button = oracle.next_clockwise(sitting_in, prior.button, n)
        if e.button != button:
            raise fail("button_and_blinds",
                       f"The button moved from seat {prior.button} to seat {e.button}; the "
                       f"next seat sitting in with chips is seat {button} (sitting in: "
                       f"{seats_text(sitting_in)}).")
    small, big = oracle.blind_seats(e.button, sitting_in, waiters, n)
    if (e.small_blind_seat, e.big_blind_seat) != (small, big):
        raise fail("button_and_blinds",
                   f"With the button on seat {e.button} the blinds are seats "
                   f"{e.small_blind_seat} and {e.big_blind_seat}; they should be seats {small} "
                   f"and {big} (sitting in: {seats_text(sitting_in)}, waiting: "
                   f"{seats_text(waiters)}).")
    dealt = oracle.clockwise_from((e.button + 1) % n,
                                  sorted(set(sitting_in) | set(posters) | {big}), n)
    if e.dealt != dealt or tuple(sorted(e.posters)) != tuple(sorted(posters)):
        raise fail("button_and_blinds",
                   f"Hand {e.hand_no} deals in seats {seats_text(e.dealt)} with posters "
                   f"{seats_text(e.posters)}; expected seats {seats_text(dealt)} with posters "
                   f"{seats_text(posters)}.")
    if (base.button, base.small_blind_seat, base.big_blind_seat) != (e.button, small, big):
        raise fail("button_and_blinds",
                   f"The state's button and blinds {base.button}, {base.small_blind_seat}, "
                   f"{base.big_blind_seat} differ from hand {e.hand_no}'s start.")


def _check_posts(start: Start) -> None:
    base = start.base
    config = base.config
    stack = base.stack[:]
    expected: list[tuple[str, int, int]] = []

    def post(kind: str, seat: int, amount: int) -> None:
        amount = min(amount, stack[seat])
        stack[seat] -= amount
        if amount:
            expected.append((kind, seat, amount))

    if config.ante:
        for seat in base.order:
            post("ante", seat, config.ante)
    assert base.small_blind_seat is not None and base.big_blind_seat is not None
    post("small", base.small_blind_seat, config.small_blind)
    post("big", base.big_blind_seat, config.big_blind)
    for seat in base.posters:
        post("live", seat, config.big_blind)
    posts: list[Any] = start.posts
    got = [("ante" if type(e) is AntePosted else e.kind, e.seat, e.amount)
           for e in posts if e.amount]
    if got != expected:
        raise fail("button_and_blinds",
                   f"Hand {base.hand_no} posted {got}; with stacks "
                   f"{[base.stack[s] for s in base.order]} (seats {seats_text(base.order)}) the "
                   f"posts are {expected}.")
