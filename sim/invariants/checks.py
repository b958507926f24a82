"""The invariants, run after every dispatch (see ``sim.invariants.base``).

Each check is cheap on the common path: it looks at the committed state, and does its
expensive work only when the events that concern it happened (``walk.kinds``). Checks that
need the table between two events of one dispatch share ``walk.walk``; rules are recomputed
by ``sim.invariants.oracle``, not by the engine's own rule code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sim.engine.actions import BETTING_CLASSES
from sim.engine.animation import Step, play
from sim.engine.cards import DECK_SIZE, cards_to_str
from sim.engine.evaluator import evaluate7, reference_evaluate
from sim.engine.events import (
    AntePosted,
    BetsCollected,
    BlindPosted,
    BoardDealt,
    CardsShown,
    HandEnded,
    HandStarted,
    HoleCardsDealt,
    PlayerLeft,
    PlayerSeated,
    PotAwarded,
    RebuyApplied,
)
from sim.engine.legal import LegalActions
from sim.engine.legal import legal_actions as engine_legal_actions
from sim.engine.log import HandRecord
from sim.engine.replay import Replayer
from sim.engine.state import (
    BETTING,
    FIELDS,
    FLOP,
    IDLE,
    PHASE_NAMES,
    PLAYING,
    STREET_NAMES,
    WAITING,
    TableState,
    total,
)
from sim.engine.views import PublicView, player_view, public_view, visible_cards
from sim.invariants import oracle
from sim.invariants.base import CheckContext, fail, invariant
from sim.invariants.handrank import rank7
from sim.invariants.steps import play_steps
from sim.invariants.walk import (
    CLOSERS,
    Award,
    Betting,
    Collection,
    RoundEnd,
    Start,
    kinds,
    mask,
    walk,
)

# Thorough mode does on every dispatch what the fast default does where it matters:
# animation.play on every frame (not only where hands start and end), every seat's view
# after every dispatch (not only when hole cards are dealt or shown), and the brute-force
# reference evaluator for every contender (not only for ties). About twice the cost.
THOROUGH = False

FULL_DECK: Final = frozenset(range(DECK_SIZE))


def _seats(seats: Sequence[int]) -> str:
    return ", ".join(str(s) for s in seats) or "none"


# -- chips ---------------------------------------------------------------------------------

CASH_EVENTS: Final = mask(PlayerSeated, RebuyApplied, PlayerLeft)


@invariant("chip_conservation",
           "Chips on the table (stacks, bets, pot) equal buy-ins + rebuys - cash-outs, and "
           "each dispatch changes them only by the buy-ins, rebuys and cash-outs it made.")
def chip_conservation(ctx: CheckContext) -> None:
    s, b = ctx.state, ctx.before
    chips = total(s.stack) + total(s.bet) + s.pot
    if chips != s.chips_in - s.chips_out:
        raise fail("chip_conservation",
                   f"The table holds {chips} chips (stacks {sum(s.stack)}, bets {sum(s.bet)}, "
                   f"pot {s.pot}) but chips in {s.chips_in} - chips out {s.chips_out} = "
                   f"{s.chips_in - s.chips_out}.")
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
        raise fail("chip_conservation",
                   f"Chips in rose by {s.chips_in - b.chips_in} and chips out by "
                   f"{s.chips_out - b.chips_out}, but the events bought in {bought} and "
                   f"cashed out {cashed}.")
    previous = total(b.stack) + total(b.bet) + b.pot
    if chips - previous != bought - cashed:
        raise fail("chip_conservation",
                   f"The table went from {previous} to {chips} chips, a change of "
                   f"{chips - previous}, but buy-ins, rebuys and cash-outs explain "
                   f"{bought - cashed}.")


@invariant("no_negative", "No stack, bet, contribution or pot is ever negative.")
def no_negative(ctx: CheckContext) -> None:
    s = ctx.state
    if s.pot < 0:
        raise fail("no_negative", f"The pot is {s.pot}.")
    for name, values in (("stack", s.stack), ("bet", s.bet), ("contrib", s.contrib)):
        for seat, value in enumerate(values):
            if value < 0:
                raise fail("no_negative", f"Seat {seat}'s {name} is {value}.")
    for index, (amount, _) in enumerate(s.pots):
        if amount <= 0:
            raise fail("no_negative", f"Pot {index} holds {amount} chips.")


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
                       f"Pot {s.pot} + bets {bets} = {s.pot + bets}, but the players "
                       f"contributed {contributed} this hand.")
        if s.pots and total([amount for amount, _ in s.pots]) != s.pot:
            raise fail("pot_consistency",
                       f"The pots {s.pots} add up to {sum(a for a, _ in s.pots)}, not the "
                       f"pot of {s.pot}.")
    if kinds(ctx) & COLLECTED:
        for collection in walk(ctx).collections:
            _check_collection(collection)


def _check_collection(c: Collection) -> None:
    pots, stray = oracle.pots_by_levels(c.contrib, c.live, c.all_in)
    got = [(amount, tuple(eligible)) for amount, eligible in c.event.pots]
    if stray:
        raise fail("pot_consistency",
                   f"Folded players put in {stray} chips more than any live player "
                   f"(contributions {c.contrib}); those chips belong in no pot.")
    unmatched = oracle.unmatched_top(c.contrib)
    if unmatched is not None:
        seat, top, second = unmatched
        raise fail("pot_consistency",
                   f"After collection seat {seat} has {top} chips in the pots but no one else "
                   f"more than {second}: the uncalled {top - second} should have gone back "
                   f"(contributions {c.contrib}).")
    if got != pots:
        raise fail("pot_consistency",
                   f"The bets were collected into pots {got}, but contributions {c.contrib} "
                   f"with live seats {_seats([s for s, x in enumerate(c.live) if x])} and "
                   f"all-in seats {_seats([s for s, x in enumerate(c.all_in) if x])} make "
                   f"{pots}.")
    collected = total([amount for amount, _ in got])
    if collected != c.pot:
        raise fail("pot_consistency",
                   f"The collected pots {got} add up to {collected}, not the pot of {c.pot}.")


# -- cards ---------------------------------------------------------------------------------

CARD_EVENTS: Final = mask(HandStarted, HoleCardsDealt, BoardDealt, CardsShown)
# Deck positions after the hole cards (2 per player): burn, flop x3, burn, turn, burn, river.
BURN_AT: Final = (0, 4, 6)
BOARD_AT: Final = (1, 2, 3, 5, 7)


@invariant("cards_unique",
           "Each hand's deck is a permutation of 52 cards; hole cards, burns and board come "
           "from the deck in dealing order, so no card appears twice.")
def cards_unique(ctx: CheckContext) -> None:
    if not kinds(ctx) & CARD_EVENTS:
        s = ctx.state
        if s.hand_no and s.deck_pos != 2 * len(s.order) + len(s.board) + len(s.burnt):
            raise fail("cards_unique",
                       f"The deck position is {s.deck_pos}, but {len(s.order)} players, "
                       f"{len(s.burnt)} burns and {len(s.board)} board cards used "
                       f"{2 * len(s.order) + len(s.board) + len(s.burnt)} cards.")
        return
    _check_card_events(ctx)
    _check_cards_in_state(ctx.state)


def _check_card_events(ctx: CheckContext) -> None:
    deck, order, hole = ctx.before.deck, ctx.before.order, list(ctx.before.hole)
    for event in ctx.events:  # type(event) tests narrow the event: direct field reads
        if type(event) is HandStarted:
            deck, order = event.deck, event.dealt
            if len(deck) != DECK_SIZE or frozenset(deck) != FULL_DECK:
                missing = sorted(FULL_DECK - set(deck))
                raise fail("cards_unique",
                           f"Hand {event.hand_no}'s deck has {len(deck)} cards and misses "
                           f"{cards_to_str(missing) or 'none'}: it is not a permutation of 52.")
            hole = [None] * len(hole)
        elif type(event) is HoleCardsDealt:
            seat, cards = event.seat, event.cards
            if seat not in order:
                raise fail("cards_unique", f"Seat {seat} got hole cards but is not dealt in.")
            k, n = order.index(seat), len(order)
            if cards != (deck[k], deck[n + k]):
                raise fail("cards_unique",
                           f"Seat {seat}, dealt {k + 1}th, got {cards_to_str(cards)}; the deck "
                           f"gives it {cards_to_str((deck[k], deck[n + k]))} (cards {k} and "
                           f"{n + k}).")
            hole[seat] = cards
        elif type(event) is BoardDealt:
            _check_board_event(event, deck, len(order))
        elif type(event) is CardsShown:
            seat = event.seat
            if event.cards != hole[seat]:
                raise fail("cards_unique",
                           f"Seat {seat} showed {cards_to_str(event.cards)} but holds "
                           f"{cards_to_str(hole[seat] or ())}.")


def _check_board_event(event: BoardDealt, deck: Sequence[int], players: int) -> None:
    street = event.street
    if not FLOP <= street <= 3:
        raise fail("cards_unique", f"A board was dealt for street {street}.")
    base = 2 * players
    burn = deck[base + BURN_AT[street - 1]]
    first = 0 if street == FLOP else street + 1  # board index: flop 0..2, turn 3, river 4
    count = 3 if street == FLOP else 1
    cards = tuple(deck[base + BOARD_AT[i]] for i in range(first, first + count))
    if event.burnt != burn or event.cards != cards:
        raise fail("cards_unique",
                   f"The {STREET_NAMES[street]} burnt {cards_to_str((event.burnt,))} and dealt "
                   f"{cards_to_str(event.cards)}; the deck gives burn {cards_to_str((burn,))} "
                   f"and {cards_to_str(cards)}.")


def _check_cards_in_state(s: TableState) -> None:
    if not s.hand_no:
        return
    deck, order = s.deck, s.order
    n = len(order)
    base = 2 * n
    dealt = set(order)
    for seat, cards in enumerate(s.hole):
        if seat in dealt:
            k = order.index(seat)
            expected = (deck[k], deck[n + k])
            if cards is not None and cards != expected:
                raise fail("cards_unique",
                           f"Seat {seat} holds {cards_to_str(cards)} but was dealt "
                           f"{cards_to_str(expected)}.")
        elif cards is not None and s.phase != IDLE:
            raise fail("cards_unique",
                       f"Seat {seat} holds {cards_to_str(cards)} but is not dealt in.")
    board = tuple([deck[base + i] for i in BOARD_AT[:len(s.board)]])
    burnt = tuple([deck[base + i] for i in BURN_AT[:len(s.burnt)]])
    if s.board != board or s.burnt != burnt:
        raise fail("cards_unique",
                   f"The board {cards_to_str(s.board)} and burns {cards_to_str(s.burnt)} are "
                   f"not the deck's {cards_to_str(board)} and {cards_to_str(burnt)}.")
    used = [c for seat in order for c in (s.hole[seat] or ())] + [*s.board, *s.burnt]
    if len(set(used)) != len(used):
        raise fail("cards_unique", f"A card appears twice among {cards_to_str(used)}.")


# -- whose turn ----------------------------------------------------------------------------

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


# -- betting rounds and hand length --------------------------------------------------------

@invariant("round_closure",
           "A betting round closes only when every live player with chips has acted and "
           "matched the bet; streets are dealt only with two players in, and showdown only "
           "on a full board.")
def round_closure(ctx: CheckContext) -> None:
    if not kinds(ctx) & CLOSERS:
        return
    done = walk(ctx)
    for end in done.round_ends:
        _check_round_end(end)
    for award in done.awards:
        s = award.state
        live = [x for x in s.order if not s.folded[x]]
        if len(live) > 1 and len(s.board) != 5:
            raise fail("round_closure",
                       f"Hand {s.hand_no} went to showdown between seats {_seats(live)} "
                       f"with {len(s.board)} board cards.")


def _check_round_end(end: RoundEnd) -> None:
    street = STREET_NAMES[end.street]
    closer = type(end.closer).__name__
    if type(end.closer) is BoardDealt and len(end.live) < 2:
        raise fail("round_closure",
                   f"The next street was dealt after the {street} with only seats "
                   f"{_seats(end.live)} in the hand.")
    if len(end.live) < 2:
        return
    if len(end.able) == 1 and oracle.dead_decision(end.able[0], end.order, end.folded,
                                                   end.stack, end.contrib):
        return  # alone with chips, and no one can win more from it: no decision to wait for
    for seat in end.able:
        if end.bet[seat] < end.level:
            raise fail("round_closure",
                       f"The {street} betting round closed ({closer}) while seat {seat} had "
                       f"bet {end.bet[seat]} of {end.level} with chips behind.")
        if end.acted[seat] == oracle.NOT_ACTED:
            raise fail("round_closure",
                       f"The {street} betting round closed ({closer}) before seat {seat} "
                       "acted.")


ENDED: Final = mask(HandEnded)


@invariant("liveness",
           "Every hand ends within a bounded number of actions and betting dispatches, and "
           "an idle table is idle only because fewer than two players can play.")
def liveness(ctx: CheckContext) -> None:
    s = ctx.state
    config = s.config
    bound = oracle.hand_action_bound(s.chips_in - s.chips_out, config.big_blind, config.seats)
    if s.hand_actions > bound:
        raise fail("liveness",
                   f"Hand {s.hand_no} has taken {s.hand_actions} actions, more than the "
                   f"bound of {bound} for {s.chips_in - s.chips_out} chips, big blind "
                   f"{config.big_blind} and {config.seats} seats.")
    ended = bool(kinds(ctx) & ENDED)
    events_bound = (sum(type(e) is HandEnded for e in ctx.events) + 1 if ended else 1) * (
        3 * bound + 12 * config.seats + 16)
    if len(ctx.events) > events_bound:
        raise fail("liveness", f"One dispatch produced {len(ctx.events)} events, more than "
                               f"the bound of {events_bound}.")
    if ended:
        for record in _ended_records(ctx):
            turns = sum(1 for action, _ in record.steps
                        if type(action) in BETTING_CLASSES)
            if turns > bound:
                raise fail("liveness", f"Hand {record.hand_no} took {turns} betting "
                                       f"dispatches, more than the bound of {bound}.")
    if s.phase == IDLE and not ctx.controller.stop_at_hand_end:
        startable = oracle.dealable([p is not None for p in s.player], s.stack, s.status,
                                    s.will_post, PLAYING, WAITING)
        if startable is not None:
            raise fail("liveness",
                       f"The table is idle although seats {_seats(startable[0])} could "
                       "start a hand.")


def _ended_records(ctx: CheckContext) -> list[HandRecord]:
    """The records of the hands that ended during this dispatch, oldest first."""
    numbers = [e.hand_no for e in ctx.events if isinstance(e, HandEnded)]
    found = {r.hand_no: r for r in ctx.log.hands if r.hand_no in numbers}
    if ctx.ended is not None:
        found[ctx.ended.hand_no] = ctx.ended
    return [found[n] for n in numbers if n in found]


# -- starting a hand -----------------------------------------------------------------------

POSTING: Final = mask(HandStarted, AntePosted, BlindPosted)


@invariant("button_and_blinds",
           "The button moves to the next seat sitting in with chips; the small and big "
           "blinds follow it (heads-up the button posts the small blind); antes and blinds "
           "post min(amount, stack) in order.")
def button_and_blinds(ctx: CheckContext) -> None:
    if not kinds(ctx) & POSTING:
        return
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
                       f"in ({_seats(sitting_in)}).")
    else:
        button = oracle.next_clockwise(sitting_in, prior.button, n)
        if e.button != button:
            raise fail("button_and_blinds",
                       f"The button moved from seat {prior.button} to seat {e.button}; the "
                       f"next seat sitting in with chips is seat {button} (sitting in: "
                       f"{_seats(sitting_in)}).")
    small, big = oracle.blind_seats(e.button, sitting_in, waiters, n)
    if (e.small_blind_seat, e.big_blind_seat) != (small, big):
        raise fail("button_and_blinds",
                   f"With the button on seat {e.button} the blinds are seats "
                   f"{e.small_blind_seat} and {e.big_blind_seat}; they should be seats {small} "
                   f"and {big} (sitting in: {_seats(sitting_in)}, waiting: {_seats(waiters)}).")
    dealt = oracle.clockwise_from((e.button + 1) % n,
                                  sorted(set(sitting_in) | set(posters) | {big}), n)
    if e.dealt != dealt or tuple(sorted(e.posters)) != tuple(sorted(posters)):
        raise fail("button_and_blinds",
                   f"Hand {e.hand_no} deals in seats {_seats(e.dealt)} with posters "
                   f"{_seats(e.posters)}; expected seats {_seats(dealt)} with posters "
                   f"{_seats(posters)}.")
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
                   f"{[base.stack[s] for s in base.order]} (seats {_seats(base.order)}) the "
                   f"posts are {expected}.")


# -- awards --------------------------------------------------------------------------------

SETTLING: Final = mask(PotAwarded, HandEnded)


@invariant("awards_correct",
           "Each pot goes to the best hand among its eligible players who showed (by the "
           "brute-force reference evaluator), split with odd chips from the first seat left "
           "of the button, side pots first; an uncontested hand gives every pot to the "
           "last player in, unshown.")
def awards_correct(ctx: CheckContext) -> None:
    if not kinds(ctx) & SETTLING:
        return
    for award in walk(ctx).awards:
        _check_award(award)


def _check_award(award: Award) -> None:
    s = award.state
    live = [x for x in s.order if not s.folded[x]]
    if len(live) == 1:
        winner = live[0]
        if True in s.shown:
            raise fail("awards_correct",
                       f"Hand {s.hand_no} was won uncontested by seat {winner}, yet seats "
                       f"{_seats([x for x in s.order if s.shown[x]])} showed cards.")
        # Side pots first; descending ranges, not reversed() (compiled, builtins are
        # called through Python).
        expected = [(i, s.pots[i][0], ((winner, s.pots[i][0]),))
                    for i in range(len(s.pots) - 1, -1, -1)]
    else:
        expected = _showdown_awards(s, live)
    got = [(e.pot, e.amount, e.shares) for e in award.awards]
    if got != expected:
        raise fail("awards_correct",
                   f"Hand {s.hand_no} awarded {got} (pot, amount, shares); the board "
                   f"{cards_to_str(s.board)}, the hands shown and pots {s.pots} with the "
                   f"button on seat {s.button} give {expected}.")
    if sum(amount for _, amount, _ in got) != s.pot:
        raise fail("awards_correct",
                   f"Hand {s.hand_no} awarded {sum(a for _, a, _ in got)} of a pot of "
                   f"{s.pot}.")


def _showdown_awards(s: TableState, live: list[int]) -> list[Any]:
    board = tuple(s.board)
    if len(board) != 5:
        raise fail("awards_correct", f"Hand {s.hand_no} was settled at showdown between seats "
                                     f"{_seats(live)} on a board of {len(board)} cards.")
    assert s.button is not None
    ranks: dict[int, tuple[int, ...]] = {}
    exact: dict[int, tuple[int, ...]] = {}  # by the reference evaluator, for ties
    expected = []
    for index in range(len(s.pots) - 1, -1, -1):  # side pots first
        amount, eligible = s.pots[index]
        contenders = [x for x in eligible if s.shown[x]]
        if not contenders:
            raise fail("awards_correct",
                       f"Pot {index} of hand {s.hand_no} ({amount} chips) has no eligible "
                       f"player who showed (eligible: {_seats(eligible)}).")
        winners = (_best(s, contenders, board, ranks, exact) if len(contenders) > 1
                   else contenders)
        expected.append((index, amount,
                         oracle.split_shares(amount, winners, s.button, s.config.seats)))
    _check_mucks(s, live, board)
    return expected


def _best(s: TableState, contenders: list[int], board: tuple[int, ...],
          ranks: dict[int, tuple[int, ...]], exact: dict[int, tuple[int, ...]]) -> list[int]:
    """The contenders with the best hand. Ranked by ``handrank.rank7``, which equals the
    brute-force reference and is far faster; a tie, where kickers decide who splits, is
    confirmed with the reference evaluator itself. ``ranks`` and ``exact`` keep each
    seat's ranks from pot to pot."""
    thorough = THOROUGH
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
    """The seats with the highest rank (a loop, not max(): see _check_award)."""
    best = ranks[seats[0]]
    for seat in seats:
        if ranks[seat] > best:
            best = ranks[seat]
    return [seat for seat in seats if ranks[seat] == best]


def _seven(s: TableState, seat: int, board: tuple[int, ...]) -> tuple[int, ...]:
    hole = s.hole[seat]
    if hole is None:
        raise fail("awards_correct", f"Seat {seat} is in hand {s.hand_no} at showdown but "
                                     "holds no cards.")
    return (*hole, *board)


def _check_mucks(s: TableState, live: list[int], board: tuple[int, ...]) -> None:
    """A player mucks only a hand that can neither win nor tie any pot it is in."""
    mucked = [x for x in live if not s.shown[x]]
    if not mucked:
        return
    strength = {x: evaluate7(_seven(s, x, board)) for x in live}
    for seat in mucked:
        for index, (_, eligible) in enumerate(s.pots):
            if seat in eligible:
                shown = [strength[x] for x in eligible if s.shown[x]]
                if not shown or strength[seat] >= max(shown):
                    raise fail("awards_correct",
                               f"Seat {seat} mucked {cards_to_str(s.hole[seat] or ())} in "
                               f"hand {s.hand_no} although it wins or ties pot {index} on "
                               f"{cards_to_str(board)}.")


# -- what players see ----------------------------------------------------------------------

@invariant("animation_sanity",
           "Playing the dispatch's animation steps from its before-view gives its "
           "after-view, which is the public view of the state; the chips the steps move "
           "add up to the real stack changes.")
def animation_sanity(ctx: CheckContext) -> None:
    frame = ctx.animator.last
    if frame is None:
        raise fail("animation_sanity", "The animator recorded no frame for this dispatch.")
    # The steps are played by this package's own reading of them; the engine's player
    # (animation.play, which clients use) is called too when THOROUGH, and on a mismatch, to
    # say which of the two disagrees. (The tests hold the two equal on thousands of frames.)
    edge = bool(kinds(ctx) & HAND_EDGES)
    thorough = THOROUGH
    played = (play(frame.before, frame.steps) if thorough
              else play_steps(frame.before, frame.steps))
    stacks = [seat.stack for seat in played.seats]
    if stacks != ctx.state.stack:
        seat = next(x for x, chips in enumerate(stacks) if chips != ctx.state.stack[x])
        raise fail("animation_sanity",
                   f"The steps move seat {seat} from {frame.before.seats[seat].stack} to "
                   f"{stacks[seat]} chips, but its stack became {ctx.state.stack[seat]}.")
    if played != frame.after:
        by_engine = played if thorough else play(frame.before, frame.steps)
        if by_engine != frame.after:
            raise fail("animation_sanity",
                       "Playing the steps gives a view that differs from the frame's "
                       f"after-view in {_view_difference(by_engine, frame.after)}.")
        if played != by_engine:
            raise fail("animation_sanity",
                       "animation.play and the steps' documented meaning disagree in "
                       f"{_view_difference(played, by_engine)}.")
    # The after-view against the state: rebuilt in full where hands start and end; in
    # between, the fields a dispatch changes (a wrong seat field in between shows up above,
    # as steps that do not play to the after-view).
    s = ctx.state
    if edge or thorough:
        now = public_view(s)
        if frame.after != now:
            raise fail("animation_sanity",
                       "The frame's after-view differs from the public view of the state in "
                       f"{_view_difference(frame.after, now)}.")
    else:
        state_print = (s.hand_no, s.to_act, s.pot, len(s.board), s.stack, s.bet)
        if _fingerprint(frame.after) != state_print:
            raise fail("animation_sanity",
                       "The frame's after-view (hand, to act, pot, board size, stacks, bets) "
                       f"{_fingerprint(frame.after)} is not the state's {state_print}.")


def _fingerprint(view: PublicView) -> tuple[Any, ...]:
    return (view.hand_no, view.to_act, view.pot, len(view.board),
            [seat.stack for seat in view.seats], [seat.bet for seat in view.seats])


HAND_EDGES: Final = mask(HandStarted, HandEnded)


def _view_difference(mine: Any, theirs: Any) -> str:
    for name in mine.FIELDS:
        a, b = getattr(mine, name), getattr(theirs, name)
        if name == "seats" and a != b:
            for seat, (x, y) in enumerate(zip(a, b, strict=True)):
                if x != y:
                    fields = [f"{f} {getattr(x, f)!r} vs {getattr(y, f)!r}" for f in x.FIELDS
                              if getattr(x, f) != getattr(y, f)]
                    return f"seat {seat}: {', '.join(fields)}"
        if a != b:
            return f"{name}: {a!r} vs {b!r}"
    return "nothing"


# Events that change which hole cards exist or are shown. Only then is every seat's view
# built (each view is a function of the state, and building one per seat is the costly
# part); otherwise the public after-view of the animation is checked.
VIEW_EVENTS: Final = mask(HoleCardsDealt, CardsShown)


@invariant("no_private_leak",
           "A player's view reveals only their own hole cards, the board and cards shown; "
           "the public view and the animation steps carry no hole card that was not shown.")
def no_private_leak(ctx: CheckContext) -> None:
    s = ctx.state
    public = set(s.board)
    for seat, cards in enumerate(s.hole):
        if cards is not None and s.shown[seat]:
            public.update(cards)
    frame = ctx.animator.last
    if frame is not None:
        leaked = visible_cards(frame.after) - public
        if leaked:
            raise fail("no_private_leak",
                       f"The public view reveals {cards_to_str(sorted(leaked))}.")
        for step in frame.steps:  # a loop, not any(): see oracle.others_with_chips
            if step.cards:
                _check_steps(ctx, frame.steps)
                break
    if not THOROUGH and not kinds(ctx) & VIEW_EVENTS:
        return  # no hole card dealt or shown: every view was checked when they last were
    # Each view is built as the harness builds the bots' views: on the animator's public
    # view of the state (checked above), with the viewer's own cards added.
    shared = ctx.animator.view_of(s)
    legal = ctx.controller.legal_actions() if ctx.controller.state is s else None
    for viewer in range(s.config.seats):
        if s.player[viewer] is None:
            continue
        view = player_view(s, viewer, shared, legal)
        own = s.hole[viewer] or ()
        leaked = visible_cards(view.public) - public - set(own)
        if leaked or view.hole != s.hole[viewer]:
            raise fail("no_private_leak",
                       f"Seat {viewer}'s view reveals {cards_to_str(sorted(leaked))} "
                       f"(its own cards are {cards_to_str(own)}, public cards "
                       f"{cards_to_str(sorted(public))}).")


def _check_steps(ctx: CheckContext, steps: tuple[Step, ...]) -> None:
    """Per hand of the dispatch (a ``new_hand`` step opens the next), no step may carry a
    hole card of that hand that was not shown."""
    before = ctx.before
    private = {c for seat, cards in enumerate(before.hole) if cards and not before.shown[seat]
               for c in cards}
    hands = [private]
    shown: list[set[int]] = [set()]
    for event in ctx.events:
        if type(event) is HandStarted:
            hands.append(set())
            shown.append(set())
        elif type(event) is HoleCardsDealt:
            hands[-1].update(event.cards)
        elif type(event) is CardsShown:
            shown[-1].update(event.cards)
    hand = 0
    for step in steps:
        if step.kind == "new_hand":  # its cards are the dealt seats' numbers
            hand += 1
            continue
        if step.cards and hand < len(hands):
            leaked = (hands[hand] - shown[hand]).intersection(step.cards)
            if leaked:
                raise fail("no_private_leak",
                           f"The public animation step {step.kind} for seat {step.seat} "
                           f"carries the unshown hole card(s) {cards_to_str(sorted(leaked))}.")


# -- replay --------------------------------------------------------------------------------

@invariant("replay",
           "Replaying a finished hand's actions from its snapshot re-derives the recorded "
           "events, step by step, and the final state.")
def replay(ctx: CheckContext) -> None:
    if ctx.ended is None and not kinds(ctx) & ENDED:
        return
    records = _ended_records(ctx) or ([ctx.ended] if ctx.ended is not None else [])
    for record in records:
        replayer = Replayer(record, keep_states=False)
        if replayer.mismatches:
            first = replayer.mismatches[0]
            raise fail("replay", f"Replaying hand {record.hand_no} parted from the log at "
                                 f"dispatch {first.step}: {first.message}")
        if not replayer.final_matches():
            raise fail("replay", f"Replaying hand {record.hand_no}'s actions ends in a state "
                                 f"that differs from the recorded final state in "
                                 f"{_state_difference(replayer.states[-1], record.final)}.")


def _state_difference(mine: TableState, theirs: TableState | None) -> str:
    if theirs is None:
        return "everything: the record has no final state"
    names = [n for n in FIELDS if getattr(mine, n) != getattr(theirs, n)]
    return ", ".join(f"{n} ({getattr(mine, n)!r} vs {getattr(theirs, n)!r})"
                     for n in names[:3]) or "nothing"
