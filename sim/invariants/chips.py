"""Chip invariants: chips are conserved, never negative, and the pots add up.

- ``chip_conservation``: the table's chips equal buy-ins + rebuys - cash-outs, and each
  dispatch changes them only by what it bought in or cashed out;
- ``no_negative``: no stack, bet, contribution or pot below zero;
- ``pot_consistency``: pot + bets = contributions, and at each collection the pots equal
  an independent build from the contributions (``oracle.pots_by_levels``).

All three run after every dispatch: they read the committed state, and look at the events
only for buy-ins and cash-outs (``CASH_EVENTS``) and collections (``COLLECTED``).
"""

from __future__ import annotations

from typing import Final

from sim.engine.apply import apply
from sim.engine.events import BetsCollected, PlayerLeft, PlayerSeated, RebuyApplied
from sim.engine.state import IDLE, total
from sim.finding import shown
from sim.invariants import oracle
from sim.invariants.base import CheckContext, fail, invariant, kinds, mask, seats_text
from sim.invariants.walk import Collection, walk

CASH_EVENTS: Final = mask(PlayerSeated, RebuyApplied, PlayerLeft)


@invariant("chip_conservation",
           "Chips on the table (stacks, bets, pot) equal buy-ins + rebuys - cash-outs, and "
           "each dispatch changes them only by the buy-ins, rebuys and cash-outs it made.")
def chip_conservation(ctx: CheckContext) -> None:
    s, b = ctx.state, ctx.before
    chips = total(s.stack) + total(s.bet) + s.pot
    if chips != s.chips_in - s.chips_out:
        _leak(ctx)
        raise fail("chip_conservation",
                   "The table holds {chips} chips (stacks {stacks}, bets {bets}, pot {pot}) but "
                   "chips in {chips_in} - chips out {chips_out} = {net}.", chips=chips,
                   stacks=sum(s.stack), bets=sum(s.bet), pot=s.pot, chips_in=s.chips_in,
                   chips_out=s.chips_out, net=s.chips_in - s.chips_out)
    bought = cashed = 0
    if kinds(ctx) & CASH_EVENTS:
        for event in ctx.events:
            if type(event) is PlayerSeated:
                bought += event.buy_in
            elif type(event) is RebuyApplied:
                bought += event.added
            elif type(event) is PlayerLeft:
                cashed += event.cashed_out
    if s.chips_in - b.chips_in != bought or s.chips_out - b.chips_out != cashed:
        _leak(ctx)
        raise fail("chip_conservation",
                   "Chips in rose by {rise_in} and chips out by {rise_out}, but the events "
                   "bought in {bought} and cashed out {cashed}.",
                   rise_in=s.chips_in - b.chips_in, rise_out=s.chips_out - b.chips_out,
                   bought=bought, cashed=cashed)
    previous = total(b.stack) + total(b.bet) + b.pot
    if chips - previous != bought - cashed:
        _leak(ctx)
        raise fail("chip_conservation",
                   "The table went from {previous} to {chips} chips, a change of {change}, but "
                   "buy-ins, rebuys and cash-outs explain {explained}.", previous=previous,
                   chips=chips, change=chips - previous, explained=bought - cashed)


@invariant("no_negative", "No stack, bet, contribution or pot is ever negative.")
def no_negative(ctx: CheckContext) -> None:
    s = ctx.state
    if s.pot < 0:
        raise fail("no_negative", "The pot is {pot}.", pot=s.pot)
    for name, values in (("stack", s.stack), ("bet", s.bet), ("contrib", s.contrib)):
        for seat, value in enumerate(values):
            if value < 0:
                # Which amount went negative is a value: one bug (a short stack posting in
                # full) drives a stack negative at one table and a bet at the next.
                raise fail("no_negative", "Seat {seat}'s {field} is {value}.", seat=seat,
                           field=name, value=value)
    for index, (amount, _) in enumerate(s.pots):
        if amount <= 0:
            raise fail("no_negative", "Pot {index} holds {amount} chips.", index=index,
                       amount=amount)


def _leak(ctx: CheckContext) -> None:
    """On a failure only: apply the dispatch's events one at a time to the state before it,
    and name the first after which the chips on the table are not what came in less what
    went out, or moved by other than its buy-in, rebuy or cash-out. The event's kind is part
    of the sentence's shape: chips lost in an award and chips uncounted in a rebuy are two
    bugs, not one."""
    state = ctx.before.copy()
    for event in ctx.events:
        chips = total(state.stack) + total(state.bet) + state.pot
        net = state.chips_in - state.chips_out
        apply(state, event)
        after = total(state.stack) + total(state.bet) + state.pot
        moved = state.chips_in - state.chips_out - net
        if after != state.chips_in - state.chips_out or after - chips != moved:
            raise fail("chip_conservation",
                       "{event} left the table holding {chips} chips (stacks {stacks}, bets "
                       "{bets}, pot {pot}) but chips in {chips_in} - chips out {chips_out} = "
                       "{net}.", event=shown(event), chips=after, stacks=sum(state.stack),
                       bets=sum(state.bet), pot=state.pot, chips_in=state.chips_in,
                       chips_out=state.chips_out, net=state.chips_in - state.chips_out)


COLLECTED: Final = mask(BetsCollected)


@invariant("pot_consistency",
           "Pot + bets = contributions; at each collection the pots equal an independent "
           "build from contributions (amounts and eligibility), no pot holds uncalled "
           "chips, and the pots add up to the pot.")
def pot_consistency(ctx: CheckContext) -> None:
    s = ctx.state
    if s.phase != IDLE:
        bets, contributed = total(s.bet), total(s.contrib)
        if s.pot + bets != contributed:
            raise fail("pot_consistency",
                       "Pot {pot} + bets {bets} = {sum}, but the players contributed "
                       "{contributed} this hand.", pot=s.pot, bets=bets, sum=s.pot + bets,
                       contributed=contributed)
        if s.pots and total([amount for amount, _ in s.pots]) != s.pot:
            raise fail("pot_consistency",
                       "The pots {pots} add up to {added}, not the pot of {pot}.", pots=s.pots,
                       added=sum(a for a, _ in s.pots), pot=s.pot)
    if kinds(ctx) & COLLECTED:
        for collection in walk(ctx).collections:
            _check_collection(collection)


def _check_collection(c: Collection) -> None:
    pots, stray = oracle.pots_by_levels(c.contrib, c.live, c.all_in)
    got = [(amount, tuple(eligible)) for amount, eligible in c.event.pots]
    if stray:
        raise fail("pot_consistency",
                   "Folded players put in {stray} chips more than any live player "
                   "(contributions {contrib}); those chips belong in no pot.", stray=stray,
                   contrib=c.contrib)
    unmatched = oracle.unmatched_top(c.contrib)
    if unmatched is not None:
        seat, top, second = unmatched
        raise fail("pot_consistency",
                   "After collection seat {seat} has {top} chips in the pots but no one else "
                   "more than {second}: the uncalled {uncalled} should have gone back "
                   "(contributions {contrib}).", seat=seat, top=top, second=second,
                   uncalled=top - second, contrib=c.contrib)
    if got != pots:
        raise fail("pot_consistency",
                   "The bets were collected into pots {got}, but contributions {contrib} with "
                   "live seats {live} and all-in seats {all_in} make {pots}.", got=got,
                   contrib=c.contrib, live=seats_text([s for s, x in enumerate(c.live) if x]),
                   all_in=seats_text([s for s, x in enumerate(c.all_in) if x]), pots=pots)
    collected = sum(amount for amount, _ in got)
    if collected != c.pot:
        raise fail("pot_consistency",
                   "The collected pots {got} add up to {collected}, not the pot of {pot}.",
                   got=got, collected=collected, pot=c.pot)
