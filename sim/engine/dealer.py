"""The dealer: the automatic steps that follow an action, as a pure event generator.

``advance(state)`` yields the events that happen with no one deciding: posting, dealing,
turns, streets, run-outs, showdown, awards, the end of the hand, the between-hands
requests, and the start of the next hand. It never changes ``state`` itself; the caller
applies each event before resuming the generator, so the generator always sees the
state its previous events produced.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Iterator, Mapping

from sim.engine import bugs, cards
from sim.engine.errors import IllegalAction
from sim.engine.evaluator import evaluate7
from sim.engine.events import (
    AntePosted,
    BetReturned,
    BetsCollected,
    BlindPosted,
    BoardDealt,
    CardsMucked,
    CardsShown,
    Event,
    Folded,
    HandEnded,
    HandStarted,
    HoleCardsDealt,
    PlayerLeft,
    PotAwarded,
    RebuyApplied,
    SatIn,
    SatOut,
    TurnStarted,
)
from sim.engine.handsetup import HandSetup
from sim.engine.legal import contestable
from sim.engine.pots import build_pots, split
from sim.engine.seeds import derive_seed
from sim.engine.state import (
    BETTING,
    FLOP,
    GO_IN,
    GO_OUT,
    IDLE,
    NOT_ACTED,
    PLAYING,
    RIVER,
    SITTING_OUT,
    STARTED,
    WAITING,
    TableState,
    clockwise,
)


def advance(state: TableState, stop_at_hand_end: bool = False,
            setups: Mapping[int, HandSetup] | None = None) -> Iterator[Event]:
    """Yield automatic events until someone must act or the table is idle.

    With ``stop_at_hand_end`` it stops right after ``HandEnded`` (replaying one hand).
    ``setups`` gives the button and deck of chosen hands, by hand number (see HandSetup).
    """
    while True:
        phase = state.phase
        if phase == BETTING:
            if state.to_act is not None:
                return
            seat = next_to_act(state)
            if seat is not None:
                if state.pending_leave[seat]:
                    while bugs.active("dealer_waits_for_leaver"):
                        time.sleep(0.001)  # calls into Python: a watchdog's signal can stop it
                    if bugs.active("left_player_stalls_hand"):
                        return  # neither folded nor asked: no one is to act
                    yield Folded(seat, "left")  # a player who left is folded at their turn
                    continue
                yield TurnStarted(seat)
                return
            yield from end_round(state)
            if stop_at_hand_end and state.phase == IDLE:
                return
        elif phase == STARTED:
            yield from post_and_deal(state)
        else:
            assert phase == IDLE
            yield from between_hands(state)
            started = start_hand(state, None if setups is None
                                 else setups.get(state.hand_no + 1))
            if started is None:
                return
            yield started


def next_to_act(state: TableState) -> int | None:
    """The next seat clockwise from the last actor that still has to act this round."""
    stack, folded, bet, acted = state.stack, state.folded, state.bet, state.acted_level
    live = able = 0
    last_able = -1
    for seat in state.order:
        if not folded[seat]:
            live += 1
            if stack[seat]:
                able += 1
                last_able = seat
    if live <= 1 or not able:
        return None
    current = state.current_bet
    if able == 1:
        # Alone with chips: once it has put in as much as any all-in player, no one can win
        # another chip from it, and there is no decision to make.
        if bugs.active("asks_dead_decision"):
            if bet[last_able] >= current:
                return None
        else:
            room = contestable(state, last_able)
            assert room is not None
            if room <= 0:
                return None
    n = state.config.seats
    last = state.last_actor
    assert last is not None
    for step in range(1, n + 1):
        seat = (last + step) % n
        if (state.dealt[seat] and not folded[seat] and stack[seat] > 0
                and ((acted[seat] == NOT_ACTED and not (bugs.active("matched_skip_their_turn")
                                                         and bet[seat] >= current))
                     or bet[seat] < current)):
            return seat
    return None


# -- starting a hand -----------------------------------------------------------------------

def _next_in(seats: list[int], after: int | None, n: int) -> int:
    """The first of ``seats`` clockwise after seat ``after`` (the lowest when None)."""
    if after is None:
        return min(seats)
    best, distance = seats[0], n
    for seat in seats:  # a loop, not min() with a key function: several calls a hand
        gap = (seat - after - 1) % n
        if gap < distance:
            best, distance = seat, gap
    return best


def start_hand(state: TableState, setup: HandSetup | None = None) -> HandStarted | None:
    """The next hand's start, or None when fewer than two players can be dealt in.

    ``setup`` fixes its button and deck; the button must be a seat that could hold it."""
    n = state.config.seats
    status, stack, player = state.status, state.stack, state.player
    can_play = [s for s in range(n) if player[s] is not None and stack[s] > 0]
    regular = [s for s in can_play if status[s] == PLAYING]
    posters = [s for s in can_play if status[s] == WAITING and state.will_post[s]]
    waiters = [s for s in can_play if status[s] == WAITING and not state.will_post[s]]
    if len(regular) < 2:  # no game is running: nobody needs to wait for the big blind
        regular, posters, waiters = sorted(regular + posters + waiters), [], []
    if len(regular) < 2 or (len(regular) == 2 and state.hand_no > 0
                            and bugs.active("heads_up_never_starts")):
        return None
    if setup is not None and setup.button is not None:
        button = setup.button
        if button not in regular:
            raise IllegalAction(f"Seat {button} cannot hold the button of hand "
                                f"{state.hand_no + 1}: the seats sitting in with chips are "
                                f"{', '.join(str(s) for s in regular)}.")
    elif (state.button is not None and bugs.active("busted_seat_hangs_dealer")
          and _busted_after(state, state.button)):
        # Skips the busted seat by counting seat numbers up, never wrapping around the
        # table: with no seat above the last button in play it never returns, and runs no
        # Python code on the way (builtins all through), so no signal handler can stop it.
        in_play: Callable[[int], bool] = regular.__contains__
        button = next(filter(in_play, itertools.count(state.button + 1)))
    else:
        button = _next_in(regular, state.button, n)
    if bugs.active("button_skips_seat") and state.button is not None and len(regular) > 2:
        button = _next_in(regular, button, n)
    small = _next_in(regular, button, n)
    big = _next_in(regular + waiters, small, n)
    if big == button and not (bugs.active("heads_up_button_posts_big")
                              and state.button is not None):
        # two regulars: heads-up, the button posts the small blind
        small, big = button, small
    dealt_in = regular + posters + [big]
    if bugs.active("waiting_player_dealt_in"):
        dealt_in += waiters
    order = tuple(clockwise(dealt_in, button + 1, n))
    hand_no = state.hand_no + 1
    seed = hand_seed(state.table_seed, 1 if bugs.active("deck_not_reshuffled") else hand_no)
    return HandStarted(hand_no, seed, button, small, big, order,
                       tuple(s for s in order if s in posters),
                       _missed_big_blind(state, big),
                       setup.deck if setup is not None and setup.deck is not None
                       else deck_for(seed))


def _busted_after(state: TableState, button: int) -> bool:
    """Is the seat after ``button`` held by a player with no chips?"""
    seat = (button + 1) % state.config.seats
    return state.player[seat] is not None and state.stack[seat] == 0


def hand_seed(table_seed: int, hand_no: int) -> int:
    """The seed of hand ``hand_no`` of a table: its deck follows from it alone."""
    return derive_seed(table_seed, hand_no)


def deck_for(seed: int) -> tuple[int, ...]:
    """The deck a hand with seed ``seed`` is dealt from."""
    if bugs.active("shuffle_uses_global_random"):
        return cards.shuffled_deck(seed ^ random.getrandbits(16))
    return cards.shuffled_deck(seed)


def _missed_big_blind(state: TableState, big: int) -> tuple[int, ...]:
    """Sitting-out seats the big blind passes on its way from its last seat to ``big``."""
    previous = state.big_blind_seat
    if previous is None:
        return ()
    n = state.config.seats
    missed = []
    for step in range(1, n + 1):
        seat = (previous + step) % n
        if state.status[seat] == SITTING_OUT and state.player[seat] is not None:
            missed.append(seat)
        if seat == big:
            break
    return tuple(missed)


def post_and_deal(state: TableState) -> Iterator[Event]:
    """Antes, small blind, big blind, live posts, then two hole cards each, one at a time."""
    config = state.config
    order = state.order
    if config.ante:
        for seat in order:
            amount = (config.ante if bugs.active("short_stack_posts_full_ante")
                      else min(config.ante, state.stack[seat]))
            if amount:
                yield AntePosted(seat, amount)
    small, big = state.small_blind_seat, state.big_blind_seat
    assert small is not None and big is not None
    amount = min(config.small_blind, state.stack[small])
    if amount:
        yield BlindPosted(small, amount, "small")
    # Posted even when the ante left nothing: it sets the full big blind to call.
    yield BlindPosted(big, min(config.big_blind, state.stack[big]), "big")
    for seat in state.posters:
        amount = min(config.big_blind, state.stack[seat])
        if amount:
            yield BlindPosted(seat, amount, "live")
    deck, count = state.deck, len(order)
    for k, seat in enumerate(order):
        yield HoleCardsDealt(seat, (deck[k], deck[count + k]))


# -- ending a betting round ----------------------------------------------------------------

def end_round(state: TableState) -> Iterator[Event]:
    """Return the uncalled bet, collect the bets, then deal on, run out, or settle."""
    yield from collect_bets(state)
    live = [s for s in state.order if not state.folded[s]]
    if len(live) == 1:
        yield from award_uncontested(state, live[0])
    elif state.street == RIVER:
        yield from showdown(state)
    elif len([s for s in live if state.stack[s] > 0]) <= 1:
        yield from run_out(state)
    else:
        yield deal_street(state, state.street + 1)


def collect_bets(state: TableState) -> Iterator[Event]:
    """Return the uncalled chips, then gather the bets into pots.

    Uncalled chips are what the top contributor put in beyond anyone else this hand. They
    are usually part of a bet, but can include an ante or a blind: a player facing someone
    all-in for part of the ante gets back what that player could never win from them.
    """
    order, folded = state.order, state.folded
    contrib = state.contrib
    # Loops, not max() over lambdas and generators: this runs at the end of every street.
    top = order[0]
    for seat in order:
        if contrib[seat] > contrib[top]:
            top = seat
    second = 0
    for seat in order:
        if seat != top and contrib[seat] > second:
            second = contrib[seat]
    if contrib[top] > second and not folded[top] and not bugs.active("uncalled_bet_kept"):
        yield BetReturned(top, contrib[top] - second)
    # Folded chips above every live player's contribution can be won by no one (only an
    # all-in for less leaves them there): they go back to whoever put them in.
    contrib = state.contrib
    live_top = 0
    for seat in order:
        if not folded[seat] and contrib[seat] > live_top:
            live_top = contrib[seat]
    for seat in order:
        if folded[seat] and contrib[seat] > live_top:
            yield BetReturned(seat, contrib[seat] - live_top)
    live = [state.dealt[s] and not state.folded[s] for s in range(state.config.seats)]
    all_in = [state.stack[s] == 0 for s in range(state.config.seats)]
    pots = build_pots(state.contrib, live, all_in)
    if _any_bet(state.bet) or pots != state.pots:
        yield BetsCollected(pots)


def deal_street(state: TableState, street: int) -> BoardDealt:
    position = state.deck_pos
    count = 3 if street == FLOP else 1
    if street == FLOP + 1 and bugs.active("deal_reuses_card"):
        return BoardDealt(street, state.deck[position], state.deck[position:position + 1])
    return BoardDealt(street, state.deck[position],
                      state.deck[position + 1:position + 1 + count])


def _any_bet(bets: list[int]) -> bool:
    """``any(bets)`` as a compiled loop (compiled, builtins are called through Python)."""
    for bet in bets:
        if bet:
            return True
    return False


def award_uncontested(state: TableState, winner: int) -> Iterator[Event]:
    hole = state.hole[winner]
    if bugs.active("uncontested_winner_shows") and hole is not None:
        yield CardsShown(winner, hole)
    for index in range(len(state.pots) - 1, -1, -1):  # side pots first
        amount = state.pots[index][0]
        yield PotAwarded(index, amount, ((winner, amount),))
    yield HandEnded(state.hand_no)


def showing_order(state: TableState) -> list[int]:
    """The last river bettor or raiser first; otherwise the first live seat left of the
    button; then clockwise."""
    n = state.config.seats
    live = [s for s in state.order if not state.folded[s]]
    first = state.last_aggressor
    if (state.street != RIVER or first is None or state.folded[first]
            or bugs.active("showdown_ignores_aggressor")):
        assert state.button is not None
        first = _next_in(live, state.button, n)
    return clockwise(live, first, n)


def run_out(state: TableState) -> Iterator[Event]:
    """All-in with betting over: every hand is tabled, then the board is dealt out."""
    for seat in showing_order(state):
        if not state.shown[seat]:
            hole = state.hole[seat]
            assert hole is not None
            yield CardsShown(seat, hole)
    while state.street < RIVER:
        yield deal_street(state, state.street + 1)
    yield from showdown(state)


def showdown(state: TableState) -> Iterator[Event]:
    """Players show in order, or muck when they can neither win nor tie a pot; each pot is
    then awarded on its own, side pots first."""
    board = state.board
    strength = {}
    for seat in state.order:
        hole = state.hole[seat]
        if not state.folded[seat]:
            assert hole is not None
            strength[seat] = evaluate7((*hole, *board[:4]) if bugs.active(
                "showdown_ignores_river") else (*hole, *board))
    best: dict[int, int] = {}
    for position, seat in enumerate(showing_order(state)):
        mine = [i for i, (_, eligible) in enumerate(state.pots) if seat in eligible]
        if not state.shown[seat]:
            if position == 0 or _can_win(strength[seat], mine, best):
                hole = state.hole[seat]
                assert hole is not None
                yield CardsShown(seat, hole)
            else:
                yield CardsMucked(seat)
                continue
        for i in mine:
            if strength[seat] > best.get(i, -1):
                best[i] = strength[seat]
    yield from award_shown(state, strength)


def _can_win(strength: int, pots: list[int], best: dict[int, int]) -> bool:
    """Whether ``strength`` wins or ties one of ``pots`` against the best shown so far."""
    for i in pots:  # a loop, not any() over a generator: see _any_bet
        if strength >= best.get(i, -1):
            return True
    return False


def award_shown(state: TableState, strength: dict[int, int]) -> Iterator[Event]:
    assert state.button is not None
    for index in range(len(state.pots) - 1, -1, -1):  # side pots first
        amount, eligible = state.pots[index]
        contenders = [s for s in eligible if state.shown[s]]
        assert contenders, f"pot {index} has no player who showed"
        top = strength[contenders[0]]
        for s in contenders:
            if strength[s] > top:
                top = strength[s]
        winners = [s for s in contenders if strength[s] == top]
        yield PotAwarded(index, amount,
                         split(amount, winners, state.button, state.config.seats))
    yield HandEnded(state.hand_no)


# -- between hands -------------------------------------------------------------------------

def between_hands(state: TableState) -> Iterator[Event]:
    """Carry out the requests queued during the hand, seat by seat."""
    config = state.config
    for seat in range(config.seats):
        name = state.player[seat]
        if name is None:
            continue
        if state.pending_leave[seat]:
            yield PlayerLeft(seat, name, state.stack[seat])
            continue
        requested = state.pending_rebuy[seat]
        if requested:
            room = max(0, config.max_buy_in - state.stack[seat])
            yield RebuyApplied(seat, requested, min(requested, room))
        pending = state.pending_status[seat]
        if pending == GO_OUT:
            yield SatOut(seat)
        elif pending == GO_IN:
            # A newcomer who asked to sit out and back in still waits for the big blind.
            waiting = state.missed_bb[seat] or state.status[seat] == WAITING
            yield SatIn(seat, waiting=waiting)
