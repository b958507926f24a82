"""Decision invariants: no one is asked to act with nothing to decide.

- ``no_dead_decision``: when every other player still in the hand is all-in, the player to
  act has put in less than the largest of their contributions.

The last family in ``base.FAMILIES``: it runs after the others, after every dispatch.
"""

from __future__ import annotations

from sim.invariants import oracle
from sim.invariants.base import CheckContext, fail, invariant


@invariant("no_dead_decision",
           "No one is asked to act with nothing to decide: when every other player still "
           "in the hand is all-in, the player to act has put in less than the largest of "
           "their contributions.")
def no_dead_decision(ctx: CheckContext) -> None:
    s = ctx.state
    seat = s.to_act
    if seat is None:
        return
    room = oracle.answerable(seat, s.order, s.folded, s.stack, s.contrib)
    if room is not None and room <= 0:
        others = [x for x in s.order if x != seat and not s.folded[x]]
        contributions = ", ".join(f"seat {x} {s.contrib[x]}" for x in others)
        raise fail("no_dead_decision",
                   "Seat {seat} is asked to act with {contributed} in the pot, but every other "
                   "player still in the hand is all-in for no more ({contributions}): no one "
                   "can win another chip from it, so the round should end for it.", seat=seat,
                   contributed=s.contrib[seat], contributions=contributions)
