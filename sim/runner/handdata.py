"""What a researcher asks of a hand: position names and the 169 starting-hand classes.

    >>> positions((0, 1, 2, 3, 4, 5), button=5, small_blind_seat=0, big_blind_seat=1)
    {5: 'BTN', 0: 'SB', 1: 'BB', 2: 'UTG', 3: 'HJ', 4: 'CO'}
    >>> hand_class((51, 47))      # As Ks
    'AKs'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sim.engine.cards import RANKS

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
    names: dict[int, str] = {}
    if button is not None:
        names[button] = "BTN"
    if small_blind_seat is not None and small_blind_seat not in names:
        names[small_blind_seat] = "SB"
    if big_blind_seat is not None and big_blind_seat not in names:
        names[big_blind_seat] = "BB"
    seats = sorted(order)
    start = big_blind_seat if big_blind_seat is not None else -1
    after = [s for s in seats if s > start] + [s for s in seats if s <= start]
    rest = [s for s in after if s not in names]
    for seat, name in zip(rest, other_names(len(rest)), strict=True):
        names[seat] = name
    return names


def hand_class(cards: Sequence[int]) -> str:
    """The starting-hand class of two hole cards: ``AKs``, ``T9o``, ``77``."""
    assert len(cards) == 2, cards
    high, low = max(cards[0], cards[1]), min(cards[0], cards[1])
    high_rank, low_rank = high // 4, low // 4  # a card is rank * 4 + suit: ranks sort too
    if high_rank == low_rank:
        return RANKS[high_rank] * 2
    suited = "s" if high % 4 == low % 4 else "o"
    return f"{RANKS[high_rank]}{RANKS[low_rank]}{suited}"


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
