"""Betting-round invariants: rounds close when they should, and hands end.

- ``round_closure``: a betting round closes only when every live player with chips has
  acted and matched the bet; streets are dealt only with two players in, showdown only on a
  full board. It runs when an event that closes a round came (``walk.CLOSERS``).
- ``liveness``: every hand ends within a bounded number of actions
  (``oracle.hand_action_bound``), one dispatch makes a bounded number of events, and a table
  is idle only when fewer than two players can play. It runs after every dispatch.
"""

from __future__ import annotations

from sim.engine.actions import BETTING_CLASSES
from sim.engine.events import BoardDealt, HandEnded
from sim.engine.state import IDLE, PLAYING, STREET_NAMES, WAITING
from sim.invariants import oracle
from sim.invariants.base import CheckContext, fail, invariant, kinds, seats_text
from sim.invariants.walk import CLOSERS, ENDED, RoundEnd, ended_records, walk


@invariant("round_closure",
           "A betting round closes only when every live player with chips has acted and "
           "matched the bet; streets are dealt only with two players in, and showdown only "
           "on a full board.",
           on=CLOSERS)
def round_closure(ctx: CheckContext) -> None:
    done = walk(ctx)
    for end in done.round_ends:
        _check_round_end(end)
    for award in done.awards:
        s = award.state
        live = [x for x in s.order if not s.folded[x]]
        if len(live) > 1 and len(s.board) != 5:
            raise fail("round_closure",
                       "Hand {hand} went to showdown between seats {seats} with {cards} board "
                       "cards.", hand=s.hand_no, seats=seats_text(live), cards=len(s.board))


def _check_round_end(end: RoundEnd) -> None:
    street = STREET_NAMES[end.street]
    # Values, not shape: one bug closes a round by collecting bets on one table and by
    # dealing the next street on another.
    closer = type(end.closer).__name__
    if type(end.closer) is BoardDealt and len(end.live) < 2:
        raise fail("round_closure",
                   "The next street was dealt after the {street} with only seats {seats} in "
                   "the hand.", street=street, seats=seats_text(end.live))
    if len(end.live) < 2:
        return
    if len(end.able) == 1 and oracle.dead_decision(end.able[0], end.order, end.folded,
                                                   end.stack, end.contrib):
        return  # alone with chips, and no one can win more from it: no decision to wait for
    for seat in end.able:
        if end.bet[seat] < end.level:
            raise fail("round_closure",
                       "The {street} betting round closed ({closer}) while seat {seat} had bet "
                       "{bet} of {level} with chips behind.", street=street, closer=closer,
                       seat=seat, bet=end.bet[seat], level=end.level)
        if end.acted[seat] == oracle.NOT_ACTED:
            raise fail("round_closure",
                       "The {street} betting round closed ({closer}) before seat {seat} acted.",
                       street=street, closer=closer, seat=seat)


@invariant("liveness",
           "Every hand ends within a bounded number of actions and betting dispatches, and "
           "an idle table is idle only because fewer than two players can play.")
def liveness(ctx: CheckContext) -> None:
    s = ctx.state
    config = s.config
    bound = oracle.hand_action_bound(s.chips_in - s.chips_out, config.big_blind, config.seats)
    if s.hand_actions > bound:
        raise fail("liveness",
                   "Hand {hand} has taken {actions} actions, more than the bound of {bound} for "
                   "{chips} chips, big blind {big_blind} and {seats} seats.", hand=s.hand_no,
                   actions=s.hand_actions, bound=bound, chips=s.chips_in - s.chips_out,
                   big_blind=config.big_blind, seats=config.seats)
    ended = bool(kinds(ctx) & ENDED)
    events_bound = (sum(type(e) is HandEnded for e in ctx.events) + 1 if ended else 1) * (
        3 * bound + 12 * config.seats + 16)
    if len(ctx.events) > events_bound:
        raise fail("liveness", "One dispatch produced {events} events, more than the bound of "
                               "{bound}.", events=len(ctx.events), bound=events_bound)
    if ended:
        for record in ended_records(ctx):
            turns = sum(1 for action, _ in record.steps
                        if type(action) in BETTING_CLASSES)
            if turns > bound:
                raise fail("liveness", "Hand {hand} took {turns} betting dispatches, more "
                                       "than the bound of {bound}.", hand=record.hand_no,
                           turns=turns, bound=bound)
    if s.phase == IDLE and not ctx.controller.stop_at_hand_end:
        startable = oracle.dealable([p is not None for p in s.player], s.stack, s.status,
                                    s.will_post, PLAYING, WAITING)
        if startable is not None:
            raise fail("liveness",
                       "The table is idle although seats {seats} could start a hand.",
                       seats=seats_text(startable[0]))
