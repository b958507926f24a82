"""Turn invariants: who is to act, and what they may do.

- ``valid_to_act``: the player to act is dealt in, live, with chips, has not acted and
  matched the bet, and is the first such seat clockwise; a hand in play always has one, an
  idle table none;
- ``legal_actions``: the engine's legal actions equal an independent computation
  (``oracle.legal_set``) from the street's betting books, which ``walk.Betting`` rebuilds
  from the events and which must equal the engine's.

Both run after every dispatch (the turn changes with nearly every one), so they stay on the
committed state and the betting books, which are cheap.
"""

from __future__ import annotations

from typing import Any

from sim.engine.legal import LegalActions
from sim.engine.legal import legal_actions as engine_legal_actions
from sim.engine.state import BETTING, IDLE, PHASE_NAMES, STREET_NAMES, TableState, total
from sim.invariants import oracle
from sim.invariants.base import CheckContext, fail, invariant
from sim.invariants.walk import Betting, walk


@invariant("valid_to_act",
           "The player to act is dealt in, not folded, has chips, has not acted and matched "
           "the bet, and is the first such seat clockwise; a committed hand always has someone to "
           "act; an idle table has no one.")
def valid_to_act(ctx: CheckContext) -> None:
    s = ctx.state
    seat = s.to_act
    if seat is None:
        if s.phase != IDLE:
            raise fail("valid_to_act",
                       f"Hand {s.hand_no} is in phase {PHASE_NAMES[s.phase]} on the "
                       f"{STREET_NAMES[s.street]} but no one is to act.")
        return
    if s.phase != BETTING:
        raise fail("valid_to_act",
                   f"Seat {seat} is to act in phase {PHASE_NAMES[s.phase]}.")
    if not 0 <= seat < s.config.seats or s.player[seat] is None or not s.dealt[seat]:
        raise fail("valid_to_act", f"Seat {seat} is to act but is not dealt in.")
    if s.folded[seat] or s.stack[seat] <= 0 or s.pending_leave[seat]:
        why = ("has folded" if s.folded[seat] else "has left" if s.pending_leave[seat]
               else f"has a stack of {s.stack[seat]}")
        raise fail("valid_to_act", f"Seat {seat} is to act but {why}.")
    books = walk(ctx).betting
    if not oracle.needs_to_act(books.acted[seat], books.bet[seat], books.level):
        raise fail("valid_to_act",
                   f"Seat {seat} is to act but already acted at {books.acted[seat]} and "
                   f"matched the bet of {books.level} with {books.bet[seat]}.")
    _check_turn_order(s, seat, books.last_actor, books)


def _check_turn_order(s: TableState, seat: int, anchor: int | None, books: Betting) -> None:
    if anchor is None:
        raise fail("valid_to_act", f"Seat {seat} is to act but no one acted or posted first.")
    n = s.config.seats
    for step in range(1, n + 1):  # the anchor itself comes last
        other = (anchor + step) % n
        if other == seat:
            return
        if (s.dealt[other] and not s.folded[other] and s.stack[other] > 0
                and oracle.needs_to_act(books.acted[other], books.bet[other], books.level)):
            raise fail("valid_to_act",
                       f"Seat {seat} is to act, but seat {other} comes first clockwise after "
                       f"seat {anchor} and still has to act (bet {books.bet[other]} of "
                       f"{books.level}).")


@invariant("legal_actions",
           "The engine's legal actions equal an independent computation (check, call, bet "
           "and raise-to ranges, short all-ins not reopening, no raise against all-ins, the "
           "full big blind to call where someone can win it), and its betting books match "
           "the events.")
def legal_actions(ctx: CheckContext) -> None:
    s = ctx.state
    books = walk(ctx).betting
    if books.bet != s.bet:
        raise fail("legal_actions",
                   f"The state's bets are {s.bet} but the events give {books.bet}.")
    # Compared directly first; the loop below only finds what differs, for the message.
    if s.phase == BETTING and (books.level != s.current_bet or books.min_raise != s.min_raise
                               or books.acted != s.acted_level
                               or books.last_actor != s.last_actor):
        for name, mine, theirs in (("bet to match", books.level, s.current_bet),
                                   ("last full raise", books.min_raise, s.min_raise),
                                   ("acted levels", books.acted, s.acted_level),
                                   ("last actor", books.last_actor, s.last_actor)):
            if mine != theirs:
                raise fail("legal_actions",
                           f"The state's {name} is {theirs} but the street's events give "
                           f"{mine}.")
    seat = s.to_act
    engine = engine_legal_actions(s)
    if seat is None:
        if engine is not None:
            raise fail("legal_actions", f"No one is to act but the engine offers {engine}.")
        return
    room = oracle.answerable(seat, s.order, s.folded, s.stack, s.contrib)
    if room is not None and room <= 0:
        return  # no decision to price: no_dead_decision reports the turn
    expected = oracle.legal_set(seat, s.stack[seat], books.bet[seat], books.level,
                                books.min_raise, books.acted[seat], room is None,
                                s.config.big_blind, s.pot + total(s.bet), room)
    if engine is None or engine.values() != expected:
        raise fail("legal_actions", _legal_difference(seat, engine, expected, books))


def _legal_difference(seat: int, engine: Any, expected: tuple[Any, ...], books: Any) -> str:
    context = (f"(bet {books.bet[seat]}, bet to match {books.level}, last full raise "
               f"{books.min_raise}, acted at {books.acted[seat]})")
    if engine is None:
        return f"Seat {seat} is to act but the engine offers no legal actions {context}."
    for name, mine, theirs in zip(LegalActions.FIELDS, expected, engine.values(),
                                  strict=True):
        if mine != theirs:
            return (f"For seat {seat} the engine's {name} is {theirs}, the rules give {mine} "
                    f"{context}; engine: {engine.describe()}.")
    raise AssertionError("no difference")
