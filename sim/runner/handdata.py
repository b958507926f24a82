"""What a researcher asks of a hand: position names and the 169 starting-hand classes.

    >>> positions((0, 1, 2, 3, 4, 5), button=5, small_blind_seat=0, big_blind_seat=1)
    {5: 'BTN', 0: 'SB', 1: 'BB', 2: 'UTG', 3: 'HJ', 4: 'CO'}
    >>> hand_class((51, 47))      # As Ks
    'AKs'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sim.engine.cards import DECK_SIZE, RANKS, card_to_str

# The last seats before the button, from the button backwards: cut-off, hijack, lojack.
LATE_NAMES: Final = ("CO", "HJ", "LJ")  # from the button backwards


def other_names(count: int) -> list[str]:
    """Names of the ``count`` seats between the big blind and the button, in acting order:
    the first is UTG, the last three CO, HJ, LJ (from the button back), UTG+1... between."""
    if count <= 0:
        return []
    late = min(count - 1, len(LATE_NAMES))
    early = count - late
    return ["UTG" if i == 0 else f"UTG+{i}" for i in range(early)] + \
        list(reversed(LATE_NAMES[:late]))


def positions(order: Sequence[int], button: int | None, small_blind_seat: int | None,
              big_blind_seat: int | None) -> dict[int, str]:
    """Seat -> position name for the seats dealt in: BTN, SB, BB, then UTG ... CO in acting
    order. Heads-up the button posts the small blind and is BTN; the other seat is BB."""
    seats = sorted(order)
    count = len(seats)
    if button in seats and 2 <= count < len(_NAMES_FROM_BUTTON):
        # The usual hand: the blinds are the next seats after the button (once per hand, so
        # the table of names, not the general case below).
        first = seats.index(button)
        clockwise = seats[first:] + seats[:first]
        if count == 2:
            expected = (clockwise[0], clockwise[0], clockwise[1])
        else:
            expected = (clockwise[0], clockwise[1], clockwise[2])
        if expected == (button, small_blind_seat, big_blind_seat):
            return dict(zip(clockwise, _NAMES_FROM_BUTTON[count], strict=True))
    return _by_role(seats, button, small_blind_seat, big_blind_seat)


def _by_role(seats: list[int], button: int | None, small_blind_seat: int | None,
             big_blind_seat: int | None) -> dict[int, str]:
    names: dict[int, str] = {}
    if button is not None:
        names[button] = "BTN"
    if small_blind_seat is not None and small_blind_seat not in names:
        names[small_blind_seat] = "SB"
    if big_blind_seat is not None and big_blind_seat not in names:
        names[big_blind_seat] = "BB"
    start = big_blind_seat if big_blind_seat is not None else -1
    after = [s for s in seats if s > start] + [s for s in seats if s <= start]
    rest = [s for s in after if s not in names]
    for seat, name in zip(rest, other_names(len(rest)), strict=True):
        names[seat] = name
    return names


# The names clockwise from the button, by how many players were dealt in (0 to 10).
_NAMES_FROM_BUTTON: Final = tuple(
    () if count < 2 else ("BTN", "BB") if count == 2
    else ("BTN", "SB", "BB", *other_names(count - 3)) for count in range(11))


def hand_class(cards: Sequence[int]) -> str:
    """The starting-hand class of two hole cards: ``AKs``, ``T9o``, ``77``."""
    assert len(cards) == 2, cards
    high, low = max(cards[0], cards[1]), min(cards[0], cards[1])
    high_rank, low_rank = high // 4, low // 4  # a card is rank * 4 + suit: ranks sort too
    if high_rank == low_rank:
        return RANKS[high_rank] * 2
    suited = "s" if high % 4 == low % 4 else "o"
    return f"{RANKS[high_rank]}{RANKS[low_rank]}{suited}"


# Every two-card hand's class and name, by first card * 52 + second: computed once, so a
# hand's rows look them up instead of building strings.
_CLASSES: Final = tuple(hand_class((a, b)) if a != b else "" for a in range(DECK_SIZE)
                        for b in range(DECK_SIZE))
_HOLES: Final = tuple(f"{card_to_str(a)} {card_to_str(b)}" for a in range(DECK_SIZE)
                      for b in range(DECK_SIZE))


def class_of(hole: Sequence[int]) -> str:
    """``hand_class(hole)``, looked up."""
    return _CLASSES[hole[0] * DECK_SIZE + hole[1]]


def hole_name(hole: Sequence[int]) -> str:
    """``cards_to_str(hole)`` for two cards, looked up: ``"As Kd"``."""
    return _HOLES[hole[0] * DECK_SIZE + hole[1]]


def all_classes() -> list[str]:
    """The 169 classes in grid order: row i, column j of the 13x13 grid (aces first);
    pairs on the diagonal, suited above it, offsuit below."""
    ranks = RANKS[::-1]
    out = []
    for i, row in enumerate(ranks):
        for j, column in enumerate(ranks):
            if i == j:
                out.append(row * 2)
            elif i < j:
                out.append(f"{row}{column}s")
            else:
                out.append(f"{column}{row}o")
    return out
