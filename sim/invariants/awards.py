"""Award invariants: who wins each pot.

- ``awards_correct``: each pot goes to the best hand among its eligible players who showed,
  split with odd chips from the first seat left of the button, side pots first; an
  uncontested hand gives every pot to the last player in, unshown; a player mucks only a
  hand that can neither win nor tie a pot it is in;
- ``showdown_order``: who shows first (the last river bettor or raiser, else the first
  player left of the button), then each other player still in, clockwise, once.

It runs when pots were awarded or a hand ended (``SETTLING``), a few times a hand, so it is
written as plain Python. Hands are ranked by ``handrank.rank7`` and ties, where kickers
decide who splits, by the brute-force reference evaluator.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sim.engine.cards import cards_to_str
from sim.engine.evaluator import reference_evaluate
from sim.engine.events import (
    BetMade,
    BoardDealt,
    CardsMucked,
    CardsShown,
    Folded,
    HandEnded,
    PotAwarded,
    RaisedTo,
    TurnStarted,
)
from sim.engine.log import HandRecord
from sim.engine.state import TableState
from sim.finding import Message
from sim.invariants import oracle
from sim.invariants.base import MODE, CheckContext, fail, invariant, mask, seats_text
from sim.invariants.handrank import rank7
from sim.invariants.walk import Award, ended_records, hand_ended, walk

SETTLING: Final = mask(PotAwarded, HandEnded)


@invariant("awards_correct",
           "Each pot goes to the best hand among its eligible players (by the brute-force "
           "reference evaluator): whoever could win or tie it showed, so a mucked winner "
           "is a wrong award; split with odd chips from the first seat left of the button, "
           "side pots first; an uncontested hand gives every pot to the last player in, "
           "unshown.",
           on=SETTLING)
def awards_correct(ctx: CheckContext) -> None:
    for award in walk(ctx).awards:
        _check_award(award)


def _check_award(award: Award) -> None:
    s = award.state
    live = [x for x in s.order if not s.folded[x]]
    if len(live) == 1:
        winner = live[0]
        if True in s.shown:
            raise fail("awards_correct",
                       "Hand {hand} was won uncontested by seat {winner}, yet seats {shown} "
                       "showed cards.", hand=s.hand_no, winner=winner,
                       shown=seats_text([x for x in s.order if s.shown[x]]))
        expected = [(index, amount, ((winner, amount),))
                    for index, (amount, _) in _side_pots_first(s.pots)]
    else:
        expected = _showdown_awards(s, live)
    got = [(e.pot, e.amount, e.shares) for e in award.awards]
    if got != expected:
        # Whether the pots went to the wrong players or the right ones split wrongly (odd
        # chips) belongs to the shape: two failures, told apart.
        wrong = Message("awarded {got} (pot, amount, shares)", got=got) if \
            _winners(got) != _winners(expected) else \
            Message("split its pots {got} (pot, amount, shares)", got=got)
        raise fail("awards_correct",
                   "Hand {hand} {wrong}; the board {board}, the hands still in and pots "
                   "{pots} with the button on seat {button} give {expected}.", hand=s.hand_no,
                   wrong=wrong, board=cards_to_str(s.board), pots=s.pots, button=s.button,
                   expected=expected)
    awarded = sum(amount for _, amount, _ in got)
    if awarded != s.pot:
        raise fail("awards_correct", "Hand {hand} awarded {awarded} of a pot of {pot}.",
                   hand=s.hand_no, awarded=awarded, pot=s.pot)


def _winners(awards: list[Any]) -> list[tuple[int, tuple[int, ...]]]:
    """Each pot of ``awards`` and the seats it went to, whatever their shares."""
    return [(pot, tuple(sorted(seat for seat, _ in shares))) for pot, _, shares in awards]


def _showdown_awards(s: TableState, live: list[int]) -> list[Any]:
    """Each pot to the best hands among its eligible players, shown or not: one that could
    win or tie must have shown, so an engine that mucked it awarded the pot wrongly (one
    failure, whether a table shows it as a mucked winner or as a wrong winner shown)."""
    board = tuple(s.board)
    if len(board) != 5:
        raise fail("awards_correct", "Hand {hand} was settled at showdown between seats "
                                     "{seats} on a board of {cards} cards.", hand=s.hand_no,
                   seats=seats_text(live), cards=len(board))
    assert s.button is not None
    ranks: dict[int, tuple[int, ...]] = {}
    exact: dict[int, tuple[int, ...]] = {}  # by the reference evaluator, for ties
    expected = []
    for index, (amount, eligible) in _side_pots_first(s.pots):
        if not any(s.shown[x] for x in eligible):
            raise fail("awards_correct",
                       "Pot {index} of hand {hand} ({amount} chips) has no eligible player who "
                       "showed (eligible: {eligible}).", index=index, hand=s.hand_no,
                       amount=amount, eligible=seats_text(eligible))
        contenders = list(eligible)
        winners = (_best(s, contenders, board, ranks, exact) if len(contenders) > 1
                   else contenders)
        expected.append((index, amount,
                         oracle.split_shares(amount, winners, s.button, s.config.seats)))
    return expected


def _best(s: TableState, contenders: list[int], board: tuple[int, ...],
          ranks: dict[int, tuple[int, ...]], exact: dict[int, tuple[int, ...]]) -> list[int]:
    """The contenders with the best hand. Ranked by ``handrank.rank7``, which equals the
    brute-force reference and is far faster; a tie, where kickers decide who splits, is
    confirmed with the reference evaluator itself. ``ranks`` and ``exact`` keep each
    seat's ranks from pot to pot."""
    thorough = MODE.thorough
    for seat in contenders:
        if seat not in ranks:
            seven = _seven(s, seat, board)
            ranks[seat] = reference_evaluate(seven) if thorough else rank7(seven)
    winners = _top(contenders, ranks)
    if len(winners) > 1 and not thorough:
        for seat in contenders:
            if seat not in exact:
                exact[seat] = reference_evaluate(_seven(s, seat, board))
        winners = _top(contenders, exact)
    return winners


def _top(seats: list[int], ranks: dict[int, tuple[int, ...]]) -> list[int]:
    """The seats with the highest rank."""
    best = max(ranks[seat] for seat in seats)
    return [seat for seat in seats if ranks[seat] == best]


def _side_pots_first(pots: Sequence[oracle.Pot]) -> list[tuple[int, oracle.Pot]]:
    """``(index, pot)`` for each pot, the last side pot first and the main pot last."""
    return list(reversed(list(enumerate(pots))))


def _seven(s: TableState, seat: int, board: tuple[int, ...]) -> tuple[int, ...]:
    hole = s.hole[seat]
    if hole is None:
        raise fail("awards_correct", "Seat {seat} is in hand {hand} at showdown but holds no "
                                     "cards.", seat=seat, hand=s.hand_no)
    return (*hole, *board)


@invariant("showdown_order",
           "At showdown the last player to bet or raise on the river shows first, otherwise "
           "the first player left of the button; then every other player still in, "
           "clockwise, shows or mucks, once; the first one shows. When the board runs out "
           "with the betting over, every hand is tabled before it.",
           on=hand_ended)
def showdown_order(ctx: CheckContext) -> None:
    for record in ended_records(ctx):
        _check_showing_order(record)


def _check_showing_order(record: HandRecord) -> None:
    final = record.final
    if final is not None and sum(1 for s in final.order if not final.folded[s]) < 2:
        return  # won uncontested (most hands): awards_correct sees that no one showed
    seats = record.snapshot.config.seats
    folded: set[int] = set()
    board = 0
    aggressor: int | None = None  # the last to bet or raise on the river
    order: list[int] = []  # who showed or mucked, in turn
    first_mucked = False
    events = record.events
    last_turn = len(events) - 1  # the index of the last TurnStarted: betting ended after it
    while last_turn >= 0 and type(events[last_turn]) is not TurnStarted:
        last_turn -= 1
    run_out = -1  # the index of the first street dealt after betting ended
    shown_before = set()  # seats that showed before it
    for index, event in enumerate(events):  # type(event) tests narrow the event
        if type(event) is BoardDealt:
            if index > last_turn and run_out < 0:
                run_out = index
            board += len(event.cards)
        elif type(event) is Folded:
            folded.add(event.seat)
        elif (type(event) is BetMade or type(event) is RaisedTo) and board == 5:
            aggressor = event.seat
        elif type(event) is CardsShown or type(event) is CardsMucked:
            first_mucked = first_mucked or (not order and type(event) is CardsMucked)
            order.append(event.seat)
            if type(event) is CardsShown and run_out < 0:
                shown_before.add(event.seat)
        elif type(event) is HandEnded:
            break
    live = [seat for seat in record.started.dealt if seat not in folded]
    if len(live) < 2:
        return  # won uncontested: awards_correct sees that no one showed
    button = record.started.button
    first = (aggressor if aggressor is not None and aggressor not in folded
             else oracle.next_clockwise(live, button, seats))
    expected = list(oracle.clockwise_from(first, live, seats))
    if run_out >= 0 and shown_before != set(live):
        raise fail("showdown_order",
                   "Hand {hand} ran out the board with seats {live} in, but only seats {shown} "
                   "were tabled before it: with the betting over, every hand is shown.",
                   hand=record.hand_no, live=seats_text(live),
                   shown=seats_text(sorted(shown_before)))
    # Which rule gives the first to show (the river's aggressor, or the first seat left of
    # the button) is part of an order's shape; whether the first also mucked is a detail.
    who = (Message("seat {aggressor} bet or raised last on the river", aggressor=aggressor)
           if aggressor is not None else Message("no one bet on the river"))
    if order != expected:
        raise fail("showdown_order",
                   "Hand {hand} went to showdown with seats {live} ({who}, button {button}); "
                   "they showed or mucked in the order {order}{mucked}, the rules give "
                   "{expected}, the first showing.", hand=record.hand_no,
                   live=seats_text(live), who=who, button=button, order=seats_text(order),
                   mucked=" (the first mucked)" if first_mucked else "",
                   expected=seats_text(expected))
    if first_mucked:  # in the right order, but the first to show mucked
        raise fail("showdown_order",
                   "Hand {hand} went to showdown with seats {live} ({who}, button {button}); "
                   "they showed or mucked in the order {order} (the first mucked), the rules "
                   "give {expected}, the first showing.", hand=record.hand_no,
                   live=seats_text(live), who=str(who), button=button,
                   order=seats_text(order), expected=seats_text(expected))
