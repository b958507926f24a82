"""Independent computations of the rules, for the checks to compare the engine against.

Nothing here imports the engine's rule modules (pots, legal, dealer): each function is a
second, separately written reading of RULES.md, so a check compares two implementations
rather than one with itself. Inputs are plain values, so each is easy to test on its own.

    >>> pots_by_levels([10, 30, 30], [True, True, True], [True, False, False])
    ([(30, (0, 1, 2)), (40, (1, 2))], 0)
    >>> split_shares(7, [4, 1], button=3, seats=6)
    ((4, 4), (1, 3))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

NOT_ACTED: Final = -1  # the engine's marker for "has not acted this street" (state.NOT_ACTED)

Pot = tuple[int, tuple[int, ...]]


# -- pots ----------------------------------------------------------------------------------

def pots_by_levels(contrib: list[int], live: list[bool],
                   all_in: list[bool]) -> tuple[list[Pot], int]:
    """The pots a hand's contributions make, main pot first, and the stray chips.

    Each live all-in player caps a pot at what they put in; the last pot is capped by the
    largest live contribution. A pot holds every seat's chips between the previous cap and
    its own, folded seats' included; its eligible seats are the live ones that reached its
    cap. Stray chips are what folded seats put in above every live seat, which no pot may
    hold (the engine must have returned them as uncalled).
    """
    seats = range(len(contrib))
    live_seats = [s for s in seats if live[s]]
    if not live_seats:
        return [], sum(contrib)
    top = max(contrib[s] for s in live_seats)
    caps = sorted({contrib[s] for s in live_seats if all_in[s] and contrib[s] < top})
    caps.append(top)
    pots: list[Pot] = []
    floor = 0
    for cap in caps:
        amount = 0
        for chips in contrib:
            if chips > floor:
                amount += (cap if chips > cap else chips) - floor
        if amount:
            pots.append((amount, tuple(s for s in live_seats if contrib[s] >= cap)))
        floor = cap
    stray = sum(chips - top for chips in contrib if chips > top)
    return pots, stray


def unmatched_top(contrib: list[int]) -> tuple[int, int, int] | None:
    """``(seat, chips, next_best)`` when the largest contribution is matched by no other
    seat although another seat put chips in (uncalled chips left in a pot), else None."""
    if not contrib:
        return None
    seat = 0  # the first seat with the largest contribution
    for other in range(1, len(contrib)):
        if contrib[other] > contrib[seat]:
            seat = other
    top = contrib[seat]
    if top == 0:
        return None
    others = [chips for other, chips in enumerate(contrib) if other != seat]
    rest = others[0] if others else 0  # the largest other contribution
    for chips in others:
        if chips > rest:
            rest = chips
    if rest == top or rest == 0:
        return None
    return seat, top, rest


def split_shares(amount: int, winners: Sequence[int], button: int,
                 seats: int) -> tuple[tuple[int, int], ...]:
    """Split ``amount`` among tied ``winners``: equal shares, then the odd chips one at a time
    to the winners in seat order starting from the first seat left of the button."""
    clockwise = [(button + step) % seats for step in range(1, seats + 1)]
    ordered = [seat for seat in clockwise if seat in winners]
    assert len(ordered) == len(set(winners)), f"winners {winners} are not seats of {seats}"
    share, odd = divmod(amount, len(ordered))
    shares = [share] * len(ordered)
    for index in range(odd):
        shares[index] += 1
    return tuple(zip(ordered, shares, strict=True))


# -- betting -------------------------------------------------------------------------------

def others_with_chips(seat: int, order: tuple[int, ...], folded: tuple[bool, ...],
                      stack: list[int]) -> bool:
    """Whether a live player other than ``seat`` has chips behind (one who could answer a
    raise). A loop, not any() over a generator: compiled, builtins are called through
    Python, and the checks ask this after every dispatch."""
    for x in order:
        if x != seat and not folded[x] and stack[x] > 0:
            return True
    return False


def answerable(seat: int, order: tuple[int, ...], folded: tuple[bool, ...],
               stack: list[int], contrib: list[int]) -> int | None:
    """How many more chips ``seat`` could put in that another player could still win.

    None (no limit) while another live player has chips behind; otherwise every other live
    player is all-in, and it is the largest of their contributions to the hand less what
    ``seat`` put in. 0 or less means ``seat`` has nothing left to decide.
    """
    largest = 0
    for x in order:
        if x == seat or folded[x]:
            continue
        if stack[x] > 0:
            return None
        if contrib[x] > largest:  # not max(): compiled, builtins go through Python
            largest = contrib[x]
    return largest - contrib[seat]


def dead_decision(seat: int, order: tuple[int, ...], folded: tuple[bool, ...],
                  stack: list[int], contrib: list[int]) -> bool:
    """Every other live player is all-in and ``seat`` already put in at least as much as
    the most any of them did: no one can win another chip from it, so it has no decision."""
    room = answerable(seat, order, folded, stack, contrib)
    return room is not None and room <= 0


def needs_to_act(acted: int, bet: int, level: int) -> bool:
    """A player with chips still has to act this round: not yet acted, or not matched."""
    return acted == NOT_ACTED or bet < level


def may_wager(acted: int, level: int, min_raise: int, others_with_chips: bool) -> bool:
    """May a player bet or raise? Not when every other live player is all-in; not after
    acting, unless the wagers since add up to a full raise (short all-ins do not reopen)."""
    if not others_with_chips:
        return False
    return acted == NOT_ACTED or level - acted >= min_raise


def legal_set(seat: int, stack: int, bet: int, level: int, min_raise: int, acted: int,
              others_with_chips: bool, big_blind: int, pot: int,
              room: int | None = None) -> tuple[int, bool, int, int, int, int, int, int]:
    """The legal actions as the tuple ``sim.engine.legal.LegalActions`` is:
    ``(seat, can_check, call, min_bet, max_bet, min_raise_to, max_raise_to, pot)``.

    Amounts are totals for the street; 0 means not allowed. ``level`` is the bet to match
    (the full big blind preflop, even when the big blind was short); ``room`` (see
    ``answerable``) caps a call where everyone else is all-in: no one could win the rest.
    """
    owed = level - bet
    call = min(owed, stack) if owed > 0 else 0
    if room is not None and 0 < room < call:
        call = room
    all_in = bet + stack
    min_bet = max_bet = min_raise_to = max_raise_to = 0
    if all_in > level and may_wager(acted, level, min_raise, others_with_chips):
        if level == 0:
            min_bet, max_bet = min(big_blind, all_in), all_in
        else:
            min_raise_to, max_raise_to = min(level + min_raise, all_in), all_in
    return (seat, owed <= 0, call, min_bet, max_bet, min_raise_to, max_raise_to, pot)


def hand_action_bound(table_chips: int, big_blind: int, seats: int) -> int:
    """An upper bound on the actions of one hand.

    Per street, each full raise lifts the bet by at least the big blind, and the bet never
    exceeds the chips on the table, so there are at most ``table_chips // big_blind`` full
    wagers, plus at most ``seats`` short all-ins (each leaves a player all-in). Before the
    first wager and after each, every other player acts at most once. Four streets.
    """
    wagers = table_chips // big_blind + seats
    return 4 * (wagers + (wagers + 1) * seats)


# -- starting a hand -----------------------------------------------------------------------

def next_clockwise(seats: Sequence[int], after: int, table_seats: int) -> int:
    """The first of ``seats`` strictly clockwise after seat ``after``."""
    for step in range(1, table_seats + 1):
        seat = (after + step) % table_seats
        if seat in seats:
            return seat
    raise AssertionError(f"no seat among {list(seats)} on a table of {table_seats}")


def clockwise_from(start: int, seats: Sequence[int], table_seats: int) -> tuple[int, ...]:
    """``seats`` in clockwise order beginning at ``start`` (included if present)."""
    return tuple(sorted(seats, key=lambda seat: (seat - start) % table_seats))


def dealable(present: list[bool], stack: list[int], status: Sequence[int],
             will_post: Sequence[bool], playing: int,
             waiting: int) -> tuple[list[int], list[int], list[int]] | None:
    """Who may be dealt into the next hand, read from the table just before it starts.

    Returns ``(sitting_in, waiters, posters)`` or None when fewer than two can play.
    ``sitting_in``: seated, status ``playing``, with chips; they hold the button and the
    blinds. ``waiters``: waiting for the big blind, dealt in only when it reaches them.
    ``posters``: waiting players who posted to come in, dealt in now. When fewer than two
    players are sitting in, no game is running and no one has to wait.
    """
    seats = len(stack)
    can_play = [s for s in range(seats) if present[s] and stack[s] > 0]
    sitting_in = [s for s in can_play if status[s] == playing]
    waiting_seats = [s for s in can_play if status[s] == waiting]
    if len(sitting_in) < 2:
        sitting_in, waiting_seats = sorted(sitting_in + waiting_seats), []
    if len(sitting_in) < 2:
        return None
    posters = [s for s in waiting_seats if will_post[s]]
    waiters = [s for s in waiting_seats if not will_post[s]]
    return sitting_in, waiters, posters


def blind_seats(button: int, sitting_in: Sequence[int], waiters: Sequence[int],
                seats: int) -> tuple[int, int]:
    """``(small_blind, big_blind)`` for a button: the next seat sitting in posts the small
    blind, the next after it (or a waiter the big blind reaches) the big blind; heads-up
    the button posts the small blind."""
    small = next_clockwise(sitting_in, button, seats)
    big = next_clockwise(list(sitting_in) + list(waiters), small, seats)
    if big == button:
        small, big = button, small
    return small, big
